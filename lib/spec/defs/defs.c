/*
 * lib/spec/defs/defs.c: mp_defs_read / mp_defs_free: preprocess, parse, lay
 * out (pp.c, parse.c, layout.c), all in one arena.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/spec/defs/defs_internal.h"

/* Runs the passes; a failure longjmps back here (defs_fail). */
static mp_defs_t *defs_read_passes(const char *path, const mp_defs_options_t *opt, char *why,
				   size_t why_len)
{
	/* volatile: live across setjmp (gcc -Wclobbered) */
	mp_defs_t *volatile d = calloc(1, sizeof *d);
	if (d == NULL) {
		snprintf(why, why_len, "%s:0: out of memory", path);
		return NULL;
	}
	defs_ctx_t *volatile ctx = calloc(1, sizeof *ctx);
	if (ctx == NULL) {
		free(d);
		snprintf(why, why_len, "%s:0: out of memory", path);
		return NULL;
	}
	ctx->arena = &d->arena;
	ctx->why = why;
	ctx->why_len = why_len;
	ctx->opt = opt;
	if (setjmp(ctx->fail) != 0) {
		free(ctx);
		mp_defs_free(d);
		return NULL;
	}
	defs_preprocess(ctx, path);
	defs_parse(ctx, d);
	free(ctx);
	return d;
}

mp_defs_t *mp_defs_read(const char *path, const mp_defs_options_t *opt, char *why, size_t why_len)
{
	char scratch[8];
	if (why == NULL || why_len == 0) {
		why = scratch;
		why_len = sizeof scratch;
	}
	why[0] = '\0';
	return defs_read_passes(path, opt, why, why_len);
}

const mp_spec_subsystem_t *mp_defs_subsystem(const mp_defs_t *d)
{
	return &d->ss;
}

void mp_defs_free(mp_defs_t *d)
{
	if (d == NULL)
		return;
	defs_arena_free(&d->arena);
	free(d);
}
