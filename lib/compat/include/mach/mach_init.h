/*
 * <mach/mach_init.h> for Linux (machports' compat headers): the calling
 * task's own port (mach_task_self_ and the mach_task_self() macro over it,
 * as on Darwin), mach_thread_self, mach_host_self, bootstrap_port and the
 * page-size globals. New facts: the slot numbers.
 */
#ifndef MACHPORTS_COMPAT_MACH_MACH_INIT_H
#define MACHPORTS_COMPAT_MACH_MACH_INIT_H

#include <mach/mach_types.h>
#include <mach/vm_page_size.h>
#include <mach/mach_traps.h>

#ifdef __cplusplus
extern "C" {
#endif

extern mach_port_t mach_host_self(void);
extern mach_port_t mach_thread_self(void);
extern boolean_t mach_task_is_self(task_name_t task);
extern kern_return_t host_page_size(host_t host, vm_size_t *page_size);

extern mach_port_t mach_task_self_;
#define mach_task_self() mach_task_self_
#define current_task() mach_task_self()

extern mach_port_t bootstrap_port;

#define NAME_SERVER_SLOT 0
#define ENVIRONMENT_SLOT 1
#define SERVICE_SLOT 2
#define MACH_PORTS_SLOTS_USED 3

#ifdef __cplusplus
}
#endif

#endif
