/* fuzz/bench/empty.c: a target that does nothing -- the exec/s baseline of
 * scripts/bench for an engine and sanitizer build (the engine's own cost). */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
