/*
 * lib/spec/tests/defs_layout_test.c: each construct of lib/spec/testdata
 * reads to MIG's layout (the values scripts/mig-layout-check proved against
 * MIG's headers), and every read table passes our consistency rules.
 */
#include "lib/spec/tests/defs_test_support.h"

#define TD "lib/spec/testdata/"

typedef struct fixture {
	mp_defs_t *d;
	const mp_spec_subsystem_t *ss;
} fixture_t;

static fixture_t t_open(const char *file)
{
	fixture_t f;
	f.d = t_read(file);
	f.ss = mp_defs_subsystem(f.d);
	t_check_subsystem(f.ss);
	return f;
}

static void assert_field(const mp_spec_msg_t *m, const char *name, uint8_t kind, uint32_t offset,
			 uint32_t wire_size, uint32_t elem_size, uint32_t max)
{
	const mp_spec_field_t *f = &m->fields[t_field(m, name)];
	assert_int_equal(f->kind, kind);
	assert_int_equal(f->offset, offset);
	assert_int_equal(f->wire_size, wire_size);
	assert_int_equal(f->elem_size, elem_size);
	assert_int_equal(f->max, max);
}

/* type.c itCalculateSizeInfo: every field padded to 4; pack(4): no holes */
static void test_scalars_each_size(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "scalars.defs");
	assert_string_equal(f.ss->name, "scalars");
	assert_int_equal(f.ss->base, 7200);
	const mp_spec_msg_t *m = &t_routine(f.ss, "scalar_each_size")->request;
	assert_int_equal(m->complex, 0);
	assert_int_equal(m->ndr, 1);
	assert_field(m, "c", MP_SPEC_SCALAR, 32, 4, 1, 1);
	assert_field(m, "s", MP_SPEC_SCALAR, 36, 4, 2, 1);
	assert_field(m, "i", MP_SPEC_SCALAR, 40, 4, 4, 1);
	assert_field(m, "l", MP_SPEC_SCALAR, 44, 8, 8, 1);
	assert_field(m, "b", MP_SPEC_SCALAR, 52, 4, 4, 1);
	assert_field(m, "f", MP_SPEC_SCALAR, 56, 4, 4, 1);
	assert_field(m, "d", MP_SPEC_SCALAR, 60, 8, 8, 1);
	assert_field(m, "n", MP_SPEC_SCALAR, 68, 4, 4, 1); /* a port name is plain data */
	assert_int_equal(m->min_size, 72);
	assert_int_equal(m->max_size, 72);
	assert_int_equal(m->fields[t_field(m, "l")].type_code, 3);
	assert_int_equal(m->fields[t_field(m, "c")].type_code, 8);
	mp_defs_free(f.d);
}

static void test_scalars_fixed_arrays_and_structs(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "scalars.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "fixed_arrays")->request;
	assert_field(m, "c3", MP_SPEC_SCALAR, 32, 4, 3, 1);
	assert_field(m, "s3", MP_SPEC_SCALAR, 36, 8, 6, 1);
	assert_field(m, "i3", MP_SPEC_SCALAR, 44, 12, 12, 1);
	assert_field(m, "l3", MP_SPEC_SCALAR, 56, 24, 24, 1);
	const mp_spec_routine_t *r = t_routine(f.ss, "structs");
	assert_field(&r->request, "p", MP_SPEC_SCALAR, 32, 8, 8, 1);
	assert_field(&r->request, "t", MP_SPEC_SCALAR, 40, 4, 3, 1);
	assert_field(&r->request, "lp", MP_SPEC_SCALAR, 44, 16, 16, 1);
	/* reply: NDR, RetCode, then the out args */
	assert_field(&r->reply, "RetCode", MP_SPEC_RETCODE, 32, 4, 4, 1);
	assert_field(&r->reply, "out_p", MP_SPEC_SCALAR, 36, 8, 8, 1);
	assert_field(&r->reply, "out_c", MP_SPEC_SCALAR, 44, 4, 1, 1);
	mp_defs_free(f.d);
}

/* __MigPackStructs: an int64 right after an int is at offset 36, not 40 */
static void test_scalars_pack4_int64(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "scalars.defs");
	const mp_spec_routine_t *r = t_routine(f.ss, "int64_after_int");
	assert_int_equal(r->kind, MP_SPEC_SIMPLEROUTINE);
	assert_field(&r->request, "a", MP_SPEC_SCALAR, 32, 4, 4, 1);
	assert_field(&r->request, "b", MP_SPEC_SCALAR, 36, 8, 8, 1);
	assert_field(&r->request, "c", MP_SPEC_SCALAR, 44, 4, 1, 1);
	assert_field(&r->request, "d", MP_SPEC_SCALAR, 48, 4, 2, 1);
	r = t_routine(f.ss, "out_and_inout_scalars");
	assert_field(&r->request, "io", MP_SPEC_SCALAR, 32, 4, 4, 1);
	assert_field(&r->reply, "io", MP_SPEC_SCALAR, 36, 4, 4, 1);
	assert_field(&r->reply, "o64", MP_SPEC_SCALAR, 40, 8, 8, 1);
	assert_field(&r->reply, "o8", MP_SPEC_SCALAR, 48, 4, 1, 1);
	mp_defs_free(f.d);
}

/* WriteFieldDeclPrim: xCnt before x[max]; char b[10] gets 2 bytes of padding */
static void test_var_arrays_each_element_size(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "var_arrays.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "several_vars")->request;
	assert_int_equal(m->nvar, 4);
	assert_field(m, "before", MP_SPEC_SCALAR, 32, 4, 4, 1);
	assert_field(m, "bCnt", MP_SPEC_COUNT, 36, 4, 4, 1);
	assert_field(m, "b", MP_SPEC_VAR_ARRAY, 40, 12, 1, 10);
	assert_field(m, "sCnt", MP_SPEC_COUNT, 52, 4, 4, 1);
	assert_field(m, "s", MP_SPEC_VAR_ARRAY, 56, 8, 2, 3);
	assert_field(m, "mid", MP_SPEC_SCALAR, 64, 4, 4, 1);
	assert_field(m, "i", MP_SPEC_VAR_ARRAY, 72, 20, 4, 5);
	assert_field(m, "l", MP_SPEC_VAR_ARRAY, 96, 16, 8, 2);
	assert_field(m, "after", MP_SPEC_SCALAR, 112, 8, 8, 1);
	assert_int_equal(m->fields[t_field(m, "b")].count_field, t_field(m, "bCnt"));
	assert_int_equal(m->fields[t_field(m, "l")].count_field, t_field(m, "lCnt"));
	/* rtSizeDelta: min = max - every variable field's padded maximum */
	assert_int_equal(m->max_size, 120);
	assert_int_equal(m->min_size, 120 - 12 - 8 - 20 - 16);
	m = &t_routine(f.ss, "var_of_structs")->request;
	assert_field(m, "p", MP_SPEC_VAR_ARRAY, 36, 32, 8, 4);
	mp_defs_free(f.d);
}

/* rtAddCountInOutArg: the out array's count also travels in the request */
static void test_var_arrays_out_and_count_in_out(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "var_arrays.defs");
	const mp_spec_routine_t *r = t_routine(f.ss, "out_vars");
	assert_int_equal(r->reply.nvar, 2);
	assert_field(&r->reply, "b", MP_SPEC_VAR_ARRAY, 40, 12, 1, 10);
	assert_field(&r->reply, "i", MP_SPEC_VAR_ARRAY, 56, 20, 4, 5);
	assert_int_equal(r->reply.min_size, 44);
	r = t_routine(f.ss, "count_in_out");
	assert_int_equal(r->request.nfields, 1);
	assert_field(&r->request, "iCnt", MP_SPEC_SCALAR, 32, 4, 4, 1);
	assert_int_equal(r->request.max_size, 36);
	mp_defs_free(f.d);
}

/* rtProcessSameCountFlag / rtAddSameCount: a SameCount array has no count of
 * its own and points at the shared one; dropped when the array before is not
 * variable */
static void test_var_arrays_same_count(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "var_arrays.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "same_count_in")->request;
	assert_int_equal(m->nfields, 5);
	assert_field(m, "aCnt", MP_SPEC_COUNT, 32, 4, 4, 1);
	assert_field(m, "a", MP_SPEC_VAR_ARRAY, 36, 20, 4, 5);
	assert_field(m, "b", MP_SPEC_VAR_ARRAY, 56, 20, 4, 5);
	assert_field(m, "c", MP_SPEC_VAR_ARRAY, 76, 12, 1, 10);
	assert_field(m, "z", MP_SPEC_SCALAR, 88, 4, 4, 1);
	assert_int_equal(m->fields[t_field(m, "b")].count_field, 0);
	assert_int_equal(m->fields[t_field(m, "c")].count_field, 0);
	assert_int_equal(m->nvar, 3);
	const mp_spec_routine_t *r = t_routine(f.ss, "same_count_out");
	assert_int_equal(r->reply.complex, 1);
	assert_int_equal(r->reply.ndesc, 3);
	assert_field(&r->reply, "b", MP_SPEC_VAR_ARRAY, 96, 16, 8, 2);
	assert_int_equal(r->reply.fields[t_field(&r->reply, "b")].count_field, t_field(&r->reply, "aCnt"));
	m = &t_routine(f.ss, "same_count_dropped")->request;
	assert_field(m, "bCnt", MP_SPEC_COUNT, 36, 4, 4, 1);
	mp_defs_free(f.d);
}

/* c_string[N]: N bytes padded; c_string[*:N]: xOffset, xCnt, x[N] */
static void test_strings(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "strings.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "fixed_string")->request;
	assert_field(m, "name", MP_SPEC_STRING, 32, 32, 1, 32);
	assert_field(m, "odd", MP_SPEC_STRING, 64, 8, 1, 5);
	assert_field(m, "after", MP_SPEC_SCALAR, 72, 4, 4, 1);
	assert_int_equal(m->nvar, 0);
	m = &t_routine(f.ss, "var_string")->request;
	assert_field(m, "nameOffset", MP_SPEC_STRING_OFFSET, 32, 4, 4, 1);
	assert_field(m, "nameCnt", MP_SPEC_COUNT, 36, 4, 4, 1);
	assert_field(m, "name", MP_SPEC_VAR_STRING, 40, 64, 1, 64);
	assert_field(m, "after", MP_SPEC_SCALAR, 104, 4, 4, 1);
	assert_int_equal(m->min_size, 44);
	m = &t_routine(f.ss, "two_var_strings")->request;
	assert_field(m, "b", MP_SPEC_VAR_STRING, 112, 8, 1, 7);
	assert_int_equal(m->nvar, 2);
	m = &t_routine(f.ss, "out_strings")->reply;
	assert_field(m, "name", MP_SPEC_VAR_STRING, 44, 64, 1, 64);
	mp_defs_free(f.d);
}

/* WriteTCheckKPD_ool / WriteOOLSizeCheck: fixed sizes, multipliers, maxima,
 * the count in-line at the argument's place */
static void test_ool(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "ool.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "ool_variable")->request;
	assert_int_equal(m->complex, 1);
	assert_int_equal(m->ndesc, 2);
	assert_int_equal(m->ndr, 1);
	assert_field(m, "intsCnt", MP_SPEC_COUNT, 68, 4, 4, 1);
	assert_field(m, "bytesCnt", MP_SPEC_COUNT, 72, 4, 4, 1);
	assert_field(m, "after", MP_SPEC_SCALAR, 76, 4, 4, 1);
	assert_int_equal(m->descs[0].type, MP_MSG_OOL_DESCRIPTOR);
	assert_int_equal(m->descs[0].multiplier, 4);
	assert_int_equal(m->descs[0].count_field, t_field(m, "intsCnt"));
	assert_int_equal(m->descs[0].max, 0);
	assert_int_equal(m->descs[1].multiplier, 1);
	m = &t_routine(f.ss, "ool_with_max")->request;
	assert_int_equal(m->descs[0].max, 100);
	assert_int_equal(m->descs[0].flags, MP_SPEC_DESC_DEALLOC);
	m = &t_routine(f.ss, "ool_fixed")->request;
	assert_int_equal(m->descs[0].flags, MP_SPEC_DESC_FIXED | MP_SPEC_DESC_PHYSCOPY);
	assert_int_equal(m->descs[0].fixed, 16);
	assert_int_equal(m->descs[1].fixed, 24);
	assert_int_equal(m->descs[1].count_field, MP_SPEC_NONE);
	/* rtProcessNdrCode: an OOL in-arg is "received" data, so an NDR record
	 * follows even with nothing in-line */
	assert_int_equal(m->ndr, 1);
	assert_int_equal(m->nfields, 0);
	assert_int_equal(m->max_size, 28 + 32 + 8);
	m = &t_routine(f.ss, "ool_of_structs")->request;
	assert_int_equal(m->descs[0].multiplier, 8);
	assert_int_equal(m->descs[0].flags, 0); /* Dealloc[]: the caller's choice */
	const mp_spec_routine_t *r = t_routine(f.ss, "ool_out");
	assert_int_equal(r->reply.complex, 1);
	assert_int_equal(r->reply.ndesc, 2);
	assert_int_equal(r->reply.ndr, 1);
	assert_int_equal(t_field(&r->reply, "intsCnt"), 0); /* no RetCode in a complex reply */
	assert_int_equal(r->reply.descs[1].flags, MP_SPEC_DESC_DEALLOC);
	m = &t_routine(f.ss, "ool_only")->request;
	assert_int_equal(m->ndr, 1); /* rtProcessNdrCode: the count is untyped data */
	mp_defs_free(f.d);
}

/* WriteTCheckKPD_port / _oolport: dispositions as received */
static void test_ports(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "ports.defs");
	const mp_spec_msg_t *m = &t_routine(f.ss, "port_each_disposition")->request;
	static const uint32_t received[6] = {16, 17, 17, 17, 18, 18};
	static const uint32_t sent[6] = {16, 19, 20, 17, 21, 18};
	assert_int_equal(m->ndesc, 6);
	assert_int_equal(m->ndr, 0);
	assert_int_equal(m->max_size, 28 + 6 * 12);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(m->descs[i].type, MP_MSG_PORT_DESCRIPTOR);
		assert_int_equal(m->descs[i].dispositions, 1u << received[i]);
		assert_int_equal(m->descs[i].send_disposition, sent[i]);
	}
	m = &t_routine(f.ss, "port_received_kinds")->request;
	assert_int_equal(m->descs[0].dispositions, 1u << 16);
	assert_int_equal(m->descs[1].dispositions, (1u << 17) | (1u << 20) | (1u << 19));
	assert_int_equal(m->descs[2].dispositions, (1u << 18) | (1u << 21));
	assert_int_equal(m->descs[3].dispositions, MP_SPEC_ANY_DISPOSITION);
	assert_int_equal(m->descs[3].send_disposition, 0);
	m = &t_routine(f.ss, "ports_only")->request;
	assert_int_equal(m->ndesc, 3); /* array[2] of mach_port_t: two descriptors */
	assert_string_equal(m->descs[2].name, "pair");
	m = &t_routine(f.ss, "ool_ports")->request;
	assert_int_equal(m->ndesc, 5);
	assert_int_equal(m->descs[0].type, MP_MSG_OOL_PORTS_DESCRIPTOR);
	assert_int_equal(m->descs[0].flags & MP_SPEC_DESC_FIXED, MP_SPEC_DESC_FIXED);
	assert_int_equal(m->descs[0].fixed, 3);
	assert_int_equal(m->descs[1].count_field, t_field(m, "varCnt"));
	assert_int_equal(m->descs[2].max, 8);
	assert_int_equal(m->descs[3].dispositions, MP_SPEC_ANY_DISPOSITION);
	assert_int_equal(m->descs[4].dispositions, 1u << 16);
	assert_int_equal(m->descs[4].flags, MP_SPEC_DESC_DEALLOC);
	/* array[*:4] of a port: all 4 descriptors travel; no disposition check
	 * (WriteTCheckKPD_port: "We can't check disposition on varArray"); the
	 * count sits in-line and MIG checks nothing about it */
	m = &t_routine(f.ss, "port_var_array")->request;
	assert_int_equal(m->ndesc, 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(m->descs[i].name, "ps");
		assert_int_equal(m->descs[i].dispositions, MP_SPEC_ANY_DISPOSITION);
		assert_int_equal(m->descs[i].send_disposition, 17);
	}
	assert_field(m, "psCnt", MP_SPEC_COUNT, 84, 4, 4, 1);
	assert_int_equal(m->nvar, 0);
	const mp_spec_routine_t *r = t_routine(f.ss, "ports_out");
	assert_int_equal(r->reply.ndesc, 3);
	assert_field(&r->reply, "manyCnt", MP_SPEC_COUNT, 76, 4, 4, 1);
	assert_field(&r->reply, "n", MP_SPEC_SCALAR, 80, 4, 4, 1);
	mp_defs_free(f.d);
}

/* trailer elements in .defs order; reply ports; skip; RetCArg */
static void test_routines(void **state)
{
	(void)state;
	fixture_t f = t_open(TD "routines.defs");
	const mp_spec_subsystem_t *ss = f.ss;
	const mp_spec_routine_t *r = t_routine(ss, "trailer_audit_seqno");
	assert_int_equal(r->ntrailer, 2);
	assert_int_equal(r->trailer[0], MP_SPEC_TRAILER_AUDIT);
	assert_int_equal(r->trailer[1], MP_SPEC_TRAILER_SEQNO);
	assert_int_equal(r->request.nfields, 1); /* trailer args are not in the body */
	r = t_routine(ss, "trailer_seqno_sec_context");
	assert_int_equal(r->ntrailer, 3);
	assert_int_equal(r->trailer[0], MP_SPEC_TRAILER_SEQNO);
	assert_int_equal(r->trailer[1], MP_SPEC_TRAILER_SENDER);
	assert_int_equal(r->trailer[2], MP_SPEC_TRAILER_CONTEXT);
	assert_int_equal(r->request.ndr, 0);
	assert_int_equal(r->request.max_size, 24);
	assert_null(ss->routines[3]); /* skip */
	assert_null(ss->routines[4]);
	r = t_routine(ss, "explicit_reply_ports");
	assert_int_equal(r->id, 7705);
	assert_int_equal(r->reply_port_dispositions, 1u << 18);
	assert_int_equal(t_routine(ss, "sreply_port")->reply_port_dispositions, 1u << 17);
	assert_int_equal(t_routine(ss, "ureply_port_poly")->reply_port_dispositions,
			 MP_SPEC_ANY_DISPOSITION);
	r = t_routine(ss, "one_way");
	assert_int_equal(r->kind, MP_SPEC_SIMPLEROUTINE);
	assert_int_equal(r->reply_port_dispositions, 1u << 0);
	/* rtProcessRetCode: in a complex request the RetCode arg leaves the body */
	r = t_routine(ss, "retcode_complex");
	assert_int_equal(r->retcode_arg, 1);
	assert_int_equal(r->request.nfields, 1);
	assert_field(&r->request, "x", MP_SPEC_SCALAR, 48, 4, 4, 1);
	r = t_routine(ss, "retcode_simple");
	assert_int_equal(r->retcode_arg, 0);
	assert_field(&r->request, "rc", MP_SPEC_SCALAR, 32, 4, 4, 1);
	/* waittime / msgoption args: no layout */
	assert_int_equal(t_routine(ss, "waittime_arg")->request.nfields, 1);
	/* the #if branch taken in routines_common.inc */
	assert_field(&t_routine(ss, "extra_when_defined")->request, "y", MP_SPEC_SCALAR, 32, 4, 4, 1);
	assert_int_equal(t_routine(ss, "requestport_not_first")->request.nfields, 1);
	assert_int_equal(ss->nroutines, 14);
	mp_defs_free(f.d);
}

/* The SDK's own .defs can't ship here: the committed tables stand for them. */
#include "lib/spec/mach/mach_specs.h"

static void test_mach_specs_consistent(void **state)
{
	(void)state;
	const mp_spec_subsystem_t *all[] = {&exc_spec,       &mach_exc_spec,    &notify_spec,
					    &mach_port_spec, &clock_reply_spec, &task_access_spec};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		t_check_subsystem(all[i]);
	const mp_spec_routine_t *r = t_routine(&mach_exc_spec, "mach_exception_raise");
	assert_int_equal(r->id, 2405);
	assert_field(&r->request, "exception", MP_SPEC_SCALAR, 60, 4, 4, 1);
	assert_field(&r->request, "codeCnt", MP_SPEC_COUNT, 64, 4, 4, 1);
	assert_field(&r->request, "code", MP_SPEC_VAR_ARRAY, 68, 16, 8, 2);
	assert_int_equal(r->request.min_size, 68);
	assert_int_equal(r->request.max_size, 84);
	r = t_routine(&mach_exc_spec, "mach_exception_raise_state_identity");
	assert_field(&r->request, "old_state", MP_SPEC_VAR_ARRAY, 92, 1296 * 4, 4, 1296);
	assert_int_equal(notify_spec.base, 64);
	assert_null(notify_spec.routines[0]); /* skips before port-deleted (65) */
	/* the polymorphic alarm_port is the request port (header), not a descriptor */
	r = t_routine(&clock_reply_spec, "clock_alarm_reply");
	assert_int_equal(r->request.ndesc, 0);
	assert_field(&r->request, "alarm_time", MP_SPEC_SCALAR, 40, 8, 8, 1);
	assert_int_equal(r->reply_port_dispositions, 1u << 0);
	assert_null(mach_exc_spec.routines[3]); /* #if'd out: skip */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scalars_each_size),
	    cmocka_unit_test(test_scalars_fixed_arrays_and_structs),
	    cmocka_unit_test(test_scalars_pack4_int64),
	    cmocka_unit_test(test_var_arrays_each_element_size),
	    cmocka_unit_test(test_var_arrays_out_and_count_in_out),
	    cmocka_unit_test(test_var_arrays_same_count),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_ool),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_routines),
	    cmocka_unit_test(test_mach_specs_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
