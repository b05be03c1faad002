/*
 * <mach/vm_map.h> for Linux (machports' compat headers): vm_allocate and
 * vm_deallocate with the SDK's signatures (MIG user stubs of vm_map.defs on
 * Darwin; here machports' task VM). No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_VM_MAP_H
#define MACHPORTS_COMPAT_MACH_VM_MAP_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size);
#ifdef __cplusplus
}
#endif

#endif
