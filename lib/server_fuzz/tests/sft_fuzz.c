/*
 * lib/server_fuzz/tests/sft_fuzz.c: the harness's test server as a fuzz
 * target (libFuzzer, AFL++, or the replay driver: mp_fuzz_binary). The
 * planted bug comes from SFT_PLANT (a number of sft_plant_t; unset: clean),
 * for smoke runs of the finding path under a real engine.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/server_fuzz/tests/sft_server.h"
#include "machports/server_fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	mp_server_fuzz_config_t cfg = sft_config();
	const char *plant = getenv("SFT_PLANT");

	(void)argc;
	(void)argv;
	cfg.target = "//lib/server_fuzz:sft_fuzz_bin";
	if (plant != NULL)
		sft_plant = (sft_plant_t)atoi(plant);
	if (mp_server_fuzz_init(&cfg) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)mp_server_fuzz_one(data, size);
	return 0;
}
