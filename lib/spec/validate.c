/*
 * lib/spec/validate.c: mp_spec_validate, the consistency of a spec table
 * (hand-written or emitted): the layout migcom would give the fields
 * (type.c itPadSize: every field a multiple of 4; the NDR record after the
 * descriptors), counts before their arrays, min/max sizes and nvar from the
 * fields, ids from the base. The first fault is reported with the routine,
 * the field and the value expected.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lib/spec/spec_internal.h"

typedef struct vctx {
	const mp_spec_subsystem_t *ss;
	const mp_spec_routine_t *rt;
	const char *side; /* "request" / "reply" */
	mp_diag_t *diag;
} vctx_t;

static MP_SPEC_PRINTF(3, 4) mp_err_t vfail(const vctx_t *c, const char *what, const char *fmt,
					    ...)
{
	if (c->diag != NULL) {
		char why[112];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, sizeof why, fmt, ap);
		va_end(ap);
		c->diag->err = MP_E_INVALID_ARG;
		c->diag->offset = 0;
		snprintf(c->diag->reason, sizeof c->diag->reason, "%s: %s: %s %s: %s",
			 c->ss->name != NULL ? c->ss->name : "(subsystem)",
			 c->rt != NULL && c->rt->name != NULL ? c->rt->name : "(routine)",
			 c->side != NULL ? c->side : "", what != NULL ? what : "", why);
	}
	return MP_E_INVALID_ARG;
}

static int valid_disposition_mask(uint32_t mask)
{
	return mask != 0;
}

static mp_err_t validate_desc(const vctx_t *c, const mp_spec_msg_t *m, unsigned i)
{
	const mp_spec_desc_t *d = &m->descs[i];
	const char *n = d->name != NULL ? d->name : "(descriptor)";
	if (d->name == NULL)
		return vfail(c, n, "descriptor %u has no name", i);
	if (d->type != MP_MSG_PORT_DESCRIPTOR && d->type != MP_MSG_OOL_DESCRIPTOR &&
	    d->type != MP_MSG_OOL_PORTS_DESCRIPTOR)
		return vfail(c, n, "type %u, expected port (0), OOL (1) or OOL ports (2)", d->type);
	if (d->type != MP_MSG_OOL_DESCRIPTOR && !valid_disposition_mask(d->dispositions))
		return vfail(c, n, "dispositions 0: no received disposition accepted");
	if (d->type == MP_MSG_PORT_DESCRIPTOR) {
		if (d->flags & MP_SPEC_DESC_FIXED)
			return vfail(c, n, "a port descriptor cannot be FIXED");
		if (d->count_field != MP_SPEC_NONE)
			return vfail(c, n, "count_field %u, expected none for a port", d->count_field);
		return MP_OK;
	}
	if (d->type == MP_MSG_OOL_DESCRIPTOR && d->multiplier == 0)
		return vfail(c, n, "multiplier 0, expected >= 1");
	if (d->flags & MP_SPEC_DESC_FIXED) {
		if (d->count_field != MP_SPEC_NONE)
			return vfail(c, n, "count_field %u, expected none for a fixed size",
				     d->count_field);
		return MP_OK;
	}
	/* A variable OOL's count travels inline (routine.c: the argCount of a KPD). */
	if (d->count_field == MP_SPEC_NONE || d->count_field >= m->nfields)
		return vfail(c, n, "count_field %u, expected the index of a COUNT field (< %u)",
			     d->count_field, m->nfields);
	if (m->fields[d->count_field].kind != MP_SPEC_COUNT)
		return vfail(c, n, "count_field %u is a %s, expected a COUNT field", d->count_field,
			     mp_spec_field_kind_name(m->fields[d->count_field].kind));
	return MP_OK;
}

/* One field's sizes for its kind; *wire gets the wire size migcom gives it. */
static mp_err_t validate_field_kind(const vctx_t *c, const mp_spec_msg_t *m, unsigned i,
				    uint32_t *wire)
{
	const mp_spec_field_t *f = &m->fields[i];
	const char *n = f->name;
	switch (f->kind) {
	case MP_SPEC_COUNT:
	case MP_SPEC_STRING_OFFSET:
	case MP_SPEC_RETCODE:
		if (f->elem_size != 4 || f->max != 1)
			return vfail(c, n, "elem_size %u max %u, expected 4 and 1", f->elem_size,
				     f->max);
		if (f->count_field != MP_SPEC_NONE)
			return vfail(c, n, "count_field %u, expected none", f->count_field);
		*wire = 4;
		return MP_OK;
	case MP_SPEC_SCALAR:
		if (f->elem_size == 0 || f->max != 1)
			return vfail(c, n, "elem_size %u max %u, expected > 0 and 1", f->elem_size,
				     f->max);
		if (f->count_field != MP_SPEC_NONE)
			return vfail(c, n, "count_field %u, expected none", f->count_field);
		*wire = mp_spec_walign(f->elem_size);
		return MP_OK;
	case MP_SPEC_STRING:
		if (f->elem_size != 1 || f->max == 0)
			return vfail(c, n, "elem_size %u max %u, expected 1 and > 0", f->elem_size,
				     f->max);
		*wire = mp_spec_walign(f->max);
		return MP_OK;
	case MP_SPEC_VAR_ARRAY:
	case MP_SPEC_VAR_STRING:
		if (f->elem_size == 0 || (f->kind == MP_SPEC_VAR_STRING && f->elem_size != 1))
			return vfail(c, n, "elem_size %u, expected %s", f->elem_size,
				     f->kind == MP_SPEC_VAR_STRING ? "1" : "> 0");
		if (f->count_field >= i)
			return vfail(c, n, "count_field %u, expected a COUNT field before it (< %u)",
				     f->count_field, i);
		if (m->fields[f->count_field].kind != MP_SPEC_COUNT)
			return vfail(c, n, "count_field %u is a %s, expected a COUNT field",
				     f->count_field,
				     mp_spec_field_kind_name(m->fields[f->count_field].kind));
		if ((uint64_t)f->elem_size * f->max > 0x10000000u)
			return vfail(c, n, "elem_size %u * max %u too large", f->elem_size, f->max);
		*wire = mp_spec_walign(f->elem_size * f->max);
		return MP_OK;
	default:
		return vfail(c, n, "kind %u, expected 1..7", f->kind);
	}
}

static mp_err_t validate_msg(vctx_t *c, const mp_spec_msg_t *m)
{
	if (m->ndesc > MP_SPEC_MAX_DESCS || m->nfields > MP_SPEC_MAX_FIELDS)
		return vfail(c, "", "%u descriptors and %u fields, at most %u each", m->ndesc,
			     m->nfields, MP_SPEC_MAX_FIELDS);
	if ((m->ndesc != 0 && m->descs == NULL) || (m->nfields != 0 && m->fields == NULL))
		return vfail(c, "", "NULL descs or fields");
	if (m->ndesc != 0 && !m->complex)
		return vfail(c, "complex", "0 with %u descriptors, expected 1", m->ndesc);
	uint32_t at = MP_SPEC_HEADER_SIZE;
	if (m->complex)
		at += 4u;
	for (unsigned i = 0; i < m->ndesc; i++) {
		mp_err_t err = validate_desc(c, m, i);
		if (err != MP_OK)
			return err;
		at += mp_spec_desc_wire_size(m->descs[i].type);
	}
	if (m->ndr)
		at += MP_SPEC_NDR_SIZE;
	else if (m->nfields != 0)
		return vfail(c, "ndr", "0 with %u inline fields, expected 1 (the NDR record precedes "
				       "them)", m->nfields);
	uint32_t var_wire = 0;
	unsigned nvar = 0;
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		if (f->name == NULL)
			return vfail(c, "(field)", "field %u has no name", i);
		uint32_t wire = 0;
		mp_err_t err = validate_field_kind(c, m, i, &wire);
		if (err != MP_OK)
			return err;
		if (f->wire_size != wire)
			return vfail(c, f->name, "wire_size %u, expected %u", f->wire_size, wire);
		if (f->offset != at)
			return vfail(c, f->name, "offset %u, expected %u", f->offset, at);
		at += wire;
		if (f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING) {
			nvar++;
			var_wire += wire;
		}
	}
	if (m->nvar != nvar)
		return vfail(c, "nvar", "%u, expected %u", m->nvar, nvar);
	if (m->max_size != at)
		return vfail(c, "max_size", "%u, expected %u", m->max_size, at);
	if (m->min_size != at - var_wire)
		return vfail(c, "min_size", "%u, expected %u", m->min_size, at - var_wire);
	return MP_OK;
}

static mp_err_t validate_routine(vctx_t *c, const mp_spec_routine_t *rt, uint32_t index)
{
	int64_t want = (int64_t)c->ss->base + index;
	c->side = "";
	if (rt->name == NULL)
		return vfail(c, "name", "routine %u has no name", index);
	if (rt->id != want)
		return vfail(c, "id", "%d, expected %lld (base %d + %u)", rt->id, (long long)want,
			     c->ss->base, index);
	if (rt->kind != MP_SPEC_ROUTINE && rt->kind != MP_SPEC_SIMPLEROUTINE)
		return vfail(c, "kind", "%u, expected 1 (routine) or 2 (simpleroutine)", rt->kind);
	if (rt->ntrailer > MP_SPEC_MAX_TRAILER_ELEMS)
		return vfail(c, "ntrailer", "%u, at most %u", rt->ntrailer, MP_SPEC_MAX_TRAILER_ELEMS);
	for (unsigned i = 0; i < rt->ntrailer; i++)
		if (rt->trailer[i] < MP_SPEC_TRAILER_SEQNO || rt->trailer[i] > MP_SPEC_TRAILER_CONTEXT)
			return vfail(c, "trailer", "element %u is %u, expected 1..4", i,
				     rt->trailer[i]);
	if (rt->retcode_arg && (rt->request.nfields == 0 ||
				rt->request.fields[0].kind != MP_SPEC_RETCODE))
		return vfail(c, "retcode_arg", "set, expected the request's first field to be a "
					       "RETCODE");
	c->side = "request";
	mp_err_t err = validate_msg(c, &rt->request);
	if (err != MP_OK)
		return err;
	if (rt->kind == MP_SPEC_ROUTINE) {
		c->side = "reply";
		err = validate_msg(c, &rt->reply);
		if (err != MP_OK)
			return err;
	}
	return MP_OK;
}

mp_err_t mp_spec_validate(const mp_spec_subsystem_t *ss, mp_diag_t *diag)
{
	static const mp_spec_subsystem_t unnamed = {"(subsystem)", 0, 0, NULL, 0, 0};
	vctx_t c = {ss != NULL ? ss : &unnamed, NULL, "", diag};
	if (ss == NULL)
		return vfail(&c, "", "NULL subsystem");
	if (ss->name == NULL)
		return vfail(&c, "name", "NULL");
	if (ss->nroutines != 0 && ss->routines == NULL)
		return vfail(&c, "routines", "NULL with %u routines", ss->nroutines);
	if ((int64_t)ss->base + ss->nroutines - 1 > INT32_MAX)
		return vfail(&c, "base", "%d + %u routines overflows msgh_id", ss->base,
			     ss->nroutines);
	uint32_t max_req = 0, max_rep = 0;
	for (uint32_t i = 0; i < ss->nroutines; i++) {
		const mp_spec_routine_t *rt = ss->routines[i];
		if (rt == NULL)
			continue; /* a skip */
		c.rt = rt;
		mp_err_t err = validate_routine(&c, rt, i);
		if (err != MP_OK)
			return err;
		if (rt->request.max_size > max_req)
			max_req = rt->request.max_size;
		if (rt->kind == MP_SPEC_ROUTINE && rt->reply.max_size > max_rep)
			max_rep = rt->reply.max_size;
	}
	c.rt = NULL;
	c.side = "";
	if (ss->max_request_size < max_req)
		return vfail(&c, "max_request_size", "%u, expected at least %u", ss->max_request_size,
			     max_req);
	if (ss->max_reply_size < max_rep)
		return vfail(&c, "max_reply_size", "%u, expected at least %u", ss->max_reply_size,
			     max_rep);
	return MP_OK;
}
