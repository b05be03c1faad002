/*
 * lib/kern/tests/space_death_test.c: a task dies while its threads are
 * blocked in mach_msg (machportd: a client killed mid-call). Destroying
 * the space waits for them: a blocked receive and a blocked send return
 * (MACH_RCV_INTERRUPTED / MACH_SEND_INTERRUPTED; XNU aborts such threads),
 * the half-sent message is destroyed, and nothing touches freed memory.
 */
#define _GNU_SOURCE /* usleep */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "lib/kern/kern.h"
#include "machports/msg.h"

typedef struct call {
	atomic_int started; /* the thread is about to call into the kernel */
	mp_kspace_t *s;
	uint32_t option, send_size;
	mp_port_name_t rcv_name;
	uint8_t buf[128];
	mp_kr_t kr;
} call_t;

static void *blocked_call(void *p)
{
	call_t *c = p;
	atomic_store(&c->started, 1);
	c->kr = mp_kern_msg(c->s, c->buf, c->option, c->send_size, sizeof c->buf, c->rcv_name, 0);
	return NULL;
}

static uint32_t simple(uint8_t *buf, mp_port_name_t dest, uint32_t disp)
{
	mp_builder_t b;
	size_t n = 0;
	mp_builder_init(&b, buf, 128, 0);
	mp_builder_set_remote(&b, dest, disp);
	mp_builder_set_id(&b, 3);
	return mp_builder_finish(&b, &n, NULL) == MP_OK ? (uint32_t)n : 0;
}

static void death_during_blocked_calls(void **state)
{
	mp_kern_t *k = mp_kern_create();
	mp_kspace_t *dying, *other;
	mp_port_name_t own, full, to_full;
	uint32_t type;
	call_t rcv, snd;
	pthread_t t1, t2;
	uint8_t fill[128];
	mp_port_status_t st;
	char why[256];
	(void)state;

	assert_int_equal(mp_kern_space_create(k, NULL, &dying), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_space_create(k, NULL, &other), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_allocate(dying, MP_PORT_RIGHT_RECEIVE, &own), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_construct(other, MP_MPO_QLIMIT, 1, 0, &full), MP_KERN_SUCCESS);
	assert_int_equal(mp_kern_port_extract_right(other, full, MP_MSG_TYPE_MAKE_SEND, dying, &to_full, &type),
			 MP_KERN_SUCCESS);
	/* fill the other task's queue */
	assert_int_equal(mp_kern_msg(other, fill, MP_MACH_SEND_MSG, simple(fill, full, MP_MSG_TYPE_MAKE_SEND), 0, 0, 0),
			 MP_MACH_MSG_SUCCESS);

	memset(&rcv, 0, sizeof rcv);
	atomic_init(&rcv.started, 0);
	rcv.s = dying;
	rcv.option = MP_MACH_RCV_MSG;
	rcv.rcv_name = own;
	memset(&snd, 0, sizeof snd);
	atomic_init(&snd.started, 0);
	snd.s = dying;
	snd.option = MP_MACH_SEND_MSG; /* no timeout: blocks on the full queue */
	snd.send_size = simple(snd.buf, to_full, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(pthread_create(&t1, NULL, blocked_call, &rcv), 0);
	assert_int_equal(pthread_create(&t2, NULL, blocked_call, &snd), 0);
	/* Both threads running (on a loaded machine that can take longer than
	 * the sleep), then time for them to block in the kernel. */
	while (!atomic_load(&rcv.started) || !atomic_load(&snd.started))
		usleep(1000);
	usleep(50 * 1000);

	mp_kern_space_destroy(dying); /* returns once both have left */
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	assert_int_equal(rcv.kr, MP_MACH_RCV_INTERRUPTED);
	assert_int_equal(snd.kr, MP_MACH_SEND_INTERRUPTED);
	assert_int_equal(mp_kern_port_get_status(other, full, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_msgcount, 1); /* only the first message */
	assert_int_equal(mp_kern_msg(other, fill, MP_MACH_RCV_MSG, 0, sizeof fill, full, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(mp_kern_port_get_status(other, full, &st), MP_KERN_SUCCESS);
	assert_int_equal(st.mps_srights, 0); /* the dead task's send right went with it */
	assert_int_equal(mp_kern_check(k, why, sizeof why), 0);
	mp_kern_destroy(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(death_during_blocked_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
