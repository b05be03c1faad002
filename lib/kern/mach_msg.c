/*
 * lib/kern/mach_msg.c: mach_msg's entry (XNU: mach_msg.c, mach_msg_trap /
 * mach_msg_overwrite_trap): the send half (msg_send.c), then the receive
 * half (msg_recv.c), under the kernel's one lock; and what both halves
 * share (mk_msg_wait: a blocked send or receive).
 */
#define _GNU_SOURCE /* clock_gettime */
#include <time.h>

#include "lib/kern/kern_internal.h"

mp_kr_t mp_kern_msg(mp_kspace_t *s, void *msg, uint32_t option, uint32_t send_size,
		    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	return mp_kern_msg_user(s, msg, (uint64_t)(uintptr_t)msg, option, send_size, rcv_size, rcv_name,
				timeout_ms);
}

mp_kr_t mp_kern_msg_user(mp_kspace_t *s, void *msg, uint64_t uaddr, uint32_t option, uint32_t send_size,
			 uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	mp_kr_t kr = MP_MACH_MSG_SUCCESS;

	/* what XNU knows and this kernel does not implement (wire.h) */
	if (option & MP_MACH_MSG_OPTIONS_NOT_SUPPORTED)
		return (option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_OPTIONS
						   : MP_MACH_RCV_INVALID_ARGUMENTS;
	if (msg == NULL)
		return (option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DATA
						   : MP_MACH_RCV_INVALID_DATA;
	pthread_mutex_lock(&s->k->lock);
	s->callers++;
	if (option & MP_MACH_SEND_MSG)
		kr = mk_msg_send(s, msg, uaddr, option, send_size, timeout_ms);
	if (kr == MP_MACH_MSG_SUCCESS && (option & MP_MACH_RCV_MSG)) {
		if (!s->active)
			kr = MP_MACH_RCV_INVALID_NAME;
		else
			kr = mk_msg_receive(s, msg, uaddr, option, rcv_size, rcv_name, timeout_ms);
	}
	if (--s->callers == 0 && !s->active)
		pthread_cond_broadcast(&s->k->idle_cv);
	pthread_mutex_unlock(&s->k->lock);
	return kr;
}

/* Absolute deadline (CLOCK_REALTIME, the condition variables' clock) for a
 * timeout in ms. */
static void deadline(struct timespec *ts, uint32_t timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int mk_msg_wait(mp_kern_t *k, pthread_cond_t *cv, bool timed, uint32_t timeout_ms)
{
	struct timespec ts;

	if (!timed)
		return pthread_cond_wait(cv, &k->lock);
	deadline(&ts, timeout_ms);
	return pthread_cond_timedwait(cv, &k->lock, &ts);
}
