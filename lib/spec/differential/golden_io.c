/*
 * lib/spec/differential/golden_io.c: reads and writes the golden and
 * message files (golden_format.h). Standalone C (stdio only): the oracle
 * harness links it outside Bazel.
 */
#include "golden_format.h"

#include <stdarg.h>
#include <string.h>

static void set_err(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err_len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}

static uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t load64(const uint8_t *p)
{
	return (uint64_t)load32(p) | (uint64_t)load32(p + 4) << 32;
}

static void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void store64(uint8_t *p, uint64_t v)
{
	store32(p, (uint32_t)v);
	store32(p + 4, (uint32_t)(v >> 32));
}

static int read_exact(FILE *f, void *buf, size_t n)
{
	return fread(buf, 1, n, f) == n ? 0 : -1;
}

static int write_exact(FILE *f, const void *buf, size_t n)
{
	return fwrite(buf, 1, n, f) == n ? 0 : -1;
}

static int read_u32(FILE *f, uint32_t *v)
{
	uint8_t b[4];

	if (read_exact(f, b, sizeof b) != 0)
		return -1;
	*v = load32(b);
	return 0;
}

static int read_u64(FILE *f, uint64_t *v)
{
	uint8_t b[8];

	if (read_exact(f, b, sizeof b) != 0)
		return -1;
	*v = load64(b);
	return 0;
}

static int write_u32(FILE *f, uint32_t v)
{
	uint8_t b[4];

	store32(b, v);
	return write_exact(f, b, sizeof b);
}

static int write_u64(FILE *f, uint64_t v)
{
	uint8_t b[8];

	store64(b, v);
	return write_exact(f, b, sizeof b);
}

static int read_name(FILE *f, mp_golden_header_t *h, char *err, size_t err_len)
{
	uint32_t name_len;

	if (read_u32(f, &name_len) != 0) {
		set_err(err, err_len, "short file: no subsystem name length");
		return -1;
	}
	if (name_len == 0 || name_len > MP_GOLDEN_MAX_NAME) {
		set_err(err, err_len, "subsystem name length %u not in [1, %u]", name_len,
			MP_GOLDEN_MAX_NAME);
		return -1;
	}
	if (read_exact(f, h->subsystem, name_len) != 0) {
		set_err(err, err_len, "short file: subsystem name");
		return -1;
	}
	h->subsystem[name_len] = '\0';
	if (memchr(h->subsystem, '\0', name_len) != NULL) {
		set_err(err, err_len, "subsystem name holds a NUL");
		return -1;
	}
	return 0;
}

int mp_golden_read_header(FILE *f, mp_golden_header_t *h, char *err, size_t err_len)
{
	char magic[8];

	memset(h, 0, sizeof *h);
	if (read_exact(f, magic, sizeof magic) != 0 ||
	    memcmp(magic, MP_GOLDEN_MAGIC, sizeof magic) != 0) {
		set_err(err, err_len, "not a golden file (magic \"%s\" expected)", MP_GOLDEN_MAGIC);
		return -1;
	}
	if (read_u32(f, &h->version) != 0 || read_u32(f, &h->kind) != 0) {
		set_err(err, err_len, "short file: no version or kind");
		return -1;
	}
	if (h->version != MP_GOLDEN_VERSION) {
		set_err(err, err_len, "version %u, this reader knows %u", h->version,
			MP_GOLDEN_VERSION);
		return -1;
	}
	if (h->kind != MP_GOLDEN_RECORDS && h->kind != MP_GOLDEN_STREAM) {
		set_err(err, err_len, "unknown kind %u", h->kind);
		return -1;
	}
	if (read_name(f, h, err, err_len) != 0)
		return -1;
	if (read_u64(f, &h->seed) != 0 || read_u32(f, &h->count) != 0 ||
	    read_u64(f, &h->generator) != 0 || read_u64(f, &h->spec) != 0) {
		set_err(err, err_len, "short file: no seed, count, generator or spec");
		return -1;
	}
	return 0;
}

int mp_golden_write_header(FILE *f, const mp_golden_header_t *h)
{
	size_t name_len = strlen(h->subsystem);

	if (name_len == 0 || name_len > MP_GOLDEN_MAX_NAME)
		return -1;
	if (write_exact(f, MP_GOLDEN_MAGIC, 8) != 0 || write_u32(f, MP_GOLDEN_VERSION) != 0 ||
	    write_u32(f, h->kind) != 0 || write_u32(f, (uint32_t)name_len) != 0 ||
	    write_exact(f, h->subsystem, name_len) != 0 || write_u64(f, h->seed) != 0 ||
	    write_u32(f, h->count) != 0 || write_u64(f, h->generator) != 0 ||
	    write_u64(f, h->spec) != 0)
		return -1;
	return 0;
}

int mp_golden_read_record(FILE *f, uint8_t *buf, size_t cap, uint32_t *len, int32_t *code,
			  char *err, size_t err_len)
{
	uint32_t n, c;

	if (read_u32(f, &n) != 0) {
		set_err(err, err_len, "short file: no record length");
		return -1;
	}
	if (n > cap || n > MP_GOLDEN_MAX_RECORD) {
		set_err(err, err_len, "record of %u bytes, at most %zu", n,
			cap < MP_GOLDEN_MAX_RECORD ? cap : (size_t)MP_GOLDEN_MAX_RECORD);
		return -1;
	}
	if (read_exact(f, buf, n) != 0 || read_u32(f, &c) != 0) {
		set_err(err, err_len, "short file: record of %u bytes cut", n);
		return -1;
	}
	*len = n;
	*code = (int32_t)c;
	return 0;
}

int mp_golden_write_record(FILE *f, const void *msg, uint32_t len, int32_t code)
{
	if (len > MP_GOLDEN_MAX_RECORD)
		return -1;
	if (write_u32(f, len) != 0 || write_exact(f, msg, len) != 0 ||
	    write_u32(f, (uint32_t)code) != 0)
		return -1;
	return 0;
}

/* The three most frequent nibbles, most frequent first (three distinct
 * nibbles even when fewer codes occur). */
static void top_three(uint32_t count, const uint8_t *nibbles, uint8_t top[3])
{
	uint32_t freq[16] = {0}, i, k, best;
	uint8_t taken[16] = {0};

	for (i = 0; i < count; i++)
		freq[nibbles[i] & 0x0f]++;
	for (k = 0; k < 3; k++) {
		best = 16;
		for (i = 0; i < 16; i++)
			if (!taken[i] && (best == 16 || freq[i] > freq[best]))
				best = i;
		taken[best] = 1;
		top[k] = (uint8_t)best;
	}
}

static int symbol_of(uint8_t nibble, const uint8_t top[3])
{
	int k;

	for (k = 0; k < 3; k++)
		if (nibble == top[k])
			return k;
	return 3; /* the escape: the nibble follows in the escape list */
}

int mp_golden_write_codes(FILE *f, uint32_t count, const uint8_t *nibbles)
{
	uint8_t top[3], b = 0, esc = 0;
	uint32_t i, nesc = 0, k = 0;

	top_three(count, nibbles, top);
	for (i = 0; i < count; i++)
		nesc += symbol_of(nibbles[i] & 0x0f, top) == 3;
	if (write_exact(f, top, 3) != 0 || write_u32(f, nesc) != 0)
		return -1;
	for (i = 0; i < count; i++) { /* 2-bit symbols, four a byte, low bits first */
		b = (uint8_t)(b | symbol_of(nibbles[i] & 0x0f, top) << (2 * (i % 4)));
		if (i % 4 == 3 || i + 1 == count) {
			if (write_exact(f, &b, 1) != 0)
				return -1;
			b = 0;
		}
	}
	for (i = 0; i < count; i++) { /* the escaped nibbles, two a byte, low first */
		if (symbol_of(nibbles[i] & 0x0f, top) != 3)
			continue;
		esc = (uint8_t)(esc | (nibbles[i] & 0x0f) << (4 * (k % 2)));
		if (k % 2 == 1 || k + 1 == nesc) {
			if (write_exact(f, &esc, 1) != 0)
				return -1;
			esc = 0;
		}
		k++;
	}
	return 0;
}

static int read_symbols(FILE *f, uint32_t count, uint8_t *sym, char *err, size_t err_len)
{
	uint32_t i;
	uint8_t b = 0;

	for (i = 0; i < count; i++) {
		if (i % 4 == 0 && read_exact(f, &b, 1) != 0) {
			set_err(err, err_len, "short file: the code of message %u", i);
			return -1;
		}
		sym[i] = (uint8_t)((b >> (2 * (i % 4))) & 3);
	}
	return 0;
}

int mp_golden_read_codes(FILE *f, uint32_t count, uint8_t *nibbles_out, char *err,
			 size_t err_len)
{
	uint8_t top[3], b = 0;
	uint32_t nesc, i, k = 0;

	if (read_exact(f, top, 3) != 0 || read_u32(f, &nesc) != 0) {
		set_err(err, err_len, "short file: no code table");
		return -1;
	}
	if (nesc > count || (top[0] | top[1] | top[2]) > 0x0f) {
		set_err(err, err_len, "bad code table (%u escapes for %u messages)", nesc, count);
		return -1;
	}
	if (read_symbols(f, count, nibbles_out, err, err_len) != 0)
		return -1;
	for (i = 0; i < count; i++) {
		if (nibbles_out[i] != 3) {
			nibbles_out[i] = top[nibbles_out[i]];
			continue;
		}
		if (k == nesc) {
			set_err(err, err_len, "more escaped codes than the %u announced", nesc);
			return -1;
		}
		if (k % 2 == 0 && read_exact(f, &b, 1) != 0) {
			set_err(err, err_len, "short file: escaped code %u", k);
			return -1;
		}
		nibbles_out[i] = (uint8_t)((b >> (4 * (k % 2))) & 0x0f);
		k++;
	}
	if (k != nesc) {
		set_err(err, err_len, "%u escaped codes, %u announced", k, nesc);
		return -1;
	}
	return 0;
}

int mp_golden_code_nibble(int32_t code)
{
	if (code == 0)
		return 0;
	if (code <= -300 && code >= -309)
		return (int)(-code - 299);
	return -1;
}

int32_t mp_golden_nibble_code(unsigned nibble)
{
	if (nibble == 0)
		return 0;
	if (nibble <= 10)
		return -(int32_t)(nibble + 299);
	return MP_GOLDEN_NO_CODE;
}

uint64_t mp_golden_hash(uint64_t h, const void *msg, uint32_t len)
{
	const uint8_t *p = msg;
	uint8_t lb[4];
	uint32_t i;

	store32(lb, len);
	for (i = 0; i < 4; i++)
		h = (h ^ lb[i]) * 0x100000001b3ull;
	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}
