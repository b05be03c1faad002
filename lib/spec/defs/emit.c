/*
 * lib/spec/defs/emit.c: a read subsystem as C: the static const spec tables
 * (mp_defs_emit_c), a header declaring them (mp_defs_emit_h), and a file of
 * _Static_asserts against MIG's generated header (mp_defs_emit_layout_check,
 * used by scripts/mig-layout-check; never built in CI).
 */
#include <stdio.h>
#include <string.h>

#include "lib/spec/defs/types.h"

static const char *field_kind_name(uint8_t k)
{
	switch (k) {
	case MP_SPEC_SCALAR:
		return "MP_SPEC_SCALAR";
	case MP_SPEC_COUNT:
		return "MP_SPEC_COUNT";
	case MP_SPEC_VAR_ARRAY:
		return "MP_SPEC_VAR_ARRAY";
	case MP_SPEC_STRING:
		return "MP_SPEC_STRING";
	case MP_SPEC_VAR_STRING:
		return "MP_SPEC_VAR_STRING";
	case MP_SPEC_STRING_OFFSET:
		return "MP_SPEC_STRING_OFFSET";
	default:
		return "MP_SPEC_RETCODE";
	}
}

static const char *desc_type_name(uint8_t t)
{
	switch (t) {
	case MP_MSG_PORT_DESCRIPTOR:
		return "MP_MSG_PORT_DESCRIPTOR";
	case MP_MSG_OOL_DESCRIPTOR:
		return "MP_MSG_OOL_DESCRIPTOR";
	default:
		return "MP_MSG_OOL_PORTS_DESCRIPTOR";
	}
}

static const char *trailer_name(uint8_t e)
{
	switch (e) {
	case MP_SPEC_TRAILER_SEQNO:
		return "MP_SPEC_TRAILER_SEQNO";
	case MP_SPEC_TRAILER_SENDER:
		return "MP_SPEC_TRAILER_SENDER";
	case MP_SPEC_TRAILER_AUDIT:
		return "MP_SPEC_TRAILER_AUDIT";
	default:
		return "MP_SPEC_TRAILER_CONTEXT";
	}
}

static void emit_u16(FILE *out, uint16_t v)
{
	if (v == MP_SPEC_NONE)
		fprintf(out, "MP_SPEC_NONE");
	else
		fprintf(out, "%u", v);
}

static void emit_mask(FILE *out, uint32_t v)
{
	if (v == MP_SPEC_ANY_DISPOSITION)
		fprintf(out, "MP_SPEC_ANY_DISPOSITION");
	else
		fprintf(out, "0x%08xu", v);
}

static void emit_fields(FILE *out, const char *sym, unsigned r, const char *dir,
			const mp_spec_msg_t *m)
{
	if (m->nfields == 0)
		return;
	fprintf(out, "static const mp_spec_field_t %s_%u_%s_fields[%u] = {\n", sym, r, dir,
		m->nfields);
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		fprintf(out, "\t{.name = \"%s\", .kind = %s, .type_code = %u, .count_field = ", f->name,
			field_kind_name(f->kind), f->type_code);
		emit_u16(out, f->count_field);
		fprintf(out, ", .elem_size = %u, .max = %u, .wire_size = %u, .offset = %u},\n",
			f->elem_size, f->max, f->wire_size, f->offset);
	}
	fprintf(out, "};\n");
}

static void emit_descs(FILE *out, const char *sym, unsigned r, const char *dir,
		       const mp_spec_msg_t *m)
{
	if (m->ndesc == 0)
		return;
	fprintf(out, "static const mp_spec_desc_t %s_%u_%s_descs[%u] = {\n", sym, r, dir, m->ndesc);
	for (unsigned i = 0; i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		fprintf(out, "\t{.name = \"%s\", .type = %s, .flags = 0x%02xu, .count_field = ", d->name,
			desc_type_name(d->type), d->flags);
		emit_u16(out, d->count_field);
		fprintf(out, ", .dispositions = ");
		emit_mask(out, d->dispositions);
		fprintf(out,
			", .fixed = %u, .multiplier = %u, .max = %u, .elem_size = %u, "
			".send_disposition = %u},\n",
			d->fixed, d->multiplier, d->max, d->elem_size, d->send_disposition);
	}
	fprintf(out, "};\n");
}

static void emit_msg(FILE *out, const char *sym, unsigned r, const char *dir,
		     const mp_spec_msg_t *m)
{
	fprintf(out, "\t.%s = {\n", dir);
	fprintf(out, "\t\t.complex = %u, .ndr = %u, .ndesc = %u, .nfields = %u, .nvar = %u,\n",
		m->complex, m->ndr, m->ndesc, m->nfields, m->nvar);
	if (m->ndesc)
		fprintf(out, "\t\t.descs = %s_%u_%s_descs,\n", sym, r, dir);
	if (m->nfields)
		fprintf(out, "\t\t.fields = %s_%u_%s_fields,\n", sym, r, dir);
	fprintf(out, "\t\t.min_size = %u, .max_size = %u,\n\t},\n", m->min_size, m->max_size);
}

static void emit_routine(FILE *out, const char *sym, unsigned i, const mp_spec_routine_t *rt)
{
	emit_fields(out, sym, i, "request", &rt->request);
	emit_descs(out, sym, i, "request", &rt->request);
	if (rt->kind == MP_SPEC_ROUTINE) {
		emit_fields(out, sym, i, "reply", &rt->reply);
		emit_descs(out, sym, i, "reply", &rt->reply);
	}
	fprintf(out, "static const mp_spec_routine_t %s_%u = {\n", sym, i);
	fprintf(out, "\t.name = \"%s\",\n\t.id = %d,\n\t.kind = %s,\n", rt->name, rt->id,
		rt->kind == MP_SPEC_ROUTINE ? "MP_SPEC_ROUTINE" : "MP_SPEC_SIMPLEROUTINE");
	fprintf(out, "\t.retcode_arg = %u,\n\t.ntrailer = %u,\n", rt->retcode_arg, rt->ntrailer);
	if (rt->ntrailer) {
		fprintf(out, "\t.trailer = {");
		for (unsigned k = 0; k < rt->ntrailer; k++)
			fprintf(out, "%s%s", k ? ", " : "", trailer_name(rt->trailer[k]));
		fprintf(out, "},\n");
	}
	fprintf(out, "\t.reply_port_dispositions = ");
	emit_mask(out, rt->reply_port_dispositions);
	fprintf(out, ",\n");
	emit_msg(out, sym, i, "request", &rt->request);
	if (rt->kind == MP_SPEC_ROUTINE)
		emit_msg(out, sym, i, "reply", &rt->reply);
	fprintf(out, "};\n\n");
}

int mp_defs_emit_c(const mp_defs_t *d, const char *symbol, FILE *out)
{
	const mp_spec_subsystem_t *ss = &d->ss;
	fprintf(out, "/* %s: the spec of MIG subsystem %s (base %d), written by //:mpmig. */\n",
		symbol, ss->name, ss->base);
	fprintf(out, "#include <stddef.h>\n\n#include \"machports/spec.h\"\n\n");
	for (unsigned i = 0; i < ss->nroutines; i++)
		if (ss->routines[i] != NULL)
			emit_routine(out, symbol, i, ss->routines[i]);
	if (ss->nroutines > 0) {
		fprintf(out, "static const mp_spec_routine_t *const %s_routines[%u] = {\n", symbol,
			ss->nroutines);
		for (unsigned i = 0; i < ss->nroutines; i++) {
			if (ss->routines[i] != NULL)
				fprintf(out, "\t&%s_%u,\n", symbol, i);
			else
				fprintf(out, "\tNULL, /* skip */\n");
		}
		fprintf(out, "};\n\n");
	}
	fprintf(out, "const mp_spec_subsystem_t %s = {\n", symbol);
	fprintf(out, "\t.name = \"%s\",\n\t.base = %d,\n\t.nroutines = %u,\n", ss->name, ss->base,
		ss->nroutines);
	if (ss->nroutines > 0)
		fprintf(out, "\t.routines = %s_routines,\n", symbol);
	fprintf(out, "\t.max_request_size = %u,\n\t.max_reply_size = %u,\n};\n",
		ss->max_request_size, ss->max_reply_size);
	return ferror(out) ? -1 : 0;
}

int mp_defs_emit_h(const mp_defs_t *d, const char *symbol, FILE *out)
{
	fprintf(out, "/* %s: the spec of MIG subsystem %s, written by //:mpmig. */\n", symbol,
		d->ss.name);
	fprintf(out, "#ifndef MPMIG_%s_H\n#define MPMIG_%s_H\n\n", symbol, symbol);
	fprintf(out, "#include \"machports/spec.h\"\n\n");
	fprintf(out, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
	fprintf(out, "extern const mp_spec_subsystem_t %s;\n\n", symbol);
	fprintf(out, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
	return ferror(out) ? -1 : 0;
}

static void emit_msg_check(FILE *out, const char *rname, const char *dir, const mp_spec_msg_t *m)
{
	const char *tag = strcmp(dir, "request") == 0 ? "Request" : "Reply";
	fprintf(out, "MPMIG_CHECK(sizeof(__%s__%s_t) == %u, \"%s %s size\");\n", tag, rname,
		m->max_size, rname, dir);
	uint32_t off = 24;
	if (m->complex) {
		fprintf(out, "MPMIG_CHECK(offsetof(__%s__%s_t, msgh_body) == 24, \"%s %s body\");\n",
			tag, rname, rname, dir);
		off = 28;
		for (unsigned i = 0; i < m->ndesc; i++) {
			const mp_spec_desc_t *d = &m->descs[i];
			unsigned k = 0;
			while (i > k && strcmp(m->descs[i - k - 1].name, d->name) == 0)
				k++;
			int multi = (i + 1 < m->ndesc && strcmp(m->descs[i + 1].name, d->name) == 0) || k;
			if (multi)
				fprintf(out,
					"MPMIG_CHECK(offsetof(__%s__%s_t, %s[%u]) == %u, \"%s %s %s\");\n",
					tag, rname, d->name, k, off, rname, dir, d->name);
			else
				fprintf(out, "MPMIG_CHECK(offsetof(__%s__%s_t, %s) == %u, \"%s %s %s\");\n",
					tag, rname, d->name, off, rname, dir, d->name);
			off += defs_desc_size(d->type);
		}
	}
	if (m->ndr)
		fprintf(out, "MPMIG_CHECK(offsetof(__%s__%s_t, NDR) == %u, \"%s %s NDR\");\n", tag,
			rname, off, rname, dir);
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		fprintf(out, "MPMIG_CHECK(offsetof(__%s__%s_t, %s) == %u, \"%s %s %s\");\n", tag, rname,
			f->name, f->offset, rname, dir, f->name);
		fprintf(out, "MPMIG_CHECK(sizeof(((__%s__%s_t *)0)->%s) == %u, \"%s %s %s size\");\n",
			tag, rname, f->name, f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING ||
			f->kind == MP_SPEC_STRING ? f->elem_size * f->max : f->elem_size,
			rname, dir, f->name);
	}
	/* the last byte: nothing after the last field */
	uint32_t end = m->nfields ? m->fields[m->nfields - 1].offset + m->fields[m->nfields - 1].wire_size
				  : off + (m->ndr ? 8u : 0u);
	fprintf(out, "MPMIG_CHECK(sizeof(__%s__%s_t) == %u, \"%s %s end\");\n", tag, rname, end,
		rname, dir);
}

int mp_defs_emit_layout_check(const mp_defs_t *d, FILE *out)
{
	const mp_spec_subsystem_t *ss = &d->ss;
	fprintf(out, "/* mpmig --mig-layout-check: subsystem %s against MIG's header. */\n",
		ss->name);
	fprintf(out, "#include <stddef.h>\n#define MPMIG_CHECK(c, m) _Static_assert(c, m)\n\n");
	for (unsigned i = 0; i < ss->nroutines; i++) {
		const mp_spec_routine_t *rt = ss->routines[i];
		if (rt == NULL)
			continue;
		emit_msg_check(out, rt->name, "request", &rt->request);
		if (rt->kind == MP_SPEC_ROUTINE)
			emit_msg_check(out, rt->name, "reply", &rt->reply);
	}
	return ferror(out) ? -1 : 0;
}
