/*
 * fuzz/servers/session/session_server.c: the session service (session.defs)
 * written by hand the way MIG writes a server: request and reply structs
 * packed under __MigPackStructs, per-routine stubs doing the checks
 * migcom's __MIG_check__Request__* do (msgh_size, complex bit, descriptor
 * count, descriptor type and disposition, OOL size against its count, the
 * string's NUL), the subsystem struct with its routine table, the demux.
 * Only Apple's API (<mach/mach.h>, <mach/mig.h>).
 *
 * Ownership (MIG's rule, libsyscall mach_msg_server_once): a routine that
 * returns KERN_SUCCESS (or MIG_NO_REPLY) owns what the request brought; any
 * other code and the runtime destroys the request (mach_msg_destroy), so
 * the routine must not have released any of it. The clean server follows
 * the rule: an error leaves the request untouched, a success stores the
 * right / region in the session (releasing what it replaces), and
 * close_session and the teardown release what a session holds.
 *
 * Planted bugs, one per build flag (fuzz/servers/README.md has the trigger
 * sequences):
 *   PLANT_RELEASE_THEN_ERROR  register_callback (put_data) on an unknown
 *                             session deallocates the right (the region),
 *                             then fails;
 *   PLANT_LEAK                register_callback replaces a callback
 *                             without releasing the old right;
 *   PLANT_USE_AFTER_RELEASE   close_session moves the callback right into
 *                             its "closed" notice, then deallocates the
 *                             name it no longer holds;
 *   PLANT_BAD_REPLY           set_name with an empty name replies with the
 *                             request's msgh_id (not id + 100);
 *   PLANT_SONCE_DANGLING      notify_me on a session with no callback
 *                             returns KERN_SUCCESS without using or
 *                             destroying the send-once right.
 */
#include "session_server.h"

#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <string.h>

/* ---- the messages (MIG's Request / Reply structs) ---- */

#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
typedef struct {
	mach_msg_header_t Head;
} open_session_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int session;
} open_session_reply_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int session;
	char name[SESSION_NAME_MAX];
} set_name_request_t;

typedef struct {
	mach_msg_header_t Head;
	/* start of the kernel processed data */
	mach_msg_body_t msgh_body;
	mach_msg_ool_descriptor_t data;
	/* end of the kernel processed data */
	NDR_record_t NDR;
	int session;
	mach_msg_type_number_t dataCnt;
} put_data_request_t;

/* register_callback, take_port and notify_me: one port descriptor and the
 * session; they differ in the disposition the descriptor must carry. */
typedef struct {
	mach_msg_header_t Head;
	/* start of the kernel processed data */
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
	/* end of the kernel processed data */
	NDR_record_t NDR;
	int session;
} port_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int session;
} close_session_request_t;

/* What the server sends through a callback or a send-once right. */
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int session;
} session_notice_t;
#ifdef __MigPackStructs
#pragma pack(pop)
#endif

union session_request_union {
	open_session_request_t open_session;
	set_name_request_t set_name;
	put_data_request_t put_data;
	port_request_t port;
	close_session_request_t close_session;
};

union session_reply_union {
	open_session_reply_t open_session;
	mig_reply_error_t error;
};

_Static_assert(sizeof(set_name_request_t) == 100, "set_name request: 100 bytes (the spec's size)");
_Static_assert(sizeof(put_data_request_t) == 60, "put_data request: 60 bytes");
_Static_assert(sizeof(port_request_t) == 52, "port requests: 52 bytes");
_Static_assert(SESSION_MAX_REQUEST_SIZE >= sizeof(union session_request_union) + MAX_TRAILER_SIZE,
	       "receive buffer holds the largest request and trailer");

/* ---- the server's state ---- */

struct session {
	int open;
	char name[SESSION_NAME_MAX];
	vm_address_t data; /* the last put_data region (owned), or 0 */
	vm_size_t data_size;
	mach_port_t callback; /* send right (owned), or MACH_PORT_NULL */
	mach_port_t taken;    /* receive right (owned), or MACH_PORT_NULL */
};

static struct session g_sessions[SESSION_MAX_SESSIONS];

/* Session numbers start at 1: 0 is never a session. */
static struct session *session_lookup(int session)
{
	if (session < 1 || session > SESSION_MAX_SESSIONS || !g_sessions[session - 1].open)
		return NULL;
	return &g_sessions[session - 1];
}

int session_server_open_count(void)
{
	int n = 0;
	for (int i = 0; i < SESSION_MAX_SESSIONS; i++)
		n += g_sessions[i].open;
	return n;
}

/* A fire-and-forget notice: never blocks the server on a full queue. */
static kern_return_t send_notice(mach_port_t port, mach_msg_type_name_t disposition, mach_msg_id_t id, int session)
{
	session_notice_t note;
	memset(&note, 0, sizeof note);
	note.Head.msgh_bits = MACH_MSGH_BITS(disposition, 0);
	note.Head.msgh_size = (mach_msg_size_t)sizeof note;
	note.Head.msgh_remote_port = port;
	note.Head.msgh_id = id;
	note.NDR = NDR_record;
	note.session = session;
	return mach_msg(&note.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, (mach_msg_size_t)sizeof note, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static void release_data(struct session *s)
{
	if (s->data_size != 0)
		(void)vm_deallocate(mach_task_self(), s->data, s->data_size);
	s->data = 0;
	s->data_size = 0;
}

static void release_callback(struct session *s)
{
	if (s->callback != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), s->callback);
	s->callback = MACH_PORT_NULL;
}

static void release_taken(struct session *s)
{
	if (s->taken != MACH_PORT_NULL)
		(void)mach_port_mod_refs(mach_task_self(), s->taken, MACH_PORT_RIGHT_RECEIVE, -1);
	s->taken = MACH_PORT_NULL;
}

/* ---- the routines (what session.defs declares; written by hand) ---- */

static kern_return_t open_session_impl(mach_port_t server, int *session)
{
	(void)server;
	for (int i = 0; i < SESSION_MAX_SESSIONS; i++) {
		if (!g_sessions[i].open) {
			memset(&g_sessions[i], 0, sizeof g_sessions[i]);
			g_sessions[i].open = 1;
			*session = i + 1;
			return KERN_SUCCESS;
		}
	}
	return KERN_RESOURCE_SHORTAGE;
}

static kern_return_t set_name_impl(mach_port_t server, int session, const char *name)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL)
		return KERN_INVALID_ARGUMENT;
	/* the stub checked the NUL within SESSION_NAME_MAX bytes */
	memcpy(s->name, name, strlen(name) + 1);
	return KERN_SUCCESS;
}

/* Keeps the region (dealloc: it is the server's now), replacing the last. */
static kern_return_t put_data_impl(mach_port_t server, int session, vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL) {
#ifdef PLANT_RELEASE_THEN_ERROR
		/* PLANTED: the region is freed, then the error makes the runtime
		 * destroy the request: the region is deallocated twice. */
		(void)vm_deallocate(mach_task_self(), data, dataCnt);
#endif
		return KERN_INVALID_ARGUMENT;
	}
	if (dataCnt > SESSION_MAX_DATA)
		return KERN_INVALID_VALUE;
	release_data(s);
	s->data = data;
	s->data_size = dataCnt;
	return KERN_SUCCESS;
}

static kern_return_t register_callback_impl(mach_port_t server, int session, mach_port_t port)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL) {
#ifdef PLANT_RELEASE_THEN_ERROR
		/* PLANTED: "not ours, drop it" -- but the error makes the runtime
		 * destroy the request, so the right is released twice. */
		(void)mach_port_deallocate(mach_task_self(), port);
#endif
		return KERN_INVALID_ARGUMENT;
	}
#ifdef PLANT_LEAK
	/* PLANTED: the previous callback's right is overwritten, never released. */
	s->callback = port;
#else
	release_callback(s);
	s->callback = port;
#endif
	return KERN_SUCCESS;
}

static kern_return_t take_port_impl(mach_port_t server, int session, mach_port_t port)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL)
		return KERN_INVALID_ARGUMENT;
	release_taken(s);
	s->taken = port;
	return KERN_SUCCESS;
}

/* Answers through the send-once right at once: the session's number. */
static kern_return_t notify_me_impl(mach_port_t server, int session, mach_port_t sonce)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL)
		return KERN_INVALID_ARGUMENT; /* the runtime destroys the right */
#ifdef PLANT_SONCE_DANGLING
	/* PLANTED: "nobody registered, nothing to say" -- the send-once right
	 * is neither used nor destroyed. */
	if (s->callback == MACH_PORT_NULL)
		return KERN_SUCCESS;
#endif
	(void)send_notice(sonce, MACH_MSG_TYPE_MOVE_SEND_ONCE, SESSION_NOTIFY_ID, session);
	return KERN_SUCCESS;
}

static void close_one(struct session *s, int session)
{
	if (s->callback != MACH_PORT_NULL) {
#ifdef PLANT_USE_AFTER_RELEASE
		/* PLANTED: the notice moves the right out (the send consumes it),
		 * then the name is released as if it were still held. */
		(void)send_notice(s->callback, MACH_MSG_TYPE_MOVE_SEND, SESSION_CLOSED_ID, session);
		release_callback(s);
#else
		(void)send_notice(s->callback, MACH_MSG_TYPE_COPY_SEND, SESSION_CLOSED_ID, session);
		release_callback(s);
#endif
	}
	release_data(s);
	release_taken(s);
	memset(s, 0, sizeof *s);
}

static kern_return_t close_session_impl(mach_port_t server, int session)
{
	(void)server;
	struct session *s = session_lookup(session);
	if (s == NULL)
		return KERN_INVALID_ARGUMENT;
	close_one(s, session);
	return KERN_SUCCESS;
}

void session_server_teardown(void)
{
	for (int i = 0; i < SESSION_MAX_SESSIONS; i++) {
		if (g_sessions[i].open)
			close_one(&g_sessions[i], i + 1);
	}
}

/* ---- the server stubs (MIG's _X routines) ---- */

/* MIG's __MIG_check__Request__*_t head check (WriteCheckHead): size and
 * complex bit; a complex request also its descriptor count. */
static int request_head_ok(const mach_msg_header_t *in, mach_msg_size_t size, mach_msg_size_t descriptors)
{
	int complex = (in->msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0;
	if (in->msgh_size != size || complex != (descriptors != 0))
		return 0;
	return descriptors == 0 || ((const mach_msg_base_t *)in)->body.msgh_descriptor_count == descriptors;
}

static void reply_error(mach_msg_header_t *out, kern_return_t code)
{
	mig_reply_error_t *e = (mig_reply_error_t *)out;
	e->NDR = NDR_record;
	e->RetCode = code;
}

static void _Xopen_session(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	open_session_reply_t *OutP = (open_session_reply_t *)OutHeadP;
	if (!request_head_ok(InHeadP, sizeof(open_session_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	OutP->RetCode = open_session_impl(InHeadP->msgh_local_port, &OutP->session);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(open_session_reply_t);
}

static void _Xset_name(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	set_name_request_t *In0P = (set_name_request_t *)InHeadP;
	if (!request_head_ok(InHeadP, sizeof(set_name_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	/* WriteStringTerminatorCheck: a NUL within the string's bytes */
	if (memchr(In0P->name, 0, sizeof In0P->name) == NULL) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	reply_error(OutHeadP, set_name_impl(In0P->Head.msgh_local_port, In0P->session, In0P->name));
#ifdef PLANT_BAD_REPLY
	/* PLANTED: the "reset the name" path answers with the request's id. */
	if (In0P->name[0] == '\0')
		OutHeadP->msgh_id = InHeadP->msgh_id;
#endif
}

static void _Xput_data(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	put_data_request_t *In0P = (put_data_request_t *)InHeadP;
	if (!request_head_ok(InHeadP, sizeof(put_data_request_t), 1)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	/* WriteTypeCheck, then WriteOOLSizeCheck */
	if (In0P->data.type != MACH_MSG_OOL_DESCRIPTOR || In0P->data.size != In0P->dataCnt) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	reply_error(OutHeadP, put_data_impl(In0P->Head.msgh_local_port, In0P->session,
					    (vm_offset_t)In0P->data.address, In0P->dataCnt));
}

/* The port requests' check: one port descriptor of the received
 * `disposition` (WriteTypeCheck's type and disposition test). */
static port_request_t *port_request(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP,
				    mach_msg_type_name_t disposition)
{
	port_request_t *In0P = (port_request_t *)InHeadP;
	if (!request_head_ok(InHeadP, sizeof(port_request_t), 1)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return NULL;
	}
	if (In0P->port.type != MACH_MSG_PORT_DESCRIPTOR || In0P->port.disposition != disposition) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return NULL;
	}
	return In0P;
}

static void _Xregister_callback(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	port_request_t *In0P = port_request(InHeadP, OutHeadP, MACH_MSG_TYPE_PORT_SEND);
	if (In0P != NULL)
		reply_error(OutHeadP, register_callback_impl(In0P->Head.msgh_local_port, In0P->session, In0P->port.name));
}

static void _Xtake_port(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	port_request_t *In0P = port_request(InHeadP, OutHeadP, MACH_MSG_TYPE_PORT_RECEIVE);
	if (In0P != NULL)
		reply_error(OutHeadP, take_port_impl(In0P->Head.msgh_local_port, In0P->session, In0P->port.name));
}

/* A simpleroutine: the code goes into RetCode; the request has no reply
 * port, so mach_msg_server sends nothing (and destroys the request if the
 * code is an error). */
static void _Xnotify_me(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	port_request_t *In0P = port_request(InHeadP, OutHeadP, MACH_MSG_TYPE_PORT_SEND_ONCE);
	if (In0P != NULL)
		reply_error(OutHeadP, notify_me_impl(In0P->Head.msgh_local_port, In0P->session, In0P->port.name));
}

static void _Xclose_session(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	close_session_request_t *In0P = (close_session_request_t *)InHeadP;
	if (!request_head_ok(InHeadP, sizeof(close_session_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	reply_error(OutHeadP, close_session_impl(In0P->Head.msgh_local_port, In0P->session));
}

/* ---- the demux (MIG's subsystem struct, session_server_routine, session_server) ---- */

static const struct session_subsystem {
	mig_server_routine_t server;
	mach_msg_id_t start;
	mach_msg_id_t end;
	unsigned int maxsize;
	vm_address_t reserved;
	struct routine_descriptor routine[SESSION_ROUTINES];
} session_subsystem = {
	session_server_routine,
	SESSION_BASE,
	SESSION_BASE + SESSION_ROUTINES,
	(mach_msg_size_t)sizeof(union session_reply_union),
	(vm_address_t)0,
	{
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xopen_session, 2, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(open_session_reply_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xset_name, 3, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xput_data, 4, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xregister_callback, 3, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xtake_port, 3, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xnotify_me, 3, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xclose_session, 2, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
	}
};

mig_routine_t session_server_routine(mach_msg_header_t *InHeadP)
{
	/* unsigned: MIG writes these in int, which overflows for an id near
	 * INT_MIN or INT_MAX (found by UBSan under scripts/fuzz) */
	uint32_t msgh_id = (uint32_t)InHeadP->msgh_id - (uint32_t)SESSION_BASE;
	if (msgh_id >= SESSION_ROUTINES)
		return 0;
	return session_subsystem.routine[msgh_id].stub_routine;
}

boolean_t session_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	mig_routine_t routine;
	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port; /* the reply port, after receive */
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100u);
	OutHeadP->msgh_voucher_port = MACH_PORT_NULL;
	if ((routine = session_server_routine(InHeadP)) == 0) {
		reply_error(OutHeadP, MIG_BAD_ID);
		return FALSE;
	}
	(*routine)(InHeadP, OutHeadP);
	return TRUE;
}
