/*
 * fuzz/servers/session/session_fuzz_config.h: the session server under the
 * server-fuzz harness (machports/server_fuzz.h), one place for the fuzz
 * target (fuzz/session_server.c) and the bench
 * (lib/server_fuzz/tests/server_fuzz_bench.c). Header-only (static), so
 * the builds without Bazel (lib/install/example, fuzz/oss-fuzz/template)
 * compile the same three sources as before.
 */
#ifndef SESSION_FUZZ_CONFIG_H
#define SESSION_FUZZ_CONFIG_H

#include "fuzz/servers/session/session_server.h"
#include "fuzz/servers/session/session_spec.h"
#include "machports/server_fuzz.h"

/*
 * What the server may hold between two requests of one input: a session
 * keeps a callback's send right (register_callback) and a receive right
 * (take_port); a callback's port that died since leaves a dead name in its
 * place (the session still names it; close releases it). A send-once right
 * is never kept (notify_me answers at once), so one left behind is a
 * finding (SONCE_DANGLING); every kept right must be gone after the
 * teardown (the harness's steady-state check: LEAK).
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

/* The config without a target (each user names its own). */
static const mp_server_fuzz_config_t session_fuzz_config = {
	.demux = session_server,
	.subsystem = &session_spec,
	.teardown = session_teardown,
	.may_keep = session_may_keep,
	.setup_requests = session_setup_requests,
	.nsetup_requests = 1,
};

#endif /* SESSION_FUZZ_CONFIG_H */
