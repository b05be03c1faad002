/*
 * <mach/vm_inherit.h> for Linux (machports' compat headers): what a child
 * task inherits of a region. Declarations only. New facts: vm_inherit_t and
 * the VM_INHERIT_* values (lib/compat/abi/facts.def).
 */
#ifndef MACHPORTS_COMPAT_MACH_VM_INHERIT_H
#define MACHPORTS_COMPAT_MACH_VM_INHERIT_H

typedef unsigned int vm_inherit_t;

#define VM_INHERIT_SHARE ((vm_inherit_t)0)
#define VM_INHERIT_COPY ((vm_inherit_t)1)
#define VM_INHERIT_NONE ((vm_inherit_t)2)
#define VM_INHERIT_DONATE_COPY ((vm_inherit_t)3)
#define VM_INHERIT_DEFAULT VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID VM_INHERIT_NONE

#endif
