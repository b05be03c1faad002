/*
 * lib/spec/tests/tables.c: the hand-written tables of tables.h. Offsets are
 * in the largest message (MIG's __Request struct with #pragma pack(4)).
 */
#include "lib/spec/tests/tables.h"

/* MIG type codes (migcom type.h; facts) */
#define TC_I32 2
#define TC_I64 3
#define TC_CHAR 8
#define TC_STR 12
#define NONE MP_SPEC_NONE
#define BIT(d) (1u << (d))
#define PORT_SEND BIT(MP_MSG_TYPE_PORT_SEND)

/* Reply of a routine with no out argument: Head, NDR, RetCode (36 bytes). */
static const mp_spec_field_t retcode_only[] = {
	{"RetCode", MP_SPEC_RETCODE, TC_I32, NONE, 4, 1, 4, 32},
};
#define RETCODE_REPLY {0, 1, 0, 1, 0, NULL, retcode_only, 36, 36}

/* ---- mach_exc ---------------------------------------------------------- */

static const mp_spec_desc_t mer_descs[] = {
	{"thread", MP_MSG_PORT_DESCRIPTOR, 0, NONE, PORT_SEND, 0, 1, 0, 0, MP_MSG_TYPE_COPY_SEND},
	{"task", MP_MSG_PORT_DESCRIPTOR, 0, NONE, PORT_SEND, 0, 1, 0, 0, MP_MSG_TYPE_COPY_SEND},
};
static const mp_spec_field_t mer_fields[] = {
	{"exception", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 60},
	{"codeCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 64},
	{"code", MP_SPEC_VAR_ARRAY, TC_I64, 1, 8, 2, 16, 68},
};
const mp_spec_routine_t t_mach_exception_raise = {
	"mach_exception_raise", 2405, MP_SPEC_ROUTINE, 0, 0, {0},
	BIT(MP_MSG_TYPE_PORT_SEND_ONCE),
	{1, 1, 2, 3, 1, mer_descs, mer_fields, 68, 84},
	RETCODE_REPLY,
};

static const mp_spec_field_t mers_fields[] = {
	{"exception", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 32},
	{"codeCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 36},
	{"code", MP_SPEC_VAR_ARRAY, TC_I64, 1, 8, 2, 16, 40},
	{"flavor", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 56},
	{"old_stateCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 60},
	{"old_state", MP_SPEC_VAR_ARRAY, TC_I32, 4, 4, 1296, 5184, 64},
};
static const mp_spec_field_t mers_reply_fields[] = {
	{"RetCode", MP_SPEC_RETCODE, TC_I32, NONE, 4, 1, 4, 32},
	{"flavor", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 36},
	{"new_stateCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 40},
	{"new_state", MP_SPEC_VAR_ARRAY, TC_I32, 2, 4, 1296, 5184, 44},
};
const mp_spec_routine_t t_mach_exception_raise_state = {
	"mach_exception_raise_state", 2406, MP_SPEC_ROUTINE, 0, 0, {0},
	BIT(MP_MSG_TYPE_PORT_SEND_ONCE),
	{0, 1, 0, 6, 2, NULL, mers_fields, 48, 5248},
	{0, 1, 0, 4, 1, NULL, mers_reply_fields, 44, 5228},
};

static const mp_spec_routine_t *const mach_exc_routines[] = {
	&t_mach_exception_raise, &t_mach_exception_raise_state, NULL, NULL, NULL,
};
const mp_spec_subsystem_t t_mach_exc_subsystem = {
	"mach_exc", 2405, 5, mach_exc_routines, 5248, 5228,
};

/* ---- probe ------------------------------------------------------------- */

static const mp_spec_field_t p_str_fields[] = {
	{"nameOffset", MP_SPEC_STRING_OFFSET, TC_I32, NONE, 4, 1, 4, 32},
	{"nameCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 36},
	{"name", MP_SPEC_VAR_STRING, TC_STR, 1, 1, 64, 64, 40},
	{"fixed", MP_SPEC_STRING, TC_STR, NONE, 1, 32, 32, 104},
	{"bCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 136},
	{"b", MP_SPEC_VAR_ARRAY, TC_CHAR, 4, 1, 10, 12, 140},
	{"iCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 152},
	{"i", MP_SPEC_VAR_ARRAY, TC_I32, 6, 4, 5, 20, 156},
	{"p", MP_SPEC_SCALAR, TC_I32, NONE, 8, 1, 8, 176},
};
const mp_spec_routine_t t_p_str = {
	"p_str", 7100, MP_SPEC_ROUTINE, 0, 0, {0}, 0,
	{0, 1, 0, 9, 3, NULL, p_str_fields, 88, 184},
	RETCODE_REPLY,
};

static const mp_spec_desc_t p_ool_descs[] = {
	{"data", MP_MSG_OOL_DESCRIPTOR, 0, 0, MP_SPEC_ANY_DISPOSITION, 0, 4, 0, 4, 0},
	{"ports", MP_MSG_OOL_PORTS_DESCRIPTOR, 0, 3, PORT_SEND, 0, 1, 0, 4, MP_MSG_TYPE_COPY_SEND},
	{"poly", MP_MSG_PORT_DESCRIPTOR, 0, NONE, MP_SPEC_ANY_DISPOSITION, 0, 1, 0, 0, 0},
	{"sr", MP_MSG_PORT_DESCRIPTOR, 0, NONE, PORT_SEND, 0, 1, 0, 0, MP_MSG_TYPE_MAKE_SEND},
};
static const mp_spec_field_t p_ool_fields[] = {
	{"dataCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 92},
	{"data2Cnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 96},
	{"data2", MP_SPEC_VAR_ARRAY, TC_I32, 1, 4, 100, 400, 100},
	{"portsCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 500},
};
const mp_spec_routine_t t_p_ool = {
	"p_ool", 7101, MP_SPEC_ROUTINE, 0, 2, {MP_SPEC_TRAILER_AUDIT, MP_SPEC_TRAILER_SEQNO}, 0,
	{1, 1, 4, 4, 1, p_ool_descs, p_ool_fields, 104, 504},
	RETCODE_REPLY,
};

static const mp_spec_field_t p_simple_fields[] = {
	{"x", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 32},
	{"y", MP_SPEC_SCALAR, TC_I64, NONE, 8, 1, 8, 36},
};
const mp_spec_routine_t t_p_simple = {
	"p_simple", 7102, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, 0,
	{0, 1, 0, 2, 0, NULL, p_simple_fields, 44, 44},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};

static const mp_spec_desc_t p_out_reply_descs[] = {
	{"data", MP_MSG_OOL_DESCRIPTOR, 0, 3, MP_SPEC_ANY_DISPOSITION, 0, 4, 0, 4, 0},
	{"p", MP_MSG_PORT_DESCRIPTOR, 0, NONE, PORT_SEND, 0, 1, 0, 0, MP_MSG_TYPE_COPY_SEND},
};
static const mp_spec_field_t p_out_reply_fields[] = {
	{"nameOffset", MP_SPEC_STRING_OFFSET, TC_I32, NONE, 4, 1, 4, 64},
	{"nameCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 68},
	{"name", MP_SPEC_VAR_STRING, TC_STR, 1, 1, 64, 64, 72},
	{"dataCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 136},
	{"iCnt", MP_SPEC_COUNT, TC_I32, NONE, 4, 1, 4, 140},
	{"i", MP_SPEC_VAR_ARRAY, TC_I32, 4, 4, 5, 20, 144},
};
const mp_spec_routine_t t_p_out = {
	"p_out", 7104, MP_SPEC_ROUTINE, 0, 0, {0}, 0,
	{0, 0, 0, 0, 0, NULL, NULL, 24, 24},
	{1, 1, 2, 6, 2, p_out_reply_descs, p_out_reply_fields, 80, 164},
};

static const mp_spec_routine_t *const probe_routines[] = {
	&t_p_str, &t_p_ool, &t_p_simple, NULL, &t_p_out,
};
const mp_spec_subsystem_t t_probe_subsystem = {
	"probe", 7100, 5, probe_routines, 504, 164,
};

/* ---- a RetCArg request (clock_reply's clock_alarm_reply shape) ---------- */

static const mp_spec_desc_t retc_descs[] = {
	{"alarm_port", MP_MSG_PORT_DESCRIPTOR, 0, NONE, BIT(MP_MSG_TYPE_PORT_SEND_ONCE), 0, 1, 0, 0,
	 MP_MSG_TYPE_MAKE_SEND_ONCE},
};
static const mp_spec_field_t retc_fields[] = {
	{"alarm_code", MP_SPEC_RETCODE, TC_I32, NONE, 4, 1, 4, 48},
	{"alarm_type", MP_SPEC_SCALAR, TC_I32, NONE, 4, 1, 4, 52},
	{"alarm_time", MP_SPEC_SCALAR, TC_I32, NONE, 8, 1, 8, 56},
};
const mp_spec_routine_t t_retc_alarm = {
	"clock_alarm_reply", 3125, MP_SPEC_SIMPLEROUTINE, 1, 1, {MP_SPEC_TRAILER_SEQNO}, 0,
	{1, 1, 1, 3, 0, retc_descs, retc_fields, 64, 64},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};
static const mp_spec_routine_t *const retc_routines[] = {&t_retc_alarm};
const mp_spec_subsystem_t t_retc_subsystem = {
	"clock_reply", 3125, 1, retc_routines, 64, 0,
};
