/*
 * <mach/std_types.h> for Linux (machports' compat headers): the standard
 * Mach scalar types MIG's stubs name, by including the headers that declare
 * them. No facts of its own.
 */
#ifndef MACHPORTS_COMPAT_MACH_STD_TYPES_H
#define MACHPORTS_COMPAT_MACH_STD_TYPES_H

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/port.h>
#include <mach/vm_types.h>

#endif
