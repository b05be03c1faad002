/*
 * lib/spec/tests/check_test.c: mp_spec_check_request against hand-written
 * tables; each test names the migcom rule (server.c, utils.c) it mirrors.
 * Messages are checked from exact-size heap copies, so ASan sees any read
 * outside [buf, buf + len).
 */
#include "lib/spec/tests/spec_test_support.h"

/* Checks a heap copy of exactly `len` bytes. */
static int32_t check(const mp_spec_subsystem_t *ss, const uint8_t *msg, size_t len,
		     mp_spec_level_t level, mp_spec_view_t *view, mp_spec_diag_t *diag)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, msg, len);
	int32_t code = mp_spec_check_request(ss, copy, len, level, view, diag);
	/* The same answer with no view and no diagnosis (the fast path). */
	assert_int_equal(mp_spec_check_request(ss, copy, len, level, NULL, NULL), code);
	free(copy);
	if (view != NULL)
		view->bytes = msg; /* keep the view usable on the caller's buffer */
	return code;
}

static int32_t check_mig(const mp_spec_subsystem_t *ss, const uint8_t *msg, size_t len,
			 mp_spec_diag_t *diag)
{
	return check(ss, msg, len, MP_SPEC_MIG, NULL, diag);
}

/* ---- WriteDispatcher -------------------------------------------------------- */

static void test_dispatcher_id_below_base_is_bad_id(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	t_put32(m, 20, 2404);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ID);
	assert_int_equal(d.code, MP_MIG_BAD_ID);
	assert_null(d.routine);
	assert_int_equal(d.offset, 20);
}

static void test_dispatcher_id_above_last_is_bad_id(void **state)
{
	(void)state;
	uint8_t m[128];
	size_t len = t_mer(m, 2);
	t_put32(m, 20, 2410);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ID);
	t_put32(m, 20, 0x80000000u);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ID);
	t_put32(m, 20, 0x7fffffffu);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ID);
}

static void test_dispatcher_null_slot_is_bad_id(void **state)
{
	(void)state;
	uint8_t m[128];
	size_t len = t_mer(m, 2);
	t_put32(m, 20, 2408); /* inside [base, base + n) but no routine */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ID);
	t_put32(m, 20, 7103); /* probe's skip */
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ID);
}

static void test_routine_lookup(void **state)
{
	(void)state;
	assert_ptr_equal(mp_spec_routine_for_id(&t_mach_exc_subsystem, 2405),
			 &t_mach_exception_raise);
	assert_ptr_equal(mp_spec_routine_for_id(&t_mach_exc_subsystem, 2406),
			 &t_mach_exception_raise_state);
	assert_null(mp_spec_routine_for_id(&t_mach_exc_subsystem, 2407));
	assert_null(mp_spec_routine_for_id(&t_mach_exc_subsystem, 2410));
	assert_null(mp_spec_routine_for_id(NULL, 2405));
	assert_ptr_equal(mp_spec_routine_by_name(&t_probe_subsystem, "p_out"), &t_p_out);
	assert_null(mp_spec_routine_by_name(&t_probe_subsystem, "p_nothing"));
	assert_null(mp_spec_routine_by_name(&t_probe_subsystem, NULL));
}

/* ---- beyond MIG: the buffer's extent ---------------------------------------- */

static void test_buffer_shorter_than_header_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	t_mer(m, 2);
	for (size_t len = 0; len < 24; len++)
		assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d),
				 MP_MIG_BAD_ARGUMENTS);
	assert_int_equal(mp_spec_check_request(&t_mach_exc_subsystem, NULL, 0, MP_SPEC_MIG, NULL,
					       NULL),
			 MP_MIG_BAD_ARGUMENTS);
}

static void test_buffer_shorter_than_msgh_size_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	t_mer(m, 2);
	for (size_t len = 24; len < 84; len++)
		assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d),
				 MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "msgh_size");
}

/* ---- WriteCheckHead ----------------------------------------------------------- */

static void test_check_head_complex_bit_clear_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	t_put32(m, 0, T_BITS);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "msgh_bits");
	assert_string_equal(d.routine, "mach_exception_raise");
}

static void test_check_head_complex_bit_set_on_simple_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[256];
	size_t len = t_pstr(m, "hello", "fixed", 3, 2);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 0, T_BITS | T_COMPLEX);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_head_descriptor_count_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	t_put32(m, 24, 3);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "msgh_descriptor_count");
	assert_int_equal(d.offset, 24);
	t_put32(m, 24, 1);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_head_complex_24_byte_message_reads_no_count_past_len(void **state)
{
	(void)state;
	uint8_t m[128];
	t_mer(m, 2);
	t_put32(m, 4, 24);
	/* MIG reads the descriptor count at 24 even here; the buffer ends at 24. */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, 24, NULL), MP_MIG_BAD_ARGUMENTS);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, 27, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_head_var_size_below_min_or_above_max_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	size_t len = t_mer(m, 0);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 4, 64); /* min - 4 */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
	len = t_mer(m, 2);
	t_put32(m, 4, 88); /* max + 4 */
	memset(m + 84, 0, 12);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, 100, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_head_fixed_size_differs_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS, 44, 7102);
	t_ndr(m, 24);
	size_t len = t_trailer(m, 44, 8);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 4, 48);
	len = t_trailer(m, 48, 8);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
	t_put32(m, 4, 40);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

/* ---- WriteTCheckKPD_port / _ool / _oolport ---------------------------------------- */

static void test_tcheck_port_type_is_type_error(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	m[40 + 11] = MP_MSG_OOL_DESCRIPTOR;
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "task");
	assert_int_equal(d.offset, 40);
}

static void test_tcheck_port_disposition_is_type_error(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	m[28 + 10] = 18; /* PORT_SEND_ONCE where PORT_SEND (17) is expected */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "thread");
	m[28 + 10] = 200;
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
}

static void test_tcheck_port_type_error_comes_before_msg_size(void **state)
{
	(void)state;
	uint8_t m[128];
	size_t len = t_mer(m, 2);
	m[28 + 10] = 16;
	t_put32(m, 64, 3); /* also a bad count: the descriptor is checked first */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
}

static void test_tcheck_poly_port_checks_type_only(void **state)
{
	(void)state;
	uint8_t m[600];
	size_t len = t_pool(m, 3, 2, 1, 52);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	for (unsigned disp = 0; disp < 256; disp += 7) {
		m[60 + 10] = (uint8_t)disp;
		assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	}
	m[60 + 11] = MP_MSG_OOL_PORTS_DESCRIPTOR;
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
}

static void test_tcheck_ool_type_is_type_error(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_diag_t d;
	size_t len = t_pool(m, 3, 2, 1, 52);
	m[28 + 11] = MP_MSG_OOL_VOLATILE_DESCRIPTOR;
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "data");
}

static void test_tcheck_oolport_type_and_disposition_are_type_error(void **state)
{
	(void)state;
	uint8_t m[600];
	size_t len = t_pool(m, 3, 2, 1, 52);
	m[44 + 10] = 19;
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
	m[44 + 10] = 17;
	m[44 + 11] = MP_MSG_OOL_DESCRIPTOR;
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
}

/* A fixed OOL: "type != OOL || size != N"; fixed OOL ports: "count != N". */
static const mp_spec_desc_t fixed_descs[] = {
	{"blob", MP_MSG_OOL_DESCRIPTOR, MP_SPEC_DESC_FIXED, MP_SPEC_NONE, MP_SPEC_ANY_DISPOSITION,
	 64, 1, 0, 1, 0},
	{"names", MP_MSG_OOL_PORTS_DESCRIPTOR, MP_SPEC_DESC_FIXED, MP_SPEC_NONE, 1u << 17, 3, 1, 0,
	 4, 19},
};
static const mp_spec_routine_t fixed_rt = {
	"fixed_ool", 500, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, 0,
	{1, 1, 2, 0, 0, fixed_descs, NULL, 68, 68},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};
static const mp_spec_routine_t *const fixed_routines[] = {&fixed_rt};
static const mp_spec_subsystem_t fixed_ss = {"fixed", 500, 1, fixed_routines, 68, 0};

static void test_tcheck_fixed_ool_size_and_oolport_count_are_type_error(void **state)
{
	(void)state;
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS | T_COMPLEX, 68, 500);
	t_put32(m, 24, 2);
	t_ool_desc(m, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 64, 0);
	t_ool_desc(m, 44, MP_MSG_OOL_PORTS_DESCRIPTOR, 0x2000, 3, 17);
	t_ndr(m, 60);
	size_t len = t_trailer(m, 68, 8);
	assert_int_equal(check_mig(&fixed_ss, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 28 + 12, 63);
	assert_int_equal(check_mig(&fixed_ss, m, len, NULL), MP_MIG_TYPE_ERROR);
	t_put32(m, 28 + 12, 64);
	t_put32(m, 44 + 12, 4);
	assert_int_equal(check_mig(&fixed_ss, m, len, NULL), MP_MIG_TYPE_ERROR);
}

/* ---- WriteCheckMsgSize / WriteCheckArgSize ------------------------------------------ */

static void test_check_msg_size_count_above_max_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	t_put32(m, 64, 3);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.reason, "mach_exception_raise: codeCnt: count 3 > 2 at offset 64");
	assert_string_equal(d.field, "codeCnt");
	assert_int_equal(d.offset, 64);
	t_put32(m, 64, 0xffffffffu);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_msg_size_last_var_size_not_min_plus_delta_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	for (uint32_t cnt = 0; cnt <= 2; cnt++) {
		size_t len = t_mer(m, cnt);
		assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
		for (uint32_t other = 0; other <= 2; other++) {
			t_put32(m, 64, other);
			assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d),
					 other == cnt ? MP_MIG_SUCCESS : MP_MIG_BAD_ARGUMENTS);
		}
	}
	/* A size inside [min, max] that is not min + 8 * count: 72 with one code. */
	t_mer(m, 1);
	t_put32(m, 4, 72);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, 84, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "code");
}

static void test_check_msg_size_non_last_var_size_below_min_plus_delta(void **state)
{
	(void)state;
	/* mach_exception_raise_state: code (non-last, "<") then old_state (last, "!="). */
	uint8_t m[256];
	memset(m, 0, sizeof m);
	t_ndr(m, 24);
	t_put32(m, 32, 1);
	t_put32(m, 36, 2);     /* codeCnt */
	t_put64(m, 40, 1);
	t_put64(m, 48, 2);
	t_put32(m, 56, 7);     /* flavor */
	t_put32(m, 60, 3);     /* old_stateCnt */
	t_put32(m, 64, 0xa);
	t_put32(m, 68, 0xb);
	t_put32(m, 72, 0xc);
	t_header(m, T_BITS, 76, 2406);
	size_t len = t_trailer(m, 76, 8);
	mp_spec_view_t v;
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	assert_int_equal(v.field_offset[T_MERS_FLAVOR], 56);
	assert_int_equal(v.field_count[T_MERS_OLD_STATE], 3);
	/* codeCnt 2 in a 52-byte message: 52 < min (48) + 16 -> the non-last rule. */
	t_put32(m, 4, 52);
	mp_spec_diag_t d;
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "code");
	/* codeCnt 1: flavor and old_stateCnt move down by 8 (In1P = In0P + 8 - 16). */
	t_put32(m, 36, 1);
	t_put32(m, 48, 7);
	t_put32(m, 52, 3);
	t_put32(m, 56, 0xa);
	t_put32(m, 60, 0xb);
	t_put32(m, 64, 0xc);
	t_put32(m, 4, 68);
	len = t_trailer(m, 68, 8);
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	assert_int_equal(v.field_offset[T_MERS_FLAVOR], 48);
	assert_int_equal(v.field_offset[T_MERS_OLD_STATECNT], 52);
	assert_int_equal(v.field_offset[T_MERS_OLD_STATE], 56);
	uint32_t flavor;
	assert_true(mp_spec_field_u32(&v, T_MERS_FLAVOR, &flavor));
	assert_int_equal(flavor, 7);
	/* old_stateCnt 4 does not fit the 68 bytes: last rule, != min + delta. */
	t_put32(m, 52, 4);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
	/* old_stateCnt 1297 > 1296 */
	t_put32(m, 52, 1297);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "old_stateCnt");
	assert_int_equal(d.offset, 52);
}

static void test_check_msg_size_char_array_delta_is_walign(void **state)
{
	(void)state;
	uint8_t m[256];
	mp_spec_view_t v;
	for (uint32_t nb = 0; nb <= 10; nb++) {
		size_t len = t_pstr(m, "n", "f", nb, 1);
		assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
				 MP_MIG_SUCCESS);
		assert_int_equal(v.field_count[T_PSTR_B], nb);
		/* nameCnt 2 -> _WALIGN_(2) = 4: fixed at 40 + 4 */
		assert_int_equal(v.field_offset[T_PSTR_FIXED], 44);
		assert_int_equal(v.field_offset[T_PSTR_ICNT], 76 + 4 + ((nb + 3) & ~3u));
	}
	/* bCnt 11 > 10 */
	size_t len = t_pstr(m, "n", "f", 10, 1);
	t_put32(m, 76, 11);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
	/* bCnt 9 in a message laid out for 10: _WALIGN_(9) == _WALIGN_(10), accepted */
	t_put32(m, 76, 9);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	/* bCnt 8: iCnt is read 4 bytes earlier, in b's padding (0) -> size mismatch */
	t_put32(m, 76, 8);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_check_msg_size_unsigned_wrap_as_mig(void **state)
{
	(void)state;
	/* A count whose byte size wraps 32 bits but is <= max can't exist here; a
	 * count above max is refused before any arithmetic, as in MIG. */
	uint8_t m[128];
	size_t len = t_mer(m, 0);
	t_put32(m, 64, 0x20000000u); /* 8 * count wraps to 0 */
	assert_int_equal(check_mig(&t_mach_exc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

/* Two variable arrays whose counts both come first: b's count lies before a,
 * which moves nothing before it (MIG puts each count just before its array;
 * the engine does not rely on it). */
static const mp_spec_field_t twovar_fields[] = {
	{"aCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 32},
	{"bCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 36},
	{"a", MP_SPEC_VAR_ARRAY, 2, 0, 4, 2, 8, 40},
	{"b", MP_SPEC_VAR_ARRAY, 2, 1, 4, 2, 8, 48},
};
static const mp_spec_routine_t twovar_rt = {
	"twovar", 700, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, 0,
	{0, 1, 0, 4, 2, NULL, twovar_fields, 40, 56},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};
static const mp_spec_routine_t *const twovar_routines[] = {&twovar_rt};
static const mp_spec_subsystem_t twovar_ss = {"twovar", 700, 1, twovar_routines, 56, 0};

/* The same with b's count pointing after b: a table mp_spec_validate refuses. */
static const mp_spec_field_t badvar_fields[] = {
	{"aCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 32},
	{"a", MP_SPEC_VAR_ARRAY, 2, 2, 4, 2, 8, 36},
	{"bCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 44},
};
static const mp_spec_routine_t badvar_rt = {
	"badvar", 800, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, 0,
	{0, 1, 0, 3, 1, NULL, badvar_fields, 40, 48},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};
static const mp_spec_routine_t *const badvar_routines[] = {&badvar_rt};
static const mp_spec_subsystem_t badvar_ss = {"badvar", 800, 1, badvar_routines, 48, 0};

static void test_check_msg_size_count_field_before_an_earlier_variable_field(void **state)
{
	(void)state;
	assert_int_equal(mp_spec_validate(&twovar_ss, NULL), MP_OK);
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS, 52, 700);
	t_ndr(m, 24);
	t_put32(m, 32, 1);
	t_put32(m, 36, 2);
	t_put32(m, 40, 0xa);
	t_put32(m, 44, 0xb0);
	t_put32(m, 48, 0xb1);
	size_t len = t_trailer(m, 52, 8);
	mp_spec_view_t v;
	assert_int_equal(check(&twovar_ss, m, len, MP_SPEC_MIG, &v, NULL), MP_MIG_SUCCESS);
	assert_int_equal(v.field_offset[3], 44);
	assert_int_equal(v.field_count[3], 2);
	t_put32(m, 36, 3);
	assert_int_equal(check_mig(&twovar_ss, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_invalid_table_is_refused_not_followed(void **state)
{
	(void)state;
	assert_int_equal(mp_spec_validate(&badvar_ss, NULL), MP_E_INVALID_ARG);
	uint8_t m[128];
	mp_spec_diag_t d;
	memset(m, 0, sizeof m);
	t_header(m, T_BITS, 40, 800);
	t_ndr(m, 24);
	size_t len = t_trailer(m, 40, 8);
	assert_int_equal(check_mig(&badvar_ss, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_non_null(strstr(d.reason, "is the spec valid?"));
}

/* ---- WriteOOLSizeCheck ------------------------------------------------------------ */

static void test_ool_size_check_size_over_mult_not_count_is_type_error(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_diag_t d;
	size_t len = t_pool(m, 3, 2, 1, 52);
	t_put32(m, 28 + 12, 13); /* 13 / 4 == 3: accepted as MIG does */
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 28 + 12, 16);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "data");
}

static void test_ool_size_check_ports_count_not_count_is_type_error(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_diag_t d;
	size_t len = t_pool(m, 3, 2, 1, 52);
	t_put32(m, 44 + 12, 2);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "ports");
	/* The count field after the variable data2 is read at its moved place. */
	len = t_pool(m, 3, 0, 5, 52);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	len = t_pool(m, 3, 100, 5, 52);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
}

static void test_ool_size_check_comes_after_inline_checks(void **state)
{
	(void)state;
	uint8_t m[600];
	size_t len = t_pool(m, 3, 2, 1, 52);
	t_put32(m, 28 + 12, 16); /* OOL size mismatch ... */
	t_put32(m, 96, 101);     /* ... and data2Cnt > 100: inline first */
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

/* Variable OOL with a maximum: "|| count > itOOL_Number". */
static const mp_spec_desc_t oolmax_descs[] = {
	{"big", MP_MSG_OOL_DESCRIPTOR, 0, 0, MP_SPEC_ANY_DISPOSITION, 0, 4, 1000, 4, 0},
	{"names", MP_MSG_OOL_PORTS_DESCRIPTOR, 0, 1, 1u << 17, 0, 1, 8, 4, 19},
};
static const mp_spec_field_t oolmax_fields[] = {
	{"bigCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 68},
	{"namesCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 72},
};
static const mp_spec_routine_t oolmax_rt = {
	"oolmax", 600, MP_SPEC_ROUTINE, 0, 0, {0}, 0,
	{1, 1, 2, 2, 0, oolmax_descs, oolmax_fields, 76, 76},
	{0, 1, 0, 0, 0, NULL, NULL, 36, 36},
};
static const mp_spec_routine_t *const oolmax_routines[] = {&oolmax_rt};
static const mp_spec_subsystem_t oolmax_ss = {"oolmax", 600, 1, oolmax_routines, 76, 36};

static void test_ool_size_check_count_above_ool_max_is_type_error(void **state)
{
	(void)state;
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS | T_COMPLEX, 76, 600);
	t_put32(m, 24, 2);
	t_ool_desc(m, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 4000, 0);
	t_ool_desc(m, 44, MP_MSG_OOL_PORTS_DESCRIPTOR, 0x2000, 8, 17);
	t_ndr(m, 60);
	t_put32(m, 68, 1000);
	t_put32(m, 72, 8);
	size_t len = t_trailer(m, 76, 8);
	assert_int_equal(check_mig(&oolmax_ss, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 28 + 12, 4004);
	t_put32(m, 68, 1001);
	assert_int_equal(check_mig(&oolmax_ss, m, len, NULL), MP_MIG_TYPE_ERROR);
	t_put32(m, 28 + 12, 4000);
	t_put32(m, 68, 1000);
	t_put32(m, 44 + 12, 9);
	t_put32(m, 72, 9);
	assert_int_equal(check_mig(&oolmax_ss, m, len, NULL), MP_MIG_TYPE_ERROR);
}

/* Four ports and an OOL descriptor, then only the OOL count, no trailer: the
 * buffer is shorter than 16 bytes per descriptor (the exact walk), and the
 * OOL size is still compared with its count. */
static const mp_spec_desc_t short_descs[] = {
	{"a", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, 1u << 17, 0, 1, 0, 0, 19},
	{"b", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, 1u << 17, 0, 1, 0, 0, 19},
	{"c", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, 1u << 17, 0, 1, 0, 0, 19},
	{"d", MP_MSG_PORT_DESCRIPTOR, 0, MP_SPEC_NONE, 1u << 17, 0, 1, 0, 0, 19},
	{"blob", MP_MSG_OOL_DESCRIPTOR, 0, 0, MP_SPEC_ANY_DISPOSITION, 0, 1, 0, 1, 0},
};
static const mp_spec_field_t short_fields[] = {
	{"blobCnt", MP_SPEC_COUNT, 2, MP_SPEC_NONE, 4, 1, 4, 100},
};
static const mp_spec_routine_t short_rt = {
	"short", 900, MP_SPEC_SIMPLEROUTINE, 0, 0, {0}, 0,
	{1, 1, 5, 1, 0, short_descs, short_fields, 104, 104},
	{0, 0, 0, 0, 0, NULL, NULL, 0, 0},
};
static const mp_spec_routine_t *const short_routines[] = {&short_rt};
static const mp_spec_subsystem_t short_ss = {"short", 900, 1, short_routines, 104, 0};

static void test_ool_size_check_in_a_buffer_shorter_than_16_bytes_per_descriptor(void **state)
{
	(void)state;
	assert_int_equal(mp_spec_validate(&short_ss, NULL), MP_OK);
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS | T_COMPLEX, 104, 900);
	t_put32(m, 24, 5);
	for (uint32_t i = 0; i < 4; i++)
		t_port_desc(m, 28 + 12 * i, 0x303 + 0x100 * i, 17);
	t_ool_desc(m, 76, MP_MSG_OOL_DESCRIPTOR, 0x1000, 5, 0);
	t_ndr(m, 92);
	t_put32(m, 100, 5);
	/* 104 bytes < 28 + 5 * 16 */
	assert_int_equal(check_mig(&short_ss, m, 104, NULL), MP_MIG_SUCCESS);
	t_put32(m, 100, 6);
	assert_int_equal(check_mig(&short_ss, m, 104, NULL), MP_MIG_TYPE_ERROR);
	t_put32(m, 100, 5);
	m[64 + 10] = 18;
	assert_int_equal(check_mig(&short_ss, m, 104, NULL), MP_MIG_TYPE_ERROR);
}

/* ---- WriteStringTerminatorCheck ---------------------------------------------------- */

static void test_string_check_var_string_without_nul_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[256];
	mp_spec_diag_t d;
	size_t len = t_pstr(m, "abc", "f", 0, 0);
	/* name's 4 bytes "abc\0" -> "abcd": the NUL search goes on past nameCnt
	 * (min(msg_limit - name, 64) bytes) and finds fixed's NUL, as MIG's does. */
	m[43] = 'd';
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	/* 64 bytes of name with no NUL among them. */
	char name[65];
	memset(name, 'n', 63);
	name[63] = 0;
	len = t_pstr(m, name, "f", 0, 0);
	m[40 + 63] = 'n';
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "name");
	assert_int_equal(d.offset, 40);
}

static void test_string_check_fixed_string_without_nul_is_bad_arguments(void **state)
{
	(void)state;
	uint8_t m[256];
	mp_spec_diag_t d;
	size_t len = t_pstr(m, "abc", "fixed", 0, 0);
	memset(m + 44, 'x', 32);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "fixed");
	assert_int_equal(d.offset, 44);
}

static void test_string_check_limit_is_message_end(void **state)
{
	(void)state;
	/* A var string last in the message: its NUL search stops at msgh_size. */
	uint8_t m[256];
	memset(m, 0, sizeof m);
	t_header(m, 0, 0, 0);
	/* p_out's request has no string; build one from p_str with name of 64 bytes. */
	char name[65];
	memset(name, 'n', 63);
	name[63] = 0;
	size_t len = t_pstr(m, name, "f", 0, 0);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	m[40 + 63] = 'n';
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

/* ---- WriteCheckTrailerHead / WriteCheckTrailerSize ------------------------------------- */

static void test_trailer_type_not_format_0_is_trailer_error(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_diag_t d;
	size_t len = t_pool(m, 3, 2, 1, 52);
	uint32_t t = t_get32(m, 4);
	t_put32(m, t, 1);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TRAILER_ERROR);
	assert_string_equal(d.field, "msgh_trailer_type");
	assert_int_equal(d.offset, t);
}

static void test_trailer_size_cumulative_is_trailer_error(void **state)
{
	(void)state;
	/* p_ool asks for an audit token (32) then a seqno (4): trailer_size (the
	 * whole msgh_trailer_size) must hold 32, then 4 more. */
	uint8_t m[600];
	mp_spec_diag_t d;
	size_t len = t_pool(m, 3, 2, 1, 52);
	uint32_t t = t_get32(m, 4);
	for (uint32_t ts = 0; ts <= 68; ts += 4) {
		t_put32(m, t + 4, ts);
		int32_t want = ts < 32 || ts - 32 < 4 ? MP_MIG_TRAILER_ERROR : MP_MIG_SUCCESS;
		if (ts > 52)
			want = MP_MIG_TRAILER_ERROR; /* past the 52 bytes the buffer has */
		assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), want);
	}
	t_put32(m, t + 4, 20);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TRAILER_ERROR);
	assert_string_equal(d.field, "msgh_audit");
	t_put32(m, t + 4, 32);
	assert_int_equal(check_mig(&t_probe_subsystem, m, len, &d), MP_MIG_TRAILER_ERROR);
	assert_string_equal(d.field, "msgh_seqno");
}

static void test_trailer_missing_from_buffer_is_trailer_error(void **state)
{
	(void)state;
	uint8_t m[600];
	size_t len = t_pool(m, 3, 2, 1, 52);
	uint32_t size = t_get32(m, 4);
	for (size_t l = size; l < len; l++)
		assert_int_equal(check_mig(&t_probe_subsystem, m, l, NULL), MP_MIG_TRAILER_ERROR);
	/* A routine with no trailer element reads no trailer at all. */
	uint8_t e[128];
	size_t elen = t_mer(e, 2);
	assert_int_equal(check_mig(&t_mach_exc_subsystem, e, elen - 8, NULL), MP_MIG_SUCCESS);
}

/* ---- WriteRetCArgCheckError ----------------------------------------------------------- */

static void test_retcarg_error_form_is_accepted(void **state)
{
	(void)state;
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS, 36, 3125);
	t_ndr(m, 24);
	t_put32(m, 32, 0x10000003u);
	size_t len = t_trailer(m, 36, 12);
	mp_spec_view_t v;
	assert_int_equal(check(&t_retc_subsystem, m, len, MP_SPEC_MIG, &v, NULL), MP_MIG_SUCCESS);
	uint32_t rc;
	assert_true(mp_spec_field_u32(&v, 0, &rc));
	assert_int_equal(rc, 0x10000003u);
	/* even RetCode KERN_SUCCESS: _X takes the 36-byte simple form before the check */
	t_put32(m, 32, 0);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	/* the trailer's type is checked (WriteCheckTrailerHead), not its size */
	t_put32(m, 40, 8);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 36, 2);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_TRAILER_ERROR);
	/* a simple message of another size is the check head's MIG_BAD_ARGUMENTS */
	t_put32(m, 36, 0);
	t_put32(m, 4, 40);
	len = t_trailer(m, 40, 12);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_BAD_ARGUMENTS);
}

static void test_retcarg_complex_form_is_checked(void **state)
{
	(void)state;
	uint8_t m[128];
	memset(m, 0, sizeof m);
	t_header(m, T_BITS | T_COMPLEX, 64, 3125);
	t_put32(m, 24, 1);
	t_port_desc(m, 28, 0x703, 18);
	t_ndr(m, 40);
	t_put32(m, 48, 0);
	size_t len = t_trailer(m, 64, 12);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	m[28 + 10] = 17;
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_TYPE_ERROR);
	m[28 + 10] = 18;
	/* seqno asked: MIG's trailer_size is the whole msgh_trailer_size (head
	 * included), so 8 passes and only a size below 4 fails. */
	t_put32(m, 64 + 4, 8);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_SUCCESS);
	t_put32(m, 64 + 4, 3);
	assert_int_equal(check_mig(&t_retc_subsystem, m, len, NULL), MP_MIG_TRAILER_ERROR);
}

/* ---- MP_SPEC_STRICT -------------------------------------------------------------------- */

static void test_strict_adds_recv_parser_rules(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_diag_t d;
	/* A trailer of 36 bytes passes MIG's cumulative check (32 + 4) but is not
	 * a size the kernel delivers. */
	size_t len = t_pool(m, 3, 2, 1, 52);
	uint32_t t = t_get32(m, 4);
	t_put32(m, t + 4, 36);
	len = t + 36;
	assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_MIG, NULL, NULL),
			 MP_MIG_SUCCESS);
	assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_STRICT, NULL, &d),
			 MP_MIG_BAD_ARGUMENTS);
	assert_int_equal(d.parser_err, MP_E_TRAILER_SIZE);
	/* A well-formed message passes both. */
	len = t_pool(m, 3, 2, 1, 52);
	assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_STRICT, NULL, &d),
			 MP_MIG_SUCCESS);
	assert_int_equal(d.parser_err, MP_OK);
}

static void test_strict_applies_to_the_retcarg_error_form(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	memset(m, 0, sizeof m);
	t_header(m, T_BITS, 36, 3125);
	t_ndr(m, 24);
	t_put32(m, 32, 5);
	size_t len = t_trailer(m, 36, 12);
	assert_int_equal(check(&t_retc_subsystem, m, len, MP_SPEC_STRICT, NULL, &d), MP_MIG_SUCCESS);
	t_put32(m, 40, 16); /* not a size the kernel delivers */
	len = 36 + 16;
	assert_int_equal(check(&t_retc_subsystem, m, len, MP_SPEC_MIG, NULL, NULL), MP_MIG_SUCCESS);
	assert_int_equal(check(&t_retc_subsystem, m, len, MP_SPEC_STRICT, NULL, &d),
			 MP_MIG_BAD_ARGUMENTS);
	assert_int_equal(d.parser_err, MP_E_TRAILER_SIZE);
}

static void test_strict_checks_reply_port_disposition(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_diag_t d;
	size_t len = t_mer(m, 2);
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_STRICT, NULL, &d),
			 MP_MIG_SUCCESS);
	t_put32(m, 0, T_COMPLEX | 17u | (17u << 8)); /* reply port PORT_SEND, not SEND_ONCE */
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_MIG, NULL, NULL),
			 MP_MIG_SUCCESS);
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_STRICT, NULL, &d),
			 MP_MIG_BAD_ARGUMENTS);
	assert_string_equal(d.field, "msgh_remote_port");
	assert_int_equal(d.parser_err, MP_E_RECV_REMOTE_BITS);
}

/* ---- the view and typed access ------------------------------------------------------ */

static void test_view_of_mach_exception_raise(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_view_t v;
	size_t len = t_mer(m, 2);
	assert_int_equal(check(&t_mach_exc_subsystem, m, len, MP_SPEC_MIG, &v, NULL),
			 MP_MIG_SUCCESS);
	assert_ptr_equal(v.routine, &t_mach_exception_raise);
	assert_ptr_equal(v.msg, &t_mach_exception_raise.request);
	assert_int_equal(v.msgh_size, 84);
	assert_int_equal(v.trailer_offset, 0);
	uint32_t exc, cnt;
	assert_true(mp_spec_field_u32(&v, T_MER_EXCEPTION, &exc));
	assert_int_equal(exc, 1);
	const uint8_t *code = mp_spec_field(&v, T_MER_CODE, &cnt);
	assert_ptr_equal(code, m + 68);
	assert_int_equal(cnt, 2);
	assert_int_equal(mp_load_le64(code + 8), 0x1001);
	uint64_t u64;
	assert_false(mp_spec_field_u64(&v, T_MER_EXCEPTION, &u64));
	assert_false(mp_spec_field_u32(&v, T_MER_CODE, &exc)); /* not a scalar */
	assert_false(mp_spec_field_u32(&v, 99, &exc));
	assert_null(mp_spec_field_string(&v, T_MER_CODE));
	mp_desc_t dsc;
	assert_true(mp_spec_desc(&v, 1, &dsc));
	assert_int_equal(dsc.name, 0x403);
	assert_int_equal(dsc.disposition, 17);
	assert_int_equal(dsc.offset, 40);
	assert_false(mp_spec_desc(&v, 2, &dsc));
	assert_int_equal(mp_spec_field_index(v.msg, "codeCnt"), T_MER_CODECNT);
	assert_int_equal(mp_spec_field_index(v.msg, "nope"), -1);
	assert_int_equal(mp_spec_desc_index(v.msg, "task"), 1);
	assert_int_equal(mp_spec_desc_index(v.msg, "nope"), -1);
	/* the trailer is there even if the routine asked for nothing */
	uint8_t seq[4];
	assert_false(mp_spec_trailer(&v, MP_SPEC_TRAILER_SEQNO, seq, sizeof seq)); /* 8 bytes only */
}

static void test_view_of_p_str_and_p_ool(void **state)
{
	(void)state;
	uint8_t m[600];
	mp_spec_view_t v;
	size_t len = t_pstr(m, "hello", "fixed-name", 5, 3);
	assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_MIG, &v, NULL), MP_MIG_SUCCESS);
	assert_string_equal(mp_spec_field_string(&v, T_PSTR_NAME), "hello");
	assert_string_equal(mp_spec_field_string(&v, T_PSTR_FIXED), "fixed-name");
	uint32_t n;
	const uint8_t *b = mp_spec_field(&v, T_PSTR_B, &n);
	assert_int_equal(n, 5);
	assert_memory_equal(b, "abcde", 5);
	const uint8_t *i = mp_spec_field(&v, T_PSTR_I, &n);
	assert_int_equal(n, 3);
	assert_int_equal(mp_load_le32(i + 8), 102);
	uint64_t pair;
	assert_true(mp_spec_field_u64(&v, T_PSTR_P, &pair));
	assert_int_equal(pair, 7 | ((uint64_t)8 << 32));

	len = t_pool(m, 3, 2, 5, 52);
	assert_int_equal(check(&t_probe_subsystem, m, len, MP_SPEC_MIG, &v, NULL), MP_MIG_SUCCESS);
	assert_int_equal(v.trailer_offset, t_get32(m, 4));
	uint32_t cnt;
	assert_true(mp_spec_field_u32(&v, T_POOL_PORTSCNT, &cnt));
	assert_int_equal(cnt, 5);
	mp_desc_t dsc;
	assert_true(mp_spec_desc(&v, T_POOL_D_DATA, &dsc));
	assert_int_equal(dsc.type, MP_MSG_OOL_DESCRIPTOR);
	assert_int_equal(dsc.length, 12);
	assert_true(mp_spec_desc(&v, T_POOL_D_PORTS, &dsc));
	assert_int_equal(dsc.length, 5);
	uint8_t audit[32], seqno[4];
	assert_true(mp_spec_trailer(&v, MP_SPEC_TRAILER_AUDIT, audit, sizeof audit));
	assert_int_equal(audit[0], 0xa0);
	assert_int_equal(audit[31], 0xa0 + 31);
	assert_true(mp_spec_trailer(&v, MP_SPEC_TRAILER_SEQNO, seqno, sizeof seqno));
	assert_int_equal(mp_load_le32(seqno), 77);
	assert_false(mp_spec_trailer(&v, MP_SPEC_TRAILER_CONTEXT, audit, sizeof audit));
	assert_false(mp_spec_trailer(&v, MP_SPEC_TRAILER_AUDIT, audit, 31));
}

/* Every rule bounded by len: mutated and truncated messages of every routine,
 * from exact-size heap copies (ASan), give a named code and never crash; an
 * accepted message's fields lie inside it. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void test_mutated_messages_never_read_outside_the_buffer(void **state)
{
	(void)state;
	uint64_t seed = 13;
	for (int round = 0; round < 4000; round++) {
		uint8_t m[600];
		size_t len;
		const mp_spec_subsystem_t *ss = &t_probe_subsystem;
		switch (round % 4) {
		case 0:
			len = t_mer(m, (uint32_t)(round / 4 % 3));
			ss = &t_mach_exc_subsystem;
			break;
		case 1:
			len = t_pstr(m, "name", "fixed", (uint32_t)(round % 11), (uint32_t)(round % 6));
			break;
		case 2:
			len = t_pool(m, 3, (uint32_t)(round % 101), 2, 52);
			break;
		default:
			len = t_pool(m, 1, 0, 0, 52);
			break;
		}
		int nmut = 1 + (int)(rng_next(&seed) % 4);
		for (int k = 0; k < nmut && len > 0; k++) {
			uint64_t r = rng_next(&seed);
			size_t at = (size_t)(r % len);
			switch ((r >> 32) % 4) {
			case 0:
				m[at] ^= (uint8_t)(1u << ((r >> 40) % 8));
				break;
			case 1:
				m[at] = (uint8_t)(r >> 48);
				break;
			case 2:
				len = (size_t)((r >> 16) % (len + 1));
				break;
			default:
				if (at + 4 <= len)
					t_put32(m, at, (uint32_t)(r >> 32));
				break;
			}
		}
		mp_spec_view_t v;
		mp_spec_diag_t d;
		int32_t code = check(ss, m, len, round % 8 == 0 ? MP_SPEC_STRICT : MP_SPEC_MIG, &v, &d);
		if (code != MP_MIG_SUCCESS) {
			assert_int_equal(d.code, code);
			assert_true(strlen(d.reason) > 0);
			assert_string_not_equal(mp_mig_code_name(code), "unknown");
			continue;
		}
		for (unsigned i = 0; i < v.msg->nfields; i++) {
			const mp_spec_field_t *f = &v.msg->fields[i];
			uint64_t bytes = f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING
						 ? (uint64_t)f->elem_size * v.field_count[i]
						 : f->wire_size;
			assert_true(v.field_offset[i] + bytes <= v.msgh_size);
		}
	}
}

static void test_mig_code_names(void **state)
{
	(void)state;
	assert_string_equal(mp_mig_code_name(MP_MIG_SUCCESS), "KERN_SUCCESS");
	assert_string_equal(mp_mig_code_name(MP_MIG_BAD_ARGUMENTS), "MIG_BAD_ARGUMENTS");
	assert_string_equal(mp_mig_code_name(MP_MIG_TYPE_ERROR), "MIG_TYPE_ERROR");
	assert_string_equal(mp_mig_code_name(MP_MIG_BAD_ID), "MIG_BAD_ID");
	assert_string_equal(mp_mig_code_name(MP_MIG_TRAILER_ERROR), "MIG_TRAILER_ERROR");
	assert_string_equal(mp_mig_code_name(MP_MIG_REPLY_MISMATCH), "MIG_REPLY_MISMATCH");
	assert_string_equal(mp_mig_code_name(MP_MIG_SERVER_DIED), "MIG_SERVER_DIED");
	assert_string_equal(mp_mig_code_name(MP_MIG_ARRAY_TOO_LARGE), "MIG_ARRAY_TOO_LARGE");
	assert_string_equal(mp_mig_code_name(MP_MIG_REMOTE_ERROR), "MIG_REMOTE_ERROR");
	assert_string_equal(mp_mig_code_name(MP_MIG_NO_REPLY), "MIG_NO_REPLY");
	assert_string_equal(mp_mig_code_name(MP_MIG_EXCEPTION), "MIG_EXCEPTION");
	assert_string_equal(mp_mig_code_name(12345), "unknown");
}

/* ---- mp_spec_check_reply: user.c WriteCheckReply ------------------------------------ */

static void reply_header(uint8_t *m, uint32_t bits, uint32_t size, int32_t id)
{
	t_header(m, bits, size, id);
	t_put32(m, 8, 0);     /* a reply carries no request port */
	t_put32(m, 12, 0x207); /* the reply port it came in on */
}

static int32_t check_reply(const mp_spec_routine_t *rt, const uint8_t *msg, size_t len,
			   mp_spec_view_t *view, mp_spec_diag_t *diag)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, msg, len);
	int32_t code = mp_spec_check_reply(rt, copy, len, MP_SPEC_MIG, view, diag);
	assert_int_equal(mp_spec_check_reply(rt, copy, len, MP_SPEC_MIG, NULL, NULL), code);
	free(copy);
	if (view != NULL)
		view->bytes = msg;
	return code;
}

static void test_check_identity_reply_mismatch_and_server_died(void **state)
{
	(void)state;
	uint8_t m[64];
	mp_spec_diag_t d;
	memset(m, 0, sizeof m);
	reply_header(m, 17, 36, 2505);
	t_ndr(m, 24);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, NULL), MP_MIG_SUCCESS);
	t_put32(m, 20, 2506);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, &d),
			 MP_MIG_REPLY_MISMATCH);
	assert_string_equal(d.field, "msgh_id");
	t_put32(m, 20, 0x47); /* MACH_NOTIFY_SEND_ONCE */
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, NULL),
			 MP_MIG_SERVER_DIED);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 20, NULL, NULL),
			 MP_MIG_BAD_ARGUMENTS);
}

static void test_check_identity_reply_without_arguments_returns_retcode(void **state)
{
	(void)state;
	uint8_t m[64];
	memset(m, 0, sizeof m);
	reply_header(m, 17, 36, 2505);
	t_ndr(m, 24);
	t_put32(m, 32, 5);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, NULL), 5);
	t_put32(m, 32, 0);
	t_put32(m, 4, 40);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 40, NULL, NULL), MP_MIG_TYPE_ERROR);
	t_put32(m, 4, 36);
	t_put32(m, 0, 17 | T_COMPLEX);
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, NULL), MP_MIG_TYPE_ERROR);
	t_put32(m, 0, 17);
	t_put32(m, 8, 0x303); /* "Check the remote port is NULL" */
	mp_spec_diag_t d;
	assert_int_equal(check_reply(&t_mach_exception_raise, m, 36, NULL, &d), MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "msgh_remote_port");
}

static size_t mers_reply(uint8_t *m, uint32_t n, int32_t rc)
{
	memset(m, 0, 128);
	t_ndr(m, 24);
	t_put32(m, 32, (uint32_t)rc);
	t_put32(m, 36, 7);
	t_put32(m, 40, n);
	for (uint32_t i = 0; i < n; i++)
		t_put32(m, 44 + 4 * i, i);
	reply_header(m, 17, 44 + 4 * n, 2506);
	return 44 + 4 * n;
}

static void test_check_reply_simple_with_variable_field(void **state)
{
	(void)state;
	uint8_t m[128];
	mp_spec_view_t v;
	mp_spec_diag_t d;
	size_t len = mers_reply(m, 3, 0);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, len, &v, NULL),
			 MP_MIG_SUCCESS);
	assert_int_equal(v.field_count[3], 3);
	/* WriteRetCodeCheck: a failure in a full reply is returned */
	len = mers_reply(m, 3, 9);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, len, NULL, NULL), 9);
	/* user.c WriteCheckMsgSize: count > max and a wrong size are MIG_TYPE_ERROR */
	len = mers_reply(m, 3, 0);
	t_put32(m, 40, 1297);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, len, NULL, &d),
			 MP_MIG_TYPE_ERROR);
	assert_string_equal(d.field, "new_stateCnt");
	t_put32(m, 40, 2);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, len, NULL, NULL),
			 MP_MIG_TYPE_ERROR);
	/* the mig_reply_error_t form: 36 bytes with RetCode != KERN_SUCCESS */
	len = mers_reply(m, 0, 0);
	t_put32(m, 4, 36);
	t_put32(m, 32, 0x10000003u);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, 36, NULL, NULL),
			 0x10000003);
	t_put32(m, 32, 0);
	assert_int_equal(check_reply(&t_mach_exception_raise_state, m, 36, NULL, NULL),
			 MP_MIG_TYPE_ERROR);
}

static size_t pout_reply(uint8_t *m, const char *name, uint32_t ndata, uint32_t ni)
{
	memset(m, 0, 256);
	t_put32(m, 24, 2);
	t_ool_desc(m, 28, MP_MSG_OOL_DESCRIPTOR, 0x1000, 4 * ndata, 0);
	t_port_desc(m, 44, 0x803, 17);
	t_ndr(m, 56);
	uint32_t cnt = (uint32_t)strlen(name) + 1;
	t_put32(m, 68, cnt);
	memcpy(m + 72, name, cnt);
	uint32_t at = 72 + ((cnt + 3) & ~3u);
	t_put32(m, at, ndata);
	t_put32(m, at + 4, ni);
	at += 8 + 4 * ni;
	reply_header(m, 17 | T_COMPLEX, at, 7204);
	return at;
}

static void test_check_reply_complex(void **state)
{
	(void)state;
	uint8_t m[256];
	mp_spec_view_t v;
	size_t len = pout_reply(m, "out", 2, 3);
	assert_int_equal(check_reply(&t_p_out, m, len, &v, NULL), MP_MIG_SUCCESS);
	assert_string_equal(mp_spec_field_string(&v, 2), "out");
	/* a reply's strings are not checked (WriteCheckReply has no terminator check) */
	m[75] = 'x';
	assert_int_equal(check_reply(&t_p_out, m, len, NULL, NULL), MP_MIG_SUCCESS);
	/* user.c WriteTCheckKPD_port: disposition */
	len = pout_reply(m, "out", 2, 3);
	m[44 + 10] = 18;
	assert_int_equal(check_reply(&t_p_out, m, len, NULL, NULL), MP_MIG_TYPE_ERROR);
	/* user.c WriteOOLSizeCheck */
	len = pout_reply(m, "out", 2, 3);
	t_put32(m, 28 + 12, 12);
	assert_int_equal(check_reply(&t_p_out, m, len, NULL, NULL), MP_MIG_TYPE_ERROR);
	/* descriptor count */
	len = pout_reply(m, "out", 2, 3);
	t_put32(m, 24, 1);
	assert_int_equal(check_reply(&t_p_out, m, len, NULL, NULL), MP_MIG_TYPE_ERROR);
	/* the simple error form, then with KERN_SUCCESS */
	memset(m, 0, 64);
	reply_header(m, 17, 36, 7204);
	t_ndr(m, 24);
	t_put32(m, 32, 0x10000004u);
	assert_int_equal(check_reply(&t_p_out, m, 36, NULL, NULL), 0x10000004);
	t_put32(m, 32, 0);
	assert_int_equal(check_reply(&t_p_out, m, 36, NULL, NULL), MP_MIG_TYPE_ERROR);
	/* a complex 24-byte reply: the descriptor count lies past the buffer */
	reply_header(m, 17 | T_COMPLEX, 24, 7204);
	assert_int_equal(check_reply(&t_p_out, m, 24, NULL, NULL), MP_MIG_TYPE_ERROR);
	/* a simpleroutine has no reply */
	reply_header(m, 17, 36, 7202);
	assert_int_equal(check_reply(&t_p_simple, m, 36, NULL, NULL), MP_MIG_REPLY_MISMATCH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatcher_id_below_base_is_bad_id),
		cmocka_unit_test(test_dispatcher_id_above_last_is_bad_id),
		cmocka_unit_test(test_dispatcher_null_slot_is_bad_id),
		cmocka_unit_test(test_routine_lookup),
		cmocka_unit_test(test_buffer_shorter_than_header_is_bad_arguments),
		cmocka_unit_test(test_buffer_shorter_than_msgh_size_is_bad_arguments),
		cmocka_unit_test(test_check_head_complex_bit_clear_is_bad_arguments),
		cmocka_unit_test(test_check_head_complex_bit_set_on_simple_is_bad_arguments),
		cmocka_unit_test(test_check_head_descriptor_count_is_bad_arguments),
		cmocka_unit_test(test_check_head_complex_24_byte_message_reads_no_count_past_len),
		cmocka_unit_test(test_check_head_var_size_below_min_or_above_max_is_bad_arguments),
		cmocka_unit_test(test_check_head_fixed_size_differs_is_bad_arguments),
		cmocka_unit_test(test_tcheck_port_type_is_type_error),
		cmocka_unit_test(test_tcheck_port_disposition_is_type_error),
		cmocka_unit_test(test_tcheck_port_type_error_comes_before_msg_size),
		cmocka_unit_test(test_tcheck_poly_port_checks_type_only),
		cmocka_unit_test(test_tcheck_ool_type_is_type_error),
		cmocka_unit_test(test_tcheck_oolport_type_and_disposition_are_type_error),
		cmocka_unit_test(test_tcheck_fixed_ool_size_and_oolport_count_are_type_error),
		cmocka_unit_test(test_check_msg_size_count_above_max_is_bad_arguments),
		cmocka_unit_test(test_check_msg_size_last_var_size_not_min_plus_delta_is_bad_arguments),
		cmocka_unit_test(test_check_msg_size_non_last_var_size_below_min_plus_delta),
		cmocka_unit_test(test_check_msg_size_char_array_delta_is_walign),
		cmocka_unit_test(test_check_msg_size_unsigned_wrap_as_mig),
		cmocka_unit_test(test_check_msg_size_count_field_before_an_earlier_variable_field),
		cmocka_unit_test(test_invalid_table_is_refused_not_followed),
		cmocka_unit_test(test_ool_size_check_size_over_mult_not_count_is_type_error),
		cmocka_unit_test(test_ool_size_check_ports_count_not_count_is_type_error),
		cmocka_unit_test(test_ool_size_check_comes_after_inline_checks),
		cmocka_unit_test(test_ool_size_check_count_above_ool_max_is_type_error),
		cmocka_unit_test(test_ool_size_check_in_a_buffer_shorter_than_16_bytes_per_descriptor),
		cmocka_unit_test(test_string_check_var_string_without_nul_is_bad_arguments),
		cmocka_unit_test(test_string_check_fixed_string_without_nul_is_bad_arguments),
		cmocka_unit_test(test_string_check_limit_is_message_end),
		cmocka_unit_test(test_trailer_type_not_format_0_is_trailer_error),
		cmocka_unit_test(test_trailer_size_cumulative_is_trailer_error),
		cmocka_unit_test(test_trailer_missing_from_buffer_is_trailer_error),
		cmocka_unit_test(test_retcarg_error_form_is_accepted),
		cmocka_unit_test(test_retcarg_complex_form_is_checked),
		cmocka_unit_test(test_strict_adds_recv_parser_rules),
		cmocka_unit_test(test_strict_applies_to_the_retcarg_error_form),
		cmocka_unit_test(test_strict_checks_reply_port_disposition),
		cmocka_unit_test(test_view_of_mach_exception_raise),
		cmocka_unit_test(test_view_of_p_str_and_p_ool),
		cmocka_unit_test(test_mutated_messages_never_read_outside_the_buffer),
		cmocka_unit_test(test_mig_code_names),
		cmocka_unit_test(test_check_identity_reply_mismatch_and_server_died),
		cmocka_unit_test(test_check_identity_reply_without_arguments_returns_retcode),
		cmocka_unit_test(test_check_reply_simple_with_variable_field),
		cmocka_unit_test(test_check_reply_complex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
