/*
 * lib/server_fuzz/server_fuzz.c: the harness of machports/server_fuzz.h:
 * an input into requests (lib/spec's generator), each sent from a client
 * task to the service's receive right in a server task, served as
 * libsyscall's mach_msg_server_once serves it (lib/compat's own steps), and
 * the oracle (oracle.c) after each step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

#include "lib/server_fuzz/server_fuzz_internal.h"
#include "machports/compat.h"
#include "machports/spec_gen.h"
#include "machports/testing.h"

sf_state_t sf;

#define DEFAULT_MAX_MESSAGES 8u
#define BUF_SLACK 4096u /* EDGE mutations and the largest trailer */

/* ------------------------------------------------------------------------
 * Init
 * ------------------------------------------------------------------------ */

static int init_fail(const char *why, int code)
{
	fprintf(stderr, "machports-server-fuzz: init: %s (0x%x)\n", why, (unsigned)code);
	return -1;
}

static int buffers_allocate(void)
{
	size_t cap = (size_t)sf.cfg.subsystem->max_request_size + sf.cfg.subsystem->max_reply_size + BUF_SLACK;

	sf.cap = cap;
	sf.gen = calloc(1, cap);
	sf.send = calloc(1, cap);
	sf.rcv = calloc(1, cap);
	sf.reply = calloc(1, cap);
	sf.client_rcv = calloc(1, cap);
	sf.last_request = calloc(1, cap);
	return sf.gen && sf.send && sf.rcv && sf.reply && sf.client_rcv && sf.last_request ? 0 : -1;
}

static void buffers_free(void)
{
	free(sf.gen);
	free(sf.send);
	free(sf.rcv);
	free(sf.reply);
	free(sf.client_rcv);
	free(sf.last_request);
	sf.gen = sf.send = sf.rcv = sf.reply = sf.client_rcv = sf.last_request = NULL;
}

/* The service's receive right in the server, a send right to it and the
 * reply port in the client. */
static int ports_make(void)
{
	mp_task_t *server = mp_compat_port_task(sf.server), *client = mp_compat_port_task(sf.client);
	mp_port_name_t name = MACH_PORT_NULL;
	uint32_t type = 0;
	mp_kr_t kr;

	kr = mp_port_allocate(server, MP_PORT_RIGHT_RECEIVE, &sf.service);
	if (kr != MP_KERN_SUCCESS)
		return init_fail("the service's receive right", kr);
	kr = mp_port_extract_right(server, sf.service, MACH_MSG_TYPE_MAKE_SEND, client, &name, &type);
	if (kr != MP_KERN_SUCCESS)
		return init_fail("a send right to the service in the client", kr);
	sf.service_send = name;
	kr = mp_port_allocate(client, MP_PORT_RIGHT_RECEIVE, &sf.reply_port);
	if (kr != MP_KERN_SUCCESS)
		return init_fail("the client's reply port", kr);
	return 0;
}

static int run_setup(void)
{
	mp_compat_task_t *prev;
	int rc = 0;

	if (sf.cfg.setup == NULL)
		return 0;
	prev = mp_compat_set_current(sf.server);
	rc = sf.cfg.setup(sf.service, sf.cfg.ctx);
	(void)mp_compat_set_current(prev);
	return rc == 0 ? 0 : init_fail("setup failed", rc);
}

/* The client's OOL bytes: memory the kernel gave the client task (its
 * copyin then reads it without probing the address: lib/kern vm.c), or
 * sf.ool_pool where the backend has none. Zero-filled either way. */
static uint8_t *client_ool;
static uint32_t ool_dirty; /* bytes of it an input's fill wrote (inputs.h) */

static void client_ool_allocate(void)
{
	uint64_t addr = 0;

	client_ool = NULL;
	ool_dirty = 0; /* a fresh region: zero; and the pool's dirty bytes are zeroed */
	memset(sf.ool_pool, 0, sizeof sf.ool_pool);
	if (mp_vm_allocate(mp_compat_port_task(sf.client), &addr, SF_OOL_POOL) == MP_KERN_SUCCESS)
		client_ool = (uint8_t *)(uintptr_t)addr;
}

static int init_tasks(void)
{
	mp_kr_t kr;

	kr = mp_compat_task_create(&sf.client);
	if (kr != MP_KERN_SUCCESS)
		return init_fail("the client task", kr);
	kr = mp_compat_task_create(&sf.server);
	if (kr != MP_KERN_SUCCESS)
		return init_fail("the server task", kr);
	/* Speed only (machports/testing.h): OOL regions reuse deallocated
	 * mappings; the ledger and the VM accounting are the same. The
	 * embedded kernel has it; machportd refuses it (KERN_NOT_SUPPORTED). */
	(void)mp_task_set_vm_recycle(mp_compat_port_task(sf.client), 1);
	(void)mp_task_set_vm_recycle(mp_compat_port_task(sf.server), 1);
	client_ool_allocate();
	if (ports_make() != 0 || run_setup() != 0)
		return -1;
	(void)sf_guard_events_drain();
	if (sf_ledger_take(mp_compat_port_task(sf.server), &sf.baseline) != 0)
		return init_fail("the server's space after setup", MP_KERN_RESOURCE_SHORTAGE);
	sf.baseline_regions = sf_server_vm_regions();
	return 0;
}

static void fini_tasks(void)
{
	mp_compat_task_destroy(sf.client);
	mp_compat_task_destroy(sf.server);
	sf.client = sf.server = NULL;
	client_ool = NULL; /* went with the client task */
	sf.service = sf.service_send = sf.reply_port = MACH_PORT_NULL;
	sf.nmade = 0; /* the client's ports went with its task */
	sf_ledger_free(&sf.baseline);
}

int mp_server_fuzz_init(const mp_server_fuzz_config_t *cfg)
{
	mp_diag_t diag;

	if (sf.ready)
		return init_fail("already initialised (once per process)", 0);
	if (cfg == NULL || cfg->demux == NULL || cfg->subsystem == NULL)
		return init_fail("a config needs a demux and a subsystem", 0);
	if (cfg->mode != MP_SERVER_FUZZ_GENERATED && cfg->mode != MP_SERVER_FUZZ_RAW)
		return init_fail("an unknown mode (MP_SERVER_FUZZ_GENERATED or _RAW)", (int)cfg->mode);
	memset(&diag, 0, sizeof diag);
	if (mp_spec_validate(cfg->subsystem, &diag) != MP_OK) {
		fprintf(stderr, "machports-server-fuzz: init: the subsystem's spec: %s\n", diag.reason);
		return -1;
	}
	for (uint32_t i = 0; i < cfg->nsetup_requests; i++)
		if (cfg->setup_requests == NULL || mp_spec_routine_for_id(cfg->subsystem, cfg->setup_requests[i].id) == NULL)
			return init_fail("a setup request's id has no routine in the subsystem",
					 cfg->setup_requests ? cfg->setup_requests[i].id : 0);
	sf.cfg = *cfg;
	if (sf.cfg.max_messages == 0)
		sf.cfg.max_messages = DEFAULT_MAX_MESSAGES;
	if (buffers_allocate() != 0) {
		buffers_free();
		return init_fail("no memory for the buffers", MP_KERN_RESOURCE_SHORTAGE);
	}
	if (init_tasks() != 0) {
		fini_tasks();
		buffers_free();
		return -1;
	}
	sf.ready = 1;
	return 0;
}

/* After a finding under a report hook: the server's state is unknown, so
 * both tasks are made again (setup runs again). */
void sf_restart(void)
{
	fini_tasks();
	if (init_tasks() != 0) {
		fprintf(stderr, "machports-server-fuzz: the tasks could not be made again\n");
		abort();
	}
}

void mp_server_fuzz_get_stats(mp_server_fuzz_stats_t *out)
{
	*out = sf.stats;
}

/* ------------------------------------------------------------------------
 * The client: a generated request in send form
 * ------------------------------------------------------------------------ */

/* A received disposition as the sender's: a receive right is moved (from a
 * fresh port of the client's), a send right made, a send-once right made. */
static uint32_t send_disposition(uint32_t received)
{
	switch (received) {
	case MACH_MSG_TYPE_PORT_RECEIVE:
		return MACH_MSG_TYPE_MOVE_RECEIVE;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		return MACH_MSG_TYPE_MAKE_SEND_ONCE;
	case MACH_MSG_TYPE_PORT_SEND:
		return MACH_MSG_TYPE_MAKE_SEND;
	default:
		/* a mutated disposition: one of the three, so the server still
		 * gets a right of some kind */
		return (received % 3u == 0) ? MACH_MSG_TYPE_MOVE_RECEIVE
		       : (received % 3u == 1) ? MACH_MSG_TYPE_MAKE_SEND
					     : MACH_MSG_TYPE_MAKE_SEND_ONCE;
	}
}

/* A fresh port of the client's for a port descriptor (NULL name stays). */
static mach_port_t client_port_for(mach_port_t generated)
{
	mach_port_t name = MACH_PORT_NULL;

	if (generated == MACH_PORT_NULL || sf.nmade >= SF_MAX_MADE)
		return MACH_PORT_NULL;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	sf.made[sf.nmade++] = name;
	return name;
}

static void make_port_desc(mach_msg_port_descriptor_t *d)
{
	d->disposition = send_disposition(d->disposition);
	d->name = client_port_for(d->name);
}

/* An OOL_VOLATILE descriptor (a generator's type mutation) is sent as OOL:
 * libsyscall's mach_msg_destroy skips volatile regions, so every MIG
 * server that refuses one leaks it, whatever its code (not the server's
 * bug, and the LEAK rule would report it). */
static void make_ool_desc(mach_msg_ool_descriptor_t *d, mp_spec_gen_t *g)
{
	uint8_t *buf = client_ool != NULL ? client_ool : sf.ool_pool;

	d->type = MACH_MSG_OOL_DESCRIPTOR;
	if (d->size > SF_OOL_POOL)
		d->size = SF_OOL_POOL;
	sf_ool_fill(g, buf, d->size, &ool_dirty);
	d->address = buf;
	d->deallocate = FALSE;
	d->copy = MACH_MSG_VIRTUAL_COPY;
}

/* OOL ports: an array of fresh client ports, each sent with the
 * descriptor's disposition made a sender's (MOVE_RECEIVE, MAKE_SEND,
 * MAKE_SEND_ONCE), as port descriptors are; the count is cut to
 * SF_OOL_PORTS_MAX; past SF_OOL_PORTS_DESCS descriptors the names are
 * null. */
static void make_ool_ports_desc(mach_msg_ool_ports_descriptor_t *d)
{
	static const mach_port_t no_names[SF_OOL_PORTS_MAX];
	mach_port_t *names;

	if (d->count > SF_OOL_PORTS_MAX)
		d->count = SF_OOL_PORTS_MAX;
	d->disposition = send_disposition(d->disposition);
	d->deallocate = FALSE;
	d->copy = MACH_MSG_PHYSICAL_COPY;
	if (sf.nool_ports >= SF_OOL_PORTS_DESCS) {
		d->address = (void *)no_names;
		return;
	}
	names = sf.ool_names[sf.nool_ports++];
	for (uint32_t k = 0; k < d->count; k++)
		names[k] = client_port_for(1);
	d->address = names;
}

/* Walks the descriptors of the message in sf.send as the kernel will (the
 * body's count, each descriptor by its type) and makes each real. */
static void make_descriptors(uint32_t size, mp_spec_gen_t *g)
{
	mach_msg_header_t *h = (mach_msg_header_t *)sf.send;
	uint32_t count, off = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t);

	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || size < off)
		return;
	count = ((mach_msg_body_t *)(sf.send + sizeof *h))->msgh_descriptor_count;
	for (uint32_t i = 0; i < count && off + sizeof(mach_msg_port_descriptor_t) <= size; i++) {
		mach_msg_type_descriptor_t *t = (mach_msg_type_descriptor_t *)(sf.send + off);
		uint32_t wire = t->type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t)
								     : sizeof(mach_msg_ool_descriptor_t);

		if (off + wire > size)
			break;
		if (t->type == MACH_MSG_PORT_DESCRIPTOR)
			make_port_desc((mach_msg_port_descriptor_t *)t);
		else if (t->type == MACH_MSG_OOL_DESCRIPTOR || t->type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR)
			make_ool_desc((mach_msg_ool_descriptor_t *)t, g);
		else if (t->type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			make_ool_ports_desc((mach_msg_ool_ports_descriptor_t *)t);
		off += wire;
	}
}

/* The header a MIG user stub writes: COPY_SEND to the service, and for a
 * routine (or an id outside the subsystem) a MAKE_SEND_ONCE of the
 * client's reply port. */
static void make_header(const mp_spec_routine_t *rt, uint32_t size)
{
	mach_msg_header_t *h = (mach_msg_header_t *)sf.send;
	int wants_reply = rt == NULL || rt->kind == MP_SPEC_ROUTINE;

	h->msgh_bits = (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) |
		       MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, wants_reply ? MACH_MSG_TYPE_MAKE_SEND_ONCE : 0);
	h->msgh_size = size;
	h->msgh_remote_port = sf.service_send;
	h->msgh_local_port = wants_reply ? sf.reply_port : MACH_PORT_NULL;
	h->msgh_voucher_port = MACH_PORT_NULL;
}

/* Generated mode: lib/spec's generator writes a received-form request
 * (any routine, sometimes an id outside the subsystem, VALID or EDGE; or a
 * VALID one for `forced`, a setup request); its message part becomes the
 * send form. Returns its size, 0 if none. */
static uint32_t request_generated(mp_spec_gen_t *g, const mp_spec_routine_t *forced, int32_t *id)
{
	size_t len = mp_spec_gen_request(g, sf.cfg.subsystem, forced, forced ? MP_SPEC_GEN_VALID : MP_SPEC_GEN_ANY,
					 sf.gen, sf.cap, NULL);
	uint32_t size;

	if (len < sizeof(mach_msg_header_t))
		return 0;
	size = ((mach_msg_header_t *)sf.gen)->msgh_size;
	if (size > len || size < sizeof(mach_msg_header_t) || (size & 3u) != 0)
		return 0;
	sf_values_use(&sf.values, g, sf.cfg.subsystem, sf.gen, len);
	memcpy(sf.send, sf.gen, size);
	*id = ((mach_msg_header_t *)sf.send)->msgh_id;
	return size;
}

/* Raw mode: a routine's id and the input's next bytes as the body. */
static uint32_t request_raw(mp_spec_gen_t *g, int32_t *id)
{
	const mp_spec_subsystem_t *ss = sf.cfg.subsystem;
	mach_msg_header_t *h = (mach_msg_header_t *)sf.send;
	uint32_t body_max = (ss->max_request_size - (uint32_t)sizeof *h) / 4u + 1u;
	uint32_t words = mp_spec_gen_below(g, body_max + 1u);

	memset(h, 0, sizeof *h);
	h->msgh_id = ss->base + (int32_t)mp_spec_gen_below(g, ss->nroutines + 1u);
	for (uint32_t i = 0; i < words * 4u; i++)
		sf.send[sizeof *h + i] = (uint8_t)mp_spec_gen_below(g, 256);
	*id = h->msgh_id;
	return (uint32_t)sizeof *h + words * 4u;
}

/* Releases what the client made for the input: each fresh port that
 * still holds its receive right there (a moved one is the server's). It
 * runs once, after the teardown's check: a right the server keeps between
 * requests (a callback's send right, a send-once right it has not used)
 * stays a live right to a live port for the whole input, as a real
 * client's would, so a later request that releases or moves it acts on a
 * real right and a leaked one is seen as what it is, not as a dead name. */
static void client_cleanup(void)
{
	mp_task_t *client = mp_compat_port_task(sf.client);

	for (uint32_t i = 0; i < sf.nmade; i++) {
		mp_port_type_t type = 0;

		if (mp_port_type(client, sf.made[i], &type) == MP_KERN_SUCCESS && (type & MP_PORT_TYPE_RECEIVE))
			(void)mp_port_destroy(client, sf.made[i]);
	}
	sf.nmade = 0;
}

/* Builds and sends one request from the client task. */
static mach_msg_return_t client_send(mp_spec_gen_t *g, const mp_spec_routine_t *forced, int32_t *id,
				     const mp_spec_routine_t **rt)
{
	uint32_t size = sf.cfg.mode == MP_SERVER_FUZZ_RAW && forced == NULL ? request_raw(g, id)
									    : request_generated(g, forced, id);

	if (size == 0)
		return MACH_SEND_MSG_TOO_SMALL;
	*rt = mp_spec_routine_for_id(sf.cfg.subsystem, *id);
	make_header(*rt, size);
	make_descriptors(size, g);
	return mach_msg((mach_msg_header_t *)sf.send, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/* ------------------------------------------------------------------------
 * The client: the reply
 * ------------------------------------------------------------------------ */

/* mig_reply_error_t with a code (what a MIG server sends for an error). */
static int is_error_reply(const mach_msg_header_t *h, int32_t request_id)
{
	const mig_reply_error_t *e = (const mig_reply_error_t *)h;

	return !(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) && h->msgh_size == sizeof(mig_reply_error_t) &&
	       (uint32_t)h->msgh_id == (uint32_t)request_id + 100u && /* any id: no int overflow */
	       e->RetCode != KERN_SUCCESS;
}

/* MIG's user-side check of a reply (mp_spec_check_reply); an error reply
 * passes; an id outside the subsystem must get an error reply. */
static int reply_ok(const mach_msg_header_t *h, size_t len, const mp_spec_routine_t *rt, int32_t id,
		    char *why, size_t why_len)
{
	mp_spec_view_t view;
	mp_spec_diag_t diag;
	int32_t code;

	if (rt == NULL) {
		if (is_error_reply(h, id))
			return 1;
		snprintf(why, why_len, "a request with no routine (id %d) got a reply that is not an error reply", id);
		return 0;
	}
	/* no diagnosis first: an error reply "fails" the spec with its own
	 * code, and the diagnosis's text costs more than the check */
	code = mp_spec_check_reply(rt, h, len, MP_SPEC_MIG, &view, NULL);
	if (code == MP_MIG_SUCCESS) {
		sf_values_keep(&sf.values, &view);
		return 1;
	}
	if (is_error_reply(h, id) && code == ((const mig_reply_error_t *)h)->RetCode)
		return 1;
	memset(&diag, 0, sizeof diag);
	code = mp_spec_check_reply(rt, h, len, MP_SPEC_MIG, NULL, &diag);
	snprintf(why, why_len, "the reply fails its spec: %s (%.96s)", mp_mig_code_name(code), diag.reason);
	return 0;
}

/* Receives whatever came back to the client's reply port (the reply, or
 * the send-once notification of a reply right destroyed) and checks a
 * reply; every message is destroyed. 0, or the BAD_REPLY finding made. */
static int client_receive_replies(const mp_spec_routine_t *rt, int32_t id)
{
	for (;;) {
		mach_msg_header_t *h = (mach_msg_header_t *)sf.client_rcv;
		mach_msg_return_t mr = mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0,
						(mach_msg_size_t)sf.cap, sf.reply_port, 0, MACH_PORT_NULL);
		char why[160];

		if (mr != MACH_MSG_SUCCESS)
			return 0; /* MACH_RCV_TIMED_OUT: nothing more */
		if (h->msgh_id != MACH_NOTIFY_SEND_ONCE) {
			sf.stats.replies_checked++;
			if (!reply_ok(h, h->msgh_size, rt, id, why, sizeof why)) {
				mach_msg_destroy(h);
				return sf_finding(MP_SF_BAD_REPLY, MACH_PORT_NULL, "%s", why);
			}
		}
		mach_msg_destroy(h);
	}
}

/* ------------------------------------------------------------------------
 * The server: one request, as mach_msg_server_once serves it
 * ------------------------------------------------------------------------ */

/* MACH_RCV_TRAILER_ELEMENTS for the last element the routine asks for
 * (the mp_spec_trailer_elem_t values are the MACH_RCV_TRAILER_* ones). */
static mach_msg_option_t trailer_options(const mp_spec_routine_t *rt)
{
	unsigned elems = 0;

	for (unsigned i = 0; rt != NULL && i < rt->ntrailer; i++)
		if (rt->trailer[i] > elems)
			elems = rt->trailer[i];
	if (sf.cfg.identity.chosen && elems < MACH_RCV_TRAILER_AUDIT)
		elems = MACH_RCV_TRAILER_AUDIT;
	return MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(elems);
}

/* The chosen identity in the received trailer: the security token
 * (euid, egid) and the audit token, where the trailer has them. */
static void apply_identity(void)
{
	const mp_server_fuzz_identity_t *id = &sf.cfg.identity;
	mach_msg_header_t *h = (mach_msg_header_t *)sf.rcv;
	mach_msg_audit_trailer_t *t = (mach_msg_audit_trailer_t *)(sf.rcv + round_msg(h->msgh_size));

	if (!id->chosen)
		return;
	if (t->msgh_trailer_size >= offsetof(mach_msg_audit_trailer_t, msgh_audit)) {
		t->msgh_sender.val[0] = id->euid;
		t->msgh_sender.val[1] = id->egid;
	}
	if (t->msgh_trailer_size >= sizeof(mach_msg_audit_trailer_t)) {
		uint32_t v[8] = { id->auid, id->euid, id->egid, id->ruid, id->rgid, id->pid, id->asid, id->pidversion };

		memcpy(t->msgh_audit.val, v, sizeof v);
	}
}

static mach_msg_return_t server_receive(const mp_spec_routine_t *rt)
{
	mach_msg_return_t mr = mach_msg((mach_msg_header_t *)sf.rcv, MACH_RCV_MSG | MACH_RCV_TIMEOUT | trailer_options(rt),
					0, (mach_msg_size_t)sf.cap, sf.service, 0, MACH_PORT_NULL);

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	apply_identity();
	sf.last_request_len = ((mach_msg_header_t *)sf.rcv)->msgh_size;
	memcpy(sf.last_request, sf.rcv, sf.last_request_len);
	return mr;
}

/* The demux, the runtime's rule on its code and the reply's send, with
 * the oracle between the steps. 0, or the finding made. */
static int server_serve(void)
{
	mach_msg_header_t *request = (mach_msg_header_t *)sf.rcv, *reply = (mach_msg_header_t *)sf.reply;
	mach_msg_return_t mr;
	int32_t code;
	int found;

	if ((found = sf_oracle_before_demux()) != 0)
		return found;
	memset(reply, 0, sizeof *reply);
	(void)sf.cfg.demux(request, reply);
	sf.stats.requests_served++;
	if ((found = sf_oracle_after_demux()) != 0)
		return found;
	code = mp_compat_mig_apply_return_code(request, reply);
	sf.code = code;
	if ((found = sf_oracle_guard_events("the runtime's destroy of the request")) != 0)
		return found;
	mr = mp_compat_mig_send_reply(reply, 0);
	if (mr != MACH_MSG_SUCCESS)
		return sf_finding(MP_SF_BAD_REPLY, reply->msgh_remote_port,
				  "the kernel refused the reply: %s (0x%x); routine returned %s",
				  mach_error_string(mr), (unsigned)mr, sf_code_name(code));
	return sf_oracle_after_reply();
}

/* ------------------------------------------------------------------------
 * One input
 * ------------------------------------------------------------------------ */

/* One request (a fuzzed one, or a setup request for `forced`): sent by
 * the client, served by the server, the reply received by the client. 0,
 * or the finding made. */
static int one_request(mp_spec_gen_t *g, const mp_spec_routine_t *forced)
{
	const mp_spec_routine_t *rt = NULL;
	mach_msg_return_t mr;
	int32_t id = 0;
	int found = 0;

	(void)mp_compat_set_current(sf.client);
	sf.nool_ports = 0;
	mr = client_send(g, forced, &id, &rt);
	sf.routine = rt;
	sf.id = id;
	if (mr != MACH_MSG_SUCCESS) {
		/* the kernel refused the request (a mutated header or
		 * descriptor): not the server's business; the ports made for it
		 * go with the input's */
		sf.stats.requests_refused++;
		return 0;
	}
	sf.stats.requests_sent++;
	(void)mp_compat_set_current(sf.server);
	mr = server_receive(rt);
	if (mr == MACH_MSG_SUCCESS)
		found = server_serve();
	(void)mp_compat_set_current(sf.client);
	if (found == 0)
		found = client_receive_replies(rt, id);
	if (found == 0) {
		(void)mp_compat_set_current(sf.server);
		found = sf_oracle_after_request();
	}
	return found;
}

/* The config's setup requests, first in every input. */
static int setup_requests(void)
{
	int found = 0;

	for (uint32_t i = 0; i < sf.cfg.nsetup_requests && found == 0; i++) {
		const mp_server_fuzz_setup_request_t *s = &sf.cfg.setup_requests[i];
		mp_spec_gen_t g;

		mp_spec_gen_init(&g, s->seed, s->seed_len);
		found = one_request(&g, mp_spec_routine_for_id(sf.cfg.subsystem, s->id));
	}
	return found;
}

static void run_teardown(void)
{
	mp_compat_task_t *prev = mp_compat_set_current(sf.server);

	if (sf.cfg.teardown != NULL)
		sf.cfg.teardown(sf.cfg.ctx);
	(void)mp_compat_set_current(prev);
}

int mp_server_fuzz_one(const uint8_t *data, size_t size)
{
	mp_compat_task_t *prev;
	mp_spec_gen_t g;
	uint32_t n;
	int found = 0;

	if (!sf.ready) {
		fprintf(stderr, "machports-server-fuzz: mp_server_fuzz_one before mp_server_fuzz_init\n");
		abort();
	}
	/* In a child of fork() (AFL++'s fork server may fork after init) the
	 * parent's tasks do not exist (machports/compat.h): make them again. */
	if (mp_compat_port_task(sf.server) == NULL || mp_compat_port_task(sf.client) == NULL)
		sf_restart();
	prev = mp_compat_current();
	sf.stats.inputs++;
	sf.after_teardown = 0;
	sf.values.n = 0;
	mp_spec_gen_init(&g, data, size);
	n = 1u + mp_spec_gen_below(&g, sf.cfg.max_messages);
	sf.message = 0;
	found = setup_requests();
	for (sf.message = 0; sf.message < n && found == 0; sf.message++)
		found = one_request(&g, NULL);
	if (found == 0) {
		run_teardown();
		found = sf_oracle_after_teardown();
	}
	(void)mp_compat_set_current(sf.client);
	client_cleanup();
	(void)mp_compat_set_current(prev);
	if (found != 0)
		sf_restart();
	return found;
}
