/*
 * <mach/mach.h> for Linux (machports' compat headers): the umbrella header
 * of the Mach user API, and the libsystem message helpers it declares
 * (mach_msg_send / _receive / _destroy, mach_msg_server / _once, the MIG
 * runtime loop). Which of these are implemented, and where, is in
 * lib/compat/README.md. No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_MACH_H
#define MACHPORTS_COMPAT_MACH_MACH_H

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_port.h>
#include <mach/mach_init.h>
#include <mach/task.h>
#include <mach/vm_map.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/mach_error.h>

#ifdef __cplusplus
extern "C" {
#endif

extern void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply);

extern void mach_msg_destroy(mach_msg_header_t *msg);
extern mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);
extern mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);

extern mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *request,
								  mach_msg_header_t *reply),
					      mach_msg_size_t max_size, mach_port_t rcv_name,
					      mach_msg_options_t options);
extern mach_msg_return_t mach_msg_server(boolean_t (*demux)(mach_msg_header_t *request,
							     mach_msg_header_t *reply),
					 mach_msg_size_t max_size, mach_port_t rcv_name,
					 mach_msg_options_t options);
extern mach_msg_return_t mach_msg_server_importance(boolean_t (*demux)(mach_msg_header_t *request,
									mach_msg_header_t *reply),
						    mach_msg_size_t max_size,
						    mach_port_t rcv_name,
						    mach_msg_options_t options);

#ifdef __cplusplus
}
#endif

#endif
