/*
 * lib/spec/gen.c: requests generated from a spec, valid and mutated at the
 * edges of MIG's checks (machports/spec_gen.h).
 *
 * The layout follows migcom: header | [body | descriptors] | [NDR] | inline
 * fields, each field a multiple of 4 bytes (type.c itPadSize); a variable
 * field takes _WALIGN_(count * elem) bytes and moves the later ones down
 * (server.c WriteAdjustRequestMsgPtr). The message is written in received
 * form: msgh_size is its length and a format-0 trailer follows at
 * round_msg(msgh_size), as XNU's copyout leaves it.
 *
 * Every choice comes from mp_spec_gen_below(): the input's bytes first, then
 * splitmix64. Values are stored little-endian byte by byte, so the same seed
 * gives the same bytes on every host.
 */
#include <string.h>

#include "lib/spec/gen_internal.h"
#include "machports/le.h"

/* ------------------------------------------------------------------------
 * Choices
 * ------------------------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t fnv1a64(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void mp_spec_gen_init(mp_spec_gen_t *g, const uint8_t *data, size_t len)
{
	g->data = data;
	g->len = data != NULL ? len : 0;
	g->pos = 0;
	/* Seeded from the whole input: a short input still makes a whole message,
	 * and every byte of it moves the rest of the choices. */
	g->rng = data != NULL ? fnv1a64(data, len) : 0;
}

void mp_spec_gen_init_seed(mp_spec_gen_t *g, uint64_t seed)
{
	g->data = NULL;
	g->len = 0;
	g->pos = 0;
	g->rng = seed;
}

uint32_t mp_spec_gen_below(mp_spec_gen_t *g, uint32_t n)
{
	uint32_t v = 0;
	if (n <= 1)
		return 0;
	if (g->pos < g->len) {
		/* As many input bytes as n needs (1 for n <= 256), little-endian. */
		unsigned shift = 0;
		uint64_t span = 1;
		while (span < n && g->pos < g->len) {
			v |= (uint32_t)g->data[g->pos++] << shift;
			shift += 8;
			span <<= 8;
		}
		return v % n;
	}
	/* Lemire's multiply-shift: the high 32 bits of a 64-bit draw times n. */
	return (uint32_t)(((splitmix64(&g->rng) >> 32) * (uint64_t)n) >> 32);
}

static uint32_t gen_u32(mp_spec_gen_t *g)
{
	return mp_spec_gen_below(g, 0xffffu) | (mp_spec_gen_below(g, 0x10000u) << 16);
}

static void gen_bytes(mp_spec_gen_t *g, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)mp_spec_gen_below(g, 256);
}

/* A printable, non-NUL character. */
static uint8_t gen_char(mp_spec_gen_t *g)
{
	return (uint8_t)(0x21 + mp_spec_gen_below(g, 0x5e));
}

/* ------------------------------------------------------------------------
 * Layout (mirrors migcom server.c WriteCheckMsgSize / WriteAdjustRequestMsgPtr)
 * ------------------------------------------------------------------------ */

#define TRAILER_HEAD 8u
#define NDR_SIZE 8u

const uint32_t mp_spec_gen_trailer_sizes[MP_SPEC_GEN_TRAILER_SIZES] = {8, 12, 20, 52, 60, 68};

static int is_var(const mp_spec_field_t *f)
{
	return f->kind == MP_SPEC_VAR_ARRAY || f->kind == MP_SPEC_VAR_STRING;
}

static int is_string(const mp_spec_field_t *f)
{
	return f->kind == MP_SPEC_STRING || f->kind == MP_SPEC_VAR_STRING;
}

/* The bytes a variable field of `count` elements takes: elem * count, word
 * aligned when the element is not (migcom: _WALIGN_ in WriteCheckMsgSize). */
static uint64_t var_bytes(const mp_spec_field_t *f, uint64_t count)
{
	uint64_t n = (uint64_t)f->elem_size * count;
	return f->elem_size % 4 != 0 ? (n + 3u) & ~(uint64_t)3 : n;
}

static uint32_t desc_size(const mp_spec_desc_t *d)
{
	return d->type == MP_MSG_PORT_DESCRIPTOR ? MP_PORT_DESC_SIZE : MP_WIDE_DESC_SIZE;
}

/* Where everything is in one message. */
typedef struct gen_layout {
	uint32_t desc_off[MP_SPEC_MAX_DESCS];
	uint32_t field_off[MP_SPEC_MAX_FIELDS];
	uint32_t field_bytes[MP_SPEC_MAX_FIELDS];
	uint32_t field_count[MP_SPEC_MAX_FIELDS]; /* as read (variable fields: clamped to max) */
	uint32_t ndr_off;
	uint32_t end; /* the msgh_size the counts imply */
} gen_layout_t;

static uint32_t descs_end(const mp_spec_msg_t *m, gen_layout_t *lay)
{
	uint32_t off = MP_MSG_HEADER_SIZE;
	if (m->complex) {
		off += 4;
		for (unsigned d = 0; d < m->ndesc && d < MP_SPEC_MAX_DESCS; d++) {
			if (lay != NULL)
				lay->desc_off[d] = off;
			off += desc_size(&m->descs[d]);
		}
	}
	return off;
}

/*
 * Lays out `m` with the variable fields' counts taken from `counts` (indexed
 * by the count field), or, when `buf` is not NULL, read from the buffer as
 * MIG reads them (each count before its field), clamped to the field's max.
 */
static void layout(const mp_spec_msg_t *m, const uint32_t *counts, const uint8_t *buf,
		   size_t len, gen_layout_t *lay)
{
	uint32_t off = descs_end(m, lay);
	lay->ndr_off = off;
	if (m->ndr)
		off += NDR_SIZE;
	for (unsigned i = 0; i < m->nfields && i < MP_SPEC_MAX_FIELDS; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		lay->field_off[i] = off;
		lay->field_count[i] = f->max;
		lay->field_bytes[i] = f->wire_size;
		if (is_var(f) && f->count_field < i) {
			uint32_t c = 0;
			if (buf != NULL) {
				uint32_t at = lay->field_off[f->count_field];
				if ((size_t)at + 4 <= len)
					c = mp_load_le32(buf + at);
			} else {
				c = counts[f->count_field];
			}
			if (c > f->max)
				c = f->max;
			lay->field_count[i] = c;
			lay->field_bytes[i] = (uint32_t)var_bytes(f, c);
		}
		off += lay->field_bytes[i];
	}
	lay->end = off;
}

/* ------------------------------------------------------------------------
 * Trailer needs (mirrors migcom utils.c WriteCheckTrailerSize)
 * ------------------------------------------------------------------------ */

/* The kernel's trailer size that holds every element the routine asks for. */
uint32_t mp_spec_gen_trailer_kernel_need(const mp_spec_routine_t *rt)
{
	uint32_t need = TRAILER_HEAD;
	for (unsigned i = 0; rt != NULL && i < rt->ntrailer && i < MP_SPEC_MAX_TRAILER_ELEMS; i++) {
		/* the end of the element in the format-0 trailer */
		uint32_t end = mp_spec_trailer_elem_offset(rt->trailer[i]) +
			       mp_spec_trailer_elem_size(rt->trailer[i]);
		if (end > need)
			need = end;
	}
	return need;
}

/* MIG subtracts each element's size from msgh_trailer_size (which counts the
 * 8-byte head too) and fails when what is left is smaller. */
uint32_t mp_spec_gen_trailer_mig_need(const mp_spec_routine_t *rt)
{
	uint32_t need = 0;
	for (unsigned i = 0; rt != NULL && i < rt->ntrailer && i < MP_SPEC_MAX_TRAILER_ELEMS; i++)
		need += mp_spec_trailer_elem_size(rt->trailer[i]);
	return need;
}

/* Writes a format-0 trailer of `size` bytes (its content as the kernel fills it). */
static void write_trailer(mp_spec_gen_t *g, uint8_t *p, uint32_t size)
{
	mp_store_le32(p, 0);
	mp_store_le32(p + 4, size);
	if (size > TRAILER_HEAD) {
		gen_bytes(g, p + TRAILER_HEAD, size - TRAILER_HEAD);
		if (size >= 68) /* the MAC trailer's ad and labels: 0 on XNU */
			memset(p + 60, 0, 8);
	}
}

static uint32_t choose_trailer_size(mp_spec_gen_t *g, const mp_spec_routine_t *rt)
{
	uint32_t need = mp_spec_gen_trailer_kernel_need(rt), n = 0;
	uint32_t fit[MP_SPEC_GEN_TRAILER_SIZES];
	/* Half the time exactly what the routine asks for (its receive options). */
	if (need > TRAILER_HEAD && mp_spec_gen_below(g, 2) == 0)
		return need;
	for (unsigned i = 0; i < MP_SPEC_GEN_TRAILER_SIZES; i++)
		if (mp_spec_gen_trailer_sizes[i] >= need)
			fit[n++] = mp_spec_gen_trailer_sizes[i];
	return fit[mp_spec_gen_below(g, n)];
}

/* ------------------------------------------------------------------------
 * Valid requests
 * ------------------------------------------------------------------------ */

/* A received disposition from a mask (the check's accepted set). */
static uint32_t choose_disposition(mp_spec_gen_t *g, uint32_t mask)
{
	uint32_t pick[32], n = 0;
	if (mask == MP_SPEC_ANY_DISPOSITION)
		return MP_MSG_TYPE_PORT_RECEIVE + mp_spec_gen_below(g, 3); /* 16, 17, 18 */
	/* Received forms first (16..18): what copyout delivers. */
	for (uint32_t d = MP_MSG_TYPE_PORT_RECEIVE; d <= MP_MSG_TYPE_PORT_SEND_ONCE; d++)
		if (mask & (1u << d))
			pick[n++] = d;
	if (n == 0)
		for (uint32_t d = 0; d < 32; d++)
			if (mask & (1u << d))
				pick[n++] = d;
	return n == 0 ? MP_MSG_TYPE_PORT_SEND : pick[mp_spec_gen_below(g, n)];
}

static mp_port_name_t gen_name(mp_spec_gen_t *g)
{
	/* Names as a task's space hands them out: index << 8 | generation. */
	return ((1u + mp_spec_gen_below(g, 0x400)) << 8) | (3u + 4u * mp_spec_gen_below(g, 4));
}

static uint64_t gen_address(mp_spec_gen_t *g)
{
	return 0x100000000ull + ((uint64_t)mp_spec_gen_below(g, 1u << 20) << 14);
}

/* A count for a variable field or descriptor: max, the low end, or anything between. */
static uint32_t choose_count(mp_spec_gen_t *g, uint32_t max, uint32_t low)
{
	if (max <= low)
		return max;
	switch (mp_spec_gen_below(g, 4)) {
	case 0:
		return max;
	case 1:
		return low;
	default:
		return low + mp_spec_gen_below(g, max - low + 1);
	}
}

/* Counts for every COUNT field, from what the fields and descriptors it counts hold. */
static void choose_counts(mp_spec_gen_t *g, const mp_spec_msg_t *m, uint32_t *counts,
			  uint32_t *desc_counts)
{
	for (unsigned i = 0; i < m->nfields && i < MP_SPEC_MAX_FIELDS; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		counts[i] = f->kind == MP_SPEC_COUNT ? mp_spec_gen_below(g, 4) : f->max;
	}
	for (unsigned i = 0; i < m->nfields && i < MP_SPEC_MAX_FIELDS; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		if (is_var(f) && f->count_field < i)
			/* A c_string[*:N] count includes its NUL (mig_strncpy_zerofill + 1). */
			counts[f->count_field] =
				choose_count(g, f->max, f->kind == MP_SPEC_VAR_STRING ? 1 : 0);
	}
	for (unsigned d = 0; d < m->ndesc && d < MP_SPEC_MAX_DESCS; d++) {
		const mp_spec_desc_t *ds = &m->descs[d];
		uint32_t c;
		if (ds->flags & MP_SPEC_DESC_FIXED)
			c = ds->fixed;
		else
			c = choose_count(g, ds->max != 0 ? ds->max : 64, 0);
		desc_counts[d] = c;
		if (!(ds->flags & MP_SPEC_DESC_FIXED) && ds->count_field < m->nfields &&
		    ds->count_field < MP_SPEC_MAX_FIELDS)
			counts[ds->count_field] = c;
	}
}

static void write_desc(mp_spec_gen_t *g, const mp_spec_desc_t *ds, uint32_t count, uint8_t *p)
{
	uint32_t mult = ds->multiplier != 0 ? ds->multiplier : 1;
	memset(p, 0, desc_size(ds));
	switch (ds->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		mp_store_le32(p, gen_name(g));
		p[10] = (uint8_t)choose_disposition(g, ds->dispositions);
		break;
	case MP_MSG_OOL_DESCRIPTOR: {
		/* Fixed: `fixed` bytes; variable: count elements of `multiplier` bytes. */
		uint32_t size = (ds->flags & MP_SPEC_DESC_FIXED) ? ds->fixed : count * mult;
		mp_store_le64(p, size != 0 ? gen_address(g) : 0);
		p[9] = MP_MSG_VIRTUAL_COPY;
		mp_store_le32(p + 12, size);
		break;
	}
	default: /* OOL ports */
		mp_store_le64(p, count != 0 ? gen_address(g) : 0);
		p[9] = MP_MSG_PHYSICAL_COPY;
		p[10] = (uint8_t)choose_disposition(g, ds->dispositions);
		mp_store_le32(p + 12, count);
		break;
	}
	p[11] = (uint8_t)ds->type;
}

/* A string of `len` characters, its NUL, zeros to `bytes`. */
static void write_string(mp_spec_gen_t *g, uint8_t *p, uint32_t len, uint32_t bytes)
{
	memset(p, 0, bytes);
	for (uint32_t i = 0; i < len && i < bytes; i++)
		p[i] = gen_char(g);
}

static void write_field(mp_spec_gen_t *g, const mp_spec_field_t *f, const gen_layout_t *lay,
			unsigned i, const uint32_t *counts, uint8_t *p)
{
	uint32_t bytes = lay->field_bytes[i], n;
	memset(p, 0, bytes);
	switch (f->kind) {
	case MP_SPEC_COUNT:
		mp_store_le32(p, counts[i]);
		break;
	case MP_SPEC_VAR_ARRAY:
		gen_bytes(g, p, (size_t)f->elem_size * lay->field_count[i]);
		break;
	case MP_SPEC_VAR_STRING: /* count - 1 characters, then the NUL */
		n = lay->field_count[i];
		write_string(g, p, n != 0 ? n - 1 : 0, bytes);
		break;
	case MP_SPEC_STRING:
		write_string(g, p, f->max != 0 ? mp_spec_gen_below(g, f->max) : 0, bytes);
		break;
	case MP_SPEC_STRING_OFFSET: /* "MiG doesn't use it": the user stub writes 0 */
	case MP_SPEC_RETCODE:
		break;
	default: { /* SCALAR: the value, zero padding to the word */
		uint64_t n64 = (uint64_t)f->elem_size * (f->max != 0 ? f->max : 1);
		gen_bytes(g, p, n64 < bytes ? (size_t)n64 : bytes);
		break;
	}
	}
}

/* Received header bits: the reply port as copyout delivers it (remote), the
 * destination (local, a send or send-once right), sometimes a voucher. */
static void write_header(mp_spec_gen_t *g, const mp_spec_routine_t *rt, uint8_t *p,
			 uint32_t size)
{
	uint32_t mask = rt->reply_port_dispositions, remote, local, voucher = 0;
	mp_port_name_t vname = 0;
	if (mask == 0 || mask == MP_SPEC_ANY_DISPOSITION)
		mask = (1u << MP_MSG_TYPE_PORT_SEND_ONCE) |
		       (rt->kind == MP_SPEC_SIMPLEROUTINE ? 1u : 0u);
	mask &= (1u << 0) | (1u << MP_MSG_TYPE_PORT_SEND) | (1u << MP_MSG_TYPE_PORT_SEND_ONCE);
	remote = mask != 0 ? choose_disposition(g, mask) : MP_MSG_TYPE_PORT_SEND_ONCE;
	if ((mask & 1u) != 0 && mp_spec_gen_below(g, 2) == 0)
		remote = 0;
	local = mp_spec_gen_below(g, 4) == 0 ? MP_MSG_TYPE_PORT_SEND_ONCE : MP_MSG_TYPE_PORT_SEND;
	if (mp_spec_gen_below(g, 8) == 0) {
		voucher = MP_MSG_TYPE_MOVE_SEND;
		vname = gen_name(g);
	}
	mp_store_le32(p, MP_MSGH_BITS_SET(remote, local, voucher,
					  rt->request.complex ? MP_MSGH_BITS_COMPLEX : 0));
	mp_store_le32(p + 4, size);
	mp_store_le32(p + 8, remote != 0 ? gen_name(g) : 0);
	mp_store_le32(p + 12, gen_name(g));
	mp_store_le32(p + 16, vname);
	mp_store_le32(p + 20, (uint32_t)rt->id);
}

/* The NDR record a sender on a little-endian host writes (NDR_record). */
static void write_ndr(uint8_t *p)
{
	static const uint8_t ndr[NDR_SIZE] = {0, 0, 0, 0, 1, 0, 0, 0};
	memcpy(p, ndr, sizeof ndr);
}

static size_t gen_valid(mp_spec_gen_t *g, const mp_spec_routine_t *rt, uint8_t *buf,
			size_t cap)
{
	const mp_spec_msg_t *m = &rt->request;
	uint32_t counts[MP_SPEC_MAX_FIELDS] = {0}, desc_counts[MP_SPEC_MAX_DESCS] = {0};
	gen_layout_t lay;
	uint32_t tsize;
	if (m->nfields > MP_SPEC_MAX_FIELDS || m->ndesc > MP_SPEC_MAX_DESCS)
		return 0;
	choose_counts(g, m, counts, desc_counts);
	layout(m, counts, NULL, 0, &lay);
	tsize = choose_trailer_size(g, rt);
	if ((size_t)lay.end + tsize > cap)
		return 0;
	write_header(g, rt, buf, lay.end);
	if (m->complex) {
		mp_store_le32(buf + MP_MSG_HEADER_SIZE, m->ndesc);
		for (unsigned d = 0; d < m->ndesc; d++)
			write_desc(g, &m->descs[d], desc_counts[d], buf + lay.desc_off[d]);
	}
	if (m->ndr)
		write_ndr(buf + lay.ndr_off);
	for (unsigned i = 0; i < m->nfields; i++)
		write_field(g, &m->fields[i], &lay, i, counts, buf + lay.field_off[i]);
	write_trailer(g, buf + mp_spec_round_msg(lay.end), tsize);
	return (size_t)lay.end + tsize;
}

static const mp_spec_routine_t *routine_for_id(const mp_spec_subsystem_t *ss, int32_t id)
{
	int64_t i = (int64_t)id - ss->base;
	if (i < 0 || i >= (int64_t)ss->nroutines)
		return NULL;
	return ss->routines[i];
}

static const mp_spec_routine_t *choose_routine(mp_spec_gen_t *g, const mp_spec_subsystem_t *ss)
{
	uint32_t n = 0, k;
	for (uint32_t i = 0; i < ss->nroutines; i++)
		n += ss->routines[i] != NULL;
	if (n == 0)
		return NULL;
	k = mp_spec_gen_below(g, n);
	for (uint32_t i = 0; i < ss->nroutines; i++)
		if (ss->routines[i] != NULL && k-- == 0)
			return ss->routines[i];
	return NULL;
}

size_t mp_spec_gen_request(mp_spec_gen_t *g, const mp_spec_subsystem_t *ss,
			   const mp_spec_routine_t *rt, mp_spec_gen_mode_t mode, void *buf,
			   size_t cap, const char **mutation)
{
	size_t len;
	unsigned rounds;
	if (mutation != NULL)
		*mutation = "valid";
	if (rt == NULL && ss != NULL)
		rt = choose_routine(g, ss);
	if (rt == NULL || buf == NULL)
		return 0;
	len = gen_valid(g, rt, buf, cap);
	if (len == 0)
		return 0;
	if (mode == MP_SPEC_GEN_ANY)
		mode = mp_spec_gen_below(g, 2) == 0 ? MP_SPEC_GEN_VALID : MP_SPEC_GEN_EDGE;
	if (mode != MP_SPEC_GEN_EDGE)
		return len;
	/* One mutation most of the time; sometimes two or three. */
	rounds = 1 + (mp_spec_gen_below(g, 4) == 0 ? 1 + mp_spec_gen_below(g, 2) : 0);
	for (unsigned r = 0; r < rounds; r++) {
		const char *name = mp_spec_gen_mutate(g, ss, buf, &len, cap);
		if (name != NULL && mutation != NULL)
			*mutation = name;
	}
	return len;
}

/* ------------------------------------------------------------------------
 * Mutations
 * ------------------------------------------------------------------------ */

typedef struct mut {
	mp_spec_gen_t *g;
	const mp_spec_subsystem_t *ss;
	const mp_spec_routine_t *rt; /* NULL: msgh_id names no routine */
	const mp_spec_msg_t *m;
	uint8_t *buf;
	size_t *len;
	size_t cap;
	uint32_t msgh_size;
	uint32_t tsize; /* the trailer's size field */
	int lay_ok;     /* every field of the spec lies inside msgh_size */
	gen_layout_t lay;
} mut_t;

typedef int (*mut_fn)(mut_t *x);

static void set_msgh_size(mut_t *x, uint32_t size)
{
	x->msgh_size = size;
	mp_store_le32(x->buf + 4, size);
}

/*
 * Replaces the `old_n` bytes at `at` (inside the message) by `new_n` zero
 * bytes, moving the rest of the message and the trailer: msgh_size and the
 * length follow. Returns 0 (nothing changed) if it would not fit `cap`.
 */
static int resize(mut_t *x, uint32_t at, uint32_t old_n, uint32_t new_n)
{
	size_t len = *x->len;
	if (new_n > old_n && len + (new_n - old_n) > x->cap)
		return 0;
	if ((size_t)at + old_n > len)
		return 0;
	memmove(x->buf + at + new_n, x->buf + at + old_n, len - at - old_n);
	if (new_n > old_n)
		memset(x->buf + at + old_n, 0, new_n - old_n);
	*x->len = len + new_n - old_n;
	set_msgh_size(x, x->msgh_size + new_n - old_n);
	if (new_n > 0)
		memset(x->buf + at, 0, new_n);
	return 1;
}

/* A random index among those that `ok` accepts, or -1. */
static int pick_field(mut_t *x, int (*ok)(const mut_t *, unsigned))
{
	unsigned cand[MP_SPEC_MAX_FIELDS], n = 0;
	if (!x->lay_ok)
		return -1;
	for (unsigned i = 0; i < x->m->nfields; i++)
		if (ok(x, i))
			cand[n++] = i;
	return n == 0 ? -1 : (int)cand[mp_spec_gen_below(x->g, n)];
}

static int pick_desc(mut_t *x, int (*ok)(const mut_t *, unsigned))
{
	unsigned cand[MP_SPEC_MAX_DESCS], n = 0;
	if (!x->lay_ok || !x->m->complex)
		return -1;
	for (unsigned d = 0; d < x->m->ndesc; d++)
		if (ok(x, d))
			cand[n++] = d;
	return n == 0 ? -1 : (int)cand[mp_spec_gen_below(x->g, n)];
}

static int field_is_var(const mut_t *x, unsigned i)
{
	return is_var(&x->m->fields[i]) && x->m->fields[i].count_field < i;
}

static int field_is_var_array(const mut_t *x, unsigned i)
{
	return field_is_var(x, i) && x->m->fields[i].kind == MP_SPEC_VAR_ARRAY;
}

static int field_is_string(const mut_t *x, unsigned i)
{
	return is_string(&x->m->fields[i]) && x->m->fields[i].max != 0 &&
	       (x->m->fields[i].kind == MP_SPEC_STRING || field_is_var(x, i));
}

static int field_is_var_string(const mut_t *x, unsigned i)
{
	return field_is_string(x, i) && x->m->fields[i].kind == MP_SPEC_VAR_STRING;
}

static uint32_t count_at(const mut_t *x, unsigned field)
{
	return mp_load_le32(x->buf + x->lay.field_off[x->m->fields[field].count_field]);
}

static void set_count(mut_t *x, unsigned field, uint32_t v)
{
	mp_store_le32(x->buf + x->lay.field_off[x->m->fields[field].count_field], v);
}

enum fill { FILL_VALID, FILL_NO_NUL };

/* Gives variable field `i` `count` elements (resizing the message to match):
 * random elements, or a string of count - 1 characters and its NUL, or
 * count characters and no NUL. */
static int set_var_count(mut_t *x, unsigned i, uint32_t count, enum fill fill)
{
	const mp_spec_field_t *f = &x->m->fields[i];
	uint64_t bytes = var_bytes(f, count);
	uint32_t at = x->lay.field_off[i];
	if (bytes > 0x100000u)
		return 0;
	if (!resize(x, at, x->lay.field_bytes[i], (uint32_t)bytes))
		return 0;
	set_count(x, i, count);
	if (f->kind == MP_SPEC_VAR_STRING)
		write_string(x->g, x->buf + at, fill == FILL_NO_NUL ? count : (count ? count - 1 : 0),
			     (uint32_t)bytes);
	else
		gen_bytes(x->g, x->buf + at, (size_t)f->elem_size * count);
	return 1;
}

/* count = max: the largest valid message for the field. */
static int m_count_max(mut_t *x)
{
	int i = pick_field(x, field_is_var);
	if (i < 0 || count_at(x, (unsigned)i) == x->m->fields[i].max)
		return 0;
	return set_var_count(x, (unsigned)i, x->m->fields[i].max, FILL_VALID);
}

/* count = 0 (a c_string[*:N] with count 0 has no NUL of its own). */
static int m_count_zero(mut_t *x)
{
	int i = pick_field(x, field_is_var);
	if (i < 0 || count_at(x, (unsigned)i) == 0)
		return 0;
	return set_var_count(x, (unsigned)i, 0, FILL_VALID);
}

/* count = max + 1 with the bytes to match: `count > max` (WriteCheckMsgSize). */
static int m_count_over_max(mut_t *x)
{
	int i = pick_field(x, field_is_var);
	if (i < 0)
		return 0;
	return set_var_count(x, (unsigned)i, x->m->fields[i].max + 1, FILL_VALID);
}

/* count = max + 1, the message unchanged. */
static int m_count_over_max_same_size(mut_t *x)
{
	int i = pick_field(x, field_is_var);
	if (i < 0)
		return 0;
	set_count(x, (unsigned)i, x->m->fields[i].max + 1);
	return 1;
}

/* A count whose byte size wraps 32 bits: `(size - min) / elem < count`. */
static int m_count_huge(mut_t *x)
{
	static const uint32_t huge[] = {0xffffffffu, 0x80000000u, 0x40000000u, 0x20000000u,
					0x7fffffffu};
	int i = pick_field(x, field_is_var);
	if (i < 0)
		return 0;
	set_count(x, (unsigned)i, huge[mp_spec_gen_below(x->g, 5)]);
	return 1;
}

/* count +- 1 within [0, max], the message unchanged: the size disagrees. */
static int m_count_off_by_one(mut_t *x)
{
	int i = pick_field(x, field_is_var);
	uint32_t c, max;
	if (i < 0)
		return 0;
	c = count_at(x, (unsigned)i);
	max = x->m->fields[i].max;
	if (c > max || max == 0)
		return 0;
	c = (c == 0 || (c < max && mp_spec_gen_below(x->g, 2))) ? c + 1 : c - 1;
	set_count(x, (unsigned)i, c);
	return 1;
}

/* A string with no NUL among its bytes (WriteStringTerminatorCheck). */
static int m_string_no_nul(mut_t *x)
{
	int i = pick_field(x, field_is_string);
	const mp_spec_field_t *f;
	if (i < 0)
		return 0;
	f = &x->m->fields[i];
	if (f->kind == MP_SPEC_VAR_STRING)
		return set_var_count(x, (unsigned)i, f->max, FILL_NO_NUL);
	for (uint32_t k = 0; k < f->max; k++)
		x->buf[x->lay.field_off[i] + k] = gen_char(x->g);
	return 1;
}

/* A string filling its buffer: max - 1 characters and the NUL in the last byte. */
static int m_string_full(mut_t *x)
{
	int i = pick_field(x, field_is_string);
	const mp_spec_field_t *f;
	if (i < 0)
		return 0;
	f = &x->m->fields[i];
	if (f->kind == MP_SPEC_VAR_STRING)
		return set_var_count(x, (unsigned)i, f->max, FILL_VALID);
	write_string(x->g, x->buf + x->lay.field_off[i], f->max - 1, x->lay.field_bytes[i]);
	return 1;
}

/* count characters, no NUL among them, but one in the word padding after:
 * MIG's memchr runs to min(msg end, max) and finds it. */
static int m_string_nul_in_padding(mut_t *x)
{
	int i = pick_field(x, field_is_var_string);
	uint32_t max, c;
	if (i < 0)
		return 0;
	max = x->m->fields[i].max;
	if (max < 2)
		return 0;
	c = 1 + mp_spec_gen_below(x->g, max - 1); /* 1 .. max - 1 */
	if (c % 4 == 0)
		c--;
	if (c == 0 || c % 4 == 0)
		return 0;
	return set_var_count(x, (unsigned)i, c, FILL_NO_NUL);
}

static int desc_checks_disposition(const mut_t *x, unsigned d)
{
	const mp_spec_desc_t *ds = &x->m->descs[d];
	return ds->type != MP_MSG_OOL_DESCRIPTOR && ds->dispositions != MP_SPEC_ANY_DISPOSITION;
}

static int desc_poly(const mut_t *x, unsigned d)
{
	const mp_spec_desc_t *ds = &x->m->descs[d];
	return ds->type != MP_MSG_OOL_DESCRIPTOR && ds->dispositions == MP_SPEC_ANY_DISPOSITION;
}

static int desc_any(const mut_t *x, unsigned d)
{
	(void)x;
	(void)d;
	return 1;
}

/* A disposition the check refuses: mostly another right copyout delivers
 * (16..18: MIG refuses it, the receive parser does not), else any other value. */
static int m_wrong_disposition(mut_t *x)
{
	static const uint32_t others[] = {16, 17, 18, 0, 19, 20, 21, 22};
	uint32_t mask, cand[8], recv[3], n = 0, nr = 0;
	int d = pick_desc(x, desc_checks_disposition);
	if (d < 0)
		return 0;
	mask = x->m->descs[d].dispositions;
	for (unsigned k = 0; k < 8; k++) {
		if (mask & (1u << others[k]))
			continue;
		cand[n++] = others[k];
		if (others[k] >= MP_MSG_TYPE_PORT_RECEIVE && others[k] <= MP_MSG_TYPE_PORT_SEND_ONCE)
			recv[nr++] = others[k];
	}
	if (n == 0)
		return 0;
	x->buf[x->lay.desc_off[d] + 10] =
		(uint8_t)(nr != 0 && mp_spec_gen_below(x->g, 4) != 0 ? recv[mp_spec_gen_below(x->g, nr)]
								     : cand[mp_spec_gen_below(x->g, n)]);
	return 1;
}

/* A polymorphic port's disposition is not checked by MIG: any byte. */
static int m_poly_disposition_any(mut_t *x)
{
	int d = pick_desc(x, desc_poly);
	if (d < 0)
		return 0;
	x->buf[x->lay.desc_off[d] + 10] = (uint8_t)mp_spec_gen_below(x->g, 256);
	return 1;
}

/* Another descriptor type (the bytes stay: a port read as OOL, ...). */
static int m_wrong_desc_type(mut_t *x)
{
	int d = pick_desc(x, desc_any);
	uint8_t *t;
	if (d < 0)
		return 0;
	t = x->buf + x->lay.desc_off[d] + 11;
	*t = (uint8_t)((*t + 1 + mp_spec_gen_below(x->g, mp_spec_gen_below(x->g, 8) ? 4 : 255)) % 256);
	return 1;
}

static int has_body(const mut_t *x)
{
	return MP_MSGH_BITS_IS_COMPLEX(mp_load_le32(x->buf)) && x->msgh_size >= MP_MSG_BASE_SIZE;
}

/* msgh_descriptor_count + 1 / - 1, the descriptors unchanged. */
static int m_desc_count_plus_1(mut_t *x)
{
	if (!has_body(x))
		return 0;
	mp_store_le32(x->buf + 24, mp_load_le32(x->buf + 24) + 1);
	return 1;
}

static int m_desc_count_minus_1(mut_t *x)
{
	uint32_t c;
	if (!has_body(x) || (c = mp_load_le32(x->buf + 24)) == 0)
		return 0;
	mp_store_le32(x->buf + 24, c - 1);
	return 1;
}

/* One more port descriptor after the spec's (count + 1, the rest moves down). */
static int m_desc_append_port(mut_t *x)
{
	uint32_t at;
	uint8_t *p;
	if (!x->lay_ok || !x->m->complex || !has_body(x))
		return 0;
	at = descs_end(x->m, NULL);
	if (!resize(x, at, 0, MP_PORT_DESC_SIZE))
		return 0;
	p = x->buf + at;
	mp_store_le32(p, gen_name(x->g));
	p[10] = MP_MSG_TYPE_PORT_SEND;
	mp_store_le32(x->buf + 24, mp_load_le32(x->buf + 24) + 1);
	return 1;
}

/* The last descriptor removed (count - 1, the rest moves up). */
static int m_desc_drop_last(mut_t *x)
{
	unsigned d;
	if (!x->lay_ok || !x->m->complex || x->m->ndesc == 0 || !has_body(x))
		return 0;
	d = x->m->ndesc - 1u;
	if (!resize(x, x->lay.desc_off[d], desc_size(&x->m->descs[d]), 0))
		return 0;
	mp_store_le32(x->buf + 24, mp_load_le32(x->buf + 24) - 1);
	return 1;
}

/* MACH_MSGH_BITS_COMPLEX flipped (WriteCheckHead). */
static int m_complex_flipped(mut_t *x)
{
	mp_store_le32(x->buf, mp_load_le32(x->buf) ^ MP_MSGH_BITS_COMPLEX);
	return 1;
}

static int desc_var_ool(const mut_t *x, unsigned d)
{
	const mp_spec_desc_t *ds = &x->m->descs[d];
	return ds->type == MP_MSG_OOL_DESCRIPTOR && !(ds->flags & MP_SPEC_DESC_FIXED) &&
	       ds->count_field < x->m->nfields;
}

static int desc_ool(const mut_t *x, unsigned d)
{
	return x->m->descs[d].type == MP_MSG_OOL_DESCRIPTOR;
}

static int desc_ool_ports(const mut_t *x, unsigned d)
{
	return x->m->descs[d].type == MP_MSG_OOL_PORTS_DESCRIPTOR;
}

static int desc_var_counted(const mut_t *x, unsigned d)
{
	const mp_spec_desc_t *ds = &x->m->descs[d];
	return ds->type != MP_MSG_PORT_DESCRIPTOR && !(ds->flags & MP_SPEC_DESC_FIXED) &&
	       ds->count_field < x->m->nfields;
}

static uint32_t mult_of(const mp_spec_desc_t *ds)
{
	if (ds->type == MP_MSG_OOL_PORTS_DESCRIPTOR)
		return 1;
	if (ds->multiplier != 0)
		return ds->multiplier;
	return ds->elem_size != 0 ? ds->elem_size : 1;
}

/* The OOL size one element more or less than the count says (WriteOOLSizeCheck);
 * for a fixed OOL, its size off by one element (WriteTCheckKPD_ool). */
static int m_ool_size_off_by_elem(mut_t *x)
{
	int d = pick_desc(x, desc_ool);
	uint8_t *p;
	uint32_t size, step;
	if (d < 0)
		return 0;
	p = x->buf + x->lay.desc_off[d];
	size = mp_load_le32(p + 12);
	step = mult_of(&x->m->descs[d]);
	if (x->m->descs[d].elem_size > step)
		step = x->m->descs[d].elem_size;
	size = (size >= step && mp_spec_gen_below(x->g, 2)) ? size - step : size + step;
	mp_store_le32(p + 12, size);
	return 1;
}

/* One byte more: `size / mult` still equals the count, MIG accepts it. */
static int m_ool_size_plus_1_byte(mut_t *x)
{
	int d = pick_desc(x, desc_var_ool);
	uint8_t *p;
	if (d < 0 || mult_of(&x->m->descs[d]) < 2)
		return 0;
	p = x->buf + x->lay.desc_off[d];
	mp_store_le32(p + 12, mp_load_le32(p + 12) + 1);
	return 1;
}

/* The inline count of an OOL / OOL ports + 1: it no longer matches the descriptor. */
static int m_ool_count_mismatch(mut_t *x)
{
	int d = pick_desc(x, desc_var_counted);
	uint32_t at;
	if (d < 0)
		return 0;
	at = x->lay.field_off[x->m->descs[d].count_field];
	mp_store_le32(x->buf + at, mp_load_le32(x->buf + at) + 1);
	return 1;
}

static int desc_var_with_max(const mut_t *x, unsigned d)
{
	return desc_var_counted(x, d) && x->m->descs[d].max != 0;
}

/* count = max + 1 in the descriptor and the inline count alike (itOOL_Number). */
static int m_ool_over_max(mut_t *x)
{
	int d = pick_desc(x, desc_var_with_max);
	const mp_spec_desc_t *ds;
	uint8_t *p;
	if (d < 0)
		return 0;
	ds = &x->m->descs[d];
	p = x->buf + x->lay.desc_off[d];
	mp_store_le32(p + 12, (ds->max + 1) * mult_of(ds));
	mp_store_le32(x->buf + x->lay.field_off[ds->count_field], ds->max + 1);
	return 1;
}

/* An OOL ports count +- 1 (a fixed one's `count != N`, a variable one's mismatch). */
static int m_ool_ports_count_off(mut_t *x)
{
	int d = pick_desc(x, desc_ool_ports);
	uint8_t *p;
	uint32_t c;
	if (d < 0)
		return 0;
	p = x->buf + x->lay.desc_off[d];
	c = mp_load_le32(p + 12);
	mp_store_le32(p + 12, (c > 0 && mp_spec_gen_below(x->g, 2)) ? c - 1 : c + 1);
	return 1;
}

/* The inline part 4 bytes shorter / longer than the counts imply. */
static int m_size_truncate_4(mut_t *x)
{
	if (x->msgh_size < MP_MSG_HEADER_SIZE + 4)
		return 0;
	return resize(x, x->msgh_size - 4, 4, 0);
}

static int m_size_extend_4(mut_t *x)
{
	if (!resize(x, x->msgh_size, 0, 4))
		return 0;
	gen_bytes(x->g, x->buf + x->msgh_size - 4, 4);
	return 1;
}

/* Only the header left (the form of a minimal error message). */
static int m_size_header_only(mut_t *x)
{
	if (x->msgh_size <= MP_MSG_HEADER_SIZE)
		return 0;
	return resize(x, MP_MSG_HEADER_SIZE, x->msgh_size - MP_MSG_HEADER_SIZE, 0);
}

static int32_t msg_id(const mut_t *x)
{
	return (int32_t)mp_load_le32(x->buf + 20);
}

static void set_id(mut_t *x, int64_t id)
{
	mp_store_le32(x->buf + 20, (uint32_t)(int32_t)id);
}

/* The id of a neighbour: another routine, a skip or the end of the range. */
static int m_id_neighbour(mut_t *x)
{
	set_id(x, (int64_t)msg_id(x) + (mp_spec_gen_below(x->g, 2) ? 1 : -1));
	return 1;
}

/* The id of a `skip` slot (MIG_BAD_ID from the demux). */
static int m_id_skip(mut_t *x)
{
	uint32_t cand[64], n = 0;
	if (x->ss == NULL)
		return 0;
	for (uint32_t i = 0; i < x->ss->nroutines && n < 64; i++)
		if (x->ss->routines[i] == NULL && x->ss->base + (int32_t)i != msg_id(x))
			cand[n++] = i;
	if (n == 0)
		return 0;
	set_id(x, (int64_t)x->ss->base + cand[mp_spec_gen_below(x->g, n)]);
	return 1;
}

/* An id outside [base, base + n): just below, just past the end, a reply's, anything. */
static int m_id_out_of_range(mut_t *x)
{
	int64_t base = x->ss != NULL ? x->ss->base : 0, n = x->ss != NULL ? x->ss->nroutines : 0;
	int64_t id;
	switch (mp_spec_gen_below(x->g, 4)) {
	case 0:
		id = base - 1;
		break;
	case 1:
		id = base + n;
		break;
	case 2:
		id = (int64_t)msg_id(x) + 100;
		break;
	default:
		id = (int32_t)gen_u32(x->g);
		break;
	}
	if (id >= base && id < base + n)
		id = base + n + 1000;
	if ((int32_t)id == msg_id(x))
		return 0;
	set_id(x, id);
	return 1;
}

static uint8_t *trailer(mut_t *x)
{
	return x->buf + mp_spec_round_msg(x->msgh_size);
}

/* A trailer format other than 0 (WriteCheckTrailerHead). */
static int m_trailer_type(mut_t *x)
{
	mp_store_le32(trailer(x), 1 + mp_spec_gen_below(x->g, mp_spec_gen_below(x->g, 2) ? 4 : 255));
	return 1;
}

/* Gives the trailer `size` bytes (its head stays 8): the buffer's length follows. */
static int set_trailer_size(mut_t *x, uint32_t size)
{
	uint32_t have = x->tsize < TRAILER_HEAD ? TRAILER_HEAD : x->tsize;
	uint32_t want = size < TRAILER_HEAD ? TRAILER_HEAD : size;
	size_t start = mp_spec_round_msg(x->msgh_size);
	if (start + want > x->cap || size == x->tsize)
		return 0;
	if (want > have)
		gen_bytes(x->g, x->buf + start + have, want - have);
	mp_store_le32(x->buf + start + 4, size);
	*x->len = start + want;
	x->tsize = size;
	return 1;
}

/* A trailer smaller than the routine asks for (WriteCheckTrailerSize): a
 * kernel size below its elements, or MIG's sum less 4. */
static int m_trailer_short(mut_t *x)
{
	uint32_t kneed = mp_spec_gen_trailer_kernel_need(x->rt), cand[8], n = 0;
	uint32_t mneed = mp_spec_gen_trailer_mig_need(x->rt);
	if (x->rt == NULL || x->rt->ntrailer == 0)
		return 0;
	for (unsigned i = 0; i < MP_SPEC_GEN_TRAILER_SIZES; i++)
		if (mp_spec_gen_trailer_sizes[i] < kneed)
			cand[n++] = mp_spec_gen_trailer_sizes[i];
	if (mneed >= 4)
		cand[n++] = mneed - 4;
	return set_trailer_size(x, cand[mp_spec_gen_below(x->g, n)]);
}

/* Exactly MIG's sum of the elements (not a size the kernel makes). */
static int m_trailer_mig_exact(mut_t *x)
{
	if (x->rt == NULL || x->rt->ntrailer == 0)
		return 0;
	return set_trailer_size(x, mp_spec_gen_trailer_mig_need(x->rt));
}

/* Another size the kernel makes that holds what the routine asks (valid). */
static int m_trailer_other_size(mut_t *x)
{
	uint32_t need = mp_spec_gen_trailer_kernel_need(x->rt), cand[8], n = 0;
	for (unsigned i = 0; i < MP_SPEC_GEN_TRAILER_SIZES; i++)
		if (mp_spec_gen_trailer_sizes[i] >= need && mp_spec_gen_trailer_sizes[i] != x->tsize)
			cand[n++] = mp_spec_gen_trailer_sizes[i];
	if (n == 0)
		return 0;
	return set_trailer_size(x, cand[mp_spec_gen_below(x->g, n)]);
}

/* The reply port's received disposition outside what the routine accepts
 * (MP_SPEC_STRICT), or one copyout never delivers. */
static int m_reply_disposition(mut_t *x)
{
	static const uint32_t cand[] = {0, 17, 18, 16, 19, 20, 21};
	uint32_t bits = mp_load_le32(x->buf), cur = MP_MSGH_BITS_REMOTE(bits), mask, pick[8], n = 0;
	mask = x->rt != NULL ? x->rt->reply_port_dispositions : 0;
	for (unsigned k = 0; k < 7; k++)
		if (cand[k] != cur && (mask == MP_SPEC_ANY_DISPOSITION || !(mask & (1u << cand[k])) ||
				       k >= 3))
			pick[n++] = cand[k];
	if (n == 0)
		return 0;
	bits = (bits & ~MP_MSGH_BITS_REMOTE_MASK) | pick[mp_spec_gen_below(x->g, n)];
	mp_store_le32(x->buf, bits);
	if (MP_MSGH_BITS_REMOTE(bits) != 0 && mp_load_le32(x->buf + 8) == 0)
		mp_store_le32(x->buf + 8, gen_name(x->g));
	return 1;
}

/* Bits copyout never sets (MIG ignores them; the receive parser refuses). */
static int m_bits_unused(mut_t *x)
{
	static const uint32_t bits[] = {0x00000020u, 0x00002000u, 0x00200000u, 0x40000000u,
					0x01000000u};
	uint32_t b = bits[mp_spec_gen_below(x->g, 5)];
	mp_store_le32(x->buf, mp_load_le32(x->buf) | b);
	return 1;
}

/* The NDR record's bytes: MIG (with __NDR_convert__ off) never reads them. */
static int m_ndr_garbage(mut_t *x)
{
	if (!x->lay_ok || !x->m->ndr)
		return 0;
	gen_bytes(x->g, x->buf + x->lay.ndr_off, NDR_SIZE);
	return 1;
}

static int field_is_kind_offset(const mut_t *x, unsigned i)
{
	return x->m->fields[i].kind == MP_SPEC_STRING_OFFSET;
}

static int field_is_scalar(const mut_t *x, unsigned i)
{
	return x->m->fields[i].kind == MP_SPEC_SCALAR;
}

/* The c_string[*:N] xOffset word: "MiG doesn't use it". */
static int m_string_offset_garbage(mut_t *x)
{
	int i = pick_field(x, field_is_kind_offset);
	if (i < 0)
		return 0;
	mp_store_le32(x->buf + x->lay.field_off[i], gen_u32(x->g));
	return 1;
}

/* A scalar's value (valid: MIG checks none). */
static int m_scalar_value(mut_t *x)
{
	int i = pick_field(x, field_is_scalar);
	if (i < 0)
		return 0;
	gen_bytes(x->g, x->buf + x->lay.field_off[i], x->lay.field_bytes[i]);
	return 1;
}

/* A variable array's elements at their extremes (all 0x00 or all 0xff). */
static int m_array_extreme(mut_t *x)
{
	int i = pick_field(x, field_is_var_array);
	const mp_spec_field_t *f;
	if (i < 0)
		return 0;
	f = &x->m->fields[i];
	memset(x->buf + x->lay.field_off[i], mp_spec_gen_below(x->g, 2) ? 0xff : 0,
	       (size_t)f->elem_size * x->lay.field_count[i]);
	return 1;
}

static const struct {
	const char *name;
	mut_fn fn;
} mutations[] = {
	{"count_max", m_count_max},
	{"count_zero", m_count_zero},
	{"count_over_max", m_count_over_max},
	{"count_over_max_same_size", m_count_over_max_same_size},
	{"count_huge", m_count_huge},
	{"count_off_by_one", m_count_off_by_one},
	{"string_no_nul", m_string_no_nul},
	{"string_full", m_string_full},
	{"string_nul_in_padding", m_string_nul_in_padding},
	{"wrong_disposition", m_wrong_disposition},
	{"poly_disposition_any", m_poly_disposition_any},
	{"wrong_desc_type", m_wrong_desc_type},
	{"desc_count_plus_1", m_desc_count_plus_1},
	{"desc_count_minus_1", m_desc_count_minus_1},
	{"desc_append_port", m_desc_append_port},
	{"desc_drop_last", m_desc_drop_last},
	{"complex_flipped", m_complex_flipped},
	{"ool_size_off_by_elem", m_ool_size_off_by_elem},
	{"ool_size_plus_1_byte", m_ool_size_plus_1_byte},
	{"ool_count_mismatch", m_ool_count_mismatch},
	{"ool_over_max", m_ool_over_max},
	{"ool_ports_count_off", m_ool_ports_count_off},
	{"size_truncate_4", m_size_truncate_4},
	{"size_extend_4", m_size_extend_4},
	{"size_header_only", m_size_header_only},
	{"id_neighbour", m_id_neighbour},
	{"id_skip", m_id_skip},
	{"id_out_of_range", m_id_out_of_range},
	{"trailer_type", m_trailer_type},
	{"trailer_short", m_trailer_short},
	{"trailer_mig_exact", m_trailer_mig_exact},
	{"trailer_other_size", m_trailer_other_size},
	{"reply_disposition", m_reply_disposition},
	{"bits_unused", m_bits_unused},
	{"ndr_garbage", m_ndr_garbage},
	{"string_offset_garbage", m_string_offset_garbage},
	{"scalar_value", m_scalar_value},
	{"array_extreme", m_array_extreme},
};

#define NMUTATIONS (sizeof mutations / sizeof mutations[0])

unsigned mp_spec_gen_mutation_count(void)
{
	return (unsigned)NMUTATIONS;
}

const char *mp_spec_gen_mutation_name(unsigned i)
{
	return i < NMUTATIONS ? mutations[i].name : NULL;
}

int mp_spec_gen_mutation_index(const char *name)
{
	for (unsigned i = 0; name != NULL && i < NMUTATIONS; i++)
		if (strcmp(mutations[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Reads what a mutation needs; 0 if the buffer is not a received buffer
 * (header, msgh_size a multiple of 4 inside it, a trailer head after). */
static int mut_init(mut_t *x, mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, uint8_t *buf,
		    size_t *len, size_t cap)
{
	memset(x, 0, sizeof *x);
	x->g = g;
	x->ss = ss;
	x->buf = buf;
	x->len = len;
	x->cap = cap;
	if (buf == NULL || *len < MP_MSG_HEADER_SIZE + TRAILER_HEAD || *len > cap)
		return 0;
	x->msgh_size = mp_load_le32(buf + 4);
	if (x->msgh_size < MP_MSG_HEADER_SIZE || x->msgh_size % 4 != 0 ||
	    (size_t)x->msgh_size + TRAILER_HEAD > *len)
		return 0;
	x->tsize = mp_load_le32(buf + x->msgh_size + 4);
	x->rt = ss != NULL ? routine_for_id(ss, (int32_t)mp_load_le32(buf + 20)) : NULL;
	if (x->rt != NULL && x->rt->request.nfields <= MP_SPEC_MAX_FIELDS &&
	    x->rt->request.ndesc <= MP_SPEC_MAX_DESCS) {
		x->m = &x->rt->request;
		layout(x->m, NULL, buf, x->msgh_size, &x->lay);
		x->lay_ok = x->lay.end <= x->msgh_size;
	}
	return 1;
}

int mp_spec_gen_apply(unsigned i, mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, void *buf,
		      size_t *len, size_t cap)
{
	mut_t x;
	uint64_t before;
	size_t len0;
	if (i >= NMUTATIONS || !mut_init(&x, g, ss, buf, len, cap))
		return 0;
	len0 = *len;
	before = fnv1a64(buf, len0);
	if (!mutations[i].fn(&x))
		return 0;
	/* A mutation that wrote what was there already did not apply. */
	return *len != len0 || fnv1a64(buf, *len) != before;
}

const char *mp_spec_gen_mutate(mp_spec_gen_t *g, const mp_spec_subsystem_t *ss, void *buf,
			       size_t *len, size_t cap)
{
	/* From a random start, the first mutation that applies. */
	unsigned start = mp_spec_gen_below(g, (uint32_t)NMUTATIONS);
	if (len == NULL)
		return NULL;
	for (unsigned k = 0; k < NMUTATIONS; k++) {
		unsigned i = (start + k) % NMUTATIONS;
		if (mp_spec_gen_apply(i, g, ss, buf, len, cap))
			return mutations[i].name;
	}
	return NULL;
}
