/*
 * lib/spec/tests/tables.h: hand-written spec tables for the engine's tests,
 * modelling (from facts: the layouts migcom gives them) the SDK's mach_exc
 * subsystem (mach_exception_raise, mach_exception_raise_state) and a probe
 * subsystem with every kind of argument: c_string[*:64], c_string[32],
 * array[*:10] of char, array[*:5] of int, a struct, OOL, OOL ports, a
 * polymorphic port, an audit token and a seqno, a simpleroutine, a skip and
 * out arguments.
 */
#ifndef MP_SPEC_TESTS_TABLES_H
#define MP_SPEC_TESTS_TABLES_H

#include "machports/spec.h"

/* mach_exc: base 2405, 5 slots, 2408 and 2409 empty. */
extern const mp_spec_subsystem_t t_mach_exc_subsystem;
extern const mp_spec_routine_t t_mach_exception_raise;
extern const mp_spec_routine_t t_mach_exception_raise_state;

/* probe: base 7100; p_str 7100, p_ool 7101, p_simple 7102, skip 7103, p_out 7104. */
extern const mp_spec_subsystem_t t_probe_subsystem;
extern const mp_spec_routine_t t_p_str, t_p_ool, t_p_simple, t_p_out;

/* clock_reply-like: a request with a leading kern_return_t (RetCArg) and a
 * port descriptor (base 3125). */
extern const mp_spec_subsystem_t t_retc_subsystem;
extern const mp_spec_routine_t t_retc_alarm;

/* Field indexes, for tests. */
enum {
	T_MER_EXCEPTION = 0, T_MER_CODECNT = 1, T_MER_CODE = 2,
	T_MERS_EXCEPTION = 0, T_MERS_CODECNT = 1, T_MERS_CODE = 2, T_MERS_FLAVOR = 3,
	T_MERS_OLD_STATECNT = 4, T_MERS_OLD_STATE = 5,
	T_PSTR_NAMEOFFSET = 0, T_PSTR_NAMECNT = 1, T_PSTR_NAME = 2, T_PSTR_FIXED = 3,
	T_PSTR_BCNT = 4, T_PSTR_B = 5, T_PSTR_ICNT = 6, T_PSTR_I = 7, T_PSTR_P = 8,
	T_POOL_DATACNT = 0, T_POOL_DATA2CNT = 1, T_POOL_DATA2 = 2, T_POOL_PORTSCNT = 3,
	T_POOL_D_DATA = 0, T_POOL_D_PORTS = 1, T_POOL_D_POLY = 2, T_POOL_D_SR = 3,
};

#endif /* MP_SPEC_TESTS_TABLES_H */
