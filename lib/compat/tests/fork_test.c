/*
 * lib/compat/tests/fork_test.c: fork() and the compat runtime
 * (lib/compat/src/task.c). As on Darwin, a forked child gets a new task
 * holding only its task-self and bootstrap send rights; the parent's tasks
 * are untouched by it.
 *
 * On machportd (the _machportd target) the child's task is a new space in
 * the same daemon and its bootstrap port reaches the same registry: the
 * port rendezvous. The child checks in a service (bootstrap_check_in), the
 * parent looks it up (bootstrap_look_up) and sends it a message carrying a
 * send right and OOL memory; the child receives both and uses the right to
 * answer. On the embedded kernel the child's task lives in its copy of the
 * kernel, which shares nothing with the parent's.
 *
 * The child reports by its exit status (the line of the first check that
 * failed): it runs no cmocka assertion.
 *
 * The rendezvous is written with Apple's calls (mach_msg, vm_deallocate,
 * mach_port_*); the harness API and lib/port only look inside the spaces.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach_port.h>
#include <mach/task.h>
#include <mach/vm_map.h>
#include <servers/bootstrap.h>

#include "lib/compat/tests/runtime_test_support.h"

#define OOL_SIZE 20000u
#define REQUEST_ID 1400
#define ANSWER_ID 1401

/* What the parent sends: a send right to its port, and OOL memory. */
typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t ool;
} request_t;

typedef struct {
	request_t request;
	mach_msg_trailer_t trailer;
	uint8_t room[64];
} request_rcv_t;

typedef struct {
	mach_msg_header_t header;
	mach_msg_trailer_t trailer;
	uint8_t room[64];
} simple_rcv_t;

#define CHILD_CHECK(cond)                                                                         \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "fork_test child: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			_exit(__LINE__ % 250 + 1);                                                \
		}                                                                                 \
	} while (0)

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 2654435761u >> 24);
}

static void service_name(char *out, size_t cap, pid_t child)
{
	snprintf(out, cap, "compat.fork.%ld", (long)child);
}

/* Names and types of a space, to compare before and after. */
typedef struct snapshot {
	mp_port_name_t *names;
	mp_port_type_t *types;
	uint32_t n;
} snapshot_t;

static snapshot_t snap(mp_task_t *t)
{
	snapshot_t s = { NULL, NULL, 0 };
	assert_int_equal(mp_port_names(t, &s.names, &s.types, &s.n), MP_KERN_SUCCESS);
	return s;
}

static void expect_same(mp_task_t *t, snapshot_t *before)
{
	snapshot_t now = snap(t);
	assert_int_equal(now.n, before->n);
	if (now.n > 0) {
		assert_memory_equal(now.names, before->names, now.n * sizeof *now.names);
		assert_memory_equal(now.types, before->types, now.n * sizeof *now.types);
	}
	free(now.names);
	free(now.types);
	free(before->names);
	free(before->types);
}

/* The child's side of the rendezvous (machportd). */
static void rendezvous_child(int ready)
{
	mp_task_t *t = cur_task();
	mach_port_t r = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	request_rcv_t in;
	mach_msg_header_t answer;
	char name[BOOTSTRAP_MAX_NAME_LEN];
	const uint8_t *ool;

	CHILD_CHECK(t != NULL && has_only_the_two_rights(t));
	service_name(name, sizeof name, getpid());
	CHILD_CHECK(bootstrap_check_in(bootstrap_port, name, &r) == BOOTSTRAP_SUCCESS);
	CHILD_CHECK(write(ready, "r", 1) == 1);
	memset(&in, 0, sizeof in);
	CHILD_CHECK(mach_msg(&in.request.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof in, r, 10000,
			     MACH_PORT_NULL) == MACH_MSG_SUCCESS);
	CHILD_CHECK(in.request.header.msgh_id == REQUEST_ID);
	CHILD_CHECK(in.request.header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	CHILD_CHECK(in.request.body.msgh_descriptor_count == 2);
	/* the port: a send right in the child's space */
	CHILD_CHECK(in.request.port.type == MACH_MSG_PORT_DESCRIPTOR);
	CHILD_CHECK(in.request.port.disposition == MACH_MSG_TYPE_PORT_SEND);
	CHILD_CHECK(mach_port_type(mach_task_self(), in.request.port.name, &type) == KERN_SUCCESS &&
		    type == MACH_PORT_TYPE_SEND);
	/* the memory: the parent's bytes, in the child */
	CHILD_CHECK(in.request.ool.type == MACH_MSG_OOL_DESCRIPTOR && in.request.ool.size == OOL_SIZE);
	ool = in.request.ool.address;
	for (uint32_t i = 0; i < OOL_SIZE; i++)
		CHILD_CHECK(ool[i] == pattern(i));
	/* the right works: answer through it */
	memset(&answer, 0, sizeof answer);
	answer.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	answer.msgh_remote_port = in.request.port.name;
	answer.msgh_id = ANSWER_ID;
	CHILD_CHECK(mach_msg(&answer, MACH_SEND_MSG, sizeof answer, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) == MACH_MSG_SUCCESS);
	CHILD_CHECK(vm_deallocate(mach_task_self(), (vm_address_t)in.request.ool.address, OOL_SIZE) == KERN_SUCCESS);
	CHILD_CHECK(mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1) == KERN_SUCCESS);
	CHILD_CHECK(has_only_the_two_rights(t));
	_exit(0);
}

static void wait_child(pid_t child)
{
	int status = 0;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* machportd: the child checks in, the parent looks it up and sends it a
 * send right and OOL memory, the child answers through the right. */
static void rendezvous(void **state)
{
	mp_task_t *t = cur_task();
	mp_port_name_t q = 0;
	mach_port_t s = MACH_PORT_NULL;
	uint8_t *data;
	request_t out;
	simple_rcv_t answer;
	snapshot_t before;
	char name[BOOTSTRAP_MAX_NAME_LEN], c;
	int ready[2];
	pid_t child;
	(void)state;

	if (mp_compat_backend() != MP_BACKEND_MACHPORTD)
		skip();
	assert_int_equal(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &q), KERN_SUCCESS);
	data = malloc(OOL_SIZE);
	assert_non_null(data);
	for (uint32_t i = 0; i < OOL_SIZE; i++)
		data[i] = pattern(i);
	before = snap(t);
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(ready[0]);
		rendezvous_child(ready[1]);
	}
	close(ready[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	service_name(name, sizeof name, child);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
	memset(&out, 0, sizeof out);
	out.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
	out.header.msgh_remote_port = s;
	out.header.msgh_id = REQUEST_ID;
	out.body.msgh_descriptor_count = 2;
	out.port.name = q;
	out.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	out.port.type = MACH_MSG_PORT_DESCRIPTOR;
	out.ool.address = data;
	out.ool.size = OOL_SIZE;
	out.ool.copy = MACH_MSG_VIRTUAL_COPY;
	out.ool.deallocate = 0;
	out.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	assert_int_equal(mach_msg(&out.header, MACH_SEND_MSG, sizeof out, 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	memset(&answer, 0, sizeof answer);
	assert_int_equal(mach_msg(&answer.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof answer, q, 10000,
				  MACH_PORT_NULL),
			 MACH_MSG_SUCCESS);
	assert_int_equal(answer.header.msgh_id, ANSWER_ID);
	assert_int_equal(answer.header.msgh_local_port, q);
	wait_child(child);
	/* the parent's space is as it was: the service's right went with the
	 * message (MOVE_SEND), the child's send right to q died with it */
	expect_same(t, &before);
	assert_int_equal(type_of(t, q), MP_PORT_TYPE_RECEIVE);
	assert_int_equal(mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	assert_true(has_only_the_two_rights(t));
	free(data);
	kernel_ok();
}

/* Both backends: the child's task is new (the two rights, whatever the
 * parent's space holds); the forking thread's current task, a task the
 * harness made, does not exist in the child (the thread is back on the
 * default task; the record answers NULL and can be destroyed); the
 * parent's tasks keep their rights. On the embedded kernel the child's
 * registry is its own copy: what it checks in, the parent does not see. */
static void child_gets_a_new_task(void **state)
{
	mp_compat_task_t *made = NULL, *def = mp_compat_task_default();
	mp_port_name_t p = 0;
	mach_port_t s = 0x77;
	snapshot_t before_def, before_made;
	char name[BOOTSTRAP_MAX_NAME_LEN], c;
	int ready[2], go[2];
	pid_t child;
	(void)state;

	assert_int_equal(mp_port_allocate(mp_compat_port_task(def), MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_compat_task_create(&made), MP_KERN_SUCCESS);
	before_def = snap(mp_compat_port_task(def));
	before_made = snap(mp_compat_port_task(made));
	mp_compat_set_current(made);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		mach_port_t r = MACH_PORT_NULL;
		close(ready[0]);
		close(go[1]);
		CHILD_CHECK(mp_compat_current() == mp_compat_task_default());
		CHILD_CHECK(mp_compat_port_task(made) == NULL);
		CHILD_CHECK(has_only_the_two_rights(cur_task()));
		mp_compat_set_current(made); /* not a task here: stays on the default */
		CHILD_CHECK(mp_compat_current() == mp_compat_task_default());
		mp_compat_task_destroy(made);
		service_name(name, sizeof name, getpid());
		CHILD_CHECK(bootstrap_check_in(bootstrap_port, name, &r) == BOOTSTRAP_SUCCESS);
		CHILD_CHECK(count_names(cur_task()) == 3);
		CHILD_CHECK(write(ready[1], "r", 1) == 1);
		CHILD_CHECK(read(go[0], &c, 1) == 1); /* hold r while the parent looks */
		CHILD_CHECK(mp_port_mod_refs(cur_task(), r, MP_PORT_RIGHT_RECEIVE, -1) == MP_KERN_SUCCESS);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	service_name(name, sizeof name, child);
	if (mp_compat_backend() == MP_BACKEND_MACHPORTD) {
		assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
		assert_int_equal(mp_port_deallocate(cur_task(), s), MP_KERN_SUCCESS);
	} else {
		assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_UNKNOWN_SERVICE);
	}
	assert_int_equal(write(go[1], "g", 1), 1);
	wait_child(child);
	close(ready[0]);
	close(go[1]);
	assert_ptr_equal(mp_compat_current(), made);
	expect_same(mp_compat_port_task(made), &before_made);
	expect_same(mp_compat_port_task(def), &before_def);
	mp_compat_set_current(NULL);
	mp_compat_task_destroy(made);
	assert_int_equal(mp_port_mod_refs(mp_compat_port_task(def), p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_true(has_only_the_two_rights(mp_compat_port_task(def)));
	kernel_ok();
}

/* A child that makes no Mach call costs nothing and ends nothing: the
 * parent's tasks work after it exits (on machportd: the child closed its
 * copies of the connections without ending the parent's spaces). */
static void child_without_mach_calls(void **state)
{
	mach_port_t r = MACH_PORT_NULL, s = MACH_PORT_NULL;
	char name[BOOTSTRAP_MAX_NAME_LEN];
	pid_t child;
	(void)state;

	assert_true(has_only_the_two_rights(cur_task()));
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	wait_child(child);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		exit(0); /* atexit handlers too */
	wait_child(child);
	assert_true(has_only_the_two_rights(cur_task()));
	service_name(name, sizeof name, getpid());
	assert_int_equal(bootstrap_check_in(bootstrap_port, name, &r), BOOTSTRAP_SUCCESS);
	assert_int_equal(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
	assert_int_equal(s, r);
	assert_int_equal(mp_port_deallocate(cur_task(), s), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(cur_task(), r, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	kernel_ok();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rendezvous),
		cmocka_unit_test(child_gets_a_new_task),
		cmocka_unit_test(child_without_mach_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
