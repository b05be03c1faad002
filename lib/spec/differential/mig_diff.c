/*
 * lib/spec/differential/mig_diff.c: the machports side of the MIG
 * differential (scripts/mig-differential runs it around the oracle).
 *
 *   mig_diff list
 *       the subsystems with a spec table, one name a line
 *   mig_diff gen NAME SEED COUNT OUT
 *       writes COUNT messages of NAME's stream SEED (replay.h) as a RECORDS
 *       file for the oracle (codes MP_GOLDEN_NO_CODE; header.generator = the
 *       stream's identity)
 *   mig_diff compare IN [--failures DIR] [--golden-dir DIR]
 *       IN: the oracle's output (MIG's code for each message). Checks each
 *       message with mp_spec_check_request(MP_SPEC_MIG) and prints, per
 *       routine and per mutation, the messages and each code; every
 *       disagreement (hex, MIG's code, ours, our diagnosis) is printed (the
 *       first 20) and saved under DIR. --golden-dir writes DIR/NAME.golden (a
 *       sample: the shortest message of every (routine, MIG's code) and of
 *       every (mutation, MIG's code), and SAMPLE_RANDOM messages spread over
 *       the stream) and DIR/NAME.stream (MIG's code of every message).
 *       Exit 1 on any disagreement.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden_format.h"
#include "replay.h"

#define NCODES 11u          /* nibbles: MIG_SUCCESS, -300 .. -309 */
#define MAX_MUTATIONS 64u
#define MUTATION_VALID MAX_MUTATIONS          /* "valid": no mutation */
#define MUTATION_RANDOM (MAX_MUTATIONS + 1u)  /* replay.c's random bytes */
#define MUTATION_OTHER (MAX_MUTATIONS + 2u)   /* a name the generator does not list */
#define MUTATION_KEYS (MAX_MUTATIONS + 3u)
#define PRINT_DISAGREEMENTS 20u
#define SAMPLE_RANDOM 32u   /* golden: messages spread over the stream */

/* A message kept for the golden sample. */
typedef struct pick {
	uint32_t index, len;
	int32_t code;
	uint8_t *bytes; /* NULL: none yet */
} pick_t;

typedef struct tally {
	uint32_t messages;
	uint32_t code[NCODES];
	uint32_t disagree;
} tally_t;

typedef struct diff_state {
	const mp_spec_subsystem_t *ss;
	mp_golden_header_t h;
	tally_t total;
	tally_t *routine;   /* ss->nroutines + 1 (the last: ids outside the table) */
	tally_t mutation[MUTATION_KEYS];
	uint8_t *codes;       /* MIG's code of every message, as nibbles */
	const char *failures;
	int golden;           /* keep a sample */
	pick_t *by_routine;   /* (routine + 1) x NCODES: the shortest message */
	pick_t by_mutation[MUTATION_KEYS * NCODES];
	pick_t spread[SAMPLE_RANDOM + 1];
	uint32_t nspread;
	uint64_t hash;
} diff_state_t;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mig_diff: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static const mp_spec_subsystem_t *subsystem_or_die(const char *name)
{
	const mp_spec_subsystem_t *ss = mp_replay_subsystem(name);

	if (ss == NULL)
		die("no spec table for subsystem %s (mig_diff list)", name);
	return ss;
}

static int cmd_list(void)
{
	unsigned i;

	for (i = 0; i < mp_replay_subsystem_count(); i++)
		printf("%s\n", mp_replay_subsystem_at(i)->name);
	return 0;
}

static int cmd_gen(const char *name, const char *seed_s, const char *count_s, const char *out)
{
	mp_golden_header_t h;
	static uint8_t buf[MP_REPLAY_CAP];
	FILE *f;
	uint32_t i;
	size_t n;

	memset(&h, 0, sizeof h);
	h.kind = MP_GOLDEN_RECORDS;
	snprintf(h.subsystem, sizeof h.subsystem, "%s", subsystem_or_die(name)->name);
	h.seed = strtoull(seed_s, NULL, 0);
	h.count = (uint32_t)strtoul(count_s, NULL, 0);
	h.spec = mp_replay_spec_identity(subsystem_or_die(name));
	h.generator = MP_GOLDEN_HASH_INIT;
	for (i = 0; i < h.count; i++) { /* first pass: the identity for the header */
		n = mp_replay_message(subsystem_or_die(name), h.seed, i, buf, sizeof buf, NULL);
		h.generator = mp_golden_hash(h.generator, buf, (uint32_t)n);
	}
	f = fopen(out, "wb");
	if (f == NULL || mp_golden_write_header(f, &h) != 0)
		die("cannot write %s", out);
	for (i = 0; i < h.count; i++) {
		n = mp_replay_message(subsystem_or_die(name), h.seed, i, buf, sizeof buf, NULL);
		if (mp_golden_write_record(f, buf, (uint32_t)n, MP_GOLDEN_NO_CODE) != 0)
			die("cannot write %s", out);
	}
	if (fclose(f) != 0)
		die("cannot write %s", out);
	fprintf(stderr, "mig_diff: %s: %u messages, seed %s, generator %016llx\n", h.subsystem,
		h.count, seed_s, (unsigned long long)h.generator);
	return 0;
}

static unsigned mutation_index(const char *name)
{
	unsigned i, n = mp_spec_gen_mutation_count();

	for (i = 0; i < n && i < MAX_MUTATIONS; i++)
		if (name != NULL && strcmp(name, mp_spec_gen_mutation_name(i)) == 0)
			return i;
	if (name != NULL && strcmp(name, "valid") == 0)
		return MUTATION_VALID;
	if (name != NULL && strcmp(name, MP_REPLAY_RANDOM_BYTES) == 0)
		return MUTATION_RANDOM;
	return MUTATION_OTHER;
}

static unsigned routine_index(const mp_spec_subsystem_t *ss, const uint8_t *msg, size_t len)
{
	const mp_spec_routine_t *rt;
	unsigned i;

	if (len < 24)
		return ss->nroutines;
	rt = mp_spec_routine_for_id(ss, (int32_t)((uint32_t)msg[20] | (uint32_t)msg[21] << 8 |
						 (uint32_t)msg[22] << 16 |
						 (uint32_t)msg[23] << 24));
	for (i = 0; i < ss->nroutines; i++)
		if (rt != NULL && ss->routines[i] == rt)
			return i;
	return ss->nroutines;
}

static const char *code_name(int32_t code)
{
	return code == MP_GOLDEN_NO_CODE ? "(no code)" : mp_mig_code_name(code);
}

/* The message in hex, at most `max` bytes of it. */
static void fprint_hex(FILE *f, const uint8_t *p, uint32_t n, uint32_t max)
{
	uint32_t i, shown = n < max ? n : max;

	for (i = 0; i < shown; i++)
		fprintf(f, "%02x%s", p[i], (i % 4 == 3 && i + 1 < shown) ? " " : "");
	if (shown < n)
		fprintf(f, " ... (%u bytes)", n);
	fputc('\n', f);
}

static void describe(FILE *f, const diff_state_t *st, uint32_t index, const uint8_t *msg,
		     uint32_t len, int32_t mig, int32_t ours, const mp_spec_diag_t *diag,
		     const char *mutation, uint32_t hex_max)
{
	fprintf(f, "%s #%u (%s, %s): MIG %d %s, machports %d %s: %s\n  ", st->h.subsystem, index,
		mp_replay_routine_name(st->ss, msg, len), mutation, mig, code_name(mig), ours,
		code_name(ours), ours != 0 ? diag->reason : "(accepted)");
	fprint_hex(f, msg, len, hex_max);
}

static void save_failure(const diff_state_t *st, uint32_t index, const uint8_t *msg,
			 uint32_t len, int32_t mig, int32_t ours, const mp_spec_diag_t *diag,
			 const char *mutation)
{
	char path[4096];
	FILE *f;

	if (st->failures == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s-%u.bin", st->failures, st->h.subsystem, index);
	f = fopen(path, "wb");
	if (f != NULL) {
		fwrite(msg, 1, len, f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/%s-%u.txt", st->failures, st->h.subsystem, index);
	f = fopen(path, "w");
	if (f != NULL) {
		describe(f, st, index, msg, len, mig, ours, diag, mutation, UINT32_MAX);
		fclose(f);
	}
}

static void tally_add(tally_t *t, int nibble, int disagree)
{
	t->messages++;
	t->code[nibble]++;
	if (disagree)
		t->disagree++;
}

/* Keeps msg in p if p is empty or msg is shorter. */
static void pick_shorter(pick_t *p, uint32_t index, const uint8_t *msg, uint32_t len,
			 int32_t code)
{
	uint8_t *copy;

	if (p->bytes != NULL && p->len <= len)
		return;
	copy = malloc(len ? len : 1);
	if (copy == NULL)
		die("%s", "out of memory");
	memcpy(copy, msg, len);
	free(p->bytes);
	p->bytes = copy;
	p->index = index;
	p->len = len;
	p->code = code;
}

/* The golden sample: the shortest message of every (routine, MIG's code)
 * and every (mutation, MIG's code), and SAMPLE_RANDOM spread over the stream. */
static void sample(diff_state_t *st, uint32_t index, const uint8_t *msg, uint32_t len,
		   int32_t mig, unsigned rt, int nibble, unsigned mut)
{
	uint32_t every = st->h.count / SAMPLE_RANDOM;

	pick_shorter(&st->by_routine[rt * NCODES + (unsigned)nibble], index, msg, len, mig);
	pick_shorter(&st->by_mutation[mut * NCODES + (unsigned)nibble], index, msg, len, mig);
	if (every != 0 && index % every == every / 2 && st->nspread < SAMPLE_RANDOM)
		pick_shorter(&st->spread[st->nspread++], index, msg, len, mig);
}

static int compare_one(diff_state_t *st, uint32_t index, const uint8_t *msg, uint32_t len,
		       int32_t mig)
{
	static uint8_t regen[MP_REPLAY_CAP];
	const char *mutation = "none";
	mp_spec_diag_t diag;
	size_t n;
	int32_t ours;
	int nibble = mp_golden_code_nibble(mig), disagree;
	unsigned rt = routine_index(st->ss, msg, len), mut;

	n = mp_replay_message(st->ss, st->h.seed, index, regen, sizeof regen, &mutation);
	st->hash = mp_golden_hash(st->hash, regen, (uint32_t)n);
	if (n != len || memcmp(regen, msg, len) != 0) {
		fprintf(stderr, "mig_diff: %s #%u: the oracle's record is not the generator's message\n",
			st->h.subsystem, index);
		return -1;
	}
	if (nibble < 0) {
		fprintf(stderr, "mig_diff: %s #%u: MIG's outcome %d is no MIG code\n",
			st->h.subsystem, index, mig);
		return -1;
	}
	memset(&diag, 0, sizeof diag);
	ours = mp_spec_check_request(st->ss, msg, len, MP_SPEC_MIG, NULL, &diag);
	/* the accept path (no diagnosis) must agree with the walk */
	mp_spec_view_t view;
	disagree = ours != mig ||
		   mp_spec_check_request(st->ss, msg, len, MP_SPEC_MIG, NULL, NULL) != ours ||
		   mp_spec_check_request(st->ss, msg, len, MP_SPEC_MIG, &view, NULL) != ours;
	mut = mutation_index(mutation);
	tally_add(&st->total, nibble, disagree);
	tally_add(&st->routine[rt], nibble, disagree);
	tally_add(&st->mutation[mut], nibble, disagree);
	st->codes[index] = (uint8_t)nibble;
	if (disagree) {
		if (st->total.disagree <= PRINT_DISAGREEMENTS)
			describe(stdout, st, index, msg, len, mig, ours, &diag, mutation, 256);
		save_failure(st, index, msg, len, mig, ours, &diag, mutation);
	}
	if (st->golden)
		sample(st, index, msg, len, mig, rt, nibble, mut);
	return 0;
}

static void print_codes_header(const tally_t *total)
{
	unsigned c;

	printf("  %-44s %8s", "", "messages");
	for (c = 0; c < NCODES; c++)
		if (total->code[c] != 0)
			printf(" %8d", mp_golden_nibble_code(c));
	printf(" %8s\n", "disagree");
}

static void print_tally(const char *name, const tally_t *t, const tally_t *total)
{
	unsigned c;

	if (t->messages == 0)
		return;
	printf("  %-44s %8u", name, t->messages);
	for (c = 0; c < NCODES; c++)
		if (total->code[c] != 0)
			printf(" %8u", t->code[c]);
	printf(" %8u\n", t->disagree);
}

static void print_report(const diff_state_t *st)
{
	const mp_spec_subsystem_t *ss = st->ss;
	unsigned i, c;

	printf("%s: %u messages (seed %llu, generator %016llx): accepted %u", ss->name,
	       st->total.messages, (unsigned long long)st->h.seed,
	       (unsigned long long)st->h.generator, st->total.code[0]);
	for (c = 1; c < NCODES; c++)
		if (st->total.code[c] != 0)
			printf(", %s %u", mp_mig_code_name(mp_golden_nibble_code(c)),
			       st->total.code[c]);
	printf("; DISAGREEMENTS %u\n", st->total.disagree);
	printf(" per routine (columns: MIG's codes)\n");
	print_codes_header(&st->total);
	for (i = 0; i < ss->nroutines; i++)
		if (ss->routines[i] != NULL)
			print_tally(ss->routines[i]->name, &st->routine[i], &st->total);
	print_tally("(ids outside the table or skips)", &st->routine[ss->nroutines], &st->total);
	printf(" per mutation\n");
	print_codes_header(&st->total);
	for (i = 0; i < mp_spec_gen_mutation_count() && i < MAX_MUTATIONS; i++)
		print_tally(mp_spec_gen_mutation_name(i), &st->mutation[i], &st->total);
	print_tally("valid (no mutation)", &st->mutation[MUTATION_VALID], &st->total);
	print_tally("random bytes (replay.c)", &st->mutation[MUTATION_RANDOM], &st->total);
	print_tally("(a name the generator does not list)", &st->mutation[MUTATION_OTHER],
		    &st->total);
}

static int pick_by_index(const void *a, const void *b)
{
	const pick_t *x = *(const pick_t *const *)a, *y = *(const pick_t *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* Every kept message, by index, each once; returns how many. */
static uint32_t gather_picks(diff_state_t *st, pick_t **out)
{
	uint32_t n = 0, kept = 0, i;
	size_t nroutine = ((size_t)st->ss->nroutines + 1u) * NCODES;

	for (i = 0; i < nroutine; i++)
		if (st->by_routine[i].bytes != NULL)
			out[n++] = &st->by_routine[i];
	for (i = 0; i < MUTATION_KEYS * NCODES; i++)
		if (st->by_mutation[i].bytes != NULL)
			out[n++] = &st->by_mutation[i];
	for (i = 0; i < st->nspread; i++)
		out[n++] = &st->spread[i];
	qsort(out, n, sizeof *out, pick_by_index);
	for (i = 0; i < n; i++)
		if (kept == 0 || out[kept - 1]->index != out[i]->index)
			out[kept++] = out[i];
	return kept;
}

static void write_sample(diff_state_t *st, const char *dir)
{
	char path[4096];
	mp_golden_header_t h = st->h;
	size_t cap = ((size_t)st->ss->nroutines + 1u) * NCODES + MUTATION_KEYS * NCODES +
		     SAMPLE_RANDOM;
	pick_t **picks = calloc(cap, sizeof *picks);
	uint32_t n, i;
	FILE *f;

	if (picks == NULL)
		die("%s", "out of memory");
	n = gather_picks(st, picks);
	snprintf(path, sizeof path, "%s/%s.golden", dir, st->h.subsystem);
	h.count = n;
	h.generator = 0; /* the sample holds its bytes: no generator needed */
	f = fopen(path, "wb");
	if (f == NULL || mp_golden_write_header(f, &h) != 0)
		die("cannot write %s", path);
	for (i = 0; i < n; i++)
		if (mp_golden_write_record(f, picks[i]->bytes, picks[i]->len, picks[i]->code) != 0)
			die("cannot write %s", path);
	if (fclose(f) != 0)
		die("cannot write %s", path);
	printf("%s: wrote %s (%u messages)\n", st->h.subsystem, path, n);
	free(picks);
}

static void write_stream(diff_state_t *st, const char *dir)
{
	char path[4096];
	mp_golden_header_t h = st->h;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s.stream", dir, st->h.subsystem);
	h.kind = MP_GOLDEN_STREAM;
	f = fopen(path, "wb");
	if (f == NULL || mp_golden_write_header(f, &h) != 0 ||
	    mp_golden_write_codes(f, h.count, st->codes) != 0 || fclose(f) != 0)
		die("cannot write %s", path);
	printf("%s: wrote %s (%u codes, seed %llu)\n", st->h.subsystem, path, h.count,
	       (unsigned long long)h.seed);
}

static void free_picks(diff_state_t *st)
{
	size_t i, nroutine = ((size_t)st->ss->nroutines + 1u) * NCODES;

	for (i = 0; st->by_routine != NULL && i < nroutine; i++)
		free(st->by_routine[i].bytes);
	for (i = 0; i < MUTATION_KEYS * NCODES; i++)
		free(st->by_mutation[i].bytes);
	for (i = 0; i < st->nspread; i++)
		free(st->spread[i].bytes);
	free(st->by_routine);
}

static int compare_records(diff_state_t *st, FILE *in)
{
	static uint8_t msg[MP_GOLDEN_MAX_RECORD];
	char err[160];
	uint32_t i, len;
	int32_t mig;

	for (i = 0; i < st->h.count; i++) {
		if (mp_golden_read_record(in, msg, sizeof msg, &len, &mig, err, sizeof err) != 0) {
			fprintf(stderr, "mig_diff: record %u: %s\n", i, err);
			return -1;
		}
		if (compare_one(st, i, msg, len, mig) != 0)
			return -1;
	}
	if (st->hash != st->h.generator) {
		fprintf(stderr, "mig_diff: the generator's identity changed during the run\n");
		return -1;
	}
	return 0;
}

static int cmd_compare(int argc, char **argv)
{
	diff_state_t st;
	const char *golden_dir = NULL;
	char err[160];
	FILE *in;
	int i, rc;

	memset(&st, 0, sizeof st);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--failures") == 0 && i + 1 < argc)
			st.failures = argv[++i];
		else if (strcmp(argv[i], "--golden-dir") == 0 && i + 1 < argc)
			golden_dir = argv[++i];
		else
			die("unknown argument %s", argv[i]);
	}
	in = fopen(argv[0], "rb");
	if (in == NULL)
		die("cannot open %s", argv[0]);
	if (mp_golden_read_header(in, &st.h, err, sizeof err) != 0 || st.h.kind != MP_GOLDEN_RECORDS)
		die("%s: not a RECORDS file", argv[0]);
	st.ss = subsystem_or_die(st.h.subsystem);
	if (st.h.spec != mp_replay_spec_identity(st.ss))
		die("%s: the spec table changed since mig_diff gen wrote the messages", argv[0]);
	st.routine = calloc(st.ss->nroutines + 1u, sizeof *st.routine);
	st.by_routine = calloc(((size_t)st.ss->nroutines + 1u) * NCODES, sizeof *st.by_routine);
	st.codes = calloc(st.h.count + 1u, 1);
	if (st.routine == NULL || st.by_routine == NULL || st.codes == NULL)
		die("%s", "out of memory");
	if (st.failures != NULL && mkdir(st.failures, 0755) != 0 && errno != EEXIST) {
		/* the parent may be missing too */
		char cmd[4200];

		snprintf(cmd, sizeof cmd, "mkdir -p '%s'", st.failures);
		if (system(cmd) != 0)
			die("cannot create %s", st.failures);
	}
	st.golden = golden_dir != NULL;
	st.hash = MP_GOLDEN_HASH_INIT;
	rc = compare_records(&st, in);
	fclose(in);
	if (rc == 0)
		print_report(&st);
	if (rc == 0 && golden_dir != NULL) {
		write_sample(&st, golden_dir);
		write_stream(&st, golden_dir);
	}
	rc = rc != 0 ? 2 : st.total.disagree != 0 ? 1 : 0;
	free_picks(&st);
	free(st.routine);
	free(st.codes);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return cmd_list();
	if (argc == 6 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], argv[3], argv[4], argv[5]);
	if (argc >= 3 && strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 2, argv + 2);
	fprintf(stderr, "usage: mig_diff list | gen NAME SEED COUNT OUT |"
			" compare IN [--failures DIR] [--golden-dir DIR]\n");
	return 2;
}
