/*
 * stash_fuzz.c: the stash service under machports' server-fuzz harness
 * (machports/server_fuzz.h). Each input is a sequence of stash requests
 * generated from stash.defs's spec (stash_spec), sent through real ports
 * to the server's task and handed to its demux; the oracle checks MIG's
 * ownership rule against the kernel's ledger after every request.
 */
#include <stdint.h>
#include <stdlib.h>

#include "machports/server_fuzz.h"
#include "stash_server.h"
#include "stash_spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Between two requests the stash may hold send rights (a dead name when
 * the client's port died since); after the teardown, nothing. */
static int stash_may_keep(mach_port_t name, uint32_t type, void *ctx)
{
	(void)name;
	(void)ctx;
	return type == MACH_PORT_TYPE_SEND || type == MACH_PORT_TYPE_DEAD_NAME;
}

static void stash_teardown(void *ctx)
{
	(void)ctx;
	stash_server_teardown();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const mp_server_fuzz_config_t cfg = {
		.demux = stash_server,
		.subsystem = &stash_spec,
		.teardown = stash_teardown,
		.may_keep = stash_may_keep,
		.target = "stash_fuzz",
	};

	(void)argc;
	(void)argv;
	if (mp_server_fuzz_init(&cfg) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)mp_server_fuzz_one(data, size);
	return 0;
}
