/*
 * lib/spec/defs/defs.h: the .defs reader (private to lib/spec and //:mpmig).
 *
 * mp_defs_read() reads a MIG definition file (with its #includes) and lays
 * out every routine's request and reply as migcom does (routine.c
 * rtCheckRoutine, type.c, utils.c WriteStructDecl with __MigPackStructs),
 * into an in-memory mp_spec_subsystem_t. mp_defs_emit_c() writes the same
 * tables as `static const` C.
 */
#ifndef MACHPORTS_SPEC_DEFS_H
#define MACHPORTS_SPEC_DEFS_H

#include <stddef.h>
#include <stdio.h>

#include "machports/spec.h"

typedef struct mp_defs mp_defs_t;

typedef struct mp_defs_options {
	const char *const *include_dirs; /* searched for #include "..." and <...> */
	size_t n_include_dirs;
	const char *const *defines; /* "NAME" or "NAME=VALUE" */
	size_t n_defines;
} mp_defs_options_t;

/* Reads `path`. On failure returns NULL and writes "file:line: reason" to `why`. */
mp_defs_t *mp_defs_read(const char *path, const mp_defs_options_t *opt, char *why,
			size_t why_len);

const mp_spec_subsystem_t *mp_defs_subsystem(const mp_defs_t *d);

/* Writes the tables as C: static const arrays and
 * `const mp_spec_subsystem_t SYMBOL = {...};`. Returns 0, or -1 on a write error. */
int mp_defs_emit_c(const mp_defs_t *d, const char *symbol, FILE *out);

/* Writes a C header declaring `extern const mp_spec_subsystem_t SYMBOL;`. */
int mp_defs_emit_h(const mp_defs_t *d, const char *symbol, FILE *out);

/* Writes a C file of _Static_asserts that MIG's generated header (__Request__X_t,
 * __Reply__X_t) has the sizes and offsets of the spec; compile it after including
 * MIG's X.h (scripts/mig-layout-check). */
int mp_defs_emit_layout_check(const mp_defs_t *d, FILE *out);

void mp_defs_free(mp_defs_t *d);

#endif /* MACHPORTS_SPEC_DEFS_H */
