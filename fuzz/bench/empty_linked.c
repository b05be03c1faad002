/* fuzz/bench/empty_linked.c: a target that does nothing, linked like
 * parse_recv (the parser, the oracle, the structure-aware mutator): the
 * engine scans the same coverage counters and mutates the same way, so
 * parse_recv's exec/s beside it is the cost of parse_recv's own work.
 * The pointers below keep the code in the binary without running it. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/support/oracle.h"

void *volatile mp_bench_keep[] = { (void *)mp_parse_recv, (void *)fuzz_check_accepted,
				   (void *)fuzz_check_rejected };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
