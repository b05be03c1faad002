/*
 * <mach/vm_types.h> for Linux (machports' compat headers): the machine-word
 * types of the LP64 Darwin user ABI (natural_t, integer_t, vm_* and
 * mach_vm_* addresses and sizes) and the port-typed VM handles.
 * New facts (not in machports/wire.h): all of this file. Only LP64 hosts
 * are supported.
 */
#ifndef MACHPORTS_COMPAT_MACH_VM_TYPES_H
#define MACHPORTS_COMPAT_MACH_VM_TYPES_H

#include <stdint.h>

#if !defined(__LP64__) && !defined(_LP64)
#error "machports' <mach/*.h> describe the 64-bit Darwin ABI: build for an LP64 target"
#endif

typedef unsigned int natural_t;
typedef int integer_t;

typedef uintptr_t vm_offset_t;
typedef uintptr_t vm_size_t;
typedef vm_offset_t vm_address_t;
typedef vm_offset_t pointer_t;

typedef uint64_t mach_vm_address_t;
typedef uint64_t mach_vm_offset_t;
typedef uint64_t mach_vm_size_t;
typedef uint64_t vm_map_offset_t;
typedef uint64_t vm_map_address_t;
typedef uint64_t vm_map_size_t;

#endif
