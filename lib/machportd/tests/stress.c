/*
 * lib/machportd/tests/stress.c: machportd under load and under faults.
 *
 *   stress load [--procs P] [--messages N]
 *   stress kill [--procs P] [--messages N] [--kills K]
 *
 * P client processes in a ring, each a task with a receive right
 * registered with the bootstrap registry. Each sends N messages to the next
 * (a sender thread) while receiving N from the previous (its main thread);
 * every message carries a send right (MAKE_SEND of the sender's port), an
 * OOL region of 64..4159 bytes and the sequence number. The receiver checks
 * that nothing is lost or reordered (FIFO per port), the bytes of every
 * region, and the right that arrived.
 *
 * kill: the parent SIGKILLs K random clients while the ring runs. A
 * survivor whose next client died must see its sends fail with
 * MACH_SEND_INVALID_DEST and get the dead-name notification it asked for;
 * one whose previous client died stops receiving after a quiet second,
 * having seen no gap and no corrupt message. Every survivor exits cleanly.
 *
 * Both end with the daemon's invariant checker, a fresh task that still
 * sends and receives, and the figures (messages/s). Exit status 0 if all
 * held. Run it through with_machportd.sh, or against a running daemon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "machports/msg.h"
#include "machports/port.h"
#include "machports/testing.h"

#define MAX_PROCS 64
#define OOL_MAX 4160u

static int procs = 8, kills = 0;
static long messages = 50000;
static int killing; /* kill mode: a missing peer is expected */
static pid_t parent;
/* load mode: no client ends its task (its port dies with it, and the
 * rights to it still in flight would arrive dead) before all are done */
static int done_pipe[2], release_pipe[2];

static void svc_name(char *out, size_t len, int i)
{
	snprintf(out, len, "stress.%d.%d", (int)parent, i);
}

static uint32_t ool_len(long seq)
{
	return 64u + (uint32_t)((seq * 2654435761u) % 4096u);
}

static uint8_t ool_byte(int from, long seq, uint32_t k)
{
	return (uint8_t)(from * 31 + seq * 7 + k * 13);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define FAIL(...)                                                          \
	do {                                                               \
		fprintf(stderr, "stress: client %d: ", self);              \
		fprintf(stderr, __VA_ARGS__);                              \
		fprintf(stderr, "\n");                                     \
		return 1;                                                  \
	} while (0)

typedef struct client {
	int self;
	mp_task_t *t;
	mp_port_name_t mine, next, notify;
	long sent;
	int send_status; /* 0 ok, 1 failed, 2 next died (kill mode) */
} client_t;

static void *sender(void *arg)
{
	client_t *c = arg;
	uint8_t msg[256], *ool = malloc(OOL_MAX);
	mp_builder_t b;
	size_t n;

	if (ool == NULL) {
		c->send_status = 1;
		return NULL;
	}
	for (long seq = 0; seq < messages; seq++) {
		uint32_t len = ool_len(seq), head[2] = { (uint32_t)c->self, (uint32_t)seq };
		mp_kr_t kr;
		for (uint32_t k = 0; k < len; k++)
			ool[k] = ool_byte(c->self, seq, k);
		mp_builder_init(&b, msg, sizeof msg, 0);
		mp_builder_set_remote(&b, c->next, MP_MSG_TYPE_COPY_SEND);
		mp_builder_set_id(&b, (int32_t)seq);
		mp_builder_add_port(&b, c->mine, MP_MSG_TYPE_MAKE_SEND);
		mp_builder_add_ool(&b, mp_addr(ool), len, MP_MSG_PHYSICAL_COPY, 0);
		mp_builder_append(&b, head, sizeof head);
		if (mp_builder_finish(&b, &n, NULL) != MP_OK) {
			c->send_status = 1;
			break;
		}
		kr = mp_mach_msg(c->t, msg, MP_MACH_SEND_MSG | (killing ? MP_MACH_SEND_TIMEOUT : 0), (uint32_t)n, 0, 0,
				 killing ? 2000 : 0);
		if (kr == MP_MACH_SEND_INVALID_DEST && killing) {
			c->send_status = 2; /* the next client died */
			break;
		}
		if (kr == MP_MACH_SEND_TIMED_OUT && killing) {
			mp_msg_destroy(c->t, msg, sizeof msg); /* pseudo-received: ours again */
			seq--;
			continue;
		}
		if (kr != MP_MACH_MSG_SUCCESS) {
			fprintf(stderr, "stress: client %d: send %ld: %s\n", c->self, seq, mp_mach_msg_return_name(kr));
			c->send_status = 1;
			break;
		}
		c->sent++;
	}
	free(ool);
	return NULL;
}

static int client_main(int self)
{
	client_t c = { .self = self };
	mp_port_options_t qo = { MP_MPO_QLIMIT, 64 };
	char name[64];
	pthread_t th;
	int prev = (self + procs - 1) % procs, quiet = 0;
	long expect = 0;
	uint8_t buf[512];
	mp_port_name_t old = 0;

	if (mp_task_open(MP_BACKEND_MACHPORTD, &c.t) != MP_KERN_SUCCESS)
		FAIL("no task");
	if (mp_port_construct(c.t, &qo, 0, &c.mine) != MP_KERN_SUCCESS ||
	    mp_port_allocate(c.t, MP_PORT_RIGHT_RECEIVE, &c.notify) != MP_KERN_SUCCESS)
		FAIL("ports");
	svc_name(name, sizeof name, self);
	if (mp_bootstrap_register(c.t, name, c.mine, MP_MSG_TYPE_MAKE_SEND) != MP_KERN_SUCCESS)
		FAIL("register %s", name);
	svc_name(name, sizeof name, (self + 1) % procs);
	for (int i = 0; i < 1000; i++) {
		mp_kr_t kr = mp_bootstrap_look_up(c.t, name, &c.next);
		if (kr == MP_KERN_SUCCESS)
			break;
		if (kr != MP_BOOTSTRAP_UNKNOWN_SERVICE)
			FAIL("look up %s: %d", name, kr);
		usleep(10000);
	}
	if (!MP_PORT_VALID(c.next))
		FAIL("%s never appeared", name);
	if (mp_port_request_notification(c.t, c.next, MP_MACH_NOTIFY_DEAD_NAME, 0, c.notify, MP_MSG_TYPE_MAKE_SEND_ONCE,
					 &old) != MP_KERN_SUCCESS)
		FAIL("dead-name request");
	if (pthread_create(&th, NULL, sender, &c) != 0)
		FAIL("thread");

	while (expect < messages) {
		mp_kr_t kr = mp_mach_msg(c.t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof buf, c.mine,
					 killing ? 1000 : 60000);
		if (kr == MP_MACH_RCV_TIMED_OUT && killing) {
			if (++quiet >= 2)
				break; /* the previous client died (or is starved by a death further back) */
			continue;
		}
		if (kr != MP_MACH_MSG_SUCCESS)
			FAIL("receive %ld: %s", expect, mp_mach_msg_return_name(kr));
		quiet = 0;
		mp_msg_view_t v;
		mp_desc_iter_t it;
		mp_desc_t d0, d1;
		uint32_t head[2];
		size_t ilen = 0;
		const uint8_t *inl;
		if (mp_parse_recv(&v, buf, sizeof buf, 0, NULL) != MP_OK)
			FAIL("message %ld does not parse", expect);
		inl = mp_view_inline(&v, &ilen);
		if (ilen != sizeof head)
			FAIL("message %ld: %zu inline bytes", expect, ilen);
		memcpy(head, inl, sizeof head);
		if (v.id != (int32_t)expect || head[0] != (uint32_t)prev || head[1] != (uint32_t)expect)
			FAIL("message %ld: id %d from %u seq %u (FIFO broken or lost)", expect, v.id, head[0], head[1]);
		mp_desc_iter_init(&it, &v);
		if (v.desc_count != 2 || !mp_desc_next(&it, &d0) || !mp_desc_next(&it, &d1))
			FAIL("message %ld: %u descriptors", expect, v.desc_count);
		/* the right: a send right to the previous client's port (released
		 * below, so its name changes from message to message) */
		if (d0.type != MP_MSG_PORT_DESCRIPTOR || d0.disposition != MP_MSG_TYPE_PORT_SEND ||
		    !(MP_PORT_VALID(d0.name) || (killing && d0.name == MP_PORT_DEAD)))
			FAIL("message %ld: port descriptor type %u disposition %u name 0x%x", expect, d0.type,
			     d0.disposition, d0.name);
		/* the region */
		if (d1.type != MP_MSG_OOL_DESCRIPTOR || d1.length != ool_len(expect))
			FAIL("message %ld: OOL of %u bytes, expected %u", expect, d1.length, ool_len(expect));
		const uint8_t *p = (const uint8_t *)(uintptr_t)d1.address;
		for (uint32_t k = 0; k < d1.length; k++)
			if (p[k] != ool_byte(prev, expect, k))
				FAIL("message %ld: OOL byte %u is 0x%02x", expect, k, p[k]);
		mp_msg_destroy(c.t, buf, sizeof buf);
		expect++;
	}
	pthread_join(th, NULL);
	if (c.send_status == 1)
		FAIL("sending failed after %ld messages", c.sent);
	if (c.send_status == 2) {
		/* the next client died: the dead-name notification is here */
		mp_kr_t kr = mp_mach_msg(c.t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof buf, c.notify, 5000);
		uint32_t id, dn;
		if (kr != MP_MACH_MSG_SUCCESS)
			FAIL("no dead-name notification: %s", mp_mach_msg_return_name(kr));
		memcpy(&id, buf + 20, 4);
		memcpy(&dn, buf + 32, 4);
		if (id != MP_MACH_NOTIFY_DEAD_NAME || dn != c.next)
			FAIL("notification id %u name 0x%x, expected %u 0x%x", id, dn, MP_MACH_NOTIFY_DEAD_NAME, c.next);
	} else if (c.sent != messages) {
		FAIL("sent %ld of %ld", c.sent, messages);
	}
	if (!killing && expect != messages)
		FAIL("received %ld of %ld", expect, messages);
	if (!killing) {
		char b = 'd';
		if (write(done_pipe[1], &b, 1) != 1 || read(release_pipe[0], &b, 1) != 1)
			FAIL("barrier");
	}
	mp_task_close(c.t);
	return 0;
}

/* After it all: the kernel's invariants, and a new task still works. */
static int after(void)
{
	mp_kernel_report_t r;
	mp_task_t *t = NULL;
	mp_port_name_t p = 0;
	uint8_t m[64];
	mp_builder_t b;
	size_t n;
	int self = -1;

	if (mp_backend_check(MP_BACKEND_MACHPORTD, &r) != 0 || !r.ok)
		FAIL("kernel check: %s", r.why);
	if (r.spaces != 0)
		FAIL("%u client spaces left after every client ended", r.spaces);
	if (mp_task_open(MP_BACKEND_MACHPORTD, &t) != MP_KERN_SUCCESS ||
	    mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &p) != MP_KERN_SUCCESS)
		FAIL("a new task");
	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, p, MP_MSG_TYPE_MAKE_SEND);
	if (mp_builder_finish(&b, &n, NULL) != MP_OK ||
	    mp_mach_msg(t, m, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0) != MP_MACH_MSG_SUCCESS ||
	    mp_mach_msg(t, m, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof m, p, 1000) != MP_MACH_MSG_SUCCESS)
		FAIL("a new task cannot send and receive");
	mp_msg_destroy(t, m, sizeof m);
	mp_task_close(t);
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_PROCS];
	int bad = 0, killed = 0, self = -1;
	double t0, el;

	if (argc < 2 || (strcmp(argv[1], "load") != 0 && strcmp(argv[1], "kill") != 0)) {
		fprintf(stderr, "usage: stress load|kill [--procs P] [--messages N] [--kills K]\n");
		return 2;
	}
	killing = strcmp(argv[1], "kill") == 0;
	if (killing) {
		messages = 3000;
		kills = procs / 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--procs") == 0)
			procs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--messages") == 0)
			messages = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--kills") == 0)
			kills = atoi(argv[i + 1]);
	}
	if (procs < 2 || procs > MAX_PROCS || messages < 1 || kills < 0 || kills >= procs) {
		fprintf(stderr, "stress: 2 <= procs <= %d, messages >= 1, 0 <= kills < procs\n", MAX_PROCS);
		return 2;
	}
	parent = getpid();
	if (pipe(done_pipe) != 0 || pipe(release_pipe) != 0)
		FAIL("pipe");
	t0 = now();
	for (int i = 0; i < procs; i++) {
		fflush(NULL);
		pids[i] = fork();
		if (pids[i] < 0)
			FAIL("fork");
		if (pids[i] == 0)
			_exit(client_main(i));
	}
	if (killing) {
		/* random victims, one every 100 ms once the ring runs */
		unsigned seed = (unsigned)getpid();
		int dead[MAX_PROCS] = { 0 };
		usleep(300000);
		while (killed < kills) {
			int v = (int)(rand_r(&seed) % (unsigned)procs);
			if (dead[v])
				continue;
			dead[v] = 1;
			kill(pids[v], SIGKILL);
			killed++;
			usleep(100000);
		}
	}
	int status[MAX_PROCS], exited[MAX_PROCS] = { 0 };
	if (!killing) {
		/* the barrier: every client done (or exited: a failed one never
		 * reports), then all may end their tasks */
		int done = 0, gone = 0;
		char b;
		while (done + gone < procs) {
			struct pollfd p = { done_pipe[0], POLLIN, 0 };
			if (poll(&p, 1, 100) == 1 && read(done_pipe[0], &b, 1) == 1)
				done++;
			for (int i = 0; i < procs; i++) {
				if (!exited[i] && waitpid(pids[i], &status[i], WNOHANG) == pids[i]) {
					exited[i] = 1;
					gone++;
				}
			}
		}
		for (int i = 0; i < procs; i++)
			if (write(release_pipe[1], "r", 1) != 1)
				bad++;
	}
	for (int i = 0; i < procs; i++) {
		int st = status[i];
		while (!exited[i] && waitpid(pids[i], &st, 0) < 0 && errno == EINTR) {
		}
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && killing)
			continue;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "stress: client %d (pid %d) failed (status 0x%x)\n", i, (int)pids[i], st);
			bad++;
		}
	}
	el = now() - t0;
	if (after() != 0)
		bad++;
	if (!killing)
		printf("load: %d processes x %ld messages (a send right and 64..4159 bytes of OOL each): "
		       "%.2f s, %.0f messages/s%s\n",
		       procs, messages, el, (double)procs * (double)messages / el, bad ? "" : ", none lost or reordered");
	else
		printf("kill: %d processes, %d killed under load: %d survivors %s\n", procs, killed, procs - killed,
		       bad ? "FAILED" : "clean, invariants hold");
	printf("%d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0);
	return bad ? 1 : 0;
}
