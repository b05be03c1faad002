/*
 * machports/le.h: the one set of little-endian loads and stores.
 *
 * XNU's user message ABI is little-endian on every machine it runs on, and
 * its fields are only 4-byte aligned (xnu-abi.md §2.2), so every layer that
 * reads or writes message bytes, machportd's packets or the kernel's
 * trailers goes through these: memcpy compiles to one unaligned access, and
 * a big-endian host swaps. They do not check bounds: a caller reads only
 * what it has bounds-checked (lib/msg/cursor.h for untrusted bytes).
 */
#ifndef MACHPORTS_LE_H
#define MACHPORTS_LE_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define MP_LE_SWAP16(v) __builtin_bswap16(v)
#define MP_LE_SWAP32(v) __builtin_bswap32(v)
#define MP_LE_SWAP64(v) __builtin_bswap64(v)
#else
#define MP_LE_SWAP16(v) (v)
#define MP_LE_SWAP32(v) (v)
#define MP_LE_SWAP64(v) (v)
#endif

static inline uint16_t mp_load_le16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof v);
	return MP_LE_SWAP16(v);
}

static inline uint32_t mp_load_le32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return MP_LE_SWAP32(v);
}

static inline uint64_t mp_load_le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return MP_LE_SWAP64(v);
}

static inline void mp_store_le16(uint8_t *p, uint16_t v)
{
	v = MP_LE_SWAP16(v);
	memcpy(p, &v, sizeof v);
}

static inline void mp_store_le32(uint8_t *p, uint32_t v)
{
	v = MP_LE_SWAP32(v);
	memcpy(p, &v, sizeof v);
}

static inline void mp_store_le64(uint8_t *p, uint64_t v)
{
	v = MP_LE_SWAP64(v);
	memcpy(p, &v, sizeof v);
}

#endif /* MACHPORTS_LE_H */
