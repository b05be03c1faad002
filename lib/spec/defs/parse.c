/*
 * lib/spec/defs/parse.c: MIG's definition language (migcom parser.y) into
 * types (type.c) and routines (routine.c rtCheckRoutine), then each routine
 * through layout.c into the subsystem's spec.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/spec/defs/types.h"

typedef struct dtype_entry {
	struct dtype_entry *next;
	const char *name;
	dtype_t *type;
} dtype_entry_t;

typedef struct parser {
	defs_ctx_t *ctx;
	mp_defs_t *d;
	size_t pos;
	dtype_entry_t *types;
	const char *subsystem;
	int have_subsystem;
	int32_t base;
	int kernel_server;
	darg_t *old_arg; /* rtProcessSameCountFlag's `static argument_t *old_arg` */
	/* routines by number (skips are NULL) */
	mp_spec_routine_t **routines;
	size_t nroutines, cap_routines;
} parser_t;

/* ------------------------------------------------------------------------
 * tokens
 * ------------------------------------------------------------------------ */

static const defs_tok_t *peek(parser_t *p)
{
	return &p->ctx->toks[p->pos];
}

static const defs_tok_t *peek_at(parser_t *p, size_t k)
{
	size_t i = p->pos + k;
	return i < p->ctx->ntoks ? &p->ctx->toks[i] : &p->ctx->toks[p->ctx->ntoks - 1];
}

static const defs_tok_t *next(parser_t *p)
{
	const defs_tok_t *t = peek(p);
	if (t->kind != TOK_EOF)
		p->pos++;
	return t;
}

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
static void fail_at(parser_t *p, const defs_tok_t *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	defs_fail(p->ctx, t->file, t->line, "%s", msg);
}

static const char *tok_desc(const defs_tok_t *t)
{
	return t->kind == TOK_EOF ? "end of file" : t->text;
}

static int is_punct(const defs_tok_t *t, char c)
{
	return t->kind == TOK_PUNCT && t->text[0] == c;
}

static int is_kw(const defs_tok_t *t, const char *kw)
{
	return t->kind == TOK_IDENT && strcasecmp(t->text, kw) == 0;
}

static void expect_punct(parser_t *p, char c, const char *where)
{
	const defs_tok_t *t = next(p);
	if (!is_punct(t, c))
		fail_at(p, t, "'%c' expected %s, not '%s'", c, where, tok_desc(t));
}

static const char *expect_ident(parser_t *p, const char *what)
{
	const defs_tok_t *t = next(p);
	if (t->kind != TOK_IDENT)
		fail_at(p, t, "%s expected, not '%s'", what, tok_desc(t));
	return t->text;
}

static void *palloc(parser_t *p, size_t n)
{
	void *m = defs_alloc(p->ctx->arena, n);
	if (m == NULL)
		fail_at(p, peek(p), "out of memory");
	return m;
}

static char *pconcat(parser_t *p, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = palloc(p, na + nb + 1);
	memcpy(s, a, na);
	memcpy(s + na, b, nb + 1);
	return s;
}

/* IntExp (parser.y: + - * / with the usual precedence, parentheses). */
static int64_t int_exp(parser_t *p);

static int64_t int_primary(parser_t *p)
{
	const defs_tok_t *t = next(p);
	if (t->kind == TOK_NUMBER)
		return (int64_t)t->value;
	if (is_punct(t, '(')) {
		int64_t v = int_exp(p);
		expect_punct(p, ')', "in an integer expression");
		return v;
	}
	if (t->kind == TOK_IDENT && t->text[0] >= '0' && t->text[0] <= '9')
		fail_at(p, t, "'%s': MIG reads decimal numbers only", t->text);
	if (t->kind == TOK_IDENT)
		fail_at(p, t, "'%s' is not a number (an undefined macro?)", t->text);
	fail_at(p, t, "a number expected, not '%s'", tok_desc(t));
}

static int64_t int_term(parser_t *p)
{
	int64_t v = int_primary(p);
	for (;;) {
		const defs_tok_t *t = peek(p);
		if (is_punct(t, '*')) {
			next(p);
			v *= int_primary(p);
		} else if (is_punct(t, '/')) {
			next(p);
			int64_t r = int_primary(p);
			if (r == 0)
				fail_at(p, t, "division by zero");
			v /= r;
		} else {
			return v;
		}
	}
}

static int64_t int_exp(parser_t *p)
{
	int64_t v = int_term(p);
	for (;;) {
		const defs_tok_t *t = peek(p);
		if (is_punct(t, '+')) {
			next(p);
			v += int_term(p);
		} else if (is_punct(t, '-')) {
			next(p);
			v -= int_term(p);
		} else {
			return v;
		}
	}
}

static uint32_t int_exp_u32(parser_t *p, const char *what)
{
	const defs_tok_t *t = peek(p);
	int64_t v = int_exp(p);
	if (v < 0 || v > 0x7fffffff)
		fail_at(p, t, "%s %lld out of range", what, (long long)v);
	return (uint32_t)v;
}

/* ------------------------------------------------------------------------
 * types (mirrors migcom type.c)
 * ------------------------------------------------------------------------ */

static dtype_t *type_lookup(parser_t *p, const char *name)
{
	for (dtype_entry_t *e = p->types; e != NULL; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e->type;
	return NULL;
}

static void type_insert(parser_t *p, const char *name, dtype_t *t)
{
	dtype_entry_t *e = palloc(p, sizeof *e);
	t->name = name;
	e->name = name;
	e->type = t;
	e->next = p->types;
	p->types = e;
}

static dtype_t *type_alloc(parser_t *p)
{
	dtype_t *t = palloc(p, sizeof *t);
	t->number = 1;
	t->in_line = 1;
	t->is_struct = 1;
	return t;
}

/* mirrors migcom type.c itCalculateSizeInfo */
static void type_size_info(dtype_t *t)
{
	if (!IS_KERN_PROC_DATA(t)) {
		uint32_t bytes = (t->number * t->size + 7) / 8;
		uint32_t padding = (bytes & 3) ? 4 - (bytes & 3) : 0;
		t->type_size = bytes;
		t->pad_size = padding;
		if (IS_VARIABLE_SIZED_UNTYPED(t)) {
			t->min_type_size = 4;
			if (t->is_string)
				t->min_type_size += 4;
		} else {
			t->min_type_size = bytes + padding;
		}
	} else {
		uint32_t bytes = (IS_MULTIPLE_KPD(t) ? t->kpd_number : 1) * 12;
		t->type_size = bytes;
		t->pad_size = 0;
		t->min_type_size = bytes;
	}
}

/* mirrors itShortDecl */
static dtype_t *type_short(parser_t *p, const defs_tok_t *at, uint32_t in, uint32_t out,
			   uint32_t bits)
{
	if (bits == 0)
		fail_at(p, at, "must use full IPC type decl (a type with no size)");
	dtype_t *t = type_alloc(p);
	t->in_name = in;
	t->out_name = out;
	t->size = bits;
	if (in == DT_STRING_C) {
		t->is_struct = 0;
		t->is_string = 1;
	}
	if (DT_PORT_ANY(in) || in == DT_POLYMORPHIC) {
		t->port_type = 1;
		t->kpd_number = 1;
	}
	type_size_info(t);
	return t;
}

/* mirrors itCopyType */
static dtype_t *type_copy(parser_t *p, const dtype_t *old)
{
	dtype_t *t = palloc(p, sizeof *t);
	*t = *old;
	t->name = NULL;
	t->element = old;
	return t;
}

/* mirrors itVarArrayDecl */
static dtype_t *type_var_array(parser_t *p, const defs_tok_t *at, uint32_t number,
			       const dtype_t *old)
{
	dtype_t *t = type_copy(p, old);
	if (!t->in_line) {
		if (t->kpd_number != 1 || !number)
			fail_at(p, at, "IPC type decl is too complicated for Kernel Processed Data");
		t->kpd_number *= number;
		t->number = 1;
		t->in_line = 0;
		t->is_struct = 0;
		t->ool_number = number;
	} else if (t->var_array) {
		fail_at(p, at, "IPC type decl is too complicated (an array of a variable array)");
	} else if (number) {
		t->number *= number;
		t->in_line = 1;
		t->is_struct = 0;
		if (t->port_type)
			t->kpd_number *= number;
		t->ool_number = number;
	} else {
		t->number = 0;
		t->mig_in_line = 1;
		t->in_line = 0;
		t->is_struct = 1;
		t->kpd_number = 1;
		t->ool_number = 0;
	}
	t->var_array = 1;
	t->is_string = 0;
	type_size_info(t);
	return t;
}

/* mirrors itArrayDecl */
static dtype_t *type_array(parser_t *p, const defs_tok_t *at, uint32_t number, const dtype_t *old)
{
	dtype_t *t = type_copy(p, old);
	if (!t->in_line) {
		if (t->kpd_number != 1)
			fail_at(p, at, "IPC type decl is too complicated for Kernel Processed Data");
		t->kpd_number *= number;
		t->number = 1;
		t->is_struct = 0;
		t->is_string = 0;
		t->var_array = 0;
	} else if (t->var_array) {
		fail_at(p, at, "IPC type decl is too complicated (an array of a variable array)");
	} else {
		t->number *= number;
		t->is_struct = 0;
		t->is_string = 0;
		if (t->port_type)
			t->kpd_number *= number;
	}
	type_size_info(t);
	return t;
}

/* mirrors itPtrDecl (`^`: out-of-line) */
static dtype_t *type_pointer(parser_t *p, const defs_tok_t *at, dtype_t *t)
{
	if (!t->in_line && !t->mig_in_line)
		fail_at(p, at, "IPC type decl is already defined to be Out-Of-Line");
	t->in_line = 0;
	t->is_struct = 1;
	t->is_string = 0;
	t->mig_in_line = 0;
	t->kpd_number = 1;
	type_size_info(t);
	return t;
}

/* mirrors itStructDecl */
static dtype_t *type_struct(parser_t *p, const defs_tok_t *at, uint32_t number, const dtype_t *old)
{
	dtype_t *t = type_copy(p, old);
	if (!t->in_line || t->var_array)
		fail_at(p, at, "IPC type decl is too complicated (a struct of an out-of-line or variable type)");
	t->number *= number;
	t->is_struct = 1;
	t->is_string = 0;
	type_size_info(t);
	return t;
}

/* mirrors itCStringDecl */
static dtype_t *type_c_string(parser_t *p, const defs_tok_t *at, uint32_t count, int varying)
{
	dtype_t *elem = type_short(p, at, DT_STRING_C, DT_STRING_C, 8);
	elem->name = "char";
	dtype_t *t = type_copy(p, elem);
	t->number = count;
	t->var_array = varying;
	t->is_struct = 0;
	t->is_string = 1;
	type_size_info(t);
	return t;
}

/* itMakeCountType, itRetCodeType: a 32-bit integer */
static dtype_t *type_int32(parser_t *p, const char *name)
{
	dtype_t *t = type_alloc(p);
	t->name = name;
	t->in_name = t->out_name = DT_INTEGER_32;
	t->size = 32;
	type_size_info(t);
	return t;
}

/* lexxer.l's symbolic types: MACH_MSG_TYPE_* and polymorphic (sizes in bits) */
typedef struct sym_type {
	const char *name;
	uint32_t in, out, bits;
} sym_type_t;

static const sym_type_t sym_types[] = {
	{"MACH_MSG_TYPE_UNSTRUCTURED", DT_UNSTRUCTURED, DT_UNSTRUCTURED, 0},
	{"MACH_MSG_TYPE_BIT", DT_BIT, DT_BIT, 1},
	{"MACH_MSG_TYPE_BOOLEAN", DT_BOOLEAN, DT_BOOLEAN, 32},
	{"MACH_MSG_TYPE_INTEGER_8", DT_INTEGER_8, DT_INTEGER_8, 8},
	{"MACH_MSG_TYPE_INTEGER_16", DT_INTEGER_16, DT_INTEGER_16, 16},
	{"MACH_MSG_TYPE_INTEGER_32", DT_INTEGER_32, DT_INTEGER_32, 32},
	{"MACH_MSG_TYPE_INTEGER_64", DT_INTEGER_64, DT_INTEGER_64, 64},
	{"MACH_MSG_TYPE_REAL_32", DT_REAL_32, DT_REAL_32, 32},
	{"MACH_MSG_TYPE_REAL_64", DT_REAL_64, DT_REAL_64, 64},
	{"MACH_MSG_TYPE_CHAR", DT_CHAR, DT_CHAR, 8},
	{"MACH_MSG_TYPE_BYTE", DT_BYTE, DT_BYTE, 8},
	{"MACH_MSG_TYPE_MOVE_RECEIVE", DT_MOVE_RECEIVE, DT_PORT_RECEIVE, DT_PORT_BITS},
	{"MACH_MSG_TYPE_COPY_SEND", DT_COPY_SEND, DT_PORT_SEND, DT_PORT_BITS},
	{"MACH_MSG_TYPE_MAKE_SEND", DT_MAKE_SEND, DT_PORT_SEND, DT_PORT_BITS},
	{"MACH_MSG_TYPE_MOVE_SEND", DT_MOVE_SEND, DT_PORT_SEND, DT_PORT_BITS},
	{"MACH_MSG_TYPE_MAKE_SEND_ONCE", DT_MAKE_SEND_ONCE, DT_PORT_SEND_ONCE, DT_PORT_BITS},
	{"MACH_MSG_TYPE_MOVE_SEND_ONCE", DT_MOVE_SEND_ONCE, DT_PORT_SEND_ONCE, DT_PORT_BITS},
	{"MACH_MSG_TYPE_PORT_NAME", DT_PORT_NAME, DT_PORT_NAME, DT_PORT_BITS},
	{"MACH_MSG_TYPE_PORT_RECEIVE", DT_POLYMORPHIC, DT_PORT_RECEIVE, DT_PORT_BITS},
	{"MACH_MSG_TYPE_PORT_SEND", DT_POLYMORPHIC, DT_PORT_SEND, DT_PORT_BITS},
	{"MACH_MSG_TYPE_PORT_SEND_ONCE", DT_POLYMORPHIC, DT_PORT_SEND_ONCE, DT_PORT_BITS},
	{"MACH_MSG_TYPE_POLYMORPHIC", DT_POLYMORPHIC, DT_POLYMORPHIC, DT_PORT_BITS},
};

static const sym_type_t *find_sym_type(const defs_tok_t *t)
{
	static const sym_type_t poly = {"polymorphic", DT_POLYMORPHIC, DT_POLYMORPHIC, DT_PORT_BITS};
	if (t->kind == TOK_IDENT && strcasecmp(t->text, "polymorphic") == 0)
		return &poly;
	if (t->kind != TOK_IDENT)
		return NULL;
	for (size_t i = 0; i < sizeof sym_types / sizeof sym_types[0]; i++)
		if (strcmp(sym_types[i].name, t->text) == 0)
			return &sym_types[i];
	return NULL;
}

/* PrimIPCType: a symbolic type or a number (size 0) */
static int prim_ipc_type(parser_t *p, sym_type_t *out)
{
	const defs_tok_t *t = peek(p);
	const sym_type_t *s = find_sym_type(t);
	if (s != NULL) {
		next(p);
		*out = *s;
		return 1;
	}
	if (t->kind == TOK_NUMBER) {
		next(p);
		out->in = out->out = (uint32_t)t->value;
		out->bits = 0;
		return 1;
	}
	return 0;
}

static dtype_t *type_spec(parser_t *p);

/* `[ * : N ] of` / `[ ] of` / `[ * ] of` / `[ N ] of` after `array` */
static dtype_t *type_array_spec(parser_t *p, const defs_tok_t *at)
{
	expect_punct(p, '[', "after array");
	int var = 0;
	uint32_t n = 0;
	if (is_punct(peek(p), ']')) {
		var = 1;
	} else if (is_punct(peek(p), '*')) {
		next(p);
		var = 1;
		if (is_punct(peek(p), ':')) {
			next(p);
			n = int_exp_u32(p, "array bound");
		}
	} else {
		n = int_exp_u32(p, "array size");
	}
	expect_punct(p, ']', "in an array type");
	if (!is_kw(peek(p), "of"))
		fail_at(p, peek(p), "'of' expected after array[...], not '%s'", tok_desc(peek(p)));
	next(p);
	dtype_t *elem = type_spec(p);
	return var ? type_var_array(p, at, n, elem) : type_array(p, at, n, elem);
}

static dtype_t *type_spec(parser_t *p)
{
	const defs_tok_t *t = peek(p);
	sym_type_t st;
	if (prim_ipc_type(p, &st)) {
		if (is_punct(peek(p), '|')) {
			next(p);
			sym_type_t out;
			if (!prim_ipc_type(p, &out))
				fail_at(p, peek(p), "an IPC type expected after '|'");
			uint32_t bits = st.bits;
			if (st.bits != out.bits) {
				if (st.bits == 0)
					bits = out.bits;
				else if (out.bits != 0)
					fail_at(p, t, "sizes in IPCTypes (%u, %u) aren't equal", st.bits,
						out.bits);
			}
			return type_short(p, t, st.in, out.out, bits);
		}
		return type_short(p, t, st.in, st.out, st.bits);
	}
	if (is_punct(t, '(')) {
		fail_at(p, t, "long form type declarations aren't allowed any longer");
	}
	if (is_punct(t, '^')) {
		next(p);
		return type_pointer(p, t, type_spec(p));
	}
	if (is_kw(t, "array")) {
		next(p);
		return type_array_spec(p, t);
	}
	if (is_kw(t, "struct")) {
		next(p);
		expect_punct(p, '[', "after struct");
		uint32_t n = int_exp_u32(p, "struct size");
		expect_punct(p, ']', "in a struct type");
		if (!is_kw(peek(p), "of"))
			fail_at(p, peek(p), "'of' expected after struct[...]");
		next(p);
		return type_struct(p, t, n, type_spec(p));
	}
	if (is_kw(t, "c_string")) {
		next(p);
		expect_punct(p, '[', "after c_string");
		int var = 0;
		if (is_punct(peek(p), '*')) {
			next(p);
			expect_punct(p, ':', "in c_string[*:N]");
			var = 1;
		}
		uint32_t n = int_exp_u32(p, "c_string size");
		expect_punct(p, ']', "in a c_string type");
		return type_c_string(p, t, n, var);
	}
	if (t->kind == TOK_IDENT &&
	    (strcmp(t->text, "PointerTo") == 0 || strcmp(t->text, "PointerToIfNot") == 0 ||
	     strcmp(t->text, "ValueOf") == 0))
		fail_at(p, t, "%s: native (C) types have no fixed wire layout; not supported", t->text);
	if (t->kind == TOK_IDENT) {
		next(p);
		dtype_t *old = type_lookup(p, t->text);
		if (old == NULL)
			fail_at(p, t, "type '%s' not defined", t->text);
		return type_copy(p, old);
	}
	fail_at(p, t, "a type expected, not '%s'", tok_desc(t));
}

/* TransTypeSpec: ctype: / cusertype: / cservertype: / intran: / outtran: /
 * destructor: clauses are C names for the stubs; they do not change the layout. */
static int skip_trans_clause(parser_t *p)
{
	const defs_tok_t *t = peek(p);
	if (t->kind != TOK_IDENT || !is_punct(peek_at(p, 1), ':'))
		return 0;
	if (is_kw(t, "ctype") || is_kw(t, "cusertype") || is_kw(t, "cservertype")) {
		next(p);
		next(p);
		expect_ident(p, "a C type name");
		return 1;
	}
	if (is_kw(t, "intran") || is_kw(t, "outtran")) {
		next(p);
		next(p);
		expect_ident(p, "a C type name");
		expect_ident(p, "a translation function");
		expect_punct(p, '(', "in a translation");
		expect_ident(p, "a C type name");
		expect_punct(p, ')', "in a translation");
		return 1;
	}
	if (is_kw(t, "destructor")) {
		next(p);
		next(p);
		expect_ident(p, "a destructor function");
		expect_punct(p, '(', "in a destructor");
		expect_ident(p, "a C type name");
		expect_punct(p, ')', "in a destructor");
		return 1;
	}
	return 0;
}

/* NamedTypeSpec: NAME = TransTypeSpec (the new type is not yet inserted) */
static dtype_t *named_type_spec(parser_t *p, const char **name)
{
	*name = expect_ident(p, "a type name");
	expect_punct(p, '=', "after the type name");
	/* TransTypeSpec: TypeSpec { itResetType } then clauses */
	dtype_t *t = type_spec(p);
	while (skip_trans_clause(p))
		;
	t->name = *name;
	return t;
}

static void statement_type(parser_t *p)
{
	const char *name;
	dtype_t *t = named_type_spec(p, &name);
	type_insert(p, name, t);
}

/* ------------------------------------------------------------------------
 * routines
 * ------------------------------------------------------------------------ */

typedef struct direction {
	const char *kw;
	uint32_t kind;
} direction_t;

static const direction_t directions[] = {
	{"in", AK_IN},
	{"out", AK_OUT},
	{"inout", AK_INOUT},
	{"requestport", AK_REQUEST_PORT},
	{"replyport", AK_REPLY_PORT},
	{"sreplyport", AK_SREPLY_PORT},
	{"ureplyport", AK_UREPLY_PORT},
	{"waittime", AKE_WAIT_TIME | AKB_USER_ARG},
	{"sendtime", AKE_SEND_TIME | AKB_USER_ARG},
	{"msgoption", AKE_MSG_OPTION | AKB_USER_ARG},
	{"sectoken", AKE_SEC_TOKEN | AK_SERVER_IMPL | AK_USER_IMPL},
	{"serversectoken", AKE_SEC_TOKEN | AK_SERVER_IMPL},
	{"usersectoken", AKE_SEC_TOKEN | AK_USER_IMPL},
	{"audittoken", AKE_AUDIT_TOKEN | AK_SERVER_IMPL | AK_USER_IMPL},
	{"serveraudittoken", AKE_AUDIT_TOKEN | AK_SERVER_IMPL},
	{"useraudittoken", AKE_AUDIT_TOKEN | AK_USER_IMPL},
	{"servercontexttoken", AKE_CONTEXT_TOKEN | AK_SERVER_IMPL},
	{"msgseqno", AKE_MSG_SEQNO | AK_SERVER_IMPL},
};

typedef struct flag_name {
	const char *kw;
	uint32_t flag;
} flag_name_t;

static const flag_name_t flag_names[] = {
	{"samecount", FL_SAME_COUNT},   {"retcode", FL_RET_CODE},
	{"physicalcopy", FL_PHYSICAL_COPY}, {"overwrite", FL_OVERWRITE},
	{"dealloc", FL_DEALLOC},        {"notdealloc", FL_NOT_DEALLOC},
	{"countinout", FL_COUNT_IN_OUT}, {"auto", FL_AUTO},
	{"const", FL_CONST},            {"servercopy", FL_SERVER_COPY},
};

static uint32_t ipc_flags(parser_t *p)
{
	uint32_t flags = 0;
	while (is_punct(peek(p), ',')) {
		next(p);
		const defs_tok_t *t = next(p);
		uint32_t f = 0;
		for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
			if (is_kw(t, flag_names[i].kw))
				f = flag_names[i].flag;
		if (f == 0)
			fail_at(p, t, "unknown IPC flag '%s'", tok_desc(t));
		if (is_punct(peek(p), '[')) {
			next(p);
			expect_punct(p, ']', "in Dealloc[]");
			if (f != FL_DEALLOC)
				fail_at(p, t, "only Dealloc is variable ([])");
			f = FL_MAYBE_DEALLOC;
		}
		flags |= f;
	}
	return flags;
}

static darg_t *arg_alloc(parser_t *p, const defs_tok_t *at)
{
	darg_t *a = palloc(p, sizeof *a);
	a->kpd_type = -1;
	a->req_field = a->rep_field = -1;
	a->file = at->file;
	a->line = at->line;
	return a;
}

static darg_t *argument(parser_t *p)
{
	const defs_tok_t *t = peek(p);
	if (is_kw(t, "serverimpl") || is_kw(t, "userimpl"))
		fail_at(p, t, "%s: implicit trailer data of a user-given type is not supported", t->text);
	darg_t *a = arg_alloc(p, t);
	a->kind = AKE_NONE;
	if (t->kind == TOK_IDENT && peek_at(p, 1)->kind == TOK_IDENT) {
		for (size_t i = 0; i < sizeof directions / sizeof directions[0]; i++)
			if (is_kw(t, directions[i].kw))
				a->kind = directions[i].kind;
		if (a->kind == AKE_NONE)
			fail_at(p, t, "unknown argument kind '%s'", t->text);
		next(p);
	}
	a->name = expect_ident(p, "an argument name");
	expect_punct(p, ':', "after the argument name");
	const defs_tok_t *tt = peek(p);
	if (tt->kind == TOK_IDENT && is_punct(peek_at(p, 1), '=')) {
		const char *name;
		dtype_t *nt = named_type_spec(p, &name);
		a->type = nt;
	} else if (tt->kind == TOK_IDENT &&
		   (strcmp(tt->text, "PointerTo") == 0 || strcmp(tt->text, "PointerToIfNot") == 0 ||
		    strcmp(tt->text, "ValueOf") == 0)) {
		fail_at(p, tt, "%s: native (C) types have no fixed wire layout; not supported",
			tt->text);
	} else {
		const char *tn = expect_ident(p, "a type name");
		a->type = type_lookup(p, tn);
		if (a->type == NULL)
			fail_at(p, tt, "type '%s' not defined", tn);
	}
	a->flags = ipc_flags(p);
	return a;
}

static darg_t *arguments(parser_t *p)
{
	expect_punct(p, '(', "after the routine name");
	darg_t *head = NULL, **tail = &head;
	if (is_punct(peek(p), ')')) {
		next(p);
		return head;
	}
	for (;;) {
		darg_t *a = argument(p);
		*tail = a;
		tail = &a->next;
		const defs_tok_t *t = next(p);
		if (is_punct(t, ')'))
			return head;
		if (!is_punct(t, ';'))
			fail_at(p, t, "';' or ')' expected after an argument, not '%s'", tok_desc(t));
		if (is_punct(peek(p), ')')) { /* parser.y has no trailing ';' */
			fail_at(p, peek(p), "an argument expected after ';'");
		}
	}
}

static darg_t *insert_after(parser_t *p, darg_t *arg, const char *suffix, uint32_t kind,
			    const dtype_t *type)
{
	const defs_tok_t at = {TOK_IDENT, "", 0, arg->file, arg->line};
	darg_t *n = arg_alloc(p, &at);
	n->name = pconcat(p, arg->name, suffix);
	n->kind = kind;
	n->type = type;
	n->parent = arg;
	n->implicit = 1;
	n->next = arg->next;
	arg->next = n;
	return n;
}

#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 3, 4)))
#endif
static void fail_arg(parser_t *p, const darg_t *a, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	defs_fail(p->ctx, a->file, a->line, "%s", msg);
}

/* mirrors rtAddCountArg */
static void add_count_arg(parser_t *p, darg_t *arg)
{
	const dtype_t *it = arg->type;
	if (IS_MULTIPLE_KPD(it) && it->element != NULL && it->element->var_array)
		fail_arg(p, arg, "%s: an array of variable arrays (subordinate counts) is not supported",
			 arg->name);
	darg_t *count = insert_after(p, arg, "Cnt", AKE_COUNT, type_int32(p, "mach_msg_type_number_t"));
	arg->count = count;
	count->multiplier = IS_MULTIPLE_KPD(it) ? 1 : (it->element != NULL ? it->element->number : 1);
	if (it->is_string) {
		count->kind |= AK_CHECK(arg->kind, AKB_SEND) ? AKB_SEND_RCV : AKB_RETURN_RCV;
	} else {
		count->kind |= AKB_USER_ARG | AKB_SERVER_ARG | (arg->kind & ~AKE_BITS);
		count->kind &= ~AKB_VARIABLE;
		if (IS_VARIABLE_SIZED_UNTYPED(it))
			count->kind &= ~(AKB_REQUEST | AKB_REPLY);
	}
}

/* mirrors rtAddPolyArg (the poly arg is never in the message body) */
static void add_poly_arg(parser_t *p, darg_t *arg)
{
	const dtype_t *it = arg->type;
	uint32_t send = AKB_SEND, ret = AKB_RETURN;
	if (it->in_name == DT_POLYMORPHIC) {
		send |= AKB_USER_ARG | AKB_SEND_SND;
		if (!p->kernel_server)
			ret |= AKB_SERVER_ARG | AKB_RETURN_SND;
	}
	if (it->out_name == DT_POLYMORPHIC) {
		send |= AKB_SERVER_ARG | AKB_SEND_RCV;
		ret |= AKB_USER_ARG | AKB_RETURN_RCV;
		if (p->kernel_server)
			ret |= AKB_SERVER_ARG | AKB_RETURN_SND;
	}
	uint32_t kind = AKE_POLY;
	if (AK_CHECK(arg->kind, AKB_SEND))
		kind |= arg->kind & send;
	if (AK_CHECK(arg->kind, AKB_RETURN))
		kind |= arg->kind & ret;
	arg->poly = insert_after(p, arg, "Poly", kind, type_int32(p, "mach_msg_type_name_t"));
}

/* mirrors rtDetectKPDArg */
static void detect_kpd(darg_t *arg)
{
	const dtype_t *it = arg->type;
	if (!IS_KERN_PROC_DATA(it))
		return;
	if (AK_CHECK(arg->kind, AKB_SEND_BODY))
		arg->kind = (arg->kind & ~AKB_SEND_BODY) | AKB_SEND_KPD;
	if (AK_CHECK(arg->kind, AKB_RETURN_BODY))
		arg->kind = (arg->kind & ~AKB_RETURN_BODY) | AKB_RETURN_KPD;
	if (it->in_line)
		arg->kpd_type = MP_MSG_PORT_DESCRIPTOR;
	else if (it->port_type)
		arg->kpd_type = MP_MSG_OOL_PORTS_DESCRIPTOR;
	else
		arg->kpd_type = MP_MSG_OOL_DESCRIPTOR;
}

/* mirrors rtProcessDeallocFlag (only d_YES is recorded, for builders) */
static void process_dealloc_flag(parser_t *p, darg_t *arg)
{
	uint32_t f = arg->flags;
	if (f & FL_MAYBE_DEALLOC)
		f &= ~(FL_DEALLOC | FL_NOT_DEALLOC);
	if ((f & (FL_DEALLOC | FL_NOT_DEALLOC)) == (FL_DEALLOC | FL_NOT_DEALLOC))
		f &= ~(FL_DEALLOC | FL_NOT_DEALLOC);
	if ((f & FL_DEALLOC) && (!arg->type->in_line || arg->type->port_type))
		arg->dealloc_yes = 1;
	else if ((f & FL_DEALLOC) && p->kernel_server && AK_CHECK(arg->kind, AKB_RETURN))
		arg->dealloc_yes = 1;
	arg->flags = f;
}

/* mirrors rtProcessRetCodeFlag */
static void process_retcode_flag(parser_t *p, droutine_t *rt, darg_t *arg)
{
	if (!(arg->flags & FL_RET_CODE))
		return;
	const dtype_t *it = arg->type;
	if (!it->in_line || !it->is_struct || it->size != 32 || it->number != 1) {
		arg->flags &= ~FL_RET_CODE; /* "RetCode is ignored" */
		return;
	}
	if (!rt->simple)
		fail_arg(p, arg, "%s: RetCode is allowed only for SimpleRoutines", arg->name);
	if (rt->ret_c_arg != NULL) {
		arg->flags &= ~FL_RET_CODE;
		return;
	}
	rt->ret_c_arg = arg;
}

#define SAMECOUNT_MASK \
	(AKE_BITS | AKB_SEND | AKB_RETURN | AKB_REQUEST | AKB_REPLY | AKB_USER_ARG | AKB_SERVER_ARG)

/* mirrors rtProcessSameCountFlag: `arg` shares the count of the variable
 * array before it (old_arg: the previous argument, itself or its parent);
 * the flag is dropped (MIG warns) when that does not fit */
static void process_same_count_flag(parser_t *p, darg_t *arg)
{
	uint32_t flags = arg->flags;
	darg_t *old = p->old_arg;
	if (flags & FL_SAME_COUNT) {
		if (!arg->type->var_array)
			flags &= ~FL_SAME_COUNT;
		if (old != NULL) {
			if (old->parent != NULL)
				old = old->parent;
			if (old->same_count != NULL)
				old = old->same_count;
			if (!old->type->var_array)
				flags &= ~FL_SAME_COUNT;
			if ((old->kind & SAMECOUNT_MASK) != (arg->kind & SAMECOUNT_MASK) ||
			    ((old->flags & FL_COUNT_IN_OUT) != 0) != ((arg->flags & FL_COUNT_IN_OUT) != 0))
				flags &= ~FL_SAME_COUNT;
			arg->same_count = old;
		}
		arg->flags = flags;
	}
}

/* mirrors rtAddSameCount: a SameCount array's own count leaves the message
 * (MIG replaces it by a copy of the shared count, of kind akeSameCount) */
static void add_same_count(parser_t *p, droutine_t *rt)
{
	for (darg_t *a = rt->args; a != NULL; a = a->next) {
		if (!(a->flags & FL_SAME_COUNT))
			continue;
		darg_t *ref = a->same_count;
		if (a->count == NULL || ref == NULL || ref->count == NULL)
			fail_arg(p, a, "%s: SameCount without a count to share", a->name);
		a->next = a->count->next;
		a->count = ref->count;
	}
}

/* mirrors rtCheckRoutineArgs, for one argument written in the .defs */
static void check_routine_arg(parser_t *p, droutine_t *rt, darg_t *arg)
{
	const dtype_t *it = arg->type;
	if (arg->kind == AKE_NONE)
		arg->kind = rt->request_port == NULL ? AK_REQUEST_PORT : AK_IN;
	switch (AK_IDENT(arg->kind)) {
	case AKE_REQUEST_PORT:
		if (rt->request_port == NULL)
			rt->request_port = arg;
		break;
	case AKE_REPLY_PORT:
		rt->reply_port = arg;
		break;
	default:
		break;
	}
	process_dealloc_flag(p, arg);
	int count_in_out = 0;
	if (arg->flags & FL_COUNT_IN_OUT) {
		if (AK_CHECK(arg->kind, AKB_REPLY) && it->var_array && it->in_line)
			count_in_out = 1;
		else
			arg->flags &= ~FL_COUNT_IN_OUT;
	}
	process_same_count_flag(p, arg);
	if ((arg->flags & FL_PHYSICAL_COPY) && (it->in_line || it->port_type))
		arg->flags &= ~FL_PHYSICAL_COPY;
	process_retcode_flag(p, rt, arg);
	/* rtAugmentArgKind */
	if (IS_VARIABLE_SIZED_UNTYPED(it)) {
		if (AK_CHECK_ALL(arg->kind, AKB_REQUEST | AKB_REPLY))
			fail_arg(p, arg, "%s: Inline variable-sized arguments can't be InOut", arg->name);
		arg->kind |= AKB_VARIABLE;
	}
	if (IS_MULTIPLE_KPD(it) && !it->in_line)
		fail_arg(p, arg, "%s: an array of out-of-line descriptors is not supported", arg->name);
	/* order of args is 'arg poly countinout count dealloc' */
	if (it->var_array)
		add_count_arg(p, arg);
	if (count_in_out) {
		darg_t *c = insert_after(p, arg, "Cnt", AK_COUNT_IN_OUT,
					 type_int32(p, "mach_msg_type_number_t"));
		c->parent = NULL; /* "a null argParent because it has akbRequest" */
	}
	if (it->in_name == DT_POLYMORPHIC || it->out_name == DT_POLYMORPHIC)
		add_poly_arg(p, arg);
	detect_kpd(arg);
}

/* mirrors itCheckRequestPortType / itCheckReplyPortType */
static void check_port_arg_types(parser_t *p, droutine_t *rt)
{
	darg_t *rq = rt->request_port;
	if (rq == NULL)
		defs_fail(p->ctx, rt->file, rt->line, "%s %s doesn't have a server port argument",
			  rt->simple ? "SimpleRoutine" : "Routine", rt->name);
	const dtype_t *it = rq->type;
	if ((it->out_name != DT_PORT_SEND && it->out_name != DT_PORT_SEND_ONCE &&
	     it->out_name != DT_POLYMORPHIC) ||
	    it->number != 1 || it->size != DT_PORT_BITS || !it->in_line || !it->is_struct ||
	    it->var_array)
		fail_arg(p, rq, "argument %s isn't a proper request port", rq->name);
	darg_t *rp = rt->reply_port;
	if (rp != NULL && !rp->implicit) {
		it = rp->type;
		if ((it->out_name != DT_PORT_SEND && it->out_name != DT_PORT_SEND_ONCE &&
		     it->out_name != DT_POLYMORPHIC && it->out_name != 0) ||
		    it->number != 1 || it->size != DT_PORT_BITS || !it->in_line || !it->is_struct ||
		    it->var_array)
			fail_arg(p, rp, "argument %s isn't a proper reply port", rp->name);
	}
}

/* mirrors rtAddDummyReplyPort: after the request port, of itZeroReplyPortType
 * (a simpleroutine) or itRealReplyPortType (MAKE_SEND_ONCE | PORT_SEND_ONCE) */
static void add_dummy_reply_port(parser_t *p, droutine_t *rt)
{
	dtype_t *t = type_alloc(p);
	t->name = "mach_port_t";
	t->size = DT_PORT_BITS;
	if (!rt->simple) {
		t->in_name = DT_MAKE_SEND_ONCE;
		t->out_name = DT_PORT_SEND_ONCE;
	}
	type_size_info(t);
	const defs_tok_t at = {TOK_IDENT, "", 0, rt->file, rt->line};
	darg_t *a = arg_alloc(p, &at);
	a->name = "dummy ReplyPort arg";
	a->kind = AKE_REPLY_PORT;
	a->type = t;
	a->implicit = 1;
	darg_t **loc = rt->request_port != NULL ? &rt->request_port->next : &rt->args;
	a->next = *loc;
	*loc = a;
	rt->reply_port = a;
}

static int check_mask(const droutine_t *rt, uint32_t mask)
{
	for (const darg_t *a = rt->args; a != NULL; a = a->next)
		if (AK_CHECK(a->kind, mask))
			return 1;
	return 0;
}

/* mirrors rtCheckSimple */
static int check_simple(const droutine_t *rt, uint32_t mask)
{
	for (const darg_t *a = rt->args; a != NULL; a = a->next)
		if (AK_CHECK(a->kind, mask) && IS_KERN_PROC_DATA(a->type))
			return 0;
	return 1;
}

/* mirrors rtProcessRetCode */
static void process_ret_code(droutine_t *rt)
{
	if (!rt->simple && !rt->simple_reply) {
		rt->ret_code->kind &= ~AKB_REPLY;
	}
	if (rt->ret_c_arg != NULL && !rt->simple_request)
		rt->ret_c_arg->kind = AKE_RET_CODE | AKB_USER_ARG | AKB_SERVER_ARG | AKB_SEND_RCV;
}

/* mirrors rtProcessNdrCode: an NDR record iff some untyped data is carried */
static void process_ndr_code(droutine_t *rt)
{
	darg_t *ndr = rt->ndr;
	const uint32_t ndr_send = AKB_REQUEST | AKB_SEND | AKB_SEND_SND | AKB_SEND_BODY;
	const uint32_t ndr_rcv = AKB_REPLY | AKB_RETURN | AKB_RETURN_BODY;
	ndr->kind |= ndr_send | ndr_rcv;
	int found = 0;
	for (darg_t *a = ndr->next; a != NULL; a = a->next)
		if (AK_CHECK(a->kind, AKB_SEND_RCV | AKB_SEND_BODY) &&
		    !AK_CHECK(a->kind, AKB_SERVER_IMPLICIT) && !a->type->port_type &&
		    (a->parent == NULL || AK_IDENT(a->kind) == AKE_COUNT ||
		     AK_IDENT(a->kind) == AKE_COUNT_IN_OUT))
			found = 1;
	if (!found)
		ndr->kind &= ~ndr_send;
	found = 0;
	if (!rt->simple)
		for (darg_t *a = ndr->next; a != NULL; a = a->next)
			if ((a == rt->ret_code && AK_CHECK(a->kind, AKB_REPLY)) ||
			    (a != rt->ret_code && AK_CHECK(a->kind, AKB_RETURN_RCV | AKB_RETURN_BODY) &&
			     !AK_CHECK(a->kind, AKB_USER_IMPLICIT) && !a->type->port_type &&
			     (a->parent == NULL || AK_IDENT(a->kind) == AKE_COUNT ||
			      AK_IDENT(a->kind) == AKE_COUNT_IN_OUT)))
				found = 1;
	if (!found && !AK_CHECK(rt->ret_code->kind, AKB_REPLY))
		ndr->kind &= ~ndr_rcv;
}

/* mirrors rtCheckRoutine, up to what decides the layout */
static void check_routine(parser_t *p, droutine_t *rt)
{
	/* rtAddRetCode, rtAddNdrCode: [NDR, RetCode, args...] */
	const defs_tok_t at = {TOK_IDENT, "", 0, rt->file, rt->line};
	darg_t *rc = arg_alloc(p, &at);
	rc->name = "RetCode";
	rc->type = type_int32(p, "kern_return_t");
	rc->kind = AK_RET_CODE;
	rc->implicit = 1;
	rc->next = rt->args;
	rt->ret_code = rc;
	darg_t *ndr = arg_alloc(p, &at);
	ndr->name = "NDR";
	dtype_t *nt = type_alloc(p);
	nt->name = "NDR_record_t";
	nt->size = 64;
	type_size_info(nt);
	ndr->type = nt;
	ndr->kind = AKE_NDR_CODE;
	ndr->implicit = 1;
	ndr->next = rc;
	rt->ndr = ndr;
	rt->args = ndr;
	/* rtCheckRoutineArgs visits every argument, implicit ones too: old_arg
	 * is the one before in the list */
	p->old_arg = rc;
	for (darg_t *a = rc->next; a != NULL; a = a->next) {
		if (!a->implicit)
			check_routine_arg(p, rt, a);
		p->old_arg = a;
	}
	if (rt->reply_port == NULL)
		add_dummy_reply_port(p, rt);
	check_port_arg_types(p, rt);
	if (rt->simple && check_mask(rt, AKB_RETURN))
		defs_fail(p->ctx, rt->file, rt->line, "SimpleRoutine %s has OUT argument", rt->name);
	rt->simple_request = check_simple(rt, AKB_REQUEST);
	rt->simple_reply = check_simple(rt, AKB_REPLY);
	add_same_count(p, rt);
	process_ret_code(rt);
	process_ndr_code(rt);
}

static void add_routine_slot(parser_t *p, mp_spec_routine_t *r)
{
	if (p->nroutines == p->cap_routines) {
		size_t cap = p->cap_routines ? p->cap_routines * 2 : 16;
		mp_spec_routine_t **n = palloc(p, cap * sizeof *n);
		if (p->nroutines)
			memcpy(n, p->routines, p->nroutines * sizeof *n);
		p->routines = n;
		p->cap_routines = cap;
	}
	p->routines[p->nroutines++] = r;
}

static void statement_routine(parser_t *p, const defs_tok_t *kw, int simple)
{
	if (!p->have_subsystem)
		fail_at(p, kw, "a routine before the subsystem statement");
	droutine_t *rt = palloc(p, sizeof *rt);
	rt->simple = simple;
	rt->file = kw->file;
	rt->line = kw->line;
	rt->name = expect_ident(p, "a routine name");
	rt->args = arguments(p);
	check_routine(p, rt);
	mp_spec_routine_t *r = palloc(p, sizeof *r);
	r->name = rt->name;
	r->id = p->base + (int32_t)p->nroutines;
	r->kind = simple ? MP_SPEC_SIMPLEROUTINE : MP_SPEC_ROUTINE;
	defs_layout_routine(p->ctx, rt, r);
	add_routine_slot(p, r);
}

static void statement_subsystem(parser_t *p, const defs_tok_t *kw)
{
	if (p->have_subsystem)
		fail_at(p, kw, "a second subsystem statement");
	for (;;) {
		const defs_tok_t *t = peek(p);
		if (is_kw(t, "KernelUser")) {
			next(p);
		} else if (is_kw(t, "KernelServer")) {
			next(p);
			p->kernel_server = 1;
		} else {
			break;
		}
	}
	p->subsystem = expect_ident(p, "a subsystem name");
	const defs_tok_t *t = next(p);
	if (t->kind != TOK_NUMBER)
		fail_at(p, t, "the subsystem's base (a number) expected, not '%s'", tok_desc(t));
	if (t->value > 0x7fffffffu)
		fail_at(p, t, "subsystem base %s out of range", t->text);
	p->base = (int32_t)t->value;
	p->have_subsystem = 1;
}

static void skip_to_semi(parser_t *p)
{
	while (peek(p)->kind != TOK_EOF && !is_punct(peek(p), ';'))
		next(p);
}

/* Statements with no layout effect: their argument is read up to ';'. */
static const char *const no_layout_statements[] = {
	"waittime", "nowaittime", "sendtime", "nosendtime", "msgoption",
	"usespecialreplyport", "consumeonsenderror", "usertypelimit", "onstacklimit",
	"error", "serverdemux", "import", "uimport", "simport", "dimport", "iimport", "rcsid",
};

static void statement(parser_t *p)
{
	const defs_tok_t *t = next(p);
	if (is_punct(t, ';'))
		return;
	if (is_kw(t, "subsystem")) {
		statement_subsystem(p, t);
	} else if (is_kw(t, "routine")) {
		statement_routine(p, t, 0);
	} else if (is_kw(t, "simpleroutine")) {
		statement_routine(p, t, 1);
	} else if (is_kw(t, "skip")) {
		if (!p->have_subsystem)
			fail_at(p, t, "skip before the subsystem statement");
		add_routine_slot(p, NULL);
	} else if (is_kw(t, "type")) {
		statement_type(p);
	} else if (is_kw(t, "userprefix")) {
		p->d->user_prefix = expect_ident(p, "a prefix");
	} else if (is_kw(t, "serverprefix")) {
		p->d->server_prefix = expect_ident(p, "a prefix");
	} else {
		int known = 0;
		for (size_t i = 0; i < sizeof no_layout_statements / sizeof no_layout_statements[0]; i++)
			if (is_kw(t, no_layout_statements[i]))
				known = 1;
		if (!known)
			fail_at(p, t, "a statement expected, not '%s'", tok_desc(t));
		skip_to_semi(p);
	}
	const defs_tok_t *semi = next(p);
	if (!is_punct(semi, ';'))
		fail_at(p, semi, "';' expected, not '%s'", tok_desc(semi));
}

void defs_parse(defs_ctx_t *ctx, mp_defs_t *d)
{
	parser_t p;
	memset(&p, 0, sizeof p);
	p.ctx = ctx;
	p.d = d;
	while (peek(&p)->kind != TOK_EOF)
		statement(&p);
	if (!p.have_subsystem)
		fail_at(&p, peek(&p), "no subsystem statement");
	mp_spec_subsystem_t *ss = &d->ss;
	ss->name = p.subsystem;
	ss->base = p.base;
	ss->nroutines = (uint32_t)p.nroutines;
	ss->routines = (const mp_spec_routine_t *const *)p.routines;
	for (size_t i = 0; i < p.nroutines; i++) {
		const mp_spec_routine_t *r = p.routines[i];
		if (r == NULL)
			continue;
		if (r->request.max_size > ss->max_request_size)
			ss->max_request_size = r->request.max_size;
		if (r->kind == MP_SPEC_ROUTINE && r->reply.max_size > ss->max_reply_size)
			ss->max_reply_size = r->reply.max_size;
	}
}
