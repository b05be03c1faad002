/*
 * lib/wire/wire_darwin_check.c: hold machports/wire.h against Apple's headers.
 *
 * On Apple platforms this translation unit includes <mach/message.h>,
 * <mach/port.h> and <mach/kern_return.h> and checks, with _Static_assert
 * only (it emits no code), that
 *   - every struct of wire.h has the size and the member offsets of its
 *     Apple counterpart, for every member that is not a bitfield;
 *   - Apple's LP64 descriptor types are their *64_t forms;
 *   - every MP_ constant equals the Apple macro of the same name, where the
 *     public SDK defines one (kernel-private names are checked only under
 *     #ifdef, so they are skipped with the public SDK).
 *
 * Bitfields cannot be named in offsetof, so for the bitfield word of each
 * Apple descriptor (bytes 8..11) only its place is checked: it starts where
 * the preceding member ends and ends where the next member (or the struct)
 * begins. The byte of each field inside that word (type in byte 11,
 * disposition in byte 10, ...) follows from the LSB-first bitfield layout of
 * the little-endian Darwin ABIs, which is checked here only as far as
 * "little-endian" goes; wire_layout_check.c pins our own byte offsets.
 *
 * scripts/check-darwin-abi compiles this file against a macOS SDK on any host.
 * Elsewhere the file compiles to nothing.
 */
#if defined(__APPLE__)

#include <stddef.h>
#include <stdint.h>

#include <kern/exc_guard.h>
#include <mach/kern_return.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/port.h>

#include "machports/port.h"
#include "machports/wire.h"

#if !defined(__LP64__)
#error "machports/wire.h describes the LP64 user ABI"
#endif

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian ABI");

/* MP_x == x, e.g. MP_MACH_SEND_MSG == MACH_SEND_MSG, MP_KERN_FAILURE == KERN_FAILURE. */
#define MP_SAME(x) _Static_assert(MP_##x == x, #x)
/* MP_x == MACH_x, e.g. MP_MSG_TYPE_MOVE_SEND == MACH_MSG_TYPE_MOVE_SEND. */
#define MP_MACH(x) _Static_assert(MP_##x == MACH_##x, "MACH_" #x)
/* Function-like macros, compared at one argument list. */
#define MP_MACH_FN(f, ...) \
	_Static_assert(MP_##f(__VA_ARGS__) == MACH_##f(__VA_ARGS__), "MACH_" #f "(" #__VA_ARGS__ ")")
/* Same offset and same size of a (non-bitfield) member. */
#define MP_FIELD(mp, apple, m)                                                \
	_Static_assert(offsetof(mp, m) == offsetof(apple, m) &&                   \
			       sizeof(((mp *)0)->m) == sizeof(((apple *)0)->m),           \
		       #apple "." #m)

/* ---- scalar types ------------------------------------------------------ */
_Static_assert(_Generic((mp_port_name_t)0, mach_port_name_t: 1, default: 0), "mach_port_name_t");
_Static_assert(_Generic((mp_port_name_t)0, mach_port_t: 1, default: 0), "mach_port_t");
_Static_assert(_Generic((mp_msg_bits_t)0, mach_msg_bits_t: 1, default: 0), "mach_msg_bits_t");
_Static_assert(_Generic((mp_msg_size_t)0, mach_msg_size_t: 1, default: 0), "mach_msg_size_t");
_Static_assert(_Generic((mp_msg_id_t)0, mach_msg_id_t: 1, default: 0), "mach_msg_id_t");
_Static_assert(_Generic((mp_kern_return_t)0, kern_return_t: 1, default: 0), "kern_return_t");
_Static_assert(_Generic((mp_kern_return_t)0, mach_msg_return_t: 1, default: 0), "mach_msg_return_t");
_Static_assert(sizeof(mach_port_context_t) == sizeof(uint64_t), "mach_port_context_t");

/* ---- header, body, base ------------------------------------------------ */
_Static_assert(sizeof(mp_msg_header_t) == sizeof(mach_msg_header_t), "mach_msg_header_t size");
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_bits);
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_size);
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_remote_port);
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_local_port);
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_voucher_port);
MP_FIELD(mp_msg_header_t, mach_msg_header_t, msgh_id);

_Static_assert(sizeof(mp_msg_body_t) == sizeof(mach_msg_body_t), "mach_msg_body_t size");
MP_FIELD(mp_msg_body_t, mach_msg_body_t, msgh_descriptor_count);

_Static_assert(sizeof(mp_msg_base_t) == sizeof(mach_msg_base_t), "mach_msg_base_t size");
MP_FIELD(mp_msg_base_t, mach_msg_base_t, header);
MP_FIELD(mp_msg_base_t, mach_msg_base_t, body);

/* ---- descriptors ------------------------------------------------------- */
/* Under LP64 the native descriptor types are the 64-bit forms. */
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == sizeof(mach_msg_ool_descriptor64_t), "ool == ool64");
MP_FIELD(mach_msg_ool_descriptor_t, mach_msg_ool_descriptor64_t, address);
MP_FIELD(mach_msg_ool_descriptor_t, mach_msg_ool_descriptor64_t, size);
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == sizeof(mach_msg_ool_ports_descriptor64_t),
	       "ool_ports == ool_ports64");
MP_FIELD(mach_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor64_t, address);
MP_FIELD(mach_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor64_t, count);
_Static_assert(sizeof(mach_msg_guarded_port_descriptor_t) == sizeof(mach_msg_guarded_port_descriptor64_t),
	       "guarded_port == guarded_port64");
MP_FIELD(mach_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor64_t, context);
MP_FIELD(mach_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor64_t, name);

/* mach_msg_type_descriptor_t: pad1, pad2, then pad3:24 type:8 */
_Static_assert(sizeof(mp_msg_type_descriptor_t) == sizeof(mach_msg_type_descriptor_t), "mach_msg_type_descriptor_t size");
MP_FIELD(mp_msg_type_descriptor_t, mach_msg_type_descriptor_t, pad1);
MP_FIELD(mp_msg_type_descriptor_t, mach_msg_type_descriptor_t, pad2);
_Static_assert(offsetof(mach_msg_type_descriptor_t, pad2) + 4 == 8 && sizeof(mach_msg_type_descriptor_t) == 12,
	       "mach_msg_type_descriptor_t bitfield word at 8..11");

/* mach_msg_port_descriptor_t: name, pad1, then pad2:16 disposition:8 type:8 */
_Static_assert(sizeof(mp_msg_port_descriptor_t) == sizeof(mach_msg_port_descriptor_t), "mach_msg_port_descriptor_t size");
MP_FIELD(mp_msg_port_descriptor_t, mach_msg_port_descriptor_t, name);
MP_FIELD(mp_msg_port_descriptor_t, mach_msg_port_descriptor_t, pad1);
_Static_assert(offsetof(mach_msg_port_descriptor_t, pad1) + 4 == 8 && sizeof(mach_msg_port_descriptor_t) == 12,
	       "mach_msg_port_descriptor_t bitfield word at 8..11");

/* mach_msg_ool_descriptor64_t: address, deallocate:8 copy:8 pad1:8 type:8, size */
_Static_assert(sizeof(mp_msg_ool_descriptor_t) == sizeof(mach_msg_ool_descriptor_t), "mach_msg_ool_descriptor_t size");
_Static_assert(sizeof(mp_msg_ool_descriptor_t) == sizeof(mach_msg_ool_descriptor64_t), "mach_msg_ool_descriptor64_t size");
MP_FIELD(mp_msg_ool_descriptor_t, mach_msg_ool_descriptor_t, address);
MP_FIELD(mp_msg_ool_descriptor_t, mach_msg_ool_descriptor_t, size);
MP_FIELD(mp_msg_ool_descriptor_t, mach_msg_ool_descriptor64_t, address);
MP_FIELD(mp_msg_ool_descriptor_t, mach_msg_ool_descriptor64_t, size);
_Static_assert(offsetof(mach_msg_ool_descriptor64_t, address) + 8 == 8 && offsetof(mach_msg_ool_descriptor64_t, size) == 12,
	       "mach_msg_ool_descriptor64_t bitfield word at 8..11");

/* mach_msg_ool_ports_descriptor64_t: address, deallocate:8 copy:8 disposition:8 type:8, count */
_Static_assert(sizeof(mp_msg_ool_ports_descriptor_t) == sizeof(mach_msg_ool_ports_descriptor_t),
	       "mach_msg_ool_ports_descriptor_t size");
_Static_assert(sizeof(mp_msg_ool_ports_descriptor_t) == sizeof(mach_msg_ool_ports_descriptor64_t),
	       "mach_msg_ool_ports_descriptor64_t size");
MP_FIELD(mp_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor_t, address);
MP_FIELD(mp_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor_t, count);
MP_FIELD(mp_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor64_t, address);
MP_FIELD(mp_msg_ool_ports_descriptor_t, mach_msg_ool_ports_descriptor64_t, count);
_Static_assert(offsetof(mach_msg_ool_ports_descriptor64_t, address) + 8 == 8 &&
		       offsetof(mach_msg_ool_ports_descriptor64_t, count) == 12,
	       "mach_msg_ool_ports_descriptor64_t bitfield word at 8..11");

/* mach_msg_guarded_port_descriptor64_t: context, flags:16 disposition:8 type:8, name */
_Static_assert(sizeof(mp_msg_guarded_port_descriptor_t) == sizeof(mach_msg_guarded_port_descriptor_t),
	       "mach_msg_guarded_port_descriptor_t size");
_Static_assert(sizeof(mp_msg_guarded_port_descriptor_t) == sizeof(mach_msg_guarded_port_descriptor64_t),
	       "mach_msg_guarded_port_descriptor64_t size");
MP_FIELD(mp_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor_t, context);
MP_FIELD(mp_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor_t, name);
MP_FIELD(mp_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor64_t, context);
MP_FIELD(mp_msg_guarded_port_descriptor_t, mach_msg_guarded_port_descriptor64_t, name);
_Static_assert(offsetof(mach_msg_guarded_port_descriptor64_t, context) + 8 == 8 &&
		       offsetof(mach_msg_guarded_port_descriptor64_t, name) == 12,
	       "mach_msg_guarded_port_descriptor64_t bitfield word at 8..11");

/* wire.h's size constants, against Apple's structs (no Apple macros exist). */
_Static_assert(MP_MSG_HEADER_SIZE == sizeof(mach_msg_header_t), "MP_MSG_HEADER_SIZE");
_Static_assert(MP_MIN_SEND_SIZE == sizeof(mach_msg_header_t), "MP_MIN_SEND_SIZE");
_Static_assert(MP_MSG_BASE_SIZE == sizeof(mach_msg_base_t), "MP_MSG_BASE_SIZE");
_Static_assert(MP_MIN_COMPLEX_SEND_SIZE == sizeof(mach_msg_base_t), "MP_MIN_COMPLEX_SEND_SIZE");
_Static_assert(MP_PORT_DESC_SIZE == sizeof(mach_msg_port_descriptor_t), "MP_PORT_DESC_SIZE");
_Static_assert(MP_PORT_DESC_SIZE == sizeof(mach_msg_type_descriptor_t), "MP_PORT_DESC_SIZE (type)");
_Static_assert(MP_WIDE_DESC_SIZE == sizeof(mach_msg_ool_descriptor64_t), "MP_WIDE_DESC_SIZE (ool)");
_Static_assert(MP_WIDE_DESC_SIZE == sizeof(mach_msg_ool_ports_descriptor64_t), "MP_WIDE_DESC_SIZE (ool_ports)");
_Static_assert(MP_WIDE_DESC_SIZE == sizeof(mach_msg_guarded_port_descriptor64_t), "MP_WIDE_DESC_SIZE (guarded)");

/* ---- trailers ---------------------------------------------------------- */
_Static_assert(sizeof(mp_security_token_t) == sizeof(security_token_t), "security_token_t size");
MP_FIELD(mp_security_token_t, security_token_t, val);
_Static_assert(sizeof(mp_audit_token_t) == sizeof(audit_token_t), "audit_token_t size");
MP_FIELD(mp_audit_token_t, audit_token_t, val);

_Static_assert(sizeof(mp_msg_trailer_t) == sizeof(mach_msg_trailer_t), "mach_msg_trailer_t size");
MP_FIELD(mp_msg_trailer_t, mach_msg_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_trailer_t, mach_msg_trailer_t, msgh_trailer_size);

_Static_assert(sizeof(mp_msg_seqno_trailer_t) == sizeof(mach_msg_seqno_trailer_t), "mach_msg_seqno_trailer_t size");
MP_FIELD(mp_msg_seqno_trailer_t, mach_msg_seqno_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_seqno_trailer_t, mach_msg_seqno_trailer_t, msgh_trailer_size);
MP_FIELD(mp_msg_seqno_trailer_t, mach_msg_seqno_trailer_t, msgh_seqno);

_Static_assert(sizeof(mp_msg_security_trailer_t) == sizeof(mach_msg_security_trailer_t),
	       "mach_msg_security_trailer_t size");
MP_FIELD(mp_msg_security_trailer_t, mach_msg_security_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_security_trailer_t, mach_msg_security_trailer_t, msgh_trailer_size);
MP_FIELD(mp_msg_security_trailer_t, mach_msg_security_trailer_t, msgh_seqno);
MP_FIELD(mp_msg_security_trailer_t, mach_msg_security_trailer_t, msgh_sender);
_Static_assert(sizeof(mp_msg_format_0_trailer_t) == sizeof(mach_msg_format_0_trailer_t),
	       "mach_msg_format_0_trailer_t size");

_Static_assert(sizeof(mp_msg_audit_trailer_t) == sizeof(mach_msg_audit_trailer_t), "mach_msg_audit_trailer_t size");
MP_FIELD(mp_msg_audit_trailer_t, mach_msg_audit_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_audit_trailer_t, mach_msg_audit_trailer_t, msgh_trailer_size);
MP_FIELD(mp_msg_audit_trailer_t, mach_msg_audit_trailer_t, msgh_seqno);
MP_FIELD(mp_msg_audit_trailer_t, mach_msg_audit_trailer_t, msgh_sender);
MP_FIELD(mp_msg_audit_trailer_t, mach_msg_audit_trailer_t, msgh_audit);

_Static_assert(sizeof(mp_msg_context_trailer_t) == sizeof(mach_msg_context_trailer_t),
	       "mach_msg_context_trailer_t size");
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_trailer_size);
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_seqno);
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_sender);
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_audit);
MP_FIELD(mp_msg_context_trailer_t, mach_msg_context_trailer_t, msgh_context);

_Static_assert(sizeof(mp_msg_mac_trailer_t) == sizeof(mach_msg_mac_trailer_t), "mach_msg_mac_trailer_t size");
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_trailer_type);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_trailer_size);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_seqno);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_sender);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_audit);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_context);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_ad);
MP_FIELD(mp_msg_mac_trailer_t, mach_msg_mac_trailer_t, msgh_labels);
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_labels) == offsetof(mach_msg_mac_trailer_t, msgh_labels.sender),
	       "mach_msg_mac_trailer_t.msgh_labels.sender");
_Static_assert(sizeof(mp_msg_max_trailer_t) == sizeof(mach_msg_max_trailer_t), "mach_msg_max_trailer_t size");

/* ---- names (port.h) ---------------------------------------------------- */
MP_MACH(PORT_NULL);
MP_MACH(PORT_DEAD);
MP_MACH_FN(PORT_VALID, 0u);
MP_MACH_FN(PORT_VALID, 1u);
MP_MACH_FN(PORT_VALID, 0xFFFFFFFEu);
MP_MACH_FN(PORT_VALID, 0xFFFFFFFFu);

/* ---- msgh_bits --------------------------------------------------------- */
MP_MACH(MSGH_BITS_ZERO);
MP_MACH(MSGH_BITS_REMOTE_MASK);
MP_MACH(MSGH_BITS_LOCAL_MASK);
MP_MACH(MSGH_BITS_VOUCHER_MASK);
MP_MACH(MSGH_BITS_PORTS_MASK);
MP_MACH(MSGH_BITS_COMPLEX);
MP_MACH(MSGH_BITS_USER);
MP_MACH(MSGH_BITS_RAISEIMP);
MP_MACH(MSGH_BITS_DENAP);
MP_MACH(MSGH_BITS_IMPHOLDASRT);
MP_MACH(MSGH_BITS_DENAPHOLDASRT);
MP_MACH(MSGH_BITS_CIRCULAR);
MP_MACH(MSGH_BITS_USED);

MP_MACH_FN(MSGH_BITS, 17u, 21u);
MP_MACH_FN(MSGH_BITS_SET_PORTS, 19u, 21u, 17u);
MP_MACH_FN(MSGH_BITS_SET_PORTS, 0xFFu, 0xFFu, 0xFFu);
MP_MACH_FN(MSGH_BITS_SET, 19u, 21u, 17u, 0x80000000u);
MP_MACH_FN(MSGH_BITS_SET, 0xFFu, 0xFFu, 0xFFu, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_REMOTE, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_LOCAL, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_VOUCHER, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_PORTS, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_OTHER, 0xFFFFFFFFu);
MP_MACH_FN(MSGH_BITS_IS_COMPLEX, 0x80000000u);
MP_MACH_FN(MSGH_BITS_IS_COMPLEX, 0x7FFFFFFFu);

/* ---- dispositions ------------------------------------------------------ */
MP_MACH(MSG_TYPE_PORT_NONE);
MP_MACH(MSG_TYPE_PORT_NAME);
MP_MACH(MSG_TYPE_MOVE_RECEIVE);
MP_MACH(MSG_TYPE_MOVE_SEND);
MP_MACH(MSG_TYPE_MOVE_SEND_ONCE);
MP_MACH(MSG_TYPE_COPY_SEND);
MP_MACH(MSG_TYPE_MAKE_SEND);
MP_MACH(MSG_TYPE_MAKE_SEND_ONCE);
MP_MACH(MSG_TYPE_COPY_RECEIVE);
MP_MACH(MSG_TYPE_DISPOSE_RECEIVE);
MP_MACH(MSG_TYPE_DISPOSE_SEND);
MP_MACH(MSG_TYPE_DISPOSE_SEND_ONCE);
MP_MACH(MSG_TYPE_PORT_RECEIVE);
MP_MACH(MSG_TYPE_PORT_SEND);
MP_MACH(MSG_TYPE_PORT_SEND_ONCE);
MP_MACH(MSG_TYPE_LAST);
MP_MACH(MSG_TYPE_POLYMORPHIC);

MP_MACH_FN(MSG_TYPE_PORT_ANY, 15u);
MP_MACH_FN(MSG_TYPE_PORT_ANY, 16u);
MP_MACH_FN(MSG_TYPE_PORT_ANY, 21u);
MP_MACH_FN(MSG_TYPE_PORT_ANY, 22u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_SEND, 16u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_SEND, 17u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_SEND, 21u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_SEND, 22u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_RIGHT, 15u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_RIGHT, 16u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_RIGHT, 18u);
MP_MACH_FN(MSG_TYPE_PORT_ANY_RIGHT, 19u);

/* ---- descriptor types -------------------------------------------------- */
MP_MACH(MSG_PORT_DESCRIPTOR);
MP_MACH(MSG_OOL_DESCRIPTOR);
MP_MACH(MSG_OOL_PORTS_DESCRIPTOR);
MP_MACH(MSG_OOL_VOLATILE_DESCRIPTOR);
MP_MACH(MSG_GUARDED_PORT_DESCRIPTOR);
MP_MACH(MSG_DESCRIPTOR_MAX);

/* ---- copy options, guard flags ----------------------------------------- */
MP_MACH(MSG_PHYSICAL_COPY);
MP_MACH(MSG_VIRTUAL_COPY);
MP_MACH(MSG_ALLOCATE);
MP_MACH(MSG_OVERWRITE);
#ifdef MACH_MSG_KALLOC_COPY_T /* MACH_KERNEL only */
MP_MACH(MSG_KALLOC_COPY_T);
#endif

MP_MACH(MSG_GUARD_FLAGS_NONE);
MP_MACH(MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
MP_MACH(MSG_GUARD_FLAGS_UNGUARDED_ON_SEND);
MP_MACH(MSG_GUARD_FLAGS_MASK);

/* ---- trailer formats and sizes ----------------------------------------- */
MP_MACH(MSG_TRAILER_FORMAT_0);
MP_MACH(MSG_TRAILER_MINIMUM_SIZE);
MP_MACH(MSG_TRAILER_FORMAT_0_SIZE);
MP_SAME(MAX_TRAILER_SIZE);
/* The per-element sizes have no public names; REQUESTED_TRAILER_SIZE gives them. */
_Static_assert(MP_MSG_TRAILER_MINIMUM_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_NULL)),
	       "REQUESTED_TRAILER_SIZE(NULL)");
_Static_assert(MP_MSG_TRAILER_SEQNO_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO)),
	       "REQUESTED_TRAILER_SIZE(SEQNO)");
_Static_assert(MP_MSG_TRAILER_FORMAT_0_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SENDER)),
	       "REQUESTED_TRAILER_SIZE(SENDER)");
_Static_assert(MP_MSG_TRAILER_AUDIT_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)),
	       "REQUESTED_TRAILER_SIZE(AUDIT)");
_Static_assert(MP_MSG_TRAILER_CONTEXT_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX)),
	       "REQUESTED_TRAILER_SIZE(CTX)");
_Static_assert(MP_MAX_TRAILER_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AV)),
	       "REQUESTED_TRAILER_SIZE(AV)");
_Static_assert(MP_MAX_TRAILER_SIZE == REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_LABELS)),
	       "REQUESTED_TRAILER_SIZE(LABELS)");
#ifdef MACH_MSG_TRAILER_SEQNO_SIZE /* not in the public SDK */
MP_MACH(MSG_TRAILER_SEQNO_SIZE);
#endif
#ifdef MACH_MSG_TRAILER_AUDIT_SIZE
MP_MACH(MSG_TRAILER_AUDIT_SIZE);
#endif
#ifdef MACH_MSG_TRAILER_CONTEXT_SIZE
MP_MACH(MSG_TRAILER_CONTEXT_SIZE);
#endif

/* ---- receive-option trailer request ------------------------------------ */
MP_MACH(RCV_TRAILER_NULL);
MP_MACH(RCV_TRAILER_SEQNO);
MP_MACH(RCV_TRAILER_SENDER);
MP_MACH(RCV_TRAILER_AUDIT);
MP_MACH(RCV_TRAILER_CTX);
MP_MACH(RCV_TRAILER_AV);
MP_MACH(RCV_TRAILER_LABELS);
MP_MACH(RCV_TRAILER_MASK);
MP_MACH_FN(RCV_TRAILER_TYPE, 0u);
MP_MACH_FN(RCV_TRAILER_TYPE, 0xFu);
MP_MACH_FN(RCV_TRAILER_ELEMENTS, 4u);
MP_MACH_FN(RCV_TRAILER_ELEMENTS, 0xFu);
_Static_assert(MP_GET_RCV_ELEMENTS(0x04000000u) == GET_RCV_ELEMENTS(0x04000000u), "GET_RCV_ELEMENTS(0x04000000u)");
_Static_assert(MP_GET_RCV_ELEMENTS(0xFFFFFFFFu) == GET_RCV_ELEMENTS(0xFFFFFFFFu), "GET_RCV_ELEMENTS(0xFFFFFFFFu)");

/* ---- mach_msg option bits ---------------------------------------------- */
MP_SAME(MACH_MSG_OPTION_NONE);
MP_SAME(MACH_SEND_MSG);
MP_SAME(MACH_RCV_MSG);
MP_SAME(MACH_RCV_LARGE);
MP_SAME(MACH_RCV_LARGE_IDENTITY);
MP_SAME(MACH_SEND_TIMEOUT);
MP_SAME(MACH_SEND_OVERRIDE);
MP_SAME(MACH_SEND_INTERRUPT);
MP_SAME(MACH_SEND_NOTIFY);
MP_SAME(MACH_RCV_TIMEOUT);
MP_SAME(MACH_RCV_NOTIFY);
MP_SAME(MACH_MSG_STRICT_REPLY);
MP_SAME(MACH_RCV_INTERRUPT);
MP_SAME(MACH_RCV_VOUCHER);
MP_SAME(MACH_RCV_OVERWRITE);
MP_SAME(MACH_RCV_GUARDED_DESC);
MP_SAME(MACH_RCV_SYNC_WAIT);
MP_SAME(MACH_RCV_SYNC_PEEK);
MP_SAME(MACH_SEND_ALWAYS);
MP_SAME(MACH_SEND_FILTER_NONFATAL);
MP_SAME(MACH_SEND_TRAILER);
MP_SAME(MACH_SEND_NOIMPORTANCE);
MP_SAME(MACH_SEND_NODENAP);
MP_SAME(MACH_SEND_IMPORTANCE);
MP_SAME(MACH_SEND_SYNC_OVERRIDE);
MP_SAME(MACH_SEND_PROPAGATE_QOS);
MP_SAME(MACH_SEND_SYNC_USE_THRPRI);
MP_SAME(MACH_SEND_KERNEL);
MP_SAME(MACH_SEND_SYNC_BOOTSTRAP_CHECKIN);
/* Kernel-private: not in the public SDK. */
#ifdef MACH_SEND_USER
MP_SAME(MACH_SEND_USER);
#endif
#ifdef MACH_RCV_USER
MP_SAME(MACH_RCV_USER);
#endif
#ifdef MACH64_MSG_VECTOR
MP_SAME(MACH64_MSG_VECTOR);
#endif
#ifdef MACH64_SEND_KOBJECT_CALL
MP_SAME(MACH64_SEND_KOBJECT_CALL);
#endif
#ifdef MACH64_SEND_MQ_CALL
MP_SAME(MACH64_SEND_MQ_CALL);
#endif
#ifdef MACH64_SEND_ANY
MP_SAME(MACH64_SEND_ANY);
#endif
#ifdef MACH64_SEND_DK_CALL
MP_SAME(MACH64_SEND_DK_CALL);
#endif
#ifdef MACH64_RCV_LINEAR_VECTOR
MP_SAME(MACH64_RCV_LINEAR_VECTOR);
#endif
#ifdef MACH64_RCV_STACK
MP_SAME(MACH64_RCV_STACK);
#endif
#ifdef MACH64_MACH_MSG2
MP_SAME(MACH64_MACH_MSG2);
#endif

/* ---- return codes: mach_msg -------------------------------------------- */
MP_SAME(MACH_MSG_SUCCESS);
MP_SAME(MACH_MSG_MASK);
MP_SAME(MACH_MSG_IPC_SPACE);
MP_SAME(MACH_MSG_VM_SPACE);
MP_SAME(MACH_MSG_IPC_KERNEL);
MP_SAME(MACH_MSG_VM_KERNEL);

MP_SAME(MACH_SEND_IN_PROGRESS);
MP_SAME(MACH_SEND_INVALID_DATA);
MP_SAME(MACH_SEND_INVALID_DEST);
MP_SAME(MACH_SEND_TIMED_OUT);
MP_SAME(MACH_SEND_INVALID_VOUCHER);
MP_SAME(MACH_SEND_INTERRUPTED);
MP_SAME(MACH_SEND_MSG_TOO_SMALL);
MP_SAME(MACH_SEND_INVALID_REPLY);
MP_SAME(MACH_SEND_INVALID_RIGHT);
MP_SAME(MACH_SEND_INVALID_NOTIFY);
MP_SAME(MACH_SEND_INVALID_MEMORY);
MP_SAME(MACH_SEND_NO_BUFFER);
MP_SAME(MACH_SEND_TOO_LARGE);
MP_SAME(MACH_SEND_INVALID_TYPE);
MP_SAME(MACH_SEND_INVALID_HEADER);
MP_SAME(MACH_SEND_INVALID_TRAILER);
MP_SAME(MACH_SEND_INVALID_CONTEXT);
MP_SAME(MACH_SEND_INVALID_OPTIONS);
MP_SAME(MACH_SEND_INVALID_RT_OOL_SIZE);
MP_SAME(MACH_SEND_NO_GRANT_DEST);
MP_SAME(MACH_SEND_MSG_FILTERED);
MP_SAME(MACH_SEND_AUX_TOO_SMALL);
MP_SAME(MACH_SEND_AUX_TOO_LARGE);

MP_SAME(MACH_RCV_IN_PROGRESS);
MP_SAME(MACH_RCV_INVALID_NAME);
MP_SAME(MACH_RCV_TIMED_OUT);
MP_SAME(MACH_RCV_TOO_LARGE);
MP_SAME(MACH_RCV_INTERRUPTED);
MP_SAME(MACH_RCV_PORT_CHANGED);
MP_SAME(MACH_RCV_INVALID_NOTIFY);
MP_SAME(MACH_RCV_INVALID_DATA);
MP_SAME(MACH_RCV_PORT_DIED);
MP_SAME(MACH_RCV_IN_SET);
MP_SAME(MACH_RCV_HEADER_ERROR);
MP_SAME(MACH_RCV_BODY_ERROR);
MP_SAME(MACH_RCV_INVALID_TYPE);
MP_SAME(MACH_RCV_SCATTER_SMALL);
MP_SAME(MACH_RCV_INVALID_TRAILER);
MP_SAME(MACH_RCV_IN_PROGRESS_TIMED);
MP_SAME(MACH_RCV_INVALID_REPLY);
MP_SAME(MACH_RCV_INVALID_ARGUMENTS);

/* ---- return codes: kern_return_t --------------------------------------- */
MP_SAME(KERN_SUCCESS);
MP_SAME(KERN_INVALID_ADDRESS);
MP_SAME(KERN_NO_SPACE);
MP_SAME(KERN_INVALID_ARGUMENT);
MP_SAME(KERN_FAILURE);
MP_SAME(KERN_RESOURCE_SHORTAGE);
MP_SAME(KERN_NOT_RECEIVER);
MP_SAME(KERN_NOT_IN_SET);
MP_SAME(KERN_ALREADY_IN_SET);
MP_SAME(KERN_NAME_EXISTS);
MP_SAME(KERN_INVALID_NAME);
MP_SAME(KERN_INVALID_TASK);
MP_SAME(KERN_INVALID_RIGHT);
MP_SAME(KERN_INVALID_VALUE);
MP_SAME(KERN_UREFS_OVERFLOW);
MP_SAME(KERN_INVALID_CAPABILITY);
MP_SAME(KERN_RIGHT_EXISTS);
MP_SAME(KERN_NOT_SUPPORTED);

/* ---- sizes and limits -------------------------------------------------- */
MP_MACH(MSG_SIZE_MAX);
#ifdef MACH_MSG_SIZE_RELIABLE /* __APPLE_API_PRIVATE */
MP_MACH(MSG_SIZE_RELIABLE);
#endif
MP_MACH(PORT_QLIMIT_ZERO);
MP_MACH(PORT_QLIMIT_BASIC);
MP_MACH(PORT_QLIMIT_DEFAULT);
MP_MACH(PORT_QLIMIT_SMALL);
MP_MACH(PORT_QLIMIT_LARGE);
MP_MACH(PORT_QLIMIT_MAX);
MP_MACH(PORT_QLIMIT_KERNEL);
#ifdef MACH_PORT_UREFS_MAX /* not in the public SDK */
MP_MACH(PORT_UREFS_MAX);
#endif

/* ---- §7 port rights, types, notifications, construct options ------------ */
MP_MACH(PORT_RIGHT_SEND);
MP_MACH(PORT_RIGHT_RECEIVE);
MP_MACH(PORT_RIGHT_SEND_ONCE);
MP_MACH(PORT_RIGHT_PORT_SET);
MP_MACH(PORT_RIGHT_DEAD_NAME);
MP_MACH(PORT_RIGHT_LABELH);
MP_MACH(PORT_RIGHT_NUMBER);
MP_MACH(PORT_TYPE_NONE);
MP_MACH(PORT_TYPE_SEND);
MP_MACH(PORT_TYPE_RECEIVE);
MP_MACH(PORT_TYPE_SEND_ONCE);
MP_MACH(PORT_TYPE_PORT_SET);
MP_MACH(PORT_TYPE_DEAD_NAME);
MP_MACH(PORT_TYPE_LABELH);
MP_MACH(PORT_TYPE_DNREQUEST);
MP_MACH(PORT_TYPE_SPREQUEST);
MP_MACH(PORT_TYPE_SPREQUEST_DELAYED);
MP_MACH(PORT_TYPE_SEND_RECEIVE);
MP_MACH(PORT_TYPE_SEND_RIGHTS);
MP_MACH(PORT_TYPE_PORT_RIGHTS);
MP_MACH(PORT_TYPE_PORT_OR_DEAD);
MP_MACH(PORT_TYPE_ALL_RIGHTS);
MP_SAME(MACH_NOTIFY_FIRST);
MP_SAME(MACH_NOTIFY_PORT_DELETED);
MP_SAME(MACH_NOTIFY_SEND_POSSIBLE);
MP_SAME(MACH_NOTIFY_PORT_DESTROYED);
MP_SAME(MACH_NOTIFY_NO_SENDERS);
MP_SAME(MACH_NOTIFY_SEND_ONCE);
MP_SAME(MACH_NOTIFY_DEAD_NAME);
MP_SAME(MACH_NOTIFY_LAST);
/* <mach/notify.h>'s structs are the received form: the message plus a
 * format-0 trailer. Ours are the message as sent. */
_Static_assert(sizeof(mp_no_senders_notification_t) == offsetof(mach_no_senders_notification_t, trailer), "no-senders size");
_Static_assert(offsetof(mp_no_senders_notification_t, not_count) == offsetof(mach_no_senders_notification_t, not_count), "not_count");
_Static_assert(sizeof(mp_dead_name_notification_t) == offsetof(mach_dead_name_notification_t, trailer), "dead-name size");
_Static_assert(offsetof(mp_dead_name_notification_t, not_port) == offsetof(mach_dead_name_notification_t, not_port), "not_port");
_Static_assert(sizeof(mp_port_status_t) == sizeof(mach_port_status_t), "mach_port_status_t size");
_Static_assert(MP_MPO_CONTEXT_AS_GUARD == MPO_CONTEXT_AS_GUARD, "MPO_CONTEXT_AS_GUARD");
_Static_assert(MP_MPO_QLIMIT == MPO_QLIMIT, "MPO_QLIMIT");
_Static_assert(MP_MPO_TEMPOWNER == MPO_TEMPOWNER, "MPO_TEMPOWNER");
_Static_assert(MP_MPO_IMPORTANCE_RECEIVER == MPO_IMPORTANCE_RECEIVER, "MPO_IMPORTANCE_RECEIVER");
_Static_assert(MP_MPO_INSERT_SEND_RIGHT == MPO_INSERT_SEND_RIGHT, "MPO_INSERT_SEND_RIGHT");
_Static_assert(MP_MPO_STRICT == MPO_STRICT, "MPO_STRICT");
_Static_assert(MP_MPO_DENAP_RECEIVER == MPO_DENAP_RECEIVER, "MPO_DENAP_RECEIVER");
_Static_assert(MP_MPO_IMMOVABLE_RECEIVE == MPO_IMMOVABLE_RECEIVE, "MPO_IMMOVABLE_RECEIVE");
_Static_assert(MP_MPG_STRICT == MPG_STRICT, "MPG_STRICT");
_Static_assert(MP_MPG_IMMOVABLE_RECEIVE == MPG_IMMOVABLE_RECEIVE, "MPG_IMMOVABLE_RECEIVE");
_Static_assert(MP_GUARD_EXC_DESTROY == kGUARD_EXC_DESTROY, "kGUARD_EXC_DESTROY");
_Static_assert(MP_GUARD_EXC_MOD_REFS == kGUARD_EXC_MOD_REFS, "kGUARD_EXC_MOD_REFS");
_Static_assert(MP_GUARD_EXC_INVALID_OPTIONS == kGUARD_EXC_INVALID_OPTIONS, "kGUARD_EXC_INVALID_OPTIONS");
_Static_assert(MP_GUARD_EXC_SET_CONTEXT == kGUARD_EXC_SET_CONTEXT, "kGUARD_EXC_SET_CONTEXT");
_Static_assert(MP_GUARD_EXC_THREAD_SET_STATE == kGUARD_EXC_THREAD_SET_STATE, "kGUARD_EXC_THREAD_SET_STATE");
_Static_assert(MP_GUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE == kGUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE, "kGUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE");
_Static_assert(MP_GUARD_EXC_UNGUARDED == kGUARD_EXC_UNGUARDED, "kGUARD_EXC_UNGUARDED");
_Static_assert(MP_GUARD_EXC_INCORRECT_GUARD == kGUARD_EXC_INCORRECT_GUARD, "kGUARD_EXC_INCORRECT_GUARD");
_Static_assert(MP_GUARD_EXC_IMMOVABLE == kGUARD_EXC_IMMOVABLE, "kGUARD_EXC_IMMOVABLE");
_Static_assert(MP_GUARD_EXC_STRICT_REPLY == kGUARD_EXC_STRICT_REPLY, "kGUARD_EXC_STRICT_REPLY");
_Static_assert(MP_GUARD_EXC_MSG_FILTERED == kGUARD_EXC_MSG_FILTERED, "kGUARD_EXC_MSG_FILTERED");
_Static_assert(MP_GUARD_EXC_INVALID_RIGHT == kGUARD_EXC_INVALID_RIGHT, "kGUARD_EXC_INVALID_RIGHT");
_Static_assert(MP_GUARD_EXC_INVALID_NAME == kGUARD_EXC_INVALID_NAME, "kGUARD_EXC_INVALID_NAME");
_Static_assert(MP_GUARD_EXC_INVALID_VALUE == kGUARD_EXC_INVALID_VALUE, "kGUARD_EXC_INVALID_VALUE");
_Static_assert(MP_GUARD_EXC_INVALID_ARGUMENT == kGUARD_EXC_INVALID_ARGUMENT, "kGUARD_EXC_INVALID_ARGUMENT");
_Static_assert(MP_GUARD_EXC_RIGHT_EXISTS == kGUARD_EXC_RIGHT_EXISTS, "kGUARD_EXC_RIGHT_EXISTS");
_Static_assert(MP_GUARD_EXC_KERN_NO_SPACE == kGUARD_EXC_KERN_NO_SPACE, "kGUARD_EXC_KERN_NO_SPACE");
_Static_assert(MP_GUARD_EXC_KERN_FAILURE == kGUARD_EXC_KERN_FAILURE, "kGUARD_EXC_KERN_FAILURE");
_Static_assert(MP_GUARD_EXC_KERN_RESOURCE == kGUARD_EXC_KERN_RESOURCE, "kGUARD_EXC_KERN_RESOURCE");
_Static_assert(MP_GUARD_EXC_SEND_INVALID_REPLY == kGUARD_EXC_SEND_INVALID_REPLY, "kGUARD_EXC_SEND_INVALID_REPLY");
_Static_assert(MP_GUARD_EXC_SEND_INVALID_VOUCHER == kGUARD_EXC_SEND_INVALID_VOUCHER, "kGUARD_EXC_SEND_INVALID_VOUCHER");
_Static_assert(MP_GUARD_EXC_SEND_INVALID_RIGHT == kGUARD_EXC_SEND_INVALID_RIGHT, "kGUARD_EXC_SEND_INVALID_RIGHT");
_Static_assert(MP_GUARD_EXC_RCV_INVALID_NAME == kGUARD_EXC_RCV_INVALID_NAME, "kGUARD_EXC_RCV_INVALID_NAME");
_Static_assert(MP_GUARD_EXC_RCV_GUARDED_DESC == kGUARD_EXC_RCV_GUARDED_DESC, "kGUARD_EXC_RCV_GUARDED_DESC");
_Static_assert(MP_GUARD_EXC_MOD_REFS_NON_FATAL == kGUARD_EXC_MOD_REFS_NON_FATAL, "kGUARD_EXC_MOD_REFS_NON_FATAL");
_Static_assert(MP_GUARD_EXC_IMMOVABLE_NON_FATAL == kGUARD_EXC_IMMOVABLE_NON_FATAL, "kGUARD_EXC_IMMOVABLE_NON_FATAL");
_Static_assert(MP_GUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS == kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS, "kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS");
_Static_assert(MP_GUARD_EXC_MAX_FATAL == MAX_FATAL_kGUARD_EXC_CODE, "MAX_FATAL_kGUARD_EXC_CODE");
_Static_assert(MP_GUARD_TYPE_MACH_PORT == GUARD_TYPE_MACH_PORT, "GUARD_TYPE_MACH_PORT");
_Static_assert(MP_GUARD_EXC_MAX_OPTIONAL == MAX_OPTIONAL_kGUARD_EXC_CODE, "MAX_OPTIONAL_kGUARD_EXC_CODE");
/* port.h's flavor names (MP_GUARD_EXC_SDK_TABLE; MP_GUARD_EXC_11417_TABLE's
 * three are xnu-11417's and not in this SDK) */
#define MP_HOLD_GUARD_FLAVOR_(name, value, cls) \
	_Static_assert((value) == kGUARD_EXC_##name, "port.h MP_GUARD_EXC_TABLE: kGUARD_EXC_" #name);
MP_GUARD_EXC_SDK_TABLE(MP_HOLD_GUARD_FLAVOR_)
#undef MP_HOLD_GUARD_FLAVOR_
_Static_assert(MP_PORT_STATUS_FLAG_GUARDED == MACH_PORT_STATUS_FLAG_GUARDED, "GUARDED");
_Static_assert(MP_PORT_STATUS_FLAG_STRICT_GUARD == MACH_PORT_STATUS_FLAG_STRICT_GUARD, "STRICT_GUARD");
_Static_assert(MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE == MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE, "IMMOVABLE");
_Static_assert(MP_PORT_STATUS_FLAG_NO_GRANT == MACH_PORT_STATUS_FLAG_NO_GRANT, "NO_GRANT");
_Static_assert(MP_MPO_FILTER_MSG == MPO_FILTER_MSG, "MPO_FILTER_MSG");
_Static_assert(MP_MPO_TG_BLOCK_TRACKING == MPO_TG_BLOCK_TRACKING, "MPO_TG_BLOCK_TRACKING");
_Static_assert(MP_MPO_SERVICE_PORT == MPO_SERVICE_PORT, "MPO_SERVICE_PORT");
_Static_assert(MP_MPO_CONNECTION_PORT == MPO_CONNECTION_PORT, "MPO_CONNECTION_PORT");
_Static_assert(MP_PORT_LIMITS_INFO == MACH_PORT_LIMITS_INFO, "MACH_PORT_LIMITS_INFO");
_Static_assert(MP_PORT_RECEIVE_STATUS == MACH_PORT_RECEIVE_STATUS, "MACH_PORT_RECEIVE_STATUS");
_Static_assert(MP_PORT_DNREQUESTS_SIZE == MACH_PORT_DNREQUESTS_SIZE, "MACH_PORT_DNREQUESTS_SIZE");
_Static_assert(MP_PORT_TEMPOWNER == MACH_PORT_TEMPOWNER, "MACH_PORT_TEMPOWNER");
_Static_assert(MP_PORT_IMPORTANCE_RECEIVER == MACH_PORT_IMPORTANCE_RECEIVER, "MACH_PORT_IMPORTANCE_RECEIVER");
_Static_assert(MP_PORT_DENAP_RECEIVER == MACH_PORT_DENAP_RECEIVER, "MACH_PORT_DENAP_RECEIVER");
_Static_assert(MP_PORT_INFO_EXT == MACH_PORT_INFO_EXT, "MACH_PORT_INFO_EXT");
_Static_assert(MP_PORT_GUARD_INFO == MACH_PORT_GUARD_INFO, "MACH_PORT_GUARD_INFO");
_Static_assert(MP_PORT_SERVICE_THROTTLED == MACH_PORT_SERVICE_THROTTLED, "MACH_PORT_SERVICE_THROTTLED");
_Static_assert(MP_PORT_LIMITS_INFO_COUNT == MACH_PORT_LIMITS_INFO_COUNT, "MACH_PORT_LIMITS_INFO_COUNT");
_Static_assert(MP_PORT_RECEIVE_STATUS_COUNT == MACH_PORT_RECEIVE_STATUS_COUNT, "MACH_PORT_RECEIVE_STATUS_COUNT");
_Static_assert(MP_PORT_DNREQUESTS_SIZE_COUNT == MACH_PORT_DNREQUESTS_SIZE_COUNT, "MACH_PORT_DNREQUESTS_SIZE_COUNT");
_Static_assert(MP_PORT_INFO_EXT_COUNT == MACH_PORT_INFO_EXT_COUNT, "MACH_PORT_INFO_EXT_COUNT");
_Static_assert(MP_PORT_GUARD_INFO_COUNT == MACH_PORT_GUARD_INFO_COUNT, "MACH_PORT_GUARD_INFO_COUNT");
_Static_assert(MP_PORT_SERVICE_THROTTLED_COUNT == MACH_PORT_SERVICE_THROTTLED_COUNT, "MACH_PORT_SERVICE_THROTTLED_COUNT");
_Static_assert(sizeof(mp_port_limits_t) == sizeof(mach_port_limits_t), "mach_port_limits_t size");
MP_FIELD(mp_port_limits_t, mach_port_limits_t, mpl_qlimit);
_Static_assert(sizeof(mp_port_info_ext_t) == sizeof(mach_port_info_ext_t), "mach_port_info_ext_t size");
MP_FIELD(mp_port_info_ext_t, mach_port_info_ext_t, mpie_status);
MP_FIELD(mp_port_info_ext_t, mach_port_info_ext_t, mpie_boost_cnt);
MP_FIELD(mp_port_info_ext_t, mach_port_info_ext_t, reserved);
_Static_assert(sizeof(mp_port_guard_info_t) == sizeof(mach_port_guard_info_t), "mach_port_guard_info_t size");
MP_FIELD(mp_port_guard_info_t, mach_port_guard_info_t, mpgi_guard);
/* MP_MPO_NOT_SUPPORTED and MP_PORT_INFO_MAX (mach_port_info_t's bound, a MIG
 * array size) have no header counterpart. */
/* Reply-port construct flags (issue 12). The SDK calls 0x8000
 * MPO_PROVISIONAL_ID_PROT_OPTOUT; xnu-11417's kernel calls it
 * MPO_EXCEPTION_PORT (and has no PROVISIONAL_ID_PROT_OPTOUT): same bit. */
_Static_assert(MP_MPO_REPLY_PORT == MPO_REPLY_PORT, "MPO_REPLY_PORT");
_Static_assert(MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS == MPO_ENFORCE_REPLY_PORT_SEMANTICS,
	       "MPO_ENFORCE_REPLY_PORT_SEMANTICS");
_Static_assert(MP_MPO_PROVISIONAL_REPLY_PORT == MPO_PROVISIONAL_REPLY_PORT, "MPO_PROVISIONAL_REPLY_PORT");
#ifdef MPO_EXCEPTION_PORT
_Static_assert(MP_MPO_EXCEPTION_PORT == MPO_EXCEPTION_PORT, "MPO_EXCEPTION_PORT");
#else
_Static_assert(MP_MPO_EXCEPTION_PORT == MPO_PROVISIONAL_ID_PROT_OPTOUT, "MPO_EXCEPTION_PORT (SDK name)");
#endif
/*
 * No public counterpart, so not checked here: MP_DESC_TYPE_OFFSET (a
 * bitfield position; see the top of this file), MP_USER_DESC_SIZE_MIN/MAX,
 * MP_MSG_TYPE_PORT_ANY_SEND_ONCE, MP_MAX_SEND_SIZE, MP_MAX_PORTS_PER_MSG,
 * MP_MAX_VM_SPACE, MP_OOL_SIZE_SMALL*, MP_PAGE_SIZE* (kernel-internal).
 */

/*
 * mach_msg2 (private in the SDK: osfmk/mach/message.h under #if PRIVATE).
 * The public SDK at /work/sdk has neither the MACH64_* options (enum members
 * of mach_msg_option64_t, no macros) nor mach_msg_vector_t /
 * mach_msg_aux_header_t, so only MACH_SEND_AUX_TOO_SMALL / _TOO_LARGE (above)
 * are held against it. A private SDK defines MACH64_SEND_USER_CALL, the one
 * #define of that block: then the rest is checked against it. The values
 * are xnu-11417's (facts §8.1-8.2); wire_layout_check.c pins the layouts.
 */
#ifdef MACH64_SEND_USER_CALL
_Static_assert(MP_MACH64_SEND_MQ_CALL == MACH64_SEND_MQ_CALL, "MACH64_SEND_MQ_CALL");
_Static_assert(MP_MACH64_SEND_ANY == MACH64_SEND_ANY, "MACH64_SEND_ANY");
_Static_assert(MP_MACH64_SEND_DK_CALL == MACH64_SEND_DK_CALL, "MACH64_SEND_DK_CALL");
_Static_assert(MP_MACH64_SEND_KOBJECT_CALL == MACH64_SEND_KOBJECT_CALL, "MACH64_SEND_KOBJECT_CALL");
_Static_assert(MP_MACH64_MSG_VECTOR == MACH64_MSG_VECTOR, "MACH64_MSG_VECTOR");
_Static_assert(MP_MACH_MSGV_MAX_COUNT == MACH_MSGV_MAX_COUNT, "MACH_MSGV_MAX_COUNT");
_Static_assert(MP_MACH_MSGV_IDX_MSG == MACH_MSGV_IDX_MSG, "MACH_MSGV_IDX_MSG");
_Static_assert(MP_MACH_MSGV_IDX_AUX == MACH_MSGV_IDX_AUX, "MACH_MSGV_IDX_AUX");
_Static_assert(sizeof(mp_msg_vector_t) == sizeof(mach_msg_vector_t), "mach_msg_vector_t");
_Static_assert(offsetof(mp_msg_vector_t, msgv_data) == offsetof(mach_msg_vector_t, msgv_data), "msgv_data");
_Static_assert(offsetof(mp_msg_vector_t, msgv_rcv_addr) == offsetof(mach_msg_vector_t, msgv_rcv_addr),
	       "msgv_rcv_addr");
_Static_assert(offsetof(mp_msg_vector_t, msgv_send_size) == offsetof(mach_msg_vector_t, msgv_send_size),
	       "msgv_send_size");
_Static_assert(offsetof(mp_msg_vector_t, msgv_rcv_size) == offsetof(mach_msg_vector_t, msgv_rcv_size),
	       "msgv_rcv_size");
_Static_assert(sizeof(mp_msg_aux_header_t) == sizeof(mach_msg_aux_header_t), "mach_msg_aux_header_t");
_Static_assert(offsetof(mp_msg_aux_header_t, msgdh_size) == offsetof(mach_msg_aux_header_t, msgdh_size),
	       "msgdh_size");
#endif

#else /* !__APPLE__ */

/* Keeps the translation unit non-empty under -Wpedantic. */
typedef int mp_wire_darwin_check_unused;

#endif /* __APPLE__ */
