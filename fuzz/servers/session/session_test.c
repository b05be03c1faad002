/*
 * fuzz/servers/session/session_test.c: the session server (session_server.c)
 * driven through real ports, in one process and one thread: a client task
 * and a server task (machports/compat.h), each request built from the spec
 * mp_mig_spec made of session.defs (mp_spec_build_request), sent from the
 * client task, received and handed to the demux in the server task by
 * mach_msg_server_once, the reply received in the client task and checked
 * against the reply spec (mp_spec_check_reply). So the hand-written
 * layouts and checks are held against the .defs, and what the server holds
 * is read from the kernel (lib/port on mp_compat_port_task).
 *
 * The same source is built against the clean server and against each
 * planted one (BUILD: session_test, session_test_plant_*). Every build runs
 * every case: a planted bug's trigger sequence shows its kernel-visible
 * symptom in that build and nowhere else.
 *
 * Prints "N passed, N failed" (scripts/test counts it).
 */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/notify.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/servers/session/session_server.h"
#include "fuzz/servers/session/session_spec.h"
#include "machports/compat.h"
#include "machports/port.h"
#include "machports/spec.h"
#include "machports/testing.h"

#ifdef PLANT_RELEASE_THEN_ERROR
#define PLANTED_RELEASE_THEN_ERROR 1
#else
#define PLANTED_RELEASE_THEN_ERROR 0
#endif
#ifdef PLANT_LEAK
#define PLANTED_LEAK 1
#else
#define PLANTED_LEAK 0
#endif
#ifdef PLANT_USE_AFTER_RELEASE
#define PLANTED_USE_AFTER_RELEASE 1
#else
#define PLANTED_USE_AFTER_RELEASE 0
#endif
#ifdef PLANT_BAD_REPLY
#define PLANTED_BAD_REPLY 1
#else
#define PLANTED_BAD_REPLY 0
#endif
#ifdef PLANT_SONCE_DANGLING
#define PLANTED_SONCE_DANGLING 1
#else
#define PLANTED_SONCE_DANGLING 0
#endif

/* ---- checks ---- */

static int g_passed, g_failed, g_case_failures;

static void expect(int ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	g_case_failures++;
	fprintf(stderr, "%s:%d: expected %s\n", file, line, what);
}

static void expect_kr(kern_return_t got, kern_return_t want, const char *what, const char *file, int line)
{
	if (got == want)
		return;
	g_case_failures++;
	fprintf(stderr, "%s:%d: %s returned 0x%x (%s), expected 0x%x (%s)\n", file, line, what, (unsigned)got,
		mach_error_string(got), (unsigned)want, mach_error_string(want));
}

#define EXPECT(cond) expect((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
#define EXPECT_KR(call, want) expect_kr((call), (want), #call, __FILE__, __LINE__)

/* ---- the two tasks ---- */

static mp_compat_task_t *g_client, *g_server;
static mach_port_t g_service;        /* the server's receive right (server's name) */
static mach_port_t g_client_service; /* the client's send right to it */
static mach_port_t g_reply;          /* the client's reply port */

static mp_task_t *server_task(void)
{
	return mp_compat_port_task(g_server);
}

static void as_client(void)
{
	(void)mp_compat_set_current(g_client);
}

static void as_server(void)
{
	(void)mp_compat_set_current(g_server);
}

/* The server's names of one type (exact MACH_PORT_TYPE_* without request bits). */
static uint32_t server_names_of(mp_port_type_t type)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0, n = 0;
	if (mp_port_names(server_task(), &names, &types, &count) != KERN_SUCCESS)
		return UINT32_MAX;
	for (uint32_t i = 0; i < count; i++)
		n += (types[i] & 0x001f0000u) == type;
	free(names);
	free(types);
	return n;
}

/* The one name of `type` the server holds beside its baseline (the
 * task-self, bootstrap and service names), or MACH_PORT_NULL. */
static mach_port_t server_extra_name(mp_port_type_t type)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0;
	mach_port_t found = MACH_PORT_NULL;
	if (mp_port_names(server_task(), &names, &types, &count) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	for (uint32_t i = 0; i < count; i++) {
		if (names[i] == MP_COMPAT_TASK_SELF_NAME || names[i] == MP_COMPAT_BOOTSTRAP_NAME || names[i] == g_service)
			continue;
		if ((types[i] & 0x001f0000u) == type)
			found = names[i];
	}
	free(names);
	free(types);
	return found;
}

static uint32_t server_name_count(void)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0;
	if (mp_port_names(server_task(), &names, &types, &count) != KERN_SUCCESS)
		return UINT32_MAX;
	free(names);
	free(types);
	return count;
}

/* Guard events of `flavor` the server task raised since the last call (all
 * of them read and cleared; *total: how many of any flavor). */
static uint32_t server_guard_events(uint32_t flavor, uint32_t *total)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = 0, hits = 0;
	if (mp_task_guard_events(server_task(), ev, MP_GUARD_EVENTS_MAX, &n) != KERN_SUCCESS)
		return UINT32_MAX;
	for (uint32_t i = 0; i < n; i++)
		hits += ev[i].flavor == flavor;
	if (total != NULL)
		*total = n;
	return hits;
}

static uint32_t server_guard_event_total(void)
{
	uint32_t total = 0;
	(void)server_guard_events(0, &total);
	return total;
}

/*
 * The OOL regions the kernel holds (all tasks). Only the embedded kernel
 * counts the regions a received message mapped into a task; on machportd
 * the daemon's report does not see them (they are mapped in this process),
 * so there the count is not compared.
 */
static uint32_t kernel_regions(void)
{
	mp_kernel_report_t r;
	memset(&r, 0, sizeof r);
	if (mp_compat_backend() != MP_BACKEND_KERN)
		return 0;
	if (mp_backend_check(mp_compat_backend(), &r) != 0 || !r.ok)
		return UINT32_MAX;
	return r.vm_regions;
}

/* The region count moved by `delta` since `before` (always true where the
 * count is not seen). */
static int regions_are(uint32_t before, int delta)
{
	if (mp_compat_backend() != MP_BACKEND_KERN)
		return 1;
	return kernel_regions() == (uint32_t)((int)before + delta);
}

/* A receive right in the client (its name), optionally with a send right. */
static mach_port_t client_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	as_client();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	return p;
}

static void client_port_drop(mach_port_t p)
{
	as_client();
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

/* The msgh_id of the next message queued on the client's port `p`, or -1. */
static mach_msg_id_t client_next_id(mach_port_t p)
{
	union {
		mach_msg_header_t head;
		uint8_t room[256];
	} m;
	memset(&m, 0, sizeof m);
	as_client();
	if (mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, p, 0, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	mach_msg_destroy(&m.head);
	return m.head.msgh_id;
}

static boolean_t client_port_has_senders(mach_port_t p)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	memset(&st, 0, sizeof st);
	as_client();
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt),
		  KERN_SUCCESS);
	return st.mps_srights;
}

/* ---- what the server holds right after the demux ---- */

/*
 * mach_msg_server_once runs this in place of session_server: it records,
 * between the routine's return and the runtime's mach_msg_destroy, what the
 * server's space says about the request's port descriptor (mach_port_type
 * of its name) and how many OOL regions the routine released (embedded
 * kernel only). That is where a release followed by an error shows before
 * the runtime's destroy releases the same thing again.
 */
static struct {
	kern_return_t port_kr; /* mach_port_type of the descriptor's name; KERN_SUCCESS if none */
	int regions_delta;
} g_after_demux;

static boolean_t observed_server(mach_msg_header_t *in, mach_msg_header_t *out)
{
	uint32_t before = kernel_regions();
	boolean_t routed = session_server(in, out);
	mach_msg_base_t *base = (mach_msg_base_t *)in;
	g_after_demux.regions_delta = (int)kernel_regions() - (int)before;
	g_after_demux.port_kr = KERN_SUCCESS;
	if ((in->msgh_bits & MACH_MSGH_BITS_COMPLEX) && base->body.msgh_descriptor_count == 1) {
		mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)(base + 1);
		mach_port_type_t type = 0;
		if (d->type == MACH_MSG_PORT_DESCRIPTOR)
			g_after_demux.port_kr = mach_port_type(mach_task_self(), d->name, &type);
	}
	return routed;
}

/* ---- one call: build from the spec, send, serve once, check the reply ---- */

#define NO_REPLY ((kern_return_t)0x7fff0001) /* no reply came back (a simpleroutine, or a lost one) */

static int g_last_session; /* open_session's out value */

static kern_return_t call(const char *routine, const mp_spec_value_t *descs, const mp_spec_value_t *fields)
{
	const mp_spec_routine_t *rt = mp_spec_routine_by_name(&session_spec, routine);
	union {
		mach_msg_header_t head;
		uint8_t bytes[512];
	} m;
	size_t len = 0;
	mp_diag_t diag;
	mp_spec_header_t hdr;
	memset(&hdr, 0, sizeof hdr);
	memset(&m, 0, sizeof m);
	EXPECT(rt != NULL);
	if (rt == NULL)
		return KERN_FAILURE;
	hdr.remote = g_client_service;
	hdr.remote_disposition = MACH_MSG_TYPE_COPY_SEND;
	if (rt->kind == MP_SPEC_ROUTINE) {
		hdr.local = g_reply;
		hdr.local_disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	}
	EXPECT(mp_spec_build_request(rt, &hdr, descs, fields, m.bytes, sizeof m.bytes, &len, &diag) == MP_OK);

	as_client();
	EXPECT_KR(mach_msg(&m.head, MACH_SEND_MSG, (mach_msg_size_t)len, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			   MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	as_server();
	EXPECT_KR(mach_msg_server_once(observed_server, SESSION_MAX_REQUEST_SIZE, g_service, MACH_MSG_OPTION_NONE),
		  MACH_MSG_SUCCESS);
	as_client();
	if (rt->kind != MP_SPEC_ROUTINE)
		return NO_REPLY;
	memset(&m, 0, sizeof m);
	if (mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof m, g_reply, 0, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS)
		return NO_REPLY;
	mp_spec_view_t view;
	mp_spec_diag_t sdiag;
	int32_t code = mp_spec_check_reply(rt, m.bytes, m.head.msgh_size, MP_SPEC_MIG, &view, &sdiag);
	if (code == KERN_SUCCESS && strcmp(routine, "open_session") == 0) {
		uint32_t v = 0;
		int at = mp_spec_field_index(view.msg, "session");
		EXPECT(at >= 0 && mp_spec_field_u32(&view, (unsigned)at, &v));
		g_last_session = (int)v;
	}
	mach_msg_destroy(&m.head);
	return code;
}

static mp_spec_value_t int_value(const int *v)
{
	mp_spec_value_t x;
	memset(&x, 0, sizeof x);
	x.data = v;
	x.count = 1;
	return x;
}

static kern_return_t open_session(int *session)
{
	g_last_session = 0;
	kern_return_t kr = call("open_session", NULL, NULL);
	*session = g_last_session;
	return kr;
}

static kern_return_t set_name(int session, const char *name)
{
	mp_spec_value_t fields[2];
	fields[0] = int_value(&session);
	memset(&fields[1], 0, sizeof fields[1]);
	fields[1].data = name;
	fields[1].count = (uint32_t)strlen(name);
	return call("set_name", NULL, fields);
}

static kern_return_t put_data(int session, const void *data, uint32_t size)
{
	mp_spec_value_t descs[1], fields[2];
	memset(descs, 0, sizeof descs);
	memset(fields, 0, sizeof fields);
	descs[0].address = (uint64_t)(uintptr_t)data;
	descs[0].size = size;
	descs[0].copy = MACH_MSG_VIRTUAL_COPY;
	fields[0] = int_value(&session);
	return call("put_data", descs, fields);
}

static kern_return_t port_call(const char *routine, int session, mach_port_t port, mach_msg_type_name_t disposition)
{
	mp_spec_value_t descs[1], fields[1];
	memset(descs, 0, sizeof descs);
	descs[0].name = port;
	descs[0].disposition = disposition;
	fields[0] = int_value(&session);
	return call(routine, descs, fields);
}

/* The client keeps its receive right; the server gets a send right. */
static kern_return_t register_callback(int session, mach_port_t port)
{
	return port_call("register_callback", session, port, MACH_MSG_TYPE_MAKE_SEND);
}

static kern_return_t take_port(int session, mach_port_t port)
{
	return port_call("take_port", session, port, MACH_MSG_TYPE_MOVE_RECEIVE);
}

static kern_return_t notify_me(int session, mach_port_t port)
{
	return port_call("notify_me", session, port, MACH_MSG_TYPE_MAKE_SEND_ONCE);
}

static kern_return_t close_session(int session)
{
	mp_spec_value_t fields[1];
	fields[0] = int_value(&session);
	return call("close_session", NULL, fields);
}

/* ---- cases: the clean behaviour of each routine ---- */

static uint32_t g_baseline_names;

/* After each case: every session closed, the server's space back to its
 * baseline, no guard event left over (each case reads its own). */
static void reset_server(void)
{
	as_server();
	session_server_teardown();
	(void)server_guard_events(0, NULL);
	as_client();
}

static void case_open_close(void)
{
	int s = 0, t = 0;
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT(s == 1);
	EXPECT_KR(open_session(&t), KERN_SUCCESS);
	EXPECT(t == 2);
	EXPECT(session_server_open_count() == 2);
	EXPECT_KR(close_session(s), KERN_SUCCESS);
	EXPECT_KR(close_session(s), KERN_INVALID_ARGUMENT);
	EXPECT_KR(close_session(0), KERN_INVALID_ARGUMENT);
	EXPECT_KR(close_session(t), KERN_SUCCESS);
	EXPECT(session_server_open_count() == 0);
	EXPECT(server_name_count() == g_baseline_names);
}

static void case_table_full(void)
{
	int s = 0;
	for (int i = 0; i < SESSION_MAX_SESSIONS; i++)
		EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(open_session(&s), KERN_RESOURCE_SHORTAGE);
	reset_server();
	EXPECT(session_server_open_count() == 0);
}

static void case_set_name(void)
{
	int s = 0;
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(set_name(s, "alpha"), KERN_SUCCESS);
	EXPECT_KR(set_name(s, "a name of sixty-three characters, the most a c_string[64] holds"), KERN_SUCCESS);
	EXPECT_KR(set_name(7, "nobody"), KERN_INVALID_ARGUMENT);
	EXPECT_KR(close_session(s), KERN_SUCCESS);
}

/* put_data keeps the region (one more in the kernel) until the session
 * closes; on an unknown session the runtime destroys it. */
static void case_put_data(void)
{
	static uint8_t data[3 * 4096];
	int s = 0;
	memset(data, 0x5a, sizeof data);
	uint32_t regions = kernel_regions();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(put_data(s, data, sizeof data), KERN_SUCCESS);
	EXPECT(regions_are(regions, 1));
	EXPECT_KR(put_data(s, data, 100), KERN_SUCCESS); /* replaces the first */
	EXPECT(regions_are(regions, 1));
	EXPECT_KR(put_data(9, data, sizeof data), KERN_INVALID_ARGUMENT);
	EXPECT(regions_are(regions, 1));
	EXPECT_KR(close_session(s), KERN_SUCCESS);
	EXPECT(regions_are(regions, 0));
}

/* register_callback stores the send right; close_session sends the closed
 * notice through it and releases it. */
static void case_register_callback(void)
{
	int s = 0;
	mach_port_t p = client_port();
	mach_port_t q = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
	EXPECT(server_names_of(MACH_PORT_TYPE_SEND) == 3); /* task self, bootstrap, callback */
	EXPECT(client_port_has_senders(p));
	if (!PLANTED_LEAK) {
		EXPECT_KR(register_callback(s, q), KERN_SUCCESS); /* replaces p's */
		EXPECT(!client_port_has_senders(p));
		EXPECT(client_port_has_senders(q));
	}
	if (!PLANTED_RELEASE_THEN_ERROR) {
		EXPECT_KR(register_callback(5, p), KERN_INVALID_ARGUMENT);
		EXPECT(!PLANTED_LEAK || client_port_has_senders(p));
	}
	if (!PLANTED_USE_AFTER_RELEASE) {
		EXPECT_KR(close_session(s), KERN_SUCCESS);
		EXPECT(client_next_id(PLANTED_LEAK ? p : q) == SESSION_CLOSED_ID);
		EXPECT(!client_port_has_senders(q));
		EXPECT(server_name_count() == g_baseline_names);
		EXPECT(server_guard_event_total() == 0);
	}
	reset_server();
	client_port_drop(p);
	client_port_drop(q);
}

/* take_port moves the receive right into the server until the session closes. */
static void case_take_port(void)
{
	int s = 0;
	mach_port_t p = client_port();
	mach_port_type_t type = 0;
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(take_port(s, p), KERN_SUCCESS);
	as_client();
	EXPECT_KR(mach_port_type(mach_task_self(), p, &type), KERN_INVALID_NAME);
	EXPECT(server_names_of(MACH_PORT_TYPE_RECEIVE) == 2); /* the service, the taken port */
	EXPECT_KR(close_session(s), KERN_SUCCESS);
	EXPECT(server_names_of(MACH_PORT_TYPE_RECEIVE) == 1);
	EXPECT(server_name_count() == g_baseline_names);

	/* on an unknown session the runtime destroys the receive right */
	p = client_port();
	EXPECT_KR(take_port(3, p), KERN_INVALID_ARGUMENT);
	EXPECT(server_name_count() == g_baseline_names);
}

/* notify_me answers through the send-once right; on an unknown session the
 * runtime destroys it and the client gets a send-once notification. */
static void case_notify_me(void)
{
	int s = 0;
	mach_port_t p = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
	EXPECT_KR(notify_me(s, p), NO_REPLY);
	EXPECT(client_next_id(p) == SESSION_NOTIFY_ID);
	EXPECT_KR(notify_me(6, p), NO_REPLY);
	EXPECT(client_next_id(p) == MACH_NOTIFY_SEND_ONCE);
	EXPECT(server_names_of(MACH_PORT_TYPE_SEND_ONCE) == 0);
	reset_server();
	client_port_drop(p);
}

/* The teardown releases everything every session holds. */
static void case_teardown(void)
{
	static uint8_t data[4096];
	mach_port_t p = client_port(), q = client_port(), r = client_port();
	uint32_t regions = kernel_regions();
	for (int i = 0; i < 2; i++) {
		int s = 0;
		EXPECT_KR(open_session(&s), KERN_SUCCESS);
		EXPECT_KR(set_name(s, "held"), KERN_SUCCESS);
		EXPECT_KR(put_data(s, data, sizeof data), KERN_SUCCESS);
		EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
		EXPECT_KR(take_port(s, i == 0 ? q : r), KERN_SUCCESS);
	}
	EXPECT(server_name_count() == g_baseline_names + 3);
	EXPECT(regions_are(regions, 2));
	as_server();
	session_server_teardown();
	EXPECT(session_server_open_count() == 0);
	EXPECT(server_name_count() == g_baseline_names);
	EXPECT(regions_are(regions, 0));
	/* each session's closed notice (the queued ones hold p's send
	 * rights). With the use-after-release planted, both sessions' callbacks
	 * are one name with 2 urefs: the first close moves one and deallocates
	 * the other, the second finds no name (no notice, one guard event). */
	EXPECT(server_guard_event_total() == (PLANTED_USE_AFTER_RELEASE ? 1u : 0u));
	EXPECT(client_next_id(p) == SESSION_CLOSED_ID);
	EXPECT((client_next_id(p) == SESSION_CLOSED_ID) == !PLANTED_USE_AFTER_RELEASE);
	EXPECT(!client_port_has_senders(p));
	client_port_drop(p);
}

/* A request the subsystem does not know: MIG_BAD_ID, and the request's
 * right is destroyed by the runtime. */
static void case_bad_id(void)
{
	struct {
		mach_msg_header_t head;
		NDR_record_t ndr;
		int session;
	} m;
	union {
		mig_reply_error_t err;
		uint8_t room[256];
	} r;
	memset(&m, 0, sizeof m);
	memset(&r, 0, sizeof r);
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof m;
	m.head.msgh_remote_port = g_client_service;
	m.head.msgh_local_port = g_reply;
	m.head.msgh_id = SESSION_BASE + SESSION_ROUTINES;
	as_client();
	EXPECT_KR(mach_msg(&m.head, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	as_server();
	EXPECT_KR(mach_msg_server_once(session_server, SESSION_MAX_REQUEST_SIZE, g_service, MACH_MSG_OPTION_NONE),
		  MACH_MSG_SUCCESS);
	as_client();
	EXPECT_KR(mach_msg(&r.err.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, g_reply, 0, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(r.err.Head.msgh_id == SESSION_BASE + SESSION_ROUTINES + 100);
	EXPECT(r.err.RetCode == MIG_BAD_ID);
}

/* ---- cases: each planted bug's trigger sequence (README.md's seeds) ---- */

/* RELEASE_THEN_ERROR: open; register_callback(s, P); register_callback(99, P).
 * The server's name for P holds 2 urefs during the third message; the
 * planted routine releases one, returns an error, the runtime's
 * mach_msg_destroy releases the other: the session's callback name is gone
 * (a later use is KERN_INVALID_NAME). Clean: 1 uref stays. */
static void case_trigger_release_then_error(void)
{
	int s = 0;
	mach_port_t p = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
	mach_port_t held = server_extra_name(MACH_PORT_TYPE_SEND);
	EXPECT(held != MACH_PORT_NULL);
	EXPECT_KR(register_callback(99, p), KERN_INVALID_ARGUMENT);
	mach_port_urefs_t refs = 0;
	as_server();
	kern_return_t kr = mach_port_get_refs(mach_task_self(), held, MACH_PORT_RIGHT_SEND, &refs);
	if (PLANTED_RELEASE_THEN_ERROR) {
		EXPECT_KR(kr, KERN_INVALID_NAME);
		EXPECT(!client_port_has_senders(p));
	} else {
		EXPECT_KR(kr, KERN_SUCCESS);
		EXPECT(refs == 1);
	}
	/* the one-message form: right after the routine the name is gone, and
	 * the runtime's destroy then finds no name */
	uint32_t all = 0;
	(void)server_guard_events(0, &all);
	EXPECT_KR(register_callback(99, p), KERN_INVALID_ARGUMENT);
	EXPECT_KR(g_after_demux.port_kr, PLANTED_RELEASE_THEN_ERROR ? KERN_INVALID_NAME : KERN_SUCCESS);
	EXPECT(server_guard_events(MP_GUARD_EXC_INVALID_NAME, &all) == (PLANTED_RELEASE_THEN_ERROR ? 1u : 0u));
	EXPECT(all == (PLANTED_RELEASE_THEN_ERROR ? 1u : 0u));
	reset_server();
	client_port_drop(p);
}

/* RELEASE_THEN_ERROR through OOL memory: put_data(99, data). Right after
 * the routine the planted build has one region fewer (it freed the
 * request's region); the runtime's destroy then deallocates the range
 * again (mach_vm_deallocate of a hole succeeds: nothing else shows). The
 * region count is the embedded kernel's. */
static void case_trigger_release_then_error_ool(void)
{
	static uint8_t data[2 * 4096];
	uint32_t regions = kernel_regions();
	EXPECT_KR(put_data(99, data, sizeof data), KERN_INVALID_ARGUMENT);
	EXPECT(mp_compat_backend() != MP_BACKEND_KERN ||
	       g_after_demux.regions_delta == (PLANTED_RELEASE_THEN_ERROR ? -1 : 0));
	EXPECT(regions_are(regions, 0));
}

/* LEAK: open; register_callback(s, P); register_callback(s, Q); close(s).
 * The planted routine overwrote P's right: after close the server still
 * holds a send right to P that nothing in its state names. */
static void case_trigger_leak(void)
{
	int s = 0;
	mach_port_t p = client_port(), q = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, q), KERN_SUCCESS);
	EXPECT_KR(close_session(s), KERN_SUCCESS);
	EXPECT(server_name_count() == g_baseline_names + (PLANTED_LEAK ? 1u : 0u));
	EXPECT(server_names_of(MACH_PORT_TYPE_SEND) == 2u + (PLANTED_LEAK ? 1u : 0u));
	EXPECT(client_port_has_senders(p) == (PLANTED_LEAK ? TRUE : FALSE));
	if (PLANTED_LEAK) { /* clean the leaked right so later cases start from the baseline */
		mach_port_t leaked = server_extra_name(MACH_PORT_TYPE_SEND);
		as_server();
		EXPECT_KR(mach_port_deallocate(mach_task_self(), leaked), KERN_SUCCESS);
	}
	reset_server();
	client_port_drop(p);
	client_port_drop(q);
}

/* USE_AFTER_RELEASE: open; register_callback(s, P); close(s). The planted
 * close moves the right into the closed notice (a successful send consumes
 * it), then deallocates the name: mach_port_deallocate returns
 * KERN_INVALID_NAME and the kernel records kGUARD_EXC_INVALID_NAME in the
 * server task (XNU mach_port_deallocate -> mach_port_guard_exception).
 * The notice itself arrives in both builds. */
static void case_trigger_use_after_release(void)
{
	int s = 0;
	mach_port_t p = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(register_callback(s, p), KERN_SUCCESS);
	as_server();
	(void)server_guard_events(0, NULL);
	EXPECT_KR(close_session(s), KERN_SUCCESS);
	uint32_t all = 0;
	as_server();
	EXPECT(server_guard_events(MP_GUARD_EXC_INVALID_NAME, &all) == (PLANTED_USE_AFTER_RELEASE ? 1u : 0u));
	EXPECT(all == (PLANTED_USE_AFTER_RELEASE ? 1u : 0u));
	EXPECT(client_next_id(p) == SESSION_CLOSED_ID);
	EXPECT(!client_port_has_senders(p));
	EXPECT(server_name_count() == g_baseline_names);
	reset_server();
	client_port_drop(p);
}

/* BAD_REPLY: open; set_name(s, ""). The planted reply carries msgh_id 5401
 * (the request's): MIG's user stub (and mp_spec_check_reply) says
 * MIG_REPLY_MISMATCH. */
static void case_trigger_bad_reply(void)
{
	int s = 0;
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(set_name(s, ""), PLANTED_BAD_REPLY ? MIG_REPLY_MISMATCH : KERN_SUCCESS);
	EXPECT_KR(set_name(s, "x"), KERN_SUCCESS);
	reset_server();
}

/* SONCE_DANGLING: open; notify_me(s, P). With no callback registered the
 * planted notify_me returns KERN_SUCCESS and keeps the send-once right:
 * it stays in the server's space, the client hears nothing. */
static void case_trigger_sonce_dangling(void)
{
	int s = 0;
	mach_port_t p = client_port();
	EXPECT_KR(open_session(&s), KERN_SUCCESS);
	EXPECT_KR(notify_me(s, p), NO_REPLY);
	EXPECT(server_names_of(MACH_PORT_TYPE_SEND_ONCE) == (PLANTED_SONCE_DANGLING ? 1u : 0u));
	EXPECT((client_next_id(p) == SESSION_NOTIFY_ID) == !PLANTED_SONCE_DANGLING);
	if (PLANTED_SONCE_DANGLING) { /* destroy it so later cases start from the baseline */
		mach_port_t dangling = server_extra_name(MACH_PORT_TYPE_SEND_ONCE);
		as_server();
		EXPECT_KR(mach_port_deallocate(mach_task_self(), dangling), KERN_SUCCESS);
		EXPECT(client_next_id(p) == MACH_NOTIFY_SEND_ONCE);
	}
	reset_server();
	client_port_drop(p);
}

/* ---- random plausible sequences: every planted bug is reached ---- */

/* Releases every right the server holds beyond its baseline (after a
 * planted bug left one), so later cases start from the baseline. */
static void server_restore_baseline(void)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0;
	as_server();
	if (mp_port_names(server_task(), &names, &types, &count) != KERN_SUCCESS)
		return;
	for (uint32_t i = 0; i < count; i++) {
		mach_port_urefs_t refs = 0;
		if (names[i] == MP_COMPAT_TASK_SELF_NAME || names[i] == MP_COMPAT_BOOTSTRAP_NAME || names[i] == g_service)
			continue;
		if (types[i] & MACH_PORT_TYPE_RECEIVE)
			(void)mach_port_mod_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_RECEIVE, -1);
		if (types[i] & MACH_PORT_TYPE_SEND_ONCE)
			(void)mach_port_deallocate(mach_task_self(), names[i]);
		if ((types[i] & MACH_PORT_TYPE_SEND) &&
		    mach_port_get_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_SEND, &refs) == KERN_SUCCESS)
			(void)mach_port_mod_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_SEND, -(int)refs);
		if ((types[i] & MACH_PORT_TYPE_DEAD_NAME) &&
		    mach_port_get_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_DEAD_NAME, &refs) == KERN_SUCCESS)
			(void)mach_port_mod_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_DEAD_NAME, -(int)refs);
	}
	free(names);
	free(types);
	(void)server_guard_event_total();
	as_client();
}

enum finding { NONE, RELEASE_THEN_ERROR, LEAK, USE_AFTER_RELEASE, BAD_REPLY, SONCE_DANGLING };
static const char *const finding_name[] = { "none", "RELEASE_THEN_ERROR", "LEAK", "USE_AFTER_RELEASE", "BAD_REPLY",
					    "SONCE_DANGLING" };

static uint32_t g_rng = 0x5e551011u;

static uint32_t rnd(uint32_t n)
{
	g_rng = g_rng * 1103515245u + 12345u; /* deterministic: the same sequences every run */
	return (g_rng >> 16) % n;
}

/* A plausible session number: mostly open ones, sometimes not. */
static int rnd_session(void)
{
	static const int pick[] = { 1, 1, 1, 1, 1, 2, 0, 99 };
	return pick[rnd(8)];
}

/* One random message; its finding, judged as the harness's oracle will:
 * an error after the request's right or region went, a reply that fails
 * its spec, a guard event, a send-once right left in the server. */
static enum finding random_message(mach_port_t *ports, unsigned *nports)
{
	static uint8_t data[8192];
	static const uint32_t sizes[] = { 0, 100, 8192 };
	mach_port_t p = MACH_PORT_NULL;
	kern_return_t kr;
	int uses_port = 0, moves_receive = 0;
	switch (rnd(8)) {
	case 0:
	case 1: {
		int s = 0;
		kr = open_session(&s);
		break;
	}
	case 2:
		kr = set_name(rnd_session(), rnd(3) == 0 ? "" : "svc");
		break;
	case 3:
		kr = put_data(rnd_session(), data, sizes[rnd(3)]);
		break;
	case 4:
		p = client_port();
		uses_port = 1;
		kr = register_callback(rnd_session(), p);
		break;
	case 5:
		p = client_port();
		uses_port = moves_receive = 1;
		kr = take_port(rnd_session(), p);
		break;
	case 6:
		p = client_port();
		uses_port = 1;
		kr = notify_me(rnd_session(), p);
		break;
	default:
		kr = close_session(rnd_session());
		break;
	}
	/* a moved receive right left the client whatever the answer */
	if (uses_port && !moves_receive && *nports < 64)
		ports[(*nports)++] = p;
	if (kr != KERN_SUCCESS && kr != NO_REPLY &&
	    (g_after_demux.port_kr == KERN_INVALID_NAME || g_after_demux.regions_delta < 0))
		return RELEASE_THEN_ERROR;
	if (kr == MIG_REPLY_MISMATCH || kr == MIG_TYPE_ERROR || kr == MIG_BAD_ARGUMENTS)
		return BAD_REPLY;
	as_server();
	if (server_guard_event_total() != 0)
		return USE_AFTER_RELEASE;
	if (server_names_of(MACH_PORT_TYPE_SEND_ONCE) != 0)
		return SONCE_DANGLING;
	return NONE;
}

/* Sequences of open_session (the setup a client of this service always
 * does first) and up to 5 random messages, from a fresh server, the
 * teardown after each: the first finding stops the run, as a sanitizer
 * report would. The clean server gives none in 400 sequences; each
 * planted one gives its own. Blind random choice, no coverage feedback:
 * a fuzzer finds these sooner. */
static void case_random_sequences(void)
{
	enum finding want = PLANTED_RELEASE_THEN_ERROR ? RELEASE_THEN_ERROR
			    : PLANTED_LEAK		   ? LEAK
			    : PLANTED_USE_AFTER_RELEASE	   ? USE_AFTER_RELEASE
			    : PLANTED_BAD_REPLY		   ? BAD_REPLY
			    : PLANTED_SONCE_DANGLING	   ? SONCE_DANGLING
							   : NONE;
	enum finding got = NONE;
	unsigned messages = 0;
	for (int seq = 0; seq < 400 && got == NONE; seq++) {
		mach_port_t ports[64];
		unsigned nports = 0;
		unsigned length = 1 + rnd(5);
		int s = 0;
		messages++;
		EXPECT_KR(open_session(&s), KERN_SUCCESS);
		for (unsigned i = 0; i < length && got == NONE; i++) {
			messages++;
			got = random_message(ports, &nports);
		}
		as_server();
		session_server_teardown();
		(void)server_guard_event_total();
		if (got == NONE && server_name_count() != g_baseline_names)
			got = LEAK;
		server_restore_baseline();
		for (unsigned i = 0; i < nports; i++)
			client_port_drop(ports[i]);
	}
	printf("     random sequences: %s after %u messages\n", finding_name[got], messages);
	EXPECT(got == want);
}

/* ---- main ---- */

static void run(const char *name, void (*fn)(void))
{
	g_case_failures = 0;
	fn();
	/* a case reads the guard events it expects: any other is a failure */
	if (server_guard_event_total() != 0) {
		g_case_failures++;
		fprintf(stderr, "%s: unexpected guard events in the server task\n", name);
	}
	reset_server();
	if (server_name_count() != g_baseline_names) {
		g_case_failures++;
		fprintf(stderr, "%s: the server's space is not back to its baseline\n", name);
	}
	if (g_case_failures == 0) {
		g_passed++;
		printf("ok   %s\n", name);
	} else {
		g_failed++;
		printf("FAIL %s\n", name);
	}
	fflush(stdout);
}

static void setup(void)
{
	mach_port_type_t type = 0;
	EXPECT(mp_spec_validate(&session_spec, NULL) == MP_OK);
	EXPECT_KR(mp_compat_task_create(&g_client), KERN_SUCCESS);
	EXPECT_KR(mp_compat_task_create(&g_server), KERN_SUCCESS);
	as_server();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_service), KERN_SUCCESS);
	EXPECT_KR(mp_port_extract_right(server_task(), g_service, MACH_MSG_TYPE_MAKE_SEND, mp_compat_port_task(g_client),
					&g_client_service, &type),
		  KERN_SUCCESS);
	as_client();
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_reply), KERN_SUCCESS);
	g_baseline_names = server_name_count();
	EXPECT(g_baseline_names == 3);
}

int main(void)
{
	setup();
	run("open_close", case_open_close);
	run("table_full", case_table_full);
	run("set_name", case_set_name);
	run("put_data", case_put_data);
	run("register_callback", case_register_callback);
	run("take_port", case_take_port);
	run("notify_me", case_notify_me);
	run("teardown", case_teardown);
	run("bad_id", case_bad_id);
	run("trigger_release_then_error", case_trigger_release_then_error);
	run("trigger_release_then_error_ool", case_trigger_release_then_error_ool);
	run("trigger_leak", case_trigger_leak);
	run("trigger_use_after_release", case_trigger_use_after_release);
	run("trigger_bad_reply", case_trigger_bad_reply);
	run("trigger_sonce_dangling", case_trigger_sonce_dangling);
	run("random_sequences", case_random_sequences);
	(void)mp_compat_set_current(NULL);
	mp_compat_task_destroy(g_client);
	mp_compat_task_destroy(g_server);
	printf("%d passed, %d failed\n", g_passed, g_failed);
	return g_failed == 0 ? 0 : 1;
}
