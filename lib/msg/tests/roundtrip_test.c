/*
 * lib/msg/tests/roundtrip_test.c: builder -> parser round-trip property over
 * many seeded random messages of every descriptor kind, in both modes:
 *  - send: a random valid spec, built in a random call order, parses back
 *    to the same spec;
 *  - recv: the spec turned into the form XNU delivers (§6.7, §6.9) plus a
 *    random trailer parses back to that form;
 *  - robustness: random byte flips and truncations of every message never
 *    make either parser read outside the buffer (ASan) or report an offset
 *    past it.
 * MP_ROUNDTRIP_ITERS overrides the iteration count (default 20000).
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/msg/tests/test_support.h"

#define MAX_DESC 12
#define MAX_INLINE 320

typedef struct spec {
	uint32_t rd, ld, vd;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	int force_complex;
	uint32_t ndesc;
	mp_desc_t desc[MAX_DESC];
	uint32_t inline_len;
	uint8_t inline_bytes[MAX_INLINE];
} spec_t;

static mp_port_name_t rand_valid_name(t_rng_t *r)
{
	/* index << 8 | generation, never NULL or DEAD */
	return ((1u + t_below(r, 0xfffffe)) << 8) | (t_below(r, 64) << 2) | 3u;
}

static mp_port_name_t rand_any_name(t_rng_t *r)
{
	switch (t_below(r, 6)) {
	case 0: return MP_PORT_NULL;
	case 1: return MP_PORT_DEAD;
	default: return rand_valid_name(r);
	}
}

static void gen_desc(t_rng_t *r, mp_desc_t *d)
{
	memset(d, 0, sizeof *d);
	d->type = t_below(r, 5);
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		d->name = rand_any_name(r);
		/* a valid name needs a right; NULL and DEAD may carry anything */
		d->disposition = MP_PORT_VALID(d->name) ? 16 + t_below(r, 6) : t_below(r, 256);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		d->address = t_rand(r);
		d->copy = t_below(r, 2);
		d->deallocate = t_below(r, 2);
		/* mostly small; a large one only where it does not count toward the VM budget */
		d->length = t_below(r, 4) ? t_below(r, 70000) : (uint32_t)t_rand(r);
		if (d->length > MP_OOL_SIZE_SMALL && d->copy == MP_MSG_PHYSICAL_COPY && !d->deallocate &&
		    d->length > 1024 * 1024)
			d->deallocate = 1;
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		d->address = t_rand(r);
		d->length = t_below(r, 200);
		d->disposition = t_below(r, 8) ? 16 + t_below(r, 6) : 0;
		d->copy = t_below(r, 2);
		d->deallocate = t_below(r, 2);
		break;
	default:
		d->name = rand_any_name(r);
		d->disposition = MP_MSG_TYPE_MOVE_RECEIVE;
		d->flags = 1 + t_below(r, 3);
		d->context = (d->flags & MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) ? 0 : t_rand(r);
		break;
	}
}

static void gen_spec(t_rng_t *r, spec_t *s)
{
	memset(s, 0, sizeof *s);
	s->rd = 17 + t_below(r, 5);
	s->remote = rand_valid_name(r);
	if (t_below(r, 3) == 0) {
		s->ld = 0;
		s->local = MP_PORT_NULL;
	} else {
		s->ld = 17 + t_below(r, 5);
		s->local = rand_any_name(r);
		/* dest == reply is allowed unless either is MOVE_SEND_ONCE */
		if (t_below(r, 8) == 0 && s->rd != 18 && s->ld != 18)
			s->local = s->remote;
	}
	switch (t_below(r, 3)) {
	case 0: /* no voucher disposition: the field is opaque and round-tripped */
		s->vd = 0;
		s->voucher = (uint32_t)t_rand(r);
		break;
	default:
		s->vd = t_below(r, 2) ? 17 : 19;
		s->voucher = t_below(r, 3) == 0 ? MP_PORT_NULL : rand_valid_name(r);
		if (s->voucher == s->remote && s->rd != 17 && s->rd != 19)
			s->voucher = MP_PORT_NULL;
		if (MP_PORT_VALID(s->local) && s->local == s->voucher)
			s->voucher = MP_PORT_NULL;
		break;
	}
	s->id = (int32_t)t_rand(r);
	s->ndesc = t_below(r, MAX_DESC + 1);
	for (uint32_t i = 0; i < s->ndesc; i++)
		gen_desc(r, &s->desc[i]);
	s->force_complex = s->ndesc == 0 && t_below(r, 4) == 0;
	s->inline_len = 4 * t_below(r, MAX_INLINE / 4 + 1);
	for (uint32_t i = 0; i < s->inline_len; i++)
		s->inline_bytes[i] = (uint8_t)t_rand(r);
}

/* Builds `s` with the header set at a random point and the inline data split
 * around the descriptors, so the insertion paths are exercised. */
static mp_err_t build(t_rng_t *r, const spec_t *s, uint32_t flags, uint8_t *buf, size_t cap,
		      size_t *len, mp_diag_t *diag)
{
	mp_builder_t b;
	uint32_t split = s->inline_len ? 4 * t_below(r, s->inline_len / 4 + 1) : 0;
	uint32_t inline_at = t_below(r, s->ndesc + 1);
	uint32_t header_at = t_below(r, s->ndesc + 1);

	mp_builder_init(&b, buf, cap, flags);
	for (uint32_t i = 0; i <= s->ndesc; i++) {
		if (i == header_at) {
			mp_builder_set_remote(&b, s->remote, s->rd);
			mp_builder_set_local(&b, s->local, s->ld);
			mp_builder_set_voucher(&b, s->voucher, s->vd);
			mp_builder_set_id(&b, s->id);
		}
		if (i == inline_at)
			mp_builder_append(&b, s->inline_bytes, split);
		if (i < s->ndesc)
			mp_builder_add_desc(&b, &s->desc[i]);
	}
	mp_builder_append(&b, s->inline_bytes + split, s->inline_len - split);
	if (s->force_complex)
		mp_builder_set_other_bits(&b, MP_MSGH_BITS_COMPLEX);
	return mp_builder_finish(&b, len, diag);
}

static void check_desc(const mp_desc_t *got, const mp_desc_t *want)
{
	assert_int_equal(got->type, want->type);
	assert_int_equal(got->name, want->name);
	assert_int_equal(got->disposition, want->disposition);
	assert_int_equal(got->address, want->address);
	assert_int_equal(got->context, want->context);
	assert_int_equal(got->length, want->length);
	assert_int_equal(got->copy, want->copy);
	assert_int_equal(got->deallocate, want->deallocate);
	assert_int_equal(got->flags, want->flags);
}

static void check_view(const mp_msg_view_t *v, const spec_t *s)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t n = 0;
	size_t ilen;

	assert_int_equal(v->remote_disposition, s->rd);
	assert_int_equal(v->local_disposition, s->ld);
	assert_int_equal(v->voucher_disposition, s->vd);
	assert_int_equal(v->remote, s->remote);
	assert_int_equal(v->local, s->local);
	assert_int_equal(v->voucher, s->voucher);
	assert_int_equal(v->id, s->id);
	assert_int_equal(v->complex, s->ndesc > 0 || s->force_complex);
	assert_int_equal(v->desc_count, s->ndesc);
	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d)) {
		assert_true(n < s->ndesc);
		check_desc(&d, &s->desc[n]);
		n++;
	}
	assert_int_equal(n, s->ndesc);
	const uint8_t *inl = mp_view_inline(v, &ilen);
	assert_int_equal(ilen, s->inline_len);
	assert_memory_equal(inl, s->inline_bytes, ilen);
}

/* ipc_object_copyin_type (§3.1): the type a sent disposition arrives as. */
static uint32_t carried(uint32_t d)
{
	switch (d) {
	case 16: return 16;
	case 17: case 19: case 20: return 17;
	case 18: case 21: return 18;
	default: return 0;
	}
}

/* The spec as XNU would deliver it (§6.7, §6.9, §10.5), names unchanged. */
static void to_received(t_rng_t *r, const spec_t *s, spec_t *o)
{
	*o = *s;
	o->rd = carried(s->ld);
	o->remote = s->local;
	o->ld = carried(s->rd);
	o->local = s->remote;
	o->vd = s->vd ? 17 : 0;
	for (uint32_t i = 0; i < o->ndesc; i++) {
		mp_desc_t *d = &o->desc[i];
		switch (d->type) {
		case MP_MSG_PORT_DESCRIPTOR:
			d->disposition = carried(d->disposition);
			break;
		case MP_MSG_OOL_DESCRIPTOR:
		case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
			d->deallocate = d->copy == MP_MSG_VIRTUAL_COPY;
			if (d->length == 0)
				d->address = 0;
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			d->disposition = carried(d->disposition);
			d->deallocate = 1;
			d->copy = MP_MSG_VIRTUAL_COPY;
			break;
		default:
			if (t_below(r, 2)) { /* received without MACH_RCV_GUARDED_DESC */
				d->name = 0;
				d->context = 0;
				d->flags |= MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND;
			}
			break;
		}
	}
}

static unsigned long iterations(void)
{
	const char *e = getenv("MP_ROUNDTRIP_ITERS");
	return e != NULL ? strtoul(e, NULL, 10) : 20000;
}

static uint8_t g_buf[28 + MAX_DESC * 16 + MAX_INLINE + 68 + 64];

static void test_send_roundtrip(void **state)
{
	t_rng_t r = {0x6d61636870727473ull};
	unsigned long n = iterations();
	(void)state;
	for (unsigned long i = 0; i < n; i++) {
		spec_t s;
		mp_msg_view_t v;
		mp_diag_t diag;
		size_t len = 0;
		gen_spec(&r, &s);
		if (build(&r, &s, 0, g_buf, sizeof g_buf, &len, &diag) != MP_OK)
			fail_msg("iteration %lu: build failed: %s at %zu: %s", i, mp_err_name(diag.err),
				 diag.offset, diag.reason);
		assert_int_equal(mp_parse_send(&v, g_buf, len, NULL), MP_OK);
		assert_int_equal(v.size, len);
		check_view(&v, &s);
	}
}

static void test_recv_roundtrip(void **state)
{
	static const uint32_t tsizes[] = {8, 12, 20, 52, 60, 68};
	t_rng_t r = {0x7265637672747269ull};
	unsigned long n = iterations();
	(void)state;
	for (unsigned long i = 0; i < n; i++) {
		spec_t s, o;
		mp_msg_view_t v;
		mp_diag_t diag;
		size_t len = 0, slack = t_below(&r, 3) * 4;
		uint32_t ts = tsizes[t_below(&r, 6)];
		gen_spec(&r, &s);
		to_received(&r, &s, &o);
		assert_int_equal(build(&r, &o, MP_BUILD_UNCHECKED, g_buf, sizeof g_buf, &len, NULL), MP_OK);
		/* the trailer: format 0, size, then random element bytes */
		t_put32(g_buf, len, MP_MSG_TRAILER_FORMAT_0);
		t_put32(g_buf, len + 4, ts);
		for (size_t k = 8; k < ts + slack; k++)
			g_buf[len + k] = (uint8_t)t_rand(&r);
		if (mp_parse_recv(&v, g_buf, len + ts + slack, ts, &diag) != MP_OK)
			fail_msg("iteration %lu: %s at %zu: %s", i, mp_err_name(diag.err), diag.offset,
				 diag.reason);
		assert_int_equal(v.msgh_size, len);
		assert_int_equal(v.trailer.size, ts);
		check_view(&v, &o);
	}
}

/* Flipped bytes and truncations: any result, but never a read or an offset outside. */
static void test_mutations(void **state)
{
	t_rng_t r = {0x6d75746174696f6eull};
	unsigned long n = iterations();
	(void)state;
	for (unsigned long i = 0; i < n; i++) {
		spec_t s;
		mp_msg_view_t v;
		mp_diag_t diag;
		size_t len = 0;
		gen_spec(&r, &s);
		assert_int_equal(build(&r, &s, 0, g_buf, sizeof g_buf, &len, NULL), MP_OK);
		/* a trailer so the receive parser gets past the header too */
		t_put32(g_buf, len, 0);
		t_put32(g_buf, len + 4, 8);
		size_t total = len + 8;
		for (int k = 0; k < 4; k++) {
			size_t at = t_below(&r, (uint32_t)total);
			g_buf[at] ^= (uint8_t)(1u << t_below(&r, 8));
		}
		size_t cut = t_below(&r, 4) == 0 ? t_below(&r, (uint32_t)total + 1) : total;
		/* the parsers get an exact-size heap copy, so ASan sees any overread */
		uint8_t *copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, g_buf, cut);
		if (mp_parse_send(&v, copy, cut, &diag) != MP_OK)
			assert_true(diag.offset <= cut);
		if (mp_parse_recv(&v, copy, cut, 0, &diag) != MP_OK)
			assert_true(diag.offset <= cut);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_roundtrip),
	    cmocka_unit_test(test_recv_roundtrip),
	    cmocka_unit_test(test_mutations),
	};
	return cmocka_run_group_tests_name("roundtrip", tests, NULL, NULL);
}
