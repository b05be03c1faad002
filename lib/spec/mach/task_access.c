/*
 * lib/spec/mach/task_access.c: facts emitted by //:mpmig from the SDK's
 * mach/task_access.defs (routine names, ids and MIG's layouts); do not edit.
 * Regenerate: scripts/mig-regen-specs SDK_DIR
 */
/* task_access_spec: the spec of MIG subsystem task_access (base 27000), written by //:mpmig. */
#include <stddef.h>

#include "machports/spec.h"

static const mp_spec_field_t task_access_spec_0_request_fields[3] = {
	{.name = "calling_pid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "calling_gid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "target_pid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
};
static const mp_spec_field_t task_access_spec_0_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t task_access_spec_0 = {
	.name = "check_task_access",
	.id = 27000,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 1,
	.trailer = {MP_SPEC_TRAILER_AUDIT},
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = task_access_spec_0_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = task_access_spec_0_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t task_access_spec_1_request_fields[1] = {
	{.name = "new_pid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t task_access_spec_1_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t task_access_spec_1 = {
	.name = "find_code_signature",
	.id = 27001,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = task_access_spec_1_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = task_access_spec_1_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t task_access_spec_2_request_fields[4] = {
	{.name = "calling_pid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "calling_gid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "target_pid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
};
static const mp_spec_field_t task_access_spec_2_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t task_access_spec_2 = {
	.name = "check_task_access_with_flavor",
	.id = 27002,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 1,
	.trailer = {MP_SPEC_TRAILER_AUDIT},
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 0,
		.fields = task_access_spec_2_request_fields,
		.min_size = 48, .max_size = 48,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = task_access_spec_2_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_routine_t *const task_access_spec_routines[3] = {
	&task_access_spec_0,
	&task_access_spec_1,
	&task_access_spec_2,
};

const mp_spec_subsystem_t task_access_spec = {
	.name = "task_access",
	.base = 27000,
	.nroutines = 3,
	.routines = task_access_spec_routines,
	.max_request_size = 48,
	.max_reply_size = 36,
};
