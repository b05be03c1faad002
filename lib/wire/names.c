/* lib/wire/names.c: names of XNU's ABI values (wire.h), for dumps and diagnostics. */
#include <stdio.h>

#include "machports/names.h"
#include "machports/wire.h"

const char *mp_disposition_name(uint32_t d)
{
	switch (d) {
	case MP_MSG_TYPE_PORT_NONE: return "PORT_NONE";
	case MP_MSG_TYPE_PORT_NAME: return "PORT_NAME";
	case MP_MSG_TYPE_MOVE_RECEIVE: return "MOVE_RECEIVE";
	case MP_MSG_TYPE_MOVE_SEND: return "MOVE_SEND";
	case MP_MSG_TYPE_MOVE_SEND_ONCE: return "MOVE_SEND_ONCE";
	case MP_MSG_TYPE_COPY_SEND: return "COPY_SEND";
	case MP_MSG_TYPE_MAKE_SEND: return "MAKE_SEND";
	case MP_MSG_TYPE_MAKE_SEND_ONCE: return "MAKE_SEND_ONCE";
	case MP_MSG_TYPE_COPY_RECEIVE: return "COPY_RECEIVE";
	case MP_MSG_TYPE_DISPOSE_RECEIVE: return "DISPOSE_RECEIVE";
	case MP_MSG_TYPE_DISPOSE_SEND: return "DISPOSE_SEND";
	case MP_MSG_TYPE_DISPOSE_SEND_ONCE: return "DISPOSE_SEND_ONCE";
	default: return "?";
	}
}

const char *mp_desc_type_name(uint32_t type)
{
	switch (type) {
	case MP_MSG_PORT_DESCRIPTOR: return "PORT";
	case MP_MSG_OOL_DESCRIPTOR: return "OOL";
	case MP_MSG_OOL_PORTS_DESCRIPTOR: return "OOL_PORTS";
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR: return "OOL_VOLATILE";
	case MP_MSG_GUARDED_PORT_DESCRIPTOR: return "GUARDED_PORT";
	default: return "?";
	}
}

const char *mp_copy_name(uint32_t copy)
{
	switch (copy) {
	case MP_MSG_PHYSICAL_COPY: return "PHYSICAL_COPY";
	case MP_MSG_VIRTUAL_COPY: return "VIRTUAL_COPY";
	case MP_MSG_ALLOCATE: return "ALLOCATE";
	case MP_MSG_OVERWRITE: return "OVERWRITE";
	case MP_MSG_KALLOC_COPY_T: return "KALLOC_COPY_T";
	default: return "?";
	}
}

#define MP_RETURN_NAMES(X)                                                                   \
	X(MACH_MSG_SUCCESS) X(MACH_SEND_IN_PROGRESS) X(MACH_SEND_INVALID_DATA)                   \
	X(MACH_SEND_INVALID_DEST) X(MACH_SEND_TIMED_OUT) X(MACH_SEND_INVALID_VOUCHER)            \
	X(MACH_SEND_INTERRUPTED) X(MACH_SEND_MSG_TOO_SMALL) X(MACH_SEND_INVALID_REPLY)           \
	X(MACH_SEND_INVALID_RIGHT) X(MACH_SEND_INVALID_NOTIFY) X(MACH_SEND_INVALID_MEMORY)       \
	X(MACH_SEND_NO_BUFFER) X(MACH_SEND_TOO_LARGE) X(MACH_SEND_INVALID_TYPE)                  \
	X(MACH_SEND_INVALID_HEADER) X(MACH_SEND_INVALID_TRAILER) X(MACH_SEND_INVALID_CONTEXT)    \
	X(MACH_SEND_INVALID_OPTIONS) X(MACH_SEND_INVALID_RT_OOL_SIZE) X(MACH_SEND_NO_GRANT_DEST) \
	X(MACH_SEND_MSG_FILTERED) X(MACH_SEND_AUX_TOO_SMALL) X(MACH_SEND_AUX_TOO_LARGE)          \
	X(MACH_RCV_IN_PROGRESS) X(MACH_RCV_INVALID_NAME) X(MACH_RCV_TIMED_OUT)                   \
	X(MACH_RCV_TOO_LARGE) X(MACH_RCV_INTERRUPTED) X(MACH_RCV_PORT_CHANGED)                   \
	X(MACH_RCV_INVALID_NOTIFY) X(MACH_RCV_INVALID_DATA) X(MACH_RCV_PORT_DIED)                \
	X(MACH_RCV_IN_SET) X(MACH_RCV_HEADER_ERROR) X(MACH_RCV_BODY_ERROR)                       \
	X(MACH_RCV_INVALID_TYPE) X(MACH_RCV_SCATTER_SMALL) X(MACH_RCV_INVALID_TRAILER)           \
	X(MACH_RCV_IN_PROGRESS_TIMED) X(MACH_RCV_INVALID_REPLY) X(MACH_RCV_INVALID_ARGUMENTS)    \
	X(MACH_MSG_VM_KERNEL) X(MACH_MSG_IPC_KERNEL) X(MACH_MSG_VM_SPACE) X(MACH_MSG_IPC_SPACE)

const char *mp_mach_msg_return_name(int32_t code)
{
	switch (code) {
#define MP_RET_NAME_(n) \
	case MP_##n:        \
		return #n;
		MP_RETURN_NAMES(MP_RET_NAME_)
#undef MP_RET_NAME_
	/* kern_return_t values used by the port calls */
	case MP_KERN_INVALID_ADDRESS: return "KERN_INVALID_ADDRESS";
	case MP_KERN_NO_SPACE: return "KERN_NO_SPACE";
	case MP_KERN_INVALID_ARGUMENT: return "KERN_INVALID_ARGUMENT";
	case MP_KERN_FAILURE: return "KERN_FAILURE";
	case MP_KERN_RESOURCE_SHORTAGE: return "KERN_RESOURCE_SHORTAGE";
	case MP_KERN_NOT_RECEIVER: return "KERN_NOT_RECEIVER";
	case MP_KERN_NAME_EXISTS: return "KERN_NAME_EXISTS";
	case MP_KERN_INVALID_NAME: return "KERN_INVALID_NAME";
	case MP_KERN_INVALID_TASK: return "KERN_INVALID_TASK";
	case MP_KERN_INVALID_RIGHT: return "KERN_INVALID_RIGHT";
	case MP_KERN_INVALID_VALUE: return "KERN_INVALID_VALUE";
	case MP_KERN_UREFS_OVERFLOW: return "KERN_UREFS_OVERFLOW";
	case MP_KERN_INVALID_CAPABILITY: return "KERN_INVALID_CAPABILITY";
	case MP_KERN_RIGHT_EXISTS: return "KERN_RIGHT_EXISTS";
	case MP_KERN_NOT_SUPPORTED: return "KERN_NOT_SUPPORTED";
	default: return "?";
	}
}

char *mp_mach_msg_return_str(int32_t code, char *buf, unsigned len)
{
	/* IPC codes (system 4) may carry special bits (MACH_MSG_MASK) OR-ed in. */
	int32_t base = code, special = 0;
	if ((code & 0x10000000) != 0) {
		special = code & MP_MACH_MSG_MASK;
		base = code & ~MP_MACH_MSG_MASK;
	}
	if (len == 0)
		return buf;
	if (special == 0 || mp_mach_msg_return_name(base)[0] == '?') {
		const char *n = mp_mach_msg_return_name(code);
		if (n[0] == '?')
			snprintf(buf, len, "0x%08x", (unsigned)code);
		else
			snprintf(buf, len, "%s", n);
		return buf;
	}
	snprintf(buf, len, "%s%s%s%s%s", mp_mach_msg_return_name(base),
		 (special & MP_MACH_MSG_IPC_SPACE) ? "|MACH_MSG_IPC_SPACE" : "",
		 (special & MP_MACH_MSG_VM_SPACE) ? "|MACH_MSG_VM_SPACE" : "",
		 (special & MP_MACH_MSG_IPC_KERNEL) ? "|MACH_MSG_IPC_KERNEL" : "",
		 (special & MP_MACH_MSG_VM_KERNEL) ? "|MACH_MSG_VM_KERNEL" : "");
	return buf;
}
