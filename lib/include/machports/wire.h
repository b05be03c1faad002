/*
 * machports/wire.h: the 64-bit user ABI of XNU Mach messages, as facts.
 *
 * Every value and layout here is carried over from XNU's osfmk/mach/message.h,
 * port.h and kern_return.h (xnu-11417.101.15), as recorded in
 * shared/xnu-abi.md; section numbers below refer to that file. Nothing here
 * needs an Apple header. On Apple platforms lib/wire/wire_darwin_check.c holds
 * every struct against <mach/message.h>.
 *
 * The ABI is little-endian (arm64, x86_64). The structs below are declared
 * under pack(4), as message.h declares them, so 8-byte fields are only 4-byte
 * aligned. The bitfield word of each descriptor (bytes 8..11) is spelled out
 * as bytes, which gives the same layout as XNU's LSB-first bitfields on a
 * little-endian host without relying on implementation-defined bitfields.
 * The parser and builder never overlay these structs on a buffer: they read
 * and write each field with explicit little-endian loads and stores.
 */
#ifndef MACHPORTS_WIRE_H
#define MACHPORTS_WIRE_H

#include <stdint.h>

/* ---- §1.1 scalar types (userspace, LP64) ------------------------------ */
typedef uint32_t mp_port_name_t;
typedef uint32_t mp_msg_bits_t;
typedef uint32_t mp_msg_size_t;
typedef int32_t mp_msg_id_t;
typedef int32_t mp_kern_return_t;
typedef mp_kern_return_t mp_kr_t; /* what every port and kernel call returns: a KERN_* / MACH_* code */

/* ---- §5.3 names ------------------------------------------------------- */
#define MP_PORT_NULL ((mp_port_name_t)0)
#define MP_PORT_DEAD ((mp_port_name_t)0xFFFFFFFFu)
#define MP_PORT_VALID(n) ((n) != MP_PORT_NULL && (n) != MP_PORT_DEAD)

/* ---- §1.4 msgh_bits --------------------------------------------------- */
#define MP_MSGH_BITS_ZERO 0x00000000u
#define MP_MSGH_BITS_REMOTE_MASK 0x0000001fu
#define MP_MSGH_BITS_LOCAL_MASK 0x00001f00u
#define MP_MSGH_BITS_VOUCHER_MASK 0x001f0000u
#define MP_MSGH_BITS_PORTS_MASK 0x001f1f1fu
#define MP_MSGH_BITS_COMPLEX 0x80000000u
#define MP_MSGH_BITS_USER 0x801f1f1fu
#define MP_MSGH_BITS_RAISEIMP 0x20000000u
#define MP_MSGH_BITS_DENAP MP_MSGH_BITS_RAISEIMP
#define MP_MSGH_BITS_IMPHOLDASRT 0x10000000u
#define MP_MSGH_BITS_DENAPHOLDASRT MP_MSGH_BITS_IMPHOLDASRT
#define MP_MSGH_BITS_CIRCULAR 0x10000000u /* kernel private, same bit */
#define MP_MSGH_BITS_USED 0xb01f1f1fu

#define MP_MSGH_BITS(remote, local) ((uint32_t)(remote) | ((uint32_t)(local) << 8))
#define MP_MSGH_BITS_SET_PORTS(r, l, v)                                       \
	(((uint32_t)(r) & MP_MSGH_BITS_REMOTE_MASK) |                             \
	 (((uint32_t)(l) << 8) & MP_MSGH_BITS_LOCAL_MASK) |                       \
	 (((uint32_t)(v) << 16) & MP_MSGH_BITS_VOUCHER_MASK))
#define MP_MSGH_BITS_SET(r, l, v, other)                                      \
	(MP_MSGH_BITS_SET_PORTS(r, l, v) | ((uint32_t)(other) & ~MP_MSGH_BITS_PORTS_MASK))
#define MP_MSGH_BITS_REMOTE(b) ((uint32_t)(b) & MP_MSGH_BITS_REMOTE_MASK)
#define MP_MSGH_BITS_LOCAL(b) (((uint32_t)(b) & MP_MSGH_BITS_LOCAL_MASK) >> 8)
#define MP_MSGH_BITS_VOUCHER(b) (((uint32_t)(b) & MP_MSGH_BITS_VOUCHER_MASK) >> 16)
#define MP_MSGH_BITS_PORTS(b) ((uint32_t)(b) & MP_MSGH_BITS_PORTS_MASK)
#define MP_MSGH_BITS_OTHER(b) ((uint32_t)(b) & ~MP_MSGH_BITS_PORTS_MASK)
#define MP_MSGH_BITS_IS_COMPLEX(b) (((uint32_t)(b) & MP_MSGH_BITS_COMPLEX) != 0)

/* ---- §3.1 dispositions (mach_msg_type_name_t) ------------------------- */
#define MP_MSG_TYPE_PORT_NONE 0u
#define MP_MSG_TYPE_PORT_NAME 15u
#define MP_MSG_TYPE_MOVE_RECEIVE 16u
#define MP_MSG_TYPE_MOVE_SEND 17u
#define MP_MSG_TYPE_MOVE_SEND_ONCE 18u
#define MP_MSG_TYPE_COPY_SEND 19u
#define MP_MSG_TYPE_MAKE_SEND 20u
#define MP_MSG_TYPE_MAKE_SEND_ONCE 21u
#define MP_MSG_TYPE_COPY_RECEIVE 22u
#define MP_MSG_TYPE_DISPOSE_RECEIVE 24u
#define MP_MSG_TYPE_DISPOSE_SEND 25u
#define MP_MSG_TYPE_DISPOSE_SEND_ONCE 26u
#define MP_MSG_TYPE_PORT_RECEIVE MP_MSG_TYPE_MOVE_RECEIVE
#define MP_MSG_TYPE_PORT_SEND MP_MSG_TYPE_MOVE_SEND
#define MP_MSG_TYPE_PORT_SEND_ONCE MP_MSG_TYPE_MOVE_SEND_ONCE
#define MP_MSG_TYPE_LAST 22u
#define MP_MSG_TYPE_POLYMORPHIC 0xFFFFFFFFu

#define MP_MSG_TYPE_PORT_ANY(x) ((x) >= 16u && (x) <= 21u)
#define MP_MSG_TYPE_PORT_ANY_SEND(x) ((x) >= 17u && (x) <= 21u)
#define MP_MSG_TYPE_PORT_ANY_SEND_ONCE(x) ((x) == 18u || (x) == 21u)
#define MP_MSG_TYPE_PORT_ANY_RIGHT(x) ((x) >= 16u && (x) <= 18u)

/* ipc_object_copyin_type: the type a disposition carries in flight. */
static inline uint32_t mp_msg_type_copyin(uint32_t disposition)
{
	switch (disposition) {
	case 16u: /* MOVE_RECEIVE */
		return 16u; /* PORT_RECEIVE */
	case 17u: /* MOVE_SEND */
	case 19u: /* COPY_SEND */
	case 20u: /* MAKE_SEND */
		return 17u; /* PORT_SEND */
	case 18u: /* MOVE_SEND_ONCE */
	case 21u: /* MAKE_SEND_ONCE */
		return 18u; /* PORT_SEND_ONCE */
	default:
		return 0u; /* MACH_MSG_TYPE_PORT_NONE */
	}
}

/* A disposition that names a right to copy in (16..21). */
static inline int mp_msg_type_is_right(uint32_t disposition)
{
	return MP_MSG_TYPE_PORT_ANY(disposition);
}

/* ---- §2.1 descriptor types -------------------------------------------- */
#define MP_MSG_PORT_DESCRIPTOR 0u
#define MP_MSG_OOL_DESCRIPTOR 1u
#define MP_MSG_OOL_PORTS_DESCRIPTOR 2u
#define MP_MSG_OOL_VOLATILE_DESCRIPTOR 3u
#define MP_MSG_GUARDED_PORT_DESCRIPTOR 4u
#define MP_MSG_DESCRIPTOR_MAX MP_MSG_GUARDED_PORT_DESCRIPTOR

/* §2.2: user descriptor sizes on LP64, and the position of the type byte. */
#define MP_PORT_DESC_SIZE 12u
#define MP_WIDE_DESC_SIZE 16u /* OOL, OOL_VOLATILE, OOL_PORTS, GUARDED_PORT */
#define MP_USER_DESC_SIZE_MIN 12u
#define MP_USER_DESC_SIZE_MAX 16u
#define MP_DESC_TYPE_OFFSET 11u

/* ---- §3.2 copy options, §3.3 guard flags ------------------------------ */
#define MP_MSG_PHYSICAL_COPY 0u
#define MP_MSG_VIRTUAL_COPY 1u
#define MP_MSG_ALLOCATE 2u
#define MP_MSG_OVERWRITE 3u
#define MP_MSG_KALLOC_COPY_T 4u

#define MP_MSG_GUARD_FLAGS_NONE 0x0000u
#define MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE 0x0001u
#define MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND 0x0002u
#define MP_MSG_GUARD_FLAGS_MASK 0x0003u

/* ---- §1.2-1.3, §2.3 layouts ------------------------------------------- */
#pragma pack(push, 4)

typedef struct mp_msg_header {
	mp_msg_bits_t msgh_bits;          /* 0 */
	mp_msg_size_t msgh_size;          /* 4: ignored on send */
	mp_port_name_t msgh_remote_port;  /* 8 */
	mp_port_name_t msgh_local_port;   /* 12 */
	mp_port_name_t msgh_voucher_port; /* 16 */
	mp_msg_id_t msgh_id;              /* 20 */
} mp_msg_header_t;

typedef struct mp_msg_body {
	mp_msg_size_t msgh_descriptor_count;
} mp_msg_body_t;

typedef struct mp_msg_base {
	mp_msg_header_t header;
	mp_msg_body_t body;
} mp_msg_base_t;

typedef struct mp_msg_type_descriptor {
	uint32_t pad1;
	uint32_t pad2;
	uint8_t pad3[3];
	uint8_t type; /* byte 11 */
} mp_msg_type_descriptor_t;

typedef struct mp_msg_port_descriptor {
	mp_port_name_t name;
	uint32_t pad1;
	uint16_t pad2;
	uint8_t disposition; /* byte 10 */
	uint8_t type;        /* byte 11 */
} mp_msg_port_descriptor_t;

typedef struct mp_msg_ool_descriptor {
	uint64_t address;   /* 0 (only 4-aligned) */
	uint8_t deallocate; /* 8 */
	uint8_t copy;       /* 9 */
	uint8_t pad1;       /* 10 */
	uint8_t type;       /* 11 */
	mp_msg_size_t size; /* 12 */
} mp_msg_ool_descriptor_t;

typedef struct mp_msg_ool_ports_descriptor {
	uint64_t address;    /* 0: array of count u32 names */
	uint8_t deallocate;  /* 8 */
	uint8_t copy;        /* 9 */
	uint8_t disposition; /* 10 */
	uint8_t type;        /* 11 */
	mp_msg_size_t count; /* 12 */
} mp_msg_ool_ports_descriptor_t;

typedef struct mp_msg_guarded_port_descriptor {
	uint64_t context;    /* 0 */
	uint16_t flags;      /* 8 */
	uint8_t disposition; /* 10 */
	uint8_t type;        /* 11 */
	mp_port_name_t name; /* 12 */
} mp_msg_guarded_port_descriptor_t;

/* ---- §4.1 trailers ---------------------------------------------------- */
typedef struct mp_security_token {
	uint32_t val[2]; /* [0] euid, [1] egid */
} mp_security_token_t;

typedef struct mp_audit_token {
	uint32_t val[8]; /* §4.4: auid, euid, egid, ruid, rgid, pid, asid, pidversion */
} mp_audit_token_t;

typedef struct mp_msg_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
} mp_msg_trailer_t;

typedef struct mp_msg_seqno_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
	uint32_t msgh_seqno;
} mp_msg_seqno_trailer_t;

typedef struct mp_msg_security_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
	uint32_t msgh_seqno;
	mp_security_token_t msgh_sender;
} mp_msg_security_trailer_t;

typedef struct mp_msg_audit_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
	uint32_t msgh_seqno;
	mp_security_token_t msgh_sender;
	mp_audit_token_t msgh_audit;
} mp_msg_audit_trailer_t;

typedef struct mp_msg_context_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
	uint32_t msgh_seqno;
	mp_security_token_t msgh_sender;
	mp_audit_token_t msgh_audit;
	uint64_t msgh_context; /* 52, only 4-aligned */
} mp_msg_context_trailer_t;

typedef struct mp_msg_mac_trailer {
	uint32_t msgh_trailer_type;
	uint32_t msgh_trailer_size;
	uint32_t msgh_seqno;
	mp_security_token_t msgh_sender;
	mp_audit_token_t msgh_audit;
	uint64_t msgh_context;
	int32_t msgh_ad;             /* 60 */
	mp_port_name_t msgh_labels;  /* 64: msg_labels_t.sender */
} mp_msg_mac_trailer_t;

typedef mp_msg_security_trailer_t mp_msg_format_0_trailer_t;
typedef mp_msg_mac_trailer_t mp_msg_max_trailer_t;

#pragma pack(pop)

#define MP_MSG_HEADER_SIZE 24u
#define MP_MSG_BASE_SIZE 28u /* header + descriptor count; first descriptor */

/* Byte offsets of the header fields and the descriptor count (the layouts
 * above; wire_layout_check.c holds them against offsetof). */
#define MP_MSGH_BITS_OFFSET 0u
#define MP_MSGH_SIZE_OFFSET 4u
#define MP_MSGH_REMOTE_OFFSET 8u
#define MP_MSGH_LOCAL_OFFSET 12u
#define MP_MSGH_VOUCHER_OFFSET 16u
#define MP_MSGH_ID_OFFSET 20u
#define MP_MSG_DESC_COUNT_OFFSET 24u
#define MP_MSG_TRAILER_FORMAT_0 0u
#define MP_MSG_TRAILER_MINIMUM_SIZE 8u
#define MP_MSG_TRAILER_SEQNO_SIZE 12u
#define MP_MSG_TRAILER_FORMAT_0_SIZE 20u
#define MP_MSG_TRAILER_AUDIT_SIZE 52u
#define MP_MSG_TRAILER_CONTEXT_SIZE 60u
#define MP_MAX_TRAILER_SIZE 68u

/* ---- §4.2 receive-option trailer request ------------------------------ */
#define MP_RCV_TRAILER_TYPE(x) (((uint32_t)(x) & 0xfu) << 28)
#define MP_RCV_TRAILER_ELEMENTS(x) (((uint32_t)(x) & 0xfu) << 24)
#define MP_RCV_TRAILER_MASK (0xfu << 24)
#define MP_GET_RCV_ELEMENTS(y) (((uint32_t)(y) >> 24) & 0xfu)
#define MP_RCV_TRAILER_NULL 0u
#define MP_RCV_TRAILER_SEQNO 1u
#define MP_RCV_TRAILER_SENDER 2u
#define MP_RCV_TRAILER_AUDIT 3u
#define MP_RCV_TRAILER_CTX 4u
#define MP_RCV_TRAILER_AV 7u
#define MP_RCV_TRAILER_LABELS 8u

/* ---- §5.1 mach_msg option bits ---------------------------------------- */
#define MP_MACH_MSG_OPTION_NONE 0x00000000u
#define MP_MACH_SEND_MSG 0x00000001u
#define MP_MACH_RCV_MSG 0x00000002u
#define MP_MACH_RCV_LARGE 0x00000004u
#define MP_MACH_RCV_LARGE_IDENTITY 0x00000008u
#define MP_MACH_SEND_TIMEOUT 0x00000010u
#define MP_MACH_SEND_OVERRIDE 0x00000020u
#define MP_MACH_SEND_INTERRUPT 0x00000040u
#define MP_MACH_SEND_NOTIFY 0x00000080u
#define MP_MACH_RCV_TIMEOUT 0x00000100u
#define MP_MACH_RCV_NOTIFY 0x00000000u
#define MP_MACH_MSG_STRICT_REPLY 0x00000200u
#define MP_MACH_RCV_INTERRUPT 0x00000400u
#define MP_MACH_RCV_VOUCHER 0x00000800u
#define MP_MACH_RCV_OVERWRITE 0x00000000u
#define MP_MACH_RCV_GUARDED_DESC 0x00001000u
#define MP_MACH_RCV_SYNC_WAIT 0x00004000u
#define MP_MACH_RCV_SYNC_PEEK 0x00008000u
#define MP_MACH_SEND_ALWAYS 0x00010000u
#define MP_MACH_SEND_FILTER_NONFATAL 0x00010000u
#define MP_MACH_SEND_TRAILER 0x00020000u
#define MP_MACH_SEND_NOIMPORTANCE 0x00040000u
#define MP_MACH_SEND_NODENAP MP_MACH_SEND_NOIMPORTANCE
#define MP_MACH_SEND_IMPORTANCE 0x00080000u
#define MP_MACH_SEND_SYNC_OVERRIDE 0x00100000u
#define MP_MACH_SEND_PROPAGATE_QOS 0x00200000u
#define MP_MACH_SEND_SYNC_USE_THRPRI MP_MACH_SEND_PROPAGATE_QOS
#define MP_MACH_SEND_KERNEL 0x00400000u
#define MP_MACH_SEND_SYNC_BOOTSTRAP_CHECKIN 0x00800000u
#define MP_MACH_SEND_USER 0x00B712B1u /* kernel-private masks */
#define MP_MACH_RCV_USER 0x0F00DB0Eu

/* mach_msg2 (private, 64-bit) option bits */
#define MP_MACH64_MSG_VECTOR (1ull << 32)
#define MP_MACH64_SEND_KOBJECT_CALL (1ull << 33)
/* mach_msg_option64_t (xnu-11417 osfmk/mach/message.h, PRIVATE: the public
 * SDK has none of it, so wire_darwin_check.c checks it only against an SDK
 * that has it). The low 32 bits are the mach_msg_option_t bits above; the
 * other 64-bit bits follow the aux header below. */
/* exactly one of these on a mach_msg2 send (MACH64_MSG_OPTION_CFI_MASK) */
#define MP_MACH64_MSG_OPTION_CFI_MASK                                                      \
	(MP_MACH64_SEND_KOBJECT_CALL | MP_MACH64_SEND_MQ_CALL | MP_MACH64_SEND_ANY |       \
	 MP_MACH64_SEND_DK_CALL)
/* what a user may pass (MACH64_MSG_OPTION_USER = MACH64_SEND_USER |
 * MACH64_RCV_USER): ipc_current_user_policy drops every other bit */
#define MP_MACH64_MSG_OPTION_USER                                                          \
	((uint64_t)(MP_MACH_SEND_USER | MP_MACH_RCV_USER) | MP_MACH64_MSG_VECTOR |          \
	 MP_MACH64_MSG_OPTION_CFI_MASK)
/* kernel-internal bits a user never passes (dropped by the mask above), as
 * XNU names them in the payload of a kGUARD_EXC_INVALID_OPTIONS exception */
#define MP_MACH64_POLICY_FILTER_NON_FATAL 0x0004000000000000ull
#define MP_MACH64_POLICY_DEFAULT 0x0010000000000000ull

/* mach_msg_vector_t (24 bytes): mach_msg2's MACH64_MSG_VECTOR form passes an
 * array of these, [MP_MACH_MSGV_IDX_MSG] the message, [MP_MACH_MSGV_IDX_AUX]
 * the auxiliary data. msgv_rcv_addr 0 means "receive into msgv_data". */
typedef struct mp_msg_vector {
	uint64_t msgv_data;
	uint64_t msgv_rcv_addr;
	uint32_t msgv_send_size;
	uint32_t msgv_rcv_size;
} mp_msg_vector_t;
#define MP_MACH_MSGV_MAX_COUNT 2u
#define MP_MACH_MSGV_IDX_MSG 0u
#define MP_MACH_MSGV_IDX_AUX 1u

/* mach_msg_aux_header_t (8 bytes): the head of auxiliary data. On receive
 * msgdh_size is the whole aux size, header included (0: none, the "EOF"
 * header). */
typedef struct mp_msg_aux_header {
	uint32_t msgdh_size;
	uint32_t msgdh_reserved;
} mp_msg_aux_header_t;
/* IPC_KMSG_MAX_AUX_DATA_SPACE: the most aux data a message carries */
#define MP_MAX_AUX_DATA_SPACE 1024u
/* LIBSYSCALL_MSGV_AUX_MAX_SIZE: the aux receive buffer libsyscall passes */
#define MP_MSGV_AUX_MAX_SIZE 128u
#define MP_MACH64_SEND_MQ_CALL (1ull << 34)
#define MP_MACH64_SEND_ANY (1ull << 35)
#define MP_MACH64_SEND_DK_CALL (1ull << 36)
#define MP_MACH64_RCV_LINEAR_VECTOR (1ull << 60)
#define MP_MACH64_RCV_STACK (1ull << 61)
#define MP_MACH64_MACH_MSG2 (1ull << 63)

/* ---- §5.2 return codes ------------------------------------------------ */
#define MP_MACH_MSG_SUCCESS 0x00000000
#define MP_MACH_MSG_MASK 0x00003e00
#define MP_MACH_MSG_IPC_SPACE 0x00002000
#define MP_MACH_MSG_VM_SPACE 0x00001000
#define MP_MACH_MSG_IPC_KERNEL 0x00000800
#define MP_MACH_MSG_VM_KERNEL 0x00000400

#define MP_MACH_SEND_IN_PROGRESS 0x10000001
#define MP_MACH_SEND_INVALID_DATA 0x10000002
#define MP_MACH_SEND_INVALID_DEST 0x10000003
#define MP_MACH_SEND_TIMED_OUT 0x10000004
#define MP_MACH_SEND_INVALID_VOUCHER 0x10000005
#define MP_MACH_SEND_INTERRUPTED 0x10000007
#define MP_MACH_SEND_MSG_TOO_SMALL 0x10000008
#define MP_MACH_SEND_INVALID_REPLY 0x10000009
#define MP_MACH_SEND_INVALID_RIGHT 0x1000000a
#define MP_MACH_SEND_INVALID_NOTIFY 0x1000000b
#define MP_MACH_SEND_INVALID_MEMORY 0x1000000c
#define MP_MACH_SEND_NO_BUFFER 0x1000000d
#define MP_MACH_SEND_TOO_LARGE 0x1000000e
#define MP_MACH_SEND_INVALID_TYPE 0x1000000f
#define MP_MACH_SEND_INVALID_HEADER 0x10000010
#define MP_MACH_SEND_INVALID_TRAILER 0x10000011
#define MP_MACH_SEND_INVALID_CONTEXT 0x10000012
#define MP_MACH_SEND_INVALID_OPTIONS 0x10000013
#define MP_MACH_SEND_INVALID_RT_OOL_SIZE 0x10000015
#define MP_MACH_SEND_NO_GRANT_DEST 0x10000016
#define MP_MACH_SEND_MSG_FILTERED 0x10000017
#define MP_MACH_SEND_AUX_TOO_SMALL 0x10000018
#define MP_MACH_SEND_AUX_TOO_LARGE 0x10000019

#define MP_MACH_RCV_IN_PROGRESS 0x10004001
#define MP_MACH_RCV_INVALID_NAME 0x10004002
#define MP_MACH_RCV_TIMED_OUT 0x10004003
#define MP_MACH_RCV_TOO_LARGE 0x10004004
#define MP_MACH_RCV_INTERRUPTED 0x10004005
#define MP_MACH_RCV_PORT_CHANGED 0x10004006
#define MP_MACH_RCV_INVALID_NOTIFY 0x10004007
#define MP_MACH_RCV_INVALID_DATA 0x10004008
#define MP_MACH_RCV_PORT_DIED 0x10004009
#define MP_MACH_RCV_IN_SET 0x1000400a
#define MP_MACH_RCV_HEADER_ERROR 0x1000400b
#define MP_MACH_RCV_BODY_ERROR 0x1000400c
#define MP_MACH_RCV_INVALID_TYPE 0x1000400d
#define MP_MACH_RCV_SCATTER_SMALL 0x1000400e
#define MP_MACH_RCV_INVALID_TRAILER 0x1000400f
#define MP_MACH_RCV_IN_PROGRESS_TIMED 0x10004011
#define MP_MACH_RCV_INVALID_REPLY 0x10004012
#define MP_MACH_RCV_INVALID_ARGUMENTS 0x10004013

#define MP_KERN_SUCCESS 0
#define MP_KERN_INVALID_ADDRESS 1
#define MP_KERN_NO_SPACE 3
#define MP_KERN_INVALID_ARGUMENT 4
#define MP_KERN_FAILURE 5
#define MP_KERN_RESOURCE_SHORTAGE 6
#define MP_KERN_NOT_RECEIVER 7
#define MP_KERN_NOT_IN_SET 12
#define MP_KERN_ALREADY_IN_SET 11
#define MP_KERN_NAME_EXISTS 13
#define MP_KERN_INVALID_NAME 15
#define MP_KERN_INVALID_TASK 16
#define MP_KERN_INVALID_RIGHT 17
#define MP_KERN_INVALID_VALUE 18
#define MP_KERN_UREFS_OVERFLOW 19
#define MP_KERN_INVALID_CAPABILITY 20
#define MP_KERN_RIGHT_EXISTS 21
#define MP_KERN_NOT_SUPPORTED 46

/* launchd's bootstrap.h (servers/bootstrap_defs.h): machportd's registry */
#define MP_BOOTSTRAP_NAME_IN_USE 1101
#define MP_BOOTSTRAP_UNKNOWN_SERVICE 1102
#define MP_BOOTSTRAP_NO_MEMORY 1105

/* ---- §5.3 sizes and limits -------------------------------------------- */
#define MP_MIN_SEND_SIZE 24u
#define MP_MIN_COMPLEX_SEND_SIZE 28u
/* IPC_KMSG_MAX_BODY_SPACE = 64 MiB * 3/4 - MAX_TRAILER_SIZE */
#define MP_MAX_SEND_SIZE ((64u * 1024u * 1024u) / 4u * 3u - MP_MAX_TRAILER_SIZE)
#define MP_MSG_SIZE_MAX 0xFFFFFFFFu
#define MP_MSG_SIZE_RELIABLE (256u * 1024u)
#define MP_MAX_PORTS_PER_MSG 16383u /* IPC_KMSG_MAX_OOL_PORT_COUNT (11417) */
#define MP_MAX_VM_SPACE (8u * 1024u * 1024u / 8u * 7u) /* ipc_kmsg_max_vm_space */
#define MP_OOL_SIZE_SMALL_X86_64 (16u * 1024u) /* KHEAP_MAX_SIZE */
#define MP_OOL_SIZE_SMALL_ARM64 (32u * 1024u)
#define MP_PAGE_SIZE_X86_64 4096u
#define MP_PAGE_SIZE_ARM64 16384u
/* The send-time VM budget (§5.3) depends on the target's page size and
 * msg_ool_size_small; machports uses the values of the host it runs on. */
#if defined(__aarch64__) || defined(__arm64__)
#define MP_OOL_SIZE_SMALL MP_OOL_SIZE_SMALL_ARM64
#define MP_PAGE_SIZE MP_PAGE_SIZE_ARM64
#else
#define MP_OOL_SIZE_SMALL MP_OOL_SIZE_SMALL_X86_64
#define MP_PAGE_SIZE MP_PAGE_SIZE_X86_64
#endif

#define MP_PORT_QLIMIT_ZERO 0u
#define MP_PORT_QLIMIT_BASIC 5u
#define MP_PORT_QLIMIT_DEFAULT 5u
#define MP_PORT_QLIMIT_SMALL 16u
#define MP_PORT_QLIMIT_LARGE 1024u
#define MP_PORT_QLIMIT_MAX 1024u
#define MP_PORT_QLIMIT_KERNEL 65534u
#define MP_PORT_UREFS_MAX 65535u

/* ---- §7.1 port rights and entry types (mach/port.h) -------------------- */
typedef uint32_t mp_port_right_t;
typedef uint32_t mp_port_type_t;
#define MP_PORT_RIGHT_SEND 0u
#define MP_PORT_RIGHT_RECEIVE 1u
#define MP_PORT_RIGHT_SEND_ONCE 2u
#define MP_PORT_RIGHT_PORT_SET 3u
#define MP_PORT_RIGHT_DEAD_NAME 4u
#define MP_PORT_RIGHT_LABELH 5u /* obsolete */
#define MP_PORT_RIGHT_NUMBER 6u

#define MP_PORT_TYPE(right) (1u << ((right) + 16u))
#define MP_PORT_TYPE_NONE 0u
#define MP_PORT_TYPE_SEND 0x00010000u
#define MP_PORT_TYPE_RECEIVE 0x00020000u
#define MP_PORT_TYPE_SEND_ONCE 0x00040000u
#define MP_PORT_TYPE_PORT_SET 0x00080000u
#define MP_PORT_TYPE_DEAD_NAME 0x00100000u
#define MP_PORT_TYPE_LABELH 0x00200000u
#define MP_PORT_TYPE_DNREQUEST 0x80000000u
#define MP_PORT_TYPE_SPREQUEST 0x40000000u
#define MP_PORT_TYPE_SPREQUEST_DELAYED 0x20000000u
#define MP_PORT_TYPE_SEND_RECEIVE 0x00030000u
#define MP_PORT_TYPE_SEND_RIGHTS 0x00050000u
#define MP_PORT_TYPE_PORT_RIGHTS 0x00070000u
#define MP_PORT_TYPE_PORT_OR_DEAD 0x00170000u
#define MP_PORT_TYPE_ALL_RIGHTS 0x001F0000u

/* Names: (index << 8) | generation; kernel-chosen names end in 0b11 (§5.3). */
#define MP_PORT_INDEX(name) ((uint32_t)(name) >> 8)
#define MP_PORT_GEN(name) ((uint32_t)(name) & 0xffu)
#define MP_PORT_MAKE(index, gen) (((uint32_t)(index) << 8) | ((uint32_t)(gen) & 0xffu))

/* ---- §7.3 notifications (mach/notify.h) -------------------------------- */
#define MP_MACH_NOTIFY_FIRST 64
#define MP_MACH_NOTIFY_PORT_DELETED 65
#define MP_MACH_NOTIFY_SEND_POSSIBLE 66
#define MP_MACH_NOTIFY_PORT_DESTROYED 69
#define MP_MACH_NOTIFY_NO_SENDERS 70
#define MP_MACH_NOTIFY_SEND_ONCE 71
#define MP_MACH_NOTIFY_DEAD_NAME 72
#define MP_MACH_NOTIFY_LAST 77

/* NDR_record of a little-endian host: the 8 bytes after the header of a
 * MIG-style notification (int_rep = NDR_INT_LITTLE_ENDIAN = 1). */
#define MP_NDR_RECORD_INIT { 0, 0, 0, 0, 1, 0, 0, 0 }

#pragma pack(push, 4)
/* MACH_NOTIFY_NO_SENDERS (36 bytes) */
typedef struct mp_no_senders_notification {
	mp_msg_header_t not_header;
	uint8_t NDR[8];
	uint32_t not_count; /* mach_port_mscount_t */
} mp_no_senders_notification_t;
/* MACH_NOTIFY_DEAD_NAME, PORT_DELETED, SEND_POSSIBLE (36 bytes) */
typedef struct mp_dead_name_notification {
	mp_msg_header_t not_header;
	uint8_t NDR[8];
	mp_port_name_t not_port;
} mp_dead_name_notification_t;
#pragma pack(pop)

/* ---- §7.4 mach_port_construct options (MPO_*) and guard flags (MPG_*) ---- */
#define MP_MPO_CONTEXT_AS_GUARD 0x01u
#define MP_MPO_QLIMIT 0x02u
#define MP_MPO_TEMPOWNER 0x04u
#define MP_MPO_IMPORTANCE_RECEIVER 0x08u
#define MP_MPO_INSERT_SEND_RIGHT 0x10u
#define MP_MPO_STRICT 0x20u
#define MP_MPO_DENAP_RECEIVER 0x40u
#define MP_MPO_IMMOVABLE_RECEIVE 0x80u
#define MP_MPG_STRICT 0x01u
#define MP_MPG_IMMOVABLE_RECEIVE 0x02u

/* ---- Mach-port guard exceptions (EXC_GUARD, GUARD_TYPE_MACH_PORT) -------
 * The flavors of XNU's enum mach_port_guard_exception_codes (mach/port.h).
 * Up to MP_GUARD_EXC_MAX_FATAL the process is always killed; up to
 * MP_GUARD_EXC_MAX_OPTIONAL only a task whose exception-guard behaviour says
 * so sees them (ipc_policy.c mach_port_guard_exception); above, soft. */
#define MP_GUARD_EXC_DESTROY 0x1u
#define MP_GUARD_EXC_MOD_REFS 0x2u
#define MP_GUARD_EXC_INVALID_OPTIONS 0x3u
#define MP_GUARD_EXC_SET_CONTEXT 0x4u
#define MP_GUARD_EXC_THREAD_SET_STATE 0x5u
#define MP_GUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE 0x6u
#define MP_GUARD_EXC_UNGUARDED 0x8u
#define MP_GUARD_EXC_INCORRECT_GUARD 0x10u
#define MP_GUARD_EXC_IMMOVABLE 0x20u
#define MP_GUARD_EXC_STRICT_REPLY 0x40u
#define MP_GUARD_EXC_MSG_FILTERED 0x80u
#define MP_GUARD_EXC_INVALID_RIGHT 0x100u
#define MP_GUARD_EXC_INVALID_NAME 0x200u
#define MP_GUARD_EXC_INVALID_VALUE 0x400u
#define MP_GUARD_EXC_INVALID_ARGUMENT 0x800u
#define MP_GUARD_EXC_RIGHT_EXISTS 0x1000u
#define MP_GUARD_EXC_KERN_NO_SPACE 0x2000u
#define MP_GUARD_EXC_KERN_FAILURE 0x4000u
#define MP_GUARD_EXC_KERN_RESOURCE 0x8000u
#define MP_GUARD_EXC_SEND_INVALID_REPLY 0x10000u
#define MP_GUARD_EXC_SEND_INVALID_VOUCHER 0x20000u
#define MP_GUARD_EXC_SEND_INVALID_RIGHT 0x40000u
#define MP_GUARD_EXC_RCV_INVALID_NAME 0x80000u
#define MP_GUARD_EXC_RCV_GUARDED_DESC 0x100000u
#define MP_GUARD_EXC_MOD_REFS_NON_FATAL 0x200000u
#define MP_GUARD_EXC_IMMOVABLE_NON_FATAL 0x400000u
#define MP_GUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS 0x800000u
#define MP_GUARD_EXC_MAX_FATAL 0x80u       /* MAX_FATAL_kGUARD_EXC_CODE */
#define MP_GUARD_EXC_MAX_OPTIONAL 0x80000u /* MAX_OPTIONAL_kGUARD_EXC_CODE */
/* EXC_GUARD's code for a Mach-port guard (kern/exc_guard.h): GUARD_TYPE_MACH_PORT
 * (1) in bits 61-63, the flavor in bits 32-60, the target (a port name) below. */
#define MP_GUARD_TYPE_MACH_PORT 1u
#define MP_GUARD_EXC_CODE(flavor, target)                                              \
	(((uint64_t)MP_GUARD_TYPE_MACH_PORT << 61) | (((uint64_t)(flavor) & 0x1fffffffu) << 32) | \
	 (uint32_t)(target))

/* mach_port_status_t (MACH_PORT_RECEIVE_STATUS, 10 x u32) */
typedef struct mp_port_status {
	uint32_t mps_pset;      /* containing port sets */
	uint32_t mps_seqno;     /* sequence number */
	uint32_t mps_mscount;   /* make-send count */
	uint32_t mps_qlimit;    /* queue limit */
	uint32_t mps_msgcount;  /* messages queued */
	uint32_t mps_sorights;  /* send-once rights */
	uint32_t mps_srights;   /* do send rights exist? */
	uint32_t mps_pdrequest; /* port-destroyed request present */
	uint32_t mps_nsrequest; /* no-senders request present */
	uint32_t mps_flags;
} mp_port_status_t;
#define MP_PORT_STATUS_FLAG_GUARDED 0x02u
#define MP_PORT_STATUS_FLAG_STRICT_GUARD 0x04u
#define MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE 0x40u
#define MP_PORT_STATUS_FLAG_NO_GRANT 0x80u

/* Kernel-originated trailer tokens (§4.4) */
#define MP_KERNEL_SECURITY_TOKEN_INIT { { 0, 1 } }
#define MP_KERNEL_AUDIT_TOKEN_INIT { { 0, 0, 0, 0, 0, 0, 0, 0 } }

/* ---- mach_port_construct flags beyond §7.4's first eight (mach/port.h) ---- */
#define MP_MPO_FILTER_MSG 0x100u
#define MP_MPO_TG_BLOCK_TRACKING 0x200u
#define MP_MPO_SERVICE_PORT 0x400u
#define MP_MPO_CONNECTION_PORT 0x800u
/* The MPO_* flags XNU knows and machports does not implement (importance
 * donation, message filtering, thread-group tracking, launchd's service and
 * connection ports): mach_port_construct refuses them, KERN_NOT_SUPPORTED. */
#define MP_MPO_NOT_SUPPORTED                                                              \
	(MP_MPO_TEMPOWNER | MP_MPO_IMPORTANCE_RECEIVER | MP_MPO_DENAP_RECEIVER |           \
	 MP_MPO_FILTER_MSG | MP_MPO_TG_BLOCK_TRACKING | MP_MPO_SERVICE_PORT |              \
	 MP_MPO_CONNECTION_PORT)

/* The mach_msg options XNU acts on and machports does not implement: each
 * asks for a scheduling effect (a QoS override from the priority argument,
 * QoS propagation, a sync-IPC turnstile link) this kernel, which has no
 * priorities, cannot give. mach_msg refuses them: MACH_SEND_INVALID_OPTIONS
 * for a call that sends, MACH_RCV_INVALID_ARGUMENTS for a receive-only
 * call; nothing is sent or received. (Accepted as XNU answers them:
 * MACH_SEND_NOIMPORTANCE asks for no importance donation, which is what
 * happens here; MACH_SEND_TRAILER, which no 11417 code acts on;
 * MACH_RCV_SYNC_PEEK, read only by kevents; MACH_SEND_SYNC_BOOTSTRAP_CHECKIN,
 * which acts only with a special reply port; MACH_MSG_STRICT_REPLY, inert
 * without the ipc_strict_reply boot-arg; MACH_SEND_FILTER_NONFATAL, inert
 * without a sandbox message filter. Bits outside MACH_SEND_USER |
 * MACH_RCV_USER are ignored, as XNU masks them.) */
#define MP_MACH_MSG_OPTIONS_NOT_SUPPORTED                                         \
	(MP_MACH_SEND_OVERRIDE | MP_MACH_SEND_SYNC_OVERRIDE | MP_MACH_SEND_PROPAGATE_QOS | \
	 MP_MACH_RCV_SYNC_WAIT)

/* ---- mach_port_get/set/assert_attributes flavors and their data --------- */
#define MP_PORT_LIMITS_INFO 1
#define MP_PORT_RECEIVE_STATUS 2
#define MP_PORT_DNREQUESTS_SIZE 3
#define MP_PORT_TEMPOWNER 4
#define MP_PORT_IMPORTANCE_RECEIVER 5
#define MP_PORT_DENAP_RECEIVER 6
#define MP_PORT_INFO_EXT 7
#define MP_PORT_GUARD_INFO 8
#define MP_PORT_SERVICE_THROTTLED 9
/* Counts are in natural_t (4-byte) units. */
#define MP_PORT_LIMITS_INFO_COUNT 1u
#define MP_PORT_RECEIVE_STATUS_COUNT 10u
#define MP_PORT_DNREQUESTS_SIZE_COUNT 1u
#define MP_PORT_INFO_EXT_COUNT 17u
#define MP_PORT_GUARD_INFO_COUNT 2u
#define MP_PORT_SERVICE_THROTTLED_COUNT 1u
/* mach_port_info_t is array[*:17] of integer_t (mach_port.defs). */
#define MP_PORT_INFO_MAX 17u

typedef struct mp_port_limits {
	uint32_t mpl_qlimit;
} mp_port_limits_t;

typedef struct mp_port_info_ext {
	mp_port_status_t mpie_status;
	uint32_t mpie_boost_cnt; /* importance boosts (0 here) */
	uint32_t reserved[6];
} mp_port_info_ext_t;

typedef struct mp_port_guard_info {
	uint64_t mpgi_guard;
} mp_port_guard_info_t;
/* ---- reply ports (issue 12): the mach_port_construct flags that mark a
 * port (ipc_port.h's port marks, set by ipc_port_init). At most one of the
 * four may be given (mach_port_construct: KERN_INVALID_ARGUMENT). 0x8000 is
 * MPO_EXCEPTION_PORT in xnu-11417's osfmk/mach/port.h; the macOS SDK's
 * <mach/port.h> names the same bit MPO_PROVISIONAL_ID_PROT_OPTOUT (a name 11417
 * does not have): machports follows 11417's kernel. */
#define MP_MPO_REPLY_PORT 0x1000u
#define MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS 0x2000u
#define MP_MPO_PROVISIONAL_REPLY_PORT 0x4000u
#define MP_MPO_EXCEPTION_PORT 0x8000u

#endif /* MACHPORTS_WIRE_H */
