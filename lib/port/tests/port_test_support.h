/*
 * lib/port/tests/port_test_support.h: shared helpers for the lib/port tests.
 *
 * The tests are written against the public lib/port API only, so the same
 * cases run on any backend (MP_TEST_BACKEND=kern|machportd|darwin; kern by
 * default; machportd: tests/with_machportd.sh starts a daemon for them).
 * Every test ends in t_teardown: it closes the test's tasks, then runs the
 * kernel's invariant checker (embedded, or machportd's over its socket) and
 * checks that nothing is left (no port, set, message or OOL region leaked).
 */
#ifndef MP_PORT_TEST_SUPPORT_H
#define MP_PORT_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/kern/kern.h"
#include "machports/le.h"
#include "machports/msg.h"
#include "machports/port.h"
#include "machports/testing.h"

#define T_MAX_TASKS 8
static mp_task_t *t_tasks[T_MAX_TASKS];
static int t_ntasks;

static inline mp_backend_t t_backend(void)
{
	const char *b = getenv("MP_TEST_BACKEND");
	if (b != NULL && strcmp(b, "darwin") == 0)
		return MP_BACKEND_DARWIN;
	if (b != NULL && strcmp(b, "machportd") == 0)
		return MP_BACKEND_MACHPORTD;
	return MP_BACKEND_KERN;
}

/* A new task (IPC space), closed by t_teardown. */
static inline mp_task_t *t_task(void)
{
	mp_task_t *t = NULL;
	assert_int_equal(mp_task_open(t_backend(), &t), MP_KERN_SUCCESS);
	assert_true(t_ntasks < T_MAX_TASKS);
	t_tasks[t_ntasks++] = t;
	return t;
}

/* Closes a task early (task death), so t_teardown does not close it again. */
static inline void t_kill(mp_task_t *t)
{
	for (int i = 0; i < t_ntasks; i++) {
		if (t_tasks[i] == t) {
			t_tasks[i] = t_tasks[--t_ntasks];
			break;
		}
	}
	mp_task_close(t);
}

/* The kernel's invariant checker (the embedded kernel, or machportd's). */
static inline void t_invariants(void)
{
	mp_kernel_report_t r;
	if (t_backend() == MP_BACKEND_DARWIN)
		return;
	if (mp_backend_check(t_backend(), &r) != 0)
		fail_msg("no kernel to check: %s", r.why);
	if (!r.ok)
		fail_msg("kernel invariant broken: %s", r.why);
}

static inline int t_teardown(void **state)
{
	mp_kernel_report_t r;
	(void)state;
	t_invariants();
	while (t_ntasks > 0)
		mp_task_close(t_tasks[--t_ntasks]);
	t_invariants();
	if (t_backend() != MP_BACKEND_DARWIN && mp_backend_check(t_backend(), &r) == 0) {
		if (r.ports || r.psets || r.kmsgs || r.vm_regions || r.spaces)
			fail_msg("leak after the test: %u spaces, %u ports, %u sets, %u messages, "
				 "%u OOL regions",
				 r.spaces, r.ports, r.psets, r.kmsgs, r.vm_regions);
	}
	return 0;
}

#define T(fn) cmocka_unit_test_teardown(fn, t_teardown)

/* A receive right. */
static inline mp_port_name_t t_port(mp_task_t *t)
{
	mp_port_name_t n = 0;
	assert_int_equal(mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &n), MP_KERN_SUCCESS);
	return n;
}

/* A receive right with a send right (1 uref) under the same name. */
static inline mp_port_name_t t_port_send(mp_task_t *t)
{
	mp_port_name_t n = t_port(t);
	assert_int_equal(mp_port_insert_right(t, n, t, n, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	return n;
}

static inline uint32_t t_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r)
{
	uint32_t refs = 0xdead;
	assert_int_equal(mp_port_get_refs(t, n, r, &refs), MP_KERN_SUCCESS);
	return refs;
}

static inline uint32_t t_type(mp_task_t *t, mp_port_name_t n)
{
	mp_port_type_t type = 0;
	assert_int_equal(mp_port_type(t, n, &type), MP_KERN_SUCCESS);
	return type;
}

static inline mp_port_status_t t_status(mp_task_t *t, mp_port_name_t n)
{
	mp_port_status_t st;
	assert_int_equal(mp_port_get_status(t, n, &st), MP_KERN_SUCCESS);
	return st;
}

/* Gives `to` a send right to `t`'s receive right `n` (MAKE_SEND, a new
 * name in `to`), through extract_right. */
static inline mp_port_name_t t_give_send(mp_task_t *t, mp_port_name_t n, mp_task_t *to)
{
	mp_port_name_t out = 0;
	uint32_t type = 0;
	assert_int_equal(mp_port_extract_right(t, n, MP_MSG_TYPE_MAKE_SEND, to, &out, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(type, MP_MSG_TYPE_PORT_SEND);
	return out;
}

static inline mp_port_name_t t_give_sonce(mp_task_t *t, mp_port_name_t n, mp_task_t *to)
{
	mp_port_name_t out = 0;
	uint32_t type = 0;
	assert_int_equal(mp_port_extract_right(t, n, MP_MSG_TYPE_MAKE_SEND_ONCE, to, &out, &type),
			 MP_KERN_SUCCESS);
	assert_int_equal(type, MP_MSG_TYPE_PORT_SEND_ONCE);
	return out;
}

/* A simple message (header + `len` inline bytes) to `dest`. */
static inline uint32_t t_simple(uint8_t *buf, size_t cap, mp_port_name_t dest, uint32_t ddisp,
				mp_port_name_t reply, uint32_t rdisp, int32_t id, size_t len)
{
	mp_builder_t b;
	size_t n = 0;
	uint8_t data[256];
	assert_true(len <= sizeof(data));
	for (size_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + 1);
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, dest, ddisp);
	mp_builder_set_local(&b, reply, rdisp);
	mp_builder_set_id(&b, id);
	mp_builder_append(&b, data, len);
	assert_int_equal(mp_builder_finish(&b, &n, NULL), MP_OK);
	return (uint32_t)n;
}

static inline mp_kr_t t_send(mp_task_t *t, void *buf, uint32_t size)
{
	return mp_mach_msg(t, buf, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT, size, 0, 0, 0);
}

static inline mp_kr_t t_recv(mp_task_t *t, void *buf, uint32_t cap, mp_port_name_t from,
			     uint32_t options)
{
	return mp_mach_msg(t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | options, 0, cap, from, 0);
}

/* Offset-taking wrappers of machports/le.h, so a test reads like the layout. */
static inline uint32_t t_get32(const uint8_t *p, size_t off)
{
	return mp_load_le32(p + off);
}

static inline uint64_t t_get64(const uint8_t *p, size_t off)
{
	return mp_load_le64(p + off);
}

/* Receives one message on `port` and returns its id (-1 if none). The
 * message's rights are released (mp_msg_destroy). */
static inline int32_t t_recv_id(mp_task_t *t, mp_port_name_t port)
{
	uint8_t buf[512];
	if (t_recv(t, buf, sizeof(buf), port, 0) != MP_MACH_MSG_SUCCESS)
		return -1;
	mp_msg_destroy(t, buf, sizeof(buf));
	return (int32_t)t_get32(buf, 20);
}

#endif /* MP_PORT_TEST_SUPPORT_H */
