/*
 * <mach/task.h> for Linux (machports' compat headers): the task calls
 * machports has, with the SDK's signatures (MIG user stubs of task.defs on
 * Darwin): task_get_special_port / task_set_special_port, which here know
 * the bootstrap port. No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_TASK_H
#define MACHPORTS_COMPAT_MACH_TASK_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/task_special_ports.h>

#ifdef __cplusplus
extern "C" {
#endif
kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port);
kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port);
#ifdef __cplusplus
}
#endif

#endif
