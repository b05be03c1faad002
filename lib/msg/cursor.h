/*
 * lib/msg/cursor.h (private): the one way the parser reads untrusted bytes.
 *
 * An mp_cur is a window [start, end) over a byte buffer with a read position
 * `pos`; every position is an absolute offset from `base`, so the parser can
 * report the offset of a fault directly. Every read is bounds-checked with
 * subtraction (never `pos + n`, which could wrap), fails without moving the
 * cursor, and loads little-endian values through machports/le.h (the XNU user
 * ABI is little-endian and fields are only 4-byte aligned, §2.2).
 * The CBS idea from BoringSSL, with s2n's "unchanged on failure" discipline.
 */
#ifndef MP_MSG_CURSOR_H
#define MP_MSG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "machports/le.h"

typedef struct mp_cur {
	const uint8_t *base;
	size_t start; /* first offset of the window */
	size_t pos;   /* next offset to read; start <= pos <= end */
	size_t end;   /* one past the last offset of the window */
} mp_cur_t;

static inline void mp_cur_init(mp_cur_t *c, const uint8_t *base, size_t len)
{
	c->base = base;
	c->start = 0;
	c->pos = 0;
	c->end = len;
}

/* Bytes left between the read position and the end of the window. */
static inline size_t mp_cur_left(const mp_cur_t *c)
{
	return c->end - c->pos;
}

static inline size_t mp_cur_pos(const mp_cur_t *c)
{
	return c->pos;
}

/* Moves the read position to absolute offset `off`, which must lie inside the window. */
static inline bool mp_cur_seek(mp_cur_t *c, size_t off)
{
	if (off < c->start || off > c->end)
		return false;
	c->pos = off;
	return true;
}

static inline bool mp_cur_skip(mp_cur_t *c, size_t n)
{
	if (mp_cur_left(c) < n)
		return false;
	c->pos += n;
	return true;
}

/* Takes the next `n` bytes as a sub-window; the sub-cursor starts at its beginning. */
static inline bool mp_cur_take_sub(mp_cur_t *c, size_t n, mp_cur_t *sub)
{
	if (mp_cur_left(c) < n)
		return false;
	sub->base = c->base;
	sub->start = c->pos;
	sub->pos = c->pos;
	sub->end = c->pos + n;
	c->pos += n;
	return true;
}

/* Reads a little-endian value at `rel` bytes past the read position, without moving. */
static inline bool mp_cur_peek_u8(const mp_cur_t *c, size_t rel, uint8_t *out)
{
	if (mp_cur_left(c) < 1 || mp_cur_left(c) - 1 < rel)
		return false;
	*out = c->base[c->pos + rel];
	return true;
}

static inline bool mp_cur_peek_u32(const mp_cur_t *c, size_t rel, uint32_t *out)
{
	if (mp_cur_left(c) < 4 || mp_cur_left(c) - 4 < rel)
		return false;
	*out = mp_load_le32(c->base + c->pos + rel);
	return true;
}

static inline bool mp_cur_peek_u64(const mp_cur_t *c, size_t rel, uint64_t *out)
{
	if (mp_cur_left(c) < 8 || mp_cur_left(c) - 8 < rel)
		return false;
	*out = mp_load_le64(c->base + c->pos + rel);
	return true;
}

#endif /* MP_MSG_CURSOR_H */
