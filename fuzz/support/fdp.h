/*
 * fuzz/support/fdp.h: a C FuzzedDataProvider, as libFuzzer's C++ one:
 * integers and choices are taken from the END of the input, byte strings
 * from the FRONT, so lengths and choices mutate independently of payloads.
 * Out of data, every call returns zeros / empty; nothing fails.
 */
#ifndef MP_FUZZ_FDP_H
#define MP_FUZZ_FDP_H

#include <stddef.h>
#include <stdint.h>

typedef struct fdp {
	const uint8_t *data;
	size_t size;
} fdp_t;

static inline void fdp_init(fdp_t *f, const uint8_t *data, size_t size)
{
	f->data = data;
	f->size = size;
}

static inline size_t fdp_remaining(const fdp_t *f)
{
	return f->size;
}

/* n bytes (n <= 8) from the end, as a little-endian integer. */
static inline uint64_t fdp_uint(fdp_t *f, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n && f->size > 0; i++) {
		v = (v << 8) | f->data[f->size - 1];
		f->size--;
	}
	return v;
}

static inline uint8_t fdp_u8(fdp_t *f) { return (uint8_t)fdp_uint(f, 1); }
static inline uint16_t fdp_u16(fdp_t *f) { return (uint16_t)fdp_uint(f, 2); }
static inline uint32_t fdp_u32(fdp_t *f) { return (uint32_t)fdp_uint(f, 4); }
static inline uint64_t fdp_u64(fdp_t *f) { return fdp_uint(f, 8); }
static inline int fdp_bool(fdp_t *f) { return fdp_u8(f) & 1; }

/* A value in [lo, hi], using only as many bytes as the range needs. */
static inline uint64_t fdp_range(fdp_t *f, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo, v = 0;
	unsigned n = 0;
	if (hi <= lo)
		return lo;
	while (n < 8 && (span >> (8 * n)) != 0)
		n++;
	v = fdp_uint(f, n);
	return span == UINT64_MAX ? v : lo + v % (span + 1);
}

/* Up to n bytes from the front; *got is how many there were. */
static inline const uint8_t *fdp_bytes(fdp_t *f, size_t n, size_t *got)
{
	const uint8_t *p = f->data;
	if (n > f->size)
		n = f->size;
	f->data += n;
	f->size -= n;
	*got = n;
	return p;
}

#endif /* MP_FUZZ_FDP_H */
