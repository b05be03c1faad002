/*
 * machports/server_fuzz.h: fuzz your own Mach server (lib/server_fuzz,
 * `//lib/server_fuzz`).
 *
 * The user gives a MIG-style demux (the `X_server` function MIG writes, or
 * one written by hand in its shape), the spec of its subsystem (from its
 * .defs through mp_mig_spec, or a table), and optional setup / teardown.
 * Each input of a fuzzer becomes a sequence of requests: generated from the
 * spec by lib/spec's generator (well formed, or with targeted mutations),
 * made real in a client task (port descriptors become rights the client
 * made, OOL descriptors the client's memory, the reply port a send-once
 * right of the client's reply port), sent with mach_msg to the service's
 * receive right, received in the server task with the trailer the
 * routine's spec asks for, handed to the demux as mach_msg_server_once
 * does (the runtime's own steps: machports/compat.h
 * mp_compat_mig_apply_return_code / mp_compat_mig_send_reply), and the
 * reply received in the client and checked against the reply spec.
 * The client's ports live for the whole input (a right the server keeps
 * stays a live right), and 4-byte scalars that replies returned (a session,
 * a handle) are fed into later requests of the input, so a stateful
 * server's handles are reached.
 *
 * The server's code runs with the server task current (machports/compat.h):
 * its mach_task_self() is the server's own space, so what it releases, keeps
 * or leaks is visible in the kernel's ledger. After each request the oracle
 * applies MIG's ownership rule (a routine that returns KERN_SUCCESS or
 * MIG_NO_REPLY owns what the request brought; with any other code the
 * runtime destroys the request, so the routine must not have released any
 * of it) and the rules below. A finding prints a sanitizer-style report to
 * stderr ("==machports-server-fuzz==ERROR: <RULE> in <routine> (id N): ...",
 * the ledger before and after, the request dumped with its spec, the
 * command that reproduces it) and abort()s, so libFuzzer and AFL++ record a
 * crash. Its last two lines:
 *
 *   reproduce: scripts/repro <this input> --target <config's target>
 *   SUMMARY: machports-server-fuzz: <RULE> in <routine>
 *
 * MACHPORTS_SERVER_FUZZ_ONLY=RULE:ROUTINE (or RULE: any routine) keeps only
 * that finding (the SUMMARY line's RULE and routine; "teardown" for the
 * steady-state check): any other finding stops the input without a report
 * and without abort() or the report hook, the tasks are made again as after
 * a hooked finding, and mp_server_fuzz_one returns its rule. Unset or empty:
 * every finding. scripts/minimize sets it, so that the engine's minimiser
 * keeps the same finding (a smaller input giving another one is no crash).
 *
 * This header includes Apple's <mach/message.h>: on Linux that is
 * lib/compat's (//lib/compat:headers, on the include path of every target
 * that depends on //lib/server_fuzz); the user's server is Apple-API code.
 *
 * Use (libFuzzer; the same binary under AFL++'s persistent driver):
 *
 *   static const mp_server_fuzz_config_t cfg = {
 *       .demux = my_server, .subsystem = &my_subsystem_spec };
 *   int LLVMFuzzerInitialize(int *argc, char ***argv) {
 *       return mp_server_fuzz_init(&cfg); }
 *   int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {
 *       mp_server_fuzz_one(d, n); return 0; }
 *
 * State: the two tasks and the service's receive right are made once per
 * process; nothing else survives an input (teardown brings the server back
 * to the state setup left, and the oracle checks that it did). In a child
 * of fork() after init (a fork server), the first mp_server_fuzz_one makes
 * the tasks again and runs setup again, as the parent's do not exist there.
 * Not thread-safe: one harness per process, driven from one thread.
 */
#ifndef MACHPORTS_SERVER_FUZZ_H
#define MACHPORTS_SERVER_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <mach/message.h>

#include "machports/spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The demux MIG writes: boolean_t X_server(request, reply). */
typedef boolean_t (*mp_server_fuzz_demux_t)(mach_msg_header_t *request, mach_msg_header_t *reply);

typedef enum mp_server_fuzz_mode {
	/* each request generated from the spec (mp_spec_gen_request, VALID or
	 * EDGE as the input chooses), then made real in the client */
	MP_SERVER_FUZZ_GENERATED = 0,
	/* a routine's id and a simple header; the input's bytes are the body
	 * (no descriptors): for a server's own parsing of inline data */
	MP_SERVER_FUZZ_RAW = 1,
} mp_server_fuzz_mode_t;

/*
 * The identity the server sees in the request's trailer. The kernel writes
 * the sending task's real identity (this process's: lib/kern has one
 * identity per process, mp_kern_identity_self); with `chosen` set the
 * harness rewrites the received trailer's security token (euid, egid) and
 * audit token before the demux, as a sender of that identity would have
 * them written by XNU. Fields are audit_token_t's val[] in order.
 */
typedef struct mp_server_fuzz_identity {
	int chosen;
	uint32_t auid, euid, egid, ruid, rgid, pid, asid, pidversion;
} mp_server_fuzz_identity_t;

/*
 * A request the service needs before the fuzzed ones (an "open client"
 * call): a VALID request for routine `id` generated from `seed` (the same
 * bytes give the same request; NULL/0: the generator's PRNG from zero),
 * sent and served like the fuzzed requests, under the same oracle, at the
 * start of every input.
 */
typedef struct mp_server_fuzz_setup_request {
	int32_t id;
	const uint8_t *seed;
	size_t seed_len;
} mp_server_fuzz_setup_request_t;

typedef struct mp_server_fuzz_config {
	mp_server_fuzz_demux_t demux;
	const mp_spec_subsystem_t *subsystem;
	void *ctx; /* passed to the callbacks */
	/*
	 * Once, in mp_server_fuzz_init, with the server task current: `service`
	 * is the receive right requests arrive on (in the server's space). The
	 * server makes its lasting state here. Non-zero: init fails.
	 * The server's space after setup is the baseline of the LEAK rule.
	 */
	int (*setup)(mach_port_t service, void *ctx);
	/*
	 * After every input, with the server task current: release what the
	 * input's requests left in the server's state (clients opened, rights
	 * kept). After it the server's space must be the baseline again.
	 */
	void (*teardown)(void *ctx);
	/*
	 * Optional: may the server hold `name` (of `type`, MACH_PORT_TYPE_*)
	 * between two requests of one input? Called, server task current, for
	 * every name the space holds after a request that the baseline did not
	 * have, and for a request's send-once reply right still held after the
	 * reply step (a server that answers later keeps it). NULL: nothing may
	 * be kept; names are then checked only after teardown (steady state),
	 * reply rights after every request.
	 */
	int (*may_keep)(mach_port_t name, uint32_t type, void *ctx);
	/* requests sent first in every input (ids of the subsystem's routines) */
	const mp_server_fuzz_setup_request_t *setup_requests;
	uint32_t nsetup_requests;
	mp_server_fuzz_identity_t identity;
	mp_server_fuzz_mode_t mode;
	uint32_t max_messages; /* requests per input; 0: 8 */
	const char *target;    /* the fuzz target's name, for the reproduce line */
} mp_server_fuzz_config_t;

/*
 * Makes the client and server tasks (machports/compat.h, on the backend
 * MACHPORTS_BACKEND names), the service's receive right in the server task
 * and a send right to it in the client's, runs setup and records the
 * baseline. Once per process; the config is copied (not what it points
 * to). 0, or -1 with the reason on stderr (a config without demux or
 * subsystem, an unknown mode, a subsystem mp_spec_validate refuses, a setup request with an
 * id outside the subsystem, a task that cannot be made, setup's failure).
 */
int mp_server_fuzz_init(const mp_server_fuzz_config_t *cfg);

/*
 * One input: up to max_messages requests, then teardown and the steady-
 * state check. Returns 0; a finding aborts the process, unless a report
 * hook is set (then it returns the finding's rule).
 */
int mp_server_fuzz_one(const uint8_t *data, size_t size);

/* The rules; mp_server_fuzz_rule_name: "RELEASE_THEN_ERROR", ... */
typedef enum mp_server_fuzz_rule {
	MP_SF_NONE = 0,
	/* the routine returned neither KERN_SUCCESS nor MIG_NO_REPLY, but a right
	 * the request brought is already gone or has fewer urefs, or the server
	 * holds fewer VM regions than when the request arrived (the runtime's
	 * destroy would release it again) */
	MP_SF_RELEASE_THEN_ERROR = 1,
	/* the server holds a name it may not keep (may_keep) after a request,
	 * or its space is not the baseline after teardown, or it holds more VM
	 * regions after teardown than after setup (mp_task_vm_usage) */
	MP_SF_LEAK = 2,
	/* the server's task raised a guard exception of a released or invalid
	 * name or right (kGUARD_EXC_INVALID_NAME, INVALID_RIGHT, INVALID_VALUE,
	 * MOD_REFS(_NON_FATAL), SEND_INVALID_RIGHT, RCV_INVALID_NAME) while
	 * serving the request (the routine, then the runtime's destroy) */
	MP_SF_USE_AFTER_RELEASE = 3,
	/* the kernel refused the reply, or the reply fails the routine's reply
	 * spec (mp_spec_check_reply) and is not a well-formed error reply */
	MP_SF_BAD_REPLY = 4,
	/* the request's send-once reply right is still in the server's space
	 * after the request, neither used nor destroyed (and not may_keep); or
	 * any send-once right held where LEAK would be reported: whoever waits
	 * on its port hears neither an answer nor a send-once notification */
	MP_SF_SONCE_DANGLING = 5,
} mp_server_fuzz_rule_t;

const char *mp_server_fuzz_rule_name(mp_server_fuzz_rule_t rule);

/* What a finding names (for the report hook). */
typedef struct mp_server_fuzz_finding {
	mp_server_fuzz_rule_t rule;
	const char *routine; /* "?": an id outside the subsystem; "teardown": the steady-state check */
	int32_t id;          /* the request's msgh_id */
	uint32_t message;    /* index of the request in the input */
	mach_port_t name;    /* the name concerned (MACH_PORT_NULL if none) */
	char detail[256];
} mp_server_fuzz_finding_t;

/*
 * For tests of the harness and of a server's planted bugs: after the report
 * is printed, `hook` is called instead of abort(); the input stops there,
 * both tasks are destroyed and made again (setup runs again, so the
 * server's own state must be reset by setup), and mp_server_fuzz_one
 * returns the rule. NULL restores abort().
 */
typedef void (*mp_server_fuzz_report_hook_t)(const mp_server_fuzz_finding_t *finding, void *ctx);
void mp_server_fuzz_set_report_hook(mp_server_fuzz_report_hook_t hook, void *ctx);

/* Counters since init, for benches and tests. */
typedef struct mp_server_fuzz_stats {
	uint64_t inputs, requests_sent, requests_refused, requests_served, replies_checked;
} mp_server_fuzz_stats_t;
void mp_server_fuzz_get_stats(mp_server_fuzz_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_SERVER_FUZZ_H */
