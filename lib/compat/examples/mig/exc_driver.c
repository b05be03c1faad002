/*
 * lib/compat/examples/mig/exc_driver.c: drives MIG's own stubs of the SDK's
 * mach_exc.defs (built with -DDRIVER_MACH_EXC) or exc.defs: the client calls
 * the generated user stubs (mach_exception_raise, _raise_state,
 * _raise_state_identity, or the 32-bit exception_raise family); a server
 * thread answers through mach_msg_server_once with the generated demux
 * (mach_exc_server / exc_server), which calls the catch_* routines below.
 * With -DMACH_EXC_SERVER_AUDITTOKEN / -DEXC_SERVER_AUDITTOKEN (passed to
 * MIG and to this file alike) each catch_* gets the sender's audit token,
 * taken from the audit trailer the server asks for.
 *
 * scripts/mig-compat-check generates the stubs (never committed) and builds
 * this file with them against lib/compat.
 */
#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/exception_types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

#ifdef DRIVER_MACH_EXC
#include "mach_exc.h"
#include "mach_excServer.h"
typedef mach_exception_data_type_t code_t;
#define RAISE mach_exception_raise
#define RAISE_STATE mach_exception_raise_state
#define RAISE_STATE_IDENTITY mach_exception_raise_state_identity
#define CATCH_RAISE catch_mach_exception_raise
#define CATCH_RAISE_STATE catch_mach_exception_raise_state
#define CATCH_RAISE_STATE_IDENTITY catch_mach_exception_raise_state_identity
#define DEMUX mach_exc_server
#define REQUEST_UNION union __RequestUnion__catch_mach_exc_subsystem
#define DEFS "mach_exc.defs"
#if MACH_EXC_SERVER_AUDITTOKEN
#define WITH_AUDIT 1
#endif
#else
#include "exc.h"
#include "excServer.h"
typedef exception_data_type_t code_t;
#define RAISE exception_raise
#define RAISE_STATE exception_raise_state
#define RAISE_STATE_IDENTITY exception_raise_state_identity
#define CATCH_RAISE catch_exception_raise
#define CATCH_RAISE_STATE catch_exception_raise_state
#define CATCH_RAISE_STATE_IDENTITY catch_exception_raise_state_identity
#define DEMUX exc_server
#define REQUEST_UNION union __RequestUnion__catch_exc_subsystem
#define DEFS "exc.defs"
#if EXC_SERVER_AUDITTOKEN
#define WITH_AUDIT 1
#endif
#endif

#ifdef WITH_AUDIT
#define AUDIT_PARAM , audit_token_t atoken
#define AUDIT_CHECK() audit_check(atoken)
#define SERVER_OPTIONS \
	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))
static int g_audited;
/* The token is the sender's: this process. */
static void audit_check(audit_token_t atoken)
{
	if (audit_token_to_pid(atoken) == getpid())
		g_audited++;
	else
		fprintf(stderr, "audit token pid %d, expected %d\n", (int)audit_token_to_pid(atoken), (int)getpid());
}
#else
#define AUDIT_PARAM
#define AUDIT_CHECK() ((void)0)
#define SERVER_OPTIONS MACH_MSG_OPTION_NONE
#endif

#define CODE0 ((code_t)KERN_INVALID_ADDRESS)
#define CODE1 ((code_t)0x11223344)

static mach_port_t g_exc_port, g_thread;
static int g_raised;

/* ---- the server's routines (called by the generated demux) ---- */

/* MIG packs its requests under pack(4): mach_exc's 64-bit codes sit at a
 * 4-byte boundary (so they do on Darwin), so they are read with memcpy. */
static int codes_ok(const code_t *code, mach_msg_type_number_t codeCnt)
{
	code_t c[2];
	if (codeCnt != 2)
		return 0;
	memcpy(c, code, sizeof c);
	return c[0] == CODE0 && c[1] == CODE1;
}

/* The thread and task rights belong to the server once it succeeds. */
static void release_rights(mach_port_t thread, mach_port_t task)
{
	(void)mach_port_deallocate(mach_task_self(), thread);
	(void)mach_port_deallocate(mach_task_self(), task);
}

kern_return_t CATCH_RAISE(mach_port_t exception_port, mach_port_t thread, mach_port_t task,
			  exception_type_t exception, code_t *code, mach_msg_type_number_t codeCnt AUDIT_PARAM)
{
	AUDIT_CHECK();
	/* an EXC_CRASH is refused: the runtime destroys the request */
	if (exception == EXC_CRASH)
		return KERN_FAILURE;
	if (exception_port == g_exc_port && thread == g_thread && task == mach_task_self() &&
	    exception == EXC_BAD_ACCESS && codes_ok(code, codeCnt))
		g_raised++;
	release_rights(thread, task);
	return KERN_SUCCESS;
}

/* new_state is old_state reversed; the flavor goes up by one. */
static kern_return_t answer_state(int *flavor, const natural_t *old_state, mach_msg_type_number_t old_stateCnt,
				  natural_t *new_state, mach_msg_type_number_t *new_stateCnt)
{
	if (old_stateCnt > *new_stateCnt)
		return KERN_INVALID_ARGUMENT;
	for (mach_msg_type_number_t i = 0; i < old_stateCnt; i++)
		new_state[i] = old_state[old_stateCnt - 1 - i];
	*new_stateCnt = old_stateCnt;
	*flavor += 1;
	return KERN_SUCCESS;
}

kern_return_t CATCH_RAISE_STATE(mach_port_t exception_port, exception_type_t exception, code_t *const code,
				mach_msg_type_number_t codeCnt, int *flavor, natural_t *const old_state,
				mach_msg_type_number_t old_stateCnt, natural_t *new_state,
				mach_msg_type_number_t *new_stateCnt AUDIT_PARAM)
{
	AUDIT_CHECK();
	if (exception_port != g_exc_port || exception != EXC_BAD_INSTRUCTION || !codes_ok(code, codeCnt))
		return KERN_INVALID_ARGUMENT;
	return answer_state(flavor, old_state, old_stateCnt, new_state, new_stateCnt);
}

kern_return_t CATCH_RAISE_STATE_IDENTITY(mach_port_t exception_port, mach_port_t thread, mach_port_t task,
					 exception_type_t exception, code_t *code, mach_msg_type_number_t codeCnt,
					 int *flavor, natural_t *old_state, mach_msg_type_number_t old_stateCnt,
					 natural_t *new_state, mach_msg_type_number_t *new_stateCnt AUDIT_PARAM)
{
	AUDIT_CHECK();
	if (exception_port != g_exc_port || thread != g_thread || task != mach_task_self() ||
	    exception != EXC_ARITHMETIC || !codes_ok(code, codeCnt))
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = answer_state(flavor, old_state, old_stateCnt, new_state, new_stateCnt);
	if (kr == KERN_SUCCESS)
		release_rights(thread, task);
	return kr;
}

/* ---- the client: the generated user stubs ---- */

static struct server_run g_server;
static code_t g_codes[2] = { CODE0, CODE1 };

static void test_raise(void)
{
	mach_port_urefs_t task_refs = send_refs(mach_task_self());
	server_start(&g_server, 1);
	EXPECT_KR(RAISE(g_exc_port, g_thread, mach_task_self(), EXC_BAD_ACCESS, g_codes, 2), KERN_SUCCESS);
	server_stop(&g_server);
	EXPECT(g_raised == 1);
	/* the rights the request copied were released by the routine */
	EXPECT(send_refs(g_thread) == 1);
	EXPECT(send_refs(mach_task_self()) == task_refs);
}

static void test_raise_state(void)
{
	natural_t old_state[4] = { 1, 2, 3, 4 }, new_state[THREAD_STATE_MAX];
	mach_msg_type_number_t new_count = THREAD_STATE_MAX;
	int flavor = 5;
	server_start(&g_server, 1);
	EXPECT_KR(RAISE_STATE(g_exc_port, EXC_BAD_INSTRUCTION, g_codes, 2, &flavor, old_state, 4, new_state,
			      &new_count),
		  KERN_SUCCESS);
	server_stop(&g_server);
	EXPECT(flavor == 6);
	EXPECT(new_count == 4);
	EXPECT(new_state[0] == 4 && new_state[1] == 3 && new_state[2] == 2 && new_state[3] == 1);
}

static void test_raise_state_identity(void)
{
	natural_t old_state[3] = { 7, 8, 9 }, new_state[THREAD_STATE_MAX];
	mach_msg_type_number_t new_count = THREAD_STATE_MAX;
	int flavor = 1;
	mach_port_urefs_t task_refs = send_refs(mach_task_self());
	server_start(&g_server, 1);
	EXPECT_KR(RAISE_STATE_IDENTITY(g_exc_port, g_thread, mach_task_self(), EXC_ARITHMETIC, g_codes, 2, &flavor,
				       old_state, 3, new_state, &new_count),
		  KERN_SUCCESS);
	server_stop(&g_server);
	EXPECT(flavor == 2);
	EXPECT(new_count == 3);
	EXPECT(new_state[0] == 9 && new_state[1] == 8 && new_state[2] == 7);
	EXPECT(send_refs(g_thread) == 1);
	EXPECT(send_refs(mach_task_self()) == task_refs);
}

/* libsyscall mach_msg_server_once: the routine's error comes back as the
 * reply and the (complex) request is destroyed, releasing its rights. */
static void test_raise_refused(void)
{
	mach_port_urefs_t task_refs = send_refs(mach_task_self());
	server_start(&g_server, 1);
	EXPECT_KR(RAISE(g_exc_port, g_thread, mach_task_self(), EXC_CRASH, g_codes, 2), KERN_FAILURE);
	server_stop(&g_server);
	EXPECT(send_refs(g_thread) == 1);
	EXPECT(send_refs(mach_task_self()) == task_refs);
}

#ifdef WITH_AUDIT
/* every routine above was given the audit token of this process */
static void test_audit(void)
{
	EXPECT(g_audited == 4);
}
#endif

int main(void)
{
	g_exc_port = port_with_send();
	g_thread = port_with_send(); /* stands for a thread port */
	g_server.demux = DEMUX;
	g_server.max_size = (mach_msg_size_t)sizeof(REQUEST_UNION);
	g_server.port = g_exc_port;
	g_server.options = SERVER_OPTIONS;
	printf("%s: the generated stubs through mach_msg_server_once\n", DEFS);
	ex_case("raise", test_raise);
	ex_case("raise_state", test_raise_state);
	ex_case("raise_state_identity", test_raise_state_identity);
	ex_case("raise refused: request destroyed", test_raise_refused);
#ifdef WITH_AUDIT
	ex_case("audit tokens name this process", test_audit);
#endif
	port_release(g_thread);
	port_release(g_exc_port);
	return ex_summary();
}
