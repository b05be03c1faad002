/*
 * lib/spec/access.c: typed access to a message mp_spec_check_request (or
 * _reply) accepted: pointers into the caller's buffer, no copies. Every read
 * is bounded by the view's buffer length.
 */
#include <string.h>

#include "lib/spec/spec_internal.h"
#include "machports/le.h"

int mp_spec_field_index(const mp_spec_msg_t *m, const char *name)
{
	if (m == NULL || name == NULL)
		return -1;
	for (unsigned i = 0; i < m->nfields; i++)
		if (m->fields[i].name != NULL && strcmp(m->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

int mp_spec_desc_index(const mp_spec_msg_t *m, const char *name)
{
	if (m == NULL || name == NULL)
		return -1;
	for (unsigned i = 0; i < m->ndesc; i++)
		if (m->descs[i].name != NULL && strcmp(m->descs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The field's descriptor in the spec if `field` is a valid index of a view. */
static const mp_spec_field_t *view_field(const mp_spec_view_t *v, unsigned field)
{
	if (v == NULL || v->msg == NULL || v->bytes == NULL || field >= v->msg->nfields ||
	    field >= MP_SPEC_MAX_FIELDS)
		return NULL;
	return &v->msg->fields[field];
}

const void *mp_spec_field(const mp_spec_view_t *v, unsigned field, uint32_t *count)
{
	const mp_spec_field_t *f = view_field(v, field);
	if (f == NULL || v->field_offset[field] > v->len)
		return NULL;
	if (count != NULL)
		*count = v->field_count[field];
	return v->bytes + v->field_offset[field];
}

/* A fixed-size integer field (SCALAR, COUNT, STRING_OFFSET, RETCODE) of `size`
 * bytes present in the buffer. */
static const uint8_t *int_field(const mp_spec_view_t *v, unsigned field, uint32_t size)
{
	const mp_spec_field_t *f = view_field(v, field);
	if (f == NULL)
		return NULL;
	if (f->kind != MP_SPEC_SCALAR && f->kind != MP_SPEC_COUNT &&
	    f->kind != MP_SPEC_STRING_OFFSET && f->kind != MP_SPEC_RETCODE)
		return NULL;
	if (f->elem_size != size || v->field_count[field] == 0)
		return NULL;
	if ((size_t)v->field_offset[field] + size > v->len)
		return NULL;
	return v->bytes + v->field_offset[field];
}

int mp_spec_field_u32(const mp_spec_view_t *v, unsigned field, uint32_t *out)
{
	const uint8_t *p = int_field(v, field, 4);
	if (p == NULL)
		return 0;
	if (out != NULL)
		*out = mp_load_le32(p);
	return 1;
}

int mp_spec_field_u64(const mp_spec_view_t *v, unsigned field, uint64_t *out)
{
	const uint8_t *p = int_field(v, field, 8);
	if (p == NULL)
		return 0;
	if (out != NULL)
		*out = mp_load_le64(p);
	return 1;
}

const char *mp_spec_field_string(const mp_spec_view_t *v, unsigned field)
{
	const mp_spec_field_t *f = view_field(v, field);
	if (f == NULL || (f->kind != MP_SPEC_STRING && f->kind != MP_SPEC_VAR_STRING))
		return NULL;
	uint32_t at = v->field_offset[field];
	/* The check found a NUL among min(msgh_size - at, max) bytes; look again so a
	 * view filled by hand cannot point at an unterminated string. */
	if (at >= v->len)
		return NULL;
	size_t limit = v->len - at;
	if (limit > f->max)
		limit = f->max;
	if (memchr(v->bytes + at, 0, limit) == NULL)
		return NULL;
	return (const char *)(v->bytes + at);
}

int mp_spec_desc(const mp_spec_view_t *v, unsigned desc, mp_desc_t *out)
{
	if (v == NULL || v->msg == NULL || v->bytes == NULL || desc >= v->msg->ndesc ||
	    v->len < MP_SPEC_HEADER_SIZE)
		return 0;
	/* A simple message has none (the RetCArg error form of a complex request). */
	if ((mp_load_le32(v->bytes) & MP_SPEC_MSGH_BITS_COMPLEX) == 0)
		return 0;
	uint32_t at = MP_SPEC_DESC_OFFSET;
	for (unsigned i = 0; i < desc; i++)
		at += mp_spec_desc_wire_size(v->msg->descs[i].type);
	mp_desc_t tmp;
	if (!mp_desc_decode(v->bytes, v->len, at, out != NULL ? out : &tmp))
		return 0;
	return 1;
}

int mp_spec_trailer(const mp_spec_view_t *v, mp_spec_trailer_elem_t elem, void *out,
		    size_t out_len)
{
	uint32_t size = mp_spec_trailer_elem_size(elem);
	if (v == NULL || v->bytes == NULL || size == 0 || out_len < size)
		return 0;
	uint32_t t = v->trailer_offset != 0 ? v->trailer_offset : mp_spec_round_msg(v->msgh_size);
	if ((size_t)t + 8u > v->len || mp_load_le32(v->bytes + t) != MP_MSG_TRAILER_FORMAT_0)
		return 0;
	uint32_t trailer_size = mp_load_le32(v->bytes + t + 4u);
	uint32_t at = mp_spec_trailer_elem_offset(elem);
	if (at + size > trailer_size || (size_t)t + at + size > v->len)
		return 0;
	memcpy(out, v->bytes + t + at, size);
	return 1;
}
