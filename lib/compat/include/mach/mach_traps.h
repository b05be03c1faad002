/*
 * <mach/mach_traps.h> for Linux (machports' compat headers): the Mach traps a
 * user program calls directly; here only mach_reply_port (the others are
 * machports' functions, not traps). No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_MACH_TRAPS_H
#define MACHPORTS_COMPAT_MACH_MACH_TRAPS_H

#include <mach/port.h>

#ifdef __cplusplus
extern "C" {
#endif
extern mach_port_name_t mach_reply_port(void);
#ifdef __cplusplus
}
#endif

#endif
