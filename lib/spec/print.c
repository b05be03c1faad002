/*
 * lib/spec/print.c: a subsystem's spec (routines, ids, fields with kind,
 * size, offset and maximum, descriptors with the dispositions they accept,
 * trailer elements, sizes) and a checked message with the routine's argument
 * names, as text and as JSON (one object, no newline).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/spec/spec_internal.h"
#include "machports/le.h"

typedef struct out {
	mp_write_fn write;
	void *ctx;
} out_t;

static MP_SPEC_PRINTF(2, 3) void outf(const out_t *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
	o->write(o->ctx, buf, len);
}

static void outs(const out_t *o, const char *s)
{
	o->write(o->ctx, s, strlen(s));
}

/* A JSON string of `n` bytes (control characters and non-ASCII escaped). */
static void json_bytes(const out_t *o, const char *s, size_t n)
{
	outs(o, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			outf(o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			outf(o, "\\u%04x", c);
		else
			o->write(o->ctx, (const char *)&c, 1);
	}
	outs(o, "\"");
}

static void json_str(const out_t *o, const char *s)
{
	if (s == NULL)
		outs(o, "null");
	else
		json_bytes(o, s, strlen(s));
}

static const char *nonnull(const char *s)
{
	return s != NULL ? s : "?";
}

static const char *count_name(const mp_spec_msg_t *m, unsigned cf)
{
	return cf < m->nfields ? nonnull(m->fields[cf].name) : NULL;
}

/* ------------------------------------------------------------------------
 * The spec
 * ------------------------------------------------------------------------ */

static void text_dispositions(const out_t *o, uint32_t mask)
{
	if (mask == MP_SPEC_ANY_DISPOSITION) {
		outs(o, "any");
		return;
	}
	const char *sep = "";
	for (unsigned d = 0; d < 32; d++)
		if (mask & (1u << d)) {
			outf(o, "%s%u", sep, d);
			sep = ",";
		}
	if (*sep == '\0')
		outs(o, "none");
}

static void text_msg(const out_t *o, const char *side, int32_t id, const mp_spec_msg_t *m)
{
	outf(o, "  %s id %d: %s%s, %u descriptors, %u fields (%u variable), size %u..%u\n", side, id,
	     m->complex ? "complex" : "simple", m->ndr ? ", NDR" : "", m->ndesc, m->nfields, m->nvar,
	     m->min_size, m->max_size);
	uint32_t at = MP_SPEC_DESC_OFFSET;
	for (unsigned i = 0; m->descs != NULL && i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		outf(o, "    desc %s: %s at %u, dispositions ", nonnull(d->name),
		     mp_spec_desc_type_name(d->type), at);
		text_dispositions(o, d->type == MP_MSG_OOL_DESCRIPTOR ? MP_SPEC_ANY_DISPOSITION
								     : d->dispositions);
		if (d->flags & MP_SPEC_DESC_FIXED)
			outf(o, ", fixed %u", d->fixed);
		if (d->count_field != MP_SPEC_NONE)
			outf(o, ", count %s", nonnull(count_name(m, d->count_field)));
		if (d->type == MP_MSG_OOL_DESCRIPTOR && d->multiplier > 1)
			outf(o, ", size / %u", d->multiplier);
		if (d->max != 0)
			outf(o, ", max %u", d->max);
		if (d->send_disposition != 0)
			outf(o, ", sent as %u", d->send_disposition);
		outs(o, "\n");
		at += mp_spec_desc_wire_size(d->type);
	}
	for (unsigned i = 0; m->fields != NULL && i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		outf(o, "    field %s: %s, elem %u, max %u, wire %u at %u", nonnull(f->name),
		     mp_spec_field_kind_name(f->kind), f->elem_size, f->max, f->wire_size, f->offset);
		if (f->count_field != MP_SPEC_NONE)
			outf(o, ", count %s", nonnull(count_name(m, f->count_field)));
		outs(o, "\n");
	}
}

void mp_spec_print_text(const mp_spec_subsystem_t *ss, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	if (ss == NULL || write == NULL)
		return;
	outf(&o, "subsystem %s: base %d, %u routines, max request %u, max reply %u\n",
	     nonnull(ss->name), ss->base, ss->nroutines, ss->max_request_size, ss->max_reply_size);
	for (uint32_t i = 0; ss->routines != NULL && i < ss->nroutines; i++) {
		const mp_spec_routine_t *rt = ss->routines[i];
		if (rt == NULL) {
			outf(&o, "skip %lld\n", (long long)ss->base + i);
			continue;
		}
		outf(&o, "%s %s %d", rt->kind == MP_SPEC_SIMPLEROUTINE ? "simpleroutine" : "routine",
		     nonnull(rt->name), rt->id);
		if (rt->retcode_arg)
			outs(&o, ", leading kern_return_t");
		if (rt->ntrailer != 0) {
			outs(&o, ", trailer");
			for (unsigned t = 0; t < rt->ntrailer && t < MP_SPEC_MAX_TRAILER_ELEMS; t++)
				outf(&o, " %s", mp_spec_trailer_elem_name(rt->trailer[t]));
		}
		if (rt->reply_port_dispositions != 0) {
			outs(&o, ", reply port ");
			text_dispositions(&o, rt->reply_port_dispositions);
		}
		outs(&o, "\n");
		text_msg(&o, "request", rt->id, &rt->request);
		if (rt->kind == MP_SPEC_ROUTINE)
			text_msg(&o, "reply", (int32_t)((uint32_t)rt->id + 100u), &rt->reply);
	}
}

static void json_dispositions(const out_t *o, uint32_t mask)
{
	if (mask == MP_SPEC_ANY_DISPOSITION) {
		outs(o, "\"any\"");
		return;
	}
	outs(o, "[");
	const char *sep = "";
	for (unsigned d = 0; d < 32; d++)
		if (mask & (1u << d)) {
			outf(o, "%s%u", sep, d);
			sep = ",";
		}
	outs(o, "]");
}

static void json_count_field(const out_t *o, const mp_spec_msg_t *m, unsigned cf)
{
	outs(o, ",\"count_field\":");
	json_str(o, cf == MP_SPEC_NONE ? NULL : count_name(m, cf));
}

static void json_msg(const out_t *o, int32_t id, const mp_spec_msg_t *m)
{
	outf(o, "{\"id\":%d,\"complex\":%s,\"ndr\":%s,\"min_size\":%u,\"max_size\":%u,\"nvar\":%u,"
		"\"descriptors\":[",
	     id, m->complex ? "true" : "false", m->ndr ? "true" : "false", m->min_size, m->max_size,
	     m->nvar);
	uint32_t at = MP_SPEC_DESC_OFFSET;
	for (unsigned i = 0; m->descs != NULL && i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		outs(o, i ? ",{\"name\":" : "{\"name\":");
		json_str(o, d->name);
		outf(o, ",\"type\":\"%s\",\"offset\":%u,\"dispositions\":",
		     mp_spec_desc_type_name(d->type), at);
		json_dispositions(o, d->type == MP_MSG_OOL_DESCRIPTOR ? MP_SPEC_ANY_DISPOSITION
								     : d->dispositions);
		outf(o, ",\"fixed\":%s", (d->flags & MP_SPEC_DESC_FIXED) ? "true" : "false");
		if (d->flags & MP_SPEC_DESC_FIXED)
			outf(o, ",\"fixed_size\":%u", d->fixed);
		json_count_field(o, m, d->count_field);
		outf(o, ",\"multiplier\":%u,\"max\":%u,\"elem_size\":%u,\"send_disposition\":%u,"
			"\"dealloc\":%s,\"physicalcopy\":%s}",
		     d->multiplier, d->max, d->elem_size, d->send_disposition,
		     (d->flags & MP_SPEC_DESC_DEALLOC) ? "true" : "false",
		     (d->flags & MP_SPEC_DESC_PHYSCOPY) ? "true" : "false");
		at += mp_spec_desc_wire_size(d->type);
	}
	outs(o, "],\"fields\":[");
	for (unsigned i = 0; m->fields != NULL && i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		outs(o, i ? ",{\"name\":" : "{\"name\":");
		json_str(o, f->name);
		outf(o, ",\"kind\":\"%s\",\"type_code\":%u,\"elem_size\":%u,\"max\":%u,"
			"\"wire_size\":%u,\"offset\":%u",
		     mp_spec_field_kind_name(f->kind), f->type_code, f->elem_size, f->max,
		     f->wire_size, f->offset);
		json_count_field(o, m, f->count_field);
		outs(o, "}");
	}
	outs(o, "]}");
}

void mp_spec_print_json(const mp_spec_subsystem_t *ss, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	if (write == NULL)
		return;
	if (ss == NULL) {
		outs(&o, "null");
		return;
	}
	outs(&o, "{\"subsystem\":");
	json_str(&o, ss->name);
	outf(&o, ",\"base\":%d,\"max_request_size\":%u,\"max_reply_size\":%u,\"routines\":[",
	     ss->base, ss->max_request_size, ss->max_reply_size);
	for (uint32_t i = 0; ss->routines != NULL && i < ss->nroutines; i++) {
		const mp_spec_routine_t *rt = ss->routines[i];
		if (i)
			outs(&o, ",");
		if (rt == NULL) {
			outf(&o, "{\"skip\":%lld}", (long long)ss->base + i);
			continue;
		}
		outs(&o, "{\"name\":");
		json_str(&o, rt->name);
		outf(&o, ",\"id\":%d,\"kind\":\"%s\",\"retcode_arg\":%s,\"trailer\":[", rt->id,
		     rt->kind == MP_SPEC_SIMPLEROUTINE ? "simpleroutine" : "routine",
		     rt->retcode_arg ? "true" : "false");
		for (unsigned t = 0; t < rt->ntrailer && t < MP_SPEC_MAX_TRAILER_ELEMS; t++)
			outf(&o, "%s\"%s\"", t ? "," : "", mp_spec_trailer_elem_name(rt->trailer[t]));
		outs(&o, "],\"reply_port_dispositions\":");
		if (rt->reply_port_dispositions == 0)
			outs(&o, "\"any\"");
		else
			json_dispositions(&o, rt->reply_port_dispositions);
		outs(&o, ",\"request\":");
		json_msg(&o, rt->id, &rt->request);
		outs(&o, ",\"reply\":");
		if (rt->kind == MP_SPEC_ROUTINE)
			json_msg(&o, (int32_t)((uint32_t)rt->id + 100u), &rt->reply);
		else
			outs(&o, "null");
		outs(&o, "}");
	}
	outs(&o, "]}");
}

/* ------------------------------------------------------------------------
 * A checked message
 * ------------------------------------------------------------------------ */

#define DUMP_MAX_ELEMS 16u

/* A field's bytes if they lie inside the view's buffer. */
static const uint8_t *field_bytes(const mp_spec_view_t *v, unsigned i, uint32_t *count,
				  size_t *bytes)
{
	const mp_spec_field_t *f = &v->msg->fields[i];
	uint32_t n = v->field_count[i];
	if (n == 0 && f->kind != MP_SPEC_VAR_ARRAY && f->kind != MP_SPEC_VAR_STRING)
		return NULL; /* not in this message (the RetCArg error form) */
	uint64_t size = f->kind == MP_SPEC_SCALAR ? f->elem_size : (uint64_t)f->elem_size * n;
	if ((uint64_t)v->field_offset[i] + size > v->len)
		return NULL;
	*count = n;
	*bytes = (size_t)size;
	return v->bytes + v->field_offset[i];
}

static uint64_t load_elem(const uint8_t *p, uint32_t elem)
{
	switch (elem) {
	case 1:
		return p[0];
	case 2:
		return mp_load_le16(p);
	case 4:
		return mp_load_le32(p);
	default:
		return mp_load_le64(p);
	}
}

/* Elements of 1, 2, 4 or 8 bytes as numbers; other sizes as hex bytes. */
static void dump_values(const out_t *o, const uint8_t *p, uint32_t elem, uint32_t n, int json)
{
	int numeric = elem == 1 || elem == 2 || elem == 4 || elem == 8;
	uint32_t shown = n < DUMP_MAX_ELEMS ? n : DUMP_MAX_ELEMS;
	outs(o, "[");
	for (uint32_t i = 0; i < shown; i++) {
		if (i)
			outs(o, json ? "," : ", ");
		if (numeric) {
			outf(o, json ? "%llu" : "0x%llx", (unsigned long long)load_elem(p + (size_t)i * elem, elem));
		} else {
			outs(o, json ? "\"" : "");
			for (uint32_t b = 0; b < elem && b < 64; b++)
				outf(o, "%02x", p[(size_t)i * elem + b]);
			outs(o, json ? "\"" : "");
		}
	}
	if (shown < n && !json)
		outf(o, ", ... (%u more)", n - shown);
	outs(o, "]");
}

static size_t string_len(const mp_spec_view_t *v, unsigned i)
{
	const mp_spec_field_t *f = &v->msg->fields[i];
	uint32_t at = v->field_offset[i];
	if (at >= v->len)
		return 0;
	size_t limit = v->len - at < f->max ? v->len - at : f->max;
	const uint8_t *nul = memchr(v->bytes + at, 0, limit);
	return nul != NULL ? (size_t)(nul - (v->bytes + at)) : limit;
}

static void dump_field_text(const out_t *o, const mp_spec_view_t *v, unsigned i)
{
	const mp_spec_field_t *f = &v->msg->fields[i];
	outf(o, "  %s (%s) at %u: ", nonnull(f->name), mp_spec_field_kind_name(f->kind),
	     v->field_offset[i]);
	uint32_t n = 0;
	size_t bytes = 0;
	const uint8_t *p = field_bytes(v, i, &n, &bytes);
	if (p == NULL) {
		outs(o, "(absent)\n");
		return;
	}
	if (f->kind == MP_SPEC_STRING || f->kind == MP_SPEC_VAR_STRING) {
		json_bytes(o, (const char *)v->bytes + v->field_offset[i], string_len(v, i));
	} else if (f->kind == MP_SPEC_VAR_ARRAY) {
		outf(o, "%u x %u bytes ", n, f->elem_size);
		dump_values(o, p, f->elem_size, n, 0);
	} else if (f->elem_size == 4 || f->elem_size == 8) {
		uint64_t x = load_elem(p, f->elem_size);
		outf(o, "%lld (0x%llx)", f->elem_size == 4 ? (long long)(int32_t)x : (long long)x,
		     (unsigned long long)x);
	} else {
		dump_values(o, p, 1, (uint32_t)bytes, 0);
	}
	outs(o, "\n");
}

static void dump_trailer_text(const out_t *o, const mp_spec_view_t *v)
{
	const mp_spec_routine_t *rt = v->routine;
	for (unsigned t = 0; t < rt->ntrailer && t < MP_SPEC_MAX_TRAILER_ELEMS; t++) {
		uint8_t buf[32];
		unsigned e = rt->trailer[t];
		uint32_t size = mp_spec_trailer_elem_size(e);
		outf(o, "  trailer %s: ", mp_spec_trailer_elem_name(e));
		if (size == 0 || !mp_spec_trailer(v, (mp_spec_trailer_elem_t)e, buf, sizeof buf)) {
			outs(o, "(absent)\n");
			continue;
		}
		for (uint32_t b = 0; b < size; b++)
			outf(o, "%02x", buf[b]);
		outs(o, "\n");
	}
}

static const char *side_name(const mp_spec_view_t *v)
{
	return v->msg == &v->routine->reply ? "reply" : "request";
}

void mp_spec_dump_text(const mp_spec_view_t *v, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	if (write == NULL)
		return;
	if (v == NULL || v->routine == NULL || v->msg == NULL || v->bytes == NULL) {
		outs(&o, "(no checked message)\n");
		return;
	}
	const mp_spec_msg_t *m = v->msg;
	outf(&o, "%s %s, msgh_id %d, %u bytes\n", nonnull(v->routine->name), side_name(v),
	     (int32_t)mp_load_le32(v->bytes + 20), v->msgh_size);
	for (unsigned i = 0; i < m->ndesc; i++) {
		mp_desc_t d;
		outf(&o, "  %s (%s): ", nonnull(m->descs[i].name),
		     mp_spec_desc_type_name(m->descs[i].type));
		if (!mp_spec_desc(v, i, &d)) {
			outs(&o, "(absent)\n");
			continue;
		}
		if (d.type == MP_MSG_PORT_DESCRIPTOR)
			outf(&o, "name 0x%x disposition %u\n", d.name, d.disposition);
		else if (d.type == MP_MSG_OOL_PORTS_DESCRIPTOR)
			outf(&o, "address 0x%llx count %u disposition %u\n",
			     (unsigned long long)d.address, d.length, d.disposition);
		else
			outf(&o, "address 0x%llx size %u copy %u deallocate %u\n",
			     (unsigned long long)d.address, d.length, d.copy, d.deallocate);
	}
	unsigned nf = m->nfields < MP_SPEC_MAX_FIELDS ? m->nfields : MP_SPEC_MAX_FIELDS;
	for (unsigned i = 0; i < nf; i++)
		dump_field_text(&o, v, i);
	if (v->msg == &v->routine->request)
		dump_trailer_text(&o, v);
}

static void dump_field_json(const out_t *o, const mp_spec_view_t *v, unsigned i)
{
	const mp_spec_field_t *f = &v->msg->fields[i];
	outs(o, "{\"name\":");
	json_str(o, f->name);
	outf(o, ",\"kind\":\"%s\",\"offset\":%u,\"count\":%u,\"value\":",
	     mp_spec_field_kind_name(f->kind), v->field_offset[i], v->field_count[i]);
	uint32_t n = 0;
	size_t bytes = 0;
	const uint8_t *p = field_bytes(v, i, &n, &bytes);
	if (p == NULL)
		outs(o, "null");
	else if (f->kind == MP_SPEC_STRING || f->kind == MP_SPEC_VAR_STRING)
		json_bytes(o, (const char *)v->bytes + v->field_offset[i], string_len(v, i));
	else if (f->kind == MP_SPEC_VAR_ARRAY)
		dump_values(o, p, f->elem_size, n, 1);
	else if (f->elem_size == 4 || f->elem_size == 8)
		outf(o, "%llu", (unsigned long long)load_elem(p, f->elem_size));
	else
		dump_values(o, p, 1, (uint32_t)bytes, 1);
	outs(o, "}");
}

void mp_spec_dump_json(const mp_spec_view_t *v, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	if (write == NULL)
		return;
	if (v == NULL || v->routine == NULL || v->msg == NULL || v->bytes == NULL) {
		outs(&o, "null");
		return;
	}
	const mp_spec_msg_t *m = v->msg;
	outs(&o, "{\"routine\":");
	json_str(&o, v->routine->name);
	outf(&o, ",\"side\":\"%s\",\"msgh_id\":%d,\"msgh_size\":%u,\"descriptors\":[", side_name(v),
	     (int32_t)mp_load_le32(v->bytes + 20), v->msgh_size);
	for (unsigned i = 0; i < m->ndesc; i++) {
		mp_desc_t d;
		outs(&o, i ? ",{\"name\":" : "{\"name\":");
		json_str(&o, m->descs[i].name);
		if (!mp_spec_desc(v, i, &d)) {
			outs(&o, ",\"absent\":true}");
			continue;
		}
		outf(&o, ",\"type\":\"%s\",\"offset\":%u,\"port\":%u,\"disposition\":%u,"
			 "\"address\":%llu,\"length\":%u,\"copy\":%u,\"deallocate\":%u}",
		     mp_spec_desc_type_name(d.type), d.offset, d.name, d.disposition,
		     (unsigned long long)d.address, d.length, d.copy, d.deallocate);
	}
	outs(&o, "],\"fields\":[");
	unsigned nf = m->nfields < MP_SPEC_MAX_FIELDS ? m->nfields : MP_SPEC_MAX_FIELDS;
	for (unsigned i = 0; i < nf; i++) {
		if (i)
			outs(&o, ",");
		dump_field_json(&o, v, i);
	}
	outs(&o, "],\"trailer\":{");
	if (v->msg == &v->routine->request) {
		const mp_spec_routine_t *rt = v->routine;
		const char *sep = "";
		for (unsigned t = 0; t < rt->ntrailer && t < MP_SPEC_MAX_TRAILER_ELEMS; t++) {
			uint8_t buf[32];
			unsigned e = rt->trailer[t];
			uint32_t size = mp_spec_trailer_elem_size(e);
			outf(&o, "%s\"%s\":", sep, mp_spec_trailer_elem_name(e));
			sep = ",";
			if (size == 0 ||
			    !mp_spec_trailer(v, (mp_spec_trailer_elem_t)e, buf, sizeof buf)) {
				outs(&o, "null");
				continue;
			}
			outs(&o, "\"");
			for (uint32_t b = 0; b < size; b++)
				outf(&o, "%02x", buf[b]);
			outs(&o, "\"");
		}
	}
	outs(&o, "}}");
}
