/*
 * <mach/ndr.h> for Linux (machports' compat headers): NDR_record_t, the
 * 8-byte data-representation label MIG puts after a header, its constants,
 * and the NDR_record every MIG stub sends. Conversion is never needed on a
 * little-endian host, so the __NDR_convert__* switches are all 0, as MIG's
 * stubs expect when nothing converts.
 * Derived from machports/wire.h: the little-endian record's bytes
 * (MP_NDR_RECORD_INIT, used by the definition of NDR_record). New facts:
 * the struct and the NDR_* constants.
 */
#ifndef MACHPORTS_COMPAT_MACH_NDR_H
#define MACHPORTS_COMPAT_MACH_NDR_H

typedef struct {
	unsigned char mig_vers;
	unsigned char if_vers;
	unsigned char reserved1;
	unsigned char mig_encoding;
	unsigned char int_rep;
	unsigned char char_rep;
	unsigned char float_rep;
	unsigned char reserved2;
} NDR_record_t;

#define NDR_PROTOCOL_2_0 0
#define NDR_INT_BIG_ENDIAN 0
#define NDR_INT_LITTLE_ENDIAN 1
#define NDR_FLOAT_IEEE 0
#define NDR_FLOAT_VAX 1
#define NDR_FLOAT_CRAY 2
#define NDR_FLOAT_IBM 3
#define NDR_CHAR_ASCII 0
#define NDR_CHAR_EBCDIC 1

#ifdef __cplusplus
extern "C" {
#endif
extern NDR_record_t NDR_record;
#ifdef __cplusplus
}
#endif

#ifndef __NDR_convert__
#define __NDR_convert__ 0
#endif
#ifndef __NDR_convert__int_rep__
#define __NDR_convert__int_rep__ __NDR_convert__
#endif
#ifndef __NDR_convert__char_rep__
#define __NDR_convert__char_rep__ 0
#endif
#ifndef __NDR_convert__float_rep__
#define __NDR_convert__float_rep__ 0
#endif

#endif
