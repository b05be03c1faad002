/*
 * machports/msg.h: the hardened builder and parser for XNU Mach messages.
 *
 * The parser never allocates and never writes to its input: it returns a
 * view (offsets and decoded fields) into the caller's buffer. The builder
 * composes a message into a caller buffer with a sticky error, so a chain of
 * calls is checked once, at mp_builder_finish() (the CBB idea from BoringSSL).
 */
#ifndef MACHPORTS_MSG_H
#define MACHPORTS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "machports/err.h"
#include "machports/names.h"
#include "machports/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Parsed views
 * ------------------------------------------------------------------------ */

typedef enum mp_mode {
	MP_MODE_SEND = 1, /* a message about to be sent: XNU's send-path shape rules */
	MP_MODE_RECV = 2, /* a received buffer: message + trailer (+ slack) */
} mp_mode_t;

/*
 * One descriptor, decoded. Fields that the descriptor's type does not have
 * are 0. `length` is the OOL region size in bytes (OOL, OOL_VOLATILE) or the
 * number of names (OOL_PORTS).
 */
typedef struct mp_desc {
	uint32_t type;        /* MP_MSG_*_DESCRIPTOR */
	uint32_t offset;      /* byte offset of the descriptor in the message */
	uint32_t size;        /* 12 (port) or 16 (the others) */
	mp_port_name_t name;  /* port, guarded */
	uint32_t disposition; /* port, ool_ports, guarded */
	uint64_t address;     /* ool, ool_volatile, ool_ports */
	uint64_t context;     /* guarded */
	uint32_t length;      /* ool: bytes; ool_ports: count */
	uint32_t copy;        /* ool, ool_ports */
	uint32_t deallocate;  /* ool, ool_ports: the raw byte (XNU: non-zero is true) */
	uint32_t flags;       /* guarded */
} mp_desc_t;

/* The trailer of a received message (§4). Elements beyond `size` are 0. */
typedef struct mp_trailer_view {
	uint32_t offset; /* == msgh_size */
	uint32_t type;
	uint32_t size;
	int has_seqno, has_sender, has_audit, has_context, has_mac;
	uint32_t seqno;
	mp_security_token_t sender;
	mp_audit_token_t audit;
	uint64_t context;
	int32_t ad;
	mp_port_name_t labels;
} mp_trailer_view_t;

typedef struct mp_msg_view {
	mp_mode_t mode;
	const uint8_t *bytes; /* the caller's buffer */
	size_t buf_len;       /* its length (send mode: the send size) */

	uint32_t raw_bits;  /* msgh_bits as found in the buffer */
	uint32_t bits;      /* send: raw_bits & MACH_MSGH_BITS_USER (what XNU validates); recv: raw_bits */
	uint32_t msgh_size; /* the header field as found (ignored by XNU on send) */
	uint32_t size;      /* the message size: send size, or msgh_size on receive */
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t remote_disposition, local_disposition, voucher_disposition; /* from `bits` */

	int complex;
	uint32_t desc_count;
	uint32_t desc_offset; /* 28 when complex with a body, else 24 */
	uint32_t desc_end;    /* end of the descriptor array == start of inline data */
	uint32_t inline_offset, inline_len;

	uint32_t port_count; /* rights the descriptors carry (send-mode accounting, §6.1 step 10) */
	uint64_t vm_size;    /* XNU's VM budget total: large physical OOL pages + 8 per port */

	int has_trailer;
	mp_trailer_view_t trailer;
} mp_msg_view_t;

/*
 * mp_parse_send checks `msg` (its length is the send size) as XNU's send
 * path checks a message's shape before it touches any right (§6.1 steps 1,
 * 2, 4, 8, 9, 10 and the header validation of step 11), in XNU's order, so
 * the first failing rule is the one XNU reports. Like XNU it ignores
 * msgh_size and masks msgh_bits with MACH_MSGH_BITS_USER before validating.
 * On MP_OK, `*out` describes the message. On failure `*out` is unspecified
 * and `diag` (if non-NULL) holds the error, the byte offset and a reason;
 * mp_err_mach_send() maps the error to XNU's return code.
 */
MP_MUST_USE mp_err_t mp_parse_send(mp_msg_view_t *out, const void *msg, size_t send_size,
				   mp_diag_t *diag);

/*
 * mp_parse_recv checks a received buffer: message, trailer at msgh_size, and
 * possibly slack bytes after it (`buf_len` is the whole buffer). It accepts
 * exactly the forms XNU delivers (§6.6-6.9, §10.3-10.5), including the
 * minimal 24-byte error header that may keep COMPLEX. If
 * `want_trailer_size` is non-zero the trailer must have that size (use
 * mp_rcv_trailer_size() on the receive options).
 */
MP_MUST_USE mp_err_t mp_parse_recv(mp_msg_view_t *out, const void *buf, size_t buf_len,
				   uint32_t want_trailer_size, mp_diag_t *diag);

/* mp_rcv_trailer_size is XNU's REQUESTED_TRAILER_SIZE(options) (§4.2). */
uint32_t mp_rcv_trailer_size(uint32_t rcv_options);

/* mp_trailer_size_valid reports whether `size` is one of 8/12/20/52/60/68. */
int mp_trailer_size_valid(uint32_t size);

/* Iterating the descriptors of an accepted view, first to last. */
typedef struct mp_desc_iter {
	const uint8_t *bytes;
	uint32_t count;  /* descriptors to walk */
	uint32_t index;  /* descriptors walked */
	uint32_t offset; /* of the next one */
	uint32_t end;    /* no descriptor reaches past this offset */
} mp_desc_iter_t;

/* Walks the descriptors of an accepted view. */
void mp_desc_iter_init(mp_desc_iter_t *it, const mp_msg_view_t *view);

/*
 * Walks the descriptors of bytes no parser has accepted (a message the
 * kernel is about to refuse, a mutator's input, a test's hand-made bytes):
 * the descriptor count at MP_MSG_DESC_COUNT_OFFSET if the header says
 * complex and `len` holds a body (else none), bounded by `len`. mp_desc_next
 * then stops at the first descriptor that does not fit or has a type above
 * MP_MSG_DESCRIPTOR_MAX; it.index says how many it read, so
 * it.index < it.count tells a walk that stopped early.
 */
void mp_desc_iter_init_raw(mp_desc_iter_t *it, const void *msg, size_t len);

/* mp_desc_next decodes the next descriptor into `*out` and returns 1, or
 * returns 0 after the last one. */
int mp_desc_next(mp_desc_iter_t *it, mp_desc_t *out);

/*
 * lib/msg's one descriptor reader, for any layer that walks message bytes:
 * decodes the descriptor at byte `offset` of `msg` (`len` bytes) without
 * judging it (any type byte; 12 bytes for a port descriptor, 16 for every
 * other type, xnu-abi.md §2.2). Returns 1, or 0 if it does not fit.
 */
int mp_desc_decode(const void *msg, size_t len, size_t offset, mp_desc_t *out);

/* mp_view_inline returns a pointer to the inline data and sets *len. */
const uint8_t *mp_view_inline(const mp_msg_view_t *view, size_t *len);

/* ------------------------------------------------------------------------
 * Builder
 * ------------------------------------------------------------------------ */

/* Build exactly what is asked (for tests and fuzzers that need invalid
 * messages): mp_builder_finish() skips the send-shape validation. */
#define MP_BUILD_UNCHECKED 0x1u

typedef struct mp_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;      /* bytes the message needs so far (may exceed cap) */
	size_t desc_end; /* end of the descriptor array (24 until the message is complex) */
	uint32_t desc_count;
	uint32_t flags;
	int complex;
	mp_port_name_t remote, local, voucher;
	uint32_t remote_disp, local_disp, voucher_disp;
	int32_t id;
	uint32_t other_bits;
	int raw_bits_set;
	uint32_t raw_bits;
	mp_err_t err; /* sticky: the first error */
	size_t err_offset;
} mp_builder_t;

/* mp_builder_init starts a message in `buf` (capacity `cap`), with no ports,
 * id 0 and no descriptors. `flags` is 0 or MP_BUILD_UNCHECKED. */
void mp_builder_init(mp_builder_t *b, void *buf, size_t cap, uint32_t flags);

/* Header fields: a name and a MACH_MSG_TYPE_* disposition (0..31). */
void mp_builder_set_remote(mp_builder_t *b, mp_port_name_t name, uint32_t disposition);
void mp_builder_set_local(mp_builder_t *b, mp_port_name_t name, uint32_t disposition);
void mp_builder_set_voucher(mp_builder_t *b, mp_port_name_t name, uint32_t disposition);
void mp_builder_set_id(mp_builder_t *b, int32_t id);

/* mp_builder_set_other_bits ORs bits outside the port fields into msgh_bits
 * (e.g. MACH_MSGH_BITS_COMPLEX for a complex message with no descriptors). */
void mp_builder_set_other_bits(mp_builder_t *b, uint32_t bits);

/* mp_builder_set_raw_bits makes msgh_bits exactly `bits`, overriding what the
 * builder computes (for tests of the kernel's masking). */
void mp_builder_set_raw_bits(mp_builder_t *b, uint32_t bits);

/* Descriptors, in any order and number; each makes the message COMPLEX.
 * Addresses are the sender's user addresses (mp_addr(ptr)). */
void mp_builder_add_port(mp_builder_t *b, mp_port_name_t name, uint32_t disposition);
void mp_builder_add_ool(mp_builder_t *b, uint64_t address, uint32_t size, uint32_t copy,
			int deallocate);
void mp_builder_add_ool_volatile(mp_builder_t *b, uint64_t address, uint32_t size,
				 uint32_t copy, int deallocate);
void mp_builder_add_ool_ports(mp_builder_t *b, uint64_t address, uint32_t count,
			      uint32_t disposition, uint32_t copy, int deallocate);
void mp_builder_add_guarded_port(mp_builder_t *b, mp_port_name_t name, uint32_t disposition,
				 uint32_t flags, uint64_t context);

/* mp_builder_add_desc adds the descriptor `d` describes (as mp_desc_next
 * decodes it; `offset` and `size` are ignored), so a parsed view can be
 * re-encoded. A type above MACH_MSG_GUARDED_PORT_DESCRIPTOR is MP_E_INVALID_ARG. */
void mp_builder_add_desc(mp_builder_t *b, const mp_desc_t *d);

/* mp_builder_append adds `len` bytes of inline data after the descriptors.
 * `data` may point into the builder's own buffer. */
void mp_builder_append(mp_builder_t *b, const void *data, size_t len);

/*
 * mp_builder_finish writes the header (msgh_bits with COMPLEX, msgh_size and
 * the descriptor count) and, unless MP_BUILD_UNCHECKED, checks the message
 * with mp_parse_send(), so it rejects what XNU's send path would reject with
 * the same rule. It also rejects a port descriptor whose valid name has a
 * disposition that is not a right (XNU: MACH_SEND_INVALID_RIGHT).
 * `*out_len` gets the message size; on MP_E_NO_SPACE it gets the size needed.
 */
MP_MUST_USE mp_err_t mp_builder_finish(mp_builder_t *b, size_t *out_len, mp_diag_t *diag);

/* mp_addr converts a pointer to the 64-bit user address a descriptor carries. */
static inline uint64_t mp_addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_MSG_H */
