/*
 * machports/spec.h: message specs, MIG's server checks as data.
 *
 * A spec describes a MIG subsystem's messages the way migcom lays them out
 * (bootstrap_cmds migcom.tproj: routine.c rtAddArg / rtCheckRoutine for what
 * goes in each message, type.c for sizes, server.c for the checks). Specs are
 * `static const` tables: `//:mpmig` writes them from a .defs file (see
 * lib/spec/spec.bzl), a program may write one by hand (mp_spec_validate()
 * checks it), and mp_spec_print_*() dumps them as text or JSON.
 *
 * One engine uses them:
 *   - mp_spec_check_request() runs, on a received request, exactly the checks
 *     migcom generates (the demux's id range, __MIG_check__Request__*, the
 *     trailer checks of the _X routine), in migcom's order, with its codes;
 *     MP_SPEC_STRICT adds the receive parser's rules. On success the view
 *     gives typed, zero-copy access to every argument.
 *   - mp_spec_check_reply() runs the user stub's reply check.
 *   - mp_spec_build_*() compose a request, a reply or a mig_reply_error_t.
 *   - mp_spec_gen_*() (lib/spec/gen.c) generate well-formed and edge-mutated
 *     messages for fuzzers and the differential against Apple's MIG.
 *
 * Layout model (MIG's, with __MigPackStructs, i.e. #pragma pack(4)):
 *   header (24) | [body (4) | descriptors] | [NDR (8)] | inline fields.
 * Every inline field occupies a multiple of 4 bytes (migcom pads each
 * argument to the word: itPadSize). `offset` is the field's offset in the
 * largest message (every variable field at its maximum), as in MIG's
 * __Request struct; a variable field before it moves it down by what that
 * field lacks, as MIG's In1P/In2P pointers do (WriteAdjustRequestMsgPtr).
 */
#ifndef MACHPORTS_SPEC_H
#define MACHPORTS_SPEC_H

#include <stddef.h>
#include <stdint.h>

#include "machports/dump.h"
#include "machports/err.h"
#include "machports/msg.h"
#include "machports/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * MIG's return codes (mach/mig_errors.h values; facts)
 * ------------------------------------------------------------------------ */
#define MP_MIG_SUCCESS 0
#define MP_MIG_TYPE_ERROR (-300)      /* a descriptor of the wrong type, disposition or size */
#define MP_MIG_REPLY_MISMATCH (-301)  /* a reply's msgh_id is not the request's + 100 */
#define MP_MIG_REMOTE_ERROR (-302)
#define MP_MIG_BAD_ID (-303)          /* no routine for msgh_id */
#define MP_MIG_BAD_ARGUMENTS (-304)   /* sizes, counts, the complex bit, a string with no NUL */
#define MP_MIG_NO_REPLY (-305)
#define MP_MIG_EXCEPTION (-306)
#define MP_MIG_ARRAY_TOO_LARGE (-307) /* user side: an out array larger than the caller's */
#define MP_MIG_SERVER_DIED (-308)
#define MP_MIG_TRAILER_ERROR (-309)   /* the trailer lacks what the routine asked for */

/* mp_mig_code_name returns "MIG_BAD_ARGUMENTS", ..., "KERN_SUCCESS" or "unknown". */
const char *mp_mig_code_name(int32_t code);

/* ------------------------------------------------------------------------
 * The spec
 * ------------------------------------------------------------------------ */

#define MP_SPEC_NONE 0xffffu /* no field (a count_field that does not exist) */

/* One descriptor of a message, in the order MIG puts them. */
typedef struct mp_spec_desc {
	const char *name;  /* the argument's name in the .defs */
	uint8_t type;      /* MP_MSG_PORT_DESCRIPTOR, MP_MSG_OOL_DESCRIPTOR, MP_MSG_OOL_PORTS_DESCRIPTOR */
	uint8_t flags;     /* MP_SPEC_DESC_* */
	uint16_t count_field; /* OOL / OOL ports of variable size: index of the inline count it
			       * must agree with (WriteOOLSizeCheck); else MP_SPEC_NONE */
	/*
	 * The received dispositions (0..31) the check accepts, as a bit mask
	 * (1u << disposition). MP_SPEC_ANY_DISPOSITION = not checked (MIG checks
	 * no disposition on a polymorphic port, nor on OOL ports that are
	 * polymorphic: WriteTCheckKPD_port / _oolport).
	 */
	uint32_t dispositions;
	/* MP_SPEC_DESC_FIXED: OOL: the exact size in bytes; OOL ports: the exact count. */
	uint32_t fixed;
	/* Variable OOL: `size / multiplier != count` is MIG_TYPE_ERROR (1 = no division). */
	uint32_t multiplier;
	/* Variable OOL / OOL ports: count > max is MIG_TYPE_ERROR (itOOL_Number); 0 = no maximum. */
	uint32_t max;
	/* For builders and generators: the element size in bytes of OOL data (1 for bytes),
	 * and the disposition a sender uses (MACH_MSG_TYPE_MAKE_SEND, ...), 0 if polymorphic. */
	uint32_t elem_size;
	uint32_t send_disposition;
	/*
	 * Precomputed (read only when the message's flags have MP_SPEC_MSG_PRECOMPUTED;
	 * mpmig emits them, mp_spec_desc_word() computes them, mp_spec_validate checks
	 * them): the descriptor's type check as one 64-bit little-endian word. The
	 * last 8 bytes of every descriptor (at word_at, a byte offset in the message)
	 * hold its disposition and type (and an OOL size / OOL ports count); the
	 * check is `(word ^ word_want) & word_mask`
	 * == 0, exactly what WriteTypeCheck compares for a single accepted
	 * disposition or none (ANY). A descriptor accepting several dispositions
	 * has no word: its message has no MP_SPEC_MSG_PRECOMPUTED.
	 */
	uint32_t word_at;
	uint64_t word_mask;
	uint64_t word_want;
} mp_spec_desc_t;

#define MP_SPEC_ANY_DISPOSITION 0xffffffffu
#define MP_SPEC_DESC_FIXED 0x01u   /* OOL: size checked against `fixed`; OOL ports: count */
#define MP_SPEC_DESC_DEALLOC 0x02u /* the .defs says dealloc (for builders) */
#define MP_SPEC_DESC_PHYSCOPY 0x04u /* the .defs says physicalcopy (for builders) */

/* Kinds of inline fields. */
typedef enum mp_spec_field_kind {
	MP_SPEC_SCALAR = 1,     /* a fixed-size value: int, int64, a struct, a fixed array */
	MP_SPEC_COUNT = 2,      /* mach_msg_type_number_t counting another field or descriptor */
	MP_SPEC_VAR_ARRAY = 3,  /* array[*:max] of elem: `count_field` elements, each elem_size */
	MP_SPEC_STRING = 4,     /* c_string[max]: max bytes, a NUL required among them */
	MP_SPEC_VAR_STRING = 5, /* c_string[*:max]: like VAR_ARRAY of char, NUL required */
	MP_SPEC_STRING_OFFSET = 6, /* the xOffset word before a c_string[*:N] ("MiG doesn't use it") */
	MP_SPEC_RETCODE = 7,    /* kern_return_t RetCode of a reply */
} mp_spec_field_kind_t;

/* One inline field (after the NDR record), in the order of MIG's struct. */
typedef struct mp_spec_field {
	const char *name;     /* as in MIG's struct: "codeCnt", "code", "nameOffset" */
	uint8_t kind;         /* mp_spec_field_kind_t */
	uint8_t type_code;    /* MACH_MSG_TYPE_INTEGER_32, _CHAR, ...: for dumps and generators */
	uint16_t count_field; /* VAR_ARRAY / VAR_STRING: index of its COUNT field; else MP_SPEC_NONE */
	uint32_t elem_size;   /* bytes per element (SCALAR / COUNT / RETCODE: its size) */
	uint32_t max;         /* VAR_ARRAY / VAR_STRING / STRING: maximum elements; else 1 */
	uint32_t wire_size;   /* bytes in the largest message, padded to 4 */
	uint32_t offset;      /* byte offset in the largest message */
} mp_spec_field_t;

/* One direction of a routine: the request or the reply. */
typedef struct mp_spec_msg {
	uint8_t complex;   /* the message carries a body and descriptors */
	uint8_t ndr;       /* an NDR record follows the descriptors */
	uint16_t ndesc, nfields;
	uint16_t nvar;     /* variable fields (VAR_ARRAY, VAR_STRING) */
	const mp_spec_desc_t *descs;
	const mp_spec_field_t *fields;
	uint32_t min_size; /* msgh_size bounds: every variable field empty / full */
	uint32_t max_size;
	/*
	 * MP_SPEC_MSG_*: what a data-driven check needs to do only the work MIG's
	 * generated code does. 0 (a table written before these existed, or one
	 * that leaves them out) is checked correctly by the general walk, only
	 * slower; MP_SPEC_MSG_PRECOMPUTED promises every descriptor's word_* and the
	 * other flags, and mp_spec_validate refuses a table whose promise is wrong.
	 * The check trusts the promise for what it tests (validate a hand-written
	 * table), never for where it reads: every read stays inside the buffer.
	 */
	uint32_t flags;
} mp_spec_msg_t;

#define MP_SPEC_MSG_PRECOMPUTED 0x01u /* descs' word_* and the flags below are filled */
#define MP_SPEC_MSG_STRINGS 0x02u     /* a STRING or VAR_STRING field (a NUL to find) */
#define MP_SPEC_MSG_OOL_COUNTS 0x04u  /* a descriptor with a count_field (WriteOOLSizeCheck) */

/*
 * For hand-written tables: a descriptor's word_at, word_mask, word_want (three
 * initializers) from the byte `at` where it starts; `disp` is the one received
 * disposition accepted, or MP_SPEC_WORD_ANY (a polymorphic port).
 */
#define MP_SPEC_WORD_ANY 0x100u
#define MP_SPEC_WORD_DISP_MASK_(disp) ((disp) == MP_SPEC_WORD_ANY ? 0u : 0xffu)
#define MP_SPEC_WORD_DISP_(disp) ((disp) == MP_SPEC_WORD_ANY ? 0u : (uint32_t)(disp))
#define MP_SPEC_WORD_PORT(at, disp)                                                              \
	(at) + 4u,                                                                                \
	    ((uint64_t)0xffu << 56 | (uint64_t)MP_SPEC_WORD_DISP_MASK_(disp) << 48),              \
	    ((uint64_t)MP_MSG_PORT_DESCRIPTOR << 56 | (uint64_t)MP_SPEC_WORD_DISP_(disp) << 48)
#define MP_SPEC_WORD16_(at, type, disp, size_mask, size)                                         \
	(at) + 8u,                                                                                \
	    ((uint64_t)(size_mask) << 32 | (uint64_t)0xffu << 24 |                                \
	     (uint64_t)MP_SPEC_WORD_DISP_MASK_(disp) << 16),                                      \
	    ((uint64_t)(size) << 32 | (uint64_t)(type) << 24 | (uint64_t)MP_SPEC_WORD_DISP_(disp) << 16)
#define MP_SPEC_WORD_OOL(at) MP_SPEC_WORD16_(at, MP_MSG_OOL_DESCRIPTOR, MP_SPEC_WORD_ANY, 0u, 0u)
#define MP_SPEC_WORD_OOL_FIXED(at, size)                                                         \
	MP_SPEC_WORD16_(at, MP_MSG_OOL_DESCRIPTOR, MP_SPEC_WORD_ANY, 0xffffffffu, size)
#define MP_SPEC_WORD_OOL_PORTS(at, disp)                                                         \
	MP_SPEC_WORD16_(at, MP_MSG_OOL_PORTS_DESCRIPTOR, disp, 0u, 0u)
#define MP_SPEC_WORD_OOL_PORTS_FIXED(at, disp, count)                                            \
	MP_SPEC_WORD16_(at, MP_MSG_OOL_PORTS_DESCRIPTOR, disp, 0xffffffffu, count)

/*
 * mp_spec_desc_word computes descriptor `d`'s word_at, word_mask and word_want
 * when the descriptor starts at byte `at` of the message (28 for the first).
 * Returns 0 if the check is not one word (a port or OOL ports descriptor that
 * accepts several dispositions, but not all).
 */
static inline int mp_spec_desc_word(const mp_spec_desc_t *d, uint32_t at, uint32_t *word_at,
				    uint64_t *mask, uint64_t *want)
{
	uint32_t wire = d->type == MP_MSG_PORT_DESCRIPTOR ? 12u : 16u;
	uint64_t m = (uint64_t)0xff << 24, w = (uint64_t)d->type << 24;
	if (d->type != MP_MSG_OOL_DESCRIPTOR && d->dispositions != MP_SPEC_ANY_DISPOSITION) {
		uint32_t disp = 0;
		if (d->dispositions == 0 || (d->dispositions & (d->dispositions - 1u)) != 0)
			return 0;
		while ((d->dispositions >> disp) != 1u)
			disp++;
		m |= (uint64_t)0xff << 16;
		w |= (uint64_t)disp << 16;
	}
	if (d->type != MP_MSG_PORT_DESCRIPTOR && (d->flags & MP_SPEC_DESC_FIXED)) {
		m |= (uint64_t)0xffffffffu << 32;
		w |= (uint64_t)d->fixed << 32;
	}
	*word_at = at + wire - 8u;
	*mask = m << (wire == 12u ? 32 : 0);
	*want = w << (wire == 12u ? 32 : 0);
	return 1;
}

/* Trailer elements a routine asks for (ServerSecToken, ServerAuditToken, msgseqno,
 * ServerContextToken), in .defs order (MIG checks them cumulatively in that order). */
typedef enum mp_spec_trailer_elem {
	MP_SPEC_TRAILER_SEQNO = 1,   /* 4 bytes */
	MP_SPEC_TRAILER_SENDER = 2,  /* security_token_t, 8 bytes */
	MP_SPEC_TRAILER_AUDIT = 3,   /* audit_token_t, 32 bytes */
	MP_SPEC_TRAILER_CONTEXT = 4, /* mach_vm_address_t, 8 bytes */
} mp_spec_trailer_elem_t;

#define MP_SPEC_MAX_TRAILER_ELEMS 4

/* round_msg (mach/message.h): the trailer follows the message at a 4-byte
 * boundary. _WALIGN_ (mig_errors.h): MIG's word alignment of a variable
 * field's bytes. The same rounding, named as each source names it. */
static inline uint32_t mp_spec_round_msg(uint32_t size)
{
	return (size + 3u) & ~3u;
}

static inline uint32_t mp_spec_walign(uint32_t n)
{
	return (n + 3u) & ~3u;
}

/* An element's size (mach_port_seqno_t 4, security_token_t 8, audit_token_t 32,
 * mach_vm_address_t 8) and its offset in the format-0 trailer
 * (mach_msg_max_trailer_t: 8, 12, 20, 52); 0 for an unknown element. The
 * kernel size that holds it is offset + size (12, 20, 52, 60). */
static inline uint32_t mp_spec_trailer_elem_size(unsigned elem)
{
	static const uint8_t size[5] = {0, 4, 8, 32, 8};
	return elem < 5u ? size[elem] : 0;
}

static inline uint32_t mp_spec_trailer_elem_offset(unsigned elem)
{
	static const uint8_t offset[5] = {0, 8, 12, 20, 52};
	return elem < 5u ? offset[elem] : 0;
}

typedef enum mp_spec_routine_kind {
	MP_SPEC_ROUTINE = 1,       /* a request and a reply */
	MP_SPEC_SIMPLEROUTINE = 2, /* a request only */
} mp_spec_routine_kind_t;

typedef struct mp_spec_routine {
	const char *name;
	int32_t id;   /* the request's msgh_id; the reply's is id + 100 */
	uint8_t kind; /* mp_spec_routine_kind_t */
	/* Request form with a leading kern_return_t (rtRetCArg: a "reply" subsystem such as
	 * clock_reply): a 36-byte simple error message is also accepted (WriteRetCArgCheckError). */
	uint8_t retcode_arg;
	uint8_t ntrailer;
	uint8_t trailer[MP_SPEC_MAX_TRAILER_ELEMS]; /* mp_spec_trailer_elem_t, in order */
	/* MP_SPEC_STRICT only: received dispositions (mask) the reply port may have. A
	 * received message carries it as msgh_remote_port (the remote bits), which is what
	 * MACH_MSGH_BITS_REPLY takes for the error reply; MIG itself does not check it. */
	uint32_t reply_port_dispositions;
	mp_spec_msg_t request;
	mp_spec_msg_t reply; /* kind == MP_SPEC_ROUTINE only */
} mp_spec_routine_t;

/* A subsystem, as MIG's mig_subsystem: routine i has msgh_id base + i; a NULL
 * entry is a `skip` (MIG_BAD_ID). */
typedef struct mp_spec_subsystem {
	const char *name;
	int32_t base;
	uint32_t nroutines;
	const mp_spec_routine_t *const *routines;
	uint32_t max_request_size; /* largest request, largest reply (msgh_size) */
	uint32_t max_reply_size;
} mp_spec_subsystem_t;

/* mp_spec_routine_for_id returns the routine for msgh_id, or NULL (MIG_BAD_ID). */
const mp_spec_routine_t *mp_spec_routine_for_id(const mp_spec_subsystem_t *ss, int32_t id);

/* mp_spec_routine_by_name returns the routine named `name`, or NULL. */
const mp_spec_routine_t *mp_spec_routine_by_name(const mp_spec_subsystem_t *ss,
						 const char *name);

/*
 * mp_spec_validate checks a table's consistency (written by hand, or by
 * mpmig): counts point at COUNT fields before their arrays, offsets, sizes,
 * min/max sizes and nvar agree with the fields, ids follow the base. On a
 * fault it returns MP_E_INVALID_ARG and `diag->reason` names the routine,
 * the field and the value it expected.
 */
MP_MUST_USE mp_err_t mp_spec_validate(const mp_spec_subsystem_t *ss, mp_diag_t *diag);

/* ------------------------------------------------------------------------
 * Check
 * ------------------------------------------------------------------------ */

typedef enum mp_spec_level {
	MP_SPEC_MIG = 0,    /* exactly what migcom's generated code checks */
	MP_SPEC_STRICT = 1, /* MIG's checks, then mp_parse_recv's rules and the reply port */
} mp_spec_level_t;

/* Why a message was refused: the MIG code, where, and a readable reason
 * ("mach_exception_raise: codeCnt: count 3 > 2 at offset 64"). */
typedef struct mp_spec_diag {
	int32_t code;           /* MP_MIG_* */
	const char *routine;    /* NULL when no routine was found */
	const char *field;      /* the field or descriptor, or "msgh_size", "trailer", ... */
	uint32_t offset;        /* byte offset of the field in the buffer */
	mp_err_t parser_err;    /* MP_SPEC_STRICT: the receive parser's rule, else MP_OK */
	char reason[192];
} mp_spec_diag_t;

#define MP_SPEC_MAX_FIELDS 64
#define MP_SPEC_MAX_DESCS 64

/* A checked message: typed access without copies. Filled by a successful check. */
typedef struct mp_spec_view {
	const mp_spec_routine_t *routine;
	const mp_spec_msg_t *msg;  /* &routine->request or &routine->reply */
	const uint8_t *bytes;
	size_t len;
	uint32_t msgh_size;
	uint32_t field_offset[MP_SPEC_MAX_FIELDS]; /* where each field is in this message */
	uint32_t field_count[MP_SPEC_MAX_FIELDS];  /* elements present (max for fixed fields) */
	uint32_t trailer_offset;                   /* round_msg(msgh_size); 0 if none was read */
} mp_spec_view_t;

/*
 * mp_spec_check_request checks a received request (`buf`: message, then the
 * trailer at round_msg(msgh_size); `len`: the bytes the caller has) against
 * its subsystem, as a MIG server does:
 *   1. the demux: msgh_id outside [base, base + n) or a skip: MIG_BAD_ID;
 *   2. __MIG_check__Request__<routine>: the complex bit, descriptor count and
 *      msgh_size (WriteCheckHead), each descriptor's type, disposition and
 *      fixed size (WriteTypeCheck), each variable field's count and the size
 *      it implies (WriteCheckMsgSize), OOL sizes against their counts
 *      (WriteOOLSizeCheck), the NUL of every string (WriteStringTerminatorCheck);
 *   3. the trailer, if the routine asks for elements (WriteCheckTrailerHead,
 *      WriteCheckTrailerSize): format 0, then enough bytes: MIG_TRAILER_ERROR.
 * Returns MP_MIG_SUCCESS or the code MIG's server would put in its error reply.
 * Beyond MIG (which trusts the kernel): a buffer shorter than 24 bytes or than
 * msgh_size is MIG_BAD_ARGUMENTS, a trailer that would lie past `len` is
 * MIG_TRAILER_ERROR; nothing is read outside [buf, buf + len).
 * `view` and `diag` may be NULL.
 */
MP_MUST_USE int32_t mp_spec_check_request(const mp_spec_subsystem_t *ss, const void *buf,
					  size_t len, mp_spec_level_t level,
					  mp_spec_view_t *view, mp_spec_diag_t *diag);

/*
 * mp_spec_check_reply checks a received reply to `rt` as MIG's user stub does
 * (user.c WriteCheckReply): msgh_id must be rt->id + 100 (MIG_REPLY_MISMATCH),
 * a mig_reply_error_t returns its RetCode (or MIG_TYPE_ERROR if it is
 * KERN_SUCCESS), then the reply's layout checks.
 */
MP_MUST_USE int32_t mp_spec_check_reply(const mp_spec_routine_t *rt, const void *buf,
					size_t len, mp_spec_level_t level,
					mp_spec_view_t *view, mp_spec_diag_t *diag);

/* ------------------------------------------------------------------------
 * Typed access to a checked message (each returns 0 if the index is not
 * of that kind)
 * ------------------------------------------------------------------------ */

/* Index of the field or descriptor named `name`, or -1. */
int mp_spec_field_index(const mp_spec_msg_t *m, const char *name);
int mp_spec_desc_index(const mp_spec_msg_t *m, const char *name);

/* A field's bytes and element count (pointer into the message). */
const void *mp_spec_field(const mp_spec_view_t *v, unsigned field, uint32_t *count);
/* A SCALAR or COUNT field of 4 or 8 bytes, as an integer (little-endian on the wire). */
int mp_spec_field_u32(const mp_spec_view_t *v, unsigned field, uint32_t *out);
int mp_spec_field_u64(const mp_spec_view_t *v, unsigned field, uint64_t *out);
/* A STRING / VAR_STRING: its bytes up to the NUL the check found. */
const char *mp_spec_field_string(const mp_spec_view_t *v, unsigned field);
/* The descriptor at `desc`, decoded. */
int mp_spec_desc(const mp_spec_view_t *v, unsigned desc, mp_desc_t *out);
/* The trailer element `elem` (mp_spec_trailer_elem_t): 4, 8 or 32 bytes into `out`. */
int mp_spec_trailer(const mp_spec_view_t *v, mp_spec_trailer_elem_t elem, void *out,
		    size_t out_len);

/* ------------------------------------------------------------------------
 * Build
 * ------------------------------------------------------------------------ */

/* One argument's value. Descriptors use name/disposition or address/size;
 * fields use data + count (count elements for arrays, ignored for scalars;
 * a string's NUL is added). COUNT fields are computed and take no value. */
typedef struct mp_spec_value {
	const void *data;
	uint32_t count;
	mp_port_name_t name;
	uint32_t disposition; /* the sender's MACH_MSG_TYPE_*; 0 = the spec's send_disposition */
	uint64_t address;     /* OOL / OOL ports */
	uint32_t size;        /* OOL bytes / OOL ports count */
	uint32_t copy;        /* MACH_MSG_VIRTUAL_COPY / PHYSICAL_COPY */
	int deallocate;
} mp_spec_value_t;

/* Header of a message to build. */
typedef struct mp_spec_header {
	mp_port_name_t remote;
	uint32_t remote_disposition;
	mp_port_name_t local;  /* reply port (MACH_PORT_NULL for none) */
	uint32_t local_disposition;
	mp_port_name_t voucher;
	uint32_t voucher_disposition;
} mp_spec_header_t;

/*
 * mp_spec_build_request / _reply compose a message in send form through the
 * builder: header, descriptors, NDR record, fields with counts, sizes and
 * padding computed. `descs` has m->ndesc values, `fields` m->nfields (COUNT,
 * STRING_OFFSET and RETCODE entries are ignored; `retcode` is the reply's).
 * A value that does not fit the spec (count > max, a string too long) is
 * MP_E_INVALID_ARG with the field named in `diag`.
 */
MP_MUST_USE mp_err_t mp_spec_build_request(const mp_spec_routine_t *rt,
					   const mp_spec_header_t *hdr,
					   const mp_spec_value_t *descs,
					   const mp_spec_value_t *fields, void *buf, size_t cap,
					   size_t *out_len, mp_diag_t *diag);
MP_MUST_USE mp_err_t mp_spec_build_reply(const mp_spec_routine_t *rt,
					 const mp_spec_header_t *hdr, int32_t retcode,
					 const mp_spec_value_t *descs,
					 const mp_spec_value_t *fields, void *buf, size_t cap,
					 size_t *out_len, mp_diag_t *diag);

/*
 * mp_spec_build_error_reply writes the mig_reply_error_t a MIG server sends for
 * `code` in answer to `request` (the demux's header: bits
 * MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(request bits), 0), remote = the
 * request's reply port (its msgh_remote_port as received), id + 100, size
 * 36; NDR_record; RetCode). `cap` >= 36.
 */
MP_MUST_USE mp_err_t mp_spec_build_error_reply(const void *request, size_t request_len,
					       int32_t code, void *buf, size_t cap,
					       size_t *out_len);

/* ------------------------------------------------------------------------
 * Print
 * ------------------------------------------------------------------------ */

/* The subsystem's routines, their fields, sizes and checks, as text / JSON. */
void mp_spec_print_text(const mp_spec_subsystem_t *ss, mp_write_fn write, void *ctx);
void mp_spec_print_json(const mp_spec_subsystem_t *ss, mp_write_fn write, void *ctx);

/* A checked message with the routine's argument names, as text / JSON. */
void mp_spec_dump_text(const mp_spec_view_t *v, mp_write_fn write, void *ctx);
void mp_spec_dump_json(const mp_spec_view_t *v, mp_write_fn write, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_SPEC_H */
