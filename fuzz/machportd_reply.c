/*
 * fuzz/machportd_reply.c: bytes as a reply packet from machportd to the
 * client (lib/machportd/proto.c's reply decoder). The input ends with six
 * bytes the client would know from elsewhere: the caller's buffer size (u32,
 * for a MSG reply's spans), the op it expects (0: the packet's own; else
 * 1..8 as the op, so 6, REFUSED, and a mismatch are tried too) and how many
 * descriptors came with the packet (0..2). The seq expected is the packet's.
 *
 * The decoder must refuse with a named rule and an offset inside the packet,
 * or accept a packet that re-encodes to the same bytes and whose pointers lie
 * inside it; a MSG reply's inline tail the same with mpd_decode_reply_tail
 * (a tail in a memfd is over MPD_INLINE_MAX bytes, beyond this target's
 * inputs; it goes through the same tail decoder).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/machportd/proto.h"
#include "machports/le.h"

#define CHECK(cond, ...)                                        \
	do {                                                    \
		if (!(cond)) {                                  \
			fprintf(stderr, "machportd_reply: ");   \
			fprintf(stderr, __VA_ARGS__);           \
			fprintf(stderr, "\n");                  \
			abort();                                \
		}                                               \
	} while (0)

#define PARAMS 6u /* buf_len u32, expected op, descriptors */

static uint8_t again[MPD_MAX_REPLY];

static void check_refusal(mpd_err_t err, const mpd_diag_t *d, size_t len, const char *what)
{
	CHECK(err > MPD_OK && err < MPD_ERR_END, "%s: error %d is no rule", what, (int)err);
	CHECK(d->err == err && d->offset <= len && d->reason[0] != '\0', "%s: %s without a diagnosis", what,
	      mpd_err_name(err));
}

static int inside(const void *p, size_t n, const uint8_t *base, size_t len)
{
	const uint8_t *q = p;
	return n == 0 || (q >= base && q <= base + len && n <= (size_t)(base + len - q));
}

/* The tail: refused with a rule, or re-encoded from what was decoded. */
static void tail_case(const mpd_msg_reply_t *m, uint64_t buf_len)
{
	mpd_msg_tail_t t;
	mpd_diag_t d;
	mpd_err_t err = mpd_decode_reply_tail(m, m->tail, buf_len, &t, &d);
	mpd_map_t *maps;
	mpd_dealloc_t *deallocs;
	mpd_tail_parts_t parts;
	size_t n;

	if (err != MPD_OK) {
		check_refusal(err, &d, m->tail_len, "tail");
		return;
	}
	for (uint32_t i = 0; i < t.nspans; i++)
		CHECK((uint64_t)t.spans[i].off + t.spans[i].len <= buf_len &&
			      inside(t.spans[i].bytes, t.spans[i].len, m->tail, m->tail_len),
		      "span %u outside the buffer or the tail", i);
	CHECK(inside(t.regions, (size_t)t.regions_len, m->tail, m->tail_len), "packed regions outside the tail");
	maps = calloc(t.nmap + 1, sizeof *maps);
	deallocs = calloc(t.ndealloc + 1, sizeof *deallocs);
	CHECK(maps != NULL && deallocs != NULL, "out of memory");
	for (uint32_t i = 0; i < t.nmap; i++) {
		mpd_tail_map(&t, i, &maps[i]);
		CHECK(maps[i].token >= MPD_TOKEN_BASE && maps[i].page_off < MPD_PAGE, "region %u accepted", i);
		CHECK(!t.regions_inline || inside(maps[i].bytes, (size_t)maps[i].len, t.regions, (size_t)t.regions_len),
		      "region %u outside the packed bytes", i);
	}
	for (uint32_t i = 0; i < t.ndealloc; i++)
		mpd_tail_dealloc(&t, i, &deallocs[i]);
	parts = (mpd_tail_parts_t){ t.spans, t.nspans, maps, t.nmap, deallocs, t.ndealloc, t.regions_inline };
	CHECK(mpd_reply_tail_size(&parts) == m->tail_len, "tail size %llu, not %u",
	      (unsigned long long)mpd_reply_tail_size(&parts), m->tail_len);
	n = mpd_encode_reply_tail(again, sizeof again, &parts);
	CHECK(n == m->tail_len && memcmp(again, m->tail, n) == 0, "tail decode + encode is not the identity");
	free(maps);
	free(deallocs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mpd_reply_t r;
	mpd_diag_t d;
	mpd_op_t want;
	uint32_t seq, buf_len;
	int nfds;
	size_t n;
	mpd_err_t err;

	if (size < PARAMS)
		return 0;
	size -= PARAMS;
	buf_len = mp_load_le32(data + size);
	want = (mpd_op_t)(data[size + 4] % 9);
	nfds = data[size + 5] % 3;
	if (want == 0)
		want = size >= 8 ? (mpd_op_t)(mp_load_le32(data + 4) & 0xffff) : MPD_OP_HELLO;
	seq = size >= 12 ? mp_load_le32(data + 8) : 0;

	err = mpd_decode_reply(data, size, nfds, want, seq, &r, &d);
	if (err != MPD_OK) {
		check_refusal(err, &d, size, "reply");
		return 0;
	}
	CHECK(r.op == want || r.op == MPD_OP_REFUSED, "a %u reply accepted for op %u", r.op, want);
	switch (r.op) {
	case MPD_OP_PORT_CALL:
		CHECK(r.u.port_call.nextra <= MPD_PORT_EXTRA_MAX &&
			      inside(r.u.port_call.extra, r.u.port_call.nextra, data, size),
		      "%u extra bytes accepted", r.u.port_call.nextra);
		break;
	case MPD_OP_CHECK:
		CHECK(r.u.check.why_len <= MPD_WHY_MAX && inside(r.u.check.why, r.u.check.why_len, data, size) &&
			      (r.u.check.why_len == 0 || memchr(r.u.check.why, 0, r.u.check.why_len) == NULL),
		      "a reason of %u bytes accepted", r.u.check.why_len);
		break;
	case MPD_OP_REFUSED:
		CHECK(r.u.refused.err > MPD_OK && r.u.refused.err < MPD_ERR_END &&
			      r.u.refused.reason_len <= MPD_REASON_MAX &&
			      inside(r.u.refused.reason, r.u.refused.reason_len, data, size),
		      "refusal %u with %u bytes accepted", r.u.refused.err, r.u.refused.reason_len);
		break;
	case MPD_OP_MSG:
		CHECK(r.u.msg.nspans <= MPD_MAX_SPANS, "%u spans accepted", r.u.msg.nspans);
		CHECK((r.u.msg.flags & MPD_REPLY_IN_FD) ? r.u.msg.tail == NULL && nfds == 1
							: r.u.msg.tail == data + MPD_HEADER_SIZE + MPD_MSG_REPLY &&
								  inside(r.u.msg.tail, r.u.msg.tail_len, data, size),
		      "the tail outside the packet");
		break;
	default:
		break;
	}
	n = mpd_encode_reply(again, sizeof again, &r);
	CHECK(n == size && memcmp(again, data, size) == 0, "decode + encode is not the identity");
	if (r.op == MPD_OP_MSG && !(r.u.msg.flags & MPD_REPLY_IN_FD))
		tail_case(&r.u.msg, buf_len);
	return 0;
}
