/*
 * lib/compat/src/msg.c: Apple's message calls (<mach/message.h>,
 * <mach/mach.h>) on the calling thread's current task: mach_msg2,
 * mach_msg, mach_msg_overwrite, mach_msg_send / _receive,
 * mach_msg_destroy, mach_voucher_deallocate, KERNEL_SECURITY_TOKEN /
 * KERNEL_AUDIT_TOKEN. Each mirrors libsyscall/mach/mach_msg.c
 * (xnu-11417.101.15) over lib/port's mp_mach_msg2, the same kernel entry
 * mach_msg2_trap is.
 *
 * What libsyscall has and this runtime does not: vouchers and libdispatch.
 * So voucher_mach_msg_fill_aux() sends no aux data (0 bytes, as in
 * Libsyscall_static) and voucher_mach_msg_fill_aux_supported() is false:
 * MACH_RCV_VOUCHER alone never turns a call into a vector call.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/compat/src/compat_internal.h"
#include "machports/le.h"
#include "machports/msg.h"

/* osfmk/ipc/mach_msg.c: the tokens the kernel's own messages carry. */
const security_token_t KERNEL_SECURITY_TOKEN = KERNEL_SECURITY_TOKEN_VALUE;
const audit_token_t KERNEL_AUDIT_TOKEN = KERNEL_AUDIT_TOKEN_VALUE;

/* libsyscall mach_msg.c LIBMACH_OPTIONS64: the interrupt options are the
 * library's, never passed to the trap. */
#define LIBMACH_OPTIONS64 ((mach_msg_option64_t)(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT))

/*
 * libsyscall mach_msg2_internal: the trap without LIBMACH_OPTIONS64.
 * Where libsyscall retries a MACH_SEND_INTERRUPTED / MACH_RCV_INTERRUPTED
 * the caller did not ask to see, this returns it: machports' kernel
 * interrupts a call only when the task it waits in is being destroyed
 * (XNU interrupts on signals and thread aborts), and retrying would act on
 * a task that is gone.
 */
static mach_msg_return_t msg2_trap(void *data, mach_msg_option64_t option64, mach_msg_header_t header,
				   mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_t rcv_name,
				   uint64_t timeout, uint32_t priority)
{
	return mp_mach_msg2(compat_current()->task, data, option64 & ~LIBMACH_OPTIONS64, header, send_size,
			    rcv_size, rcv_name, timeout, priority);
}

/*
 * The scalar mach_msg2 call mach_msg_overwrite makes without vectors:
 * MACH64_SEND_MQ_CALL with the buffer's own header, the descriptor count
 * from the buffer, no aux data. For a message queue that is exactly
 * mach_msg_overwrite_trap, lib/port's mp_mach_msg (the same kernel path,
 * which also refuses the options machports does not implement), and it
 * skips mp_mach_msg2's copy of the message for a header by value.
 * `priority` has no effect on either.
 */
static mach_msg_return_t scalar_trap(mach_msg_header_t *msg, mach_msg_option64_t option64,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_t rcv_name,
				     mach_msg_timeout_t timeout)
{
	return mp_mach_msg(compat_current()->task, msg, (uint32_t)(option64 & ~LIBMACH_OPTIONS64), send_size,
			   rcv_size, rcv_name, timeout);
}

/*
 * mach_msg2 (osfmk/mach/message.h's inline function, then
 * mach_msg2_internal): the header by value is the one the kernel uses;
 * mp_mach_msg2 reads the descriptor count from the buffer (the message
 * vector's with MACH64_MSG_VECTOR) when sending a complex message, as the
 * inline function does.
 */
mach_msg_return_t mach_msg2(void *data, mach_msg_option64_t option64, mach_msg_header_t header,
			    mach_msg_size_t send_size, mach_msg_size_t rcv_size, mach_port_t rcv_name,
			    uint64_t timeout, uint32_t priority)
{
	return msg2_trap(data, option64, header, send_size, rcv_size, rcv_name, timeout, priority);
}

/*
 * The header mach_msg_overwrite passes by value. libsyscall reads *msg
 * always; the kernel uses it only to send, so a receive-only call passes
 * zeros here instead of reading a buffer the caller may not have
 * initialized (a receive buffer). A NULL buffer, where libsyscall would
 * fault, is refused by the kernel as a bad buffer (MACH_SEND_INVALID_DATA /
 * MACH_RCV_INVALID_DATA).
 */
static mach_msg_header_t header_of(const mach_msg_header_t *msg, mach_msg_option64_t option64)
{
	mach_msg_header_t h;

	if (msg == NULL || !(option64 & MACH_SEND_MSG))
		memset(&h, 0, sizeof h);
	else
		h = *msg;
	return h;
}

/*
 * mach_msg_overwrite (libsyscall mach_msg.c, the LP64 branch):
 *  - a separate receive buffer (rcv_msg) makes it a vector call: vector 0
 *    sends from msg and receives into rcv_msg (msgv_rcv_addr), vector 1 is
 *    the library's inline aux buffer (LIBSYSCALL_MSGV_AUX_MAX_SIZE bytes
 *    for receiving, nothing to send);
 *  - `notify` is the send's priority;
 *  - a receive-only MACH_RCV_SYNC_WAIT writes `notify` into
 *    msg->msgh_remote_port (the kernel then refuses the option:
 *    MACH_RCV_INVALID_ARGUMENTS, machports has no sync IPC);
 *  - MACH64_SEND_MQ_CALL always (libsyscall's choice on every OS with a
 *    current libdispatch; MACH64_SEND_ANY is only its old-simulator escape);
 *  - rcv_scatter_size is unused, as in libsyscall.
 */
mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_limit,
				     mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				     mach_port_name_t notify, mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_scatter_size)
{
	uint64_t inline_aux_buf[MP_MSGV_AUX_MAX_SIZE / sizeof(uint64_t)];
	mach_msg_option64_t option64 = (mach_msg_option64_t)(uint32_t)option;
	mach_msg_priority_t priority = 0;
	mach_msg_vector_t vecs[MACH_MSGV_MAX_COUNT];

	(void)rcv_scatter_size;
	if ((option64 & MACH_RCV_MSG) && rcv_msg != NULL)
		option64 |= MACH64_MSG_VECTOR;
	if (option64 & MACH64_MSG_VECTOR) {
		vecs[MACH_MSGV_IDX_MSG] = (mach_msg_vector_t){
			.msgv_data = (uint64_t)(uintptr_t)msg,
			.msgv_rcv_addr = (uint64_t)(uintptr_t)rcv_msg, /* 0: receive into msg */
			.msgv_send_size = send_size,
			.msgv_rcv_size = rcv_limit,
		};
		vecs[MACH_MSGV_IDX_AUX] = (mach_msg_vector_t){
			.msgv_data = (uint64_t)(uintptr_t)inline_aux_buf,
			.msgv_rcv_addr = 0,
			.msgv_send_size = 0, /* voucher_mach_msg_fill_aux: nothing here */
			.msgv_rcv_size = MP_MSGV_AUX_MAX_SIZE,
		};
	}
	if (option64 & MACH_SEND_MSG)
		priority = (mach_msg_priority_t)notify;
	if ((option64 & MACH_RCV_MSG) && !(option64 & MACH_SEND_MSG) && (option64 & MACH_RCV_SYNC_WAIT) &&
	    msg != NULL)
		msg->msgh_remote_port = notify;
	option64 |= MACH64_SEND_MQ_CALL;
	if (option64 & MACH64_MSG_VECTOR)
		return msg2_trap(vecs, option64, header_of(msg, option64), MACH_MSGV_MAX_COUNT, MACH_MSGV_MAX_COUNT,
				 rcv_name, timeout, priority);
	return scalar_trap(msg, option64, send_size, rcv_limit, rcv_name, timeout);
}

/* mach_msg (libsyscall): mach_msg_overwrite with no separate buffer. */
mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option, mach_msg_size_t send_size,
			   mach_msg_size_t rcv_size, mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name, timeout, notify, NULL, 0);
}

/* mach_msg_send (libsyscall): msgh_size bytes, no timeout. */
mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	if (msg == NULL) /* libsyscall reads msgh_size and would fault */
		return MACH_SEND_INVALID_DATA;
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/* mach_msg_receive (libsyscall): at most msgh_size bytes, from
 * msgh_local_port, no timeout. */
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	if (msg == NULL)
		return MACH_RCV_INVALID_DATA;
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size, msg->msgh_local_port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/* ------------------------------------------------------------------------
 * mach_msg_destroy
 * ------------------------------------------------------------------------ */

/*
 * libsyscall mach_msg_destroy_port: releases the right a disposition
 * carries, or, for a MAKE_* disposition (a message not sent), makes the
 * right and releases it, so the port sees what a send and a destroy in
 * the kernel would have done (a no-senders or send-once notification).
 * COPY_SEND and the rest: nothing.
 */
static void destroy_port(mp_task_t *t, mach_port_t port, mach_msg_type_name_t type)
{
	mp_port_name_t made = MACH_PORT_NULL;
	uint32_t made_type = 0;

	if (!MACH_PORT_VALID(port))
		return;
	switch (type) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		(void)mp_port_deallocate(t, port);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		(void)mp_port_mod_refs(t, port, MP_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		(void)mp_port_insert_right(t, port, t, port, MP_MSG_TYPE_MAKE_SEND);
		(void)mp_port_deallocate(t, port);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		/* libsyscall deallocates whatever name the extract left in
		 * `port`: the new right, or the port itself if it failed */
		if (mp_port_extract_right(t, port, MP_MSG_TYPE_MAKE_SEND_ONCE, t, &made, &made_type) ==
		    MP_KERN_SUCCESS)
			port = made;
		(void)mp_port_deallocate(t, port);
		break;
	default:
		break;
	}
}

/* The rights and memory of one descriptor (the cases of mach_msg_destroy's
 * switch; MACH_MSG_OOL_VOLATILE_DESCRIPTOR is skipped, as libsyscall does). */
static void destroy_descriptor(mp_task_t *t, const mp_desc_t *d)
{
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		destroy_port(t, d->name, d->disposition);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
		if (d->deallocate && d->length != 0) /* mach_msg_destroy_memory */
			(void)mp_vm_deallocate(t, d->address, d->length);
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR: {
		/* a NULL array with a count (libsyscall would fault) holds no names */
		const uint8_t *names = (const uint8_t *)(uintptr_t)d->address;

		for (uint32_t j = 0; names != NULL && j < d->length; j++)
			destroy_port(t, mp_load_le32(names + 4u * j), d->disposition);
		if (d->deallocate && d->length != 0)
			(void)mp_vm_deallocate(t, d->address, (uint64_t)d->length * sizeof(mach_port_t));
		break;
	}
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		/* unguard first (unless the sender unguarded it), unconditionally
		 * as libsyscall calls mach_port_unguard */
		if (!(d->flags & MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND))
			(void)mp_port_unguard(t, d->name, d->context);
		destroy_port(t, d->name, d->disposition);
		break;
	default:
		break;
	}
}

/*
 * mach_msg_destroy (libsyscall): the remote right and the voucher by their
 * header dispositions (never msgh_local_port), then, if complex, each
 * descriptor. It works on a received message (MOVE_* dispositions) and on
 * one that was never sent (MAKE_*, COPY_SEND: what a send then a destroy
 * in the kernel would have done). lib/port's mp_msg_destroy knows only
 * received messages, hence this walk. One difference from libsyscall,
 * which reads msgh_descriptor_count descriptors wherever they lie: the
 * walk stays within msgh_size and stops at a descriptor of an unknown
 * type (libsyscall's switch then stays on that descriptor, doing nothing).
 */
void mach_msg_destroy(mach_msg_header_t *msg)
{
	mp_task_t *t = compat_current()->task;
	mach_msg_bits_t mbits;
	mp_desc_iter_t it;
	mp_desc_t d;

	if (msg == NULL)
		return;
	mbits = msg->msgh_bits;
	destroy_port(t, msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(mbits));
	destroy_port(t, msg->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(mbits));
	if (!(mbits & MACH_MSGH_BITS_COMPLEX))
		return;
	mp_desc_iter_init_raw(&it, msg, msg->msgh_size);
	while (mp_desc_next(&it, &d))
		destroy_descriptor(t, &d);
}

/* mach_voucher_deallocate (libsyscall): a voucher is a send right. */
kern_return_t mach_voucher_deallocate(mach_port_name_t voucher)
{
	return mp_port_deallocate(compat_current()->task, voucher);
}
