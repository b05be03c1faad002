/*
 * <mach/thread_status.h> for Linux (machports' compat headers): the opaque
 * thread-state array types exception messages carry. Machine flavors
 * (x86_THREAD_STATE64, ARM_THREAD_STATE64, ...) are not declared: a Linux
 * process has no Mach thread state to fetch. New facts: all of this file.
 */
#ifndef MACHPORTS_COMPAT_MACH_THREAD_STATUS_H
#define MACHPORTS_COMPAT_MACH_THREAD_STATUS_H

#include <mach/vm_types.h>

#define THREAD_STATE_MAX 1296
#define THREAD_MACHINE_STATE_MAX THREAD_STATE_MAX

typedef natural_t *thread_state_t;
typedef natural_t thread_state_data_t[THREAD_STATE_MAX];
typedef int thread_state_flavor_t;
typedef thread_state_flavor_t *thread_state_flavor_array_t;


#endif
