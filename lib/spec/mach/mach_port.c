/*
 * lib/spec/mach/mach_port.c: facts emitted by //:mpmig from the SDK's
 * mach/mach_port.defs (routine names, ids and MIG's layouts); do not edit.
 * Regenerate: scripts/mig-regen-specs SDK_DIR
 */
/* mach_port_spec: the spec of MIG subsystem mach_port (base 3200), written by //:mpmig. */
#include <stddef.h>

#include "machports/spec.h"

static const mp_spec_field_t mach_port_spec_0_reply_fields[2] = {
	{.name = "namesCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 68},
	{.name = "typesCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 72},
};
static const mp_spec_desc_t mach_port_spec_0_reply_descs[2] = {
	{.name = "names", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x00u, .count_field = 0, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 4, .max = 0, .elem_size = 4, .send_disposition = 0},
	{.name = "types", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x00u, .count_field = 1, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 4, .max = 0, .elem_size = 4, .send_disposition = 0},
};
static const mp_spec_routine_t mach_port_spec_0 = {
	.name = "mach_port_names",
	.id = 3200,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 0, .ndesc = 0, .nfields = 0, .nvar = 0,
		.min_size = 24, .max_size = 24,
	},
	.reply = {
		.complex = 1, .ndr = 1, .ndesc = 2, .nfields = 2, .nvar = 0,
		.descs = mach_port_spec_0_reply_descs,
		.fields = mach_port_spec_0_reply_fields,
		.min_size = 76, .max_size = 76,
	},
};

static const mp_spec_field_t mach_port_spec_1_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_1_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "ptype", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_1 = {
	.name = "mach_port_type",
	.id = 3201,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_1_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_1_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_2_request_fields[2] = {
	{.name = "old_name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "new_name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_2_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_2 = {
	.name = "mach_port_rename",
	.id = 3202,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_2_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_2_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_3_request_fields[2] = {
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_3_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_3 = {
	.name = "mach_port_allocate_name",
	.id = 3203,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_3_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_3_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_4_request_fields[1] = {
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_4_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_4 = {
	.name = "mach_port_allocate",
	.id = 3204,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_4_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_4_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_5_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_5_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_5 = {
	.name = "mach_port_destroy",
	.id = 3205,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_5_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_5_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_6_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_6_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_6 = {
	.name = "mach_port_deallocate",
	.id = 3206,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_6_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_6_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_7_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_7_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "refs", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_7 = {
	.name = "mach_port_get_refs",
	.id = 3207,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_7_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_7_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_8_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "delta", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
};
static const mp_spec_field_t mach_port_spec_8_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_8 = {
	.name = "mach_port_mod_refs",
	.id = 3208,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_8_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_8_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_9_request_fields[4] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "trailer_type", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "request_seqnop", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "trailer_infopCnt", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_9_reply_fields[6] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "request_seqnop", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "msg_sizep", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "msg_idp", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
	{.name = "trailer_infopCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 48},
	{.name = "trailer_infop", .kind = MP_SPEC_VAR_ARRAY, .type_code = 8, .count_field = 4, .elem_size = 1, .max = 68, .wire_size = 68, .offset = 52},
};
static const mp_spec_routine_t mach_port_spec_9 = {
	.name = "mach_port_peek",
	.id = 3209,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 0,
		.fields = mach_port_spec_9_request_fields,
		.min_size = 48, .max_size = 48,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 6, .nvar = 1,
		.fields = mach_port_spec_9_reply_fields,
		.min_size = 52, .max_size = 120,
	},
};

static const mp_spec_field_t mach_port_spec_10_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "mscount", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_10_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_10 = {
	.name = "mach_port_set_mscount",
	.id = 3210,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_10_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_10_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_11_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_11_reply_fields[1] = {
	{.name = "membersCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 52},
};
static const mp_spec_desc_t mach_port_spec_11_reply_descs[1] = {
	{.name = "members", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x00u, .count_field = 0, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 4, .max = 0, .elem_size = 4, .send_disposition = 0},
};
static const mp_spec_routine_t mach_port_spec_11 = {
	.name = "mach_port_get_set_status",
	.id = 3211,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_11_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 1, .ndr = 1, .ndesc = 1, .nfields = 1, .nvar = 0,
		.descs = mach_port_spec_11_reply_descs,
		.fields = mach_port_spec_11_reply_fields,
		.min_size = 56, .max_size = 56,
	},
};

static const mp_spec_field_t mach_port_spec_12_request_fields[2] = {
	{.name = "member", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "after", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_12_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_12 = {
	.name = "mach_port_move_member",
	.id = 3212,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_12_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_12_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_13_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 48},
	{.name = "msgid", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 52},
	{.name = "sync", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 56},
};
static const mp_spec_desc_t mach_port_spec_13_request_descs[1] = {
	{.name = "notify", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00240000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 0},
};
static const mp_spec_desc_t mach_port_spec_13_reply_descs[1] = {
	{.name = "previous", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00040000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 18},
};
static const mp_spec_routine_t mach_port_spec_13 = {
	.name = "mach_port_request_notification",
	.id = 3213,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 1, .nfields = 3, .nvar = 0,
		.descs = mach_port_spec_13_request_descs,
		.fields = mach_port_spec_13_request_fields,
		.min_size = 60, .max_size = 60,
	},
	.reply = {
		.complex = 1, .ndr = 0, .ndesc = 1, .nfields = 0, .nvar = 0,
		.descs = mach_port_spec_13_reply_descs,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_14_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 48},
};
static const mp_spec_desc_t mach_port_spec_14_request_descs[1] = {
	{.name = "poly", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 0},
};
static const mp_spec_field_t mach_port_spec_14_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_14 = {
	.name = "mach_port_insert_right",
	.id = 3214,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 1, .nfields = 1, .nvar = 0,
		.descs = mach_port_spec_14_request_descs,
		.fields = mach_port_spec_14_request_fields,
		.min_size = 52, .max_size = 52,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_14_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_15_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "msgt_name", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_desc_t mach_port_spec_15_reply_descs[1] = {
	{.name = "poly", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 0},
};
static const mp_spec_routine_t mach_port_spec_15 = {
	.name = "mach_port_extract_right",
	.id = 3215,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_15_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 1, .ndr = 0, .ndesc = 1, .nfields = 0, .nvar = 0,
		.descs = mach_port_spec_15_reply_descs,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_16_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "seqno", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_16_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_16 = {
	.name = "mach_port_set_seqno",
	.id = 3216,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_16_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_16_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_17_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "port_info_outCnt", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
};
static const mp_spec_field_t mach_port_spec_17_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "port_info_outCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "port_info_out", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 1, .elem_size = 4, .max = 17, .wire_size = 68, .offset = 40},
};
static const mp_spec_routine_t mach_port_spec_17 = {
	.name = "mach_port_get_attributes",
	.id = 3217,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_17_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 1,
		.fields = mach_port_spec_17_reply_fields,
		.min_size = 40, .max_size = 108,
	},
};

static const mp_spec_field_t mach_port_spec_18_request_fields[4] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "port_infoCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "port_info", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 2, .elem_size = 4, .max = 17, .wire_size = 68, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_18_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_18 = {
	.name = "mach_port_set_attributes",
	.id = 3218,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 1,
		.fields = mach_port_spec_18_request_fields,
		.min_size = 44, .max_size = 112,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_18_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_19_request_fields[2] = {
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "qos", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_19_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "qos", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
};
static const mp_spec_routine_t mach_port_spec_19 = {
	.name = "mach_port_allocate_qos",
	.id = 3219,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_19_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_19_reply_fields,
		.min_size = 48, .max_size = 48,
	},
};

static const mp_spec_field_t mach_port_spec_20_request_fields[3] = {
	{.name = "right", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 48},
	{.name = "qos", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 52},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 60},
};
static const mp_spec_desc_t mach_port_spec_20_request_descs[1] = {
	{.name = "proto", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00020000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 19},
};
static const mp_spec_field_t mach_port_spec_20_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "qos", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
};
static const mp_spec_routine_t mach_port_spec_20 = {
	.name = "mach_port_allocate_full",
	.id = 3220,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 1, .nfields = 3, .nvar = 0,
		.descs = mach_port_spec_20_request_descs,
		.fields = mach_port_spec_20_request_fields,
		.min_size = 64, .max_size = 64,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_20_reply_fields,
		.min_size = 48, .max_size = 48,
	},
};

static const mp_spec_field_t mach_port_spec_21_request_fields[1] = {
	{.name = "table_entries", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_21_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_21 = {
	.name = "task_set_port_space",
	.id = 3221,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_21_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_21_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_22_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_22_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "srights", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_22 = {
	.name = "mach_port_get_srights",
	.id = 3222,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_22_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_22_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_23_reply_fields[3] = {
	{.name = "space_info", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 24, .max = 1, .wire_size = 24, .offset = 68},
	{.name = "table_infoCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 92},
	{.name = "tree_infoCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 96},
};
static const mp_spec_desc_t mach_port_spec_23_reply_descs[2] = {
	{.name = "table_info", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x00u, .count_field = 1, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 28, .max = 0, .elem_size = 28, .send_disposition = 0},
	{.name = "tree_info", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x00u, .count_field = 2, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 0, .multiplier = 36, .max = 0, .elem_size = 36, .send_disposition = 0},
};
static const mp_spec_routine_t mach_port_spec_23 = {
	.name = "mach_port_space_info",
	.id = 3223,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 0, .ndesc = 0, .nfields = 0, .nvar = 0,
		.min_size = 24, .max_size = 24,
	},
	.reply = {
		.complex = 1, .ndr = 1, .ndesc = 2, .nfields = 3, .nvar = 0,
		.descs = mach_port_spec_23_reply_descs,
		.fields = mach_port_spec_23_reply_fields,
		.min_size = 100, .max_size = 100,
	},
};

static const mp_spec_field_t mach_port_spec_24_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_24_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "dnr_total", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "dnr_used", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
};
static const mp_spec_routine_t mach_port_spec_24 = {
	.name = "mach_port_dnrequest_info",
	.id = 3224,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_24_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_24_reply_fields,
		.min_size = 44, .max_size = 44,
	},
};

static const mp_spec_field_t mach_port_spec_25_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_25_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "object_type", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "object_addr", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
};
static const mp_spec_routine_t mach_port_spec_25 = {
	.name = "mach_port_kernel_object",
	.id = 3225,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_25_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_25_reply_fields,
		.min_size = 44, .max_size = 44,
	},
};

static const mp_spec_field_t mach_port_spec_26_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "pset", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_26_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_26 = {
	.name = "mach_port_insert_member",
	.id = 3226,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_26_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_26_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_27_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "pset", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_27_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_27 = {
	.name = "mach_port_extract_member",
	.id = 3227,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_27_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_27_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_28_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_28_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "context", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_28 = {
	.name = "mach_port_get_context",
	.id = 3228,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_28_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_28_reply_fields,
		.min_size = 44, .max_size = 44,
	},
};

static const mp_spec_field_t mach_port_spec_29_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "context", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_29_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_29 = {
	.name = "mach_port_set_context",
	.id = 3229,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_29_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_29_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_30_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_30_reply_fields[3] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "object_type", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "object_addr", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 40},
};
static const mp_spec_routine_t mach_port_spec_30 = {
	.name = "mach_port_kobject",
	.id = 3230,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_30_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_30_reply_fields,
		.min_size = 48, .max_size = 48,
	},
};

static const mp_spec_field_t mach_port_spec_31_request_fields[1] = {
	{.name = "context", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 52},
};
static const mp_spec_desc_t mach_port_spec_31_request_descs[1] = {
	{.name = "options", .type = MP_MSG_OOL_DESCRIPTOR, .flags = 0x01u, .count_field = MP_SPEC_NONE, .dispositions = MP_SPEC_ANY_DISPOSITION, .fixed = 24, .multiplier = 1, .max = 0, .elem_size = 8, .send_disposition = 0},
};
static const mp_spec_field_t mach_port_spec_31_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_31 = {
	.name = "mach_port_construct",
	.id = 3231,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 1, .ndr = 1, .ndesc = 1, .nfields = 1, .nvar = 0,
		.descs = mach_port_spec_31_request_descs,
		.fields = mach_port_spec_31_request_fields,
		.min_size = 60, .max_size = 60,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_31_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_32_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "srdelta", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 40},
};
static const mp_spec_field_t mach_port_spec_32_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_32 = {
	.name = "mach_port_destruct",
	.id = 3232,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_32_request_fields,
		.min_size = 48, .max_size = 48,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_32_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_33_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
	{.name = "strict", .kind = MP_SPEC_SCALAR, .type_code = 0, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_33_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_33 = {
	.name = "mach_port_guard",
	.id = 3233,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_33_request_fields,
		.min_size = 48, .max_size = 48,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_33_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_34_request_fields[2] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_34_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_34 = {
	.name = "mach_port_unguard",
	.id = 3234,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_34_request_fields,
		.min_size = 44, .max_size = 44,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_34_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_35_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "basic_info", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 24, .max = 1, .wire_size = 24, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_35 = {
	.name = "mach_port_space_basic_info",
	.id = 3235,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 0, .ndesc = 0, .nfields = 0, .nvar = 0,
		.min_size = 24, .max_size = 24,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_35_reply_fields,
		.min_size = 60, .max_size = 60,
	},
};

static const mp_spec_field_t mach_port_spec_36_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_36_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "srp_lost_link", .kind = MP_SPEC_SCALAR, .type_code = 0, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_36 = {
	.name = "mach_port_special_reply_port_reset_link",
	.id = 3236,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_36_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_36_reply_fields,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t mach_port_spec_37_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
	{.name = "flags", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_37_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_37 = {
	.name = "mach_port_guard_with_flags",
	.id = 3237,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_37_request_fields,
		.min_size = 52, .max_size = 52,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_37_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_38_request_fields[3] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "old_guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
	{.name = "new_guard", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_38_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_38 = {
	.name = "mach_port_swap_guard",
	.id = 3238,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 3, .nvar = 0,
		.fields = mach_port_spec_38_request_fields,
		.min_size = 52, .max_size = 52,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_38_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_field_t mach_port_spec_39_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_39_reply_fields[6] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "object_type", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "object_addr", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 40},
	{.name = "descriptionOffset", .kind = MP_SPEC_STRING_OFFSET, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 48},
	{.name = "descriptionCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 52},
	{.name = "description", .kind = MP_SPEC_VAR_STRING, .type_code = 12, .count_field = 4, .elem_size = 1, .max = 512, .wire_size = 512, .offset = 56},
};
static const mp_spec_routine_t mach_port_spec_39 = {
	.name = "mach_port_kobject_description",
	.id = 3239,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_39_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 6, .nvar = 1,
		.fields = mach_port_spec_39_reply_fields,
		.min_size = 56, .max_size = 568,
	},
};

static const mp_spec_field_t mach_port_spec_40_request_fields[2] = {
	{.name = "connection_port", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "service_port", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
};
static const mp_spec_field_t mach_port_spec_40_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "filter_policy_id", .kind = MP_SPEC_SCALAR, .type_code = 3, .count_field = MP_SPEC_NONE, .elem_size = 8, .max = 1, .wire_size = 8, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_40 = {
	.name = "mach_port_is_connection_for_service",
	.id = 3240,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_40_request_fields,
		.min_size = 40, .max_size = 40,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_40_reply_fields,
		.min_size = 44, .max_size = 44,
	},
};

static const mp_spec_field_t mach_port_spec_41_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_field_t mach_port_spec_41_reply_fields[2] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "sp_info_out", .kind = MP_SPEC_SCALAR, .type_code = 8, .count_field = MP_SPEC_NONE, .elem_size = 256, .max = 1, .wire_size = 256, .offset = 36},
};
static const mp_spec_routine_t mach_port_spec_41 = {
	.name = "mach_port_get_service_port_info",
	.id = 3241,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_41_request_fields,
		.min_size = 36, .max_size = 36,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 2, .nvar = 0,
		.fields = mach_port_spec_41_reply_fields,
		.min_size = 292, .max_size = 292,
	},
};

static const mp_spec_field_t mach_port_spec_42_request_fields[4] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
	{.name = "flavor", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 36},
	{.name = "infoCnt", .kind = MP_SPEC_COUNT, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 40},
	{.name = "info", .kind = MP_SPEC_VAR_ARRAY, .type_code = 2, .count_field = 2, .elem_size = 4, .max = 17, .wire_size = 68, .offset = 44},
};
static const mp_spec_field_t mach_port_spec_42_reply_fields[1] = {
	{.name = "RetCode", .kind = MP_SPEC_RETCODE, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t mach_port_spec_42 = {
	.name = "mach_port_assert_attributes",
	.id = 3242,
	.kind = MP_SPEC_ROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00040000u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 4, .nvar = 1,
		.fields = mach_port_spec_42_request_fields,
		.min_size = 44, .max_size = 112,
	},
	.reply = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = mach_port_spec_42_reply_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_routine_t *const mach_port_spec_routines[43] = {
	&mach_port_spec_0,
	&mach_port_spec_1,
	&mach_port_spec_2,
	&mach_port_spec_3,
	&mach_port_spec_4,
	&mach_port_spec_5,
	&mach_port_spec_6,
	&mach_port_spec_7,
	&mach_port_spec_8,
	&mach_port_spec_9,
	&mach_port_spec_10,
	&mach_port_spec_11,
	&mach_port_spec_12,
	&mach_port_spec_13,
	&mach_port_spec_14,
	&mach_port_spec_15,
	&mach_port_spec_16,
	&mach_port_spec_17,
	&mach_port_spec_18,
	&mach_port_spec_19,
	&mach_port_spec_20,
	&mach_port_spec_21,
	&mach_port_spec_22,
	&mach_port_spec_23,
	&mach_port_spec_24,
	&mach_port_spec_25,
	&mach_port_spec_26,
	&mach_port_spec_27,
	&mach_port_spec_28,
	&mach_port_spec_29,
	&mach_port_spec_30,
	&mach_port_spec_31,
	&mach_port_spec_32,
	&mach_port_spec_33,
	&mach_port_spec_34,
	&mach_port_spec_35,
	&mach_port_spec_36,
	&mach_port_spec_37,
	&mach_port_spec_38,
	&mach_port_spec_39,
	&mach_port_spec_40,
	&mach_port_spec_41,
	&mach_port_spec_42,
};

const mp_spec_subsystem_t mach_port_spec = {
	.name = "mach_port",
	.base = 3200,
	.nroutines = 43,
	.routines = mach_port_spec_routines,
	.max_request_size = 112,
	.max_reply_size = 568,
};
