/*
 * lib/spec/tests/gen_tables.c: the hand-written tables of gen_tables.h.
 * Offsets are those of the largest message (every variable field full), as
 * in MIG's __Request structs under pack(4); min_size is max_size less every
 * variable field's bytes.
 */
#include "lib/spec/tests/gen_tables.h"

#define N MP_SPEC_NONE
#define D(x) (1u << (x))
#define ROUTINE_REPLY_PORTS (D(MP_MSG_TYPE_PORT_SEND_ONCE) | D(MP_MSG_TYPE_PORT_SEND))
#define SIMPLE_REPLY_PORTS (D(0) | D(MP_MSG_TYPE_PORT_SEND_ONCE) | D(MP_MSG_TYPE_PORT_SEND))
/* MACH_MSG_TYPE_* type codes (mach/message.h facts) */
#define T_INT32 2u
#define T_INT64 11u
#define T_CHAR 8u

/* A mig_reply_error_t-shaped reply: NDR, RetCode. */
static const mp_spec_field_t retcode_fields[] = {
	{"RetCode", MP_SPEC_RETCODE, T_INT32, N, 4, 1, 4, 32},
};
#define RETCODE_REPLY {0, 1, 0, 1, 0, NULL, retcode_fields, 36, 36}

/* ---- probe (7100) ------------------------------------------------------- */

/* routine p_str(server; name: c_string[*:64]; fixed: c_string[32];
 *               b: array[*:10] of char; i: array[*:5] of int; p: struct[2] of int) */
static const mp_spec_field_t p_str_fields[] = {
	{"nameOffset", MP_SPEC_STRING_OFFSET, T_INT32, N, 4, 1, 4, 32},
	{"nameCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 36},
	{"name", MP_SPEC_VAR_STRING, T_CHAR, 1, 1, 64, 64, 40},
	{"fixed", MP_SPEC_STRING, T_CHAR, N, 1, 32, 32, 104},
	{"bCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 136},
	{"b", MP_SPEC_VAR_ARRAY, T_CHAR, 4, 1, 10, 12, 140},
	{"iCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 152},
	{"i", MP_SPEC_VAR_ARRAY, T_INT32, 6, 4, 5, 20, 156},
	{"p", MP_SPEC_SCALAR, T_INT32, N, 8, 1, 8, 176},
};

const mp_spec_routine_t mp_test_probe_p_str = {
	"p_str", 7100, MP_SPEC_ROUTINE, 0, 0, {0}, ROUTINE_REPLY_PORTS,
	{0, 1, 0, 9, 3, NULL, p_str_fields, 88, 184},
	RETCODE_REPLY,
};

/* routine p_ool(server; data: array[] of int; data2: array[*:100] of int;
 *   ports: mach_port_array_t; poly: mach_port_poly_t; sr: mach_port_make_send_t;
 *   ServerAuditToken tok; msgseqno seq) */
static const mp_spec_desc_t p_ool_descs[] = {
	{"data", MP_MSG_OOL_DESCRIPTOR, 0, 0, MP_SPEC_ANY_DISPOSITION, 0, 4, 0, 4, 0},
	{"ports", MP_MSG_OOL_PORTS_DESCRIPTOR, 0, 3, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_COPY_SEND},
	{"poly", MP_MSG_PORT_DESCRIPTOR, 0, N, MP_SPEC_ANY_DISPOSITION, 0, 1, 0, 4, 0},
	{"sr", MP_MSG_PORT_DESCRIPTOR, 0, N, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_MAKE_SEND},
};
static const mp_spec_field_t p_ool_fields[] = {
	{"dataCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 92},
	{"data2Cnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 96},
	{"data2", MP_SPEC_VAR_ARRAY, T_INT32, 1, 4, 100, 400, 100},
	{"portsCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 500},
};

const mp_spec_routine_t mp_test_probe_p_ool = {
	"p_ool", 7101, MP_SPEC_ROUTINE, 0, 2,
	{MP_SPEC_TRAILER_AUDIT, MP_SPEC_TRAILER_SEQNO}, ROUTINE_REPLY_PORTS,
	{1, 1, 4, 4, 1, p_ool_descs, p_ool_fields, 104, 504},
	RETCODE_REPLY,
};

/* simpleroutine p_simple(server; x: int; y: int64_t) */
static const mp_spec_field_t p_simple_fields[] = {
	{"x", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 32},
	{"y", MP_SPEC_SCALAR, T_INT64, N, 8, 1, 8, 36},
};

const mp_spec_routine_t mp_test_probe_p_simple = {
	"p_simple", 7102, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, SIMPLE_REPLY_PORTS,
	{0, 1, 0, 2, 0, NULL, p_simple_fields, 44, 44},
	{0},
};

/* skip (7103); routine p_out(server; out name: c_string[*:64]; out data: array[] of int;
 *                            out i: array[*:5] of int; out p: mach_port_t) */
static const mp_spec_desc_t p_out_reply_descs[] = {
	{"data", MP_MSG_OOL_DESCRIPTOR, 0, 3, MP_SPEC_ANY_DISPOSITION, 0, 4, 0, 4, 0},
	{"p", MP_MSG_PORT_DESCRIPTOR, 0, N, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_COPY_SEND},
};
static const mp_spec_field_t p_out_reply_fields[] = {
	{"nameOffset", MP_SPEC_STRING_OFFSET, T_INT32, N, 4, 1, 4, 64},
	{"nameCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 68},
	{"name", MP_SPEC_VAR_STRING, T_CHAR, 1, 1, 64, 64, 72},
	{"dataCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 136},
	{"iCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 140},
	{"i", MP_SPEC_VAR_ARRAY, T_INT32, 4, 4, 5, 20, 144},
};

const mp_spec_routine_t mp_test_probe_p_out = {
	"p_out", 7104, MP_SPEC_ROUTINE, 0, 0, {0}, ROUTINE_REPLY_PORTS,
	{0, 0, 0, 0, 0, NULL, NULL, 24, 24},
	{1, 1, 2, 6, 2, p_out_reply_descs, p_out_reply_fields, 80, 164},
};

static const mp_spec_routine_t *const probe_routines[] = {
	&mp_test_probe_p_str, &mp_test_probe_p_ool, &mp_test_probe_p_simple, NULL,
	&mp_test_probe_p_out,
};

const mp_spec_subsystem_t mp_test_probe_subsystem = {
	"probe", 7100, 5, probe_routines, 504, 164,
};

/* ---- mach_exc (2405) ---------------------------------------------------- */

static const mp_spec_desc_t exc_port_descs[] = {
	{"thread", MP_MSG_PORT_DESCRIPTOR, 0, N, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_COPY_SEND},
	{"task", MP_MSG_PORT_DESCRIPTOR, 0, N, D(MP_MSG_TYPE_PORT_SEND), 0, 1, 0, 4,
	 MP_MSG_TYPE_COPY_SEND},
};

/* routine mach_exception_raise(exception_port; thread; task; exception: int;
 *                              code: array[*:2] of int64_t) */
static const mp_spec_field_t raise_fields[] = {
	{"exception", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 60},
	{"codeCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 64},
	{"code", MP_SPEC_VAR_ARRAY, T_INT64, 1, 8, 2, 16, 68},
};

const mp_spec_routine_t mp_test_mach_exception_raise = {
	"mach_exception_raise", 2405, MP_SPEC_ROUTINE, 0, 0, {0}, ROUTINE_REPLY_PORTS,
	{1, 1, 2, 3, 1, exc_port_descs, raise_fields, 68, 84},
	RETCODE_REPLY,
};

/* mach_exception_raise_state(exception_port; exception; code; inout flavor;
 *                            old_state: thread_state_t (array[*:1296] of natural_t); out new_state) */
static const mp_spec_field_t raise_state_fields[] = {
	{"exception", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 32},
	{"codeCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 36},
	{"code", MP_SPEC_VAR_ARRAY, T_INT64, 1, 8, 2, 16, 40},
	{"flavor", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 56},
	{"old_stateCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 60},
	{"old_state", MP_SPEC_VAR_ARRAY, T_INT32, 4, 4, 1296, 5184, 64},
};
static const mp_spec_field_t state_reply_fields[] = {
	{"RetCode", MP_SPEC_RETCODE, T_INT32, N, 4, 1, 4, 32},
	{"flavor", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 36},
	{"new_stateCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 40},
	{"new_state", MP_SPEC_VAR_ARRAY, T_INT32, 2, 4, 1296, 5184, 44},
};
#define STATE_REPLY {0, 1, 0, 4, 1, NULL, state_reply_fields, 44, 5228}

const mp_spec_routine_t mp_test_mach_exception_raise_state = {
	"mach_exception_raise_state", 2406, MP_SPEC_ROUTINE, 0, 0, {0}, ROUTINE_REPLY_PORTS,
	{0, 1, 0, 6, 2, NULL, raise_state_fields, 48, 5248},
	STATE_REPLY,
};

static const mp_spec_field_t raise_state_identity_fields[] = {
	{"exception", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 60},
	{"codeCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 64},
	{"code", MP_SPEC_VAR_ARRAY, T_INT64, 1, 8, 2, 16, 68},
	{"flavor", MP_SPEC_SCALAR, T_INT32, N, 4, 1, 4, 84},
	{"old_stateCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 88},
	{"old_state", MP_SPEC_VAR_ARRAY, T_INT32, 4, 4, 1296, 5184, 92},
};

const mp_spec_routine_t mp_test_mach_exception_raise_state_identity = {
	"mach_exception_raise_state_identity", 2407, MP_SPEC_ROUTINE, 0, 0, {0},
	ROUTINE_REPLY_PORTS,
	{1, 1, 2, 6, 2, exc_port_descs, raise_state_identity_fields, 76, 5276},
	STATE_REPLY,
};

static const mp_spec_routine_t *const mach_exc_routines[] = {
	&mp_test_mach_exception_raise, &mp_test_mach_exception_raise_state,
	&mp_test_mach_exception_raise_state_identity, NULL, NULL,
};

const mp_spec_subsystem_t mp_test_mach_exc_subsystem = {
	"mach_exc", 2405, 5, mach_exc_routines, 5276, 5228,
};

/* ---- edge (9900): descriptor forms the two above lack ------------------- */

/* A fixed-size OOL (16 bytes), a variable OOL with a maximum (array[*:8] of
 * int64 out of line: count > 8 is MIG_TYPE_ERROR), a fixed OOL ports array of
 * two receive rights; the sender and context trailer elements. */
static const mp_spec_desc_t e_ool_descs[] = {
	{"blob", MP_MSG_OOL_DESCRIPTOR, MP_SPEC_DESC_FIXED, N, MP_SPEC_ANY_DISPOSITION, 16, 1, 0, 1,
	 0},
	{"vals", MP_MSG_OOL_DESCRIPTOR, 0, 0, MP_SPEC_ANY_DISPOSITION, 0, 8, 8, 8, 0},
	{"rights", MP_MSG_OOL_PORTS_DESCRIPTOR, MP_SPEC_DESC_FIXED, N, D(MP_MSG_TYPE_PORT_RECEIVE), 2,
	 1, 0, 4, MP_MSG_TYPE_MOVE_RECEIVE},
};
static const mp_spec_field_t e_ool_fields[] = {
	{"valsCnt", MP_SPEC_COUNT, T_INT32, N, 4, 1, 4, 84},
};

const mp_spec_routine_t mp_test_edge_e_ool = {
	"e_ool", 9900, MP_SPEC_ROUTINE, 0, 2, {MP_SPEC_TRAILER_SENDER, MP_SPEC_TRAILER_CONTEXT},
	ROUTINE_REPLY_PORTS,
	{1, 1, 3, 1, 0, e_ool_descs, e_ool_fields, 88, 88},
	RETCODE_REPLY,
};

static const mp_spec_routine_t *const edge_routines[] = {&mp_test_edge_e_ool};

const mp_spec_subsystem_t mp_test_edge_subsystem = {
	"edge", 9900, 1, edge_routines, 88, 36,
};
