/*
 * lib/machportd/proto.h: the machportd wire protocol (client <-> daemon).
 *
 * One request or reply per SOCK_SEQPACKET packet (the kernel keeps packet
 * boundaries, so a request is never split or merged). Every packet starts
 * with a 16-byte header; the rest is the op's fixed argument block and, for
 * messages, the OOL table and the message bytes. OOL memory travels in the
 * packet after the message when it is small (MPD_OOL_INLINE), else in one
 * memfd passed with SCM_RIGHTS, its regions back to back in descriptor
 * order (memfd rather than process_vm_readv: it needs no ptrace permission
 * between unrelated processes under Yama, and the receiver gets pages it
 * owns). All integers are little-endian, as on every machine the daemon
 * serves.
 *
 * mpd_decode_request() is the only code that reads a client's bytes in the
 * daemon: it checks every length and bound before anything else looks at
 * the packet, and it is a fuzz target (fuzz/machportd_request.c).
 */
#ifndef MP_MACHPORTD_PROTO_H
#define MP_MACHPORTD_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "machports/wire.h"

#define MPD_MAGIC 0x3144504du /* "MPD1" */
#define MPD_VERSION 1u
#define MPD_HEADER_SIZE 16u
#define MPD_MAX_OOL 1024u /* OOL regions per message (XNU has no such bound; a sanity cap) */
#define MPD_MAX_RCV_SIZE (64u << 20)
/*
 * Message bytes ride in the packet up to MPD_INLINE_MAX; a larger message
 * goes in the memfd after the OOL regions (MPD_MSG_IN_FD), both ways: a
 * packet must fit a socket buffer, and Linux's default wmem_max is 208 KiB.
 */
#define MPD_INLINE_MAX (32u << 10)
/* MSG: option, send_size, rcv_size, rcv_name, timeout_ms, nool, flags, pad,
 * buf_addr u64; then the OOL table, the message, and MPD_OOL_INLINE's regions */
#define MPD_MSG_ARGS 40u
#define MPD_MSG_IN_FD 1u
/* Small OOL regions ride in the packet after the message (no memfd: an
 * OOL message then costs no more system calls than a simple one). */
#define MPD_OOL_INLINE 2u
/* The OOL bytes one request may carry (a sanity cap; XNU's is the task's
 * VM): the daemon copies them. */
#define MPD_MAX_OOL_BYTES (256ull << 20)
/* The largest reply packet: a larger tail goes in a memfd. */
#define MPD_MAX_REPLY (MPD_HEADER_SIZE + MPD_MSG_REPLY + MPD_INLINE_MAX)
/* the largest request: header, MSG arguments, a full OOL table, an inline
 * message (with its inline regions) */
#define MPD_MAX_PACKET (MPD_HEADER_SIZE + MPD_MSG_ARGS + 8u * MPD_MAX_OOL + MPD_INLINE_MAX)

/*
 * The ops. A connection is bound to one space: HELLO makes a new space
 * (a task) and makes this connection its owner (the space dies when the
 * owner connection closes, as a task dies with its process); ATTACH binds
 * a further connection of the same process to that space, so a
 * multi-threaded client can block in one call while making others.
 * PORT_CALL and MSG need a bound connection; CHECK does not.
 */
typedef enum mpd_op {
	MPD_OP_HELLO = 1,     /* version check, new space; the reply carries its id, token and identity */
	MPD_OP_PORT_CALL = 2, /* one mach_port_* call */
	MPD_OP_MSG = 3,       /* mach_msg: send and/or receive */
	MPD_OP_ATTACH = 4,    /* {space id, token}: bind to a space of this same process */
	MPD_OP_CHECK = 5,     /* the kernel's invariant checker and counters (tests) */
	MPD_OP_REFUSED = 6,   /* reply only: the request broke a rule (err, offset, reason) */
	MPD_OP_REGISTER = 7,  /* bootstrap: {port, disposition, service name}: a send right under a name */
	MPD_OP_LOOK_UP = 8,   /* bootstrap: {service name}: a send right to it */
	MPD_OP_LAST = MPD_OP_LOOK_UP,
} mpd_op_t;

/*
 * The replies (same op and seq as the request):
 *   HELLO      kr, pad, space id u64, token u64, pid, uid, gid, pad
 *   ATTACH     kr
 *   PORT_CALL  kr, r1, r2, r3, r64 u64, nextra, pad, extra bytes
 *              (a status struct, or a peeked trailer)
 *   MSG        kr, nspans, nmap, ndealloc, flags, tail_len, tail_at u64;
 *              then the tail (tail_len bytes): spans {off, len}; maps {token,
 *              offset, len, page_off} u64s; deallocs {addr, len} u64s; the
 *              spans' bytes; with MPD_REPLY_OOL_INLINE the maps' bytes,
 *              packed (offset: into them). Else the maps are in a memfd that
 *              comes with the reply (offset: into it), and a tail larger
 *              than MPD_INLINE_MAX is in that memfd at tail_at
 *              (MPD_REPLY_IN_FD).
 *   CHECK      rc, spaces, ports, psets, kmsgs, vm_regions, whylen, why
 *   REFUSED    mpd_err_t, byte offset, reason (any request that broke a rule)
 *   REGISTER   kr
 *   LOOK_UP    kr, name
 *
 * The spans are the parts of the caller's buffer the kernel wrote (the
 * received message and trailer; a MACH_RCV_LARGE size; a pseudo-received
 * message): the client copies exactly those, so the rest of its buffer is
 * untouched, as with XNU. The maps are OOL regions given to the caller:
 * the kernel wrote a token address into the descriptor, and the client
 * gives the region fresh pages of its own (mapped from the memfd, or
 * filled from the packed bytes) and rewrites the descriptor. The deallocs are the sender's regions the kernel deallocated
 * (a descriptor's deallocate flag): the client unmaps them.
 */
#define MPD_TOKEN_BASE 0xfffe000000000000ull /* not a user address on any machine served */
#define MPD_HELLO_REPLY 40u
#define MPD_PORT_REPLY 32u /* before the extra bytes */
#define MPD_MSG_REPLY 32u  /* before the tail */
#define MPD_REPLY_IN_FD 1u
#define MPD_REPLY_OOL_INLINE 2u /* the maps' bytes follow the spans' in the tail, packed */
#define MPD_CHECK_REPLY 28u /* before the reason */
#define MPD_MAX_SPANS 2u
#define MPD_SERVICE_MAX 127u /* a bootstrap service name's bytes (launchd's name_t is char[128]) */

/* The mach_port_* calls a PORT_CALL carries (args: name, a1, a2, delta, a64, b64). */
typedef enum mpd_call {
	MPD_CALL_ALLOCATE = 1,      /* a1 = right */
	MPD_CALL_ALLOCATE_NAME,     /* a1 = right */
	MPD_CALL_CONSTRUCT,         /* a1 = MPO flags, a2 = qlimit, a64 = context */
	MPD_CALL_DESTRUCT,          /* delta = srdelta, a64 = guard */
	MPD_CALL_DEALLOCATE,
	MPD_CALL_DESTROY,
	MPD_CALL_MOD_REFS,          /* a1 = right, delta */
	MPD_CALL_GET_REFS,          /* a1 = right */
	MPD_CALL_TYPE,
	MPD_CALL_INSERT_RIGHT,      /* a1 = poly (the caller's name), a2 = disposition */
	MPD_CALL_EXTRACT_RIGHT,     /* a1 = msgt */
	MPD_CALL_SET_CONTEXT,       /* a64 = context */
	MPD_CALL_GET_CONTEXT,
	MPD_CALL_GUARD,             /* a64 = guard, b64 = flags */
	MPD_CALL_UNGUARD,           /* a64 = guard */
	MPD_CALL_SET_QLIMIT,        /* a1 = qlimit */
	MPD_CALL_GET_STATUS,
	MPD_CALL_INSERT_MEMBER,     /* a1 = set */
	MPD_CALL_EXTRACT_MEMBER,    /* a1 = set */
	MPD_CALL_MOVE_MEMBER,       /* a1 = set */
	MPD_CALL_REQUEST_NOTIFICATION, /* a1 = variant, a2 = notify, delta = disposition, a64 = sync */
	MPD_CALL_PEEK,              /* a1 = trailer options, a2 = seqno, delta = trailer buffer size */
	MPD_CALL_LAST = MPD_CALL_PEEK,
} mpd_call_t;

typedef struct mpd_port_call {
	uint32_t call;
	mp_port_name_t name;
	uint32_t a1, a2;
	int32_t delta;
	uint64_t a64, b64;
} mpd_port_call_t;

/* One OOL region of a message: which descriptor, how many bytes. */
typedef struct mpd_ool {
	uint32_t desc_index;
	uint32_t size;
} mpd_ool_t;

typedef struct mpd_msg_args {
	uint32_t option, send_size, rcv_size;
	mp_port_name_t rcv_name;
	uint32_t timeout_ms;
	uint32_t nool;
	uint32_t flags;           /* MPD_MSG_IN_FD, MPD_OOL_INLINE */
	uint64_t buf_addr;        /* the caller's address of its buffer (guarded descriptors carry it) */
	const uint8_t *ool_table; /* nool x {desc_index, size}, inside the packet */
	const uint8_t *msg;       /* send_size bytes inside the packet, or NULL (MPD_MSG_IN_FD) */
	uint64_t ool_total;       /* sum of the sizes: the regions' bytes at the memfd's start */
	const uint8_t *ool_data;  /* MPD_OOL_INLINE: the regions' bytes, inside the packet */
	uint64_t fd_bytes;        /* the memfd must hold this many: regions, then the message if in it */
} mpd_msg_args_t;

typedef struct mpd_request {
	mpd_op_t op;
	uint32_t seq;
	union {
		uint32_t version;
		struct {
			uint64_t space, token;
		} attach;
		struct {
			mp_port_name_t port; /* REGISTER */
			uint32_t disposition;
			const char *name;    /* not NUL-terminated: name_len bytes in the packet */
			uint32_t name_len;
		} service;
		mpd_port_call_t call;
		mpd_msg_args_t msg;
	} u;
} mpd_request_t;

/* Why a packet was refused: the rule, the byte offset, a readable reason. */
typedef enum mpd_err {
	MPD_OK = 0,
	MPD_E_SHORT,       /* shorter than its header or its op's arguments */
	MPD_E_MAGIC,
	MPD_E_VERSION,
	MPD_E_LENGTH,      /* the header's length is not the packet's */
	MPD_E_OP,          /* unknown op */
	MPD_E_CALL,        /* unknown port call */
	MPD_E_TOO_LARGE,   /* over MPD_MAX_PACKET / MP_MAX_SEND_SIZE / MPD_MAX_RCV_SIZE */
	MPD_E_OOL_TABLE,   /* too many regions, out of order, or zero-sized */
	MPD_E_FDS,         /* OOL data without exactly one memfd, or an fd with none */
	MPD_E_FLAGS,       /* unknown MSG flags */
} mpd_err_t;

typedef struct mpd_diag {
	mpd_err_t err;
	size_t offset;
	char reason[128];
} mpd_diag_t;

const char *mpd_err_name(mpd_err_t err);

/* Little-endian fields. */
static inline uint32_t mpd_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t mpd_rd64(const uint8_t *p)
{
	return (uint64_t)mpd_rd32(p) | ((uint64_t)mpd_rd32(p + 4) << 32);
}

static inline void mpd_wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void mpd_wr64(uint8_t *p, uint64_t v)
{
	mpd_wr32(p, (uint32_t)v);
	mpd_wr32(p + 4, (uint32_t)(v >> 32));
}

/* Checks a request packet (`nfds` descriptors arrived with it) and decodes
 * it into `out`, whose pointers point into `pkt`. */
mpd_err_t mpd_decode_request(const uint8_t *pkt, size_t len, int nfds, mpd_request_t *out,
			     mpd_diag_t *diag);

/* Encoders for the client (the daemon's replies use the same helpers). The
 * functions return the bytes written, or 0 if `cap` is too small. */
size_t mpd_encode_header(uint8_t *out, size_t cap, mpd_op_t op, uint32_t seq, uint32_t body_len);
size_t mpd_encode_port_call(uint8_t *out, size_t cap, uint32_t seq, const mpd_port_call_t *c);
/* m's msg, option, sizes, rcv_name, timeout, nool and flags; the table
 * from `ool`; with MPD_OOL_INLINE, m->ool_total bytes of regions after the
 * message (copied from m->ool_data, or left for the caller if it is NULL). */
size_t mpd_encode_msg(uint8_t *out, size_t cap, uint32_t seq, const mpd_msg_args_t *m, const mpd_ool_t *ool);
size_t mpd_encode_attach(uint8_t *out, size_t cap, uint32_t seq, uint64_t space, uint64_t token);
/* REGISTER (op MPD_OP_REGISTER) or LOOK_UP (port and disposition unused). */
size_t mpd_encode_service(uint8_t *out, size_t cap, mpd_op_t op, uint32_t seq, mp_port_name_t port,
			  uint32_t disposition, const char *name, size_t name_len);

/*
 * Walks the descriptors of a message in the user (64-bit) layout, bounded
 * by `len`, for the OOL regions both ends must agree on: each OOL,
 * OOL_VOLATILE and OOL_PORTS descriptor's address and byte size (an
 * OOL_PORTS array is count x 4 bytes of names). It stops, returning 0, at
 * the end, at the first descriptor that does not fit, or at an unknown
 * type: the kernel then refuses the message with XNU's code.
 */
typedef struct mpd_desc_iter {
	const uint8_t *msg;
	uint32_t len, off, left, index;
} mpd_desc_iter_t;

typedef struct mpd_desc_ref {
	uint32_t index, type;
	uint32_t off;          /* the descriptor's offset in the message */
	uint64_t addr, size;   /* OOL kinds only: the region */
	int is_ool;
} mpd_desc_ref_t;

void mpd_desc_iter_init(mpd_desc_iter_t *it, const uint8_t *msg, uint32_t len);
int mpd_desc_next(mpd_desc_iter_t *it, mpd_desc_ref_t *d);

#endif /* MP_MACHPORTD_PROTO_H */
