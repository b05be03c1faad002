/*
 * <mach/mig.h> for Linux (machports' compat headers): what MIG-generated
 * user and server stubs need from the runtime: the routine and subsystem
 * tables a server's demux exports, the type-check and packing switches, and
 * the reply-port and string helpers the stubs call (libsystem's mig_*
 * functions; see lib/compat/README.md for where they are implemented).
 * New facts (not in machports/wire.h): the struct layouts of
 * routine_descriptor, mig_subsystem and mig_symtab.
 */
#ifndef MACHPORTS_COMPAT_MACH_MIG_H
#define MACHPORTS_COMPAT_MACH_MIG_H

#include <stdint.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>

#if defined(TypeCheck)
#define __MigTypeCheck TypeCheck
#else
#ifndef __MigTypeCheck
#define __MigTypeCheck 1
#endif
#endif

/* MIG lays its message structs out under pack(4), as the kernel does. */
#define __MigPackStructs 1

typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t routine_arg_descriptor;
typedef mach_msg_type_descriptor_t *routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t *mig_routine_arg_descriptor_t;
#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL ((mig_routine_arg_descriptor_t)0)

struct routine_descriptor {
	mig_impl_routine_t impl_routine;
	mig_stub_routine_t stub_routine;
	unsigned int argc;
	unsigned int descr_count;
	routine_arg_descriptor_t arg_descr;
	unsigned int max_reply_msg;
};
typedef struct routine_descriptor *routine_descriptor_t;
typedef struct routine_descriptor mig_routine_descriptor;
typedef mig_routine_descriptor *mig_routine_descriptor_t;
#define MIG_ROUTINE_DESCRIPTOR_NULL ((mig_routine_descriptor_t)0)

typedef struct mig_subsystem {
	mig_server_routine_t server;
	mach_msg_id_t start;
	mach_msg_id_t end;
	mach_msg_size_t maxsize;
	vm_address_t reserved;
	mig_routine_descriptor routine[1];
} *mig_subsystem_t;
#define MIG_SUBSYSTEM_NULL ((mig_subsystem_t)0)

typedef struct mig_symtab {
	char *ms_routine_name;
	int ms_routine_number;
	void (*ms_routine)(void);
} mig_symtab_t;

/* clang's static analyzer attribute when available, as the SDK does. */
#if defined(__has_attribute)
#if __has_attribute(mig_server_routine)
#define MIG_SERVER_ROUTINE __attribute__((mig_server_routine))
#endif
#endif
#ifndef MIG_SERVER_ROUTINE
#define MIG_SERVER_ROUTINE
#endif

#ifdef __cplusplus
extern "C" {
#endif

extern mach_port_t mig_get_reply_port(void);
extern void mig_dealloc_reply_port(mach_port_t reply_port);
extern void mig_put_reply_port(mach_port_t reply_port);
extern int mig_strncpy(char *dest, const char *src, int len);
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);
extern void mig_allocate(vm_address_t *addr, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);

#ifdef __cplusplus
}
#endif

#endif
