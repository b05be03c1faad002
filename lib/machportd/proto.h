/*
 * lib/machportd/proto.h: the machportd wire protocol (client <-> daemon).
 *
 * One request or reply per SOCK_SEQPACKET packet (the kernel keeps packet
 * boundaries, so a request is never split or merged). Every packet starts
 * with a 16-byte header; the rest is the op's fixed argument block and, for
 * messages, the OOL table and the message bytes. OOL memory travels in one
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
/* the largest packet: header, MSG arguments, a full OOL table, a largest message */
#define MPD_MAX_PACKET (MPD_HEADER_SIZE + 24u + 8u * MPD_MAX_OOL + MP_MAX_SEND_SIZE)

typedef enum mpd_op {
	MPD_OP_HELLO = 1,     /* version check; the reply carries the identity the daemon sees */
	MPD_OP_PORT_CALL = 2, /* one mach_port_* call */
	MPD_OP_MSG = 3,       /* mach_msg: send and/or receive */
} mpd_op_t;

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
	const uint8_t *ool_table; /* nool x {desc_index, size}, inside the packet */
	const uint8_t *msg;       /* send_size bytes, inside the packet */
	uint64_t ool_total;       /* sum of the sizes: the memfd must hold this many bytes */
} mpd_msg_args_t;

typedef struct mpd_request {
	mpd_op_t op;
	uint32_t seq;
	union {
		uint32_t version;
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
} mpd_err_t;

typedef struct mpd_diag {
	mpd_err_t err;
	size_t offset;
	char reason[128];
} mpd_diag_t;

const char *mpd_err_name(mpd_err_t err);

/* Checks a request packet (`nfds` descriptors arrived with it) and decodes
 * it into `out`, whose pointers point into `pkt`. */
mpd_err_t mpd_decode_request(const uint8_t *pkt, size_t len, int nfds, mpd_request_t *out,
			     mpd_diag_t *diag);

/* Encoders for the client (the daemon's replies use the same helpers). The
 * functions return the bytes written, or 0 if `cap` is too small. */
size_t mpd_encode_header(uint8_t *out, size_t cap, mpd_op_t op, uint32_t seq, uint32_t body_len);
size_t mpd_encode_port_call(uint8_t *out, size_t cap, uint32_t seq, const mpd_port_call_t *c);
size_t mpd_encode_msg(uint8_t *out, size_t cap, uint32_t seq, uint32_t option, uint32_t rcv_size,
		      mp_port_name_t rcv_name, uint32_t timeout_ms, const mpd_ool_t *ool, uint32_t nool,
		      const void *msg, uint32_t send_size);

#endif /* MP_MACHPORTD_PROTO_H */
