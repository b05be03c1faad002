/*
 * lib/server_fuzz/inputs.c: reply values and OOL bytes (inputs.h).
 */
#include "lib/server_fuzz/inputs.h"

#include <string.h>

/* A 4-byte scalar of one element (an int, a handle): what a reply value
 * can stand in for. */
static int is_value_field(const mp_spec_field_t *f)
{
	return f->kind == MP_SPEC_SCALAR && f->elem_size == 4u && f->max <= 1u;
}

void sf_values_use(sf_values_t *vals, mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, uint8_t *req, size_t len)
{
	mp_spec_view_t view;
	const mp_spec_msg_t *m;

	if (vals->n == 0 || mp_spec_check_request(ss, req, len, MP_SPEC_MIG, &view, NULL) != MP_MIG_SUCCESS)
		return;
	m = view.msg;
	for (unsigned i = 0; i < m->nfields && i < MP_SPEC_MAX_FIELDS; i++) {
		uint32_t v;

		if (!is_value_field(&m->fields[i]) || mp_spec_gen_below(g, 2) != 0)
			continue;
		v = vals->v[mp_spec_gen_below(g, vals->n)];
		memcpy(req + view.field_offset[i], &v, sizeof v);
	}
}

void sf_values_keep(sf_values_t *vals, const mp_spec_view_t *reply)
{
	const mp_spec_msg_t *m = reply->msg;

	for (unsigned i = 0; i < m->nfields && i < MP_SPEC_MAX_FIELDS; i++) {
		uint32_t v;

		if (!is_value_field(&m->fields[i]))
			continue;
		memcpy(&v, reply->bytes + reply->field_offset[i], sizeof v);
		if (vals->n == SF_MAX_VALUES) {
			memmove(vals->v, vals->v + 1, (SF_MAX_VALUES - 1u) * sizeof v);
			vals->n--;
		}
		vals->v[vals->n++] = v;
	}
}

void sf_ool_fill(mp_spec_gen_t *g, uint8_t *buf, uint32_t size, uint32_t *dirty)
{
	size_t left = g->data != NULL && g->pos < g->len ? g->len - g->pos : 0;
	uint32_t n = size < SF_OOL_INPUT_MAX ? size : SF_OOL_INPUT_MAX;

	if (n > left)
		n = (uint32_t)left;
	if (n > 0) {
		memcpy(buf, g->data + g->pos, n);
		g->pos += n;
	}
	if (*dirty > n)
		memset(buf + n, 0, *dirty - n);
	*dirty = n;
}
