/*
 * lib/wire/wire_layout_check.c: compile-time checks of wire.h's own layout.
 *
 * Compiled on every platform. It emits no code: each _Static_assert holds a
 * struct of machports/wire.h to the byte layout of XNU's 64-bit user ABI
 * (sizes, member offsets, 4-byte packing) and ties the size constants to the
 * structs they describe. On Apple platforms wire_darwin_check.c additionally
 * holds the same structs and constants against <mach/message.h>.
 */
#include <stddef.h>

#include "machports/wire.h"

/* Keeps the translation unit non-empty under -Wpedantic. */
typedef int mp_wire_layout_check_unused;

/* ---- scalar types ------------------------------------------------------ */
_Static_assert(sizeof(mp_port_name_t) == 4, "mp_port_name_t");
_Static_assert(sizeof(mp_msg_bits_t) == 4, "mp_msg_bits_t");
_Static_assert(sizeof(mp_msg_size_t) == 4, "mp_msg_size_t");
_Static_assert(sizeof(mp_msg_id_t) == 4, "mp_msg_id_t");
_Static_assert(sizeof(mp_kern_return_t) == 4, "mp_kern_return_t");

/* ---- header, body, base ------------------------------------------------ */
_Static_assert(sizeof(mp_msg_header_t) == 24, "mp_msg_header_t size");
_Static_assert(sizeof(mp_msg_header_t) == MP_MSG_HEADER_SIZE, "MP_MSG_HEADER_SIZE");
_Static_assert(sizeof(mp_msg_header_t) == MP_MIN_SEND_SIZE, "MP_MIN_SEND_SIZE");
_Static_assert(_Alignof(mp_msg_header_t) == 4, "mp_msg_header_t align");
/* mach_msg2's vector and aux header (xnu-11417 message.h, PRIVATE) */
_Static_assert(sizeof(mp_msg_vector_t) == 24, "mach_msg_vector_t");
_Static_assert(offsetof(mp_msg_vector_t, msgv_rcv_addr) == 8, "msgv_rcv_addr");
_Static_assert(offsetof(mp_msg_vector_t, msgv_send_size) == 16, "msgv_send_size");
_Static_assert(offsetof(mp_msg_vector_t, msgv_rcv_size) == 20, "msgv_rcv_size");
_Static_assert(sizeof(mp_msg_aux_header_t) == 8, "mach_msg_aux_header_t");
_Static_assert(MP_MACH64_MSG_OPTION_USER == 0x0000001F0FB7DBBFull, "MACH64_MSG_OPTION_USER");
_Static_assert(offsetof(mp_msg_header_t, msgh_bits) == 0, "msgh_bits");
_Static_assert(offsetof(mp_msg_header_t, msgh_size) == 4, "msgh_size");
_Static_assert(offsetof(mp_msg_header_t, msgh_remote_port) == 8, "msgh_remote_port");
_Static_assert(offsetof(mp_msg_header_t, msgh_local_port) == 12, "msgh_local_port");
_Static_assert(offsetof(mp_msg_header_t, msgh_voucher_port) == 16, "msgh_voucher_port");
_Static_assert(offsetof(mp_msg_header_t, msgh_id) == 20, "msgh_id");

_Static_assert(sizeof(mp_msg_body_t) == 4, "mp_msg_body_t size");
_Static_assert(offsetof(mp_msg_body_t, msgh_descriptor_count) == 0, "msgh_descriptor_count");

_Static_assert(sizeof(mp_msg_base_t) == 28, "mp_msg_base_t size");
_Static_assert(sizeof(mp_msg_base_t) == MP_MSG_BASE_SIZE, "MP_MSG_BASE_SIZE");
_Static_assert(sizeof(mp_msg_base_t) == MP_MIN_COMPLEX_SEND_SIZE, "MP_MIN_COMPLEX_SEND_SIZE");
_Static_assert(offsetof(mp_msg_base_t, header) == 0, "base.header");
_Static_assert(offsetof(mp_msg_base_t, body) == 24, "base.body");
_Static_assert(offsetof(mp_msg_header_t, msgh_bits) == MP_MSGH_BITS_OFFSET, "MP_MSGH_BITS_OFFSET");
_Static_assert(offsetof(mp_msg_header_t, msgh_size) == MP_MSGH_SIZE_OFFSET, "MP_MSGH_SIZE_OFFSET");
_Static_assert(offsetof(mp_msg_header_t, msgh_remote_port) == MP_MSGH_REMOTE_OFFSET, "MP_MSGH_REMOTE_OFFSET");
_Static_assert(offsetof(mp_msg_header_t, msgh_local_port) == MP_MSGH_LOCAL_OFFSET, "MP_MSGH_LOCAL_OFFSET");
_Static_assert(offsetof(mp_msg_header_t, msgh_voucher_port) == MP_MSGH_VOUCHER_OFFSET, "MP_MSGH_VOUCHER_OFFSET");
_Static_assert(offsetof(mp_msg_header_t, msgh_id) == MP_MSGH_ID_OFFSET, "MP_MSGH_ID_OFFSET");
_Static_assert(offsetof(mp_msg_base_t, body) + offsetof(mp_msg_body_t, msgh_descriptor_count) ==
		       MP_MSG_DESC_COUNT_OFFSET, "MP_MSG_DESC_COUNT_OFFSET");
_Static_assert(offsetof(mp_msg_type_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET");

/* ---- descriptors: 12 or 16 bytes, 4-aligned, type in byte 11 ---------- */
_Static_assert(sizeof(mp_msg_type_descriptor_t) == 12, "mp_msg_type_descriptor_t size");
_Static_assert(offsetof(mp_msg_type_descriptor_t, pad1) == 0, "type_desc.pad1");
_Static_assert(offsetof(mp_msg_type_descriptor_t, pad2) == 4, "type_desc.pad2");
_Static_assert(offsetof(mp_msg_type_descriptor_t, pad3) == 8, "type_desc.pad3");
_Static_assert(offsetof(mp_msg_type_descriptor_t, type) == 11, "type_desc.type");

_Static_assert(sizeof(mp_msg_port_descriptor_t) == 12, "mp_msg_port_descriptor_t size");
_Static_assert(sizeof(mp_msg_port_descriptor_t) == MP_PORT_DESC_SIZE, "MP_PORT_DESC_SIZE");
_Static_assert(_Alignof(mp_msg_port_descriptor_t) == 4, "port_desc align");
_Static_assert(offsetof(mp_msg_port_descriptor_t, name) == 0, "port_desc.name");
_Static_assert(offsetof(mp_msg_port_descriptor_t, pad1) == 4, "port_desc.pad1");
_Static_assert(offsetof(mp_msg_port_descriptor_t, pad2) == 8, "port_desc.pad2");
_Static_assert(offsetof(mp_msg_port_descriptor_t, disposition) == 10, "port_desc.disposition");
_Static_assert(offsetof(mp_msg_port_descriptor_t, type) == 11, "port_desc.type");

_Static_assert(sizeof(mp_msg_ool_descriptor_t) == 16, "mp_msg_ool_descriptor_t size");
_Static_assert(sizeof(mp_msg_ool_descriptor_t) == MP_WIDE_DESC_SIZE, "MP_WIDE_DESC_SIZE (ool)");
_Static_assert(_Alignof(mp_msg_ool_descriptor_t) == 4, "ool_desc align");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, address) == 0, "ool_desc.address");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, deallocate) == 8, "ool_desc.deallocate");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, copy) == 9, "ool_desc.copy");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, pad1) == 10, "ool_desc.pad1");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, type) == 11, "ool_desc.type");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, size) == 12, "ool_desc.size");

_Static_assert(sizeof(mp_msg_ool_ports_descriptor_t) == 16, "mp_msg_ool_ports_descriptor_t size");
_Static_assert(sizeof(mp_msg_ool_ports_descriptor_t) == MP_WIDE_DESC_SIZE, "MP_WIDE_DESC_SIZE (ool_ports)");
_Static_assert(_Alignof(mp_msg_ool_ports_descriptor_t) == 4, "ool_ports_desc align");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, address) == 0, "ool_ports_desc.address");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, deallocate) == 8, "ool_ports_desc.deallocate");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, copy) == 9, "ool_ports_desc.copy");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, disposition) == 10, "ool_ports_desc.disposition");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, type) == 11, "ool_ports_desc.type");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, count) == 12, "ool_ports_desc.count");

_Static_assert(sizeof(mp_msg_guarded_port_descriptor_t) == 16, "mp_msg_guarded_port_descriptor_t size");
_Static_assert(sizeof(mp_msg_guarded_port_descriptor_t) == MP_WIDE_DESC_SIZE, "MP_WIDE_DESC_SIZE (guarded)");
_Static_assert(_Alignof(mp_msg_guarded_port_descriptor_t) == 4, "guarded_desc align");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, context) == 0, "guarded_desc.context");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, flags) == 8, "guarded_desc.flags");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, disposition) == 10, "guarded_desc.disposition");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, type) == 11, "guarded_desc.type");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, name) == 12, "guarded_desc.name");

/* The type byte sits at the same offset in every descriptor. */
_Static_assert(offsetof(mp_msg_type_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET (type)");
_Static_assert(offsetof(mp_msg_port_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET (port)");
_Static_assert(offsetof(mp_msg_ool_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET (ool)");
_Static_assert(offsetof(mp_msg_ool_ports_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET (ool_ports)");
_Static_assert(offsetof(mp_msg_guarded_port_descriptor_t, type) == MP_DESC_TYPE_OFFSET, "MP_DESC_TYPE_OFFSET (guarded)");
_Static_assert(MP_USER_DESC_SIZE_MIN == MP_PORT_DESC_SIZE, "MP_USER_DESC_SIZE_MIN");
_Static_assert(MP_USER_DESC_SIZE_MAX == MP_WIDE_DESC_SIZE, "MP_USER_DESC_SIZE_MAX");

/* ---- trailers ---------------------------------------------------------- */
_Static_assert(sizeof(mp_security_token_t) == 8, "mp_security_token_t size");
_Static_assert(offsetof(mp_security_token_t, val) == 0, "security_token.val");
_Static_assert(sizeof(mp_audit_token_t) == 32, "mp_audit_token_t size");
_Static_assert(offsetof(mp_audit_token_t, val) == 0, "audit_token.val");

_Static_assert(sizeof(mp_msg_trailer_t) == 8, "mp_msg_trailer_t size");
_Static_assert(sizeof(mp_msg_trailer_t) == MP_MSG_TRAILER_MINIMUM_SIZE, "MP_MSG_TRAILER_MINIMUM_SIZE");
_Static_assert(offsetof(mp_msg_trailer_t, msgh_trailer_type) == 0, "trailer.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_trailer_t, msgh_trailer_size) == 4, "trailer.msgh_trailer_size");

_Static_assert(sizeof(mp_msg_seqno_trailer_t) == 12, "mp_msg_seqno_trailer_t size");
_Static_assert(sizeof(mp_msg_seqno_trailer_t) == MP_MSG_TRAILER_SEQNO_SIZE, "MP_MSG_TRAILER_SEQNO_SIZE");
_Static_assert(offsetof(mp_msg_seqno_trailer_t, msgh_trailer_type) == 0, "seqno.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_seqno_trailer_t, msgh_trailer_size) == 4, "seqno.msgh_trailer_size");
_Static_assert(offsetof(mp_msg_seqno_trailer_t, msgh_seqno) == 8, "seqno.msgh_seqno");

_Static_assert(sizeof(mp_msg_security_trailer_t) == 20, "mp_msg_security_trailer_t size");
_Static_assert(sizeof(mp_msg_security_trailer_t) == MP_MSG_TRAILER_FORMAT_0_SIZE, "MP_MSG_TRAILER_FORMAT_0_SIZE");
_Static_assert(sizeof(mp_msg_format_0_trailer_t) == MP_MSG_TRAILER_FORMAT_0_SIZE, "mp_msg_format_0_trailer_t");
_Static_assert(offsetof(mp_msg_security_trailer_t, msgh_trailer_type) == 0, "security.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_security_trailer_t, msgh_trailer_size) == 4, "security.msgh_trailer_size");
_Static_assert(offsetof(mp_msg_security_trailer_t, msgh_seqno) == 8, "security.msgh_seqno");
_Static_assert(offsetof(mp_msg_security_trailer_t, msgh_sender) == 12, "security.msgh_sender");

_Static_assert(sizeof(mp_msg_audit_trailer_t) == 52, "mp_msg_audit_trailer_t size");
_Static_assert(sizeof(mp_msg_audit_trailer_t) == MP_MSG_TRAILER_AUDIT_SIZE, "MP_MSG_TRAILER_AUDIT_SIZE");
_Static_assert(offsetof(mp_msg_audit_trailer_t, msgh_trailer_type) == 0, "audit.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_audit_trailer_t, msgh_trailer_size) == 4, "audit.msgh_trailer_size");
_Static_assert(offsetof(mp_msg_audit_trailer_t, msgh_seqno) == 8, "audit.msgh_seqno");
_Static_assert(offsetof(mp_msg_audit_trailer_t, msgh_sender) == 12, "audit.msgh_sender");
_Static_assert(offsetof(mp_msg_audit_trailer_t, msgh_audit) == 20, "audit.msgh_audit");

_Static_assert(sizeof(mp_msg_context_trailer_t) == 60, "mp_msg_context_trailer_t size");
_Static_assert(sizeof(mp_msg_context_trailer_t) == MP_MSG_TRAILER_CONTEXT_SIZE, "MP_MSG_TRAILER_CONTEXT_SIZE");
_Static_assert(_Alignof(mp_msg_context_trailer_t) == 4, "context trailer align");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_trailer_type) == 0, "context.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_trailer_size) == 4, "context.msgh_trailer_size");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_seqno) == 8, "context.msgh_seqno");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_sender) == 12, "context.msgh_sender");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_audit) == 20, "context.msgh_audit");
_Static_assert(offsetof(mp_msg_context_trailer_t, msgh_context) == 52, "context.msgh_context");

_Static_assert(sizeof(mp_msg_mac_trailer_t) == 68, "mp_msg_mac_trailer_t size");
_Static_assert(sizeof(mp_msg_mac_trailer_t) == MP_MAX_TRAILER_SIZE, "MP_MAX_TRAILER_SIZE");
_Static_assert(sizeof(mp_msg_max_trailer_t) == MP_MAX_TRAILER_SIZE, "mp_msg_max_trailer_t");
_Static_assert(_Alignof(mp_msg_mac_trailer_t) == 4, "mac trailer align");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_trailer_type) == 0, "mac.msgh_trailer_type");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_trailer_size) == 4, "mac.msgh_trailer_size");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_seqno) == 8, "mac.msgh_seqno");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_sender) == 12, "mac.msgh_sender");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_audit) == 20, "mac.msgh_audit");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_context) == 52, "mac.msgh_context");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_ad) == 60, "mac.msgh_ad");
_Static_assert(offsetof(mp_msg_mac_trailer_t, msgh_labels) == 64, "mac.msgh_labels");

/* ---- derived constants ------------------------------------------------- */
_Static_assert(MP_MSGH_BITS_PORTS_MASK ==
		       (MP_MSGH_BITS_REMOTE_MASK | MP_MSGH_BITS_LOCAL_MASK | MP_MSGH_BITS_VOUCHER_MASK),
	       "MP_MSGH_BITS_PORTS_MASK");
_Static_assert(MP_MSGH_BITS_USER == (MP_MSGH_BITS_COMPLEX | MP_MSGH_BITS_PORTS_MASK), "MP_MSGH_BITS_USER");
_Static_assert(MP_MSGH_BITS_USED ==
		       (MP_MSGH_BITS_USER | MP_MSGH_BITS_RAISEIMP | MP_MSGH_BITS_IMPHOLDASRT),
	       "MP_MSGH_BITS_USED");
_Static_assert(MP_MAX_SEND_SIZE == 50331648u - MP_MAX_TRAILER_SIZE, "MP_MAX_SEND_SIZE");

/* §7.3 notification bodies and mach_port_status_t */
_Static_assert(sizeof(mp_no_senders_notification_t) == 36, "no-senders notification");
_Static_assert(sizeof(mp_dead_name_notification_t) == 36, "dead-name notification");
_Static_assert(offsetof(mp_dead_name_notification_t, not_port) == 32, "not_port");
_Static_assert(sizeof(mp_port_status_t) == 40, "mach_port_status_t");
