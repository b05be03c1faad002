/*
 * fuzz/session_server.c: the session example server (fuzz/servers/session)
 * as a fuzz target of the server-fuzz harness (machports/server_fuzz.h).
 * Each input is a sequence of session requests generated from the spec
 * session.defs makes (session_spec), sent through real ports to the
 * server's task and handed to its demux; the harness's oracle (MIG's
 * ownership rule against the kernel's ledger) checks every request.
 *
 * The same source makes //fuzz:session_server_bin (the clean server, the
 * fuzz target of the default campaign) and one
 * //fuzz:session_server_plant_<bug>_bin per planted bug (linked against
 * //fuzz/servers:session_server_plant_<bug>), which scripts/test runs to
 * check that each bug is found with its rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/servers/session/session_server.h"
#include "fuzz/servers/session/session_spec.h"
#include "machports/server_fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * What the server may hold between two requests of one input: a session
 * keeps a callback's send right (register_callback) and a receive right
 * (take_port); a callback's port that died since leaves a dead name in its
 * place (the session still names it; close releases it). A send-once right
 * is never kept (notify_me answers at once),
 * so one left behind is a finding (SONCE_DANGLING); every kept right must
 * be gone after the teardown (the harness's steady-state check: LEAK).
 */
static int session_may_keep(mach_port_t name, uint32_t type, void *ctx)
{
	const uint32_t keepable = MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DEAD_NAME;

	(void)name;
	(void)ctx;
	return type != 0 && (type & ~keepable) == 0;
}

static void session_teardown(void *ctx)
{
	(void)ctx;
	session_server_teardown();
}

/* Every input starts with an open_session, so the routines taking a
 * session (1 on the fresh server) are reached without the fuzzer finding
 * the open first. */
static const mp_server_fuzz_setup_request_t session_setup_requests[] = {
	{.id = SESSION_BASE, .seed = NULL, .seed_len = 0},
};

/* The binary's name without "_bin" (session_server, or
 * session_server_plant_<bug>: one source makes them all), so a finding's
 * "reproduce: scripts/repro <input> --target T" names the binary that
 * found it. */
static const char *target_name(char **argv)
{
	static char name[128];
	const char *base = argv != NULL && argv[0] != NULL ? strrchr(argv[0], '/') : NULL;
	size_t n;

	base = base != NULL ? base + 1 : (argv != NULL && argv[0] != NULL ? argv[0] : "session_server");
	snprintf(name, sizeof name, "%s", base);
	n = strlen(name);
	if (n > 4 && strcmp(name + n - 4, "_bin") == 0)
		name[n - 4] = '\0';
	return name;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	mp_server_fuzz_config_t cfg = {
		.demux = session_server,
		.subsystem = &session_spec,
		.teardown = session_teardown,
		.may_keep = session_may_keep,
		.setup_requests = session_setup_requests,
		.nsetup_requests = 1,
	};

	(void)argc;
	cfg.target = target_name(argv != NULL ? *argv : NULL);
	if (mp_server_fuzz_init(&cfg) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)mp_server_fuzz_one(data, size);
	return 0;
}
