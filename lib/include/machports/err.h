/*
 * machports/err.h: mp_err_t and mp_diag_t, the errors of message shapes.
 *
 * Return conventions. Each layer answers in the terms of whoever it
 * mirrors; there is no single error enum:
 *   - Message shapes (lib/msg: the builder and mp_parse_send/recv):
 *     mp_err_t, this file, with an mp_diag_t (rule, byte offset, reason)
 *     filled on failure when the caller passes one.
 *   - Where XNU answers (lib/port's mach_port_* and mach_msg calls, the
 *     handles, lib/kern): XNU's own kern_return_t / mach_msg_return_t
 *     values, mp_kr_t (machports/wire.h: MP_KERN_*, MP_MACH_*), so a
 *     result compares with the real kernel's. A receive whose bytes fail
 *     the parser keeps the diagnosis (mp_received_t.diag, port.h).
 *   - machportd's protocol: mpd_err_t (lib/machportd/proto.h), carried in
 *     a REFUSED reply with the offset and reason.
 *   - Infrastructure (start a daemon, check a kernel, open a file): 0 on
 *     success, -1 on failure with a reason (errno, or a `why` buffer).
 *   - Predicates and take/next calls: 1 or 0 (mp_trailer_size_valid,
 *     mp_desc_next, mp_received_take_*).
 *
 * Ownership. A handle (port.h) owns exactly what it names; a function
 * that consumes a right takes the handle by pointer and sets it to the
 * null handle; drop releases exactly what the handle owns, no more. A
 * send that fails returns the rights it did not consume, as XNU does
 * (xnu-abi.md §6.4): a send refused before copyin leaves every right with
 * the caller; rights a failing copyin already destroyed are gone; a
 * pseudo-receive (§6.4 D) puts the rights back in the message, for
 * mp_msg_destroy or the caller to release.
 *
 * mp_err_t: every value is named after the rule it reports. Values are
 * grouped in ranges (usage, send-shape rules, receive-shape rules) and are
 * stable: new codes go at the end of their range. Where XNU's send path
 * has a return code for the same rule, mp_err_mach_send() gives it.
 */
#ifndef MACHPORTS_ERR_H
#define MACHPORTS_ERR_H

#include <stddef.h>
#include <stdint.h>

#include "machports/wire.h"

#if defined(__GNUC__) || defined(__clang__)
#define MP_MUST_USE __attribute__((warn_unused_result))
#else
#define MP_MUST_USE
#endif

/*
 * X(name, value, MACH code of XNU's send path or 0, reason)
 * The reason is a readable sentence fragment used by mp_err_str().
 */
#define MP_ERR_TABLE(X)                                                                         \
	X(MP_OK, 0, 0, "success")                                                                   \
	/* usage, 1..31 */                                                                          \
	X(MP_E_INVALID_ARG, 1, 0, "invalid argument")                                               \
	X(MP_E_NO_SPACE, 2, 0, "the buffer is too small for the message")                           \
	/* send-shape rules (§6.1 steps 1-11, §6.2), 32..63 */                                      \
	X(MP_E_SEND_SIZE, 32, MP_MACH_SEND_MSG_TOO_SMALL,                                           \
	  "send size is below 24 bytes or not a multiple of 4")                                     \
	X(MP_E_SEND_TOO_LARGE, 33, MP_MACH_SEND_TOO_LARGE,                                          \
	  "send size exceeds the kernel maximum of 50331580 bytes")                                 \
	X(MP_E_COMPLEX_SIZE, 34, MP_MACH_SEND_MSG_TOO_SMALL,                                        \
	  "complex message shorter than header plus descriptor count (28 bytes)")                   \
	X(MP_E_DESC_COUNT, 35, MP_MACH_SEND_MSG_TOO_SMALL,                                          \
	  "descriptor count larger than the message can hold at 12 bytes each")                     \
	X(MP_E_DESC_TRUNCATED, 36, MP_MACH_SEND_MSG_TOO_SMALL,                                      \
	  "descriptor does not fit inside the message")                                             \
	X(MP_E_DESC_TYPE, 37, MP_MACH_SEND_INVALID_TYPE, "descriptor type is not 0..4")             \
	X(MP_E_OOL_COPY, 38, MP_MACH_SEND_INVALID_TYPE,                                             \
	  "OOL copy option is neither PHYSICAL_COPY nor VIRTUAL_COPY")                              \
	X(MP_E_VM_BUDGET, 39, MP_MACH_MSG_VM_KERNEL,                                                \
	  "physically copied OOL memory exceeds the kernel's per-message budget")                   \
	X(MP_E_PORT_COUNT, 40, MP_MACH_SEND_TOO_LARGE,                                              \
	  "message carries more than 16383 port rights")                                            \
	X(MP_E_GUARDED_DISPOSITION, 41, MP_MACH_SEND_INVALID_TYPE,                                  \
	  "guarded port descriptor disposition is not MOVE_RECEIVE")                                \
	X(MP_E_GUARDED_FLAGS, 42, MP_MACH_SEND_INVALID_TYPE,                                        \
	  "guarded port descriptor flags are zero or outside 0x3")                                  \
	X(MP_E_GUARDED_CONTEXT, 43, MP_MACH_SEND_INVALID_TYPE,                                      \
	  "UNGUARDED_ON_SEND guarded port descriptor has a non-zero context")                       \
	X(MP_E_REPLY_DISPOSITION, 44, MP_MACH_SEND_INVALID_HEADER,                                  \
	  "reply (local) disposition is not 17..21, or is 0 with a non-NULL name")                  \
	X(MP_E_VOUCHER_DISPOSITION, 45, MP_MACH_SEND_INVALID_VOUCHER,                               \
	  "voucher disposition is not 0, MOVE_SEND or COPY_SEND")                                   \
	X(MP_E_VOUCHER_DEAD, 46, MP_MACH_SEND_INVALID_VOUCHER,                                      \
	  "voucher disposition names MACH_PORT_DEAD")                                               \
	X(MP_E_REMOTE_DISPOSITION, 47, MP_MACH_SEND_INVALID_HEADER,                                 \
	  "remote (destination) disposition is not 17..21")                                         \
	X(MP_E_REMOTE_NAME, 48, MP_MACH_SEND_INVALID_DEST,                                          \
	  "remote (destination) name is MACH_PORT_NULL or MACH_PORT_DEAD")                          \
	X(MP_E_DEST_VOUCHER, 49, MP_MACH_SEND_INVALID_DEST,                                         \
	  "destination is also the voucher but its disposition is not MOVE_SEND or COPY_SEND")     \
	X(MP_E_DEST_REPLY_SEND_ONCE, 50, MP_MACH_SEND_INVALID_DEST,                                 \
	  "destination is also the reply port and one of them is MOVE_SEND_ONCE")                  \
	X(MP_E_REPLY_VOUCHER, 51, MP_MACH_SEND_INVALID_REPLY,                                       \
	  "reply port and voucher are the same name")                                               \
	X(MP_E_PORT_DISPOSITION, 52, MP_MACH_SEND_INVALID_RIGHT,                                    \
	  "port descriptor carries a valid name with a disposition that is not a right (16..21)")   \
	/* receive-shape rules (§4, §6.6-6.9), 64..95 */                                            \
	X(MP_E_RECV_HEADER_TRUNCATED, 64, 0, "buffer is shorter than the 24-byte header")           \
	X(MP_E_RECV_SIZE, 65, 0, "msgh_size is below 24 or not a multiple of 4")                   \
	X(MP_E_RECV_SIZE_OVERRUN, 66, 0,                                                            \
	  "msgh_size leaves no room for a trailer inside the buffer")                               \
	X(MP_E_RECV_BITS_UNKNOWN, 67, 0, "msgh_bits has bits the kernel never delivers")            \
	X(MP_E_RECV_REMOTE_BITS, 68, 0, "received REMOTE bits are not 0, PORT_SEND or PORT_SEND_ONCE") \
	X(MP_E_RECV_LOCAL_BITS, 69, 0, "received LOCAL bits are not PORT_SEND or PORT_SEND_ONCE")   \
	X(MP_E_RECV_VOUCHER_BITS, 70, 0, "received VOUCHER bits are not 0, 17 or 19")              \
	X(MP_E_RECV_PORT_DISPOSITION, 71, 0,                                                        \
	  "received port disposition is not 0, PORT_RECEIVE, PORT_SEND or PORT_SEND_ONCE")          \
	X(MP_E_TRAILER_FORMAT, 72, 0, "trailer type is not MACH_MSG_TRAILER_FORMAT_0")             \
	X(MP_E_TRAILER_SIZE, 73, 0, "trailer size is not 8, 12, 20, 52, 60 or 68")                \
	X(MP_E_TRAILER_OVERRUN, 74, 0, "trailer extends past the end of the buffer")               \
	X(MP_E_TRAILER_MISMATCH, 75, 0, "trailer size differs from the size that was requested")   \
	/* internal, 255 */                                                                         \
	X(MP_E_INTERNAL, 255, 0, "internal error (a bug in machports)")

typedef enum mp_err {
#define MP_ERR_ENUM_(name, value, mach, reason) name = value,
	MP_ERR_TABLE(MP_ERR_ENUM_)
#undef MP_ERR_ENUM_
} mp_err_t;

/* mp_err_name returns the enum's name ("MP_E_DESC_TYPE"), or "MP_E_UNKNOWN". */
const char *mp_err_name(mp_err_t err);

/* mp_err_str returns a readable sentence for `err`. Never NULL. */
const char *mp_err_str(mp_err_t err);

/* mp_err_mach_send returns the MACH_SEND_* (or MACH_MSG_VM_KERNEL) code
 * XNU's send path returns for the rule `err` reports, or 0 when XNU has no
 * such rule (receive-side and usage errors). */
int32_t mp_err_mach_send(mp_err_t err);

/*
 * mp_diag_t: where and why a message was rejected. The parser and builder
 * fill it only on failure (when non-NULL); `offset` is the byte offset of the
 * offending field from the start of the message.
 */
typedef struct mp_diag {
	mp_err_t err;
	size_t offset;
	char reason[160];
} mp_diag_t;

#endif /* MACHPORTS_ERR_H */
