/*
 * fuzz/support/spec_tables.h: the spec tables the spec-aware fuzzing knows
 * (fuzz/spec_check.c, spec_seedgen.c, the mutator's spec mode), in one
 * order: an input's first byte picks one. Adding a table is one line here
 * (and its library in the users' deps).
 */
#ifndef MP_FUZZ_SPEC_TABLES_H
#define MP_FUZZ_SPEC_TABLES_H

#include "lib/spec/mach/mach_specs.h"
#include "lib/spec/tests/gen_tables.h"
#include "machports/spec.h"

static const mp_spec_subsystem_t *const mp_fuzz_spec_subsystems[] = {
	&mp_test_probe_subsystem,
	&mp_test_mach_exc_subsystem,
	&mp_test_edge_subsystem,
	&exc_spec,
	&mach_exc_spec,
	&notify_spec,
	&mach_port_spec,
	&clock_reply_spec,
	&task_access_spec,
};

#define MP_FUZZ_SPEC_SUBSYSTEMS (sizeof mp_fuzz_spec_subsystems / sizeof mp_fuzz_spec_subsystems[0])

#endif /* MP_FUZZ_SPEC_TABLES_H */
