/*
 * lib/spec/tests/gen_tables.h: hand-written spec tables for the generator's
 * tests, the spec_check fuzz target and the bench. They model (from facts:
 * names, ids and MIG's layout, no Apple text) the probe subsystem of our
 * differential (c_string[*:64], c_string[32], array[*:10] of char,
 * array[*:5] of int, a struct, OOL, OOL ports, a polymorphic port, an audit
 * token and a seqno, a simpleroutine, a skip, out arguments) and mach_exc
 * (2405: mach_exception_raise, _state, _state_identity, two skips), and an
 * `edge` subsystem with the descriptor forms those two lack.
 */
#ifndef MACHPORTS_SPEC_GEN_TABLES_H
#define MACHPORTS_SPEC_GEN_TABLES_H

#include "machports/spec.h"

extern const mp_spec_subsystem_t mp_test_probe_subsystem;   /* base 7100 */
extern const mp_spec_subsystem_t mp_test_mach_exc_subsystem; /* base 2405 */
/* base 9900: a fixed OOL, an OOL with a maximum, fixed OOL ports, sender + context */
extern const mp_spec_subsystem_t mp_test_edge_subsystem;

extern const mp_spec_routine_t mp_test_probe_p_str, mp_test_probe_p_ool, mp_test_probe_p_simple,
	mp_test_probe_p_out;
extern const mp_spec_routine_t mp_test_mach_exception_raise, mp_test_mach_exception_raise_state,
	mp_test_mach_exception_raise_state_identity;
extern const mp_spec_routine_t mp_test_edge_e_ool;

#endif /* MACHPORTS_SPEC_GEN_TABLES_H */
