/*
 * lib/kern/mach_msg.c: mach_msg's entry (XNU: mach_msg.c, mach_msg_trap /
 * mach_msg_overwrite_trap): the send half (msg_send.c), then the receive
 * half (msg_recv.c), under the kernel's one lock; and what both halves
 * share (mk_msg_wait: a blocked send or receive).
 */
#define _GNU_SOURCE /* clock_gettime */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/kern/kern_internal.h"
#include "machports/le.h"

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

/* ---- mach_msg2 (mach_msg.c: mach_msg2_trap) ----------------------------------- */

/* ipc_policy.c:ipc_current_user_policy for a third-party task: bits a user
 * may not pass are dropped silently, MACH_SEND_FILTER_NONFATAL becomes its
 * policy bit, the default policy is set; the trap ORs in MACH64_MACH_MSG2. */
static uint64_t msg2_user_policy(uint64_t options)
{
	uint64_t o = options & MP_MACH64_MSG_OPTION_USER;

	if (o & MP_MACH_SEND_FILTER_NONFATAL) {
		o &= ~(uint64_t)MP_MACH_SEND_FILTER_NONFATAL;
		o |= MP_MACH64_POLICY_FILTER_NON_FATAL;
	}
	return o | MP_MACH64_POLICY_DEFAULT | MP_MACH64_MACH_MSG2;
}

/* ipc_policy.c:ipc_preflight_msg_option64: a send names exactly one kind of
 * destination (the CFI bits; MACH64_SEND_ANY counts, as on macOS), and a
 * vector send only a message queue. Else kGUARD_EXC_INVALID_OPTIONS
 * (target 0, payload the options) and MACH_SEND_INVALID_OPTIONS. */
static mp_kr_t msg2_preflight(mp_kspace_t *s, uint64_t o)
{
	uint64_t cfi = o & MP_MACH64_MSG_OPTION_CFI_MASK;

	if (!(o & MP_MACH_SEND_MSG))
		return MP_MACH_MSG_SUCCESS;
	if (cfi != 0 && (cfi & (cfi - 1)) == 0 &&
	    ((o & (MP_MACH64_SEND_MQ_CALL | MP_MACH64_SEND_ANY)) || !(o & MP_MACH64_MSG_VECTOR)))
		return MP_MACH_MSG_SUCCESS;
	mk_guard_exception(s, MP_GUARD_EXC_INVALID_OPTIONS, 0, o);
	return MP_MACH_SEND_INVALID_OPTIONS;
}

/* The vectors of a MACH64_MSG_VECTOR call (mach_msg_copyin_data_vectors):
 * [0] the message, [1] the aux data (zero if only one was given). */
typedef struct msg2_vecs {
	mp_msg_vector_t msg, aux;
	uint32_t nsnd, nrcv;
} msg2_vecs_t;

static mp_kr_t msg2_copyin_vectors(const mp_kern_msg2_args_t *a, uint64_t o, msg2_vecs_t *v)
{
	bool sending = (o & MP_MACH_SEND_MSG) != 0;
	uint32_t n;

	memset(v, 0, sizeof(*v));
	v->nsnd = a->send_size;
	v->nrcv = a->rcv_size;
	n = v->nsnd > v->nrcv ? v->nsnd : v->nrcv;
	if (n > MP_MACH_MSGV_MAX_COUNT)
		return sending ? MP_MACH_SEND_INVALID_DATA : MP_MACH_RCV_INVALID_ARGUMENTS;
	if (n == 0)
		return sending ? MP_MACH_SEND_MSG_TOO_SMALL : MP_MACH_RCV_INVALID_ARGUMENTS;
	if (a->data == NULL) /* the copyin faults */
		return sending ? MP_MACH_SEND_INVALID_DATA : MP_MACH_RCV_INVALID_ARGUMENTS;
	memcpy(&v->msg, (const mp_msg_vector_t *)a->data + MP_MACH_MSGV_IDX_MSG, sizeof(v->msg));
	if (n == MP_MACH_MSGV_MAX_COUNT)
		memcpy(&v->aux, (const mp_msg_vector_t *)a->data + MP_MACH_MSGV_IDX_AUX, sizeof(v->aux));
	return MP_MACH_MSG_SUCCESS;
}

/* mach_msg_validate_data_vectors(sending = TRUE), with the send count. */
static mp_kr_t msg2_validate_send_vectors(msg2_vecs_t *v)
{
	if (v->nsnd == 0)
		return MP_MACH_SEND_MSG_TOO_SMALL;
	if (v->msg.msgv_data == 0)
		return MP_MACH_SEND_INVALID_DATA;
	if (v->msg.msgv_send_size < MP_MSG_HEADER_SIZE || (v->msg.msgv_send_size & 3))
		return MP_MACH_SEND_MSG_TOO_SMALL;
	if (v->msg.msgv_send_size > MP_MAX_SEND_SIZE)
		return MP_MACH_SEND_TOO_LARGE;
	if (v->nsnd < MP_MACH_MSGV_MAX_COUNT) {
		v->aux.msgv_send_size = 0; /* one vector: no aux data is sent */
		return MP_MACH_MSG_SUCCESS;
	}
	if (v->aux.msgv_send_size != 0 && v->aux.msgv_data == 0)
		return MP_MACH_SEND_INVALID_DATA;
	if (v->aux.msgv_send_size != 0 && v->aux.msgv_send_size < sizeof(mp_msg_aux_header_t))
		return MP_MACH_SEND_AUX_TOO_SMALL;
	if (v->aux.msgv_send_size > MP_MAX_AUX_DATA_SPACE)
		return MP_MACH_SEND_AUX_TOO_LARGE;
	return MP_MACH_MSG_SUCCESS;
}

/* mach_msg_validate_data_vectors(sending = FALSE), with the receive count:
 * after a combined call's send, before anything is dequeued. */
static mp_kr_t msg2_validate_rcv_vectors(msg2_vecs_t *v)
{
	if (v->nrcv == 0)
		return MP_MACH_RCV_INVALID_ARGUMENTS;
	if (v->nrcv < MP_MACH_MSGV_MAX_COUNT) {
		v->aux.msgv_rcv_size = 0;
		return MP_MACH_MSG_SUCCESS;
	}
	if ((v->aux.msgv_rcv_addr ? v->aux.msgv_rcv_addr : v->aux.msgv_data) == 0)
		return MP_MACH_RCV_INVALID_ARGUMENTS;
	if (v->aux.msgv_rcv_size < sizeof(mp_msg_aux_header_t))
		return MP_MACH_RCV_INVALID_ARGUMENTS;
	return MP_MACH_MSG_SUCCESS;
}

static void *msg2_ptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/*
 * mach_msg_trap_send's size checks, then the message as the kernel sees it:
 * the header and descriptor count from the trap's arguments, the rest from
 * the buffer after its own header (ipc_kmsg_get_and_inflate_from_user reads
 * send_uctx->send_header, not the user's). A send the kernel gave back
 * (pseudo-receive, §6.4 class D) is written over the caller's buffer.
 */
static mp_kr_t msg2_send(mp_kspace_t *s, const mp_kern_msg2_args_t *a, uint64_t o, uint8_t *buf,
			 uint32_t size, const uint8_t *aux, uint32_t aux_size, uint64_t uaddr)
{
	bool complex = MP_MSGH_BITS_IS_COMPLEX(a->bits);
	uint32_t skip = complex ? MP_MIN_COMPLEX_SEND_SIZE : MP_MSG_HEADER_SIZE, code;
	mk_send2_t x = { o, aux, aux_size };
	uint8_t *kb;
	mp_kr_t kr;

	if (buf == NULL)
		return MP_MACH_SEND_INVALID_DATA;
	if (size < MP_MSG_HEADER_SIZE || (size & 3))
		return MP_MACH_SEND_MSG_TOO_SMALL;
	if (size > MP_MAX_SEND_SIZE)
		return MP_MACH_SEND_TOO_LARGE;
	if (complex) {
		if (size < MP_MIN_COMPLEX_SEND_SIZE ||
		    a->desc_count > (size - MP_MIN_COMPLEX_SEND_SIZE) / MP_USER_DESC_SIZE_MIN)
			return MP_MACH_SEND_MSG_TOO_SMALL;
	} else if (a->desc_count != 0) {
		return MP_MACH_SEND_TOO_LARGE; /* only mach_msg2 can say this */
	}
	kb = malloc(size);
	if (kb == NULL)
		return MP_MACH_SEND_NO_BUFFER;
	mp_store_le32(kb + MP_MSGH_BITS_OFFSET, a->bits);
	mp_store_le32(kb + MP_MSGH_SIZE_OFFSET, size);
	mp_store_le32(kb + MP_MSGH_REMOTE_OFFSET, a->remote);
	mp_store_le32(kb + MP_MSGH_LOCAL_OFFSET, a->local);
	mp_store_le32(kb + MP_MSGH_VOUCHER_OFFSET, a->voucher);
	mp_store_le32(kb + MP_MSGH_ID_OFFSET, (uint32_t)a->id);
	if (complex)
		mp_store_le32(kb + MP_MSG_HEADER_SIZE, a->desc_count);
	memcpy(kb + skip, buf + skip, size - skip);
	kr = mk_msg_send2(s, kb, uaddr, (uint32_t)o, size, (uint32_t)a->timeout, &x);
	code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK;
	if (code == MP_MACH_SEND_TIMED_OUT || code == MP_MACH_SEND_NO_BUFFER)
		memcpy(buf, kb, size); /* pseudo-received (or, out of memory, the header as sent) */
	free(kb);
	return kr;
}

/* The send half of mach_msg2_trap: the message and aux data from the vectors
 * or the scalar arguments. */
static mp_kr_t msg2_send_half(mp_kspace_t *s, const mp_kern_msg2_args_t *a, uint64_t o, msg2_vecs_t *v)
{
	mp_kr_t kr;

	if (!(o & MP_MACH64_MSG_VECTOR))
		return msg2_send(s, a, o, a->data, a->send_size, NULL, 0,
				 a->uaddr ? a->uaddr : (uint64_t)(uintptr_t)a->data);
	kr = msg2_validate_send_vectors(v);
	if (kr != MP_MACH_MSG_SUCCESS)
		return kr;
	return msg2_send(s, a, o, msg2_ptr(v->msg.msgv_data), v->msg.msgv_send_size,
			 v->aux.msgv_send_size ? msg2_ptr(v->aux.msgv_data) : NULL, v->aux.msgv_send_size,
			 a->uaddr ? a->uaddr : v->msg.msgv_data);
}

/* The receive half: into msgv_rcv_addr ?: msgv_data (aux likewise), or the
 * scalar buffer, which gets no aux data (ipc_kmsg_put_to_user). */
static mp_kr_t msg2_receive_half(mp_kspace_t *s, const mp_kern_msg2_args_t *a, uint64_t o, msg2_vecs_t *v)
{
	mk_rcv2_t x = { NULL, 0, false };
	uint64_t rcv_addr;
	uint32_t rcv_size;
	mp_kr_t kr;

	if (o & MP_MACH64_MSG_VECTOR) {
		kr = msg2_validate_rcv_vectors(v);
		if (kr != MP_MACH_MSG_SUCCESS)
			return kr;
		rcv_addr = v->msg.msgv_rcv_addr ? v->msg.msgv_rcv_addr : v->msg.msgv_data;
		rcv_size = v->msg.msgv_rcv_size;
		x.vector = true;
		x.aux_size = v->aux.msgv_rcv_size;
		if (x.aux_size)
			x.aux = msg2_ptr(v->aux.msgv_rcv_addr ? v->aux.msgv_rcv_addr : v->aux.msgv_data);
	} else {
		rcv_addr = (uint64_t)(uintptr_t)a->data;
		rcv_size = a->rcv_size;
	}
	if (rcv_addr == 0)
		return MP_MACH_RCV_INVALID_DATA;
	if (!s->active)
		return MP_MACH_RCV_INVALID_NAME;
	return mk_msg_receive2(s, msg2_ptr(rcv_addr), a->uaddr ? a->uaddr : rcv_addr, (uint32_t)o, rcv_size,
			       a->rcv_name, (uint32_t)a->timeout, &x);
}

/* mach_msg2_trap: preflight, the vectors, the send, then (only if the send
 * succeeded) the receive. */
mp_kr_t mp_kern_msg2(mp_kspace_t *s, const mp_kern_msg2_args_t *a)
{
	uint64_t o = msg2_user_policy(a->options);
	msg2_vecs_t v;
	mp_kr_t kr;

	/* what XNU knows and this kernel does not implement (wire.h), refused
	 * as mp_kern_msg_user refuses it, before anything is copied in */
	if (o & MP_MACH_MSG_OPTIONS_NOT_SUPPORTED)
		return (o & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_OPTIONS : MP_MACH_RCV_INVALID_ARGUMENTS;
	memset(&v, 0, sizeof(v));
	pthread_mutex_lock(&s->k->lock);
	s->callers++;
	kr = msg2_preflight(s, o);
	if (kr == MP_MACH_MSG_SUCCESS && (o & MP_MACH64_MSG_VECTOR))
		kr = msg2_copyin_vectors(a, o, &v);
	if (kr == MP_MACH_MSG_SUCCESS && (o & MP_MACH_SEND_MSG))
		kr = msg2_send_half(s, a, o, &v);
	if (kr == MP_MACH_MSG_SUCCESS && (o & MP_MACH_RCV_MSG))
		kr = msg2_receive_half(s, a, o, &v);
	if (--s->callers == 0 && !s->active)
		pthread_cond_broadcast(&s->k->idle_cv);
	pthread_mutex_unlock(&s->k->lock);
	return kr;
}
