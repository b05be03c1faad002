/*
 * <mach/vm_statistics.h> for Linux (machports' compat headers): only the
 * VM_FLAGS_* placement flags vm_allocate and mach_vm_allocate take.
 * New facts: all of this file.
 */
#ifndef MACHPORTS_COMPAT_MACH_VM_STATISTICS_H
#define MACHPORTS_COMPAT_MACH_VM_STATISTICS_H

#define VM_FLAGS_FIXED 0x00000000
#define VM_FLAGS_ANYWHERE 0x00000001
#define VM_FLAGS_PURGABLE 0x00000002
#define VM_FLAGS_NO_CACHE 0x00000010
#define VM_FLAGS_OVERWRITE 0x00004000

#endif
