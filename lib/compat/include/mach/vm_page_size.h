/*
 * <mach/vm_page_size.h> for Linux (machports' compat headers): the page-size
 * globals and the page rounding macros. New facts: all of this file.
 */
#ifndef MACHPORTS_COMPAT_MACH_VM_PAGE_SIZE_H
#define MACHPORTS_COMPAT_MACH_VM_PAGE_SIZE_H

#include <mach/vm_types.h>

#ifdef __cplusplus
extern "C" {
#endif
extern vm_size_t vm_page_size;
extern vm_size_t vm_page_mask;
extern int vm_page_shift;
#ifdef __cplusplus
}
#endif

#define trunc_page(x) ((x) & (~(vm_page_size - 1)))
#define round_page(x) trunc_page((x) + (vm_page_size - 1))
#define mach_vm_trunc_page(x) ((mach_vm_offset_t)(x) & ~((signed)vm_page_mask))
#define mach_vm_round_page(x) (((mach_vm_offset_t)(x) + vm_page_mask) & ~((signed)vm_page_mask))

#endif
