/*
 * lib/compat/abi/includes.h: the headers whose facts facts.def and
 * functions.def name. The same list is compiled against machports'
 * lib/compat/include on Linux and against the macOS SDK on Darwin, never
 * both in one translation unit.
 */
#ifndef MACHPORTS_COMPAT_ABI_INCLUDES_H
#define MACHPORTS_COMPAT_ABI_INCLUDES_H

#include <mach/mach.h>
#include <mach/mach_vm.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/kern_return.h>
#include <mach/mach_port.h>
#include <mach/mach_types.h>
#include <mach/std_types.h>
#include <mach/boolean.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <mach/error.h>
#include <mach/mach_error.h>
#include <mach/mach_init.h>
#include <mach/mach_traps.h>
#include <mach/vm_map.h>
#include <mach/vm_types.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_page_size.h>
#include <mach/exception_types.h>
#include <mach/thread_status.h>
#include <mach/task.h>
#include <mach/task_special_ports.h>
#include <servers/bootstrap.h>
#include <bsm/libbsm.h>
#include <Availability.h>
#include <mach/clock_types.h>
#include <mach/vm_inherit.h>
#include <mach/memory_object_types.h>
#include <mach_debug/mach_debug_types.h>

#endif
