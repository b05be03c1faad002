/*
 * lib/spec/tests/defs_test_support.h: shared by the .defs reader's tests:
 * reading a test .defs, writing a scratch .defs, and a table consistency
 * check of our own (independent of the engine's mp_spec_validate).
 */
#ifndef MP_SPEC_DEFS_TEST_SUPPORT_H
#define MP_SPEC_DEFS_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/spec/defs/defs.h"

static inline mp_defs_t *t_read(const char *path)
{
	char why[512];
	mp_defs_t *d = mp_defs_read(path, NULL, why, sizeof why);
	if (d == NULL)
		fail_msg("%s", why);
	return d;
}

/* Writes `text` to a scratch file named `name` (under TEST_TMPDIR) and returns its path. */
static inline const char *t_scratch(const char *name, const char *text)
{
	static char paths[8][512];
	static int k;
	char *path = paths[k++ % 8];
	const char *dir = getenv("TEST_TMPDIR");
	snprintf(path, 512, "%s/%s", dir ? dir : "/tmp", name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Reads a scratch .defs expected to fail; returns the reason text. */
static inline const char *t_refused(const char *name, const char *text)
{
	static char why[512];
	mp_defs_t *d = mp_defs_read(t_scratch(name, text), NULL, why, sizeof why);
	if (d != NULL) {
		mp_defs_free(d);
		fail_msg("%s was accepted", name);
	}
	return why;
}

static inline const mp_spec_routine_t *t_routine(const mp_spec_subsystem_t *ss, const char *name)
{
	for (uint32_t i = 0; i < ss->nroutines; i++)
		if (ss->routines[i] != NULL && strcmp(ss->routines[i]->name, name) == 0)
			return ss->routines[i];
	fail_msg("no routine %s", name);
	return NULL;
}

static inline int t_field(const mp_spec_msg_t *m, const char *name)
{
	for (int i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return i;
	fail_msg("no field %s", name);
	return -1;
}

static inline uint32_t t_desc_size(uint8_t type)
{
	return type == 0 ? 12u : 16u; /* port 12, OOL / OOL ports 16 (LP64) */
}

/* Our consistency rules for one message: fields tile the message after the
 * header, descriptors and NDR; counts point at COUNT fields before their
 * arrays; sizes and nvar agree. */
static inline void t_check_msg(const char *rt, const mp_spec_msg_t *m)
{
	uint32_t off = 24;
	if (m->complex) {
		off += 4;
		for (unsigned i = 0; i < m->ndesc; i++) {
			const mp_spec_desc_t *d = &m->descs[i];
			off += t_desc_size(d->type);
			if (d->count_field != MP_SPEC_NONE) {
				if (d->count_field >= m->nfields ||
				    m->fields[d->count_field].kind != MP_SPEC_COUNT)
					fail_msg("%s: desc %s: count_field %u", rt, d->name, d->count_field);
				if (d->flags & MP_SPEC_DESC_FIXED)
					fail_msg("%s: desc %s: fixed with a count", rt, d->name);
			}
			if (d->multiplier == 0)
				fail_msg("%s: desc %s: multiplier 0", rt, d->name);
		}
	} else if (m->ndesc != 0) {
		fail_msg("%s: simple message with descriptors", rt);
	}
	if (m->ndr)
		off += 8;
	uint32_t vars = 0, var_bytes = 0;
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		if (f->offset != off)
			fail_msg("%s: field %s at %u, expected %u", rt, f->name, f->offset, off);
		if (f->wire_size % 4 != 0)
			fail_msg("%s: field %s: wire_size %u not padded", rt, f->name, f->wire_size);
		if (f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING) {
			vars++;
			var_bytes += f->wire_size;
			if (f->count_field >= i || m->fields[f->count_field].kind != MP_SPEC_COUNT)
				fail_msg("%s: field %s: count_field %u", rt, f->name, f->count_field);
			if (f->elem_size * f->max > f->wire_size || f->wire_size - f->elem_size * f->max > 3)
				fail_msg("%s: field %s: %u x %u in %u bytes", rt, f->name, f->elem_size, f->max,
					 f->wire_size);
		} else if (f->count_field != MP_SPEC_NONE) {
			fail_msg("%s: field %s has a count", rt, f->name);
		}
		off += f->wire_size;
	}
	if (m->max_size != off)
		fail_msg("%s: max_size %u, fields end at %u", rt, m->max_size, off);
	if (m->nvar != vars || m->min_size != off - var_bytes)
		fail_msg("%s: nvar %u min %u, expected %u %u", rt, m->nvar, m->min_size, vars,
			 off - var_bytes);
}

static inline void t_check_subsystem(const mp_spec_subsystem_t *ss)
{
	uint32_t maxreq = 0, maxrep = 0;
	for (uint32_t i = 0; i < ss->nroutines; i++) {
		const mp_spec_routine_t *r = ss->routines[i];
		if (r == NULL)
			continue;
		if (r->id != ss->base + (int32_t)i)
			fail_msg("%s: id %d, expected %d", r->name, r->id, ss->base + (int32_t)i);
		t_check_msg(r->name, &r->request);
		if (r->request.max_size > maxreq)
			maxreq = r->request.max_size;
		if (r->kind == MP_SPEC_ROUTINE) {
			t_check_msg(r->name, &r->reply);
			if (r->reply.max_size > maxrep)
				maxrep = r->reply.max_size;
			/* a simple reply carries NDR + RetCode first; a complex one none */
			if (!r->reply.complex &&
			    (r->reply.nfields == 0 || r->reply.fields[0].kind != MP_SPEC_RETCODE ||
			     r->reply.fields[0].offset != 32))
				fail_msg("%s: simple reply without RetCode at 32", r->name);
		} else if (r->reply.nfields || r->reply.ndesc || r->reply.max_size) {
			fail_msg("%s: simpleroutine with a reply", r->name);
		}
		if (r->ntrailer > MP_SPEC_MAX_TRAILER_ELEMS)
			fail_msg("%s: ntrailer %u", r->name, r->ntrailer);
	}
	assert_int_equal(ss->max_request_size, maxreq);
	assert_int_equal(ss->max_reply_size, maxrep);
}

#endif /* MP_SPEC_DEFS_TEST_SUPPORT_H */
