/*
 * lib/spec/differential/subsystems.c: the subsystems the differential and
 * golden_test know: the SDK's six (lib/spec/mach, committed tables) and our
 * own test .defs (lib/spec/testdata and the self-test's
 * lib/spec/differential/testdata/probe.defs, tables built by mp_mig_spec), by
 * the name of their `subsystem` statement.
 */
#include <string.h>

#include "lib/spec/differential/probe_spec.h"
#include "lib/spec/differential/testdata_ool_spec.h"
#include "lib/spec/differential/testdata_ports_spec.h"
#include "lib/spec/differential/testdata_routines_spec.h"
#include "lib/spec/differential/testdata_scalars_spec.h"
#include "lib/spec/differential/testdata_strings_spec.h"
#include "lib/spec/differential/testdata_var_arrays_spec.h"
#include "lib/spec/mach/mach_specs.h"
#include "replay.h"

static const mp_spec_subsystem_t *const subsystems[] = {
	&exc_spec,     &mach_exc_spec, &notify_spec,     &mach_port_spec,
	&clock_reply_spec, &task_access_spec,
	&ool_spec,     &ports_spec,    &routines_spec,   &scalars_spec,
	&strings_spec, &var_arrays_spec, &probe_spec,
};

#define NSUBSYSTEMS (sizeof subsystems / sizeof subsystems[0])

const mp_spec_subsystem_t *mp_replay_subsystem(const char *name)
{
	unsigned i;

	for (i = 0; i < NSUBSYSTEMS; i++)
		if (strcmp(subsystems[i]->name, name) == 0)
			return subsystems[i];
	return NULL;
}

unsigned mp_replay_subsystem_count(void)
{
	return (unsigned)NSUBSYSTEMS;
}

const mp_spec_subsystem_t *mp_replay_subsystem_at(unsigned i)
{
	return i < NSUBSYSTEMS ? subsystems[i] : NULL;
}
