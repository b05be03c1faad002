/*
 * lib/spec/differential/oracle_main.c: the oracle harness. Runs each message
 * of a RECORDS file (golden_format.h) through a MIG-generated server's demux
 * and writes the same records with MIG's code.
 *
 * Built only by scripts/mig-differential, outside Bazel and never in CI: it
 * links one subsystem's XServer.c, compiled against the macOS SDK and
 * retargeted to Linux x86_64, with oracle_support.c (NDR_record, the mig_*
 * helpers) and a generated stub per server routine, each of which sets
 * mp_diff_reached and returns KERN_SUCCESS. MP_DIFF_DEMUX names the demux
 * (-DMP_DIFF_DEMUX=mach_exc_server). This file includes no Apple header.
 *
 * The outcome of one message, as a MIG server would answer it:
 *   - the routine was reached (every check passed): MIG_SUCCESS (0);
 *   - else the RetCode of the mig_reply_error_t the demux or the stub wrote
 *     (offset 32 of the 36-byte reply; MIG_BAD_ID when the demux returns FALSE).
 *
 *   oracle [--expect] IN OUT
 * --expect: IN's codes are expectations (hand-made messages): print each
 * record whose outcome differs and exit 1 if any does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_format.h"

#ifndef MP_DIFF_DEMUX
#error "build with -DMP_DIFF_DEMUX=<subsystem>_server"
#endif

/* Set by every server routine stub (the checks passed). */
int mp_diff_reached;

/* MIG's demux: boolean_t X_server(mach_msg_header_t *in, mach_msg_header_t *out). */
extern int MP_DIFF_DEMUX(void *in, void *out);

#define STR2(x) #x
#define STR(x) STR2(x)

/* Room for the largest record and whatever MIG reads past it: a request no
 * larger than its maximum, a trailer of at most 68 bytes after it. */
#define IN_CAP (MP_GOLDEN_MAX_RECORD + 64u * 1024u)
#define OUT_CAP (64u * 1024u)
#define RETCODE_OFFSET 32u   /* mig_reply_error_t: header 24, NDR 8, RetCode */
#define RETCODE_UNSET 0x7eadbeef

static int32_t load_i32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			 (uint32_t)p[3] << 24);
}

static void store_i32(uint8_t *p, int32_t v)
{
	uint32_t u = (uint32_t)v;

	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	p[2] = (uint8_t)(u >> 16);
	p[3] = (uint8_t)(u >> 24);
}

/* One message through the demux: MIG's outcome. `in` holds the message
 * from offset 0, zeros after it. */
static int32_t run_one(uint8_t *in, uint8_t *out)
{
	int handled;
	int32_t ret, in_word = load_i32(in + RETCODE_OFFSET);

	memset(out, 0, OUT_CAP);
	store_i32(out + RETCODE_OFFSET, (int32_t)RETCODE_UNSET);
	mp_diff_reached = 0;
	handled = MP_DIFF_DEMUX(in, out);
	if (mp_diff_reached)
		return 0;
	ret = load_i32(out + RETCODE_OFFSET);
	if (!handled && ret == 0)
		return -303; /* MIG_BAD_ID: the demux refused without a code */
	if (ret == (int32_t)RETCODE_UNSET && load_i32(in + RETCODE_OFFSET) != in_word)
		/* WriteCheckTrailerHead's format check: MIG_RETURN_ERROR(In0P, ...)
		 * writes the code into the request, not the reply (a MIG quirk). */
		return load_i32(in + RETCODE_OFFSET);
	if (ret == (int32_t)RETCODE_UNSET)
		return MP_GOLDEN_NO_CODE; /* refused without a code: the harness cannot tell */
	return ret;
}

static void print_hex(const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x%s", p[i], (i % 4 == 3 && i + 1 < n) ? " " : "");
	fputc('\n', stderr);
}

typedef struct oracle_run {
	FILE *in, *out;
	int expect;
	uint8_t *inbuf, *outbuf;
	uint8_t *record; /* the record as read: MIG may write into the request */
	uint32_t dirty; /* bytes of inbuf that may be non-zero */
	unsigned mismatches;
} oracle_run_t;

static int run_record(oracle_run_t *r, uint32_t index)
{
	char err[160];
	uint32_t len;
	int32_t want, got;

	memset(r->inbuf, 0, r->dirty);
	if (mp_golden_read_record(r->in, r->inbuf, MP_GOLDEN_MAX_RECORD, &len, &want, err,
				  sizeof err) != 0) {
		fprintf(stderr, "oracle: record %u: %s\n", index, err);
		return -1;
	}
	r->dirty = len > 64 ? len : 64; /* and what MIG may write into the request */
	memcpy(r->record, r->inbuf, len);
	got = run_one(r->inbuf, r->outbuf);
	if (r->expect && got != want) {
		fprintf(stderr, "oracle: record %u: MIG says %d, expected %d; message:\n  ", index,
			got, want);
		print_hex(r->record, len);
		r->mismatches++;
	}
	if (mp_golden_write_record(r->out, r->record, len, got) != 0) {
		fprintf(stderr, "oracle: write error at record %u\n", index);
		return -1;
	}
	return 0;
}

static int run_file(oracle_run_t *r)
{
	mp_golden_header_t h;
	char err[160];
	uint32_t i;

	if (mp_golden_read_header(r->in, &h, err, sizeof err) != 0) {
		fprintf(stderr, "oracle: %s\n", err);
		return -1;
	}
	if (h.kind != MP_GOLDEN_RECORDS) {
		fprintf(stderr, "oracle: not a RECORDS file\n");
		return -1;
	}
	if (mp_golden_write_header(r->out, &h) != 0)
		return -1;
	for (i = 0; i < h.count; i++)
		if (run_record(r, i) != 0)
			return -1;
	fprintf(stderr, "oracle %s (%s): %u messages%s\n", h.subsystem, STR(MP_DIFF_DEMUX),
		h.count, r->expect ? (r->mismatches ? ", MISMATCHES" : ", all as expected") : "");
	return 0;
}

int main(int argc, char **argv)
{
	oracle_run_t r;
	int arg = 1, rc;

	memset(&r, 0, sizeof r);
	if (argc > 1 && strcmp(argv[1], "--expect") == 0) {
		r.expect = 1;
		arg++;
	}
	if (argc - arg != 2) {
		fprintf(stderr, "usage: %s [--expect] IN OUT\n", argv[0]);
		return 2;
	}
	r.in = fopen(argv[arg], "rb");
	r.out = fopen(argv[arg + 1], "wb");
	r.inbuf = aligned_alloc(16, IN_CAP);
	r.outbuf = aligned_alloc(16, OUT_CAP);
	r.record = malloc(MP_GOLDEN_MAX_RECORD);
	if (r.in == NULL || r.out == NULL || r.inbuf == NULL || r.outbuf == NULL ||
	    r.record == NULL) {
		fprintf(stderr, "oracle: cannot open %s or %s\n", argv[arg], argv[arg + 1]);
		return 2;
	}
	memset(r.inbuf, 0, IN_CAP);
	rc = run_file(&r);
	if (fclose(r.out) != 0)
		rc = -1;
	fclose(r.in);
	free(r.inbuf);
	free(r.outbuf);
	free(r.record);
	if (rc != 0)
		return 2;
	return r.mismatches ? 1 : 0;
}
