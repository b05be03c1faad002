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

#include "fuzz/servers/session/session_fuzz_config.h"
#include "machports/server_fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	mp_server_fuzz_config_t cfg = session_fuzz_config;

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
