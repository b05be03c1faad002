/*
 * lib/spec/build.c: requests, replies and mig_reply_error_t from a spec,
 * through lib/msg's builder, right by construction: counts written from the
 * values, the NDR record, padding zeroed, a c_string's NUL added, variable
 * fields shrunk to what they hold (as MIG's user stub packs them:
 * migcom user.c WritePackArg*, server.c WriteAdjustMsgSize).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/spec/spec_internal.h"
#include "machports/le.h"

/* NDR_record of a little-endian host (mach/ndr.h: int_rep NDR_INT_LITTLE_ENDIAN = 1). */
static const uint8_t ndr_record[MP_SPEC_NDR_SIZE] = MP_NDR_RECORD_INIT;
static const uint8_t zeros[64];

static MP_SPEC_PRINTF(4, 5) mp_err_t build_fail(mp_diag_t *diag, mp_err_t err, size_t offset,
						 const char *fmt, ...)
{
	if (diag != NULL) {
		diag->err = err;
		diag->offset = offset;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(diag->reason, sizeof diag->reason, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void append_zeros(mp_builder_t *b, size_t n)
{
	while (n > 0) {
		size_t k = n < sizeof zeros ? n : sizeof zeros;
		mp_builder_append(b, zeros, k);
		n -= k;
	}
}

/* Appends `n` bytes of `data` (zeros if NULL), then zeros up to `wire`. */
static void append_padded(mp_builder_t *b, const void *data, size_t n, size_t wire)
{
	if (data != NULL && n > 0)
		mp_builder_append(b, data, n);
	else
		append_zeros(b, n);
	if (wire > n)
		append_zeros(b, wire - n);
}

/* The characters of a string value: `count` bytes if given, else up to its NUL. */
static size_t string_length(const mp_spec_value_t *v, size_t max)
{
	if (v->data == NULL)
		return 0;
	if (v->count != 0)
		return v->count;
	const char *s = v->data;
	const void *nul = memchr(s, 0, max + 1);
	return nul != NULL ? (size_t)((const char *)nul - s) : max + 1;
}

/* The elements a variable field will hold (a string's NUL included). */
static int var_elements(const mp_spec_routine_t *rt, const mp_spec_field_t *f,
			const mp_spec_value_t *v, uint32_t *out, mp_diag_t *diag, mp_err_t *err)
{
	uint64_t n;
	if (f->kind == MP_SPEC_VAR_STRING)
		n = (uint64_t)string_length(v, f->max) + 1u;
	else
		n = v->count;
	if (n > f->max) {
		*err = build_fail(diag, MP_E_INVALID_ARG, f->offset, "%s: %s: %llu elements > %u",
				  rt->name, f->name, (unsigned long long)n, f->max);
		return 0;
	}
	*out = (uint32_t)n;
	return 1;
}

/* Every COUNT field's value, from the variable field or the descriptor that
 * names it; and each variable field's own element count in its own slot. */
static mp_err_t compute_counts(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
			       const mp_spec_value_t *descs, const mp_spec_value_t *fields,
			       uint32_t *counts, mp_diag_t *diag)
{
	mp_err_t err = MP_OK;
	memset(counts, 0, sizeof(uint32_t) * m->nfields);
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		if (f->kind != MP_SPEC_VAR_ARRAY && f->kind != MP_SPEC_VAR_STRING)
			continue;
		uint32_t n;
		if (!var_elements(rt, f, &fields[i], &n, diag, &err))
			return err;
		counts[i] = n; /* the field's own slot: it is no COUNT field */
		if (f->count_field < m->nfields)
			counts[f->count_field] = n;
	}
	for (unsigned i = 0; i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		const mp_spec_value_t *v = &descs[i];
		if (d->type == MP_MSG_PORT_DESCRIPTOR)
			continue;
		if ((d->flags & MP_SPEC_DESC_FIXED) && v->size != d->fixed)
			return build_fail(diag, MP_E_INVALID_ARG, 0, "%s: %s: size %u, the spec fixes %u",
					  rt->name, d->name, v->size, d->fixed);
		uint32_t mult = d->type == MP_MSG_OOL_DESCRIPTOR && d->multiplier > 1 ? d->multiplier : 1;
		if (v->size % mult != 0)
			return build_fail(diag, MP_E_INVALID_ARG, 0,
					  "%s: %s: size %u is not a multiple of %u", rt->name, d->name,
					  v->size, mult);
		uint32_t count = v->size / mult;
		if (d->max != 0 && count > d->max)
			return build_fail(diag, MP_E_INVALID_ARG, 0, "%s: %s: count %u > %u", rt->name,
					  d->name, count, d->max);
		if (d->count_field < m->nfields)
			counts[d->count_field] = count;
	}
	return MP_OK;
}

static void add_desc(mp_builder_t *b, const mp_spec_desc_t *d, const mp_spec_value_t *v)
{
	uint32_t disp = v->disposition != 0 ? v->disposition : d->send_disposition;
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		mp_builder_add_port(b, v->name, disp);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
		mp_builder_add_ool(b, v->address, v->size, v->copy, v->deallocate);
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		mp_builder_add_ool_ports(b, v->address, v->size, disp, v->copy, v->deallocate);
		break;
	default: {
		mp_desc_t raw;
		memset(&raw, 0, sizeof raw);
		raw.type = d->type;
		raw.name = v->name;
		raw.disposition = disp;
		raw.address = v->address;
		raw.length = v->size;
		raw.copy = v->copy;
		raw.deallocate = (uint32_t)v->deallocate;
		mp_builder_add_desc(b, &raw);
		break;
	}
	}
}

/* One inline field, as MIG's user stub packs it. */
static mp_err_t add_field(mp_builder_t *b, const mp_spec_routine_t *rt, const mp_spec_field_t *f,
			  const mp_spec_value_t *v, uint32_t count, int32_t retcode,
			  mp_diag_t *diag)
{
	uint8_t word[4];
	switch (f->kind) {
	case MP_SPEC_COUNT:
		mp_store_le32(word, count);
		append_padded(b, word, sizeof word, f->wire_size);
		break;
	case MP_SPEC_STRING_OFFSET: /* "MiG doesn't use it": 0 */
		append_zeros(b, f->wire_size);
		break;
	case MP_SPEC_RETCODE:
		if (v != NULL && v->data != NULL && retcode == 0)
			append_padded(b, v->data, 4, f->wire_size);
		else {
			mp_store_le32(word, (uint32_t)retcode);
			append_padded(b, word, sizeof word, f->wire_size);
		}
		break;
	case MP_SPEC_SCALAR:
		append_padded(b, v->data, (size_t)f->elem_size * f->max, f->wire_size);
		break;
	case MP_SPEC_STRING: {
		size_t n = string_length(v, f->max);
		if (n + 1 > f->max)
			return build_fail(diag, MP_E_INVALID_ARG, f->offset,
					  "%s: %s: string of %zu bytes does not fit c_string[%u]",
					  rt->name, f->name, n, f->max);
		append_padded(b, v->data, n, f->wire_size); /* the rest (the NUL) zeroed */
		break;
	}
	case MP_SPEC_VAR_STRING: {
		size_t n = count - 1u; /* count includes the NUL */
		size_t bytes = count;
		append_padded(b, v->data, n, mp_spec_walign((uint32_t)bytes));
		break;
	}
	case MP_SPEC_VAR_ARRAY: {
		size_t bytes = (size_t)f->elem_size * count;
		size_t wire = f->elem_size % 4u != 0 ? mp_spec_walign((uint32_t)bytes) : bytes;
		append_padded(b, v->data, bytes, wire);
		break;
	}
	default:
		return build_fail(diag, MP_E_INVALID_ARG, f->offset, "%s: %s: unknown field kind %u",
				  rt->name, f->name, f->kind);
	}
	return MP_OK;
}

static mp_err_t build_msg(const mp_spec_routine_t *rt, const mp_spec_msg_t *m, int32_t id,
			  const mp_spec_header_t *hdr, int32_t retcode, const mp_spec_value_t *descs,
			  const mp_spec_value_t *fields, void *buf, size_t cap, size_t *out_len,
			  mp_diag_t *diag)
{
	if (rt == NULL || m == NULL || hdr == NULL || (buf == NULL && cap != 0))
		return build_fail(diag, MP_E_INVALID_ARG, 0, "spec build: NULL argument");
	if (m->nfields > MP_SPEC_MAX_FIELDS || m->ndesc > MP_SPEC_MAX_DESCS)
		return build_fail(diag, MP_E_INVALID_ARG, 0, "%s: more than %u fields or descriptors",
				  rt->name, MP_SPEC_MAX_FIELDS);
	/* NULL value arrays: every value zero (empty arrays, null ports). */
	static const mp_spec_value_t none[MP_SPEC_MAX_FIELDS];
	if (descs == NULL)
		descs = none;
	if (fields == NULL)
		fields = none;
	uint32_t counts[MP_SPEC_MAX_FIELDS];
	mp_err_t err = compute_counts(rt, m, descs, fields, counts, diag);
	if (err != MP_OK)
		return err;

	mp_builder_t b;
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, hdr->remote, hdr->remote_disposition);
	mp_builder_set_local(&b, hdr->local, hdr->local_disposition);
	mp_builder_set_voucher(&b, hdr->voucher, hdr->voucher_disposition);
	mp_builder_set_id(&b, id);
	if (m->complex)
		mp_builder_set_other_bits(&b, MP_SPEC_MSGH_BITS_COMPLEX);
	for (unsigned i = 0; i < m->ndesc; i++)
		add_desc(&b, &m->descs[i], &descs[i]);
	if (m->ndr)
		mp_builder_append(&b, ndr_record, sizeof ndr_record);
	for (unsigned i = 0; i < m->nfields; i++) {
		err = add_field(&b, rt, &m->fields[i], &fields[i], counts[i], retcode, diag);
		if (err != MP_OK)
			return err;
	}
	return mp_builder_finish(&b, out_len, diag);
}

mp_err_t mp_spec_build_request(const mp_spec_routine_t *rt, const mp_spec_header_t *hdr,
			       const mp_spec_value_t *descs, const mp_spec_value_t *fields,
			       void *buf, size_t cap, size_t *out_len, mp_diag_t *diag)
{
	if (rt == NULL)
		return build_fail(diag, MP_E_INVALID_ARG, 0, "spec build: no routine");
	return build_msg(rt, &rt->request, rt->id, hdr, 0, descs, fields, buf, cap, out_len, diag);
}

mp_err_t mp_spec_build_reply(const mp_spec_routine_t *rt, const mp_spec_header_t *hdr,
			     int32_t retcode, const mp_spec_value_t *descs,
			     const mp_spec_value_t *fields, void *buf, size_t cap, size_t *out_len,
			     mp_diag_t *diag)
{
	if (rt == NULL)
		return build_fail(diag, MP_E_INVALID_ARG, 0, "spec build: no routine");
	if (rt->kind != MP_SPEC_ROUTINE)
		return build_fail(diag, MP_E_INVALID_ARG, 0, "%s: a simpleroutine has no reply",
				  rt->name);
	int32_t id = (int32_t)((uint32_t)rt->id + 100u);
	return build_msg(rt, &rt->reply, id, hdr, retcode, descs, fields, buf, cap, out_len, diag);
}

/* mirrors migcom server.c WriteDispatcher (the reply header it fills before
 * any routine runs) and MIG_RETURN_ERROR (NDR_record, RetCode). */
mp_err_t mp_spec_build_error_reply(const void *request, size_t request_len, int32_t code,
				   void *buf, size_t cap, size_t *out_len)
{
	if (request == NULL || request_len < MP_SPEC_HEADER_SIZE || buf == NULL)
		return MP_E_INVALID_ARG;
	if (out_len != NULL)
		*out_len = MP_SPEC_ERROR_REPLY_SIZE;
	if (cap < MP_SPEC_ERROR_REPLY_SIZE)
		return MP_E_NO_SPACE;
	const uint8_t *in = request;
	uint8_t *out = buf;
	uint32_t in_bits = mp_load_le32(in);
	/* A user-space server's MACH_MSGH_BITS_REPLY is MACH_MSGH_BITS_REMOTE and its
	 * msgh_reply_port is msgh_remote_port (server.c WriteProlog). */
	uint32_t reply_disp = in_bits & 0x1fu;
	mp_store_le32(out, reply_disp); /* MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(bits), 0) */
	mp_store_le32(out + 4, MP_SPEC_ERROR_REPLY_SIZE);
	mp_store_le32(out + 8, mp_load_le32(in + 8)); /* remote = the request's reply port */
	mp_store_le32(out + 12, 0);                    /* local: MACH_PORT_NULL */
	mp_store_le32(out + 16, 0);                    /* msgh_reserved */
	mp_store_le32(out + 20, mp_load_le32(in + 20) + 100u);
	memcpy(out + 24, ndr_record, sizeof ndr_record);
	mp_store_le32(out + MP_SPEC_RETCODE_OFFSET, (uint32_t)code);
	return MP_OK;
}
