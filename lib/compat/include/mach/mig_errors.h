/*
 * <mach/mig_errors.h> for Linux (machports' compat headers): the MIG_*
 * return codes and mig_reply_error_t, the reply a server sends when a
 * routine fails. New facts (not in machports/wire.h): all of this file.
 */
#ifndef MACHPORTS_COMPAT_MACH_MIG_ERRORS_H
#define MACHPORTS_COMPAT_MACH_MIG_ERRORS_H

#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/message.h>
#include <mach/kern_return.h>

#define MIG_TYPE_ERROR -300
#define MIG_REPLY_MISMATCH -301
#define MIG_REMOTE_ERROR -302
#define MIG_BAD_ID -303
#define MIG_BAD_ARGUMENTS -304
#define MIG_NO_REPLY -305
#define MIG_EXCEPTION -306
#define MIG_ARRAY_TOO_LARGE -307
#define MIG_SERVER_DIED -308
#define MIG_TRAILER_ERROR -309

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
} mig_reply_error_t;
#pragma pack(pop)

/* The stubs only call this when NDR conversion is on (never, here). */
#if !defined(__NDR_convert__mig_reply_error_t__defined)
#define __NDR_convert__mig_reply_error_t__defined
static __inline__ void __NDR_convert__mig_reply_error_t(mig_reply_error_t *x)
{
	(void)x;
}
#endif

#endif
