/*
 * fuzz/roundtrip.c: bytes -> message spec (fdp.h) -> builder -> parser ->
 * the same spec. When the builder refuses a spec, building it unchecked and
 * parsing it must give the same rule: builder and parser never disagree.
 * The spec also picks the buffer's capacity (a short buffer must give
 * MP_E_NO_SPACE and the exact size needed) and values that do not fit their
 * fields (MP_E_INVALID_ARG, checked or not).
 */
#include <string.h>

#include "fuzz/support/fdp.h"
#include "fuzz/support/oracle.h"

#define MAX_DESC 24

typedef struct spec {
	uint32_t rd, ld, vd, other_bits;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t ndesc;
	mp_desc_t desc[MAX_DESC];
	const uint8_t *inl;
	size_t inline_len, split, cap;
	uint32_t header_at, inline_at;
} spec_t;

static mp_port_name_t name(fdp_t *f)
{
	static const mp_port_name_t pool[] = {MP_PORT_NULL, MP_PORT_DEAD, 0x103, 0x207, 0x30b};
	uint32_t k = (uint32_t)fdp_range(f, 0, 5);
	return k < 5 ? pool[k] : fdp_u32(f);
}

static void decode(fdp_t *f, spec_t *s)
{
	memset(s, 0, sizeof *s);
	/* one value in 64 outside its field: header dispositions are 5 bits */
	s->rd = (uint32_t)fdp_range(f, 0, fdp_range(f, 0, 63) ? 31 : 40);
	s->ld = (uint32_t)fdp_range(f, 0, 31);
	s->vd = (uint32_t)fdp_range(f, 0, 31);
	s->remote = name(f);
	s->local = name(f);
	s->voucher = name(f);
	s->id = (int32_t)fdp_u32(f);
	s->other_bits = fdp_bool(f) ? MP_MSGH_BITS_COMPLEX : 0;
	s->ndesc = (uint32_t)fdp_range(f, 0, MAX_DESC);
	for (uint32_t i = 0; i < s->ndesc; i++) {
		mp_desc_t *d = &s->desc[i];
		d->type = (uint32_t)fdp_range(f, 0, 4);
		d->name = name(f);
		d->disposition = (uint32_t)fdp_range(f, 0, fdp_range(f, 0, 63) ? 255 : 300);
		d->address = fdp_u64(f);
		d->context = fdp_bool(f) ? fdp_u64(f) : 0;
		d->length = fdp_bool(f) ? fdp_u32(f) : (uint32_t)fdp_range(f, 0, 40000);
		d->copy = (uint32_t)fdp_range(f, 0, fdp_range(f, 0, 63) ? 255 : 300);
		d->deallocate = (uint32_t)fdp_bool(f);
		d->flags = (uint32_t)fdp_range(f, 0, fdp_range(f, 0, 63) ? 0xffff : 0x1ffff);
		/* fields the type does not have stay 0, as the parser reports them */
		switch (d->type) {
		case MP_MSG_PORT_DESCRIPTOR:
			d->address = d->context = 0;
			d->length = d->copy = d->deallocate = d->flags = 0;
			break;
		case MP_MSG_OOL_DESCRIPTOR:
		case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
			d->name = d->disposition = d->flags = 0;
			d->context = 0;
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			d->name = d->flags = 0;
			d->context = 0;
			break;
		default:
			d->address = 0;
			d->length = d->copy = d->deallocate = 0;
			break;
		}
	}
	s->cap = fdp_range(f, 0, 3) ? SIZE_MAX : (size_t)fdp_range(f, 0, 600);
	s->header_at = (uint32_t)fdp_range(f, 0, s->ndesc);
	s->inline_at = (uint32_t)fdp_range(f, 0, s->ndesc);
	s->inline_len = (size_t)fdp_range(f, 0, 1024);
	s->split = (size_t)fdp_range(f, 0, s->inline_len);
	s->inl = fdp_bytes(f, s->inline_len, &s->inline_len);
	if (s->split > s->inline_len)
		s->split = s->inline_len;
}

static mp_err_t build(const spec_t *s, uint32_t flags, uint8_t *buf, size_t cap, size_t *len,
		      mp_diag_t *diag)
{
	mp_builder_t b;
	mp_builder_init(&b, buf, cap, flags);
	for (uint32_t i = 0; i <= s->ndesc; i++) {
		if (i == s->header_at) {
			mp_builder_set_remote(&b, s->remote, s->rd);
			mp_builder_set_local(&b, s->local, s->ld);
			mp_builder_set_voucher(&b, s->voucher, s->vd);
			mp_builder_set_id(&b, s->id);
			mp_builder_set_other_bits(&b, s->other_bits);
		}
		if (i == s->inline_at)
			mp_builder_append(&b, s->inl, s->split);
		if (i == s->ndesc)
			break;
		mp_builder_add_desc(&b, &s->desc[i]);
	}
	mp_builder_append(&b, s->inl + s->split, s->inline_len - s->split);
	return mp_builder_finish(&b, len, diag);
}

/* A value the builder cannot represent in its field (MP_E_INVALID_ARG). */
static int out_of_range(const spec_t *s)
{
	if (s->rd > 31 || s->ld > 31 || s->vd > 31)
		return 1;
	for (uint32_t i = 0; i < s->ndesc; i++) {
		const mp_desc_t *d = &s->desc[i];
		if (d->disposition > 255 || (d->type != MP_MSG_PORT_DESCRIPTOR && d->copy > 255) ||
		    d->flags > 0xffff)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[28 + MAX_DESC * 16 + 1024 + 16], raw[sizeof buf];
	fdp_t f;
	spec_t s;
	mp_diag_t diag, pdiag;
	mp_msg_view_t v;
	size_t len = 0, rlen = 0;
	mp_err_t err, perr;

	fdp_init(&f, data, size);
	decode(&f, &s);
	if (out_of_range(&s)) {
		/* checked, an earlier port-disposition error may stick first */
		err = build(&s, 0, buf, sizeof buf, &len, NULL);
		FUZZ_CHECK(build(&s, MP_BUILD_UNCHECKED, raw, sizeof raw, &rlen, NULL) == MP_E_INVALID_ARG &&
			       (err == MP_E_INVALID_ARG || err == MP_E_PORT_DISPOSITION),
			   "a value outside its field was accepted (%s)", mp_err_name(err));
		return 0;
	}
	FUZZ_CHECK(build(&s, MP_BUILD_UNCHECKED, raw, sizeof raw, &rlen, NULL) == MP_OK,
		   "unchecked build failed");
	if (s.cap < sizeof buf) {
		/* A short buffer: the size needed, and nothing written past the capacity. */
		memset(buf, 0xa5, sizeof buf);
		err = build(&s, 0, buf, s.cap, &len, &diag);
		if (rlen > s.cap && err != MP_E_PORT_DISPOSITION)
			FUZZ_CHECK(err == MP_E_NO_SPACE && len == rlen && diag.err == MP_E_NO_SPACE,
				   "%zu-byte buffer for a %zu-byte message: %s, %zu needed", s.cap, rlen,
				   mp_err_name(err), len);
		for (size_t i = s.cap; i < sizeof buf; i++)
			FUZZ_CHECK(buf[i] == 0xa5, "byte %zu written past a %zu-byte buffer", i, s.cap);
	}
	err = build(&s, 0, buf, sizeof buf, &len, &diag);
	perr = mp_parse_send(&v, raw, rlen, &pdiag);
	if (err != MP_OK) {
		/* Only the port-descriptor disposition is a builder-only rule (it is XNU's
		 * rights-copyin rule, after the shape checks). */
		if (err == MP_E_PORT_DISPOSITION)
			return 0;
		FUZZ_CHECK(err == perr && diag.offset == pdiag.offset,
			   "builder says %s at %zu, parser says %s at %zu", mp_err_name(err), diag.offset,
			   mp_err_name(perr), pdiag.offset);
		return 0;
	}
	FUZZ_CHECK(perr == MP_OK && len == rlen && memcmp(buf, raw, len) == 0,
		   "checked and unchecked builds differ");
	fuzz_check_accepted(&v, raw, rlen);

	/* The view is the spec. */
	FUZZ_CHECK(v.remote == s.remote && v.local == s.local && v.voucher == s.voucher && v.id == s.id,
		   "header names");
	FUZZ_CHECK(v.remote_disposition == s.rd && v.local_disposition == s.ld &&
		       v.voucher_disposition == s.vd,
		   "dispositions");
	FUZZ_CHECK(v.complex == (s.ndesc > 0 || s.other_bits != 0), "COMPLEX");
	FUZZ_CHECK(v.desc_count == s.ndesc, "count %u, spec %u", v.desc_count, s.ndesc);
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t i = 0;
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d)) {
		const mp_desc_t *w = &s.desc[i];
		FUZZ_CHECK(d.type == w->type && d.name == w->name && d.disposition == w->disposition &&
			       d.address == w->address && d.context == w->context &&
			       d.length == w->length && d.copy == w->copy &&
			       d.deallocate == w->deallocate && d.flags == w->flags,
			   "descriptor %u differs from the spec", i);
		i++;
	}
	size_t ilen;
	const uint8_t *inl = mp_view_inline(&v, &ilen);
	FUZZ_CHECK(ilen == s.inline_len && memcmp(inl, s.inl, ilen) == 0, "inline data");
	return 0;
}
