/*
 * lib/spec/testdata/testdata_types.h: C types of the test .defs' named types,
 * for compiling MIG's generated header in scripts/mig-layout-check (imported
 * by each test .defs; not used by the build).
 */
#ifndef MACHPORTS_SPEC_TESTDATA_TYPES_H
#define MACHPORTS_SPEC_TESTDATA_TYPES_H
#include <stdint.h>
#include <mach/mach_types.h>

typedef char chars3_t[3];
typedef int16_t shorts3_t[3];
typedef int32_t ints3_t[3];
typedef int64_t int64s3_t[3];
typedef int32_t int_pair_t[2];
typedef char char_triple_t[3];
typedef int64_t int64_pair_t[2];
typedef char *bytes_var_t;
typedef int16_t *shorts_var_t;
typedef int32_t *ints_var_t;
typedef int64_t *int64s_var_t;
typedef int32_t pair_elem_t[2];
typedef int32_t *pairs_var_t;
typedef char fixed_name_t[32];
typedef char odd_name_t[5];
typedef char *var_name_t;
typedef char *big_name_t;
typedef int32_t *ool_ints_t;
typedef int32_t *ool_ints_max_t;
typedef char *ool_fixed_bytes_t;
typedef int64_t *ool_fixed_int64s_t;
typedef int32_t *ool_pairs_t;
typedef mach_port_t port_pair_t[2];
typedef mach_port_t *ool_ports_fixed_t;
typedef mach_port_t *ool_ports_max_t;
typedef mach_port_t *ool_poly_ports_t;
typedef mach_port_t *ool_receive_ports_t;
typedef mach_port_t *ports_var_t;
typedef mach_port_t *port_var_t;
#endif
