/*
 * lib/spec/tests/golden_test.c: CI's replay of the MIG differential
 * (scripts/mig-differential --update-golden wrote lib/spec/golden/ with
 * Apple's MIG as the oracle; CI has neither MIG nor the SDK).
 *
 *   NAME.golden  a sample of messages with MIG's code for each: every one
 *                through mp_spec_check_request(MP_SPEC_MIG), same code.
 *   NAME.stream  MIG's code for every message of a seed's stream: the stream
 *                is made again with the same generator (replay.h) and every
 *                message checked. If the generator no longer makes the same
 *                stream (its identity, a hash of every message, differs), the
 *                recorded codes say nothing about the new messages: the test
 *                fails and says to rerun the differential.
 * A mismatch names the subsystem, the index, the routine, MIG's code, ours
 * and our diagnosis. The files come as arguments (lib/spec/BUILD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden_format.h"
#include "replay.h"

#define MAX_REPORTED 10

/* What a replay found: mismatches, and the first few described. */
typedef struct replay_result {
	unsigned checked;
	unsigned mismatches;
	int generator_changed;
	int spec_changed;
	int bad_file;
	char text[4096];
	size_t used;
} replay_result_t;

static void note(replay_result_t *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->used >= sizeof r->text - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->used, sizeof r->text - r->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->used += (size_t)n < sizeof r->text - r->used ? (size_t)n : sizeof r->text - r->used - 1;
}

static const char *code_name(int32_t code)
{
	return mp_mig_code_name(code);
}

/* One message: our code against MIG's. The check gets a copy of exactly
 * len bytes, so a sanitizer sees any read past the message. */
static void check_one(replay_result_t *r, const mp_spec_subsystem_t *ss, const char *what,
		      uint32_t index, const uint8_t *msg, size_t len, int32_t mig)
{
	mp_spec_diag_t diag;
	uint8_t *exact = malloc(len ? len : 1);
	int32_t ours;

	assert_non_null(exact);
	memcpy(exact, msg, len);
	memset(&diag, 0, sizeof diag);
	ours = mp_spec_check_request(ss, exact, len, MP_SPEC_MIG, NULL, &diag);
	/* The check has two paths: with a diagnosis it walks the spec; with none
	 * (or only a view) a precomputed table tries the accept path first.
	 * Both must give MIG's code. */
	mp_spec_view_t view;
	int32_t bare = mp_spec_check_request(ss, exact, len, MP_SPEC_MIG, NULL, NULL);
	int32_t viewed = mp_spec_check_request(ss, exact, len, MP_SPEC_MIG, &view, NULL);
	free(exact);
	r->checked++;
	if (bare != ours || viewed != ours) {
		if (++r->mismatches <= MAX_REPORTED)
			note(r, "%s %s #%u: the check's paths disagree: %d with a diagnosis, %d bare, %d with a view\n",
			     ss->name, what, index, ours, bare, viewed);
		return;
	}
	if (ours == mig)
		return;
	if (++r->mismatches <= MAX_REPORTED)
		note(r, "%s %s #%u (%s): MIG %d %s, machports %d %s: %s\n", ss->name, what, index,
		     mp_replay_routine_name(ss, msg, len), mig, code_name(mig), ours,
		     code_name(ours), ours != 0 ? diag.reason : "(accepted)");
}

static const mp_spec_subsystem_t *open_subsystem(replay_result_t *r, FILE *f,
						 mp_golden_header_t *h, uint32_t kind,
						 const char *path)
{
	const mp_spec_subsystem_t *ss;
	char err[160];

	if (mp_golden_read_header(f, h, err, sizeof err) != 0 || h->kind != kind) {
		note(r, "%s: %s\n", path, h->kind != kind ? "wrong kind of golden file" : err);
		r->bad_file = 1;
		return NULL;
	}
	ss = mp_replay_subsystem(h->subsystem);
	if (ss == NULL) {
		note(r, "%s: no spec table for subsystem %s\n", path, h->subsystem);
		r->bad_file = 1;
	} else if (h->spec != mp_replay_spec_identity(ss)) {
		r->spec_changed = 1;
	}
	return ss;
}

/* The oracle judged messages of another table (a .defs or the reader
 * changed): the codes say nothing about this one; say only that. */
static void note_spec_changed(replay_result_t *r, const char *path, const char *subsystem)
{
	if (!r->spec_changed)
		return;
	r->used = 0;
	note(r, "%s: the spec table of %s changed since the oracle ran (its .defs or "
		"mpmig): rerun scripts/mig-differential MIG_DIR SDK_DIR --update-golden "
		"(lib/spec/differential/README.md)\n",
	     path, subsystem);
}

static void replay_golden(const char *path, replay_result_t *r)
{
	static uint8_t msg[MP_GOLDEN_MAX_RECORD];
	const mp_spec_subsystem_t *ss;
	mp_golden_header_t h;
	char err[160];
	uint32_t i, len;
	int32_t mig;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		note(r, "%s: cannot open\n", path);
		r->bad_file = 1;
		return;
	}
	ss = open_subsystem(r, f, &h, MP_GOLDEN_RECORDS, path);
	for (i = 0; ss != NULL && i < h.count; i++) {
		if (mp_golden_read_record(f, msg, sizeof msg, &len, &mig, err, sizeof err) != 0) {
			note(r, "%s: record %u: %s\n", path, i, err);
			r->bad_file = 1;
			break;
		}
		check_one(r, ss, "sample", i, msg, len, mig);
	}
	if (ss != NULL && !r->bad_file && fgetc(f) != EOF) {
		note(r, "%s: bytes after the %u records\n", path, h.count);
		r->bad_file = 1;
	}
	note_spec_changed(r, path, h.subsystem);
	fclose(f);
}

static void replay_stream(const char *path, replay_result_t *r)
{
	static uint8_t msg[MP_REPLAY_CAP];
	const mp_spec_subsystem_t *ss;
	mp_golden_header_t h;
	char err[160];
	uint8_t *codes = NULL;
	uint64_t hash = MP_GOLDEN_HASH_INIT;
	uint32_t i;
	size_t len;
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		note(r, "%s: cannot open\n", path);
		r->bad_file = 1;
		return;
	}
	ss = open_subsystem(r, f, &h, MP_GOLDEN_STREAM, path);
	if (ss != NULL) {
		codes = calloc((size_t)h.count + 1u, 1);
		if (codes == NULL || mp_golden_read_codes(f, h.count, codes, err, sizeof err) != 0) {
			note(r, "%s: %s\n", path, codes == NULL ? "out of memory" : err);
			r->bad_file = 1;
			ss = NULL;
		} else if (fgetc(f) != EOF) {
			note(r, "%s: bytes after the codes of %u messages\n", path, h.count);
			r->bad_file = 1;
			ss = NULL;
		}
	}
	for (i = 0; ss != NULL && i < h.count; i++) {
		len = mp_replay_message(ss, h.seed, i, msg, sizeof msg, NULL);
		hash = mp_golden_hash(hash, msg, (uint32_t)len);
		check_one(r, ss, "message", i, msg, len, mp_golden_nibble_code(codes[i]));
	}
	if (ss != NULL && hash != h.generator) {
		r->generator_changed = 1;
		r->used = 0; /* the codes were MIG's for other messages: say only this */
		note(r, "%s: the generator changed (stream identity %016llx, recorded %016llx): "
			"rerun scripts/mig-differential MIG_DIR SDK_DIR --update-golden "
			"(lib/spec/differential/README.md)\n",
		     path, (unsigned long long)hash, (unsigned long long)h.generator);
	}
	note_spec_changed(r, path, h.subsystem);
	free(codes);
	fclose(f);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void replay_file(const char *path, replay_result_t *r)
{
	memset(r, 0, sizeof *r);
	if (ends_with(path, ".golden"))
		replay_golden(path, r);
	else if (ends_with(path, ".stream"))
		replay_stream(path, r);
	else {
		note(r, "%s: neither .golden nor .stream\n", path);
		r->bad_file = 1;
	}
}

/* The golden and stream files the test was given. */
static char **g_files;
static int g_nfiles;

static void test_golden_file(void **state)
{
	const char *path = *state;
	static replay_result_t r;

	replay_file(path, &r);
	if (r.bad_file || r.generator_changed || r.spec_changed || r.mismatches != 0) {
		fputs(r.text, stderr); /* not print_error: cmocka cuts long messages */
		if (r.mismatches > MAX_REPORTED)
			fprintf(stderr, "... %u mismatches in all\n", r.mismatches);
		fail_msg("%s: %u of %u messages differ from MIG%s", path, r.mismatches, r.checked,
			 r.spec_changed	       ? " (the spec table changed)"
			 : r.generator_changed ? " (the generator changed)"
					       : "");
	}
	assert_true(r.checked > 0);
	print_message("%s: %u messages agree with MIG\n", path, r.checked);
}

/* Data: at least one sample and one stream, for as many subsystems. */
static void test_every_subsystem_has_golden_data(void **state)
{
	int i, golden = 0, stream = 0;

	(void)state;
	for (i = 0; i < g_nfiles; i++) {
		golden += ends_with(g_files[i], ".golden");
		stream += ends_with(g_files[i], ".stream");
	}
	if (golden == 0 || stream == 0)
		fail_msg("no golden data: run scripts/mig-differential MIG_DIR SDK_DIR --update-golden");
	assert_int_equal(golden, stream);
}

static void temp_path(char *out, size_t cap, const char *name)
{
	const char *dir = getenv("TEST_TMPDIR");

	snprintf(out, cap, "%s/%s", dir != NULL ? dir : "/tmp", name);
}

static void test_code_nibbles_round_trip(void **state)
{
	int32_t code;

	(void)state;
	assert_int_equal(mp_golden_code_nibble(0), 0);
	for (code = -300; code >= -309; code--)
		assert_int_equal(mp_golden_nibble_code((unsigned)mp_golden_code_nibble(code)), code);
	assert_int_equal(mp_golden_code_nibble(-310), -1);
	assert_int_equal(mp_golden_code_nibble(5), -1);
	assert_int_equal(mp_golden_nibble_code(11), MP_GOLDEN_NO_CODE);
}

/* Streams code MIG's codes in 2 bits with escapes: every code, any mix, any
 * count (0, odd, one code only) comes back unchanged. */
static void test_stream_codes_round_trip(void **state)
{
	static const uint32_t counts[] = {0, 1, 2, 3, 5, 1000, 4097};
	uint8_t in[4097], out[4097];
	char path[512], err[160];
	uint32_t c, i, x = 12345;
	unsigned mode;
	FILE *f;

	(void)state;
	temp_path(path, sizeof path, "codes.bin");
	for (mode = 0; mode < 3; mode++) {
		for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			for (i = 0; i < counts[c]; i++) {
				x = x * 1103515245u + 12345u;
				/* every code / one code / mostly one code with rare others */
				in[i] = mode == 0 ? (uint8_t)((x >> 16) % 11u)
					: mode == 1 ? 4u
						    : (uint8_t)((x >> 16) % 50u < 11u ? (x >> 16) % 50u : 0u);
			}
			f = fopen(path, "wb+");
			assert_non_null(f);
			assert_int_equal(mp_golden_write_codes(f, counts[c], in), 0);
			rewind(f);
			memset(out, 0xff, sizeof out);
			assert_int_equal(mp_golden_read_codes(f, counts[c], out, err, sizeof err), 0);
			assert_memory_equal(in, out, counts[c]);
			assert_int_equal(fgetc(f), EOF); /* nothing left over */
			fclose(f);
		}
	}
}

/* The first sample and the first stream the test was given, or NULL. */
static const char *first_golden(void)
{
	int i;

	for (i = 0; i < g_nfiles; i++)
		if (ends_with(g_files[i], ".golden"))
			return g_files[i];
	return NULL;
}

static const char *first_stream(void)
{
	int i;

	for (i = 0; i < g_nfiles; i++)
		if (ends_with(g_files[i], ".stream"))
			return g_files[i];
	return NULL;
}

/* A wrong code in a sample is found and described (subsystem, index, routine,
 * both codes). */
static void test_a_changed_code_is_reported(void **state)
{
	static uint8_t msg[MP_GOLDEN_MAX_RECORD];
	static replay_result_t r;
	const char *src = first_golden();
	mp_golden_header_t h;
	char path[512], err[160];
	uint32_t len;
	int32_t code;
	FILE *in, *out;

	(void)state;
	if (src == NULL)
		skip();
	temp_path(path, sizeof path, "changed.golden");
	in = fopen(src, "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(mp_golden_read_header(in, &h, err, sizeof err), 0);
	assert_int_equal(mp_golden_read_record(in, msg, sizeof msg, &len, &code, err, sizeof err), 0);
	h.count = 1;
	assert_int_equal(mp_golden_write_header(out, &h), 0);
	assert_int_equal(mp_golden_write_record(out, msg, len, code == 0 ? -304 : 0), 0);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	replay_file(path, &r);
	assert_int_equal(r.mismatches, 1);
	assert_non_null(strstr(r.text, h.subsystem));
	assert_non_null(strstr(r.text, " sample #0 ("));
	assert_non_null(strstr(r.text, code == 0 ? "MIG -304" : "MIG 0"));
}

/* A sample recorded for another spec table fails and says the table changed. */
static void test_a_changed_spec_table_is_reported(void **state)
{
	static uint8_t msg[MP_GOLDEN_MAX_RECORD];
	static replay_result_t r;
	const char *src = first_golden();
	mp_golden_header_t h;
	char path[512], err[160];
	uint32_t len;
	int32_t code;
	FILE *in, *out;

	(void)state;
	if (src == NULL)
		skip();
	temp_path(path, sizeof path, "spec.golden");
	in = fopen(src, "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(mp_golden_read_header(in, &h, err, sizeof err), 0);
	assert_int_equal(mp_golden_read_record(in, msg, sizeof msg, &len, &code, err, sizeof err), 0);
	h.count = 1;
	h.spec ^= 1;
	assert_int_equal(mp_golden_write_header(out, &h), 0);
	assert_int_equal(mp_golden_write_record(out, msg, len, code), 0);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	replay_file(path, &r);
	assert_true(r.spec_changed);
	assert_non_null(strstr(r.text, "the spec table of"));
	assert_non_null(strstr(r.text, "--update-golden"));
}

/* A stream whose recorded identity is not the generator's fails and says
 * to rerun the differential. */
static void test_a_changed_generator_is_reported(void **state)
{
	static replay_result_t r;
	const char *src = first_stream();
	mp_golden_header_t h;
	char path[512], err[160];
	uint8_t *nibbles;
	FILE *in, *out;

	(void)state;
	if (src == NULL)
		skip();
	temp_path(path, sizeof path, "changed.stream");
	in = fopen(src, "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	assert_int_equal(mp_golden_read_header(in, &h, err, sizeof err), 0);
	nibbles = calloc((size_t)h.count + 1u, 1);
	assert_non_null(nibbles);
	assert_int_equal(mp_golden_read_codes(in, h.count, nibbles, err, sizeof err), 0);
	/* The first 64 messages with their recorded codes: the identity covered all. */
	if (h.count > 64)
		h.count = 64;
	assert_int_equal(mp_golden_write_header(out, &h), 0);
	assert_int_equal(mp_golden_write_codes(out, h.count, nibbles), 0);
	free(nibbles);
	fclose(in);
	assert_int_equal(fclose(out), 0);
	replay_file(path, &r);
	assert_true(r.generator_changed);
	assert_non_null(strstr(r.text, "the generator changed"));
	assert_non_null(strstr(r.text, "--update-golden"));
}

int main(int argc, char **argv)
{
	static const struct CMUnitTest fixed[] = {
	    cmocka_unit_test(test_every_subsystem_has_golden_data),
	    cmocka_unit_test(test_code_nibbles_round_trip),
	    cmocka_unit_test(test_stream_codes_round_trip),
	    cmocka_unit_test(test_a_changed_code_is_reported),
	    cmocka_unit_test(test_a_changed_generator_is_reported),
	    cmocka_unit_test(test_a_changed_spec_table_is_reported),
	};
	struct CMUnitTest *tests;
	size_t nfixed = sizeof fixed / sizeof fixed[0], i;
	int rc;

	g_files = argv + 1;
	g_nfiles = argc - 1;
	tests = calloc(nfixed + (size_t)g_nfiles, sizeof *tests);
	if (tests == NULL)
		return 1;
	memcpy(tests, fixed, sizeof fixed);
	for (i = 0; i < (size_t)g_nfiles; i++) {
		tests[nfixed + i].name = g_files[i];
		tests[nfixed + i].test_func = test_golden_file;
		tests[nfixed + i].initial_state = g_files[i];
	}
	rc = _cmocka_run_group_tests("golden", tests, nfixed + (size_t)g_nfiles, NULL, NULL);
	free(tests);
	return rc;
}
