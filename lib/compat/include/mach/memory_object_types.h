/*
 * <mach/memory_object_types.h> for Linux (machports' compat headers): only
 * the scalar types the debugging interfaces' structs (mach_debug/vm_info.h)
 * need; the memory-object interfaces themselves are not declared. New
 * facts: memory_object_offset_t, memory_object_size_t,
 * memory_object_copy_strategy_t and the MEMORY_OBJECT_COPY_* values.
 */
#ifndef MACHPORTS_COMPAT_MACH_MEMORY_OBJECT_TYPES_H
#define MACHPORTS_COMPAT_MACH_MEMORY_OBJECT_TYPES_H

typedef unsigned long long memory_object_offset_t;
typedef unsigned long long memory_object_size_t;
typedef int memory_object_copy_strategy_t;

#define MEMORY_OBJECT_COPY_NONE 0
#define MEMORY_OBJECT_COPY_CALL 1
#define MEMORY_OBJECT_COPY_DELAY 2
#define MEMORY_OBJECT_COPY_TEMPORARY 3
#define MEMORY_OBJECT_COPY_SYMMETRIC 4
#define MEMORY_OBJECT_COPY_INVALID 5
#define MEMORY_OBJECT_COPY_DELAY_FORK 6
#define MEMORY_OBJECT_COPY_SYNC 0x8

#endif
