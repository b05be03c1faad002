/*
 * machports/names.h: the names of XNU's ABI values, for dumps and
 * diagnostics. Every function returns a static string and never NULL; an
 * unknown value gives "?".
 */
#ifndef MACHPORTS_NAMES_H
#define MACHPORTS_NAMES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "MOVE_SEND", "PORT_NONE", ... (MACH_MSG_TYPE_* without the prefix). */
const char *mp_disposition_name(uint32_t disposition);

/* "PORT", "OOL", "OOL_PORTS", "OOL_VOLATILE", "GUARDED_PORT". */
const char *mp_desc_type_name(uint32_t type);

/* "PHYSICAL_COPY", "VIRTUAL_COPY", "ALLOCATE", "OVERWRITE", "KALLOC_COPY_T". */
const char *mp_copy_name(uint32_t copy);

/* "MACH_SEND_INVALID_DEST", "KERN_INVALID_RIGHT", ... for a return code
 * without its special bits (see mp_mach_msg_return_str for those). */
const char *mp_mach_msg_return_name(int32_t code);

/* Writes e.g. "MACH_RCV_BODY_ERROR|MACH_MSG_IPC_SPACE" into buf; returns buf. */
char *mp_mach_msg_return_str(int32_t code, char *buf, unsigned len);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_NAMES_H */
