/*
 * <mach_debug/mach_debug_types.h> for Linux (machports' compat headers):
 * the debugging interfaces' types that MIG's stubs of the SDK's
 * mach_port.defs, mach_vm.defs and task.defs include this header for. Only
 * the IPC and VM parts (mach_debug/ipc_info.h, mach_debug/vm_info.h) and
 * kobject_description_t; the zone, page, hash and lock-group info of the
 * SDK's header are not here.
 */
#ifndef MACHPORTS_COMPAT_MACH_DEBUG_MACH_DEBUG_TYPES_H
#define MACHPORTS_COMPAT_MACH_DEBUG_MACH_DEBUG_TYPES_H

#include <mach_debug/ipc_info.h>
#include <mach_debug/vm_info.h>

/* mach_port_kobject_description's out-string (c_string[*:512]) */
#define KOBJECT_DESCRIPTION_LENGTH 512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif
