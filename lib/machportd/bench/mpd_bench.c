/*
 * lib/machportd/bench/mpd_bench.c: machportd across two processes beside a
 * raw Unix-socket ping-pong of the same bytes between the same two
 * processes, in the same run.
 *
 *   mpd_bench [--iters N] [--message simple|complex]
 *
 * Two messages: the 64-byte simple message and the 6-descriptor message of
 * lib/port's benchmark (a port, 4096 + 100 bytes of OOL, 2 OOL port names,
 * a made send right, a guarded receive right). For each:
 *   round trip  the parent sends, the child answers with the same kind of
 *               message; each side uses one mach_msg(SEND|RCV) per message,
 *               as a Mach RPC does (the raw side: one send and one recv)
 *   throughput  the parent streams N messages one way, the child receives
 *               them all and answers once
 * The raw side moves the message bytes plus the OOL bytes through a
 * SOCK_SEQPACKET socketpair. Prints microseconds per round trip, messages
 * per second, and the ratio machportd / raw (the goal: within 3x).
 * The guarded ports are made before the clock starts: the figures are the
 * messages', not mach_port_construct's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "machports/msg.h"
#include "machports/port.h"

static long iters = 20000;
static uint8_t g_ool[4096];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, mp_kr_t kr)
{
	fprintf(stderr, "mpd_bench: %s: %s (0x%x)\n", what, kr ? mp_mach_msg_return_name(kr) : "", (unsigned)kr);
	exit(1);
}

/* ---- the messages ------------------------------------------------------- */

typedef struct side {
	mp_task_t *t;
	mp_port_name_t mine, peer, extra;
	mp_port_name_t *guarded; /* made before the clock starts */
	long nguarded, used;
} side_t;

static uint32_t build(side_t *s, uint8_t *buf, int complex)
{
	static const uint8_t data[256] = { 9 };
	static mp_port_name_t names[2];
	mp_builder_t b;
	size_t n = 0;

	mp_builder_init(&b, buf, 1024, 0);
	mp_builder_set_remote(&b, s->peer, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, complex ? 4242 : 100);
	if (!complex) {
		mp_builder_append(&b, data, 40); /* 24 + 40 = 64 bytes */
	} else {
		if (s->used == s->nguarded)
			die("out of guarded ports", 0);
		names[0] = names[1] = s->extra;
		mp_builder_add_port(&b, s->extra, MP_MSG_TYPE_COPY_SEND);
		mp_builder_add_ool(&b, mp_addr(g_ool), sizeof g_ool, MP_MSG_VIRTUAL_COPY, 0);
		mp_builder_add_ool_ports(&b, mp_addr(names), 2, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
		mp_builder_add_port(&b, s->extra, MP_MSG_TYPE_MAKE_SEND);
		mp_builder_add_guarded_port(&b, s->guarded[s->used++], MP_MSG_TYPE_MOVE_RECEIVE,
					    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x1234);
		mp_builder_add_ool(&b, mp_addr(g_ool), 100, MP_MSG_PHYSICAL_COPY, 0);
		mp_builder_append(&b, data, sizeof data);
	}
	if (mp_builder_finish(&b, &n, NULL) != MP_OK)
		die("build", 0);
	return (uint32_t)n;
}

/* What a receiver does with a message: its OOL regions go back (local);
 * the rights stay (send rights coalesce; the guarded receive rights are
 * freed with the task). */
static void consume(side_t *s, uint8_t *buf, size_t cap)
{
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;
	if (mp_parse_recv(&v, buf, cap, 0, NULL) != MP_OK)
		die("a received message does not parse", 0);
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d)) {
		if (d.type == MP_MSG_OOL_DESCRIPTOR)
			(void)mp_vm_deallocate(s->t, d.address, d.length);
		else if (d.type == MP_MSG_OOL_PORTS_DESCRIPTOR)
			(void)mp_vm_deallocate(s->t, d.address, d.length * 4u);
	}
}

#define RCV_OPTS (MP_MACH_RCV_MSG | MP_MACH_RCV_GUARDED_DESC)

static void side_open(side_t *s, const char *me, const char *peer, long nguarded)
{
	mp_port_options_t qo = { MP_MPO_QLIMIT, MP_PORT_QLIMIT_LARGE };
	mp_port_options_t go = { MP_MPO_CONTEXT_AS_GUARD, 0 };
	mp_kr_t kr;

	memset(s, 0, sizeof *s);
	if ((kr = mp_task_open(MP_BACKEND_MACHPORTD, &s->t)) != MP_KERN_SUCCESS)
		die("task (is machportd running? MACHPORTD_SOCKET)", kr);
	if ((kr = mp_port_construct(s->t, &qo, 0, &s->mine)) != MP_KERN_SUCCESS ||
	    (kr = mp_port_allocate(s->t, MP_PORT_RIGHT_RECEIVE, &s->extra)) != MP_KERN_SUCCESS ||
	    (kr = mp_port_insert_right(s->t, s->extra, s->t, s->extra, MP_MSG_TYPE_MAKE_SEND)) != MP_KERN_SUCCESS ||
	    (kr = mp_bootstrap_register(s->t, me, s->mine, MP_MSG_TYPE_MAKE_SEND)) != MP_KERN_SUCCESS)
		die("ports", kr);
	for (int i = 0; i < 500; i++) {
		kr = mp_bootstrap_look_up(s->t, peer, &s->peer);
		if (kr != MP_BOOTSTRAP_UNKNOWN_SERVICE)
			break;
		usleep(10000);
	}
	if (kr != MP_KERN_SUCCESS)
		die("look up", kr);
	s->guarded = calloc((size_t)nguarded + 1, sizeof *s->guarded);
	if (s->guarded == NULL)
		die("out of memory", 0);
	for (long i = 0; i < nguarded; i++)
		if ((kr = mp_port_construct(s->t, &go, 0x1234, &s->guarded[i])) != MP_KERN_SUCCESS)
			die("guarded ports", kr);
	s->nguarded = nguarded;
}

static void side_close(side_t *s)
{
	mp_task_close(s->t);
	free(s->guarded);
}

/* ---- machportd ------------------------------------------------------------ */

enum { RT, STREAM };

static void mpd_child(const char *me, const char *peer, int complex, int mode)
{
	side_t s;
	uint8_t out[1024], in[16384];
	mp_kr_t kr;

	side_open(&s, me, peer, complex ? (mode == RT ? iters + 1 : 2) : 0);
	/* the first receive, then reply-and-receive-next in one call */
	if ((kr = mp_mach_msg(s.t, in, RCV_OPTS, 0, sizeof in, s.mine, 0)) != MP_MACH_MSG_SUCCESS)
		die("child receive", kr);
	consume(&s, in, sizeof in);
	if (mode == RT) {
		for (long i = 1; i < iters; i++) {
			uint32_t n = build(&s, out, complex);
			memcpy(in, out, n);
			kr = mp_mach_msg(s.t, in, MP_MACH_SEND_MSG | RCV_OPTS, n, sizeof in, s.mine, 0);
			if (kr != MP_MACH_MSG_SUCCESS)
				die("child send+receive", kr);
			consume(&s, in, sizeof in);
		}
	} else {
		for (long i = 1; i < iters; i++) {
			if ((kr = mp_mach_msg(s.t, in, RCV_OPTS, 0, sizeof in, s.mine, 0)) != MP_MACH_MSG_SUCCESS)
				die("child receive", kr);
			consume(&s, in, sizeof in);
		}
	}
	uint32_t n = build(&s, out, complex); /* the last answer */
	if ((kr = mp_mach_msg(s.t, out, MP_MACH_SEND_MSG, n, 0, 0, 0)) != MP_MACH_MSG_SUCCESS)
		die("child send", kr);
	side_close(&s);
	exit(0);
}

static double mpd_run(int complex, int mode)
{
	char a[64], b[64];
	side_t s;
	uint8_t out[1024], in[16384];
	pid_t child;
	double t0, el;
	mp_kr_t kr;
	int st;

	snprintf(a, sizeof a, "mpd_bench.%d.%d%d.parent", (int)getpid(), complex, mode);
	snprintf(b, sizeof b, "mpd_bench.%d.%d%d.child", (int)getpid(), complex, mode);
	fflush(NULL);
	child = fork();
	if (child == 0)
		mpd_child(b, a, complex, mode);
	side_open(&s, a, b, complex ? iters : 0);
	t0 = now();
	if (mode == RT) {
		for (long i = 0; i < iters; i++) {
			uint32_t n = build(&s, out, complex);
			memcpy(in, out, n);
			kr = mp_mach_msg(s.t, in, MP_MACH_SEND_MSG | RCV_OPTS, n, sizeof in, s.mine, 0);
			if (kr != MP_MACH_MSG_SUCCESS)
				die("send+receive", kr);
			consume(&s, in, sizeof in);
		}
	} else {
		for (long i = 0; i < iters; i++) {
			uint32_t n = build(&s, out, complex);
			if ((kr = mp_mach_msg(s.t, out, MP_MACH_SEND_MSG, n, 0, 0, 0)) != MP_MACH_MSG_SUCCESS)
				die("send", kr);
		}
		if ((kr = mp_mach_msg(s.t, in, RCV_OPTS, 0, sizeof in, s.mine, 0)) != MP_MACH_MSG_SUCCESS)
			die("receive", kr);
		consume(&s, in, sizeof in);
	}
	el = now() - t0;
	waitpid(child, &st, 0);
	side_close(&s);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die("the child failed", 0);
	return el;
}

/* ---- raw ------------------------------------------------------------------- */

static double raw_run(size_t bytes, int mode)
{
	int sv[2], st;
	uint8_t *buf = calloc(1, bytes);
	pid_t child;
	double t0, el;
	int sz = 1 << 20;

	if (buf == NULL || socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		die("socketpair", 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	fflush(NULL);
	child = fork();
	if (child == 0) {
		close(sv[0]);
		for (long i = 0; i < iters; i++) {
			if (recv(sv[1], buf, bytes, 0) != (ssize_t)bytes)
				_exit(1);
			if (mode == RT && send(sv[1], buf, bytes, 0) != (ssize_t)bytes)
				_exit(1);
		}
		if (mode == STREAM && send(sv[1], buf, bytes, 0) != (ssize_t)bytes)
			_exit(1);
		_exit(0);
	}
	close(sv[1]);
	t0 = now();
	for (long i = 0; i < iters; i++) {
		if (send(sv[0], buf, bytes, 0) != (ssize_t)bytes)
			die("raw send", 0);
		if (mode == RT && recv(sv[0], buf, bytes, 0) != (ssize_t)bytes)
			die("raw recv", 0);
	}
	if (mode == STREAM && recv(sv[0], buf, bytes, 0) != (ssize_t)bytes)
		die("raw recv", 0);
	el = now() - t0;
	waitpid(child, &st, 0);
	close(sv[0]);
	free(buf);
	return el;
}

int main(int argc, char **argv)
{
	int only = -1; /* --message simple|complex */
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--iters") == 0)
			iters = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--message") == 0)
			only = strcmp(argv[i + 1], "complex") == 0;
	}
	if (iters < 2) {
		fprintf(stderr, "usage: mpd_bench [--iters N >= 2]\n");
		return 2;
	}
	printf("%-9s %-11s %12s %12s %8s   (%ld messages, two processes)\n", "message", "measure", "raw",
	       "machportd", "ratio", iters);
	for (int complex = 0; complex < 2; complex++) {
		side_t probe = { 0 };
		if (only >= 0 && complex != only)
			continue;
		uint8_t m[1024];
		size_t bytes;
		probe.peer = 0x103;
		probe.extra = 0x203;
		probe.guarded = (mp_port_name_t[]){ 0x303 };
		probe.nguarded = 1;
		bytes = build(&probe, m, complex) + (complex ? sizeof g_ool + 100 + 8 : 0);
		for (int mode = RT; mode <= STREAM; mode++) {
			double raw = raw_run(bytes, mode), mpd = mpd_run(complex, mode);
			const char *name = complex ? "6-desc" : "64-byte";
			if (mode == RT)
				printf("%-9s %-11s %9.2f us %9.2f us %7.2fx\n", name, "round trip", raw / (double)iters * 1e6,
				       mpd / (double)iters * 1e6, mpd / raw);
			else
				printf("%-9s %-11s %8.0f/s %10.0f/s %7.2fx\n", name, "throughput", (double)iters / raw,
				       (double)iters / mpd, mpd / raw);
		}
	}
	return 0;
}
