/*
 * lib/spec/mach/mach_exc.c: facts emitted by //:mpmig from the SDK's
 * mach/mach_exc.defs (routine names, ids and MIG's layouts); do not edit.
 * Regenerate: scripts/mig-regen-specs SDK_DIR
 */
/* mach_exc_spec: the spec of MIG subsystem mach_exc (base 2405), written by //:mpmig. */
#include <stddef.h>

#include "machports/spec.h"

static const mp_spec_field_t mach_exc_spec_0_request_fields[3] = {
	{.name = "exception", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 60},
	{.name = "codeCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 64},
	{.name = "code", .kind = MP_SPEC_VAR_ARRAY, .type_code = 3, .count_field = 1, .elem_size = 8, .max = 2, .wire_size = 16, .offset = 68},
};
static const mp_spec_desc_t mach_exc_spec_0_request_descs[2] = {
	{.name = "thread", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00020000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 19},
	{.name = "task", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00020000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 19},
};
static const mp_spec_field_t mach_exc_spec_0_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_exc_spec_0 = {
	.name = "mach_exception_raise",
	.id = 2405,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 2, .nfields = 3, .nvar = 1,
		.descs = mach_exc_spec_0_request_descs,
		.fields = mach_exc_spec_0_request_fields,
		.min_size = 68, .max_size = 84,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_exc_spec_0_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_exc_spec_1_request_fields[6] = {
	{.name = "exception", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "codeCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "code", .kind = MP_SPEC_VAR_ARRAY, .type_code = 3, .count_field = 1, .elem_size = 8, .max = 2, .wire_size = 16, .offset = 40},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 56},
	{.name = "old_stateCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 60},
	{.name = "old_state", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 4, .elem_size = 4, .max = 1296, .wire_size = 5184, .offset = 64},
};
static const mp_spec_field_t mach_exc_spec_1_reply_fields[4] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "new_stateCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "new_state", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 2, .elem_size = 4, .max = 1296, .wire_size = 5184, .offset = 44},
};
static const mp_spec_routine_t mach_exc_spec_1 = {
	.name = "mach_exception_raise_state",
	.id = 2406,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 6, .nvar = 2,
		.fields = mach_exc_spec_1_request_fields,
		.min_size = 48, .max_size = 5248,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 1,
		.fields = mach_exc_spec_1_reply_fields,
		.min_size = 44, .max_size = 5228,
	},
};

static const mp_spec_field_t mach_exc_spec_2_request_fields[6] = {
	{.name = "exception", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 60},
	{.name = "codeCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 64},
	{.name = "code", .kind = MP_SPEC_VAR_ARRAY, .type_code = 3, .count_field = 1, .elem_size = 8, .max = 2, .wire_size = 16, .offset = 68},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 84},
	{.name = "old_stateCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 88},
	{.name = "old_state", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 4, .elem_size = 4, .max = 1296, .wire_size = 5184, .offset = 92},
};
static const mp_spec_desc_t mach_exc_spec_2_request_descs[2] = {
	{.name = "thread", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00020000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 19},
	{.name = "task", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00020000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 19},
};
static const mp_spec_field_t mach_exc_spec_2_reply_fields[4] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "new_stateCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "new_state", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 2, .elem_size = 4, .max = 1296, .wire_size = 5184, .offset = 44},
};
static const mp_spec_routine_t mach_exc_spec_2 = {
	.name = "mach_exception_raise_state_identity",
	.id = 2407,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 2, .nfields = 6, .nvar = 2,
		.descs = mach_exc_spec_2_request_descs,
		.fields = mach_exc_spec_2_request_fields,
		.min_size = 76, .max_size = 5276,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 1,
		.fields = mach_exc_spec_2_reply_fields,
		.min_size = 44, .max_size = 5228,
	},
};

static const mp_spec_routine_t *const mach_exc_spec_routines[5] = {
	&mach_exc_spec_0,
	&mach_exc_spec_1,
	&mach_exc_spec_2,
	NULL, /* skip */
	NULL, /* skip */
};

const mp_spec_subsystem_t mach_exc_spec = {
	.name = "mach_exc",
	.base = 2405,
	.nroutines = 5,
	.routines = mach_exc_spec_routines,
	.max_request_size = 5276,
	.max_reply_size = 5228,
};
