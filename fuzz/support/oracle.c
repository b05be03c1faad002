/* fuzz/support/oracle.c: see oracle.h. */
#include "fuzz/support/oracle.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machports/le.h"

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "==ORACLE== %s:%d: check failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* Two scratch buffers kept across runs (an allocation per run is most of a
 * run's cost under ASan); the engines run one input at a time. */
static uint8_t *scratch(size_t which, size_t n)
{
	static uint8_t *buf[2];
	static size_t cap[2];
	if (cap[which] < n) {
		free(buf[which]);
		buf[which] = malloc(n);
		FUZZ_CHECK(buf[which] != NULL, "out of memory");
		cap[which] = n;
	}
	return buf[which];
}

/* The normalised fields of one descriptor in the input copy `want`: what
 * the builder writes there (zero padding, deallocate as 0 or 1). */
static void normalise_desc(uint8_t *want, const mp_desc_t *d)
{
	uint8_t *p = want + d->offset;
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR: /* pad1, pad2 */
		memset(p + offsetof(mp_msg_port_descriptor_t, pad1), 0,
		       offsetof(mp_msg_port_descriptor_t, disposition) - offsetof(mp_msg_port_descriptor_t, pad1));
		break;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		p[offsetof(mp_msg_ool_descriptor_t, deallocate)] = p[offsetof(mp_msg_ool_descriptor_t, deallocate)] != 0;
		p[offsetof(mp_msg_ool_descriptor_t, pad1)] = 0;
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR:
		p[offsetof(mp_msg_ool_ports_descriptor_t, deallocate)] =
		    p[offsetof(mp_msg_ool_ports_descriptor_t, deallocate)] != 0;
		break;
	default:
		break;
	}
}

/*
 * Every invariant of an accepted view, and the re-encoding: the builder fed
 * the view's fields must give back the input bytes, except the fields the
 * builder normalises. One pass over the descriptors does both (walking a
 * 300-descriptor message three times was most of a run under libFuzzer).
 */
void fuzz_check_accepted(const mp_msg_view_t *v, const uint8_t *data, size_t size)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t n = 0, off = v->desc_offset;
	/* The minimal error header (COMPLEX, no body) has no builder form. */
	int reencode = !(v->complex && v->desc_offset == MP_MSG_HEADER_SIZE);
	mp_builder_t b;
	uint8_t *built = NULL, *want = NULL;
	size_t len = 0, ilen;
	const uint8_t *inl;
	mp_err_t err;

	FUZZ_CHECK(v->bytes == data && v->buf_len == size, "view of another buffer");
	FUZZ_CHECK(v->size >= MP_MSG_HEADER_SIZE && v->size <= size, "size %u of %zu", v->size, size);
	FUZZ_CHECK(v->desc_offset == 24 || v->desc_offset == 28, "desc_offset %u", v->desc_offset);
	FUZZ_CHECK(v->desc_offset == 24 || v->complex, "body without COMPLEX");
	FUZZ_CHECK(v->desc_offset <= v->desc_end && v->desc_end <= v->size, "descriptors [%u, %u) of %u",
		   v->desc_offset, v->desc_end, v->size);
	FUZZ_CHECK(v->inline_offset == v->desc_end && v->inline_offset + v->inline_len == v->size,
		   "inline [%u, +%u) of %u", v->inline_offset, v->inline_len, v->size);
	if (v->mode == MP_MODE_SEND) {
		FUZZ_CHECK(v->size == size && !v->has_trailer, "send view");
		FUZZ_CHECK(v->port_count <= MP_MAX_PORTS_PER_MSG && v->vm_size <= MP_MAX_VM_SPACE,
			   "accepted past the kernel's totals");
		FUZZ_CHECK((v->bits & ~MP_MSGH_BITS_USER) == 0, "unmasked bits");
	} else {
		FUZZ_CHECK(v->has_trailer && v->trailer.offset == v->size, "trailer offset");
		FUZZ_CHECK(v->trailer.type == 0 && mp_trailer_size_valid(v->trailer.size), "trailer form");
		FUZZ_CHECK((size_t)v->trailer.offset + v->trailer.size <= size, "trailer past the buffer");
	}

	if (reencode) {
		built = scratch(0, (size_t)v->size + 16);
		want = scratch(1, (size_t)v->size + 16);
		mp_builder_init(&b, built, (size_t)v->size + 16, MP_BUILD_UNCHECKED);
		mp_builder_set_remote(&b, v->remote, v->remote_disposition);
		mp_builder_set_local(&b, v->local, v->local_disposition);
		mp_builder_set_voucher(&b, v->voucher, v->voucher_disposition);
		mp_builder_set_id(&b, v->id);
		mp_builder_set_raw_bits(&b, v->raw_bits);
		if (v->complex)
			mp_builder_set_other_bits(&b, MP_MSGH_BITS_COMPLEX);
		/* the input with msgh_size as the builder writes it */
		memcpy(want, data, v->size);
		mp_store_le32(want + MP_MSGH_SIZE_OFFSET, v->size);
	}
	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d)) {
		FUZZ_CHECK(d.offset == off, "descriptor %u at %u, want %u", n, d.offset, off);
		FUZZ_CHECK(d.type <= MP_MSG_DESCRIPTOR_MAX, "descriptor %u type %u", n, d.type);
		FUZZ_CHECK(d.size == (d.type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE),
			   "descriptor size");
		FUZZ_CHECK(d.offset + d.size <= v->desc_end, "descriptor %u past the array", n);
		if (reencode) {
			mp_builder_add_desc(&b, &d);
			normalise_desc(want, &d);
		}
		off += d.size;
		n++;
	}
	FUZZ_CHECK(n == v->desc_count, "iterated %u descriptors, count %u", n, v->desc_count);
	FUZZ_CHECK(off == v->desc_end, "descriptors end at %u, view says %u", off, v->desc_end);
	if (!reencode)
		return;

	inl = mp_view_inline(v, &ilen);
	mp_builder_append(&b, inl, ilen);
	err = mp_builder_finish(&b, &len, NULL);
	FUZZ_CHECK(err == MP_OK, "re-encode failed: %s", mp_err_name(err));
	FUZZ_CHECK(len == v->size, "re-encoded %zu bytes, message has %u", len, v->size);
	/* one memcmp, not a checked comparison per byte: under libFuzzer every
	 * byte comparison would be traced (-use_cmp), which cost most of a run */
	if (memcmp(built, want, v->size) != 0) {
		size_t i = 0;
		while (built[i] == want[i])
			i++;
		FUZZ_CHECK(0, "re-encoding differs at byte %zu: 0x%02x, want 0x%02x", i, built[i], want[i]);
	}
	if (v->mode == MP_MODE_SEND) {
		mp_msg_view_t again;
		mp_diag_t diag;
		err = mp_parse_send(&again, built, len, &diag);
		FUZZ_CHECK(err == MP_OK, "re-encoded message rejected: %s at %zu: %s", mp_err_name(err),
			   diag.offset, diag.reason);
		FUZZ_CHECK(again.desc_count == v->desc_count && again.port_count == v->port_count &&
			       again.vm_size == v->vm_size,
			   "re-encoded message parses differently");
	}
}

/* The rules mp_parse_recv reports: its own range and the shared descriptor rules. */
static int is_recv_rule(mp_err_t err)
{
	switch (err) {
	case MP_E_DESC_COUNT:
	case MP_E_DESC_TRUNCATED:
	case MP_E_DESC_TYPE:
	case MP_E_OOL_COPY:
	case MP_E_GUARDED_DISPOSITION:
	case MP_E_GUARDED_FLAGS:
		return 1;
	default:
		return err >= MP_E_RECV_HEADER_TRUNCATED && err <= MP_E_TRAILER_MISMATCH;
	}
}

void fuzz_check_rejected(mp_mode_t mode, mp_err_t err, const mp_diag_t *diag, size_t size)
{
	FUZZ_CHECK(err != MP_OK && diag->err == err, "diag %s for %s", mp_err_name(diag->err),
		   mp_err_name(err));
	FUZZ_CHECK(err != MP_E_INTERNAL && err != MP_E_INVALID_ARG && err != MP_E_NO_SPACE,
		   "not an input error: %s (%s)", mp_err_name(err), diag->reason);
	FUZZ_CHECK(diag->offset <= size, "offset %zu past %zu bytes", diag->offset, size);
	FUZZ_CHECK(diag->reason[0] != '\0', "no reason");
	if (mode == MP_MODE_SEND)
		FUZZ_CHECK(mp_err_mach_send(err) != 0 && err < MP_E_RECV_HEADER_TRUNCATED,
			   "%s is not a send rule", mp_err_name(err));
	else
		FUZZ_CHECK(is_recv_rule(err), "%s is not a receive rule", mp_err_name(err));
}
