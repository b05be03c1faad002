/*
 * lib/machportd/tests/daemon_test.c: machportd across real processes,
 * through lib/port's machportd backend (run by with_machportd.sh against a
 * daemon of its own).
 *
 * The bootstrap registry; a message with rights and OOL memory from a
 * child process (its audit token is the child's pid, its memory arrives
 * intact); task death by SIGKILL while blocked in a receive and while
 * blocked in a send (XNU's ipc_space_terminate: receive rights die,
 * dead-name notifications fire, the half-sent message is destroyed with
 * its rights); a daemon started on demand and stopped by SIGTERM while a
 * client is blocked in it; a daemon killed under its clients.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "machports/le.h"
#include "machports/msg.h"
#include "machports/port.h"
#include "machports/testing.h"

static uint32_t get32(const uint8_t *b, size_t off)
{
	return mp_load_le32(b + off);
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;
	memcpy(&v, b + off, 8);
	return v;
}

static mp_task_t *open_task(void)
{
	mp_task_t *t = NULL;
	assert_int_equal(mp_task_open(MP_BACKEND_MACHPORTD, &t), MP_KERN_SUCCESS);
	return t;
}

static void check_kernel(void)
{
	mp_kernel_report_t r;
	assert_int_equal(mp_backend_check(MP_BACKEND_MACHPORTD, &r), 0);
	if (!r.ok)
		fail_msg("machportd's kernel: %s", r.why);
}

/* A look-up that waits for the service to appear (another process registers it). */
static mp_port_name_t look_up_wait(mp_task_t *t, const char *service)
{
	mp_port_name_t n = 0;
	for (int i = 0; i < 500; i++) {
		mp_kr_t kr = mp_bootstrap_look_up(t, service, &n);
		if (kr == MP_KERN_SUCCESS)
			return n;
		if (kr != MP_BOOTSTRAP_UNKNOWN_SERVICE)
			return 0;
		usleep(10000);
	}
	return 0;
}

static mp_kr_t send_simple(mp_task_t *t, mp_port_name_t dest, int32_t id, uint32_t option, uint32_t timeout)
{
	uint8_t m[64];
	mp_builder_t b;
	size_t n;
	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, dest, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, id);
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		return MP_KERN_FAILURE;
	return mp_mach_msg(t, m, MP_MACH_SEND_MSG | option, (uint32_t)n, 0, 0, timeout);
}

/* ---- the registry -------------------------------------------------------- */

static void registry(void **state)
{
	mp_task_t *a = open_task();
	mp_port_name_t p = 0, q = 0, n = 0, n2 = 0;
	mp_port_type_t type = 0;
	char longname[200];
	(void)state;

	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "test.registry", p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "test.registry", p, MP_MSG_TYPE_MAKE_SEND), MP_BOOTSTRAP_NAME_IN_USE);
	assert_int_equal(mp_bootstrap_look_up(a, "test.registry", &n), MP_KERN_SUCCESS);
	assert_int_equal(n, p); /* the send right joins the receive right's name */
	assert_int_equal(mp_port_type(a, n, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_SEND_RECEIVE);
	assert_int_equal(mp_bootstrap_look_up(a, "test.nobody", &n2), MP_BOOTSTRAP_UNKNOWN_SERVICE);
	/* a name the caller has no right for; a disposition that is not a send */
	assert_int_equal(mp_bootstrap_register(a, "test.forged", 0x4242403, MP_MSG_TYPE_COPY_SEND),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(mp_bootstrap_register(a, "test.moved", p, MP_MSG_TYPE_MOVE_RECEIVE), MP_KERN_INVALID_VALUE);
	memset(longname, 'x', sizeof longname);
	longname[sizeof longname - 1] = '\0';
	assert_int_equal(mp_bootstrap_look_up(a, longname, &n2), MP_KERN_INVALID_ARGUMENT);
	/* the port dies: the name is free again */
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_RECEIVE, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(a, p, MP_PORT_RIGHT_DEAD_NAME, -1), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_look_up(a, "test.registry", &n2), MP_BOOTSTRAP_UNKNOWN_SERVICE);
	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &q), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "test.registry", q, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	/* the embedded kernel has a registry of its own: not the daemon's */
	{
		mp_task_t *k = NULL;
		assert_int_equal(mp_task_open(MP_BACKEND_KERN, &k), MP_KERN_SUCCESS);
		assert_int_equal(mp_bootstrap_look_up(k, "test.registry", &n2), MP_BOOTSTRAP_UNKNOWN_SERVICE);
		mp_task_close(k);
	}
	mp_task_close(a);
	check_kernel();
}

/* ---- a message from another process -------------------------------------- */

#define XP_OOL 20000u

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 2654435761u >> 24);
}

static int xp_child(int go)
{
	mp_task_t *t = NULL;
	mp_port_name_t s, x = 0;
	uint64_t addr = 0;
	uint8_t m[256], c;
	mp_builder_t b;
	size_t n;

	if (mp_task_open(MP_BACKEND_MACHPORTD, &t) != MP_KERN_SUCCESS || (s = look_up_wait(t, "test.xp")) == 0)
		return 10;
	if (mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &x) != MP_KERN_SUCCESS ||
	    mp_vm_allocate(t, &addr, XP_OOL) != MP_KERN_SUCCESS)
		return 11;
	for (uint32_t i = 0; i < XP_OOL; i++)
		((uint8_t *)(uintptr_t)addr)[i] = pattern(i);
	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, s, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 77);
	mp_builder_add_ool(&b, addr, XP_OOL, MP_MSG_VIRTUAL_COPY, 1);
	mp_builder_add_port(&b, x, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, "hello\0\0", 8); /* inline data: 4-byte units */
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		return 12;
	if (mp_mach_msg(t, m, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0) != MP_MACH_MSG_SUCCESS)
		return 13;
	/* the deallocate flag: the region is gone from this process */
	if (msync((void *)(uintptr_t)addr, 4096, MS_ASYNC) == 0)
		return 14;
	if (read(go, &c, 1) != 1) /* hold x until the parent has looked at it */
		return 15;
	mp_task_close(t);
	return 0;
}

static void cross_process_message(void **state)
{
	mp_task_t *a = open_task();
	mp_port_name_t p = 0, x;
	mp_port_type_t type = 0;
	uint8_t buf[512];
	int go[2], status;
	pid_t child;
	mp_kr_t kr;
	(void)state;

	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &p), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "test.xp", p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(pipe(go), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(go[1]);
		_exit(xp_child(go[0]));
	}
	close(go[0]);
	memset(buf, 0xee, sizeof buf);
	kr = mp_mach_msg(a, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT),
			 0, sizeof buf, p, 10000);
	assert_int_equal(kr, MP_MACH_MSG_SUCCESS);
	assert_int_equal(get32(buf, 20), 77);
	assert_int_equal(get32(buf, 24), 2);
	/* the OOL region: in this process, with the child's bytes */
	{
		const uint8_t *ool = (const uint8_t *)(uintptr_t)get64(buf, 28);
		assert_int_equal(get32(buf, 28 + 12), XP_OOL);
		for (uint32_t i = 0; i < XP_OOL; i++)
			if (ool[i] != pattern(i))
				fail_msg("OOL byte %u: 0x%02x, expected 0x%02x", i, ool[i], pattern(i));
	}
	/* the port: a send right here to the child's receive right */
	x = get32(buf, 28 + 16);
	assert_int_equal(mp_port_type(a, x, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_SEND);
	assert_memory_equal(buf + 28 + 16 + 12, "hello", 5);
	/* the audit trailer: the kernel's view of the sender, the child */
	{
		uint32_t size = get32(buf, 4);
		mp_msg_audit_trailer_t tr;
		memcpy(&tr, buf + size, sizeof tr);
		assert_int_equal(tr.msgh_trailer_size, MP_MSG_TRAILER_AUDIT_SIZE);
		assert_int_equal(tr.msgh_audit.val[5], (uint32_t)child);
		assert_int_equal(tr.msgh_sender.val[0], (uint32_t)geteuid());
	}
	/* the child ends: its port dies, our send right becomes a dead name */
	assert_int_equal(write(go[1], "g", 1), 1);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(mp_port_type(a, x, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_DEAD_NAME);
	mp_msg_destroy(a, buf, sizeof buf);
	close(go[1]);
	mp_task_close(a);
	check_kernel();
}

/* ---- SIGKILL in the middle of a call --------------------------------------- */

/* The child registers a receive right of its own under `service`, then
 * blocks: in a receive on it (mode 0), or in a send to the parent's full
 * port `full` carrying the receive right of another port, also registered
 * (mode 1). */
static int blocked_child(int mode)
{
	mp_task_t *t = NULL;
	mp_port_name_t y = 0, full;
	uint8_t m[128];
	mp_builder_t b;
	size_t n;

	if (mp_task_open(MP_BACKEND_MACHPORTD, &t) != MP_KERN_SUCCESS ||
	    mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &y) != MP_KERN_SUCCESS ||
	    mp_bootstrap_register(t, "test.kill.y", y, MP_MSG_TYPE_MAKE_SEND) != MP_KERN_SUCCESS)
		return 10;
	if (mode == 0) {
		mp_mach_msg(t, m, MP_MACH_RCV_MSG, 0, sizeof m, y, 0); /* blocks until killed */
		return 11;
	}
	if ((full = look_up_wait(t, "test.kill.full")) == 0)
		return 12;
	if (send_simple(t, full, 1, 0, 0) != MP_MACH_MSG_SUCCESS) /* fills the queue (qlimit 1) */
		return 13;
	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, full, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 2);
	mp_builder_add_port(&b, y, MP_MSG_TYPE_MOVE_RECEIVE);
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		return 14;
	mp_mach_msg(t, m, MP_MACH_SEND_MSG, (uint32_t)n, 0, 0, 0); /* blocks until killed */
	return 15;
}

static void killed_mid_call(int mode)
{
	mp_task_t *a = open_task();
	mp_port_name_t full = 0, y, notify = 0, prev = 0;
	mp_port_options_t qo = { MP_MPO_QLIMIT, 1 };
	mp_port_type_t type = 0;
	uint8_t buf[256];
	int status;
	pid_t child;

	assert_int_equal(mp_port_construct(a, &qo, 0, &full), MP_KERN_SUCCESS);
	assert_int_equal(mp_bootstrap_register(a, "test.kill.full", full, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_allocate(a, MP_PORT_RIGHT_RECEIVE, &notify), MP_KERN_SUCCESS);
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		_exit(blocked_child(mode));
	y = look_up_wait(a, "test.kill.y");
	assert_true(MP_PORT_VALID(y));
	assert_int_equal(mp_port_request_notification(a, y, MP_MACH_NOTIFY_DEAD_NAME, 0, notify,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev),
			 MP_KERN_SUCCESS);
	if (mode == 1) { /* wait until the first message is queued and the second is blocked */
		for (int i = 0; i < 500 && mp_port_get_status(a, full, &(mp_port_status_t){ 0 }) == MP_KERN_SUCCESS; i++) {
			mp_port_status_t st;
			assert_int_equal(mp_port_get_status(a, full, &st), MP_KERN_SUCCESS);
			if (st.mps_msgcount == 1)
				break;
			usleep(10000);
		}
	}
	usleep(200000); /* into the blocking call */
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));

	/* the task died: its receive right too (mode 1: with the destroyed
	 * message that carried it), so our send right is a dead name and the
	 * dead-name notification arrives */
	memset(buf, 0, sizeof buf);
	assert_int_equal(mp_mach_msg(a, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof buf, notify, 5000),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(get32(buf, 20), MP_MACH_NOTIFY_DEAD_NAME);
	assert_int_equal(get32(buf, 32), y);
	assert_int_equal(mp_port_type(a, y, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_DEAD_NAME);
	if (mode == 1) {
		mp_port_status_t st;
		assert_int_equal(mp_port_get_status(a, full, &st), MP_KERN_SUCCESS);
		assert_int_equal(st.mps_msgcount, 1); /* the first message only */
		assert_int_equal(mp_mach_msg(a, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof buf, full, 0),
				 MP_MACH_MSG_SUCCESS);
		assert_int_equal(get32(buf, 20), 1);
	}
	mp_task_close(a);
	check_kernel();
}

static void killed_while_receiving(void **state)
{
	(void)state;
	killed_mid_call(0);
}

static void killed_while_sending(void **state)
{
	(void)state;
	killed_mid_call(1);
}

/* ---- a daemon on demand, stopped while a client is blocked ------------------- */

typedef struct blocked {
	mp_task_t *t;
	mp_port_name_t port;
	mp_kr_t kr;
} blocked_t;

static void *block_in_receive(void *arg)
{
	blocked_t *b = arg;
	uint8_t m[64];
	b->kr = mp_mach_msg(b->t, m, MP_MACH_RCV_MSG, 0, sizeof m, b->port, 0);
	return NULL;
}

static pid_t daemon_pid(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t len = sizeof cred;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	pid_t pid = -1;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		pid = cred.pid;
	if (fd >= 0)
		close(fd);
	return pid;
}

static void on_demand_and_sigterm(void **state)
{
	char dir[] = "/tmp/mpd-ondemand.XXXXXX", sock[64], log[80], line[512];
	const char *old = getenv("MACHPORTD_SOCKET");
	char *saved = old ? strdup(old) : NULL;
	blocked_t b = { 0 };
	pthread_t th;
	pid_t pid;
	FILE *f;
	int stopped = 0, clean = 0;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof sock, "%s/d/machportd.sock", dir); /* d/ does not exist: made 0700 */
	snprintf(log, sizeof log, "%s.log", sock);
	setenv("MACHPORTD_SOCKET", sock, 1);
	unsetenv("MACHPORTD_NO_AUTOSTART");
	assert_int_equal(mp_task_open(MP_BACKEND_MACHPORTD, &b.t), MP_KERN_SUCCESS); /* starts it */
	{
		struct stat st;
		snprintf(line, sizeof line, "%s/d", dir);
		assert_int_equal(stat(line, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	pid = daemon_pid(sock);
	assert_true(pid > 0);
	assert_int_not_equal(pid, getpid());
	assert_int_equal(mp_port_allocate(b.t, MP_PORT_RIGHT_RECEIVE, &b.port), MP_KERN_SUCCESS);
	assert_int_equal(pthread_create(&th, NULL, block_in_receive, &b), 0);
	usleep(200000);
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(pthread_join(th, NULL), 0); /* the blocked receive returns */
	assert_int_equal(b.kr, MP_MACH_RCV_INTERRUPTED);
	for (int i = 0; i < 500 && !stopped; i++) {
		stopped = kill(pid, 0) != 0 && errno == ESRCH;
		usleep(10000);
	}
	assert_true(stopped);
	mp_task_close(b.t);
	f = fopen(log, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		clean |= strstr(line, "stopped: every space ended, invariants hold, nothing left") != NULL;
	fclose(f);
	assert_true(clean);
	unlink(log);
	snprintf(line, sizeof line, "%s.lock", sock);
	unlink(line);
	snprintf(line, sizeof line, "%s/d", dir);
	rmdir(line);
	rmdir(dir);
	if (saved) {
		setenv("MACHPORTD_SOCKET", saved, 1);
		free(saved);
	}
	setenv("MACHPORTD_NO_AUTOSTART", "1", 1);
}

/* The daemon dies (SIGKILL) under its clients: a blocked call returns,
 * later calls fail at once, closing the task does not hang; the next task
 * starts a new daemon on the same socket (the dead one's lock is gone with
 * it, its socket file is replaced). */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void wait_gone(pid_t pid)
{
	int gone = 0;
	for (int i = 0; i < 500 && !gone; i++) {
		gone = kill(pid, 0) != 0 && errno == ESRCH;
		usleep(10000);
	}
	assert_true(gone);
}

static void daemon_killed(void **state)
{
	char dir[] = "/tmp/mpd-killed.XXXXXX", sock[64], path[96];
	const char *old = getenv("MACHPORTD_SOCKET");
	char *saved = old ? strdup(old) : NULL;
	blocked_t b = { 0 };
	mp_task_t *t2 = NULL;
	mp_port_name_t n = 0;
	pthread_t th;
	pid_t pid, pid2;
	double t0;
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(sock, sizeof sock, "%s/machportd.sock", dir);
	setenv("MACHPORTD_SOCKET", sock, 1);
	unsetenv("MACHPORTD_NO_AUTOSTART");
	assert_int_equal(mp_task_open(MP_BACKEND_MACHPORTD, &b.t), MP_KERN_SUCCESS);
	pid = daemon_pid(sock);
	assert_true(pid > 0);
	assert_int_equal(mp_port_allocate(b.t, MP_PORT_RIGHT_RECEIVE, &b.port), MP_KERN_SUCCESS);
	assert_int_equal(pthread_create(&th, NULL, block_in_receive, &b), 0);
	usleep(200000);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(b.kr, MP_MACH_RCV_INTERRUPTED);
	wait_gone(pid);
	t0 = now_s();
	assert_int_equal(mp_port_allocate(b.t, MP_PORT_RIGHT_RECEIVE, &n), MP_KERN_FAILURE);
	assert_int_equal(send_simple(b.t, b.port, 1, 0, 0), MP_MACH_SEND_INTERRUPTED);
	mp_task_close(b.t);
	assert_true(now_s() - t0 < 2.0);
	/* a new daemon for the next task */
	assert_int_equal(mp_task_open(MP_BACKEND_MACHPORTD, &t2), MP_KERN_SUCCESS);
	pid2 = daemon_pid(sock);
	assert_true(pid2 > 0 && pid2 != pid);
	assert_int_equal(mp_port_allocate(t2, MP_PORT_RIGHT_RECEIVE, &n), MP_KERN_SUCCESS);
	assert_int_equal(send_simple(t2, n, 1, 0, 0), MP_MACH_SEND_INVALID_DEST); /* no send right: refused by the new kernel */
	mp_task_close(t2);
	assert_int_equal(kill(pid2, SIGTERM), 0);
	wait_gone(pid2);
	snprintf(path, sizeof path, "%s.log", sock);
	unlink(path);
	snprintf(path, sizeof path, "%s.lock", sock);
	unlink(path);
	unlink(sock);
	rmdir(dir);
	if (saved) {
		setenv("MACHPORTD_SOCKET", saved, 1);
		free(saved);
	}
	setenv("MACHPORTD_NO_AUTOSTART", "1", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry),
		cmocka_unit_test(cross_process_message),
		cmocka_unit_test(killed_while_receiving),
		cmocka_unit_test(killed_while_sending),
		cmocka_unit_test(on_demand_and_sigterm),
		cmocka_unit_test(daemon_killed),
	};
	if (getenv("MACHPORTD_SOCKET") == NULL) {
		fprintf(stderr, "daemon_test: run it through with_machportd.sh\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
