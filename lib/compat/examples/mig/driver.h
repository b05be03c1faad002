/*
 * lib/compat/examples/mig/driver.h: what the drivers of MIG's own stubs
 * share (scripts/mig-compat-check builds them beside the stubs it
 * generates; the stubs and their headers are never in the repository).
 * A server thread answers a given number of requests, each through
 * mach_msg_server_once with the generated demux.
 */
#ifndef MIG_DRIVER_H
#define MIG_DRIVER_H

#include <mach/mach.h>
#include <pthread.h>
#include <string.h>

#include "../example_check.h"

typedef boolean_t (*demux_t)(mach_msg_header_t *request, mach_msg_header_t *reply);

struct server_run {
	demux_t demux;
	mach_msg_size_t max_size;
	mach_port_t port;
	mach_msg_options_t options;
	int requests;
	mach_msg_return_t result; /* the first failure, or MACH_MSG_SUCCESS */
	pthread_t thread;
};

static inline void *server_loop(void *arg)
{
	struct server_run *run = arg;
	run->result = MACH_MSG_SUCCESS;
	for (int i = 0; i < run->requests; i++) {
		mach_msg_return_t mr = mach_msg_server_once(run->demux, run->max_size, run->port, run->options);
		if (mr != MACH_MSG_SUCCESS && run->result == MACH_MSG_SUCCESS)
			run->result = mr;
	}
	return NULL;
}

static inline void server_start(struct server_run *run, int requests)
{
	run->requests = requests;
	EXPECT(pthread_create(&run->thread, NULL, server_loop, run) == 0);
}

static inline void server_stop(struct server_run *run)
{
	EXPECT(pthread_join(run->thread, NULL) == 0);
	EXPECT_KR(run->result, MACH_MSG_SUCCESS);
}

/* A receive right with one send right under the same name. */
static inline mach_port_t port_with_send(void)
{
	mach_port_t p = MACH_PORT_NULL;
	EXPECT_KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	EXPECT_KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	return p;
}

static inline mach_port_urefs_t send_refs(mach_port_t p)
{
	mach_port_urefs_t refs = 0;
	EXPECT_KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	return refs;
}

static inline void port_release(mach_port_t p)
{
	EXPECT_KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	EXPECT_KR(mach_port_deallocate(mach_task_self(), p), KERN_SUCCESS);
}

#endif /* MIG_DRIVER_H */
