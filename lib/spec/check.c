/*
 * lib/spec/check.c: mp_spec_check_request, MIG's server-side checks run from
 * a spec table, in migcom's order with migcom's codes (bootstrap_cmds
 * migcom.tproj server.c, utils.c). One pass, no allocation; the reason of a
 * refusal is formatted only on failure.
 *
 * MIG trusts the kernel for the buffer's extent; this check does not: every
 * read is bounded by `len` (a buffer shorter than the header or than
 * msgh_size is MIG_BAD_ARGUMENTS, a trailer past `len` MIG_TRAILER_ERROR).
 *
 * Two paths, one answer: an accept path for the usual request (no
 * diagnosis asked, MP_SPEC_MIG, a table with MP_SPEC_MSG_PRECOMPUTED: one
 * masked 64-bit word per descriptor) that only accepts, and the general walk,
 * which runs whenever the accept path does not accept and finds the code and
 * the diagnosis. gen_test checks that both agree on every table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/spec/spec_internal.h"
#include "machports/le.h"

int32_t mp_spec_fail(mp_spec_diag_t *diag, int32_t code, const char *routine, const char *field,
		     uint32_t offset, const char *fmt, ...)
{
	if (diag == NULL)
		return code;
	diag->code = code;
	diag->routine = routine;
	diag->field = field;
	diag->offset = offset;
	char why[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(diag->reason, sizeof diag->reason, "%s: %s: %s at offset %u",
		 routine != NULL ? routine : "(no routine)", field != NULL ? field : "message", why,
		 (unsigned)offset);
	return code;
}

void mp_spec_view_reset(mp_spec_view_t *v, const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
			const uint8_t *bytes, size_t len, uint32_t msgh_size)
{
	v->routine = rt;
	v->msg = m;
	v->bytes = bytes;
	v->len = len;
	v->msgh_size = msgh_size;
	v->trailer_offset = 0;
}

const mp_spec_routine_t *mp_spec_routine_for_id(const mp_spec_subsystem_t *ss, int32_t id)
{
	/* mirrors migcom server.c WriteDispatcher: id > base + n - 1 || id < base || NULL */
	if (ss == NULL || ss->routines == NULL)
		return NULL;
	int64_t index = (int64_t)id - (int64_t)ss->base;
	if (index < 0 || index >= (int64_t)ss->nroutines)
		return NULL;
	return ss->routines[index];
}

const mp_spec_routine_t *mp_spec_routine_by_name(const mp_spec_subsystem_t *ss, const char *name)
{
	if (ss == NULL || ss->routines == NULL || name == NULL)
		return NULL;
	for (uint32_t i = 0; i < ss->nroutines; i++) {
		const mp_spec_routine_t *rt = ss->routines[i];
		if (rt != NULL && rt->name != NULL && strcmp(rt->name, name) == 0)
			return rt;
	}
	return NULL;
}

#if defined(__GNUC__) || defined(__clang__)
#define MP_SPEC_INLINE static inline __attribute__((always_inline))
#define MP_SPEC_NOINLINE static __attribute__((noinline))
#else
#define MP_SPEC_INLINE static inline
#define MP_SPEC_NOINLINE static
#endif

/* A refusal: its code alone on the fast path (diag a constant NULL once the
 * check is inlined), else the cold call that formats the diagnosis. */
#define REFUSE(diag, code, call) ((diag) == NULL ? (code) : (call))

/* (size - min) / elem, as MIG writes it ("/ elem" omitted when elem is 1);
 * a shift when elem is a power of two, which the compiler does for MIG's
 * constant. */
static inline uint32_t div_elem(uint32_t n, uint32_t elem)
{
	if (elem <= 1u)
		return n;
	if ((elem & (elem - 1u)) == 0)
		return n >> __builtin_ctz(elem);
	return n / elem;
}

/* ------------------------------------------------------------------------
 * WriteTypeCheck: each descriptor's type, disposition, fixed size
 * ------------------------------------------------------------------------ */

static MP_SPEC_COLD int32_t fail_desc(mp_spec_diag_t *diag, const mp_spec_routine_t *rt,
				      const mp_spec_desc_t *d, uint32_t at, uint8_t type,
				      uint8_t disp, uint32_t size)
{
	const char *rn = rt->name;
	if (type != d->type)
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rn, d->name, at,
				    "descriptor type %u, expected %u (%s)", type, d->type,
				    mp_spec_desc_type_name(d->type));
	if (d->type != MP_MSG_OOL_DESCRIPTOR && d->dispositions != MP_SPEC_ANY_DISPOSITION &&
	    (disp >= 32u || (d->dispositions & (1u << disp)) == 0))
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rn, d->name, at,
				    "disposition %u not accepted (mask 0x%x)", disp, d->dispositions);
	return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rn, d->name, at, "%s %u, expected %u",
			    d->type == MP_MSG_OOL_DESCRIPTOR ? "size" : "count", size, d->fixed);
}

/* One descriptor's type check; 0 if it passes. Branch-free: the loop tests
 * the union of the results once, and only a refusal looks for the culprit. */
MP_SPEC_INLINE uint32_t desc_bad(const mp_spec_desc_t *d, const uint8_t *q)
{
	uint32_t type = q[MP_SPEC_DESC_TYPE_AT];
	uint32_t disp = q[MP_SPEC_DESC_DISP_AT];
	uint32_t want = d->type;
	/* MIG checks no disposition on OOL memory, nor on a polymorphic port (ANY). */
	uint32_t allow = want == MP_MSG_OOL_DESCRIPTOR ? MP_SPEC_ANY_DISPOSITION : d->dispositions;
	uint32_t bad = type ^ want;
	bad |= ((allow >> (disp & 31u)) & 1u) ^ 1u;
	bad |= (uint32_t)(disp > 31u) & (uint32_t)(allow != MP_SPEC_ANY_DISPOSITION);
	if (d->flags & MP_SPEC_DESC_FIXED)
		bad |= (want != MP_MSG_PORT_DESCRIPTOR) &
		       (mp_load_le32(q + MP_SPEC_DESC_SIZE_AT) != d->fixed);
	return bad;
}

static MP_SPEC_COLD int32_t find_bad_desc(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
					  const uint8_t *p, size_t len, mp_spec_diag_t *diag)
{
	uint32_t at = MP_SPEC_DESC_OFFSET;
	for (unsigned i = 0; i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		uint32_t wire = mp_spec_desc_wire_size(d->type);
		if ((size_t)at + wire > len)
			return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, d->name, at,
					    "descriptor past the end of the %zu-byte buffer", len);
		const uint8_t *q = p + at;
		if (desc_bad(d, q)) {
			uint32_t size = d->type != MP_MSG_PORT_DESCRIPTOR
						? mp_load_le32(q + MP_SPEC_DESC_SIZE_AT)
						: 0;
			return fail_desc(diag, rt, d, at, q[MP_SPEC_DESC_TYPE_AT],
					 q[MP_SPEC_DESC_DISP_AT], size);
		}
		at += wire;
	}
	return MP_MIG_SUCCESS;
}

/* The descriptors whose variable size is compared with a count later
 * (WriteOOLSizeCheck): only OOL and OOL ports descriptors have one. */
static uint64_t ool_size_checks(const mp_spec_msg_t *m)
{
	uint64_t mask = 0;
	for (unsigned i = 0; i < m->ndesc; i++)
		mask |= (uint64_t)(m->descs[i].count_field != MP_SPEC_NONE) << (i & 63u);
	return mask;
}

/* mirrors migcom server.c WriteTCheckKPD_port / _ool / _oolport, in argument
 * order. Returns the mask of descriptors whose variable size is compared with
 * a count later (WriteOOLSizeCheck), or sets *code. */
MP_SPEC_INLINE uint64_t check_descs(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
				    const uint8_t *p, size_t len, mp_spec_diag_t *diag,
				    int32_t *code)
{
	uint32_t bad = 0;
	uint32_t at = MP_SPEC_DESC_OFFSET;
	const unsigned n = m->ndesc;
	/* Every descriptor is at most 16 bytes: one bound for the whole array; a
	 * shorter buffer (port descriptors, no trailer) takes the exact walk. */
	if (MP_SPEC_UNLIKELY((size_t)MP_SPEC_DESC_OFFSET + 16u * n > len)) {
		*code = find_bad_desc(rt, m, p, len, diag);
		return *code == MP_MIG_SUCCESS ? ool_size_checks(m) : 0;
	}
	uint32_t any_ool = 0;
	for (unsigned i = 0; i < n; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		bad |= desc_bad(d, p + at);
		uint32_t not_port = d->type != MP_MSG_PORT_DESCRIPTOR;
		any_ool |= not_port;
		at += 12u + 4u * not_port;
	}
	if (MP_SPEC_UNLIKELY(bad != 0)) {
		/* the whole array lies in len: a bad descriptor is MIG_TYPE_ERROR */
		*code = REFUSE(diag, MP_MIG_TYPE_ERROR, find_bad_desc(rt, m, p, len, diag));
		return 0;
	}
	return any_ool ? ool_size_checks(m) : 0;
}

/* ------------------------------------------------------------------------
 * WriteCheckMsgSize: the variable inline fields
 * ------------------------------------------------------------------------ */

static MP_SPEC_COLD int32_t fail_var(mp_spec_diag_t *diag, int32_t code,
				     const mp_spec_routine_t *rt, const mp_spec_field_t *f,
				     const mp_spec_field_t *cf, uint32_t cf_at, uint32_t count,
				     uint32_t msgh_size, uint32_t min, uint32_t delta, int last)
{
	if (count > f->max)
		return mp_spec_fail(diag, code, rt->name, cf->name, cf_at, "count %u > %u", count,
				    f->max);
	return mp_spec_fail(diag, code, rt->name, f->name, cf_at,
			    "%u elements of %u bytes need msgh_size %s %u + %u, have %u", count,
			    f->elem_size, last ? "==" : ">=", min, delta, msgh_size);
}

static MP_SPEC_COLD int32_t fail_spec(mp_spec_diag_t *diag, const mp_spec_routine_t *rt,
				      const mp_spec_field_t *f, uint32_t at, size_t len)
{
	return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, f->name, at,
			    "field outside the %zu-byte buffer (is the spec valid?)", len);
}

/* ------------------------------------------------------------------------
 * WriteOOLSizeCheck, WriteStringTerminatorCheck
 * ------------------------------------------------------------------------ */

static MP_SPEC_COLD int32_t fail_ool(mp_spec_diag_t *diag, const mp_spec_routine_t *rt,
				     const mp_spec_desc_t *d, uint32_t at, uint32_t size,
				     uint32_t count)
{
	if (d->max != 0 && count > d->max)
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, d->name, at,
				    "count %u > %u", count, d->max);
	if (d->type == MP_MSG_OOL_DESCRIPTOR)
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, d->name, at,
				    "size %u / %u != count %u", size,
				    d->multiplier > 1 ? d->multiplier : 1u, count);
	return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, d->name, at,
			    "descriptor count %u != count %u", size, count);
}

/* mirrors migcom server.c WriteOOLSizeCheck: var OOL: size / mult != count
 * [|| count > max]; var OOL ports: count != count field [|| count > max]. */
static int32_t check_ool_sizes(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
			       const uint8_t *p, size_t len, uint64_t ool, const uint32_t *offs,
			       mp_spec_diag_t *diag)
{
	uint32_t at = MP_SPEC_DESC_OFFSET;
	for (unsigned i = 0; ool != 0 && i < m->ndesc; i++) {
		const mp_spec_desc_t *d = &m->descs[i];
		if (ool & ((uint64_t)1 << i)) {
			ool &= ~((uint64_t)1 << i);
			unsigned cf = d->count_field;
			if (MP_SPEC_UNLIKELY(cf >= m->nfields || (size_t)offs[cf] + 4u > len))
				return fail_spec(diag, rt, &m->fields[cf < m->nfields ? cf : 0],
						 cf < m->nfields ? offs[cf] : 0, len);
			uint32_t count = mp_load_le32(p + offs[cf]);
			uint32_t size = mp_load_le32(p + at + MP_SPEC_DESC_SIZE_AT);
			uint32_t mult = d->multiplier > 1 ? d->multiplier : 1u;
			uint32_t have = d->type == MP_MSG_OOL_DESCRIPTOR ? div_elem(size, mult) : size;
			if (MP_SPEC_UNLIKELY(have != count || (d->max != 0 && count > d->max)))
				return fail_ool(diag, rt, d, at, size, count);
		}
		at += mp_spec_desc_wire_size(d->type);
	}
	return MP_MIG_SUCCESS;
}

/* mirrors migcom server.c WriteStringTerminatorCheck: a NUL among
 * min(msg_limit - field, N) bytes, msg_limit = msg + msgh_size. */
static int32_t check_strings(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
			     const uint8_t *p, uint32_t msgh_size, uint64_t strings,
			     const uint32_t *offs, mp_spec_diag_t *diag)
{
	for (unsigned i = 0; strings != 0; i++) {
		if ((strings & ((uint64_t)1 << i)) == 0)
			continue;
		strings &= ~((uint64_t)1 << i);
		const mp_spec_field_t *f = &m->fields[i];
		uint32_t at = offs[i];
		size_t limit = at < msgh_size ? msgh_size - at : 0;
		if (limit > f->max)
			limit = f->max;
		if (MP_SPEC_UNLIKELY(limit == 0 || memchr(p + at, 0, limit) == NULL))
			return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, f->name, at,
					    "no NUL in the string's %zu bytes", limit);
	}
	return MP_MIG_SUCCESS;
}

#define VAR_KINDS ((1u << MP_SPEC_VAR_ARRAY) | (1u << MP_SPEC_VAR_STRING))
#define STRING_KINDS ((1u << MP_SPEC_STRING) | (1u << MP_SPEC_VAR_STRING))


/* Where each of fields[0, upto) lies in this message and the elements it
 * holds (a fixed field: its maximum): MIG's In1P, In2P, ... pointers
 * (WriteAdjustRequestMsgPtr). The variable fields' counts before `upto` have
 * been checked. `cnts` may be NULL. */
static void field_places(const mp_spec_msg_t *m, const uint8_t *p, unsigned upto,
			 uint32_t *offs, uint32_t *cnts)
{
	uint32_t shift = 0;
	for (unsigned i = 0; i < upto; i++) {
		const mp_spec_field_t *f = &m->fields[i];
		offs[i] = f->offset - shift;
		uint32_t n = f->max;
		if ((1u << (f->kind & 31u)) & VAR_KINDS) {
			n = mp_load_le32(p + offs[f->count_field]);
			uint32_t delta = f->elem_size * n;
			if (f->elem_size % 4u != 0)
				delta = mp_spec_walign(delta);
			shift += f->wire_size - delta;
		}
		if (cnts != NULL)
			cnts[i] = n;
	}
}

/* The place of a count field that a variable field before it moved. */
static MP_SPEC_COLD uint32_t moved_count_place(const mp_spec_msg_t *m, const uint8_t *p,
					       unsigned cf)
{
	uint32_t offs[MP_SPEC_MAX_FIELDS];
	field_places(m, p, cf + 1u, offs, NULL);
	return offs[cf];
}

/* mirrors migcom server.c WriteCheckMsgSize / WriteCheckArgSize for one
 * variable field: count > max; ((size - min) / elem < count) || (size != min
 * + delta) for the last, (size < min + delta) for the others. */
MP_SPEC_INLINE int var_size_bad(const mp_spec_field_t *f, uint32_t count, uint32_t delta,
				uint32_t size, uint32_t min, int last)
{
	int bad = (count > f->max) | (div_elem(size - min, f->elem_size) < count);
	bad |= last ? size != min + delta : size < min + delta;
	return bad;
}

/* _WALIGN_ of a variable field's bytes when its element is not a word multiple. */
MP_SPEC_INLINE uint32_t var_delta(const mp_spec_field_t *f, uint32_t count)
{
	uint32_t delta = f->elem_size * count;
	return f->elem_size % 4u != 0 ? mp_spec_walign(delta) : delta;
}

MP_SPEC_INLINE int32_t check_body(const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
				  const uint8_t *p, size_t len, uint32_t msgh_size,
				  int strings_check, int32_t var_code, uint32_t *offs,
				  uint32_t *cnts, mp_spec_diag_t *diag)
{
	int32_t code = MP_MIG_SUCCESS;
	uint64_t ool = 0;
	if (m->ndesc != 0) {
		ool = check_descs(rt, m, p, len, diag, &code);
		if (MP_SPEC_UNLIKELY(code != MP_MIG_SUCCESS))
			return code;
	}

	/* mirrors migcom server.c WriteCheckMsgSize / WriteCheckArgSize /
	 * WriteCalcArgSize (user.c's for a reply: the same tests, MIG_TYPE_ERROR),
	 * and WriteAdjustRequestMsgPtr for the fields after a variable one
	 * (In1P = In0P + msgh_size_delta - max slot). */
	const uint32_t min = m->min_size;
	uint32_t size = msgh_size; /* MIG's local msgh_size, lowered after each non-last var */
	uint32_t shift = 0;        /* bytes the variable fields so far lack */
	unsigned moved_from = 0;   /* fields from here on lie `shift` bytes down */
	uint64_t strings = 0;
	unsigned var_seen = 0;
	const mp_spec_field_t *fields = m->fields;
	const unsigned nfields = m->nfields;
	for (unsigned i = 0; i < nfields; i++) {
		const mp_spec_field_t *f = &fields[i];
		uint32_t kind_bit = 1u << (f->kind & 31u);
		if (MP_SPEC_LIKELY((kind_bit & (VAR_KINDS | STRING_KINDS)) == 0))
			continue;
		if (kind_bit & STRING_KINDS)
			strings |= (uint64_t)1 << i;
		if ((kind_bit & VAR_KINDS) == 0)
			continue;
		unsigned cf = f->count_field;
		if (MP_SPEC_UNLIKELY(cf >= i))
			return REFUSE(diag, MP_MIG_BAD_ARGUMENTS,
				      fail_spec(diag, rt, f, f->offset - shift, len));
		uint32_t cf_at = MP_SPEC_LIKELY(cf >= moved_from) ? fields[cf].offset - shift
								  : moved_count_place(m, p, cf);
		if (MP_SPEC_UNLIKELY((size_t)cf_at + 4u > len))
			return REFUSE(diag, MP_MIG_BAD_ARGUMENTS,
				      fail_spec(diag, rt, &fields[cf], cf_at, len));
		uint32_t count = mp_load_le32(p + cf_at);
		uint32_t delta = var_delta(f, count);
		int last = ++var_seen == m->nvar;
		if (MP_SPEC_UNLIKELY(var_size_bad(f, count, delta, size, min, last)))
			return REFUSE(diag, var_code,
				      fail_var(diag, var_code, rt, f, &fields[cf], cf_at, count,
					       size, min, delta, last));
		size -= delta;
		shift += f->wire_size - delta;
		moved_from = i + 1u;
	}

	if (!strings_check)
		strings = 0;
	if (ool == 0 && strings == 0 && cnts == NULL)
		return MP_MIG_SUCCESS; /* no field's place is needed */
	field_places(m, p, nfields, offs, cnts);
	if (ool != 0) {
		code = check_ool_sizes(rt, m, p, len, ool, offs, diag);
		if (MP_SPEC_UNLIKELY(code != MP_MIG_SUCCESS))
			return code;
	}
	if (strings != 0)
		return check_strings(rt, m, p, msgh_size, strings, offs, diag);
	return MP_MIG_SUCCESS;
}

/* ------------------------------------------------------------------------
 * WriteCheckHead
 * ------------------------------------------------------------------------ */

static MP_SPEC_COLD int32_t fail_head(mp_spec_diag_t *diag, const mp_spec_routine_t *rt,
				      const mp_spec_msg_t *m, uint32_t bits, uint32_t size,
				      const uint8_t *p, size_t len)
{
	const char *rn = rt->name;
	int complex = (bits & MP_SPEC_MSGH_BITS_COMPLEX) != 0;
	if (complex != (m->complex != 0))
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rn, "msgh_bits", 0,
				    m->complex ? "complex bit clear on a complex message"
					       : "complex bit set on a simple message");
	if (m->complex && len >= MP_SPEC_DESC_OFFSET &&
	    mp_load_le32(p + MP_SPEC_BODY_OFFSET) != m->ndesc)
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rn, "msgh_descriptor_count",
				    MP_SPEC_BODY_OFFSET, "%u descriptors, expected %u",
				    mp_load_le32(p + MP_SPEC_BODY_OFFSET), m->ndesc);
	if (m->nvar == 0)
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rn, "msgh_size", 4,
				    "size %u != %u", size, m->min_size);
	return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rn, "msgh_size", 4,
			    "size %u outside [%u, %u]", size, m->min_size, m->max_size);
}

/* mirrors migcom server.c WriteCheckHead: simple: COMPLEX || size test;
 * complex: !COMPLEX || descriptor_count != N || size test; the size test is
 * size != sizeof(__Request) with no variable field, else size < min || size > max. */
MP_SPEC_INLINE int check_head_ok(const mp_spec_msg_t *m, const uint8_t *p, size_t len,
				uint32_t bits, uint32_t size)
{
	int bad;
	if (m->complex) {
		bad = (bits & MP_SPEC_MSGH_BITS_COMPLEX) == 0;
		/* MIG reads the count even of a 24-byte message; here only inside len
		 * (a shorter buffer fails the size test anyway: min >= 28). */
		bad |= len < MP_SPEC_DESC_OFFSET || mp_load_le32(p + MP_SPEC_BODY_OFFSET) != m->ndesc;
	} else {
		bad = (bits & MP_SPEC_MSGH_BITS_COMPLEX) != 0;
	}
	if (m->nvar == 0)
		bad |= size != m->min_size;
	else
		bad |= size < m->min_size || size > m->max_size;
	return !bad;
}

/* ------------------------------------------------------------------------
 * Trailer: utils.c WriteCheckTrailerHead / WriteCheckTrailerSize
 * ------------------------------------------------------------------------ */

static int32_t check_trailer_head(const mp_spec_routine_t *rt, const uint8_t *p, size_t len,
				  uint32_t msgh_size, uint32_t *trailer_size,
				  mp_spec_diag_t *diag)
{
	uint32_t t = mp_spec_round_msg(msgh_size);
	if (MP_SPEC_UNLIKELY((size_t)t + 8u > len || t < msgh_size))
		return mp_spec_fail(diag, MP_MIG_TRAILER_ERROR, rt->name, "trailer", t,
				    "no trailer inside the %zu-byte buffer", len);
	uint32_t type = mp_load_le32(p + t);
	if (MP_SPEC_UNLIKELY(type != MP_MSG_TRAILER_FORMAT_0))
		return mp_spec_fail(diag, MP_MIG_TRAILER_ERROR, rt->name, "msgh_trailer_type", t,
				    "trailer type %u is not MACH_MSG_TRAILER_FORMAT_0", type);
	/* trailer_size = msgh_trailer_size - (sizeof(type_t) - sizeof(size_t)) = size - 0 */
	*trailer_size = mp_load_le32(p + t + 4u);
	return MP_MIG_SUCCESS;
}

/* mirrors migcom utils.c WriteCheckTrailerHead and WriteCheckTrailerSize (in
 * the _X routine after the check, server.c WriteCheckRequestTrailerArgs):
 * type != FORMAT_0, then per element in .defs order trailer_size < sizeof ->
 * MIG_TRAILER_ERROR, trailer_size -= sizeof. */
static int32_t check_trailer(const mp_spec_routine_t *rt, const uint8_t *p, size_t len,
			     uint32_t msgh_size, mp_spec_diag_t *diag)
{
	uint32_t trailer_size;
	int32_t code = check_trailer_head(rt, p, len, msgh_size, &trailer_size, diag);
	if (code != MP_MIG_SUCCESS)
		return code;
	uint32_t t = mp_spec_round_msg(msgh_size);
	uint32_t left = trailer_size;
	unsigned n = rt->ntrailer < MP_SPEC_MAX_TRAILER_ELEMS ? rt->ntrailer
							      : MP_SPEC_MAX_TRAILER_ELEMS;
	for (unsigned i = 0; i < n; i++) {
		uint32_t need = mp_spec_trailer_elem_size(rt->trailer[i]);
		if (MP_SPEC_UNLIKELY(left < need))
			return mp_spec_fail(diag, MP_MIG_TRAILER_ERROR, rt->name,
					    mp_spec_trailer_elem_name(rt->trailer[i]), t + 4u,
					    "trailer of %u bytes has %u left, %s needs %u",
					    trailer_size, left,
					    mp_spec_trailer_elem_name(rt->trailer[i]), need);
		left -= need;
	}
	/* Beyond MIG (the kernel delivers the whole trailer): it must lie in len. */
	if (MP_SPEC_UNLIKELY((uint64_t)t + trailer_size > len))
		return mp_spec_fail(diag, MP_MIG_TRAILER_ERROR, rt->name, "trailer", t,
				    "trailer of %u bytes runs past the %zu-byte buffer",
				    trailer_size, len);
	return MP_MIG_SUCCESS;
}

/* ------------------------------------------------------------------------
 * MP_SPEC_STRICT: the receive parser's rules and the reply port
 * ------------------------------------------------------------------------ */

static int32_t check_strict(const mp_spec_routine_t *rt, const uint8_t *p, size_t len,
			    uint32_t reply_mask, mp_spec_diag_t *diag)
{
	mp_msg_view_t mv;
	mp_diag_t pd;
	mp_err_t err = mp_parse_recv(&mv, p, len, 0, diag != NULL ? &pd : NULL);
	if (err != MP_OK) {
		if (diag == NULL)
			return MP_MIG_BAD_ARGUMENTS;
		mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, mp_err_name(err),
			     (uint32_t)pd.offset, "%s", pd.reason);
		diag->parser_err = err;
		return MP_MIG_BAD_ARGUMENTS;
	}
	/* A server receives the reply port in msgh_remote_port (server.c:
	 * msgh_reply_port is msgh_remote_port, MACH_MSGH_BITS_REPLY is the REMOTE bits). */
	uint32_t reply = mp_load_le32(p) & 0x1fu;
	if (reply_mask != 0 && reply_mask != MP_SPEC_ANY_DISPOSITION &&
	    (reply_mask & (1u << reply)) == 0) {
		if (diag != NULL) {
			mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, "msgh_remote_port", 8,
				     "reply port disposition %u not accepted (mask 0x%x)", reply,
				     reply_mask);
			diag->parser_err = MP_E_RECV_REMOTE_BITS;
		}
		return MP_MIG_BAD_ARGUMENTS;
	}
	return MP_MIG_SUCCESS;
}

/* ------------------------------------------------------------------------
 * mp_spec_check_request
 * ------------------------------------------------------------------------ */

static void diag_reset(mp_spec_diag_t *diag)
{
	diag->code = MP_MIG_SUCCESS;
	diag->routine = NULL;
	diag->field = NULL;
	diag->offset = 0;
	diag->parser_err = MP_OK;
	diag->reason[0] = '\0';
}

/* mirrors migcom server.c WriteRoutine's RetCArg path (WriteRetCArgCheckError):
 * a complex request whose routine starts with a kern_return_t also accepts a
 * simple mig_reply_error_t (36 bytes); only the trailer's type is checked. */
static int32_t accept_retcode_form(const mp_spec_routine_t *rt, const uint8_t *p, size_t len,
				   uint32_t size, mp_spec_view_t *view, mp_spec_diag_t *diag)
{
	if (rt->ntrailer != 0) {
		uint32_t trailer_size;
		int32_t code = check_trailer_head(rt, p, len, size, &trailer_size, diag);
		if (code != MP_MIG_SUCCESS)
			return code;
	}
	if (view != NULL) {
		const mp_spec_msg_t *m = &rt->request;
		mp_spec_view_reset(view, rt, m, p, len, size);
		unsigned n = m->nfields < MP_SPEC_MAX_FIELDS ? m->nfields : MP_SPEC_MAX_FIELDS;
		for (unsigned i = 0; i < n; i++) {
			int rc = m->fields[i].kind == MP_SPEC_RETCODE;
			view->field_offset[i] = rc ? MP_SPEC_RETCODE_OFFSET : 0;
			view->field_count[i] = rc ? 1 : 0;
		}
		if (rt->ntrailer != 0)
			view->trailer_offset = mp_spec_round_msg(size);
	}
	return MP_MIG_SUCCESS;
}

MP_SPEC_INLINE int32_t check_request(const mp_spec_subsystem_t *ss, const void *buf, size_t len,
				     mp_spec_level_t level, mp_spec_view_t *view,
				     mp_spec_diag_t *diag)
{
	const uint8_t *p = buf;
	if (diag != NULL)
		diag_reset(diag);
	if (MP_SPEC_UNLIKELY(p == NULL || len < MP_SPEC_HEADER_SIZE))
		return REFUSE(diag, MP_MIG_BAD_ARGUMENTS,
			      mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, NULL, "msgh_size", 0,
					   "buffer of %zu bytes is shorter than the 24-byte header",
					   len));

	/* mirrors migcom server.c WriteDispatcher */
	int32_t id = (int32_t)mp_load_le32(p + 20);
	const mp_spec_routine_t *rt = mp_spec_routine_for_id(ss, id);
	if (MP_SPEC_UNLIKELY(rt == NULL))
		return REFUSE(diag, MP_MIG_BAD_ID,
			      mp_spec_fail(diag, MP_MIG_BAD_ID, NULL, "msgh_id", 20,
					   "no routine for msgh_id %d", id));

	uint32_t bits = mp_load_le32(p);
	uint32_t size = mp_load_le32(p + 4);
	if (MP_SPEC_UNLIKELY(size > len))
		return REFUSE(diag, MP_MIG_BAD_ARGUMENTS,
			      mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, "msgh_size", 4,
					   "msgh_size %u exceeds the %zu-byte buffer", size, len));

	const mp_spec_msg_t *m = &rt->request;
	if (MP_SPEC_UNLIKELY(rt->retcode_arg && m->complex &&
			     (bits & MP_SPEC_MSGH_BITS_COMPLEX) == 0 &&
			     size == MP_SPEC_ERROR_REPLY_SIZE)) {
		int32_t code = accept_retcode_form(rt, p, len, size, view, diag);
		if (code == MP_MIG_SUCCESS && level == MP_SPEC_STRICT)
			code = check_strict(rt, p, len, rt->reply_port_dispositions, diag);
		return code;
	}

	if (MP_SPEC_UNLIKELY(!check_head_ok(m, p, len, bits, size)))
		return REFUSE(diag, MP_MIG_BAD_ARGUMENTS, fail_head(diag, rt, m, bits, size, p, len));
	if (MP_SPEC_UNLIKELY(m->nfields > MP_SPEC_MAX_FIELDS || m->ndesc > MP_SPEC_MAX_DESCS))
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, "spec", 0,
				    "more than %u fields or descriptors", MP_SPEC_MAX_FIELDS);

	uint32_t local_offs[MP_SPEC_MAX_FIELDS];
	uint32_t *offs = view != NULL ? view->field_offset : local_offs;
	uint32_t *cnts = view != NULL ? view->field_count : NULL;
	int32_t code = check_body(rt, m, p, len, size, 1, MP_MIG_BAD_ARGUMENTS, offs, cnts, diag);
	if (MP_SPEC_UNLIKELY(code != MP_MIG_SUCCESS))
		return code;

	if (rt->ntrailer != 0) {
		code = check_trailer(rt, p, len, size, diag);
		if (MP_SPEC_UNLIKELY(code != MP_MIG_SUCCESS))
			return code;
	}
	if (level == MP_SPEC_STRICT) {
		code = check_strict(rt, p, len, rt->reply_port_dispositions, diag);
		if (code != MP_MIG_SUCCESS)
			return code;
	}
	if (view != NULL) {
		mp_spec_view_reset(view, rt, m, p, len, size);
		if (rt->ntrailer != 0)
			view->trailer_offset = mp_spec_round_msg(size);
	}
	return MP_MIG_SUCCESS;
}

/* ------------------------------------------------------------------------
 * The accept path: MP_SPEC_MIG, no diagnosis, a request whose message is
 * MP_SPEC_MSG_PRECOMPUTED with no string and no OOL count (most MIG
 * routines). It runs the same tests as check_request, each in a few
 * instructions thanks to the precomputed words, and only accepts: on any
 * refusal, or anything it leaves to the general walk (the RetCArg error form
 * fails its head test), it returns 0 and check_request starts over, which
 * finds the code.
 * ------------------------------------------------------------------------ */

/* The fields' places and each variable field's size test in one pass: MIG's
 * In1P, In2P, ... (WriteAdjustRequestMsgPtr) and WriteCheckMsgSize. `cnts`
 * may be NULL. 0 if a test fails or is not decided here.
 *
 * MIG's test of a variable field is: count > max, ((size - min) / elem <
 * count), then size != min + delta (the last) or size < min + delta (the
 * others), delta = _WALIGN_(elem * count) in 32 bits. Here delta is computed
 * in 64 bits, with no wrap: size == / >= min + delta then implies (size -
 * min) / elem >= count and the same 32-bit delta, so what passes here passes
 * MIG's test; a product that wraps fails here and the walk decides. */
MP_SPEC_INLINE int fields_ok(const mp_spec_msg_t *m, const uint8_t *p, size_t len,
			     uint32_t msgh_size, uint32_t *offs, uint32_t *cnts)
{
	const mp_spec_field_t *fields = m->fields;
	const uint64_t min = m->min_size;
	uint64_t size = msgh_size; /* MIG's local msgh_size, lowered after each non-last var */
	uint32_t shift = 0;        /* bytes the variable fields so far lack */
	unsigned var_left = m->nvar;
	for (unsigned i = 0; i < m->nfields; i++) {
		const mp_spec_field_t *f = &fields[i];
		offs[i] = f->offset - shift;
		uint32_t n = f->max;
		if ((1u << (f->kind & 31u)) & VAR_KINDS) {
			unsigned cf = f->count_field;
			if (cf >= i || (size_t)offs[cf] + 4u > len)
				return 0;
			n = mp_load_le32(p + offs[cf]);
			uint64_t delta = ((uint64_t)f->elem_size * n + 3u) & ~(uint64_t)3u;
			int bad = n > f->max || size < min + delta;
			if (--var_left == 0)
				bad |= size != min + delta;
			if (bad)
				return 0;
			size -= delta;
			shift += f->wire_size - (uint32_t)delta;
		}
		if (cnts != NULL)
			cnts[i] = n;
	}
	return 1;
}

/* mirrors migcom server.c WriteTCheckKPD_port / _ool / _oolport: one
 * precomputed word per descriptor (mp_spec_desc_word). 0 if one differs. */
MP_SPEC_INLINE int desc_words_ok(const mp_spec_msg_t *m, const uint8_t *p, size_t len)
{
	const unsigned n = m->ndesc;
	/* as check_descs: a buffer shorter than 16 bytes per descriptor walks */
	if ((size_t)MP_SPEC_DESC_OFFSET + 16u * n > len)
		return 0;
	const size_t last = len - 8u;
	uint64_t bad = 0;
	const mp_spec_desc_t *d = m->descs;
	for (unsigned left = n; left != 0; left--, d++) {
		size_t at = d->word_at;
		if (MP_SPEC_UNLIKELY(at > last))
			return 0;
		bad |= (mp_load_le64(p + at) ^ d->word_want) & d->word_mask;
	}
	return bad == 0;
}

/* mirrors migcom utils.c WriteCheckTrailerHead / WriteCheckTrailerSize: every
 * element fails with the same code, so one test of their sum. */
MP_SPEC_INLINE int trailer_ok(const mp_spec_routine_t *rt, const uint8_t *p, size_t len,
			      uint32_t msgh_size)
{
	uint32_t t = mp_spec_round_msg(msgh_size);
	if ((size_t)t + 8u > len || t < msgh_size || mp_load_le32(p + t) != MP_MSG_TRAILER_FORMAT_0)
		return 0;
	uint32_t trailer_size = mp_load_le32(p + t + 4u);
	uint32_t need = 0;
	for (unsigned i = 0; i < rt->ntrailer && i < MP_SPEC_MAX_TRAILER_ELEMS; i++)
		need += mp_spec_trailer_elem_size(rt->trailer[i]);
	return trailer_size >= need && (uint64_t)t + trailer_size <= len;
}

/* Every read lies in [p, p + len) whatever the table says; the promise of its
 * flags (no string, no OOL count, the words) decides what is tested. */
MP_SPEC_INLINE int accept_precomputed(const mp_spec_subsystem_t *ss, const uint8_t *p,
				      size_t len, mp_spec_view_t *view)
{
	if (p == NULL || len < MP_SPEC_DESC_OFFSET)
		return 0;
	const mp_spec_routine_t *rt = mp_spec_routine_for_id(ss, (int32_t)mp_load_le32(p + 20));
	if (rt == NULL)
		return 0;
	const mp_spec_msg_t *m = &rt->request;
	const uint32_t flags = MP_SPEC_MSG_PRECOMPUTED | MP_SPEC_MSG_STRINGS | MP_SPEC_MSG_OOL_COUNTS;
	/* (nfields | ndesc) > 64 also sends some smaller tables to the walk */
	if ((m->flags & flags) != MP_SPEC_MSG_PRECOMPUTED ||
	    (m->nfields | m->ndesc) > MP_SPEC_MAX_FIELDS)
		return 0;
	uint32_t bits = mp_load_le32(p);
	uint32_t size = mp_load_le32(p + 4);
	if (size > len || !check_head_ok(m, p, len, bits, size) || !desc_words_ok(m, p, len))
		return 0;
	uint32_t local_offs[MP_SPEC_MAX_FIELDS];
	uint32_t *offs = view != NULL ? view->field_offset : local_offs;
	uint32_t *cnts = view != NULL ? view->field_count : NULL;
	if ((m->nvar != 0 || view != NULL) && !fields_ok(m, p, len, size, offs, cnts))
		return 0;
	if (rt->ntrailer != 0 && !trailer_ok(rt, p, len, size))
		return 0;
	if (view != NULL) {
		mp_spec_view_reset(view, rt, m, p, len, size);
		if (rt->ntrailer != 0)
			view->trailer_offset = mp_spec_round_msg(size);
	}
	return 1;
}

/* The general walk, out of line so that the accept path keeps a small frame. */
MP_SPEC_NOINLINE int32_t check_request_walk(const mp_spec_subsystem_t *ss, const void *buf,
					    size_t len, mp_spec_level_t level, mp_spec_view_t *view,
					    mp_spec_diag_t *diag)
{
	/* No diagnosis and no view: constants the compiler folds. */
	if (view == NULL && diag == NULL)
		return check_request(ss, buf, len, level, NULL, NULL);
	return check_request(ss, buf, len, level, view, diag);
}

int32_t mp_spec_check_request(const mp_spec_subsystem_t *ss, const void *buf, size_t len,
			      mp_spec_level_t level, mp_spec_view_t *view, mp_spec_diag_t *diag)
{
	if (diag == NULL && level == MP_SPEC_MIG &&
	    (view != NULL ? accept_precomputed(ss, buf, len, view)
			  : accept_precomputed(ss, buf, len, NULL)))
		return MP_MIG_SUCCESS;
	return check_request_walk(ss, buf, len, level, view, diag);
}

/* ------------------------------------------------------------------------
 * mp_spec_check_reply: migcom user.c WriteCheckReply
 * ------------------------------------------------------------------------ */

/* The reply carries only its RetCode (rtNoReplyArgs). */
static int reply_has_no_args(const mp_spec_msg_t *m)
{
	return !m->complex && m->nfields == 1 && m->fields[0].kind == MP_SPEC_RETCODE;
}

/* mirrors migcom user.c WriteCheckIdentity: the expected form, or a simple
 * 36-byte mig_reply_error_t whose RetCode is not KERN_SUCCESS. */
static int reply_head_ok(const mp_spec_msg_t *m, const uint8_t *p, size_t len, uint32_t bits,
			 uint32_t size)
{
	int simple = (bits & MP_SPEC_MSGH_BITS_COMPLEX) == 0;
	int size_bad = m->nvar != 0 ? (size > m->max_size || size < m->min_size)
				    : size != m->min_size;
	int error_form = simple && size == MP_SPEC_ERROR_REPLY_SIZE &&
			 mp_load_le32(p + MP_SPEC_RETCODE_OFFSET) != 0;
	if (!m->complex) {
		if (!simple)
			return 0;
		if (reply_has_no_args(m))
			return !size_bad;
		return !size_bad || error_form;
	}
	int count_bad = simple || len < MP_SPEC_DESC_OFFSET ||
			mp_load_le32(p + MP_SPEC_BODY_OFFSET) != m->ndesc;
	return !(count_bad || size_bad) || error_form;
}

static MP_SPEC_COLD int32_t fail_reply_head(mp_spec_diag_t *diag, const mp_spec_routine_t *rt,
					    uint32_t bits, uint32_t size)
{
	return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, "msgh_size", 4,
			    "a %s reply of %u bytes is neither the reply's form ([%u, %u] bytes, "
			    "%u descriptors) nor a mig_reply_error_t with a failure",
			    (bits & MP_SPEC_MSGH_BITS_COMPLEX) ? "complex" : "simple", size,
			    rt->reply.min_size, rt->reply.max_size, rt->reply.ndesc);
}

int32_t mp_spec_check_reply(const mp_spec_routine_t *rt, const void *buf, size_t len,
			    mp_spec_level_t level, mp_spec_view_t *view, mp_spec_diag_t *diag)
{
	const uint8_t *p = buf;
	if (diag != NULL)
		diag_reset(diag);
	if (rt == NULL)
		return mp_spec_fail(diag, MP_MIG_REPLY_MISMATCH, NULL, "routine", 0, "no routine");
	if (MP_SPEC_UNLIKELY(p == NULL || len < MP_SPEC_HEADER_SIZE))
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, "msgh_size", 0,
				    "buffer of %zu bytes is shorter than the 24-byte header", len);
	/* user.c WriteCheckIdentity: msgh_id, then MACH_NOTIFY_SEND_ONCE */
	int32_t id = (int32_t)mp_load_le32(p + 20);
	int32_t want = (int32_t)((uint32_t)rt->id + 100u);
	if (id != want) {
		if (id == MP_SPEC_NOTIFY_SEND_ONCE)
			return mp_spec_fail(diag, MP_MIG_SERVER_DIED, rt->name, "msgh_id", 20,
					    "a send-once notification (%d): the server died", id);
		return mp_spec_fail(diag, MP_MIG_REPLY_MISMATCH, rt->name, "msgh_id", 20,
				    "msgh_id %d, expected %d", id, want);
	}
	if (rt->kind != MP_SPEC_ROUTINE)
		return mp_spec_fail(diag, MP_MIG_REPLY_MISMATCH, rt->name, "msgh_id", 20,
				    "a simpleroutine has no reply");
	uint32_t bits = mp_load_le32(p);
	uint32_t size = mp_load_le32(p + 4);
	if (MP_SPEC_UNLIKELY(size > len))
		return mp_spec_fail(diag, MP_MIG_BAD_ARGUMENTS, rt->name, "msgh_size", 4,
				    "msgh_size %u exceeds the %zu-byte buffer", size, len);
	const mp_spec_msg_t *m = &rt->reply;
	if (!reply_head_ok(m, p, len, bits, size))
		return fail_reply_head(diag, rt, bits, size);
	/* "Check the remote port is NULL": a reply carries no request port */
	if (mp_load_le32(p + 8) != 0)
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, "msgh_remote_port", 8,
				    "port 0x%x, expected MACH_PORT_NULL", mp_load_le32(p + 8));
	int simple = (bits & MP_SPEC_MSGH_BITS_COMPLEX) == 0;
	if (reply_has_no_args(m) || (!m->complex ? mp_load_le32(p + MP_SPEC_RETCODE_OFFSET) != 0
						  : simple)) {
		/* WriteReturn / WriteRetCodeCheck: the server's RetCode is the answer */
		int32_t rc = (int32_t)mp_load_le32(p + MP_SPEC_RETCODE_OFFSET);
		if (rc != MP_MIG_SUCCESS)
			return mp_spec_fail(diag, rc, rt->name, "RetCode", MP_SPEC_RETCODE_OFFSET,
					    "the server returned %d (%s)", rc, mp_mig_code_name(rc));
	}
	if (m->nfields > MP_SPEC_MAX_FIELDS || m->ndesc > MP_SPEC_MAX_DESCS)
		return mp_spec_fail(diag, MP_MIG_TYPE_ERROR, rt->name, "spec", 0,
				    "more than %u fields or descriptors", MP_SPEC_MAX_FIELDS);
	uint32_t local_offs[MP_SPEC_MAX_FIELDS];
	uint32_t *offs = view != NULL ? view->field_offset : local_offs;
	uint32_t *cnts = view != NULL ? view->field_count : NULL;
	int32_t code = check_body(rt, m, p, len, size, 0, MP_MIG_TYPE_ERROR, offs, cnts, diag);
	if (code != MP_MIG_SUCCESS)
		return code;
	if (level == MP_SPEC_STRICT) {
		code = check_strict(rt, p, len, 0, diag);
		if (code != MP_MIG_SUCCESS)
			return code;
	}
	if (view != NULL)
		mp_spec_view_reset(view, rt, m, p, len, size);
	return MP_MIG_SUCCESS;
}
