/* probe_types.h: the C types of probe.defs' own types (MIG names them in the
 * generated code; `import` puts this header there). */
#ifndef PROBE_TYPES_H
#define PROBE_TYPES_H
typedef char *name_t;          /* c_string[*:64]: passed as the request's char[64] */
typedef char fname_t[32];      /* c_string[32]: a field of the request */
typedef char *bytes_t;         /* array[*:10] of char */
typedef int *ints_t;           /* array[*:5] of int */
typedef struct { int v[2]; } pair_t; /* struct[2] of int */
typedef int *ool_t;            /* array[] of int: OOL */
typedef int *oolmax_t;         /* array[*:100] of int */
#endif
