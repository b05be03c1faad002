/*
 * <mach/message.h> for Linux (machports' compat headers): message header,
 * descriptors, trailers, the MACH_MSGH_BITS_* and MACH_MSG_TYPE_* encodings,
 * the mach_msg option bits and return codes, and mach_msg / mach_msg_overwrite;
 * also mach_msg2 and the MACH64_* options, which the SDK keeps private and
 * which are public here.
 *
 * Derived from machports/wire.h (one place per fact): every MACH_MSGH_BITS_*
 * value and macro, every MACH_MSG_TYPE_* disposition, descriptor type, copy
 * option and guard flag, every option bit (MACH_SEND_*, MACH_RCV_*,
 * MACH64_*), every MACH_MSG_* / MACH_SEND_* / MACH_RCV_* return code, the
 * trailer sizes and the MACH_RCV_TRAILER_* encoding, and the layouts of the
 * header, body, base, type / port / guarded-port descriptors, and the plain,
 * seqno, security, audit and context trailers (typedefs of wire.h's structs;
 * their port fields are unsigned int, as mach_port_t is).
 * New facts here: the scalar typedefs, the OOL and OOL-ports descriptors
 * (their address is a pointer, wire.h's is a uint64_t), the descriptor
 * union, msg_labels_t and the MAC trailer, the empty-message structs,
 * REQUESTED_TRAILER_SIZE, round_msg, mach_msg_vector_t / aux header
 * spellings, MACH_MSG_TIMEOUT_NONE, MACH_MSGH_KIND_*, the token values.
 */
#ifndef MACHPORTS_COMPAT_MACH_MESSAGE_H
#define MACHPORTS_COMPAT_MACH_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include "machports/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef natural_t mach_msg_timeout_t;
#define MACH_MSG_TIMEOUT_NONE ((mach_msg_timeout_t)0)

typedef unsigned int mach_msg_bits_t;
typedef natural_t mach_msg_size_t;
typedef integer_t mach_msg_id_t;
typedef unsigned int mach_msg_priority_t;
typedef unsigned int mach_msg_type_name_t;
typedef unsigned int mach_msg_copy_options_t;
typedef unsigned int mach_msg_guard_flags_t;
typedef unsigned int mach_msg_descriptor_type_t;
typedef unsigned int mach_msg_trailer_type_t;
typedef unsigned int mach_msg_trailer_size_t;
typedef char *mach_msg_trailer_info_t;
typedef int mach_msg_filter_id;
typedef integer_t mach_msg_options_t;
typedef natural_t mach_msg_type_size_t;
typedef natural_t mach_msg_type_number_t;
typedef integer_t mach_msg_option_t;
typedef uint64_t mach_msg_option64_t;
typedef kern_return_t mach_msg_return_t;

#define MACH_MSG_SIZE_NULL ((mach_msg_size_t *)0)
#define MACH_MSG_PRIORITY_UNSPECIFIED ((mach_msg_priority_t)0)

/* msgh_bits */
#define MACH_MSGH_BITS_ZERO ((int)MP_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_REMOTE_MASK ((int)MP_MSGH_BITS_REMOTE_MASK)
#define MACH_MSGH_BITS_LOCAL_MASK ((int)MP_MSGH_BITS_LOCAL_MASK)
#define MACH_MSGH_BITS_VOUCHER_MASK ((int)MP_MSGH_BITS_VOUCHER_MASK)
#define MACH_MSGH_BITS_PORTS_MASK ((int)MP_MSGH_BITS_PORTS_MASK)
#define MACH_MSGH_BITS_COMPLEX MP_MSGH_BITS_COMPLEX
#define MACH_MSGH_BITS_USER MP_MSGH_BITS_USER
#define MACH_MSGH_BITS_RAISEIMP MP_MSGH_BITS_RAISEIMP
#define MACH_MSGH_BITS_DENAP MP_MSGH_BITS_DENAP
#define MACH_MSGH_BITS_IMPHOLDASRT MP_MSGH_BITS_IMPHOLDASRT
#define MACH_MSGH_BITS_DENAPHOLDASRT MP_MSGH_BITS_DENAPHOLDASRT
#define MACH_MSGH_BITS_CIRCULAR MP_MSGH_BITS_CIRCULAR
#define MACH_MSGH_BITS_USED MP_MSGH_BITS_USED
#define MACH_MSGH_BITS(remote, local) MP_MSGH_BITS(remote, local)
#define MACH_MSGH_BITS_SET_PORTS(remote, local, voucher) MP_MSGH_BITS_SET_PORTS(remote, local, voucher)
#define MACH_MSGH_BITS_SET(remote, local, voucher, other) MP_MSGH_BITS_SET(remote, local, voucher, other)
#define MACH_MSGH_BITS_REMOTE(bits) MP_MSGH_BITS_REMOTE(bits)
#define MACH_MSGH_BITS_LOCAL(bits) MP_MSGH_BITS_LOCAL(bits)
#define MACH_MSGH_BITS_VOUCHER(bits) MP_MSGH_BITS_VOUCHER(bits)
#define MACH_MSGH_BITS_PORTS(bits) MP_MSGH_BITS_PORTS(bits)
#define MACH_MSGH_BITS_OTHER(bits) MP_MSGH_BITS_OTHER(bits)
#define MACH_MSGH_BITS_HAS_REMOTE(bits) (MACH_MSGH_BITS_REMOTE(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_LOCAL(bits) (MACH_MSGH_BITS_LOCAL(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HAS_VOUCHER(bits) (MACH_MSGH_BITS_VOUCHER(bits) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_IS_COMPLEX(bits) (((bits) & MACH_MSGH_BITS_COMPLEX) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_RAISED_IMPORTANCE(bits) (((bits) & MACH_MSGH_BITS_RAISEIMP) != MACH_MSGH_BITS_ZERO)
#define MACH_MSGH_BITS_HOLDS_IMPORTANCE_ASSERTION(bits) \
	(((bits) & MACH_MSGH_BITS_IMPHOLDASRT) != MACH_MSGH_BITS_ZERO)

/* Dispositions */
#define MACH_MSG_TYPE_MOVE_RECEIVE ((int)MP_MSG_TYPE_MOVE_RECEIVE)
#define MACH_MSG_TYPE_MOVE_SEND ((int)MP_MSG_TYPE_MOVE_SEND)
#define MACH_MSG_TYPE_MOVE_SEND_ONCE ((int)MP_MSG_TYPE_MOVE_SEND_ONCE)
#define MACH_MSG_TYPE_COPY_SEND ((int)MP_MSG_TYPE_COPY_SEND)
#define MACH_MSG_TYPE_MAKE_SEND ((int)MP_MSG_TYPE_MAKE_SEND)
#define MACH_MSG_TYPE_MAKE_SEND_ONCE ((int)MP_MSG_TYPE_MAKE_SEND_ONCE)
#define MACH_MSG_TYPE_COPY_RECEIVE ((int)MP_MSG_TYPE_COPY_RECEIVE)
#define MACH_MSG_TYPE_DISPOSE_RECEIVE ((int)MP_MSG_TYPE_DISPOSE_RECEIVE)
#define MACH_MSG_TYPE_DISPOSE_SEND ((int)MP_MSG_TYPE_DISPOSE_SEND)
#define MACH_MSG_TYPE_DISPOSE_SEND_ONCE ((int)MP_MSG_TYPE_DISPOSE_SEND_ONCE)
#define MACH_MSG_TYPE_PORT_NONE ((int)MP_MSG_TYPE_PORT_NONE)
#define MACH_MSG_TYPE_PORT_NAME ((int)MP_MSG_TYPE_PORT_NAME)
#define MACH_MSG_TYPE_PORT_RECEIVE ((int)MP_MSG_TYPE_PORT_RECEIVE)
#define MACH_MSG_TYPE_PORT_SEND ((int)MP_MSG_TYPE_PORT_SEND)
#define MACH_MSG_TYPE_PORT_SEND_ONCE ((int)MP_MSG_TYPE_PORT_SEND_ONCE)
#define MACH_MSG_TYPE_LAST ((int)MP_MSG_TYPE_LAST)
#define MACH_MSG_TYPE_POLYMORPHIC ((mach_msg_type_name_t)MP_MSG_TYPE_POLYMORPHIC)
#define MACH_MSG_TYPE_PORT_ANY(x) MP_MSG_TYPE_PORT_ANY(x)
#define MACH_MSG_TYPE_PORT_ANY_SEND(x) MP_MSG_TYPE_PORT_ANY_SEND(x)
#define MACH_MSG_TYPE_PORT_ANY_RIGHT(x) MP_MSG_TYPE_PORT_ANY_RIGHT(x)

/* Copy options, guard flags, descriptor types */
#define MACH_MSG_PHYSICAL_COPY ((int)MP_MSG_PHYSICAL_COPY)
#define MACH_MSG_VIRTUAL_COPY ((int)MP_MSG_VIRTUAL_COPY)
#define MACH_MSG_ALLOCATE ((int)MP_MSG_ALLOCATE)
#define MACH_MSG_OVERWRITE ((int)MP_MSG_OVERWRITE)
#define MACH_MSG_GUARD_FLAGS_NONE ((int)MP_MSG_GUARD_FLAGS_NONE)
#define MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE ((int)MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE)
#define MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND ((int)MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND)
#define MACH_MSG_GUARD_FLAGS_MASK ((int)MP_MSG_GUARD_FLAGS_MASK)
#define MACH_MSG_PORT_DESCRIPTOR ((int)MP_MSG_PORT_DESCRIPTOR)
#define MACH_MSG_OOL_DESCRIPTOR ((int)MP_MSG_OOL_DESCRIPTOR)
#define MACH_MSG_OOL_PORTS_DESCRIPTOR ((int)MP_MSG_OOL_PORTS_DESCRIPTOR)
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR ((int)MP_MSG_OOL_VOLATILE_DESCRIPTOR)
#define MACH_MSG_GUARDED_PORT_DESCRIPTOR ((int)MP_MSG_GUARDED_PORT_DESCRIPTOR)
#define MACH_MSG_DESCRIPTOR_MAX ((int)MP_MSG_DESCRIPTOR_MAX)

#pragma pack(push, 4)

typedef mp_msg_type_descriptor_t mach_msg_type_descriptor_t;
typedef mp_msg_port_descriptor_t mach_msg_port_descriptor_t;
typedef mp_msg_guarded_port_descriptor_t mach_msg_guarded_port_descriptor_t;

typedef struct {
	void *address;
	uint8_t deallocate;
	uint8_t copy;
	uint8_t pad1;
	uint8_t type;
	mach_msg_size_t size;
} mach_msg_ool_descriptor_t;

typedef struct {
	void *address;
	uint8_t deallocate;
	uint8_t copy;
	uint8_t disposition;
	uint8_t type;
	mach_msg_size_t count;
} mach_msg_ool_ports_descriptor_t;

typedef mach_msg_ool_descriptor_t mach_msg_ool_descriptor64_t;
typedef mach_msg_ool_ports_descriptor_t mach_msg_ool_ports_descriptor64_t;
typedef mach_msg_guarded_port_descriptor_t mach_msg_guarded_port_descriptor64_t;

typedef union {
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t out_of_line;
	mach_msg_ool_ports_descriptor_t ool_ports;
	mach_msg_type_descriptor_t type;
	mach_msg_guarded_port_descriptor_t guarded_port;
} mach_msg_descriptor_t;

typedef mp_msg_body_t mach_msg_body_t;
typedef mp_msg_header_t mach_msg_header_t;
typedef mp_msg_base_t mach_msg_base_t;

#define MACH_MSG_BODY_NULL ((mach_msg_body_t *)0)
#define MACH_MSG_DESCRIPTOR_NULL ((mach_msg_descriptor_t *)0)
#define MACH_MSG_NULL ((mach_msg_header_t *)0)
#define msgh_reserved msgh_voucher_port

typedef mp_msg_trailer_t mach_msg_trailer_t;
typedef mp_msg_seqno_trailer_t mach_msg_seqno_trailer_t;
typedef mp_security_token_t security_token_t;
typedef mp_msg_security_trailer_t mach_msg_security_trailer_t;
typedef mp_audit_token_t audit_token_t;
typedef mp_msg_audit_trailer_t mach_msg_audit_trailer_t;
typedef mp_msg_context_trailer_t mach_msg_context_trailer_t;

typedef struct {
	mach_port_name_t sender;
} msg_labels_t;

typedef struct {
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
	mach_port_seqno_t msgh_seqno;
	security_token_t msgh_sender;
	audit_token_t msgh_audit;
	mach_port_context_t msgh_context;
	mach_msg_filter_id msgh_ad;
	msg_labels_t msgh_labels;
} mach_msg_mac_trailer_t;

typedef mach_msg_mac_trailer_t mach_msg_max_trailer_t;
typedef mach_msg_security_trailer_t mach_msg_format_0_trailer_t;

typedef struct {
	mach_msg_header_t header;
} mach_msg_empty_send_t;

typedef struct {
	mach_msg_header_t header;
	mach_msg_trailer_t trailer;
} mach_msg_empty_rcv_t;

typedef union {
	mach_msg_empty_send_t send;
	mach_msg_empty_rcv_t rcv;
} mach_msg_empty_t;

/* mach_msg2's vector and auxiliary-data header (private in the SDK). */
typedef mp_msg_vector_t mach_msg_vector_t;
typedef mp_msg_aux_header_t mach_msg_aux_header_t;

#pragma pack(pop)

#define MACH_MSG_TRAILER_FORMAT_0 ((int)MP_MSG_TRAILER_FORMAT_0)
#define MACH_MSG_TRAILER_MINIMUM_SIZE ((size_t)MP_MSG_TRAILER_MINIMUM_SIZE)
#define MACH_MSG_TRAILER_FORMAT_0_SIZE ((size_t)MP_MSG_TRAILER_FORMAT_0_SIZE)
#define MAX_TRAILER_SIZE ((mach_msg_size_t)MP_MAX_TRAILER_SIZE)
#define MACH_MSG_FILTER_POLICY_ALLOW ((mach_msg_filter_id)0)

#define KERNEL_SECURITY_TOKEN_VALUE MP_KERNEL_SECURITY_TOKEN_INIT
#define KERNEL_AUDIT_TOKEN_VALUE MP_KERNEL_AUDIT_TOKEN_INIT
#define INVALID_AUDIT_TOKEN_VALUE \
	{ { UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX } }
extern const security_token_t KERNEL_SECURITY_TOKEN;
extern const audit_token_t KERNEL_AUDIT_TOKEN;

#define MACH_MSG_HEADER_EMPTY ((mach_msg_header_t){ 0, 0, 0, 0, 0, 0 })

#define round_msg(x) \
	(((mach_msg_size_t)(x) + sizeof(natural_t) - 1) & ~(sizeof(natural_t) - 1))

#define MACH_MSG_SIZE_MAX ((mach_msg_size_t)MP_MSG_SIZE_MAX)
#define MACH_MSG_SIZE_RELIABLE ((mach_msg_size_t)MP_MSG_SIZE_RELIABLE)

#define MACH_MSGH_KIND_NORMAL 0x00000000
#define MACH_MSGH_KIND_NOTIFICATION 0x00000001
#define msgh_kind msgh_seqno
#define mach_msg_kind_t mach_port_seqno_t

/* mach_msg options */
#define MACH_MSG_OPTION_NONE ((int)MP_MACH_MSG_OPTION_NONE)
#define MACH_SEND_MSG ((int)MP_MACH_SEND_MSG)
#define MACH_RCV_MSG ((int)MP_MACH_RCV_MSG)
#define MACH_RCV_LARGE ((int)MP_MACH_RCV_LARGE)
#define MACH_RCV_LARGE_IDENTITY ((int)MP_MACH_RCV_LARGE_IDENTITY)
#define MACH_SEND_TIMEOUT ((int)MP_MACH_SEND_TIMEOUT)
#define MACH_SEND_OVERRIDE ((int)MP_MACH_SEND_OVERRIDE)
#define MACH_SEND_INTERRUPT ((int)MP_MACH_SEND_INTERRUPT)
#define MACH_SEND_NOTIFY ((int)MP_MACH_SEND_NOTIFY)
#define MACH_SEND_ALWAYS ((int)MP_MACH_SEND_ALWAYS)
#define MACH_SEND_FILTER_NONFATAL ((int)MP_MACH_SEND_FILTER_NONFATAL)
#define MACH_SEND_TRAILER ((int)MP_MACH_SEND_TRAILER)
#define MACH_SEND_NOIMPORTANCE ((int)MP_MACH_SEND_NOIMPORTANCE)
#define MACH_SEND_NODENAP ((int)MP_MACH_SEND_NODENAP)
#define MACH_SEND_IMPORTANCE ((int)MP_MACH_SEND_IMPORTANCE)
#define MACH_SEND_SYNC_OVERRIDE ((int)MP_MACH_SEND_SYNC_OVERRIDE)
#define MACH_SEND_PROPAGATE_QOS ((int)MP_MACH_SEND_PROPAGATE_QOS)
#define MACH_SEND_SYNC_USE_THRPRI ((int)MP_MACH_SEND_SYNC_USE_THRPRI)
#define MACH_SEND_KERNEL ((int)MP_MACH_SEND_KERNEL)
#define MACH_SEND_SYNC_BOOTSTRAP_CHECKIN ((int)MP_MACH_SEND_SYNC_BOOTSTRAP_CHECKIN)
#define MACH_RCV_TIMEOUT ((int)MP_MACH_RCV_TIMEOUT)
#define MACH_RCV_NOTIFY ((int)MP_MACH_RCV_NOTIFY)
#define MACH_RCV_INTERRUPT ((int)MP_MACH_RCV_INTERRUPT)
#define MACH_RCV_VOUCHER ((int)MP_MACH_RCV_VOUCHER)
#define MACH_RCV_OVERWRITE ((int)MP_MACH_RCV_OVERWRITE)
#define MACH_RCV_GUARDED_DESC ((int)MP_MACH_RCV_GUARDED_DESC)
#define MACH_RCV_SYNC_WAIT ((int)MP_MACH_RCV_SYNC_WAIT)
#define MACH_RCV_SYNC_PEEK ((int)MP_MACH_RCV_SYNC_PEEK)
#define MACH_MSG_STRICT_REPLY ((int)MP_MACH_MSG_STRICT_REPLY)

/* Trailer requests */
#define MACH_RCV_TRAILER_NULL ((int)MP_RCV_TRAILER_NULL)
#define MACH_RCV_TRAILER_SEQNO ((int)MP_RCV_TRAILER_SEQNO)
#define MACH_RCV_TRAILER_SENDER ((int)MP_RCV_TRAILER_SENDER)
#define MACH_RCV_TRAILER_AUDIT ((int)MP_RCV_TRAILER_AUDIT)
#define MACH_RCV_TRAILER_CTX ((int)MP_RCV_TRAILER_CTX)
#define MACH_RCV_TRAILER_AV ((int)MP_RCV_TRAILER_AV)
#define MACH_RCV_TRAILER_LABELS ((int)MP_RCV_TRAILER_LABELS)
#define MACH_RCV_TRAILER_TYPE(x) MP_RCV_TRAILER_TYPE(x)
#define MACH_RCV_TRAILER_ELEMENTS(x) MP_RCV_TRAILER_ELEMENTS(x)
#define MACH_RCV_TRAILER_MASK ((int)MP_RCV_TRAILER_MASK)
#define GET_RCV_ELEMENTS(y) MP_GET_RCV_ELEMENTS(y)
/* The trailer size a receive option asks for (64-bit user layout). */
#define REQUESTED_TRAILER_SIZE_NATIVE(y)                                                  \
	((mach_msg_trailer_size_t)(                                                        \
	    GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_NULL    ? MP_MSG_TRAILER_MINIMUM_SIZE  \
	    : GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SEQNO ? MP_MSG_TRAILER_SEQNO_SIZE    \
	    : GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_SENDER ? MP_MSG_TRAILER_FORMAT_0_SIZE \
	    : GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AUDIT ? MP_MSG_TRAILER_AUDIT_SIZE    \
	    : GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_CTX   ? MP_MSG_TRAILER_CONTEXT_SIZE  \
	    : GET_RCV_ELEMENTS(y) == MACH_RCV_TRAILER_AV    ? MP_MAX_TRAILER_SIZE          \
	                                                    : MP_MAX_TRAILER_SIZE))
#define REQUESTED_TRAILER_SIZE(y) REQUESTED_TRAILER_SIZE_NATIVE(y)

/* Return codes */
#define MACH_MSG_SUCCESS MP_MACH_MSG_SUCCESS
#define MACH_MSG_MASK MP_MACH_MSG_MASK
#define MACH_MSG_IPC_SPACE MP_MACH_MSG_IPC_SPACE
#define MACH_MSG_VM_SPACE MP_MACH_MSG_VM_SPACE
#define MACH_MSG_IPC_KERNEL MP_MACH_MSG_IPC_KERNEL
#define MACH_MSG_VM_KERNEL MP_MACH_MSG_VM_KERNEL
#define MACH_SEND_IN_PROGRESS MP_MACH_SEND_IN_PROGRESS
#define MACH_SEND_INVALID_DATA MP_MACH_SEND_INVALID_DATA
#define MACH_SEND_INVALID_DEST MP_MACH_SEND_INVALID_DEST
#define MACH_SEND_TIMED_OUT MP_MACH_SEND_TIMED_OUT
#define MACH_SEND_INVALID_VOUCHER MP_MACH_SEND_INVALID_VOUCHER
#define MACH_SEND_INTERRUPTED MP_MACH_SEND_INTERRUPTED
#define MACH_SEND_MSG_TOO_SMALL MP_MACH_SEND_MSG_TOO_SMALL
#define MACH_SEND_INVALID_REPLY MP_MACH_SEND_INVALID_REPLY
#define MACH_SEND_INVALID_RIGHT MP_MACH_SEND_INVALID_RIGHT
#define MACH_SEND_INVALID_NOTIFY MP_MACH_SEND_INVALID_NOTIFY
#define MACH_SEND_INVALID_MEMORY MP_MACH_SEND_INVALID_MEMORY
#define MACH_SEND_NO_BUFFER MP_MACH_SEND_NO_BUFFER
#define MACH_SEND_TOO_LARGE MP_MACH_SEND_TOO_LARGE
#define MACH_SEND_INVALID_TYPE MP_MACH_SEND_INVALID_TYPE
#define MACH_SEND_INVALID_HEADER MP_MACH_SEND_INVALID_HEADER
#define MACH_SEND_INVALID_TRAILER MP_MACH_SEND_INVALID_TRAILER
#define MACH_SEND_INVALID_CONTEXT MP_MACH_SEND_INVALID_CONTEXT
#define MACH_SEND_INVALID_OPTIONS MP_MACH_SEND_INVALID_OPTIONS
#define MACH_SEND_INVALID_RT_OOL_SIZE MP_MACH_SEND_INVALID_RT_OOL_SIZE
#define MACH_SEND_NO_GRANT_DEST MP_MACH_SEND_NO_GRANT_DEST
#define MACH_SEND_MSG_FILTERED MP_MACH_SEND_MSG_FILTERED
#define MACH_SEND_AUX_TOO_SMALL MP_MACH_SEND_AUX_TOO_SMALL
#define MACH_SEND_AUX_TOO_LARGE MP_MACH_SEND_AUX_TOO_LARGE
#define MACH_RCV_IN_PROGRESS MP_MACH_RCV_IN_PROGRESS
#define MACH_RCV_INVALID_NAME MP_MACH_RCV_INVALID_NAME
#define MACH_RCV_TIMED_OUT MP_MACH_RCV_TIMED_OUT
#define MACH_RCV_TOO_LARGE MP_MACH_RCV_TOO_LARGE
#define MACH_RCV_INTERRUPTED MP_MACH_RCV_INTERRUPTED
#define MACH_RCV_PORT_CHANGED MP_MACH_RCV_PORT_CHANGED
#define MACH_RCV_INVALID_NOTIFY MP_MACH_RCV_INVALID_NOTIFY
#define MACH_RCV_INVALID_DATA MP_MACH_RCV_INVALID_DATA
#define MACH_RCV_PORT_DIED MP_MACH_RCV_PORT_DIED
#define MACH_RCV_IN_SET MP_MACH_RCV_IN_SET
#define MACH_RCV_HEADER_ERROR MP_MACH_RCV_HEADER_ERROR
#define MACH_RCV_BODY_ERROR MP_MACH_RCV_BODY_ERROR
#define MACH_RCV_INVALID_TYPE MP_MACH_RCV_INVALID_TYPE
#define MACH_RCV_SCATTER_SMALL MP_MACH_RCV_SCATTER_SMALL
#define MACH_RCV_INVALID_TRAILER MP_MACH_RCV_INVALID_TRAILER
#define MACH_RCV_IN_PROGRESS_TIMED MP_MACH_RCV_IN_PROGRESS_TIMED
#define MACH_RCV_INVALID_REPLY MP_MACH_RCV_INVALID_REPLY
#define MACH_RCV_INVALID_ARGUMENTS MP_MACH_RCV_INVALID_ARGUMENTS

/* mach_msg2 options (private in the SDK, public here). */
/* The 32-bit options under their mach_msg2 names (XNU's mach_msg_option64_t
 * enum spells each as the MACH_* option of the same name), so code written
 * for mach_msg2, XNU's own tests among it, compiles unchanged. */
#define MACH64_MSG_OPTION_NONE ((mach_msg_option64_t)0)
#define MACH64_SEND_MSG ((mach_msg_option64_t)MACH_SEND_MSG)
#define MACH64_RCV_MSG ((mach_msg_option64_t)MACH_RCV_MSG)
#define MACH64_RCV_LARGE ((mach_msg_option64_t)MACH_RCV_LARGE)
#define MACH64_RCV_LARGE_IDENTITY ((mach_msg_option64_t)MACH_RCV_LARGE_IDENTITY)
#define MACH64_SEND_TIMEOUT ((mach_msg_option64_t)MACH_SEND_TIMEOUT)
#define MACH64_SEND_OVERRIDE ((mach_msg_option64_t)MACH_SEND_OVERRIDE)
#define MACH64_SEND_INTERRUPT ((mach_msg_option64_t)MACH_SEND_INTERRUPT)
#define MACH64_SEND_NOTIFY ((mach_msg_option64_t)MACH_SEND_NOTIFY)
#define MACH64_SEND_ALWAYS ((mach_msg_option64_t)MACH_SEND_ALWAYS)
#define MACH64_SEND_IMPORTANCE ((mach_msg_option64_t)MACH_SEND_IMPORTANCE)
#define MACH64_SEND_KERNEL ((mach_msg_option64_t)MACH_SEND_KERNEL)
#define MACH64_SEND_FILTER_NONFATAL ((mach_msg_option64_t)MACH_SEND_FILTER_NONFATAL)
#define MACH64_SEND_TRAILER ((mach_msg_option64_t)MACH_SEND_TRAILER)
#define MACH64_SEND_NOIMPORTANCE ((mach_msg_option64_t)MACH_SEND_NOIMPORTANCE)
#define MACH64_SEND_NODENAP ((mach_msg_option64_t)MACH_SEND_NODENAP)
#define MACH64_SEND_SYNC_OVERRIDE ((mach_msg_option64_t)MACH_SEND_SYNC_OVERRIDE)
#define MACH64_SEND_PROPAGATE_QOS ((mach_msg_option64_t)MACH_SEND_PROPAGATE_QOS)
#define MACH64_SEND_SYNC_BOOTSTRAP_CHECKIN ((mach_msg_option64_t)MACH_SEND_SYNC_BOOTSTRAP_CHECKIN)
#define MACH64_RCV_TIMEOUT ((mach_msg_option64_t)MACH_RCV_TIMEOUT)
#define MACH64_RCV_INTERRUPT ((mach_msg_option64_t)MACH_RCV_INTERRUPT)
#define MACH64_RCV_VOUCHER ((mach_msg_option64_t)MACH_RCV_VOUCHER)
#define MACH64_RCV_GUARDED_DESC ((mach_msg_option64_t)MACH_RCV_GUARDED_DESC)
#define MACH64_RCV_SYNC_WAIT ((mach_msg_option64_t)MACH_RCV_SYNC_WAIT)
#define MACH64_RCV_SYNC_PEEK ((mach_msg_option64_t)MACH_RCV_SYNC_PEEK)
#define MACH64_MSG_STRICT_REPLY ((mach_msg_option64_t)MACH_MSG_STRICT_REPLY)
#define MACH64_SEND_USER_CALL MACH64_SEND_MQ_CALL
#define MACH64_MSG_VECTOR MP_MACH64_MSG_VECTOR
#define MACH64_SEND_KOBJECT_CALL MP_MACH64_SEND_KOBJECT_CALL
#define MACH64_SEND_MQ_CALL MP_MACH64_SEND_MQ_CALL
#define MACH64_SEND_ANY MP_MACH64_SEND_ANY
#define MACH64_SEND_DK_CALL MP_MACH64_SEND_DK_CALL
#define MACH64_RCV_LINEAR_VECTOR MP_MACH64_RCV_LINEAR_VECTOR
#define MACH64_RCV_STACK MP_MACH64_RCV_STACK
#define MACH64_MACH_MSG2 MP_MACH64_MACH_MSG2
#define MACH64_MSG_OPTION_CFI_MASK MP_MACH64_MSG_OPTION_CFI_MASK
#define MACH64_MSG_OPTION_USER MP_MACH64_MSG_OPTION_USER
#define MACH_MSGV_MAX_COUNT MP_MACH_MSGV_MAX_COUNT
#define MACH_MSGV_IDX_MSG MP_MACH_MSGV_IDX_MSG
#define MACH_MSGV_IDX_AUX MP_MACH_MSGV_IDX_AUX

extern mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
					    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
					    mach_port_name_t notify, mach_msg_header_t *rcv_msg,
					    mach_msg_size_t rcv_limit);

extern mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
				  mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				  mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				  mach_port_name_t notify);

/* XNU's 64-bit entry (osfmk/mach/message.h, PRIVATE there): `header` is the
 * header the kernel uses; with MACH64_MSG_VECTOR, `data` is an array of
 * mach_msg_vector_t and send_size / rcv_size count vectors. */
extern mach_msg_return_t mach_msg2(void *data, mach_msg_option64_t option64,
				   mach_msg_header_t header, mach_msg_size_t send_size,
				   mach_msg_size_t rcv_size, mach_port_t rcv_name, uint64_t timeout,
				   uint32_t priority);

extern kern_return_t mach_voucher_deallocate(mach_port_name_t voucher);

#ifdef __cplusplus
}
#endif

#endif
