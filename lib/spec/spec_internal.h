/*
 * lib/spec/spec_internal.h: what the spec engine's files share (layout
 * constants of MIG's messages, the descriptor layout MIG's structs assume,
 * the diagnosis helpers). Not installed.
 */
#ifndef MP_SPEC_INTERNAL_H
#define MP_SPEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "machports/spec.h"

#if defined(__GNUC__) || defined(__clang__)
#define MP_SPEC_COLD __attribute__((cold, noinline))
#define MP_SPEC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define MP_SPEC_LIKELY(x) __builtin_expect(!!(x), 1)
#define MP_SPEC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define MP_SPEC_COLD
#define MP_SPEC_PRINTF(a, b)
#define MP_SPEC_LIKELY(x) (x)
#define MP_SPEC_UNLIKELY(x) (x)
#endif

/* Layout of MIG's messages (mach/message.h, mig_errors.h; facts). */
#define MP_SPEC_HEADER_SIZE 24u
#define MP_SPEC_BODY_OFFSET 24u      /* msgh_descriptor_count */
#define MP_SPEC_DESC_OFFSET 28u      /* first descriptor of a complex message */
#define MP_SPEC_NDR_SIZE 8u
#define MP_SPEC_ERROR_REPLY_SIZE 36u /* sizeof(mig_reply_error_t) */
#define MP_SPEC_RETCODE_OFFSET 32u   /* mig_reply_error_t.RetCode */
#define MP_SPEC_MSGH_BITS_COMPLEX 0x80000000u
#define MP_SPEC_NOTIFY_SEND_ONCE 0x47 /* MACH_NOTIFY_SEND_ONCE: MIG_SERVER_DIED (user.c) */

/* Bytes of a descriptor in MIG's 64-bit structs (mach/message.h): a port
 * descriptor is 12 bytes, OOL and OOL ports 16. Within each: the type byte at
 * 11, the disposition byte at 10, an OOL size / OOL ports count at 12. */
#define MP_SPEC_DESC_TYPE_AT 11u
#define MP_SPEC_DESC_DISP_AT 10u
#define MP_SPEC_DESC_SIZE_AT 12u

static inline uint32_t mp_spec_desc_wire_size(uint8_t type)
{
	return type == MP_MSG_PORT_DESCRIPTOR ? 12u : 16u;
}

/* Names for dumps: a trailer element's field in mach_msg_max_trailer_t (its
 * size and offset are spec.h's), a field kind, a descriptor type. */
const char *mp_spec_trailer_elem_name(unsigned elem);
const char *mp_spec_field_kind_name(unsigned kind);
const char *mp_spec_desc_type_name(unsigned type);

/* Fills `diag` (if non-NULL): code, routine, field, offset and the reason
 * "<routine>: <field>: <why> at offset <n>". Returns `code`. */
MP_SPEC_COLD MP_SPEC_PRINTF(6, 7) int32_t mp_spec_fail(mp_spec_diag_t *diag, int32_t code,
							const char *routine, const char *field,
							uint32_t offset, const char *fmt, ...);

/* A view with no field read yet. */
void mp_spec_view_reset(mp_spec_view_t *v, const mp_spec_routine_t *rt, const mp_spec_msg_t *m,
			const uint8_t *bytes, size_t len, uint32_t msgh_size);

#endif /* MP_SPEC_INTERNAL_H */
