/*
 * fuzz/api.c: the public API driven with odd arguments (fdp.h): NULL
 * pointers, zero and tiny capacities, bad builder flags, unknown error codes,
 * return codes and ABI values. Every call must give the documented answer
 * (MP_E_INVALID_ARG, MP_E_NO_SPACE, "?", ...) and never crash.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "machports/dump.h"

#include "fuzz/support/fdp.h"
#include "fuzz/support/oracle.h"

static void check_names(fdp_t *f)
{
	uint32_t v = fdp_u32(f);
	mp_err_t e = (mp_err_t)fdp_range(f, 0, 300);
	char buf[64];
	unsigned len = (unsigned)fdp_range(f, 0, sizeof buf);
	int unknown = strcmp(mp_err_name(e), "MP_E_UNKNOWN") == 0;

	FUZZ_CHECK(mp_disposition_name(v) && mp_desc_type_name(v) && mp_copy_name(v), "NULL name");
	FUZZ_CHECK(unknown == (strcmp(mp_err_str(e), "unknown error") == 0), "err name and str disagree");
	FUZZ_CHECK(!unknown || mp_err_mach_send(e) == 0, "unknown error with an XNU code");
	FUZZ_CHECK(mp_mach_msg_return_name((int32_t)v) != NULL, "NULL return name");
	memset(buf, 'x', sizeof buf);
	mp_mach_msg_return_str((int32_t)v, buf, len);
	FUZZ_CHECK(len == 0 || memchr(buf, '\0', len) != NULL, "return string not terminated in %u", len);
	FUZZ_CHECK(mp_trailer_size_valid(mp_rcv_trailer_size(v)), "requested trailer size");
}

static void check_parsers(fdp_t *f, const uint8_t *msg, size_t len)
{
	mp_msg_view_t v;
	mp_diag_t d;
	int null_out = fdp_bool(f), null_msg = fdp_bool(f);
	mp_err_t es = mp_parse_send(null_out ? NULL : &v, null_msg ? NULL : msg, len, &d);
	mp_err_t er = mp_parse_recv(null_out ? NULL : &v, null_msg ? NULL : msg, len, 0, NULL);
	if (null_out || (null_msg && len != 0))
		FUZZ_CHECK(es == MP_E_INVALID_ARG && er == MP_E_INVALID_ARG && d.err == MP_E_INVALID_ARG,
			   "NULL arguments: %s, %s", mp_err_name(es), mp_err_name(er));
}

static void discard(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
}

/* The optional arguments: finish without out_len or diag, JSON dumps
 * without a label; and a send size over XNU's limit, in a real buffer that
 * large (the parser must refuse it before reading past the header). */
static void check_optional_args(fdp_t *f)
{
	static const uint8_t *big;
	uint8_t buf[64];
	mp_builder_t b;
	mp_msg_view_t v;
	mp_diag_t d;
	size_t len;

	mp_builder_init(&b, buf, fdp_range(f, 0, sizeof buf), 0);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);
	mp_err_t e1 = mp_builder_finish(&b, NULL, NULL);
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);
	FUZZ_CHECK(mp_builder_finish(&b, &len, NULL) == MP_OK && (e1 == MP_OK || e1 == MP_E_NO_SPACE),
		   "finish without out_len/diag");
	FUZZ_CHECK(mp_parse_send(&v, buf, len, &d) == MP_OK, "a plain message rejected");
	mp_dump_json(&v, NULL, discard, NULL);
	memset(&d, 0, sizeof d);
	d.err = (mp_err_t)fdp_range(f, 0, 300);
	snprintf(d.reason, sizeof d.reason, "a \"reason\" with\tescapes");
	mp_dump_json_rejected(fdp_bool(f) ? MP_MODE_SEND : MP_MODE_RECV, &d, NULL, discard, NULL);
	/* mmap, not calloc: zero pages on demand, and nothing for the leak
	 * checker to scan */
	if (big == NULL) {
		void *p = mmap(NULL, MP_MAX_SEND_SIZE + 4, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		big = p == MAP_FAILED ? NULL : p;
	}
	if (big != NULL)
		FUZZ_CHECK(mp_parse_send(&v, big, MP_MAX_SEND_SIZE + 4, &d) == MP_E_SEND_TOO_LARGE,
			   "a send size over the limit gave %s", mp_err_name(d.err));
}

static void check_builder(fdp_t *f)
{
	static uint8_t buf[512];
	mp_builder_t b;
	mp_diag_t d;
	size_t len = 0, cap = (size_t)fdp_range(f, 0, sizeof buf);
	uint32_t flags = fdp_range(f, 0, 7) ? MP_BUILD_UNCHECKED * fdp_bool(f) : fdp_u32(f);
	int null_buf = fdp_range(f, 0, 7) == 0, null_data = fdp_range(f, 0, 7) == 0;
	size_t app = (size_t)fdp_range(f, 0, 64) * 4;
	mp_err_t err;

	mp_builder_init(&b, null_buf ? NULL : buf, cap, flags);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);
	for (uint32_t n = (uint32_t)fdp_range(f, 0, 8); n > 0; n--)
		mp_builder_add_port(&b, 0x207, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, null_data ? NULL : buf, app);
	err = mp_builder_finish(&b, &len, &d);
	if ((flags & ~MP_BUILD_UNCHECKED) != 0 || (null_data && app != 0))
		FUZZ_CHECK(err == MP_E_INVALID_ARG && d.err == err, "bad argument gave %s", mp_err_name(err));
	else if (null_buf || len > cap)
		FUZZ_CHECK(err == MP_E_NO_SPACE && d.offset == (null_buf ? 0 : cap), "no space gave %s",
			   mp_err_name(err));
	else
		FUZZ_CHECK(err == MP_OK, "a plain message gave %s", mp_err_name(err));
}

/* Any sequence of builder calls, with odd arguments and calls after an
 * error: the first error sticks, and a message the builder calls good is
 * one the send parser accepts. */
static void check_builder_sequence(fdp_t *f)
{
	static uint8_t buf[512];
	mp_builder_t b;
	mp_diag_t d;
	mp_desc_t desc;
	mp_msg_view_t v;
	size_t len = 0;
	mp_err_t first = MP_OK, err;
	uint32_t flags = fdp_bool(f) ? MP_BUILD_UNCHECKED : 0;

	mp_builder_init(&b, buf, (size_t)fdp_range(f, 0, sizeof buf), flags);
	for (uint32_t n = (uint32_t)fdp_range(f, 0, 12); n > 0; n--) {
		uint32_t name = fdp_bool(f) ? 0x103 : fdp_u32(f), disp = (uint32_t)fdp_range(f, 0, 40);
		switch (fdp_range(f, 0, 11)) {
		case 0: mp_builder_set_remote(&b, name, disp); break;
		case 1: mp_builder_set_local(&b, name, disp); break;
		case 2: mp_builder_set_voucher(&b, name, disp); break;
		case 3: mp_builder_set_id(&b, (int32_t)fdp_u32(f)); break;
		case 4: mp_builder_set_other_bits(&b, fdp_u32(f)); break;
		case 5: mp_builder_set_raw_bits(&b, fdp_u32(f)); break;
		case 6: mp_builder_add_port(&b, name, disp); break;
		case 7:
			mp_builder_add_ool(&b, fdp_u64(f), fdp_u32(f), (uint32_t)fdp_range(f, 0, 3), fdp_bool(f));
			break;
		case 8:
			mp_builder_add_ool_ports(&b, fdp_u64(f), (uint32_t)fdp_range(f, 0, 20000), disp,
						 (uint32_t)fdp_range(f, 0, 3), fdp_bool(f));
			break;
		case 9:
			mp_builder_add_guarded_port(&b, name, disp, (uint32_t)fdp_range(f, 0, 7), fdp_u64(f));
			break;
		case 10:
			memset(&desc, 0, sizeof desc);
			desc.type = (uint32_t)fdp_range(f, 0, 8);
			desc.name = name;
			desc.disposition = disp;
			desc.length = (uint32_t)fdp_range(f, 0, 5);
			mp_builder_add_desc(&b, &desc);
			break;
		default:
			/* a length past what any message can hold must fail before
			 * a byte of `buf` is read */
			mp_builder_append(&b, buf, fdp_bool(f) ? (size_t)fdp_range(f, 0, 64) : SIZE_MAX - fdp_u8(f));
			break;
		}
		if (first == MP_OK)
			first = b.err;
		FUZZ_CHECK(b.err == first, "the first error did not stick: %s then %s", mp_err_name(first),
			   mp_err_name(b.err));
	}
	err = mp_builder_finish(&b, &len, &d);
	FUZZ_CHECK(first == MP_OK || err == first, "finish gave %s after %s", mp_err_name(err), mp_err_name(first));
	if (err == MP_OK && !flags)
		FUZZ_CHECK(mp_parse_send(&v, buf, len, &d) == MP_OK, "built but rejected: %s", d.reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fdp_t f;
	size_t got;
	fdp_init(&f, data, size);
	const uint8_t *msg = fdp_bytes(&f, (size_t)fdp_range(&f, 0, 256), &got);
	while (fdp_remaining(&f) > 0) {
		switch (fdp_range(&f, 0, 4)) {
		case 0: check_names(&f); break;
		case 1: check_parsers(&f, msg, got); break;
		case 2: check_builder(&f); break;
		case 3: check_optional_args(&f); break;
		default: check_builder_sequence(&f); break;
		}
	}
	return 0;
}
