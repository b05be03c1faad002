/*
 * fuzz/support/mutator.c: structure-aware mutation of Mach messages.
 *
 * The input is decoded leniently into a model -- header words, the
 * descriptors as raw 12/16-byte records walked by their type byte, inline
 * bytes, and the trailer when msgh_size points inside the input -- then one
 * field-level mutation is applied and the model is re-serialised with a
 * consistent descriptor count and msgh_size (unless the mutation is to those
 * very fields). Byte-level changes go to LLVMFuzzerMutate (libFuzzer) or to
 * a small byte mutator of our own (AFL++, where it is absent). The PNG-chunk
 * pattern of google/fuzzing's structure-aware-fuzzing guide.
 *
 * Used by LLVMFuzzerCustomMutator / LLVMFuzzerCustomCrossOver in
 * fuzz/support/custom_mutator.c and, as afl_custom_fuzz, by
 * fuzz/support/afl_mutator.c.
 */
#include "fuzz/support/mutator.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/wire/le.h"
#include "machports/wire.h"

#define MAX_DESCS 128

/* Descriptor fields, by their place in wire.h's layouts (xnu-abi.md §2.3). */
#define DESC_ADDRESS_OFFSET offsetof(mp_msg_ool_descriptor_t, address)       /* 0; context too */
#define DESC_PORT_NAME_OFFSET offsetof(mp_msg_port_descriptor_t, name)       /* 0 */
#define DESC_DEALLOCATE_OFFSET offsetof(mp_msg_ool_descriptor_t, deallocate) /* 8; guard flags */
#define DESC_COPY_OFFSET offsetof(mp_msg_ool_descriptor_t, copy)             /* 9 */
#define DESC_DISPOSITION_OFFSET offsetof(mp_msg_port_descriptor_t, disposition) /* 10 */
#define DESC_SIZE_OFFSET offsetof(mp_msg_ool_descriptor_t, size) /* 12; OOL-ports count, guarded name */
#define DESC_GUARD_FLAGS_OFFSET offsetof(mp_msg_guarded_port_descriptor_t, flags)
#define DESC_GUARDED_NAME_OFFSET offsetof(mp_msg_guarded_port_descriptor_t, name)
#define TRAILER_SIZE_OFFSET offsetof(mp_msg_trailer_t, msgh_trailer_size)

/* The size a descriptor's type byte gives it (§2.2): lenient, any byte. */
static uint8_t desc_size(uint8_t type)
{
	return type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
}

typedef struct model {
	uint8_t header[MP_MSG_HEADER_SIZE];
	int complex;
	uint32_t count_field; /* written as-is when count_raw */
	int count_raw;
	uint32_t ndesc;
	uint8_t desc[MAX_DESCS][MP_WIDE_DESC_SIZE];
	uint8_t dsize[MAX_DESCS];
	const uint8_t *inl;
	size_t inline_len;
	const uint8_t *trailer;
	size_t trailer_len; /* 0: a send-mode message (no trailer) */
	int size_raw;       /* keep the header's msgh_size as mutated */
} model_t;

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

/* Lenient decode: never fails; whatever does not fit goes to inline data. */
static void decode(model_t *m, const uint8_t *data, size_t size)
{
	size_t off = MP_MSG_HEADER_SIZE, end = size;
	uint32_t msgh_size;

	memset(m, 0, sizeof *m);
	memcpy(m->header, data, size < MP_MSG_HEADER_SIZE ? size : MP_MSG_HEADER_SIZE);
	msgh_size = mp_load_le32(m->header + MP_MSGH_SIZE_OFFSET);
	/* A received buffer: the trailer starts at msgh_size with format 0. */
	if (msgh_size >= MP_MSG_HEADER_SIZE && (size_t)msgh_size + MP_MSG_TRAILER_MINIMUM_SIZE <= size &&
	    mp_load_le32(data + msgh_size) == MP_MSG_TRAILER_FORMAT_0) {
		end = msgh_size;
		m->trailer = data + msgh_size;
		m->trailer_len = size - msgh_size;
	}
	m->complex = (mp_load_le32(m->header + MP_MSGH_BITS_OFFSET) & MP_MSGH_BITS_COMPLEX) != 0;
	if (m->complex && end >= MP_MSG_BASE_SIZE) {
		uint32_t count = mp_load_le32(data + MP_MSG_DESC_COUNT_OFFSET);
		off = MP_MSG_BASE_SIZE;
		/* not mp_desc_next: any type byte is kept, so mutants of unknown types survive */
		while (m->ndesc < count && m->ndesc < MAX_DESCS && end - off >= MP_USER_DESC_SIZE_MIN) {
			size_t ds = desc_size(data[off + MP_DESC_TYPE_OFFSET]);
			if (end - off < ds)
				break;
			memcpy(m->desc[m->ndesc], data + off, ds);
			m->dsize[m->ndesc++] = (uint8_t)ds;
			off += ds;
		}
	}
	if (size > off) {
		m->inl = data + off;
		m->inline_len = (end > off ? end : off) - off;
	}
}

static size_t encode(const model_t *m, uint8_t *out, size_t max)
{
	size_t len = MP_MSG_HEADER_SIZE, msg_len;
	uint8_t hdr[MP_MSG_HEADER_SIZE];
	memcpy(hdr, m->header, MP_MSG_HEADER_SIZE);
	if (m->complex)
		len = MP_MSG_BASE_SIZE;
	for (uint32_t i = 0; i < m->ndesc; i++)
		len += m->dsize[i];
	msg_len = len + m->inline_len;
	if (msg_len + m->trailer_len > max)
		return 0;
	if (!m->size_raw)
		mp_store_le32(hdr + MP_MSGH_SIZE_OFFSET, (uint32_t)msg_len);
	if (m->complex)
		mp_store_le32(hdr + MP_MSGH_BITS_OFFSET,
			      mp_load_le32(hdr + MP_MSGH_BITS_OFFSET) | MP_MSGH_BITS_COMPLEX);
	memcpy(out, hdr, MP_MSG_HEADER_SIZE);
	len = MP_MSG_HEADER_SIZE;
	if (m->complex) {
		mp_store_le32(out + MP_MSG_DESC_COUNT_OFFSET, m->count_raw ? m->count_field : m->ndesc);
		len = MP_MSG_BASE_SIZE;
	}
	for (uint32_t i = 0; i < m->ndesc; i++) {
		memcpy(out + len, m->desc[i], m->dsize[i]);
		len += m->dsize[i];
	}
	if (m->inline_len)
		memcpy(out + len, m->inl, m->inline_len);
	len += m->inline_len;
	if (m->trailer_len)
		memcpy(out + len, m->trailer, m->trailer_len);
	return len + m->trailer_len;
}

/* Values at the edges of the rules. */
static const uint32_t k_dispositions[] = {0, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 31};
static const uint32_t k_names[] = {0, 0xffffffffu, 0x103, 0x207, 0x30b, 0x100, 0x1ff};
static const uint32_t k_sizes[] = {0,
				   1,
				   MP_OOL_SIZE_SMALL,
				   MP_OOL_SIZE_SMALL + 1,
				   MP_MAX_VM_SPACE,
				   MP_MAX_VM_SPACE + 1,
				   MP_MAX_PORTS_PER_MSG,
				   MP_MAX_PORTS_PER_MSG + 1,
				   0x7fffffffu,
				   0xffffffffu};
static const uint32_t k_trailers[] = {8, 12, 20, 52, 60, 68, 0, 16, 72};
#define PICK(r, a) ((a)[rnd(r) % (sizeof(a) / sizeof((a)[0]))])

static void new_descriptor(uint64_t *r, uint8_t d[MP_WIDE_DESC_SIZE], uint8_t *size)
{
	uint8_t type = (uint8_t)(rnd(r) % 6); /* 5: one past the last valid type */
	memset(d, 0, MP_WIDE_DESC_SIZE);
	d[MP_DESC_TYPE_OFFSET] = type;
	*size = desc_size(type);
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR:
		mp_store_le32(d + DESC_PORT_NAME_OFFSET, PICK(r, k_names));
		d[DESC_DISPOSITION_OFFSET] = (uint8_t)PICK(r, k_dispositions);
		break;
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		mp_store_le32(d + DESC_GUARDED_NAME_OFFSET, PICK(r, k_names));
		d[DESC_GUARD_FLAGS_OFFSET] = (uint8_t)(1 + rnd(r) % 3);
		d[DESC_DISPOSITION_OFFSET] = MP_MSG_TYPE_MOVE_RECEIVE;
		break;
	default:
		mp_store_le32(d + DESC_ADDRESS_OFFSET, rnd(r));
		d[DESC_DEALLOCATE_OFFSET] = (uint8_t)(rnd(r) & 1);
		d[DESC_COPY_OFFSET] = (uint8_t)(rnd(r) % 3);
		d[DESC_DISPOSITION_OFFSET] =
		    type == MP_MSG_OOL_PORTS_DESCRIPTOR ? (uint8_t)PICK(r, k_dispositions) : 0;
		mp_store_le32(d + DESC_SIZE_OFFSET, PICK(r, k_sizes) % 4096);
		break;
	}
}

/* One field-level mutation of the model. */
/* `inl_buf` and `tr_buf` (each `scratch_len` bytes) hold mutated inline data and trailers. */
static void mutate_field(model_t *m, uint64_t *r, mp_byte_mutator_fn bytes, uint8_t *inl_buf,
			 uint8_t *tr_buf, size_t scratch_len)
{
	uint32_t bits = mp_load_le32(m->header + MP_MSGH_BITS_OFFSET), k;
	uint8_t *d;
	switch (rnd(r) % 12) {
	case 0: /* a disposition field of msgh_bits */
		k = 8 * (rnd(r) % 3);
		bits = (bits & ~(0x1fu << k)) | ((PICK(r, k_dispositions) & 0x1f) << k);
		mp_store_le32(m->header + MP_MSGH_BITS_OFFSET, bits);
		break;
	case 1: /* other bits: COMPLEX, RAISEIMP, unknown */
		bits ^= 1u << (21 + rnd(r) % 11);
		mp_store_le32(m->header + MP_MSGH_BITS_OFFSET, bits);
		m->complex = (bits & MP_MSGH_BITS_COMPLEX) != 0;
		break;
	case 2: /* a header name */
		mp_store_le32(m->header + MP_MSGH_REMOTE_OFFSET + 4 * (rnd(r) % 3), PICK(r, k_names));
		break;
	case 3: /* msgh_size */
		m->size_raw = 1;
		mp_store_le32(m->header + MP_MSGH_SIZE_OFFSET,
			      mp_load_le32(m->header + MP_MSGH_SIZE_OFFSET) + (uint32_t)(rnd(r) % 9) * 4 - 16);
		break;
	case 4: /* the descriptor count */
		m->complex = 1;
		m->count_raw = 1;
		m->count_field = rnd(r) % 4 ? m->ndesc + (rnd(r) % 3) - 1 : PICK(r, k_sizes);
		break;
	case 5: /* insert a descriptor */
		if (m->ndesc < MAX_DESCS) {
			k = rnd(r) % (m->ndesc + 1);
			memmove(m->desc[k + 1], m->desc[k], (m->ndesc - k) * MP_WIDE_DESC_SIZE);
			memmove(m->dsize + k + 1, m->dsize + k, m->ndesc - k);
			new_descriptor(r, m->desc[k], &m->dsize[k]);
			m->ndesc++;
			m->complex = 1;
		}
		break;
	case 6: /* remove, duplicate or swap descriptors */
		if (m->ndesc == 0)
			break;
		k = rnd(r) % m->ndesc;
		switch (rnd(r) % 3) {
		case 0:
			memmove(m->desc[k], m->desc[k + 1], (m->ndesc - k - 1) * MP_WIDE_DESC_SIZE);
			memmove(m->dsize + k, m->dsize + k + 1, m->ndesc - k - 1);
			m->ndesc--;
			break;
		case 1:
			if (m->ndesc < MAX_DESCS) {
				memcpy(m->desc[m->ndesc], m->desc[k], MP_WIDE_DESC_SIZE);
				m->dsize[m->ndesc++] = m->dsize[k];
			}
			break;
		default: {
			uint32_t j = rnd(r) % m->ndesc;
			uint8_t t[MP_WIDE_DESC_SIZE], ts = m->dsize[k];
			memcpy(t, m->desc[k], MP_WIDE_DESC_SIZE);
			memcpy(m->desc[k], m->desc[j], MP_WIDE_DESC_SIZE);
			memcpy(m->desc[j], t, MP_WIDE_DESC_SIZE);
			m->dsize[k] = m->dsize[j];
			m->dsize[j] = ts;
			break;
		}
		}
		break;
	case 7: /* a descriptor's type, keeping its size consistent with the type */
		if (m->ndesc == 0)
			break;
		k = rnd(r) % m->ndesc;
		m->desc[k][MP_DESC_TYPE_OFFSET] = (uint8_t)(rnd(r) % 8 ? rnd(r) % 6 : rnd(r));
		m->dsize[k] = desc_size(m->desc[k][MP_DESC_TYPE_OFFSET]);
		break;
	case 8: /* disposition, copy, deallocate or flags of a descriptor */
		if (m->ndesc == 0)
			break;
		d = m->desc[rnd(r) % m->ndesc];
		switch (rnd(r) % 4) {
		case 0: d[DESC_DISPOSITION_OFFSET] = (uint8_t)PICK(r, k_dispositions); break;
		case 1: d[DESC_COPY_OFFSET] = (uint8_t)(rnd(r) % 5); break;
		case 2: d[DESC_DEALLOCATE_OFFSET] = (uint8_t)(rnd(r) % 3 == 0 ? rnd(r) : rnd(r) & 1); break;
		default:
			d[DESC_GUARD_FLAGS_OFFSET] = (uint8_t)(rnd(r) % 5);
			d[DESC_GUARD_FLAGS_OFFSET + 1] = (uint8_t)(rnd(r) % 4 ? 0 : 1);
			break;
		}
		break;
	case 9: /* OOL size / OOL-ports count / guarded name, and address or context */
		if (m->ndesc == 0)
			break;
		d = m->desc[rnd(r) % m->ndesc];
		if (d[MP_DESC_TYPE_OFFSET] == MP_MSG_PORT_DESCRIPTOR)
			mp_store_le32(d + DESC_PORT_NAME_OFFSET, PICK(r, k_names));
		else if (rnd(r) % 4)
			mp_store_le32(d + DESC_SIZE_OFFSET, d[MP_DESC_TYPE_OFFSET] == MP_MSG_GUARDED_PORT_DESCRIPTOR
								 ? PICK(r, k_names)
								 : PICK(r, k_sizes));
		else
			memset(d + DESC_ADDRESS_OFFSET, rnd(r) & 1 ? 0 : 0x41, 8); /* address / context */
		break;
	case 10: /* the trailer's size (or add / drop a trailer) */
		if (m->trailer_len >= MP_MSG_TRAILER_MINIMUM_SIZE) {
			uint32_t ts = PICK(r, k_trailers);
			size_t n = m->trailer_len < scratch_len ? m->trailer_len : scratch_len;
			memmove(tr_buf, m->trailer, n);
			mp_store_le32(tr_buf + TRAILER_SIZE_OFFSET, ts);
			m->trailer = tr_buf;
			m->trailer_len = ts >= MP_MSG_TRAILER_MINIMUM_SIZE && ts <= n ? ts : n;
		} else if (scratch_len >= MP_MAX_TRAILER_SIZE) {
			uint32_t ts = PICK(r, k_trailers);
			memset(tr_buf, 0, MP_MAX_TRAILER_SIZE);
			mp_store_le32(tr_buf + TRAILER_SIZE_OFFSET, ts);
			m->trailer = tr_buf;
			m->trailer_len = ts >= MP_MSG_TRAILER_MINIMUM_SIZE && ts <= MP_MAX_TRAILER_SIZE
					     ? ts
					     : MP_MSG_TRAILER_MINIMUM_SIZE;
		}
		break;
	default: /* inline bytes, at byte level */
		if (m->inline_len + 64 <= scratch_len) {
			if (m->inline_len)
				memmove(inl_buf, m->inl, m->inline_len);
			m->inline_len = bytes(inl_buf, m->inline_len, m->inline_len + 64);
			m->inline_len &= ~(size_t)3 | (rnd(r) % 8 == 0 ? 3 : 0); /* mostly 4-aligned */
			m->inl = inl_buf;
		}
		break;
	}
}

/* Grows *buf to at least n bytes; kept across calls (the engines call from one thread). */
static uint8_t *reserve(uint8_t **buf, size_t *cap, size_t n)
{
	if (*cap < n) {
		uint8_t *nb = realloc(*buf, n);
		if (nb == NULL)
			return NULL;
		*buf = nb;
		*cap = n;
	}
	return *buf;
}

size_t mp_fuzz_mutate(uint8_t *data, size_t size, size_t max_size, unsigned seed,
		      mp_byte_mutator_fn bytes)
{
	static uint8_t *copy, *scratch;
	static size_t copy_cap, scratch_cap;
	model_t m;
	uint64_t r = 0x9e3779b97f4a7c15ull ^ seed;
	size_t out, scratch_len = max_size + 128;

	/* One time in eight, or for inputs too short to be messages: bytes only. */
	if (size < MP_MSG_HEADER_SIZE || rnd(&r) % 8 == 0)
		return bytes(data, size, max_size);
	if (reserve(&copy, &copy_cap, size) == NULL || reserve(&scratch, &scratch_cap, 2 * scratch_len) == NULL)
		return bytes(data, size, max_size);
	memcpy(copy, data, size);
	decode(&m, copy, size);
	for (uint32_t n = 1 + rnd(&r) % 3; n > 0; n--)
		mutate_field(&m, &r, bytes, scratch, scratch + scratch_len, scratch_len);
	out = encode(&m, data, max_size);
	return out != 0 ? out : bytes(data, size, max_size);
}

size_t mp_fuzz_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
			 size_t max_out, unsigned seed)
{
	model_t a, b;
	uint64_t r = 0x2545f4914f6cdd1dull ^ seed;
	uint32_t keep;
	size_t n;

	if (s1 < MP_MSG_HEADER_SIZE || s2 < MP_MSG_HEADER_SIZE) {
		n = s1 < max_out ? s1 : max_out;
		memcpy(out, d1, n);
		return n;
	}
	decode(&a, d1, s1);
	decode(&b, d2, s2);
	/* a's header and first descriptors, then b's remaining descriptors; inline from either. */
	keep = a.ndesc ? rnd(&r) % (a.ndesc + 1) : 0;
	a.ndesc = keep;
	for (uint32_t i = b.ndesc ? rnd(&r) % b.ndesc : 0; i < b.ndesc && a.ndesc < MAX_DESCS; i++) {
		memcpy(a.desc[a.ndesc], b.desc[i], MP_WIDE_DESC_SIZE);
		a.dsize[a.ndesc++] = b.dsize[i];
	}
	if (a.ndesc)
		a.complex = 1;
	if (rnd(&r) & 1) {
		a.inl = b.inl;
		a.inline_len = b.inline_len;
	}
	if (rnd(&r) & 1) {
		a.trailer = b.trailer;
		a.trailer_len = b.trailer_len;
	}
	n = encode(&a, out, max_out);
	if (n == 0) {
		n = s1 < max_out ? s1 : max_out;
		memcpy(out, d1, n);
	}
	return n;
}
