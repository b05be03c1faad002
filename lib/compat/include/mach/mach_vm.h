/*
 * <mach/mach_vm.h> for Linux (machports' compat headers): the mach_vm_*
 * calls with the SDK's signatures (MIG user stubs of mach_vm.defs on
 * Darwin; here machports' task VM). No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_MACH_VM_H
#define MACHPORTS_COMPAT_MACH_MACH_VM_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>

#ifdef __cplusplus
extern "C" {
#endif
kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address, mach_vm_size_t size,
			       int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size);
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum, vm_prot_t new_protection);
kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
			   mach_vm_size_t size, vm_offset_t *data, mach_msg_type_number_t *dataCnt);
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
			    mach_msg_type_number_t dataCnt);
kern_return_t mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
			   mach_vm_size_t size, mach_vm_address_t dest_address);
#ifdef __cplusplus
}
#endif

#endif
