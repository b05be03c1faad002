/*
 * lib/spec/mach/notify.c: facts emitted by //:mpmig from the SDK's
 * mach/notify.defs (routine names, ids and MIG's layouts); do not edit.
 * Regenerate: scripts/mig-regen-specs SDK_DIR
 */
/* notify_spec: the spec of MIG subsystem notify (base 64), written by //:mpmig. */
#include <stddef.h>

#include "machports/spec.h"

static const mp_spec_field_t notify_spec_1_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t notify_spec_1 = {
	.name = "mach_notify_port_deleted",
	.id = 65,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = notify_spec_1_request_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_desc_t notify_spec_5_request_descs[1] = {
	{.name = "rights", .type = MP_MSG_PORT_DESCRIPTOR, .flags = 0x00u, .count_field = MP_SPEC_NONE, .dispositions = 0x00010000u, .fixed = 0, .multiplier = 1, .max = 0, .elem_size = 4, .send_disposition = 16},
};
static const mp_spec_routine_t notify_spec_5 = {
	.name = "mach_notify_port_destroyed",
	.id = 69,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 1, .ndr = 0, .ndesc = 1, .nfields = 0, .nvar = 0,
		.descs = notify_spec_5_request_descs,
		.min_size = 40, .max_size = 40,
	},
};

static const mp_spec_field_t notify_spec_6_request_fields[1] = {
	{.name = "mscount", .kind = MP_SPEC_SCALAR, .type_code = 2, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t notify_spec_6 = {
	.name = "mach_notify_no_senders",
	.id = 70,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = notify_spec_6_request_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_routine_t notify_spec_7 = {
	.name = "mach_notify_send_once",
	.id = 71,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 0, .ndr = 0, .ndesc = 0, .nfields = 0, .nvar = 0,
		.min_size = 24, .max_size = 24,
	},
};

static const mp_spec_field_t notify_spec_8_request_fields[1] = {
	{.name = "name", .kind = MP_SPEC_SCALAR, .type_code = 15, .count_field = MP_SPEC_NONE, .elem_size = 4, .max = 1, .wire_size = 4, .offset = 32},
};
static const mp_spec_routine_t notify_spec_8 = {
	.name = "mach_notify_dead_name",
	.id = 72,
	.kind = MP_SPEC_SIMPLEROUTINE,
	.retcode_arg = 0,
	.ntrailer = 0,
	.reply_port_dispositions = 0x00000001u,
	.request = {
		.complex = 0, .ndr = 1, .ndesc = 0, .nfields = 1, .nvar = 0,
		.fields = notify_spec_8_request_fields,
		.min_size = 36, .max_size = 36,
	},
};

static const mp_spec_routine_t *const notify_spec_routines[9] = {
	NULL, /* skip */
	&notify_spec_1,
	NULL, /* skip */
	NULL, /* skip */
	NULL, /* skip */
	&notify_spec_5,
	&notify_spec_6,
	&notify_spec_7,
	&notify_spec_8,
};

const mp_spec_subsystem_t notify_spec = {
	.name = "notify",
	.base = 64,
	.nroutines = 9,
	.routines = notify_spec_routines,
	.max_request_size = 40,
	.max_reply_size = 0,
};
