/*
 * fuzz/support/mutator.c: structure-aware mutation of Mach messages.
 *
 * The input is decoded leniently into a model -- header words, the
 * descriptors as raw 12/16-byte records walked by their type byte, inline
 * bytes, and the trailer when msgh_size points inside the input -- then one
 * to three field-level mutations, picked from a table of named functions
 * (k_mutations, like libFuzzer's DefaultMutators), are applied and the
 * model is re-serialised with a consistent descriptor count and msgh_size
 * (unless the mutation is to those very fields). Byte-level changes go to LLVMFuzzerMutate (libFuzzer) or to
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

#include "machports/le.h"
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

/* What a mutation works on: the model, the generator, the byte mutator, and
 * scratch space (`inl_buf` and `tr_buf`, each `scratch_len` bytes) for
 * mutated inline data and trailers. */
typedef struct mutation_ctx {
	model_t *m;
	uint64_t *r;
	mp_byte_mutator_fn bytes;
	uint8_t *inl_buf, *tr_buf;
	size_t scratch_len;
} mutation_ctx_t;

/* A disposition field of msgh_bits. */
static void mutate_bits_disposition(mutation_ctx_t *x)
{
	model_t *m = x->m;
	uint32_t bits = mp_load_le32(m->header + MP_MSGH_BITS_OFFSET);
	uint32_t k = 8 * (rnd(x->r) % 3);
	bits = (bits & ~(0x1fu << k)) | ((PICK(x->r, k_dispositions) & 0x1f) << k);
	mp_store_le32(m->header + MP_MSGH_BITS_OFFSET, bits);
}

/* Other bits: COMPLEX, RAISEIMP, unknown. */
static void mutate_bits_flag(mutation_ctx_t *x)
{
	model_t *m = x->m;
	uint32_t bits = mp_load_le32(m->header + MP_MSGH_BITS_OFFSET);
	bits ^= 1u << (21 + rnd(x->r) % 11);
	mp_store_le32(m->header + MP_MSGH_BITS_OFFSET, bits);
	m->complex = (bits & MP_MSGH_BITS_COMPLEX) != 0;
}

/* A header name: remote, local or voucher. */
static void mutate_header_name(mutation_ctx_t *x)
{
	mp_store_le32(x->m->header + MP_MSGH_REMOTE_OFFSET + 4 * (rnd(x->r) % 3), PICK(x->r, k_names));
}

/* msgh_size, kept as mutated (not rewritten by encode). */
static void mutate_msgh_size(mutation_ctx_t *x)
{
	model_t *m = x->m;
	m->size_raw = 1;
	mp_store_le32(m->header + MP_MSGH_SIZE_OFFSET,
		      mp_load_le32(m->header + MP_MSGH_SIZE_OFFSET) + (uint32_t)(rnd(x->r) % 9) * 4 - 16);
}

/* The descriptor count, kept as mutated. */
static void mutate_desc_count(mutation_ctx_t *x)
{
	model_t *m = x->m;
	m->complex = 1;
	m->count_raw = 1;
	m->count_field = rnd(x->r) % 4 ? m->ndesc + (rnd(x->r) % 3) - 1 : PICK(x->r, k_sizes);
}

/* Insert a new descriptor of any type (or one past the last). */
static void mutate_desc_insert(mutation_ctx_t *x)
{
	model_t *m = x->m;
	uint32_t k;
	if (m->ndesc >= MAX_DESCS)
		return;
	k = rnd(x->r) % (m->ndesc + 1);
	memmove(m->desc[k + 1], m->desc[k], (m->ndesc - k) * MP_WIDE_DESC_SIZE);
	memmove(m->dsize + k + 1, m->dsize + k, m->ndesc - k);
	new_descriptor(x->r, m->desc[k], &m->dsize[k]);
	m->ndesc++;
	m->complex = 1;
}

/* Remove, duplicate or swap descriptors. */
static void mutate_desc_reorder(mutation_ctx_t *x)
{
	model_t *m = x->m;
	uint32_t k;
	if (m->ndesc == 0)
		return;
	k = rnd(x->r) % m->ndesc;
	switch (rnd(x->r) % 3) {
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
		uint32_t j = rnd(x->r) % m->ndesc;
		uint8_t t[MP_WIDE_DESC_SIZE], ts = m->dsize[k];
		memcpy(t, m->desc[k], MP_WIDE_DESC_SIZE);
		memcpy(m->desc[k], m->desc[j], MP_WIDE_DESC_SIZE);
		memcpy(m->desc[j], t, MP_WIDE_DESC_SIZE);
		m->dsize[k] = m->dsize[j];
		m->dsize[j] = ts;
		break;
	}
	}
}

/* A descriptor's type, keeping its size consistent with the type. */
static void mutate_desc_type(mutation_ctx_t *x)
{
	model_t *m = x->m;
	uint32_t k;
	if (m->ndesc == 0)
		return;
	k = rnd(x->r) % m->ndesc;
	m->desc[k][MP_DESC_TYPE_OFFSET] = (uint8_t)(rnd(x->r) % 8 ? rnd(x->r) % 6 : rnd(x->r));
	m->dsize[k] = desc_size(m->desc[k][MP_DESC_TYPE_OFFSET]);
}

/* Disposition, copy, deallocate or flags of a descriptor. */
static void mutate_desc_fields(mutation_ctx_t *x)
{
	uint64_t *r = x->r;
	uint8_t *d;
	if (x->m->ndesc == 0)
		return;
	d = x->m->desc[rnd(r) % x->m->ndesc];
	switch (rnd(r) % 4) {
	case 0: d[DESC_DISPOSITION_OFFSET] = (uint8_t)PICK(r, k_dispositions); break;
	case 1: d[DESC_COPY_OFFSET] = (uint8_t)(rnd(r) % 5); break;
	case 2: d[DESC_DEALLOCATE_OFFSET] = (uint8_t)(rnd(r) % 3 == 0 ? rnd(r) : rnd(r) & 1); break;
	default:
		d[DESC_GUARD_FLAGS_OFFSET] = (uint8_t)(rnd(r) % 5);
		d[DESC_GUARD_FLAGS_OFFSET + 1] = (uint8_t)(rnd(r) % 4 ? 0 : 1);
		break;
	}
}

/* OOL size / OOL-ports count / guarded name, and address or context. */
static void mutate_desc_length(mutation_ctx_t *x)
{
	uint64_t *r = x->r;
	uint8_t *d;
	if (x->m->ndesc == 0)
		return;
	d = x->m->desc[rnd(r) % x->m->ndesc];
	if (d[MP_DESC_TYPE_OFFSET] == MP_MSG_PORT_DESCRIPTOR)
		mp_store_le32(d + DESC_PORT_NAME_OFFSET, PICK(r, k_names));
	else if (rnd(r) % 4)
		mp_store_le32(d + DESC_SIZE_OFFSET, d[MP_DESC_TYPE_OFFSET] == MP_MSG_GUARDED_PORT_DESCRIPTOR
							 ? PICK(r, k_names)
							 : PICK(r, k_sizes));
	else
		memset(d + DESC_ADDRESS_OFFSET, rnd(r) & 1 ? 0 : 0x41, 8); /* address / context */
}

/* The trailer's size (or add a trailer). */
static void mutate_trailer_size(mutation_ctx_t *x)
{
	model_t *m = x->m;
	if (m->trailer_len >= MP_MSG_TRAILER_MINIMUM_SIZE) {
		uint32_t ts = PICK(x->r, k_trailers);
		size_t n = m->trailer_len < x->scratch_len ? m->trailer_len : x->scratch_len;
		memmove(x->tr_buf, m->trailer, n);
		mp_store_le32(x->tr_buf + TRAILER_SIZE_OFFSET, ts);
		m->trailer = x->tr_buf;
		m->trailer_len = ts >= MP_MSG_TRAILER_MINIMUM_SIZE && ts <= n ? ts : n;
	} else if (x->scratch_len >= MP_MAX_TRAILER_SIZE) {
		uint32_t ts = PICK(x->r, k_trailers);
		memset(x->tr_buf, 0, MP_MAX_TRAILER_SIZE);
		mp_store_le32(x->tr_buf + TRAILER_SIZE_OFFSET, ts);
		m->trailer = x->tr_buf;
		m->trailer_len = ts >= MP_MSG_TRAILER_MINIMUM_SIZE && ts <= MP_MAX_TRAILER_SIZE
				     ? ts
				     : MP_MSG_TRAILER_MINIMUM_SIZE;
	}
}

/* Inline bytes, at byte level (the engine's byte mutator). */
static void mutate_inline_bytes(mutation_ctx_t *x)
{
	model_t *m = x->m;
	if (m->inline_len + 64 > x->scratch_len)
		return;
	if (m->inline_len)
		memmove(x->inl_buf, m->inl, m->inline_len);
	m->inline_len = x->bytes(x->inl_buf, m->inline_len, m->inline_len + 64);
	m->inline_len &= ~(size_t)3 | (rnd(x->r) % 8 == 0 ? 3 : 0); /* mostly 4-aligned */
	m->inl = x->inl_buf;
}

/*
 * The field-level mutations, by name (libFuzzer's DefaultMutators idea):
 * mp_fuzz_mutate picks each with equal odds. Then the two that are not
 * field-level, for the statistics: the engine's byte mutator alone, and
 * crossover.
 */
static const struct {
	const char *name;
	void (*fn)(mutation_ctx_t *x);
} k_mutations[MP_FUZZ_FIELD_MUTATIONS] = {
    {"bits_disposition", mutate_bits_disposition},
    {"bits_flag", mutate_bits_flag},
    {"header_name", mutate_header_name},
    {"msgh_size", mutate_msgh_size},
    {"desc_count", mutate_desc_count},
    {"desc_insert", mutate_desc_insert},
    {"desc_reorder", mutate_desc_reorder},
    {"desc_type", mutate_desc_type},
    {"desc_fields", mutate_desc_fields},
    {"desc_length", mutate_desc_length},
    {"trailer_size", mutate_trailer_size},
    {"inline_bytes", mutate_inline_bytes},
};

const char *mp_fuzz_mutation_name(unsigned kind)
{
	if (kind < MP_FUZZ_FIELD_MUTATIONS)
		return k_mutations[kind].name;
	if (kind == MP_FUZZ_BYTES_ONLY)
		return "bytes_only";
	if (kind == MP_FUZZ_CROSSOVER)
		return "crossover";
	if (kind == MP_FUZZ_SPEC_MUTATE)
		return "spec_mutate";
	if (kind == MP_FUZZ_SPEC_GENERATE)
		return "spec_generate";
	return NULL;
}

/* The kinds the last mp_fuzz_mutate / mp_fuzz_crossover call applied. */
static uint32_t g_last_kinds;

uint32_t mp_fuzz_last_mutations(void)
{
	return g_last_kinds;
}

/* One field-level mutation, picked at random; returns its kind. */
static unsigned mutate_field(mutation_ctx_t *x)
{
	unsigned kind = rnd(x->r) % MP_FUZZ_FIELD_MUTATIONS;
	k_mutations[kind].fn(x);
	return kind;
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

/* The buffers a mutation works in, kept across calls (the engines call from
 * one thread): a copy of the input (the model points into it) and scratch. */
static int prepare(const uint8_t *data, size_t size, size_t max_size, model_t *m, uint8_t **scratch,
		   size_t *scratch_len)
{
	static uint8_t *copy, *scratch_buf;
	static size_t copy_cap, scratch_cap;
	*scratch_len = max_size + 128;
	if (reserve(&copy, &copy_cap, size) == NULL ||
	    reserve(&scratch_buf, &scratch_cap, 2 * *scratch_len) == NULL)
		return 0;
	memcpy(copy, data, size);
	decode(m, copy, size);
	*scratch = scratch_buf;
	return 1;
}

static size_t bytes_only(uint8_t *data, size_t size, size_t max_size, mp_byte_mutator_fn bytes)
{
	g_last_kinds = 1u << MP_FUZZ_BYTES_ONLY;
	return bytes(data, size, max_size);
}

/* The spec-aware hook and the target's prefix length (mutator.h). */
static mp_fuzz_spec_hook_fn g_spec_hook;
static size_t g_spec_prefix;

void mp_fuzz_set_spec_hook(mp_fuzz_spec_hook_fn hook, size_t prefix)
{
	g_spec_hook = hook;
	g_spec_prefix = hook != NULL ? prefix : 0;
}

static size_t mutate_message(uint8_t *data, size_t size, size_t max_size, unsigned seed,
			     mp_byte_mutator_fn bytes);

size_t mp_fuzz_mutate(uint8_t *data, size_t size, size_t max_size, unsigned seed,
		      mp_byte_mutator_fn bytes)
{
	unsigned kind = 0;
	size_t n;
	if (g_spec_hook == NULL)
		return mutate_message(data, size, max_size, seed, bytes);
	n = g_spec_hook(data, size, max_size, seed, &kind);
	if (n != 0) {
		g_last_kinds = 1u << kind;
		return n;
	}
	if (size < g_spec_prefix || max_size <= g_spec_prefix)
		return bytes_only(data, size, max_size, bytes);
	/* The field-level mutations on the message after the target's prefix. */
	return g_spec_prefix +
	       mutate_message(data + g_spec_prefix, size - g_spec_prefix, max_size - g_spec_prefix, seed,
			      bytes);
}

static size_t mutate_message(uint8_t *data, size_t size, size_t max_size, unsigned seed,
			     mp_byte_mutator_fn bytes)
{
	model_t m;
	mutation_ctx_t x = { &m, NULL, bytes, NULL, NULL, 0 };
	uint64_t r = 0x9e3779b97f4a7c15ull ^ seed;
	uint32_t kinds = 0;
	uint8_t *scratch;
	size_t out;

	x.r = &r;
	/* One time in eight, or for inputs too short to be messages: bytes only. */
	if (size < MP_MSG_HEADER_SIZE || rnd(&r) % 8 == 0)
		return bytes_only(data, size, max_size, bytes);
	if (!prepare(data, size, max_size, &m, &scratch, &x.scratch_len))
		return bytes_only(data, size, max_size, bytes);
	x.inl_buf = scratch;
	x.tr_buf = scratch + x.scratch_len;
	for (uint32_t n = 1 + rnd(&r) % 3; n > 0; n--)
		kinds |= 1u << mutate_field(&x);
	out = encode(&m, data, max_size);
	if (out == 0)
		return bytes_only(data, size, max_size, bytes);
	g_last_kinds = kinds;
	return out;
}

size_t mp_fuzz_apply_mutation(unsigned kind, uint8_t *data, size_t size, size_t max_size,
			      unsigned seed, mp_byte_mutator_fn bytes)
{
	model_t m;
	mutation_ctx_t x = { &m, NULL, bytes, NULL, NULL, 0 };
	uint64_t r = 0x9e3779b97f4a7c15ull ^ seed;
	uint8_t *scratch;
	size_t out;

	x.r = &r;
	if (kind >= MP_FUZZ_FIELD_MUTATIONS || size < MP_MSG_HEADER_SIZE ||
	    !prepare(data, size, max_size, &m, &scratch, &x.scratch_len))
		return bytes_only(data, size, max_size, bytes);
	x.inl_buf = scratch;
	x.tr_buf = scratch + x.scratch_len;
	k_mutations[kind].fn(&x);
	out = encode(&m, data, max_size);
	if (out == 0)
		return bytes_only(data, size, max_size, bytes);
	g_last_kinds = 1u << kind;
	return out;
}

size_t mp_fuzz_crossover(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2, uint8_t *out,
			 size_t max_out, unsigned seed)
{
	model_t a, b;
	uint64_t r = 0x2545f4914f6cdd1dull ^ seed;
	uint32_t keep;
	size_t n;

	g_last_kinds = 1u << MP_FUZZ_CROSSOVER;
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
