/*
 * <servers/bootstrap.h> for Linux (machports' compat headers): launchd's
 * bootstrap API as machports' registry answers it (machportd's registry,
 * or the embedded kernel's): name_t and the BOOTSTRAP_* codes, and
 * bootstrap_look_up / check_in / register with the SDK's signatures.
 * Derived from machports/wire.h: BOOTSTRAP_NAME_IN_USE, _UNKNOWN_SERVICE,
 * _NO_MEMORY. New facts: the other codes, the name and command lengths.
 */
#ifndef MACHPORTS_COMPAT_SERVERS_BOOTSTRAP_H
#define MACHPORTS_COMPAT_SERVERS_BOOTSTRAP_H

#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/mach_init.h>

#define BOOTSTRAP_MAX_NAME_LEN 128
#define BOOTSTRAP_MAX_CMD_LEN 512
typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;
typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;
typedef unsigned int bootstrap_property_t;
typedef bootstrap_property_t *bootstrap_property_array_t;
typedef boolean_t *bool_array_t;

#define BOOTSTRAP_MAX_LOOKUP_COUNT 20

#define BOOTSTRAP_SUCCESS 0
#define BOOTSTRAP_NOT_PRIVILEGED 1100
#define BOOTSTRAP_NAME_IN_USE MP_BOOTSTRAP_NAME_IN_USE
#define BOOTSTRAP_UNKNOWN_SERVICE MP_BOOTSTRAP_UNKNOWN_SERVICE
#define BOOTSTRAP_SERVICE_ACTIVE 1103
#define BOOTSTRAP_BAD_COUNT 1104
#define BOOTSTRAP_NO_MEMORY MP_BOOTSTRAP_NO_MEMORY
#define BOOTSTRAP_NO_CHILDREN 1106

#define BOOTSTRAP_STATUS_INACTIVE 0
#define BOOTSTRAP_STATUS_ACTIVE 1
#define BOOTSTRAP_STATUS_ON_DEMAND 2

#ifdef __cplusplus
extern "C" {
#endif
kern_return_t bootstrap_register(mach_port_t bp, name_t service_name, mach_port_t sp);
kern_return_t bootstrap_check_in(mach_port_t bp, const name_t service_name, mach_port_t *sp);
kern_return_t bootstrap_look_up(mach_port_t bp, const name_t service_name, mach_port_t *sp);
const char *bootstrap_strerror(kern_return_t r);
#ifdef __cplusplus
}
#endif

#endif
