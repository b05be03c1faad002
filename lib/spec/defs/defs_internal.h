/*
 * lib/spec/defs/defs_internal.h: shared by the .defs reader's parts (the
 * preprocessor and lexer pp.c, the parser and layout parse.c, the C emitter
 * emit.c). Everything lives in one arena freed by mp_defs_free().
 */
#ifndef MACHPORTS_SPEC_DEFS_INTERNAL_H
#define MACHPORTS_SPEC_DEFS_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/spec/defs/defs.h"

/* ---- arena ---- */
typedef struct defs_block {
	struct defs_block *next;
	size_t used, cap;
	/* data follows, max_align_t aligned */
} defs_block_t;

typedef struct defs_arena {
	defs_block_t *head;
} defs_arena_t;

void *defs_alloc(defs_arena_t *a, size_t n); /* zeroed, 16-aligned; NULL when out of memory */
char *defs_strdup(defs_arena_t *a, const char *s);
char *defs_strndup(defs_arena_t *a, const char *s, size_t n);
void defs_arena_free(defs_arena_t *a);

/* ---- tokens (after the preprocessor) ---- */
typedef enum defs_tok_kind {
	TOK_EOF = 0,
	TOK_IDENT,
	TOK_NUMBER,
	TOK_PUNCT,  /* one character: text[0] */
	TOK_STRING, /* "..." (text without the quotes) */
} defs_tok_kind_t;

typedef struct defs_tok {
	defs_tok_kind_t kind;
	const char *text;
	uint64_t value; /* TOK_NUMBER */
	const char *file;
	int line;
} defs_tok_t;

/* ---- the reading context ---- */
typedef struct defs_ctx {
	defs_arena_t *arena;
	jmp_buf fail;
	char *why;
	size_t why_len;
	const mp_defs_options_t *opt;
	/* the token stream */
	defs_tok_t *toks;
	size_t ntoks, cap_toks;
} defs_ctx_t;

/* Writes "file:line: reason" and longjmps to ctx->fail. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 4, 5)))
#endif
void defs_fail(defs_ctx_t *ctx, const char *file, int line, const char *fmt, ...);

/* Preprocesses `path` (and its includes) into ctx->toks (ending with TOK_EOF). */
void defs_preprocess(defs_ctx_t *ctx, const char *path);

/* The bundled standard .defs (generated from lib/spec/defs/std by Bazel). */
typedef struct defs_std_file {
	const char *path; /* "mach/std_types.defs" */
	const char *text;
} defs_std_file_t;
extern const defs_std_file_t defs_std_files[];
extern const size_t defs_n_std_files;

struct mp_defs {
	defs_arena_t arena;
	mp_spec_subsystem_t ss;
	const char *user_prefix, *server_prefix; /* userprefix / serverprefix (no layout effect) */
};

/* Parses ctx->toks into d->ss. */
void defs_parse(defs_ctx_t *ctx, mp_defs_t *d);

#endif /* MACHPORTS_SPEC_DEFS_INTERNAL_H */
