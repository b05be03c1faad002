/*
 * lib/spec/defs/pp.c: the .defs reader's preprocessor and lexer.
 *
 * migcom reads the output of the C preprocessor (mig.sh runs `cc -E`); this
 * is the part of cpp that .defs files use: comments, line continuations,
 * #include "..." / <...> (the including file's directory, then -I dirs, then
 * the bundled standard .defs), object-like #define / #undef (substituted in
 * the text and in #if), function-like macros with ## pasting (the SDK's
 * CONCAT / PREFIX; arguments substituted then rescanned), #if / #ifdef /
 * #ifndef / #elif / #else / #endif with defined() and C integer expressions,
 * #pragma / #warning (ignored), #error. Stringizing (#x), variadic macros
 * and macro arguments across lines are refused. The lexer then cuts the
 * text into migcom's tokens (lexxer.l): identifiers, decimal numbers (atoi),
 * one-character punctuation, "strings".
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/spec/defs/defs_internal.h"

#define PP_MAX_INCLUDE_DEPTH 32
#define PP_MAX_COND_DEPTH 64
#define PP_MAX_EXPAND_DEPTH 32

/* cpp's predefined macros that the SDK's .defs test (mig.sh: -D__MACH30__;
 * an LP64 host). */
static const char *const pp_predefined[] = {"__MACH30__=1", "__LP64__=1"};

#define PP_MAX_PARAMS 16

typedef struct pp_macro {
	struct pp_macro *next;
	const char *name;
	const char *value;
	int function_like; /* NAME(a, b) */
	int nparams;
	const char *params[PP_MAX_PARAMS];
} pp_macro_t;

typedef struct pp_state {
	defs_ctx_t *ctx;
	pp_macro_t *macros;
	int depth;
} pp_state_t;

typedef struct pp_cond {
	int active;    /* this branch is being read */
	int taken;     /* some branch of this #if was taken */
	int parent_on; /* the enclosing text is being read */
	int seen_else;
	int line;
} pp_cond_t;

/* ------------------------------------------------------------------------
 * arena, failure
 * ------------------------------------------------------------------------ */

void defs_fail(defs_ctx_t *ctx, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ctx->why, ctx->why_len, "%s:%d: ", file ? file : "<input>", line);
	if (n >= 0 && (size_t)n < ctx->why_len) {
		va_start(ap, fmt);
		vsnprintf(ctx->why + n, ctx->why_len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	longjmp(ctx->fail, 1);
}

#define DEFS_ALIGN 16u

void *defs_alloc(defs_arena_t *a, size_t n)
{
	n = (n + DEFS_ALIGN - 1) & ~(size_t)(DEFS_ALIGN - 1);
	if (a->head == NULL || a->head->cap - a->head->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		defs_block_t *b = calloc(1, sizeof(defs_block_t) + DEFS_ALIGN + cap);
		if (b == NULL)
			return NULL;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	char *base = (char *)(a->head + 1);
	size_t pad = (DEFS_ALIGN - ((uintptr_t)base % DEFS_ALIGN)) % DEFS_ALIGN;
	void *p = base + pad + a->head->used;
	a->head->used += n;
	return p;
}

char *defs_strndup(defs_arena_t *a, const char *s, size_t n)
{
	char *p = defs_alloc(a, n + 1);
	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *defs_strdup(defs_arena_t *a, const char *s)
{
	return defs_strndup(a, s, strlen(s));
}

void defs_arena_free(defs_arena_t *a)
{
	defs_block_t *b = a->head;
	while (b != NULL) {
		defs_block_t *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

static void *pp_alloc(pp_state_t *pp, size_t n, const char *file, int line)
{
	void *p = defs_alloc(pp->ctx->arena, n);
	if (p == NULL)
		defs_fail(pp->ctx, file, line, "out of memory");
	return p;
}

static char *pp_strndup(pp_state_t *pp, const char *s, size_t n, const char *file, int line)
{
	char *p = pp_alloc(pp, n + 1, file, line);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ------------------------------------------------------------------------
 * files
 * ------------------------------------------------------------------------ */

static char *pp_read_file(pp_state_t *pp, const char *path, const char *from_file, int from_line)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf != NULL) {
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
		if (cap - len - 1 == 0) {
			char *bigger = realloc(buf, cap * 2);
			if (bigger == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	int bad = ferror(f);
	fclose(f);
	if (buf == NULL || bad) {
		free(buf);
		defs_fail(pp->ctx, from_file, from_line, "cannot read %s", path);
	}
	char *text = pp_strndup(pp, buf, len, from_file, from_line);
	free(buf);
	if (strlen(text) != len)
		defs_fail(pp->ctx, path, 1, "a NUL byte in the file");
	return text;
}

static const char *pp_find_std(const char *name)
{
	for (size_t i = 0; i < defs_n_std_files; i++)
		if (strcmp(defs_std_files[i].path, name) == 0)
			return defs_std_files[i].text;
	return NULL;
}

static int pp_file_exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

static char *pp_join(pp_state_t *pp, const char *dir, size_t dir_len, const char *name,
		     const char *file, int line)
{
	size_t n = strlen(name);
	char *p = pp_alloc(pp, dir_len + 1 + n + 1, file, line);
	memcpy(p, dir, dir_len);
	p[dir_len] = '/';
	memcpy(p + dir_len + 1, name, n + 1);
	return p;
}

static void pp_file(pp_state_t *pp, const char *name, const char *text);

/* #include: "x" looks beside the including file first; then -I dirs; then
 * the bundled standard .defs (<mach/std_types.defs>, ...). */
static void pp_include(pp_state_t *pp, const char *name, int quoted, const char *file, int line)
{
	if (pp->depth >= PP_MAX_INCLUDE_DEPTH)
		defs_fail(pp->ctx, file, line, "#include nested more than %d deep",
			  PP_MAX_INCLUDE_DEPTH);
	if (name[0] == '/') {
		if (pp_file_exists(name)) {
			pp_file(pp, name, pp_read_file(pp, name, file, line));
			return;
		}
		defs_fail(pp->ctx, file, line, "#include: %s not found", name);
	}
	if (quoted) {
		const char *slash = strrchr(file, '/');
		char *path = slash ? pp_join(pp, file, (size_t)(slash - file), name, file, line)
				   : pp_strndup(pp, name, strlen(name), file, line);
		if (pp_file_exists(path)) {
			pp_file(pp, path, pp_read_file(pp, path, file, line));
			return;
		}
	}
	const mp_defs_options_t *opt = pp->ctx->opt;
	for (size_t i = 0; opt != NULL && i < opt->n_include_dirs; i++) {
		const char *dir = opt->include_dirs[i];
		char *path = pp_join(pp, dir, strlen(dir), name, file, line);
		if (pp_file_exists(path)) {
			pp_file(pp, path, pp_read_file(pp, path, file, line));
			return;
		}
	}
	const char *std = pp_find_std(name);
	if (std != NULL) {
		char *label = pp_alloc(pp, strlen(name) + 8, file, line);
		snprintf(label, strlen(name) + 8, "<std>/%s", name);
		pp_file(pp, label, std);
		return;
	}
	defs_fail(pp->ctx, file, line, "#include: %s not found (in -I dirs or the bundled standard .defs)",
		  name);
}

/* ------------------------------------------------------------------------
 * macros
 * ------------------------------------------------------------------------ */

static pp_macro_t *pp_lookup(pp_state_t *pp, const char *name, size_t n)
{
	for (pp_macro_t *m = pp->macros; m != NULL; m = m->next)
		if (strlen(m->name) == n && memcmp(m->name, name, n) == 0)
			return m;
	return NULL;
}

static pp_macro_t *pp_define(pp_state_t *pp, const char *name, size_t n, const char *value,
			     size_t vn, const char *file, int line)
{
	pp_macro_t *m = pp_lookup(pp, name, n);
	if (m == NULL) {
		m = pp_alloc(pp, sizeof *m, file, line);
		m->name = pp_strndup(pp, name, n, file, line);
		m->next = pp->macros;
		pp->macros = m;
	}
	m->function_like = 0;
	m->nparams = 0;
	while (vn > 0 && isspace((unsigned char)value[vn - 1]))
		vn--;
	while (vn > 0 && isspace((unsigned char)*value)) {
		value++;
		vn--;
	}
	m->value = pp_strndup(pp, value, vn, file, line);
	return m;
}

static void pp_undef(pp_state_t *pp, const char *name, size_t n)
{
	for (pp_macro_t **pm = &pp->macros; *pm != NULL; pm = &(*pm)->next)
		if (strlen((*pm)->name) == n && memcmp((*pm)->name, name, n) == 0) {
			*pm = (*pm)->next;
			return;
		}
}

static void pp_define_option(pp_state_t *pp, const char *def)
{
	const char *eq = strchr(def, '=');
	if (eq == NULL)
		pp_define(pp, def, strlen(def), "1", 1, "<command line>", 0);
	else
		pp_define(pp, def, (size_t)(eq - def), eq + 1, strlen(eq + 1), "<command line>", 0);
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* ------------------------------------------------------------------------
 * the token stream
 * ------------------------------------------------------------------------ */

typedef struct pp_buf {
	char *p;
	size_t n, cap;
} pp_buf_t;

static void pp_buf_add(pp_state_t *pp, pp_buf_t *b, const char *s, size_t n, const char *file,
		       int line);

/* #define NAME(p1, p2) body: s points after '(' */
static void pp_define_function(pp_state_t *pp, const char *name, size_t nn, const char *s,
			       size_t n, const char *file, int line)
{
	const char *params[PP_MAX_PARAMS];
	size_t plen[PP_MAX_PARAMS];
	int np = 0;
	size_t i = 0;
	for (;;) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == ')' && np == 0) {
			i++;
			break;
		}
		size_t a = i;
		while (i < n && is_ident_char((unsigned char)s[i]))
			i++;
		if (i == a && i < n && s[i] == '.')
			defs_fail(pp->ctx, file, line,
				  "#define %.*s(...): variadic macros are not supported", (int)nn, name);
		if (i == a)
			defs_fail(pp->ctx, file, line, "#define %.*s(...): a parameter name expected",
				  (int)nn, name);
		if (np == PP_MAX_PARAMS)
			defs_fail(pp->ctx, file, line, "#define %.*s: more than %d parameters", (int)nn, name,
				  PP_MAX_PARAMS);
		params[np] = s + a;
		plen[np++] = i - a;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == ',') {
			i++;
			continue;
		}
		if (i < n && s[i] == ')') {
			i++;
			break;
		}
		defs_fail(pp->ctx, file, line, "#define %.*s(...): ',' or ')' expected", (int)nn, name);
	}
	for (size_t k = i; k < n; k++)
		if (s[k] == '#' && !(k + 1 < n && s[k + 1] == '#') && !(k > i && s[k - 1] == '#'))
			defs_fail(pp->ctx, file, line, "#define %.*s: stringizing (#) is not supported",
				  (int)nn, name);
	pp_macro_t *m = pp_define(pp, name, nn, s + i, n - i, file, line);
	m->function_like = 1;
	m->nparams = np;
	for (int k = 0; k < np; k++)
		m->params[k] = pp_strndup(pp, params[k], plen[k], file, line);
}

/* Reads NAME's arguments from s[*i] (at '('); returns their count. */
static int pp_macro_args(pp_state_t *pp, const pp_macro_t *m, const char *s, size_t n, size_t *i,
			 const char **arg, size_t *arg_len, const char *file, int line)
{
	int depth = 0, na = 0;
	size_t a = *i + 1;
	for (size_t k = *i + 1; k < n; k++) {
		char c = s[k];
		if (c == '(') {
			depth++;
		} else if ((c == ',' && depth == 0) || (c == ')' && depth == 0)) {
			if (na == PP_MAX_PARAMS)
				defs_fail(pp->ctx, file, line, "%s: too many arguments", m->name);
			arg[na] = s + a;
			arg_len[na++] = k - a;
			a = k + 1;
			if (c == ')') {
				*i = k + 1;
				if (na == 1 && m->nparams == 0) {
					size_t t = 0;
					while (t < arg_len[0] && isspace((unsigned char)arg[0][t]))
						t++;
					if (t == arg_len[0])
						na = 0;
				}
				return na;
			}
		} else if (c == ')') {
			depth--;
		}
	}
	defs_fail(pp->ctx, file, line, "%s(...): arguments not closed on this line", m->name);
}


/* Is the identifier v[i, j) an operand of ## in a macro body? */
static int pp_next_to_paste(const char *v, size_t n, size_t i, size_t j)
{
	size_t a = i;
	while (a > 0 && isspace((unsigned char)v[a - 1]))
		a--;
	if (a >= 2 && v[a - 1] == '#' && v[a - 2] == '#')
		return 1;
	while (j < n && isspace((unsigned char)v[j]))
		j++;
	return j + 1 < n && v[j] == '#' && v[j + 1] == '#';
}

static int pp_expand_function(pp_state_t *pp, const pp_macro_t *m, const char *s, size_t n,
			      size_t *i, const char *file, int line, int depth, pp_buf_t *into);

/* Appends s with every macro expanded (an argument's pre-expansion). */
static void pp_expand_text(pp_state_t *pp, pp_buf_t *b, const char *s, size_t n, const char *file,
			   int line, int depth)
{
	if (depth > PP_MAX_EXPAND_DEPTH)
		defs_fail(pp->ctx, file, line, "macro expansion nested more than %d deep",
			  PP_MAX_EXPAND_DEPTH);
	size_t i = 0;
	while (i < n) {
		if (!is_ident_start((unsigned char)s[i])) {
			size_t j = i + 1;
			if (isdigit((unsigned char)s[i]))
				while (j < n && is_ident_char((unsigned char)s[j]))
					j++;
			pp_buf_add(pp, b, s + i, j - i, file, line);
			i = j;
			continue;
		}
		size_t j = i;
		while (j < n && is_ident_char((unsigned char)s[j]))
			j++;
		pp_macro_t *m = pp_lookup(pp, s + i, j - i);
		if (m != NULL && m->function_like) {
			size_t k = j;
			if (!pp_expand_function(pp, m, s, n, &k, file, line, depth, b))
				pp_buf_add(pp, b, s + i, j - i, file, line);
			j = k;
		} else if (m != NULL) {
			pp_expand_text(pp, b, m->value, strlen(m->value), file, line, depth + 1);
		} else {
			pp_buf_add(pp, b, s + i, j - i, file, line);
		}
		i = j;
	}
}

/* Substitutes the arguments into m's body, then pastes ## (raw arguments). */
static const char *pp_substitute(pp_state_t *pp, const pp_macro_t *m, const char **arg,
				 const size_t *arg_len, const char *file, int line, int depth)
{
	pp_buf_t b = {0};
	pp_buf_add(pp, &b, "", 0, file, line);
	const char *v = m->value;
	size_t n = strlen(v), i = 0;
	while (i < n) {
		if (is_ident_start((unsigned char)v[i])) {
			size_t j = i;
			while (j < n && is_ident_char((unsigned char)v[j]))
				j++;
			int p = -1;
			for (int k = 0; k < m->nparams; k++)
				if (strlen(m->params[k]) == j - i && memcmp(m->params[k], v + i, j - i) == 0)
					p = k;
			if (p >= 0) {
				size_t a = 0, e = arg_len[p];
				while (a < e && isspace((unsigned char)arg[p][a]))
					a++;
				while (e > a && isspace((unsigned char)arg[p][e - 1]))
					e--;
				/* C: an argument is macro-expanded first unless it is an operand of ## */
				if (pp_next_to_paste(v, n, i, j))
					pp_buf_add(pp, &b, arg[p] + a, e - a, file, line);
				else
					pp_expand_text(pp, &b, arg[p] + a, e - a, file, line, depth + 1);
			} else {
				pp_buf_add(pp, &b, v + i, j - i, file, line);
			}
			i = j;
		} else if (v[i] == '#' && i + 1 < n && v[i + 1] == '#') {
			/* paste: drop the spaces before and after */
			while (b.n > 0 && isspace((unsigned char)b.p[b.n - 1]))
				b.n--;
			b.p[b.n] = '\0';
			i += 2;
			while (i < n && isspace((unsigned char)v[i]))
				i++;
		} else {
			pp_buf_add(pp, &b, v + i, 1, file, line);
			i++;
		}
	}
	return b.p;
}

static void pp_lex(pp_state_t *pp, const char *s, size_t n, const char *file, int line, int depth);

/* NAME(args) at s[*i]: expands and lexes it; returns 0 if NAME has no '(' after it. */
static int pp_expand_function(pp_state_t *pp, const pp_macro_t *m, const char *s, size_t n,
			      size_t *i, const char *file, int line, int depth, pp_buf_t *into)
{
	size_t k = *i;
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (k >= n || s[k] != '(')
		return 0;
	const char *arg[PP_MAX_PARAMS];
	size_t arg_len[PP_MAX_PARAMS];
	int na = pp_macro_args(pp, m, s, n, &k, arg, arg_len, file, line);
	if (na != m->nparams)
		defs_fail(pp->ctx, file, line, "%s takes %d arguments, not %d", m->name, m->nparams, na);
	const char *text = pp_substitute(pp, m, arg, arg_len, file, line, depth);
	if (into != NULL)
		pp_expand_text(pp, into, text, strlen(text), file, line, depth + 1);
	else
		pp_lex(pp, text, strlen(text), file, line, depth + 1);
	*i = k;
	return 1;
}


static void pp_push(pp_state_t *pp, defs_tok_kind_t kind, const char *s, size_t n,
		    const char *file, int line)
{
	defs_ctx_t *ctx = pp->ctx;
	if (ctx->ntoks == ctx->cap_toks) {
		size_t cap = ctx->cap_toks ? ctx->cap_toks * 2 : 1024;
		defs_tok_t *t = pp_alloc(pp, cap * sizeof *t, file, line);
		if (ctx->ntoks > 0)
			memcpy(t, ctx->toks, ctx->ntoks * sizeof *t);
		ctx->toks = t;
		ctx->cap_toks = cap;
	}
	defs_tok_t *t = &ctx->toks[ctx->ntoks++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->text = pp_strndup(pp, s, n, file, line);
	t->file = file;
	t->line = line;
	if (kind == TOK_NUMBER)
		t->value = strtoull(t->text, NULL, 10); /* lexxer.l: atoi, decimal */
}

/* Lexes `s` (one logical line, comments removed) into tokens, replacing
 * macro names by their values. */
static void pp_lex(pp_state_t *pp, const char *s, size_t n, const char *file, int line, int depth)
{
	if (depth > PP_MAX_EXPAND_DEPTH)
		defs_fail(pp->ctx, file, line, "macro expansion nested more than %d deep",
			  PP_MAX_EXPAND_DEPTH);
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			i++;
		} else if (is_ident_start(c)) {
			size_t j = i;
			while (j < n && is_ident_char((unsigned char)s[j]))
				j++;
			pp_macro_t *m = pp_lookup(pp, s + i, j - i);
			if (m != NULL && m->function_like) {
				size_t k = j;
				if (!pp_expand_function(pp, m, s, n, &k, file, line, depth, NULL))
					pp_push(pp, TOK_IDENT, s + i, j - i, file, line);
				j = k;
			} else if (m != NULL) {
				pp_lex(pp, m->value, strlen(m->value), file, line, depth + 1);
			} else {
				pp_push(pp, TOK_IDENT, s + i, j - i, file, line);
			}
			i = j;
		} else if (isdigit(c)) {
			size_t j = i;
			while (j < n && isdigit((unsigned char)s[j]))
				j++;
			if (j < n && is_ident_char((unsigned char)s[j])) {
				/* "0x10", "3des": a word, not a number (the parser says so
				 * where a number is expected; an import's file name is fine) */
				while (j < n && is_ident_char((unsigned char)s[j]))
					j++;
				pp_push(pp, TOK_IDENT, s + i, j - i, file, line);
				i = j;
				continue;
			}
			pp_push(pp, TOK_NUMBER, s + i, j - i, file, line);
			i = j;
		} else if (c == '"') {
			size_t j = i + 1;
			while (j < n && s[j] != '"')
				j++;
			if (j >= n)
				defs_fail(pp->ctx, file, line, "unterminated string");
			pp_push(pp, TOK_STRING, s + i + 1, j - i - 1, file, line);
			i = j + 1;
		} else {
			pp_push(pp, TOK_PUNCT, s + i, 1, file, line);
			i++;
		}
	}
}

/* ------------------------------------------------------------------------
 * #if expressions
 * ------------------------------------------------------------------------ */

typedef struct pp_expr {
	pp_state_t *pp;
	const char *s; /* macro-expanded, `defined` resolved */
	size_t i, n;
	const char *file;
	int line;
} pp_expr_t;

static void pp_expr_skip(pp_expr_t *e)
{
	while (e->i < e->n && isspace((unsigned char)e->s[e->i]))
		e->i++;
}

static int pp_expr_eat(pp_expr_t *e, const char *op)
{
	pp_expr_skip(e);
	size_t k = strlen(op);
	if (e->i + k <= e->n && memcmp(e->s + e->i, op, k) == 0) {
		/* do not take "<" of "<<", "&" of "&&", "|" of "||", "=" prefixes */
		if (k == 1 && e->i + 1 < e->n) {
			char nx = e->s[e->i + 1];
			if ((op[0] == '<' || op[0] == '>') && (nx == op[0] || nx == '='))
				return 0;
			if ((op[0] == '&' || op[0] == '|') && nx == op[0])
				return 0;
			if (op[0] == '!' && nx == '=')
				return 0;
		}
		e->i += k;
		return 1;
	}
	return 0;
}

static int64_t pp_expr_cond(pp_expr_t *e);

static int64_t pp_expr_primary(pp_expr_t *e)
{
	pp_expr_skip(e);
	if (e->i >= e->n)
		defs_fail(e->pp->ctx, e->file, e->line, "#if: expression ends early");
	char c = e->s[e->i];
	if (pp_expr_eat(e, "(")) {
		int64_t v = pp_expr_cond(e);
		if (!pp_expr_eat(e, ")"))
			defs_fail(e->pp->ctx, e->file, e->line, "#if: ')' expected");
		return v;
	}
	if (pp_expr_eat(e, "!"))
		return !pp_expr_primary(e);
	if (pp_expr_eat(e, "-"))
		return -pp_expr_primary(e);
	if (pp_expr_eat(e, "+"))
		return pp_expr_primary(e);
	if (pp_expr_eat(e, "~"))
		return ~pp_expr_primary(e);
	if (isdigit((unsigned char)c)) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(e->s + e->i, &end, 0);
		e->i = (size_t)(end - e->s);
		while (e->i < e->n && strchr("uUlL", e->s[e->i]) != NULL)
			e->i++;
		return (int64_t)v;
	}
	if (is_ident_start((unsigned char)c)) {
		/* an identifier that is not a macro is 0 in #if */
		while (e->i < e->n && is_ident_char((unsigned char)e->s[e->i]))
			e->i++;
		return 0;
	}
	defs_fail(e->pp->ctx, e->file, e->line, "#if: unexpected '%c'", c);
}

static int64_t pp_expr_mul(pp_expr_t *e)
{
	int64_t v = pp_expr_primary(e);
	for (;;) {
		if (pp_expr_eat(e, "*")) {
			v *= pp_expr_primary(e);
		} else if (pp_expr_eat(e, "/") || pp_expr_eat(e, "%")) {
			char op = e->s[e->i - 1];
			int64_t r = pp_expr_primary(e);
			if (r == 0)
				defs_fail(e->pp->ctx, e->file, e->line, "#if: division by zero");
			v = op == '/' ? v / r : v % r;
		} else {
			return v;
		}
	}
}

static int64_t pp_expr_add(pp_expr_t *e)
{
	int64_t v = pp_expr_mul(e);
	for (;;) {
		if (pp_expr_eat(e, "+"))
			v += pp_expr_mul(e);
		else if (pp_expr_eat(e, "-"))
			v -= pp_expr_mul(e);
		else
			return v;
	}
}

static int64_t pp_expr_shift(pp_expr_t *e)
{
	int64_t v = pp_expr_add(e);
	for (;;) {
		if (pp_expr_eat(e, "<<"))
			v = (int64_t)((uint64_t)v << (pp_expr_add(e) & 63));
		else if (pp_expr_eat(e, ">>"))
			v >>= (pp_expr_add(e) & 63);
		else
			return v;
	}
}

static int64_t pp_expr_rel(pp_expr_t *e)
{
	int64_t v = pp_expr_shift(e);
	for (;;) {
		if (pp_expr_eat(e, "<="))
			v = v <= pp_expr_shift(e);
		else if (pp_expr_eat(e, ">="))
			v = v >= pp_expr_shift(e);
		else if (pp_expr_eat(e, "<"))
			v = v < pp_expr_shift(e);
		else if (pp_expr_eat(e, ">"))
			v = v > pp_expr_shift(e);
		else
			return v;
	}
}

static int64_t pp_expr_eq(pp_expr_t *e)
{
	int64_t v = pp_expr_rel(e);
	for (;;) {
		if (pp_expr_eat(e, "=="))
			v = v == pp_expr_rel(e);
		else if (pp_expr_eat(e, "!="))
			v = v != pp_expr_rel(e);
		else
			return v;
	}
}

static int64_t pp_expr_bits(pp_expr_t *e)
{
	int64_t v = pp_expr_eq(e);
	for (;;) {
		if (pp_expr_eat(e, "&"))
			v &= pp_expr_eq(e);
		else if (pp_expr_eat(e, "^"))
			v ^= pp_expr_eq(e);
		else if (pp_expr_eat(e, "|"))
			v |= pp_expr_eq(e);
		else
			return v;
	}
}

static int64_t pp_expr_and(pp_expr_t *e)
{
	int64_t v = pp_expr_bits(e);
	while (pp_expr_eat(e, "&&")) {
		int64_t r = pp_expr_bits(e);
		v = v && r;
	}
	return v;
}

static int64_t pp_expr_or(pp_expr_t *e)
{
	int64_t v = pp_expr_and(e);
	while (pp_expr_eat(e, "||")) {
		int64_t r = pp_expr_and(e);
		v = v || r;
	}
	return v;
}

static int64_t pp_expr_cond(pp_expr_t *e)
{
	int64_t v = pp_expr_or(e);
	if (pp_expr_eat(e, "?")) {
		int64_t a = pp_expr_cond(e);
		if (!pp_expr_eat(e, ":"))
			defs_fail(e->pp->ctx, e->file, e->line, "#if: ':' expected");
		int64_t b = pp_expr_cond(e);
		return v ? a : b;
	}
	return v;
}


static void pp_buf_add(pp_state_t *pp, pp_buf_t *b, const char *s, size_t n, const char *file,
		       int line)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2 + 64;
		char *p = pp_alloc(pp, cap, file, line);
		if (b->n)
			memcpy(p, b->p, b->n);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void pp_expand_if(pp_state_t *pp, pp_buf_t *b, const char *s, size_t n, const char *file,
			 int line, int depth)
{
	if (depth > PP_MAX_EXPAND_DEPTH)
		defs_fail(pp->ctx, file, line, "macro expansion nested more than %d deep",
			  PP_MAX_EXPAND_DEPTH);
	size_t i = 0;
	while (i < n) {
		if (!is_ident_start((unsigned char)s[i])) {
			size_t j = i;
			if (isdigit((unsigned char)s[i]))
				while (j < n && is_ident_char((unsigned char)s[j]))
					j++;
			else
				j = i + 1;
			pp_buf_add(pp, b, s + i, j - i, file, line);
			i = j;
			continue;
		}
		size_t j = i;
		while (j < n && is_ident_char((unsigned char)s[j]))
			j++;
		if (j - i == 7 && memcmp(s + i, "defined", 7) == 0) {
			size_t k = j;
			while (k < n && isspace((unsigned char)s[k]))
				k++;
			int paren = k < n && s[k] == '(';
			if (paren)
				k++;
			while (k < n && isspace((unsigned char)s[k]))
				k++;
			size_t a = k;
			while (k < n && is_ident_char((unsigned char)s[k]))
				k++;
			if (k == a)
				defs_fail(pp->ctx, file, line, "#if: defined needs a name");
			int def = pp_lookup(pp, s + a, k - a) != NULL;
			while (k < n && isspace((unsigned char)s[k]))
				k++;
			if (paren) {
				if (k >= n || s[k] != ')')
					defs_fail(pp->ctx, file, line, "#if: defined( without ')'");
				k++;
			}
			pp_buf_add(pp, b, def ? " 1 " : " 0 ", 3, file, line);
			i = k;
			continue;
		}
		pp_macro_t *m = pp_lookup(pp, s + i, j - i);
		if (m != NULL && m->function_like)
			defs_fail(pp->ctx, file, line, "#if: function-like macro %s is not supported here",
				  m->name);
		pp_buf_add(pp, b, " ", 1, file, line);
		if (m != NULL)
			pp_expand_if(pp, b, m->value, strlen(m->value), file, line, depth + 1);
		else
			pp_buf_add(pp, b, s + i, j - i, file, line);
		pp_buf_add(pp, b, " ", 1, file, line);
		i = j;
	}
}

static int pp_eval_if(pp_state_t *pp, const char *s, size_t n, const char *file, int line)
{
	pp_buf_t b = {0};
	pp_buf_add(pp, &b, "", 0, file, line);
	pp_expand_if(pp, &b, s, n, file, line, 0);
	pp_expr_t e = {pp, b.p, 0, b.n, file, line};
	pp_expr_skip(&e);
	if (e.i >= e.n)
		defs_fail(pp->ctx, file, line, "#if with no expression");
	int64_t v = pp_expr_cond(&e);
	pp_expr_skip(&e);
	if (e.i != e.n)
		defs_fail(pp->ctx, file, line, "#if: unexpected '%s'", e.s + e.i);
	return v != 0;
}

/* ------------------------------------------------------------------------
 * directives
 * ------------------------------------------------------------------------ */

typedef struct pp_file_state {
	pp_cond_t conds[PP_MAX_COND_DEPTH];
	int nconds;
} pp_file_state_t;

static int pp_on(const pp_file_state_t *fs)
{
	return fs->nconds == 0 || fs->conds[fs->nconds - 1].active;
}

static size_t pp_word(const char *s, size_t i, size_t n, size_t *start)
{
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	*start = i;
	while (i < n && is_ident_char((unsigned char)s[i]))
		i++;
	return i;
}

static void pp_directive_include(pp_state_t *pp, const char *s, size_t n, const char *file,
				 int line)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	char close;
	if (i < n && s[i] == '"')
		close = '"';
	else if (i < n && s[i] == '<')
		close = '>';
	else
		defs_fail(pp->ctx, file, line, "#include expects \"file\" or <file>");
	size_t a = i + 1, b = a;
	while (b < n && s[b] != close)
		b++;
	if (b >= n || b == a)
		defs_fail(pp->ctx, file, line, "#include: unterminated file name");
	pp_include(pp, pp_strndup(pp, s + a, b - a, file, line), close == '"', file, line);
}

static void pp_directive_define(pp_state_t *pp, const char *s, size_t n, const char *file,
				int line)
{
	size_t a, j = pp_word(s, 0, n, &a);
	if (j == a)
		defs_fail(pp->ctx, file, line, "#define needs a name");
	if (j < n && s[j] == '(') {
		pp_define_function(pp, s + a, j - a, s + j + 1, n - j - 1, file, line);
		return;
	}
	for (size_t k = j; k < n; k++)
		if (s[k] == '#')
			defs_fail(pp->ctx, file, line, "#define: '#' outside a function-like macro");
	pp_define(pp, s + a, j - a, s + j, n - j, file, line);
}

static void pp_directive_cond(pp_state_t *pp, pp_file_state_t *fs, const char *dir, size_t dn,
			      const char *s, size_t n, const char *file, int line)
{
#define DIR_IS(w) (dn == sizeof(w) - 1 && memcmp(dir, w, dn) == 0)
	if (DIR_IS("if") || DIR_IS("ifdef") || DIR_IS("ifndef")) {
		if (fs->nconds >= PP_MAX_COND_DEPTH)
			defs_fail(pp->ctx, file, line, "#if nested more than %d deep",
				  PP_MAX_COND_DEPTH);
		int parent = pp_on(fs), v = 0;
		if (parent) {
			if (DIR_IS("if")) {
				v = pp_eval_if(pp, s, n, file, line);
			} else {
				size_t a, j = pp_word(s, 0, n, &a);
				if (j == a)
					defs_fail(pp->ctx, file, line, "#%.*s needs a name", (int)dn, dir);
				v = pp_lookup(pp, s + a, j - a) != NULL;
				if (DIR_IS("ifndef"))
					v = !v;
			}
		}
		pp_cond_t *c = &fs->conds[fs->nconds++];
		c->parent_on = parent;
		c->active = parent && v;
		c->taken = c->active;
		c->seen_else = 0;
		c->line = line;
		return;
	}
	if (fs->nconds == 0)
		defs_fail(pp->ctx, file, line, "#%.*s without #if", (int)dn, dir);
	pp_cond_t *c = &fs->conds[fs->nconds - 1];
	if (DIR_IS("endif")) {
		fs->nconds--;
		return;
	}
	if (c->seen_else)
		defs_fail(pp->ctx, file, line, "#%.*s after #else", (int)dn, dir);
	if (DIR_IS("else")) {
		c->seen_else = 1;
		c->active = c->parent_on && !c->taken;
		c->taken |= c->active;
		return;
	}
	/* #elif */
	c->active = 0;
	if (c->parent_on && !c->taken) {
		c->active = pp_eval_if(pp, s, n, file, line);
		c->taken = c->active;
	}
#undef DIR_IS
}

static void pp_directive(pp_state_t *pp, pp_file_state_t *fs, const char *s, size_t n,
			 const char *file, int line)
{
	size_t a, j = pp_word(s, 0, n, &a);
	const char *dir = s + a;
	size_t dn = j - a;
	const char *rest = s + j;
	size_t rn = n - j;
#define DIR_IS(w) (dn == sizeof(w) - 1 && memcmp(dir, w, dn) == 0)
	if (dn == 0) {
		/* `#` alone, or a line marker `# 12 "file"`: ignored as cpp does */
		return;
	}
	if (DIR_IS("if") || DIR_IS("ifdef") || DIR_IS("ifndef") || DIR_IS("elif") ||
	    DIR_IS("else") || DIR_IS("endif")) {
		pp_directive_cond(pp, fs, dir, dn, rest, rn, file, line);
		return;
	}
	if (!pp_on(fs))
		return;
	if (DIR_IS("include")) {
		pp_directive_include(pp, rest, rn, file, line);
	} else if (DIR_IS("define")) {
		pp_directive_define(pp, rest, rn, file, line);
	} else if (DIR_IS("undef")) {
		size_t b, k = pp_word(rest, 0, rn, &b);
		if (k == b)
			defs_fail(pp->ctx, file, line, "#undef needs a name");
		pp_undef(pp, rest + b, k - b);
	} else if (DIR_IS("pragma") || DIR_IS("warning") || DIR_IS("ident")) {
		/* no effect on the layout */
	} else if (DIR_IS("error")) {
		defs_fail(pp->ctx, file, line, "#error%.*s", (int)rn, rest);
	} else if (isdigit((unsigned char)dir[0])) {
		/* line marker */
	} else {
		defs_fail(pp->ctx, file, line, "unknown directive #%.*s", (int)dn, dir);
	}
#undef DIR_IS
}

/* Replaces comments by spaces (newlines kept, so line numbers hold). */
static char *pp_strip_comments(pp_state_t *pp, const char *name, const char *text)
{
	size_t n = strlen(text);
	char *s = pp_strndup(pp, text, n, name, 1);
	int line = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			line++;
		} else if (s[i] == '"') {
			for (i++; i < n && s[i] != '"' && s[i] != '\n'; i++)
				if (s[i] == '\\' && i + 1 < n && s[i + 1] != '\n')
					i++;
			if (i < n && s[i] == '\n')
				line++;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n')
				s[i++] = ' ';
			i--;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			int start = line;
			s[i] = s[i + 1] = ' ';
			i += 2;
			while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/')) {
				if (s[i] == '\n')
					line++;
				else
					s[i] = ' ';
				i++;
			}
			if (i + 1 >= n)
				defs_fail(pp->ctx, name, start, "unterminated comment");
			s[i] = s[i + 1] = ' ';
			i++;
		}
	}
	return s;
}

static void pp_file(pp_state_t *pp, const char *name, const char *text)
{
	pp_file_state_t *fs = pp_alloc(pp, sizeof *fs, name, 1);
	char *s = pp_strip_comments(pp, name, text);
	size_t n = strlen(s);
	int line = 1;
	pp->depth++;
	size_t i = 0;
	while (i < n) {
		/* a logical line: join backslash-newline */
		int first = line;
		size_t a = i;
		while (i < n && s[i] != '\n') {
			if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
				s[i] = ' ';
				s[i + 1] = ' ';
				line++;
				i += 2;
				continue;
			}
			i++;
		}
		size_t b = i;
		if (i < n) {
			i++;
			line++;
		}
		size_t k = a;
		while (k < b && isspace((unsigned char)s[k]))
			k++;
		if (k < b && s[k] == '#')
			pp_directive(pp, fs, s + k + 1, b - k - 1, name, first);
		else if (pp_on(fs))
			pp_lex(pp, s + a, b - a, name, first, 0);
	}
	if (fs->nconds > 0)
		defs_fail(pp->ctx, name, fs->conds[fs->nconds - 1].line, "#if without #endif");
	pp->depth--;
}

void defs_preprocess(defs_ctx_t *ctx, const char *path)
{
	pp_state_t pp = {ctx, NULL, 0};
	for (size_t i = 0; i < sizeof pp_predefined / sizeof pp_predefined[0]; i++)
		pp_define_option(&pp, pp_predefined[i]);
	for (size_t i = 0; ctx->opt != NULL && i < ctx->opt->n_defines; i++)
		pp_define_option(&pp, ctx->opt->defines[i]);
	const char *name = pp_strndup(&pp, path, strlen(path), path, 0);
	const char *text = pp_read_file(&pp, name, "<command line>", 0);
	if (text == NULL)
		defs_fail(ctx, name, 0, "cannot open the file");
	pp_file(&pp, name, text);
	pp_push(&pp, TOK_EOF, "", 0, name, 0);
}
