/*
 * lib/compat/examples/mig_shaped.c: a MIG server and its client, written by
 * hand the way MIG writes them (request and reply structs packed under
 * __MigPackStructs, NDR_record, a subsystem struct with a routine table and a
 * demux, user stubs that send and receive in one mach_msg on
 * mig_get_reply_port() and check the reply with the MIG_* codes), only
 * against Apple's API. The server is a second thread of the same task,
 * answering through mach_msg_server_once.
 *
 * The subsystem "calc" (base 4200), as a .defs would say it:
 *   routine       calc_add(server; a: int; b: int; out sum: int);
 *   routine       calc_give(server; port: mach_port_move_send_t;
 *                           data: pointer_t; out checksum: uint32_t);
 *   simpleroutine calc_note(server; value: int);
 *   routine       calc_fail(server; port: mach_port_move_send_t);
 * calc_give's server sends a message through the right it received, so the
 * client sees the right work; calc_fail returns KERN_FAILURE, so the MIG
 * runtime (mach_msg_server_once) destroys the request and the moved send
 * right goes away; an id outside the subsystem gets MIG_BAD_ID; a request
 * destroyed without a reply gets MIG_SERVER_DIED.
 *
 * Built on Linux against lib/compat (//lib/compat:mach) and, by
 * scripts/check-darwin-abi, for macOS against the SDK.
 */
#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "example_check.h"

#define CALC_BASE 4200
#define CALC_COUNT 4
#define CALC_NOTIFY_ID 4242 /* what calc_give's server sends through the port */
#define OOL_SIZE 8192

/* ---- the messages (MIG's Request / Reply structs) ---- */

#ifdef __MigPackStructs
#pragma pack(push, 4)
#endif
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int a;
	int b;
} calc_add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int sum;
} calc_add_reply_t;

typedef struct {
	mach_msg_header_t Head;
	/* start of the kernel processed data */
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t data;
	/* end of the kernel processed data */
	NDR_record_t NDR;
	mach_msg_type_number_t dataCnt;
} calc_give_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	uint32_t checksum;
} calc_give_reply_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int value;
} calc_note_request_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
} calc_fail_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} calc_fail_reply_t;

/* What the received requests look like: a trailer may follow. */
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int value;
} calc_unknown_request_t;
#ifdef __MigPackStructs
#pragma pack(pop)
#endif

union calc_request_union {
	calc_add_request_t add;
	calc_give_request_t give;
	calc_note_request_t note;
	calc_fail_request_t fail;
};

union calc_reply_union {
	calc_add_reply_t add;
	calc_give_reply_t give;
	calc_fail_reply_t fail;
	mig_reply_error_t error;
};

/* The buffer mach_msg_server_once needs: the largest request and its
 * largest trailer (MIG's demux size: sizeof the union of requests). */
#define CALC_MAX_SIZE ((mach_msg_size_t)(sizeof(union calc_request_union) + MAX_TRAILER_SIZE))

/* ---- the server's implementation (the .defs' routines) ---- */

static atomic_int g_noted;

static uint32_t checksum_of(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

static kern_return_t calc_add_impl(mach_port_t server, int a, int b, int *sum)
{
	(void)server;
	*sum = a + b;
	return KERN_SUCCESS;
}

/* Uses the right (sends a message through it), then releases what it got:
 * the right and the OOL region now belong to the server. */
static kern_return_t calc_give_impl(mach_port_t server, mach_port_t port, vm_offset_t data,
				    mach_msg_type_number_t dataCnt, uint32_t *checksum)
{
	(void)server;
	mach_msg_header_t note = { 0 };
	note.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	note.msgh_size = sizeof note;
	note.msgh_remote_port = port;
	note.msgh_id = CALC_NOTIFY_ID;
	kern_return_t kr = mach_msg(&note, MACH_SEND_MSG, sizeof note, 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	*checksum = checksum_of((const uint8_t *)data, dataCnt);
	(void)mach_port_deallocate(mach_task_self(), port);
	(void)vm_deallocate(mach_task_self(), data, dataCnt);
	return kr;
}

static kern_return_t calc_note_impl(mach_port_t server, int value)
{
	(void)server;
	atomic_store(&g_noted, value);
	return KERN_SUCCESS;
}

/* Fails: the runtime destroys the request, and the right in it. */
static kern_return_t calc_fail_impl(mach_port_t server, mach_port_t port)
{
	(void)server;
	(void)port;
	return KERN_FAILURE;
}

/* ---- the server stubs (MIG's _X routines) ---- */

/* MIG's __MIG_check__Request__*_t: size and complex bit of a request. */
static int request_shape_ok(const mach_msg_header_t *in, mach_msg_size_t size, int complex)
{
	int is_complex = (in->msgh_bits & MACH_MSGH_BITS_COMPLEX) != 0;
	return in->msgh_size == size && is_complex == complex;
}

static void reply_error(mach_msg_header_t *out, kern_return_t code)
{
	mig_reply_error_t *e = (mig_reply_error_t *)out;
	e->NDR = NDR_record;
	e->RetCode = code;
}

static void _Xcalc_add(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	calc_add_request_t *In0P = (calc_add_request_t *)InHeadP;
	calc_add_reply_t *OutP = (calc_add_reply_t *)OutHeadP;
	if (!request_shape_ok(InHeadP, sizeof(calc_add_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	OutP->RetCode = calc_add_impl(In0P->Head.msgh_local_port, In0P->a, In0P->b, &OutP->sum);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(calc_add_reply_t);
}

static void _Xcalc_give(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	calc_give_request_t *In0P = (calc_give_request_t *)InHeadP;
	calc_give_reply_t *OutP = (calc_give_reply_t *)OutHeadP;
	if (!request_shape_ok(InHeadP, sizeof(calc_give_request_t), 1) || In0P->msgh_body.msgh_descriptor_count != 2 ||
	    In0P->port.type != MACH_MSG_PORT_DESCRIPTOR || In0P->port.disposition != MACH_MSG_TYPE_PORT_SEND ||
	    In0P->data.type != MACH_MSG_OOL_DESCRIPTOR || In0P->data.size != In0P->dataCnt) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	OutP->RetCode = calc_give_impl(In0P->Head.msgh_local_port, In0P->port.name,
				       (vm_offset_t)In0P->data.address, In0P->dataCnt, &OutP->checksum);
	if (OutP->RetCode != KERN_SUCCESS) {
		reply_error(OutHeadP, OutP->RetCode);
		return;
	}
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = (mach_msg_size_t)sizeof(calc_give_reply_t);
}

static void _Xcalc_note(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	calc_note_request_t *In0P = (calc_note_request_t *)InHeadP;
	if (!request_shape_ok(InHeadP, sizeof(calc_note_request_t), 0)) {
		reply_error(OutHeadP, MIG_BAD_ARGUMENTS);
		return;
	}
	(void)calc_note_impl(In0P->Head.msgh_local_port, In0P->value);
	/* a simpleroutine has no reply */
	reply_error(OutHeadP, MIG_NO_REPLY);
}

static void _Xcalc_fail(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	calc_fail_request_t *In0P = (calc_fail_request_t *)InHeadP;
	if (!request_shape_ok(InHeadP, sizeof(calc_fail_request_t), 1) || In0P->msgh_body.msgh_descriptor_count != 1) {
		reply_error(OutHeadP, MIG_TYPE_ERROR);
		return;
	}
	reply_error(OutHeadP, calc_fail_impl(In0P->Head.msgh_local_port, In0P->port.name));
}

/* ---- the demux (MIG's subsystem struct, X_server_routine and X_server) ---- */

static mig_routine_t calc_server_routine(mach_msg_header_t *InHeadP);

static const struct calc_subsystem {
	mig_server_routine_t server;
	mach_msg_id_t start;
	mach_msg_id_t end;
	unsigned int maxsize;
	vm_address_t reserved;
	struct routine_descriptor routine[CALC_COUNT];
} calc_subsystem = {
	calc_server_routine,
	CALC_BASE,
	CALC_BASE + CALC_COUNT,
	(mach_msg_size_t)sizeof(union calc_reply_union),
	(vm_address_t)0,
	{
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xcalc_add, 3, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(calc_add_reply_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xcalc_give, 4, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(calc_give_reply_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xcalc_note, 2, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(mig_reply_error_t) },
		{ (mig_impl_routine_t)0, (mig_stub_routine_t)_Xcalc_fail, 2, 0, (routine_arg_descriptor_t)0,
		  (mach_msg_size_t)sizeof(calc_fail_reply_t) },
	}
};

static mig_routine_t calc_server_routine(mach_msg_header_t *InHeadP)
{
	/* unsigned: in int an id near INT_MIN or INT_MAX overflows */
	uint32_t msgh_id = (uint32_t)InHeadP->msgh_id - (uint32_t)CALC_BASE;
	if (msgh_id >= CALC_COUNT)
		return 0;
	return calc_subsystem.routine[msgh_id].stub_routine;
}

static boolean_t calc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	mig_routine_t routine;
	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port; /* the reply port, after receive */
	OutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = (mach_msg_id_t)((uint32_t)InHeadP->msgh_id + 100u);
	OutHeadP->msgh_voucher_port = MACH_PORT_NULL;
	if ((routine = calc_server_routine(InHeadP)) == 0) {
		reply_error(OutHeadP, MIG_BAD_ID);
		return FALSE;
	}
	(*routine)(InHeadP, OutHeadP);
	return TRUE;
}

/* ---- the user stubs ---- */

/* MIG's __MachMsgErrorWithoutTimeout: the reply port is reused when the
 * send failed before it was touched, replaced otherwise. */
static void reply_port_after_error(mach_msg_return_t mr, mach_port_t reply)
{
	switch (mr) {
	case MACH_SEND_INVALID_DATA:
	case MACH_SEND_INVALID_DEST:
	case MACH_SEND_INVALID_HEADER:
		mig_put_reply_port(reply);
		break;
	default:
		mig_dealloc_reply_port(reply);
	}
}

/* MIG's __MIG_check__Reply__*_t: id, shape, then the server's code. */
static kern_return_t check_reply(const mach_msg_header_t *Out, mach_msg_id_t request_id, mach_msg_size_t size)
{
	const mig_reply_error_t *e = (const mig_reply_error_t *)Out;
	if (Out->msgh_id != request_id + 100) {
		if (Out->msgh_id == MACH_NOTIFY_SEND_ONCE)
			return MIG_SERVER_DIED;
		return MIG_REPLY_MISMATCH;
	}
	if (Out->msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return MIG_TYPE_ERROR;
	if (Out->msgh_size != size &&
	    (Out->msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) || e->RetCode == KERN_SUCCESS))
		return MIG_TYPE_ERROR;
	return e->RetCode;
}

/* The common part of every routine's stub: send the request, receive the
 * reply on the thread's MIG reply port, check it. */
static kern_return_t call(mach_msg_header_t *head, mach_port_t server, mach_msg_id_t id, mach_msg_bits_t complex,
			  mach_msg_size_t request_size, mach_msg_size_t buffer_size, mach_msg_size_t reply_size)
{
	head->msgh_bits = complex | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	head->msgh_remote_port = server;
	head->msgh_local_port = mig_get_reply_port();
	head->msgh_voucher_port = MACH_PORT_NULL;
	head->msgh_id = id;
	mach_port_t reply = head->msgh_local_port;
	mach_msg_return_t mr = mach_msg(head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_MSG_OPTION_NONE, request_size,
					buffer_size, reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		reply_port_after_error(mr, reply);
		return mr;
	}
	kern_return_t kr = check_reply(head, id, reply_size);
	if (kr != KERN_SUCCESS)
		mach_msg_destroy(head);
	return kr;
}

static kern_return_t calc_add(mach_port_t server, int a, int b, int *sum)
{
	union {
		calc_add_request_t In;
		calc_add_reply_t Out;
		mig_reply_error_t Err;
		uint8_t room[sizeof(calc_add_reply_t) + MAX_TRAILER_SIZE];
	} Mess;
	memset(&Mess, 0, sizeof Mess);
	Mess.In.NDR = NDR_record;
	Mess.In.a = a;
	Mess.In.b = b;
	kern_return_t kr = call(&Mess.In.Head, server, CALC_BASE + 0, 0, sizeof(calc_add_request_t), sizeof Mess,
				sizeof(calc_add_reply_t));
	if (kr == KERN_SUCCESS)
		*sum = Mess.Out.sum;
	return kr;
}

static kern_return_t calc_give(mach_port_t server, mach_port_t port, vm_offset_t data, mach_msg_type_number_t dataCnt,
			       uint32_t *checksum)
{
	union {
		calc_give_request_t In;
		calc_give_reply_t Out;
		mig_reply_error_t Err;
		uint8_t room[sizeof(calc_give_reply_t) + MAX_TRAILER_SIZE];
	} Mess;
	memset(&Mess, 0, sizeof Mess);
	Mess.In.msgh_body.msgh_descriptor_count = 2;
	Mess.In.port.name = port;
	Mess.In.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	Mess.In.port.type = MACH_MSG_PORT_DESCRIPTOR;
	Mess.In.data.address = (void *)data;
	Mess.In.data.size = dataCnt;
	Mess.In.data.deallocate = FALSE;
	Mess.In.data.copy = MACH_MSG_VIRTUAL_COPY;
	Mess.In.data.type = MACH_MSG_OOL_DESCRIPTOR;
	Mess.In.NDR = NDR_record;
	Mess.In.dataCnt = dataCnt;
	kern_return_t kr = call(&Mess.In.Head, server, CALC_BASE + 1, MACH_MSGH_BITS_COMPLEX,
				sizeof(calc_give_request_t), sizeof Mess, sizeof(calc_give_reply_t));
	if (kr == KERN_SUCCESS)
		*checksum = Mess.Out.checksum;
	return kr;
}

/* A simpleroutine: send only, no reply port. */
static kern_return_t calc_note(mach_port_t server, int value)
{
	calc_note_request_t In;
	memset(&In, 0, sizeof In);
	In.NDR = NDR_record;
	In.value = value;
	In.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	In.Head.msgh_remote_port = server;
	In.Head.msgh_local_port = MACH_PORT_NULL;
	In.Head.msgh_id = CALC_BASE + 2;
	return mach_msg(&In.Head, MACH_SEND_MSG | MACH_MSG_OPTION_NONE, sizeof In, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static kern_return_t calc_fail(mach_port_t server, mach_port_t port)
{
	union {
		calc_fail_request_t In;
		calc_fail_reply_t Out;
		mig_reply_error_t Err;
		uint8_t room[sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE];
	} Mess;
	memset(&Mess, 0, sizeof Mess);
	Mess.In.msgh_body.msgh_descriptor_count = 1;
	Mess.In.port.name = port;
	Mess.In.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	Mess.In.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return call(&Mess.In.Head, server, CALC_BASE + 3, MACH_MSGH_BITS_COMPLEX, sizeof(calc_fail_request_t),
		    sizeof Mess, sizeof(calc_fail_reply_t));
}

/* A request no routine of the subsystem takes. */
static kern_return_t calc_unknown(mach_port_t server, mach_msg_id_t id)
{
	union {
		calc_unknown_request_t In;
		mig_reply_error_t Err;
		uint8_t room[sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE];
	} Mess;
	memset(&Mess, 0, sizeof Mess);
	Mess.In.NDR = NDR_record;
	return call(&Mess.In.Head, server, id, 0, sizeof(calc_unknown_request_t), sizeof Mess,
		    sizeof(mig_reply_error_t));
}

/* ---- the test: a server thread, the client on the main thread ---- */

static mach_port_t g_server_port; /* receive right + a send right, one name */

struct server_run {
	int requests;
	mach_msg_return_t result;
	pthread_t thread;
};

/* The server thread: answers `requests` messages, one mach_msg_server_once
 * each, and keeps the first failure. */
static void *serve(void *arg)
{
	struct server_run *run = arg;
	run->result = MACH_MSG_SUCCESS;
	for (int i = 0; i < run->requests; i++) {
		mach_msg_return_t mr = mach_msg_server_once(calc_server, CALC_MAX_SIZE, g_server_port,
							    MACH_MSG_OPTION_NONE);
		if (mr != MACH_MSG_SUCCESS && run->result == MACH_MSG_SUCCESS)
			run->result = mr;
	}
	return NULL;
}

static void start_server(struct server_run *run, int requests)
{
	run->requests = requests;
	EXPECT(pthread_create(&run->thread, NULL, serve, run) == 0);
}

static void stop_server(struct server_run *run)
{
	EXPECT(pthread_join(run->thread, NULL) == 0);
	EXPECT_KR(run->result, MACH_MSG_SUCCESS);
}

/* A port the client owns (receive right) with one send right under its name. */
static mach_port_t client_port(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	return p;
}

static boolean_t has_senders(mach_port_t p)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	memset(&st, 0, sizeof st);
	EXPECT_KR(mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt),
		  KERN_SUCCESS);
	return st.mps_srights;
}

static void test_routine_returns_value(void)
{
	struct server_run run;
	int sum = 0;
	start_server(&run, 2);
	EXPECT_KR(calc_add(g_server_port, 40, 2, &sum), KERN_SUCCESS);
	EXPECT(sum == 42);
	EXPECT_KR(calc_add(g_server_port, -7, 7, &sum), KERN_SUCCESS);
	EXPECT(sum == 0);
	stop_server(&run);
}

static void test_routine_takes_right_and_ool(void)
{
	struct server_run run;
	mach_port_t p = client_port();
	vm_address_t data = 0;
	uint32_t checksum = 0;
	EXPECT_KR(vm_allocate(mach_task_self(), &data, OOL_SIZE, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	for (size_t i = 0; i < OOL_SIZE; i++)
		((uint8_t *)data)[i] = (uint8_t)(i * 7 + 3);
	start_server(&run, 1);
	EXPECT_KR(calc_give(g_server_port, p, data, OOL_SIZE, &checksum), KERN_SUCCESS);
	stop_server(&run);
	EXPECT(checksum == checksum_of((const uint8_t *)data, OOL_SIZE));
	/* the right worked: the server's message waits on p */
	struct {
		mach_msg_header_t head;
		mach_msg_trailer_t trailer;
	} note;
	memset(&note, 0, sizeof note);
	EXPECT_KR(mach_msg(&note.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof note, p, 1000, MACH_PORT_NULL),
		  MACH_MSG_SUCCESS);
	EXPECT(note.head.msgh_id == CALC_NOTIFY_ID);
	/* and the server released it: no send right is left anywhere */
	EXPECT(!has_senders(p));
	EXPECT_KR(vm_deallocate(mach_task_self(), data, OOL_SIZE), KERN_SUCCESS);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

static void test_simpleroutine(void)
{
	struct server_run run;
	int sum = 0;
	start_server(&run, 2);
	EXPECT_KR(calc_note(g_server_port, 1234), MACH_MSG_SUCCESS);
	/* requests are answered in order: after this reply, the note was handled */
	EXPECT_KR(calc_add(g_server_port, 1, 1, &sum), KERN_SUCCESS);
	stop_server(&run);
	EXPECT(atomic_load(&g_noted) == 1234);
}

/* libsyscall mach_msg_server_once: a complex request whose routine returns
 * neither KERN_SUCCESS nor MIG_NO_REPLY is destroyed (mach_msg_destroy), so
 * the send right it carried is released; the error goes back as the reply. */
static void test_routine_error_destroys_request(void)
{
	struct server_run run;
	mach_port_t p = client_port();
	start_server(&run, 1);
	EXPECT(has_senders(p));
	EXPECT_KR(calc_fail(g_server_port, p), KERN_FAILURE);
	stop_server(&run);
	EXPECT(!has_senders(p));
	mach_port_type_t type = 0;
	EXPECT_KR(mach_port_type(mach_task_self(), p, &type), KERN_SUCCESS);
	EXPECT(type == MACH_PORT_TYPE_RECEIVE);
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

static void test_unknown_id(void)
{
	struct server_run run;
	start_server(&run, 2);
	EXPECT_KR(calc_unknown(g_server_port, CALC_BASE + CALC_COUNT), MIG_BAD_ID);
	EXPECT_KR(calc_unknown(g_server_port, CALC_BASE - 1), MIG_BAD_ID);
	stop_server(&run);
}

/* A server that receives the request and destroys it unanswered
 * (libsyscall mach_msg_destroy: the send-once reply right in
 * msgh_remote_port is destroyed, which sends MACH_NOTIFY_SEND_ONCE). */
static void *drop_one(void *arg)
{
	union {
		mach_msg_header_t head;
		uint8_t room[CALC_MAX_SIZE];
	} in;
	memset(&in, 0, sizeof in);
	*(mach_msg_return_t *)arg = mach_msg(&in.head, MACH_RCV_MSG, 0, sizeof in, g_server_port,
					     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (*(mach_msg_return_t *)arg == MACH_MSG_SUCCESS)
		mach_msg_destroy(&in.head);
	return NULL;
}

/* MIG's reply check: the send-once notification that comes instead of a
 * reply is MIG_SERVER_DIED; the thread's reply port still works after. */
static void test_server_died(void)
{
	pthread_t thread;
	mach_msg_return_t received = MACH_RCV_INVALID_NAME;
	struct server_run run;
	int sum = 0;
	EXPECT(pthread_create(&thread, NULL, drop_one, &received) == 0);
	EXPECT_KR(calc_add(g_server_port, 1, 2, &sum), MIG_SERVER_DIED);
	EXPECT(pthread_join(thread, NULL) == 0);
	EXPECT_KR(received, MACH_MSG_SUCCESS);
	start_server(&run, 1);
	EXPECT_KR(calc_add(g_server_port, 1, 2, &sum), KERN_SUCCESS);
	stop_server(&run);
	EXPECT(sum == 3);
}

/* The MIG reply port is the thread's own and is kept between calls. */
static void test_reply_port_reused(void)
{
	mach_port_t a = mig_get_reply_port();
	mach_port_t b = mig_get_reply_port();
	EXPECT(a != MACH_PORT_NULL);
	EXPECT(a == b);
}

int main(void)
{
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &g_server_port), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_right(mach_task_self(), g_server_port, g_server_port, MACH_MSG_TYPE_MAKE_SEND),
		  KERN_SUCCESS);
	ex_case("routine returning a value", test_routine_returns_value);
	ex_case("routine taking a moved send right and OOL memory", test_routine_takes_right_and_ool);
	ex_case("simpleroutine", test_simpleroutine);
	ex_case("routine error: the runtime destroys the request", test_routine_error_destroys_request);
	ex_case("unknown id: MIG_BAD_ID", test_unknown_id);
	ex_case("request destroyed unanswered: MIG_SERVER_DIED", test_server_died);
	ex_case("mig_get_reply_port keeps the thread's port", test_reply_port_reused);
	(void)mach_port_mod_refs(mach_task_self(), g_server_port, MACH_PORT_RIGHT_RECEIVE, -1);
	(void)mach_port_deallocate(mach_task_self(), g_server_port);
	return ex_summary();
}
