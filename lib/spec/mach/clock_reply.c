/*
 * lib/spec/mach/clock_reply.c: facts emitted by //:mpmig from the SDK's
 * mach/clock_reply.defs (routine names, ids and MIG's layouts); do not edit.
 * Regenerate: scripts/mig-regen-specs SDK_DIR
 */
/* clock_reply_spec: the spec of MIG subsystem clock_reply (base 3125107), written by //:mpmig. */
#include <stddef.h>

#include "machports/spec.h"

static const mp_spec_field_t clock_reply_spec_0_request_fields[3] = {
	{.name = "alarm_code", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "alarm_type", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "alarm_time", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 40},
};
static const mp_spec_routine_t clock_reply_spec_0 = {
	.name = "clock_alarm_reply",
	.id = 3125107,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = clock_reply_spec_0_request_fields,
		.min_size = 48, .max_size = 48,
	},
};

static const mp_spec_routine_t *const clock_reply_spec_routines[1] = {
	&clock_reply_spec_0,
};

const mp_spec_subsystem_t clock_reply_spec = {
	.name = "clock_reply",
	.base = 3125107,
	.nroutines = 1,
	.routines = clock_reply_spec_routines,
	.max_request_size = 48,
	.max_reply_size = 0,
};
