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
 * daemon, and mpd_decode_reply() (with mpd_decode_reply_tail() for a MSG
 * reply's tail) the only code that reads the daemon's bytes in the client:
 * each checks every length and bound before anything else looks at the
 * packet, refuses anything else with a named rule, and is a fuzz target
 * (fuzz/machportd_request.c, fuzz/machportd_reply.c). The daemon writes its
 * replies with mpd_encode_reply() and mpd_encode_reply_tail() only.
 */
#ifndef MP_MACHPORTD_PROTO_H
#define MP_MACHPORTD_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "machports/msg.h"
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
/*
 * MPD_MSG_MSG2: a mach_msg2 call (mp_kern_msg2). MPD_MSG2_ARGS more bytes
 * follow the MSG arguments: option_hi (option64's high half; `option` is
 * its low half), bits, remote, local, voucher, id, desc_count, priority
 * (the header and count are the trap's arguments, not the message's),
 * vec_snd_count, vec_rcv_count, msg_vec_send_size, aux_send_size,
 * aux_rcv_size, vflags (MPD_MSG2_*), pad (u32 each). The message (send_size bytes,
 * the kernel's view: header from the arguments) is the message vector's,
 * or nothing when the kernel refuses it before reading it; its aux bytes
 * (mpd_msg2_aux_len) follow it in the packet. The reply's spans at
 * offsets from max(send_size, rcv_size) on are the aux receive buffer's.
 */
#define MPD_MSG_MSG2 4u
#define MPD_MSG2_ARGS 60u
#define MPD_MSG2_VECTOR 1u        /* MACH64_MSG_VECTOR: the counts and vector fields hold */
#define MPD_MSG2_VEC_NULL 2u      /* the vector array's address is 0 */
#define MPD_MSG2_MSG_DATA_NULL 4u /* the message vector's msgv_data is 0 */
#define MPD_MSG2_AUX_DATA_NULL 8u /* the aux vector's msgv_data is 0 */
#define MPD_MSG2_AUX_RCV_NULL 16u /* the aux vector's msgv_rcv_addr ?: msgv_data is 0 */
#define MPD_MSG2_MSG_RCV_NULL 32u /* the message vector's msgv_rcv_addr ?: msgv_data is 0 */
#define MPD_MSG2_FLAGS 63u
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
#define MPD_MAX_PACKET                                                                            \
	(MPD_HEADER_SIZE + MPD_MSG_ARGS + MPD_MSG2_ARGS + 8u * MPD_MAX_OOL + MPD_INLINE_MAX +      \
	 MP_MAX_AUX_DATA_SPACE)

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
 * The replies (same op and seq as the request; body offsets in brackets):
 *   HELLO      kr [0], pad [4], space id u64 [8], token u64 [16], pid [24],
 *              uid [28], gid [32], pad [36]
 *   ATTACH     kr [0]
 *   PORT_CALL  kr [0], r1 [4], r2 [8], r3 [12], r64 u64 [16], nextra [24],
 *              pad [28], then nextra extra bytes (a status struct, or a
 *              peeked trailer)
 *   MSG        kr [0], nspans [4], nmap [8], ndealloc [12], flags [16],
 *              tail_len [20], tail_at u64 [24];
 *              then the tail (tail_len bytes): spans {off, len}; maps {token,
 *              offset, len, page_off} u64s; deallocs {addr, len} u64s; the
 *              spans' bytes; with MPD_REPLY_OOL_INLINE the maps' bytes,
 *              packed (offset: into them). Else the maps are in a memfd that
 *              comes with the reply (offset: into it), and a tail larger
 *              than MPD_INLINE_MAX is in that memfd at tail_at
 *              (MPD_REPLY_IN_FD).
 *   CHECK      rc [0], spaces, ports, psets, kmsgs, vm_regions [4..20],
 *              whylen [24], why (whylen bytes)
 *   REFUSED    mpd_err_t [0], byte offset [4], reason (any request that
 *              broke a rule)
 *   REGISTER   kr [0], port [4] (MACH_PORT_NULL)
 *   LOOK_UP    kr [0], port [4] (the send right's name in the caller's space)
 *
 * The spans are the parts of the caller's buffer the kernel wrote (the
 * received message and trailer; a MACH_RCV_LARGE size; a pseudo-received
 * message): the client copies exactly those, so the rest of its buffer is
 * untouched, as with XNU. The maps are OOL regions given to the caller:
 * the kernel wrote a token address into the descriptor, and the client
 * gives the region fresh pages of its own (mapped from the memfd, or
 * filled from the packed bytes) and rewrites the descriptor. The deallocs
 * are the sender's regions the kernel deallocated (a descriptor's
 * deallocate flag): the client unmaps them.
 */
#define MPD_TOKEN_BASE 0xfffe000000000000ull /* not a user address on any machine served */
#define MPD_HELLO_REPLY 40u
#define MPD_ATTACH_REPLY 4u
#define MPD_PORT_REPLY 32u /* before the extra bytes */
#define MPD_MSG_REPLY 32u  /* before the tail */
#define MPD_REPLY_IN_FD 1u
#define MPD_REPLY_OOL_INLINE 2u /* the maps' bytes follow the spans' in the tail, packed */
#define MPD_CHECK_REPLY 28u /* before the reason */
#define MPD_REFUSED_REPLY 8u /* before the reason */
#define MPD_SERVICE_REPLY 8u /* REGISTER, LOOK_UP */
#define MPD_MAX_SPANS 3u /* msgh_size, msgh_local_port and the aux header of a MACH_RCV_LARGE */
/* a PORT_CALL reply's extra bytes: a port status, a peeked trailer, a
 * space's names ({name, type} u32 pairs: NAMES) or guard events (each
 * {flavor u32, target u32, payload u64}: GUARD_EVENTS). Up to
 * MPD_INLINE_MAX (get_attributes' info, at most mach_port_info_ext_t,
 * fits easily), so a PORT_CALL reply fits MPD_MAX_REPLY as a MSG reply
 * does; a space with more names than fit is KERN_RESOURCE_SHORTAGE. */
#define MPD_PORT_EXTRA_MAX MPD_INLINE_MAX
#define MPD_NAMES_MAX (MPD_PORT_EXTRA_MAX / 8u)
#define MPD_GUARD_EVENT_SIZE 16u
#define MPD_GUARD_EVENTS_MAX 64u /* per GUARD_EVENTS reply (the kernel keeps 64) */
#define MPD_WHY_MAX 255u    /* a CHECK reply's reason */
#define MPD_REASON_MAX 127u /* a REFUSED reply's reason (mpd_diag_t's, without its NUL) */
/* The reply memfd's layout unit: each region (and a tail in it) starts on
 * a page, so the client maps each one alone. */
#define MPD_PAGE 4096u
/* The OOL bytes one receive is given (the reply memfd's size) */
#define MPD_MAX_OUT_BYTES (1ull << 32)
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
	MPD_CALL_SWAP_GUARD,        /* a64 = old guard, b64 = new guard */
	/* a1 = flavor, a2 = count (the caller's room, natural_t); the reply's
	 * r1 = count, extra = count natural_t */
	MPD_CALL_GET_ATTRIBUTES,
	/* a1 = flavor, delta = count, a2 = info[0]: every flavor XNU sets
	 * reads at most info[0] (mach_port_set_attributes) */
	MPD_CALL_SET_ATTRIBUTES,
	/* a1 = flavor, delta = count, a64 = info[0..1] (GUARD_INFO's mpgi_guard) */
	MPD_CALL_ASSERT_ATTRIBUTES,
	MPD_CALL_NAMES,             /* reply: r1 = count, extra = count x {name, type} */
	MPD_CALL_GUARD_EVENTS,      /* a1 = max; reply: r1 = count, extra = count x MPD_GUARD_EVENT_SIZE */
	MPD_CALL_SET_HARDENED,      /* a1 = 0 or 1: the task's hardened-binary property (reply ports) */
	MPD_CALL_LAST = MPD_CALL_SET_HARDENED,
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

/* A MSG's mach_msg2 block (MPD_MSG_MSG2). */
typedef struct mpd_msg2 {
	uint32_t option_hi, bits;
	mp_port_name_t remote, local, voucher;
	int32_t id;
	uint32_t desc_count, priority;
	uint32_t vec_snd_count, vec_rcv_count;
	uint32_t msg_vec_send_size, aux_send_size, aux_rcv_size;
	uint32_t vflags; /* MPD_MSG2_* */
} mpd_msg2_t;

/* The aux bytes a MSG2 request carries: the aux vector's send bytes when
 * the kernel reads them (a two-vector send, an address, 8..1024 bytes). */
uint32_t mpd_msg2_aux_len(const mpd_msg2_t *m2);
/* Whether the kernel reads a MSG2's message vector (a vector send whose
 * message passes mach_msg_trap_send's size checks): then the request
 * carries exactly its msg_vec_send_size bytes, else none. */
int mpd_msg2_reads_message(const mpd_msg2_t *m2, uint32_t option);

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
	mpd_msg2_t msg2;          /* MPD_MSG_MSG2 */
	const uint8_t *aux;       /* MPD_MSG_MSG2: mpd_msg2_aux_len(&msg2) bytes, inside the packet */
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

/*
 * Why a packet was refused: the rule, the byte offset, a readable reason.
 * X(name, what the rule is). Values are in order and stable: new rules go
 * at the end. MPD_E_SHORT to MPD_E_FLAGS are the request's rules (the
 * reply's use some of them too); MPD_E_SEQ to MPD_E_MAP are the reply's
 * own; MPD_E_MSG2 is a request's again (added last, to keep the values).
 */
#define MPD_ERR_TABLE(X)                                                                             \
	X(MPD_OK, "success")                                                                         \
	X(MPD_E_SHORT, "shorter than its header or its op's arguments")                              \
	X(MPD_E_MAGIC, "not machportd's magic")                                                      \
	X(MPD_E_VERSION, "another protocol version")                                                 \
	X(MPD_E_LENGTH, "the header's length is not the packet's, or the body not its parts'")      \
	X(MPD_E_OP, "unknown op, or not the op this reply answers")                                  \
	X(MPD_E_CALL, "unknown port call")                                                           \
	X(MPD_E_TOO_LARGE, "over MPD_MAX_PACKET / MPD_MAX_REPLY / MP_MAX_SEND_SIZE / MPD_MAX_RCV_SIZE") \
	X(MPD_E_OOL_TABLE, "too many regions, out of order, or zero-sized")                          \
	X(MPD_E_FDS, "OOL data without exactly one memfd, or an fd with none")                       \
	X(MPD_E_FLAGS, "unknown MSG flags")                                                          \
	/* the reply's rules */                                                                      \
	X(MPD_E_SEQ, "the reply's seq is not the request's")                                         \
	X(MPD_E_PADDING, "a padding word is not 0")                                                  \
	X(MPD_E_COUNT, "a count over its bound (spans, extra bytes, a reason)")                      \
	X(MPD_E_TEXT, "a NUL inside a reason")                                                       \
	X(MPD_E_CODE, "a REFUSED reply names no rule")                                               \
	X(MPD_E_TAIL, "a MSG tail whose tables and bytes are not its length")                        \
	X(MPD_E_SPAN, "a written span outside the caller's buffer")                                  \
	X(MPD_E_MAP, "a region given to the caller that cannot be mapped (token, offsets)")           \
	X(MPD_E_MSG2, "a mach_msg2 block whose fields contradict each other")

typedef enum mpd_err {
#define MPD_ERR_ENUM_(name, reason) name,
	MPD_ERR_TABLE(MPD_ERR_ENUM_)
#undef MPD_ERR_ENUM_
	MPD_ERR_END /* not a rule: one past the last */
} mpd_err_t;

typedef struct mpd_diag {
	mpd_err_t err;
	size_t offset;
	char reason[128];
} mpd_diag_t;

/* The rule's name ("MPD_E_SPAN"), or "MPD_E_?"; and what the rule is. */
const char *mpd_err_name(mpd_err_t err);
const char *mpd_err_rule(mpd_err_t err);

/* Checks a request packet (`nfds` descriptors arrived with it) and decodes
 * it into `out`, whose pointers point into `pkt`. */
mpd_err_t mpd_decode_request(const uint8_t *pkt, size_t len, int nfds, mpd_request_t *out,
			     mpd_diag_t *diag);

/* The request encoders (the client's; mpd_encode_header is the replies' too). The
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

/* ---- replies ----------------------------------------------------------- */

/* A span of the caller's buffer the kernel wrote: `len` bytes at `off`,
 * whose new contents are `bytes`. */
typedef struct mpd_span {
	uint32_t off, len;
	const uint8_t *bytes;
} mpd_span_t;

/* A region given to the caller: the token the kernel wrote in the message,
 * where its pages are (the memfd's offset of its first page, or its packed
 * offset with MPD_REPLY_OOL_INLINE), its length, and where it starts in
 * its first page. `bytes`: the region's `len` bytes (packed only). */
typedef struct mpd_map {
	uint64_t token, offset, len, page_off;
	const uint8_t *bytes;
} mpd_map_t;

/* A sender's region the kernel deallocated. */
typedef struct mpd_dealloc {
	uint64_t addr, len;
} mpd_dealloc_t;

typedef struct mpd_msg_reply {
	mp_kr_t kr;
	uint32_t nspans, nmap, ndealloc;
	uint32_t flags;    /* MPD_REPLY_IN_FD, MPD_REPLY_OOL_INLINE */
	uint32_t tail_len;
	uint64_t tail_at;  /* MPD_REPLY_IN_FD: the tail's offset in the memfd */
	const uint8_t *tail; /* the tail inside the packet, or NULL (MPD_REPLY_IN_FD) */
} mpd_msg_reply_t;

/* A decoded reply; its pointers point into the packet. */
typedef struct mpd_reply {
	mpd_op_t op; /* the request's op, or MPD_OP_REFUSED */
	uint32_t seq;
	union {
		struct {
			mp_kr_t kr;
			uint64_t space, token;
			uint32_t pid, uid, gid;
		} hello;
		struct {
			mp_kr_t kr;
		} attach;
		struct {
			mp_kr_t kr;
			uint32_t r1, r2, r3;
			uint64_t r64;
			const uint8_t *extra; /* nextra bytes, at most MPD_PORT_EXTRA_MAX */
			uint32_t nextra;
		} port_call;
		mpd_msg_reply_t msg;
		struct {
			uint32_t rc; /* mp_kern_check's: 0 when the invariants hold */
			uint32_t spaces, ports, psets, kmsgs, vm_regions;
			const char *why; /* not NUL-terminated: why_len bytes */
			uint32_t why_len;
		} check;
		struct {
			mpd_err_t err;
			uint32_t offset;
			const char *reason; /* not NUL-terminated: reason_len bytes */
			uint32_t reason_len;
		} refused;
		struct {
			mp_kr_t kr;
			mp_port_name_t port;
		} service; /* REGISTER, LOOK_UP */
	} u;
} mpd_reply_t;

/*
 * Checks a reply packet (`nfds` descriptors arrived with it) to a request
 * of op `op` and seq `seq`, and decodes it into `out` (its pointers point
 * into `pkt`). The reply must be that op's or REFUSED, with that seq, its
 * kind's exact length, its counts within their bounds and the bytes they
 * promise present, and exactly the memfd it needs. A MSG reply's tail
 * (in the packet, or in the memfd with MPD_REPLY_IN_FD) is decoded next by
 * mpd_decode_reply_tail().
 */
mpd_err_t mpd_decode_reply(const uint8_t *pkt, size_t len, int nfds, mpd_op_t op, uint32_t seq,
			   mpd_reply_t *out, mpd_diag_t *diag);

/* A decoded MSG tail: pointers into the tail's bytes. */
typedef struct mpd_msg_tail {
	uint32_t nspans, nmap, ndealloc;
	int regions_inline;
	mpd_span_t spans[MPD_MAX_SPANS]; /* their bytes inside the tail */
	const uint8_t *maps, *deallocs;  /* the tables: mpd_tail_map(), mpd_tail_dealloc() */
	const uint8_t *regions;          /* regions_inline: the maps' bytes, packed */
	uint64_t regions_len;
} mpd_msg_tail_t;

/*
 * Checks the tail of MSG reply `m` (m->tail_len bytes at `tail`: m->tail,
 * or the memfd's bytes at m->tail_at) for a caller whose buffer is
 * `buf_len` bytes: every span inside the buffer and its bytes present, each
 * region's token a token (>= MPD_TOKEN_BASE) and its page offset inside a
 * page, a memfd region on a page of at most MPD_MAX_OUT_BYTES, packed
 * regions back to back, and nothing left over. Offsets in `diag` are the
 * tail's.
 */
mpd_err_t mpd_decode_reply_tail(const mpd_msg_reply_t *m, const uint8_t *tail, uint64_t buf_len,
				mpd_msg_tail_t *out, mpd_diag_t *diag);

/* Entry i of a decoded tail's maps (bytes: its packed bytes, or NULL) and
 * deallocs tables (i below the count). */
void mpd_tail_map(const mpd_msg_tail_t *t, uint32_t i, mpd_map_t *out);
void mpd_tail_dealloc(const mpd_msg_tail_t *t, uint32_t i, mpd_dealloc_t *out);

/*
 * Writes reply `r` (its op, seq and the op's fields; a MSG reply's inline
 * tail is copied from r->u.msg.tail). Returns the bytes written, or 0 if
 * `cap` is too small or a field breaks a bound the decoder checks (a
 * count, a reason's length).
 */
size_t mpd_encode_reply(uint8_t *out, size_t cap, const mpd_reply_t *r);

/* What a MSG tail is made of. With regions_inline the maps' bytes are
 * packed after the spans' and each map's offset is written as its packed
 * offset (the given offsets are not used). */
typedef struct mpd_tail_parts {
	const mpd_span_t *spans;
	uint32_t nspans;
	const mpd_map_t *maps;
	uint32_t nmap;
	const mpd_dealloc_t *deallocs;
	uint32_t ndealloc;
	int regions_inline;
} mpd_tail_parts_t;

/* The tail's size in bytes (UINT64_MAX if the counts break their bounds). */
uint64_t mpd_reply_tail_size(const mpd_tail_parts_t *p);

/* Writes the tail; returns its size, or 0 if `cap` is too small. */
size_t mpd_encode_reply_tail(uint8_t *out, size_t cap, const mpd_tail_parts_t *p);

/* ---- descriptors ------------------------------------------------------- */

/*
 * The OOL regions of a message both ends must agree on, walked with lib/msg's
 * lenient reader (mp_desc_iter_init_raw, mp_desc_next) in the user (64-bit)
 * layout, bounded by `len`: each descriptor's index and offset, and for the
 * OOL, OOL_VOLATILE and OOL_PORTS kinds its region's address and byte size
 * (an OOL_PORTS array is count x 4 bytes of names). The walk stops,
 * returning 0, at the end, at the first descriptor that does not fit, or at
 * an unknown type: the kernel then refuses the message with XNU's code.
 */
typedef struct mpd_desc_iter {
	mp_desc_iter_t it;
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
