/*
 * fuzz/spec_check.c: the spec check (mp_spec_check_request) on raw and
 * generated requests.
 *
 * Input: byte 0 picks the subsystem (fuzz/support/spec_tables.h: adding a
 * table is one line), byte 1 the form of the rest:
 *   0        raw bytes, a received buffer as is;
 *   1, 2, 3  choices for the generator (lib/spec/gen.c): a VALID, EDGE or
 *            ANY request of the subsystem (spec_gen.h).
 * The request is copied to a buffer of exactly its length, so ASan sees any
 * read past it. The structure-aware mutator (fuzz/support/spec_mutator.h)
 * knows the same tables: most mutants are generated or edge-mutated requests.
 *
 * Properties:
 *   1. MIG and STRICT levels agree with the receive parser: STRICT accepts
 *      exactly when the MIG level accepts, mp_parse_recv accepts, and the
 *      reply port's disposition is one the routine allows; a VALID generated
 *      request is accepted by both levels.
 *   2. An accepted request's descriptors are the receive parser's, one for
 *      one (type, name, disposition, address, length, copy).
 *   3. Every typed field (inline fields, descriptors, strings up to their
 *      NUL, asked trailer elements) lies inside [buf, buf + len), the inline
 *      ones inside msgh_size.
 *   4. Re-building the request from its fields (mp_spec_build_request) gives
 *      the same message, modulo what the builder normalises (rebuild() says
 *      what and why).
 *   5. A refusal has a MIG code and a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/oracle.h"
#include "fuzz/support/spec_mutator.h"
#include "fuzz/support/spec_tables.h"
#include "machports/le.h"
#include "machports/msg.h"
#include "machports/spec.h"
#include "machports/spec_gen.h"

#define subsystems mp_fuzz_spec_subsystems
#define NSUBSYSTEMS MP_FUZZ_SPEC_SUBSYSTEMS

#define GEN_CAP 16384u

static int is_var(const mp_spec_field_t *f)
{
	return f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING;
}

/* The bytes of field i that carry its value (no word padding). */
static uint64_t value_bytes(const mp_spec_field_t *f, uint32_t count)
{
	if (is_var(f))
		return (uint64_t)f->elem_size * count;
	if (f->kind == MP_SPEC_STRING)
		return f->max;
	if (f->kind == MP_SPEC_SCALAR)
		return (uint64_t)f->elem_size * (f->max != 0 ? f->max : 1);
	return f->elem_size;
}

/* Property 3. */
static void check_inside(const mp_spec_view_t *v, const uint8_t *buf, size_t len)
{
	const mp_spec_msg_t *m = v->msg;
	const uint8_t *end = buf + v->msgh_size;
	FUZZ_CHECK(v->bytes == buf && v->len == len && v->msgh_size <= len, "view of another buffer");
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		uint32_t count = 0;
		const uint8_t *p = mp_spec_field(v, i, &count);
		FUZZ_CHECK(p != NULL, "%s: field %s has no bytes", v->routine->name, f->name);
		FUZZ_CHECK(p >= buf + MP_MSG_HEADER_SIZE && p <= end &&
				   value_bytes(f, count) <= (uint64_t)(end - p),
			   "%s: field %s (%u elements) at %td outside msgh_size %u", v->routine->name,
			   f->name, count, p - buf, v->msgh_size);
		if (f->kind == MP_SPEC_STRING || f->kind == MP_SPEC_VAR_STRING) {
			const char *s = mp_spec_field_string(v, i);
			FUZZ_CHECK(s != NULL && (const uint8_t *)s >= buf &&
					   (const uint8_t *)s < end &&
					   memchr(s, 0, (size_t)(end - (const uint8_t *)s)) != NULL,
				   "%s: string %s without its NUL inside the message", v->routine->name,
				   f->name);
		}
	}
	for (unsigned d = 0; d < m->ndesc; d++) {
		mp_desc_t desc;
		FUZZ_CHECK(mp_spec_desc(v, d, &desc), "%s: descriptor %u unreadable", v->routine->name, d);
		FUZZ_CHECK(desc.offset >= MP_MSG_BASE_SIZE && desc.offset + desc.size <= v->msgh_size,
			   "%s: descriptor %u at %u outside msgh_size %u", v->routine->name, d,
			   desc.offset, v->msgh_size);
	}
	for (unsigned k = 0; k < v->routine->ntrailer; k++) {
		uint8_t out[32];
		uint8_t e = v->routine->trailer[k];
		uint32_t t = v->trailer_offset, tsize;
		int in_trailer;
		FUZZ_CHECK(t == mp_spec_round_msg(v->msgh_size) && (size_t)t + 8 <= len,
			   "%s: trailer at %u for msgh_size %u", v->routine->name, t, v->msgh_size);
		tsize = mp_load_le32(buf + t + 4);
		/* MIG's check is cumulative (sizes, not positions): an element it accepts
		 * may still lie past the trailer the kernel wrote (a context asked alone
		 * needs 8 bytes by MIG's count, sits at 52..60). Access reads only what
		 * the trailer and the buffer hold. */
		uint32_t at = mp_spec_trailer_elem_offset(e), size = mp_spec_trailer_elem_size(e);
		in_trailer = at + size <= tsize && (size_t)t + at + size <= len;
		FUZZ_CHECK(mp_spec_trailer(v, (mp_spec_trailer_elem_t)e, out, sizeof out) == in_trailer,
			   "%s: trailer element %u (ends at %u, trailer %u, buffer %zu)",
			   v->routine->name, e, at + size, tsize, len);
		if (in_trailer)
			FUZZ_CHECK(memcmp(out, buf + t + at, size) == 0,
				   "%s: trailer element %u is not the trailer's bytes", v->routine->name,
				   e);
	}
}

/* Property 2. */
static void check_same_descs(const mp_spec_view_t *sv, const mp_msg_view_t *pv)
{
	mp_desc_iter_t it;
	mp_desc_t a, b;
	unsigned d = 0;
	FUZZ_CHECK(pv->desc_count == sv->msg->ndesc || (!sv->msg->complex && pv->desc_count == 0),
		   "%s: %u descriptors parsed, spec has %u", sv->routine->name, pv->desc_count,
		   sv->msg->ndesc);
	mp_desc_iter_init(&it, pv);
	while (mp_desc_next(&it, &b)) {
		FUZZ_CHECK(mp_spec_desc(sv, d, &a), "descriptor %u: the spec has none", d);
		FUZZ_CHECK(a.type == b.type && a.offset == b.offset && a.name == b.name &&
				   a.disposition == b.disposition && a.address == b.address &&
				   a.length == b.length && a.copy == b.copy && a.context == b.context,
			   "%s: descriptor %u differs from the parser's", sv->routine->name, d);
		d++;
	}
}

static int reply_port_ok(const mp_spec_routine_t *rt, const uint8_t *buf)
{
	uint32_t rd = MP_MSGH_BITS_REMOTE(mp_load_le32(buf));
	return rt->reply_port_dispositions == MP_SPEC_ANY_DISPOSITION ||
	       rt->reply_port_dispositions == 0 ||
	       (rt->reply_port_dispositions & (1u << rd)) != 0;
}

/*
 * Property 4: build the request again from the view's values and compare.
 * What the builder legitimately normalises, and is therefore not compared:
 *   - the header: the builder writes send form (remote = destination,
 *     local = reply port), received form swaps them: compared swapped;
 *   - descriptor padding bytes and a port descriptor's unused words (the
 *     builder writes 0; XNU's copyout writes 0 too; raw inputs may not);
 *   - the NDR record (the builder writes NDR_record; MIG never reads it);
 *   - a c_string[*:N]'s xOffset word (the builder writes 0, "MiG doesn't
 *     use it") and every byte after a string's NUL (the builder zero-fills,
 *     as mig_strncpy_zerofill does);
 *   - the padding of a variable array of elements not a multiple of 4 and
 *     of a scalar narrower than its word (the builder writes 0).
 * A c_string[*:N] whose count is not strlen + 1 (MIG accepts any count
 * whose bytes hold a NUL; the builder counts the string it is given), a
 * disposition that is not a right (a polymorphic port received as
 * PORT_NONE, which the builder reads as "the spec's"), a variable OOL whose
 * size is not a multiple of its element (MIG's `size / mult != count` lets
 * the remainder through; a sender's stub never makes one) and a buffer the
 * receive parser refuses or a header the send rules refuse (the builder
 * applies them; MIG never looks at the header's rights) are not rebuilt.
 */
static void rebuild(const mp_spec_view_t *v, const uint8_t *buf)
{
	static uint8_t out[GEN_CAP];
	const mp_spec_routine_t *rt = v->routine;
	const mp_spec_msg_t *m = v->msg;
	mp_spec_value_t descs[MP_SPEC_MAX_DESCS], fields[MP_SPEC_MAX_FIELDS];
	mp_spec_header_t hdr;
	mp_diag_t diag;
	size_t out_len = 0;
	uint32_t bits = mp_load_le32(buf);
	mp_err_t err;

	memset(descs, 0, sizeof descs);
	memset(fields, 0, sizeof fields);
	memset(&hdr, 0, sizeof hdr);
	hdr.remote = mp_load_le32(buf + 12);
	hdr.remote_disposition = MP_MSGH_BITS_LOCAL(bits);
	hdr.local = mp_load_le32(buf + 8);
	hdr.local_disposition = MP_MSGH_BITS_REMOTE(bits);
	hdr.voucher = mp_load_le32(buf + 16);
	hdr.voucher_disposition = MP_MSGH_BITS_VOUCHER(bits);
	for (unsigned d = 0; d < m->ndesc; d++) {
		mp_desc_t dd;
		if (!mp_spec_desc(v, d, &dd))
			return;
		if (dd.type != MP_MSG_OOL_DESCRIPTOR && !MP_MSG_TYPE_PORT_ANY_RIGHT(dd.disposition))
			return;
		if (dd.type == MP_MSG_OOL_DESCRIPTOR && !(m->descs[d].flags & MP_SPEC_DESC_FIXED) &&
		    m->descs[d].multiplier > 1 && dd.length % m->descs[d].multiplier != 0)
			return; /* MIG's `size / mult != count` lets a remainder through */
		descs[d].name = dd.name;
		descs[d].disposition = dd.disposition;
		descs[d].address = dd.address;
		descs[d].size = dd.length;
		descs[d].copy = dd.copy;
		descs[d].deallocate = dd.deallocate != 0;
		if (dd.type == MP_MSG_GUARDED_PORT_DESCRIPTOR)
			return; /* not a MIG argument */
	}
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		uint32_t count = 0;
		fields[i].data = mp_spec_field(v, i, &count);
		fields[i].count = count;
		if (f->kind == MP_SPEC_VAR_STRING || f->kind == MP_SPEC_STRING) {
			const char *s = mp_spec_field_string(v, i);
			size_t room = f->kind == MP_SPEC_STRING ? f->max : count;
			const char *nul = s != NULL ? memchr(s, 0, room) : NULL;
			if (nul == NULL)
				return; /* the NUL lies past the string's own bytes */
			if (f->kind == MP_SPEC_VAR_STRING && (size_t)(nul - s) + 1 != count)
				return;
			fields[i].data = s;
			fields[i].count = (uint32_t)(nul - s);
		}
	}
	err = mp_spec_build_request(rt, &hdr, descs, fields, out, sizeof out, &out_len, &diag);
	if (err != MP_OK && diag.offset < MP_MSG_HEADER_SIZE)
		return; /* a header the send rules refuse (the voucher named as the destination, ...) */
	FUZZ_CHECK(err == MP_OK, "%s: rebuild refused: %s at %zu: %s", rt->name, mp_err_name(err),
		   diag.offset, diag.reason);
	FUZZ_CHECK(out_len == v->msgh_size, "%s: rebuilt %zu bytes, received %u", rt->name, out_len,
		   v->msgh_size);
	FUZZ_CHECK(mp_load_le32(out) == (MP_MSGH_BITS_SET(hdr.remote_disposition,
							 hdr.local_disposition,
							 hdr.voucher_disposition,
							 m->complex ? MP_MSGH_BITS_COMPLEX : 0)),
		   "%s: rebuilt bits 0x%x from received 0x%x", rt->name, mp_load_le32(out), bits);
	FUZZ_CHECK(mp_load_le32(out + 8) == hdr.remote && mp_load_le32(out + 12) == hdr.local &&
			   mp_load_le32(out + 16) == hdr.voucher &&
			   memcmp(out + 20, buf + 20, 4) == 0,
		   "%s: rebuilt header differs", rt->name);
	if (m->complex)
		FUZZ_CHECK(memcmp(out + 24, buf + 24, 4) == 0, "%s: descriptor count differs", rt->name);
	for (unsigned d = 0; d < m->ndesc; d++) {
		mp_desc_t a, b;
		FUZZ_CHECK(mp_spec_desc(v, d, &a) && mp_desc_decode(out, out_len, a.offset, &b) &&
				   a.type == b.type && a.name == b.name &&
				   a.disposition == b.disposition && a.address == b.address &&
				   a.length == b.length && a.copy == b.copy &&
				   (a.deallocate != 0) == (b.deallocate != 0),
			   "%s: rebuilt descriptor %u differs", rt->name, d);
	}
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		uint32_t off = v->field_offset[i];
		uint64_t n = value_bytes(f, v->field_count[i]);
		if (f->kind == MP_SPEC_STRING_OFFSET)
			continue;
		if (f->kind == MP_SPEC_STRING || f->kind == MP_SPEC_VAR_STRING)
			n = strlen((const char *)fields[i].data) + 1;
		FUZZ_CHECK(off + n <= out_len && memcmp(out + off, buf + off, (size_t)n) == 0,
			   "%s: rebuilt field %s differs", rt->name, f->name);
	}
}

static void check(const mp_spec_subsystem_t *ss, const uint8_t *buf, size_t len, int valid)
{
	mp_spec_view_t vm, vs;
	mp_spec_diag_t dm, ds;
	mp_msg_view_t pv;
	mp_diag_t pd;
	int32_t mig = mp_spec_check_request(ss, buf, len, MP_SPEC_MIG, &vm, &dm);
	int32_t strict = mp_spec_check_request(ss, buf, len, MP_SPEC_STRICT, &vs, &ds);
	int parsed = mp_parse_recv(&pv, buf, len, 0, &pd) == MP_OK;

	if (mig != MP_MIG_SUCCESS)
		FUZZ_CHECK(mig <= -300 && mig >= -309 && dm.code == mig && dm.reason[0] != '\0',
			   "MIG level: code %d without a reason", mig);
	if (strict != MP_MIG_SUCCESS)
		FUZZ_CHECK(strict <= -300 && strict >= -309 && ds.code == strict &&
				   ds.reason[0] != '\0',
			   "STRICT level: code %d without a reason", strict);
	if (valid)
		FUZZ_CHECK(strict == MP_MIG_SUCCESS, "a VALID generated request refused: %s (%s)",
			   mp_mig_code_name(strict), ds.reason);
	if (strict == MP_MIG_SUCCESS) {
		FUZZ_CHECK(mig == MP_MIG_SUCCESS, "STRICT accepts what MIG refuses: %s",
			   dm.reason);
		FUZZ_CHECK(parsed, "STRICT accepts what mp_parse_recv refuses: %s (%s)",
			   mp_err_name(pd.err), pd.reason);
		/* The reply port of a received request is msgh_remote_port (XNU's
		 * copyout swaps the ports: msgh_reply_port == msgh_remote_port). */
		FUZZ_CHECK(reply_port_ok(vs.routine, buf),
			   "%s: STRICT accepts reply port disposition %u (mask 0x%x)",
			   vs.routine->name, MP_MSGH_BITS_REMOTE(mp_load_le32(buf)),
			   vs.routine->reply_port_dispositions);
	}
	if (mig == MP_MIG_SUCCESS && parsed && reply_port_ok(vm.routine, buf))
		FUZZ_CHECK(strict == MP_MIG_SUCCESS,
			   "%s: MIG and the parser accept, STRICT refuses: %s", vm.routine->name,
			   ds.reason);
	if (mig == MP_MIG_SUCCESS) {
		check_inside(&vm, buf, len);
		if (parsed) {
			check_same_descs(&vm, &pv);
			/* Only a buffer XNU could deliver: the builder applies the send
			 * rules to the header and descriptors (a MOVE_RECEIVE reply
			 * disposition, which MIG never looks at, it refuses). */
			rebuild(&vm, buf);
		}
	}
	if (strict == MP_MIG_SUCCESS)
		check_inside(&vs, buf, len);
}

/* libFuzzer and AFL++'s driver call it first: the structure-aware mutator
 * learns the tables, so most mutants are requests the check walks deep. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	mp_fuzz_mutator_set_spec_tables(subsystems, NSUBSYSTEMS);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t gen[GEN_CAP];
	const mp_spec_subsystem_t *ss;
	unsigned form;
	const uint8_t *msg;
	size_t len;
	uint8_t *copy;

	if (size < 2)
		return 0;
	ss = subsystems[data[0] % NSUBSYSTEMS];
	form = data[1] % 4u;
	if (form == 0) {
		msg = data + 2;
		len = size - 2;
	} else {
		mp_spec_gen_t g;
		mp_spec_gen_init(&g, data + 2, size - 2);
		len = mp_spec_gen_request(&g, ss, NULL, (mp_spec_gen_mode_t)(form - 1), gen, sizeof gen,
					  NULL);
		FUZZ_CHECK(len > 0, "the generator made nothing for %s", ss->name);
		msg = gen;
	}
	/* Exactly len bytes, so ASan sees a read past the buffer. */
	copy = malloc(len != 0 ? len : 1);
	if (copy == NULL)
		return 0;
	if (len != 0)
		memcpy(copy, msg, len);
	check(ss, copy, len, form == 1);
	free(copy);
	return 0;
}
