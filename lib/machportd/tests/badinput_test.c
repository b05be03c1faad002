/*
 * lib/machportd/tests/badinput_test.c: machportd against hostile clients.
 *
 * It speaks the raw protocol (proto.h; no lib/port) to a running daemon
 * ($MACHPORTD_SOCKET, from with_machportd.sh, started with --send-timeout 2):
 * random and truncated packets, oversized ones, descriptor floods, bad
 * memfds and OOL tables, a client that never reads its replies, and calls
 * that reach for names and tasks that are not the caller's. Every request
 * must get its REFUSED reply (the rule, the byte offset, a reason) or its
 * normal reply; the daemon must keep serving other clients, must not keep
 * any descriptor it was sent, and after each test its kernel's invariants
 * must hold with every space of the test ended.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "machports/le.h"

#define RCV_TIMEOUT_S 10 /* a reply that does not come fails the test, not the Bazel timeout */
#define PORT_CALL_LEN (MPD_HEADER_SIZE + 40u)

static uint8_t pkt[MPD_MAX_PACKET + 4096];
static uint8_t rbuf[MPD_MAX_PACKET + 4096];
static uint32_t seq_next = 1;

/* ---- time, randomness ------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*, fixed seed: a failing packet is the same on every run */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static void rnd_fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t v = rnd();
		memcpy(p + i, &v, n - i < 8 ? n - i : 8);
	}
}

/* ---- sockets ---------------------------------------------------------------- */

/* A connection to the daemon, or -1 (no asserts: the forked child uses it). */
static int try_connect(void)
{
	const char *path = getenv("MACHPORTD_SOCKET");
	struct sockaddr_un sa;
	struct timeval tv = { RCV_TIMEOUT_S, 0 };
	int s;

	if (path == NULL || strlen(path) >= sizeof sa.sun_path)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
		close(s);
		return -1;
	}
	return s;
}

static int conn(void)
{
	int s = try_connect();
	if (s < 0)
		fail_msg("cannot connect to $MACHPORTD_SOCKET (%s): %s", getenv("MACHPORTD_SOCKET"),
			 strerror(errno));
	return s;
}

/* One packet with `nfds` descriptors (SCM_RIGHTS). */
static ssize_t send_fds(int s, const void *p, size_t len, const int *fds, int nfds, int flags)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(16 * sizeof(int))];
	} u;
	struct iovec iov = { (void *)p, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > 0) {
		struct cmsghdr *cm;
		memset(&u, 0, sizeof u);
		mh.msg_control = u.b;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	do
		n = sendmsg(s, &mh, MSG_NOSIGNAL | flags);
	while (n < 0 && errno == EINTR);
	return n;
}

/* One reply into rbuf (the daemon's own mpd_recv_packet): its real length,
 * 0 at EOF, -1 with errno. The first descriptor that came with it goes to
 * *fd (else -1); any other is closed. *truncated: it did not fit rbuf, or
 * came with more than 4 descriptors. */
static int last_nfds; /* the descriptors that came with the last reply */

static ssize_t recv_raw(int s, int *fd, int *truncated)
{
	int fds[8], nfds = 0, ctrunc = 0;
	ssize_t n = mpd_recv_packet(s, rbuf, sizeof rbuf, fds, 8, &nfds, &ctrunc);

	last_nfds = nfds;
	if (fd != NULL)
		*fd = -1;
	for (int i = 0; i < nfds; i++) {
		if (fd != NULL && *fd < 0)
			*fd = fds[i];
		else
			close(fds[i]);
	}
	*truncated = n > (ssize_t)sizeof rbuf || nfds > 4 || ctrunc;
	return n;
}

static ssize_t recv_reply(int s, int *fd)
{
	int truncated = 0;
	ssize_t n = recv_raw(s, fd, &truncated);
	if (n > 0 && truncated)
		fail_msg("a reply larger than a packet, or with more than 4 descriptors");
	return n;
}

/* Sends a request and receives its reply (which must come). */
static ssize_t xchg(int s, const void *p, size_t len, const int *fds, int nfds, int *fd)
{
	ssize_t n;
	if (send_fds(s, p, len, fds, nfds, 0) != (ssize_t)len)
		fail_msg("sending a %zu-byte request: %s", len, strerror(errno));
	n = recv_reply(s, fd);
	if (n < 0)
		fail_msg("no reply to a %zu-byte request: %s", len, strerror(errno));
	if (n == 0)
		fail_msg("the daemon closed the connection on a %zu-byte request", len);
	return n;
}

/* A reply's header (magic, version, its length, the request's seq): its op. */
static uint32_t reply_op(ssize_t n, uint32_t seq)
{
	assert_true(n >= (ssize_t)MPD_HEADER_SIZE);
	assert_int_equal(mp_load_le32(rbuf), MPD_MAGIC);
	assert_int_equal(mp_load_le32(rbuf + 4) >> 16, MPD_VERSION);
	assert_int_equal(mp_load_le32(rbuf + 8), seq);
	assert_int_equal(mp_load_le32(rbuf + 12), (uint32_t)n - MPD_HEADER_SIZE);
	return mp_load_le32(rbuf + 4) & 0xffff;
}

/* The client's decoder accepts the reply in rbuf to (op, seq): every
 * reply the daemon writes keeps the protocol's rules. */
static void expect_decodes(ssize_t n, uint32_t seq, uint32_t op, mpd_reply_t *out)
{
	mpd_diag_t d;
	if (mpd_decode_reply(rbuf, (size_t)n, last_nfds, (mpd_op_t)op, seq, out, &d) != MPD_OK)
		fail_msg("the reply to op %u breaks the protocol: %s at byte %zu: %s", op, mpd_err_name(d.err),
			 d.offset, d.reason);
}

/* The reply must be the op's own (a refusal says why it was not). */
static void expect_op(ssize_t n, uint32_t seq, uint32_t op)
{
	mpd_reply_t r;
	uint32_t got = reply_op(n, seq);
	if (got == MPD_OP_REFUSED && op != MPD_OP_REFUSED && n >= 24)
		fail_msg("op %u refused: %s at byte %u: %.*s", op, mpd_err_name((mpd_err_t)mp_load_le32(rbuf + 16)),
			 mp_load_le32(rbuf + 20), (int)(n - 24), (const char *)rbuf + 24);
	assert_int_equal(got, op);
	if (op != MPD_OP_REFUSED)
		expect_decodes(n, seq, op, &r);
}

/* The reply in rbuf must be REFUSED: `err` at byte `offset`, with a reason. */
static void check_refused(ssize_t n, uint32_t seq, mpd_err_t err, long offset)
{
	uint32_t op = reply_op(n, seq);
	if (op != MPD_OP_REFUSED)
		fail_msg("expected REFUSED %s, got op %u", mpd_err_name(err), op);
	assert_true(n > (ssize_t)MPD_HEADER_SIZE + 8); /* a reason */
	{
		mpd_reply_t r;
		expect_decodes(n, seq, MPD_OP_CHECK, &r); /* REFUSED answers any op */
		assert_int_equal(r.op, MPD_OP_REFUSED);
	}
	if (mp_load_le32(rbuf + 16) != (uint32_t)err || mp_load_le32(rbuf + 20) != (uint32_t)offset)
		fail_msg("refused with %s at byte %u (%.*s); expected %s at %ld",
			 mpd_err_name((mpd_err_t)mp_load_le32(rbuf + 16)), mp_load_le32(rbuf + 20), (int)(n - 24),
			 (const char *)rbuf + 24, mpd_err_name(err), offset);
}

static uint32_t pkt_seq(const uint8_t *p, size_t len)
{
	return len >= 12 ? mp_load_le32(p + 8) : 0; /* what the daemon can echo */
}

static void expect_refused(int s, const void *p, size_t len, const int *fds, int nfds, mpd_err_t err, long offset)
{
	int fd;
	ssize_t n = xchg(s, p, len, fds, nfds, &fd);
	assert_int_equal(fd, -1);
	check_refused(n, pkt_seq(p, len), err, offset);
}

/* ---- requests ---------------------------------------------------------------- */

static uint32_t hello_ex(int s, uint32_t version, uint64_t *id, uint64_t *token)
{
	uint8_t p[MPD_HEADER_SIZE + 4];
	uint32_t seq = seq_next++;
	ssize_t n;

	mpd_encode_header(p, sizeof p, MPD_OP_HELLO, seq, 4);
	mp_store_le32(p + MPD_HEADER_SIZE, version);
	n = xchg(s, p, sizeof p, NULL, 0, NULL);
	expect_op(n, seq, MPD_OP_HELLO);
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_HELLO_REPLY);
	if (id != NULL)
		*id = mp_load_le64(rbuf + 24);
	if (token != NULL)
		*token = mp_load_le64(rbuf + 32);
	return mp_load_le32(rbuf + 16);
}

/* HELLO that must succeed: a space of this process. */
static void hello(int s, uint64_t *id, uint64_t *token)
{
	assert_int_equal(hello_ex(s, MPD_VERSION, id, token), MP_KERN_SUCCESS);
	assert_int_equal(mp_load_le32(rbuf + 40), (uint32_t)getpid()); /* the identity is SO_PEERCRED's */
	assert_int_equal(mp_load_le32(rbuf + 44), (uint32_t)geteuid());
}

static uint32_t attach(int s, uint64_t id, uint64_t token)
{
	uint8_t p[MPD_HEADER_SIZE + 16];
	uint32_t seq = seq_next++;
	ssize_t n = xchg(s, p, mpd_encode_attach(p, sizeof p, seq, id, token), NULL, 0, NULL);
	expect_op(n, seq, MPD_OP_ATTACH);
	assert_int_equal(n, MPD_HEADER_SIZE + 4);
	return mp_load_le32(rbuf + 16);
}

static size_t enc_call(uint8_t *p, uint32_t seq, uint32_t call, mp_port_name_t name, uint32_t a1, uint32_t a2,
		       int32_t delta, uint64_t a64, uint64_t b64)
{
	mpd_port_call_t c = { call, name, a1, a2, delta, a64, b64 };
	size_t len = mpd_encode_port_call(p, PORT_CALL_LEN, seq, &c);
	assert_int_equal(len, PORT_CALL_LEN);
	return len;
}

/* One PORT_CALL: its kr, and r1. */
static uint32_t port_call(int s, uint32_t call, mp_port_name_t name, uint32_t a1, uint32_t a2, int32_t delta,
			  uint64_t a64, uint64_t b64, uint32_t *r1)
{
	uint8_t p[PORT_CALL_LEN];
	uint32_t seq = seq_next++;
	ssize_t n = xchg(s, p, enc_call(p, seq, call, name, a1, a2, delta, a64, b64), NULL, 0, NULL);
	expect_op(n, seq, MPD_OP_PORT_CALL);
	assert_true(n >= (ssize_t)(MPD_HEADER_SIZE + MPD_PORT_REPLY));
	assert_int_equal(n, MPD_HEADER_SIZE + MPD_PORT_REPLY + mp_load_le32(rbuf + 16 + 24));
	if (r1 != NULL)
		*r1 = mp_load_le32(rbuf + 20);
	return mp_load_le32(rbuf + 16);
}

static mp_port_name_t allocate(int s, uint32_t right)
{
	uint32_t name = 0;
	assert_int_equal(port_call(s, MPD_CALL_ALLOCATE, 0, right, 0, 0, 0, 0, &name), MP_KERN_SUCCESS);
	assert_true(MP_PORT_VALID(name));
	return name;
}

static uint32_t port_type(int s, mp_port_name_t name, uint32_t *type)
{
	return port_call(s, MPD_CALL_TYPE, name, 0, 0, 0, 0, 0, type);
}

typedef struct msg_reply {
	uint32_t kr, nspans, nmap, ndealloc, flags, tail_len;
	int fd; /* the reply's memfd, or -1 (the caller closes it) */
} msg_reply_t;

/* One MSG that must get a MSG reply. */
static void msg_call(int s, const mpd_msg_args_t *m, const mpd_ool_t *ool, const int *fds, int nfds, msg_reply_t *out)
{
	uint32_t seq = seq_next++;
	size_t len = mpd_encode_msg(pkt, sizeof pkt, seq, m, ool);
	ssize_t n;

	assert_true(len > 0);
	n = xchg(s, pkt, len, fds, nfds, &out->fd);
	expect_op(n, seq, MPD_OP_MSG);
	assert_true(n >= (ssize_t)(MPD_HEADER_SIZE + MPD_MSG_REPLY));
	out->kr = mp_load_le32(rbuf + 16);
	out->nspans = mp_load_le32(rbuf + 20);
	out->nmap = mp_load_le32(rbuf + 24);
	out->ndealloc = mp_load_le32(rbuf + 28);
	out->flags = mp_load_le32(rbuf + 32);
	out->tail_len = mp_load_le32(rbuf + 36);
	if (!(out->flags & MPD_REPLY_IN_FD)) {
		/* and its tail, for the caller's buffer */
		mpd_reply_t r;
		mpd_msg_tail_t t;
		mpd_diag_t d;
		expect_decodes(n, seq, MPD_OP_MSG, &r);
		if (mpd_decode_reply_tail(&r.u.msg, r.u.msg.tail, m->send_size > m->rcv_size ? m->send_size : m->rcv_size,
					  &t, &d) != MPD_OK)
			fail_msg("a MSG reply's tail breaks the protocol: %s at byte %zu: %s", mpd_err_name(d.err),
				 d.offset, d.reason);
	}
}

static void msg_refused(int s, const mpd_msg_args_t *m, const mpd_ool_t *ool, const int *fds, int nfds,
			mpd_err_t err, long offset)
{
	size_t len = mpd_encode_msg(pkt, sizeof pkt, seq_next++, m, ool);
	assert_true(len > 0);
	expect_refused(s, pkt, len, fds, nfds, err, offset);
}

/*
 * The daemon's kernel after a test: CHECK on a fresh connection until every
 * space of the test has ended (the daemon ends a space in the connection's
 * thread after the close, so not at once), then the invariants must hold
 * and no port, set, message or OOL region may be left.
 */
static void kernel_clean(void)
{
	int s = conn();
	double until = now_s() + 3;
	uint32_t rc, spaces, ports, psets, kmsgs, regions, whylen;

	for (;;) {
		uint8_t p[MPD_HEADER_SIZE];
		uint32_t seq = seq_next++;
		ssize_t n = xchg(s, p, mpd_encode_header(p, sizeof p, MPD_OP_CHECK, seq, 0), NULL, 0, NULL);
		expect_op(n, seq, MPD_OP_CHECK);
		assert_true(n >= (ssize_t)(MPD_HEADER_SIZE + MPD_CHECK_REPLY));
		rc = mp_load_le32(rbuf + 16);
		spaces = mp_load_le32(rbuf + 20);
		ports = mp_load_le32(rbuf + 24);
		psets = mp_load_le32(rbuf + 28);
		kmsgs = mp_load_le32(rbuf + 32);
		regions = mp_load_le32(rbuf + 36);
		whylen = mp_load_le32(rbuf + 40);
		assert_int_equal(n, MPD_HEADER_SIZE + MPD_CHECK_REPLY + whylen);
		if (rc != 0)
			fail_msg("the daemon's kernel check failed: %.*s", (int)whylen, (const char *)rbuf + 44);
		if (spaces == 0 && ports == 0 && psets == 0 && kmsgs == 0 && regions == 0)
			break;
		if (now_s() > until)
			fail_msg("left after the test: %u spaces, %u ports, %u sets, %u messages, %u regions", spaces,
				 ports, psets, kmsgs, regions);
		usleep(10000);
	}
	close(s);
}

/* ---- the daemon's descriptors ------------------------------------------------- */

static pid_t daemon_pid(int s)
{
	struct ucred uc;
	socklen_t len = sizeof uc;
	assert_int_equal(getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &len), 0);
	assert_true(uc.pid > 0 && uc.pid != getpid());
	return uc.pid;
}

/* The daemon's open descriptors; *tagged: how many are this test's memfds. */
static int daemon_fds(pid_t pid, int *tagged)
{
	char dir[64], link[256];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (d == NULL)
		fail_msg("%s: %s", dir, strerror(errno));
	*tagged = 0;
	while ((de = readdir(d)) != NULL) {
		ssize_t k;
		if (de->d_name[0] == '.')
			continue;
		n++;
		k = readlinkat(dirfd(d), de->d_name, link, sizeof link - 1);
		if (k > 0) {
			link[k] = '\0';
			if (strstr(link, "memfd:badinput") != NULL)
				(*tagged)++;
		}
	}
	closedir(d);
	return n;
}

/* The daemon's descriptor count once it has stopped changing (connections
 * a previous test closed may still be ending in the daemon). */
static int daemon_fds_settled(pid_t pid)
{
	int tagged, n = daemon_fds(pid, &tagged), same = 0;
	double until = now_s() + 2;
	while (same < 5 && now_s() < until) {
		int m;
		usleep(20000);
		m = daemon_fds(pid, &tagged);
		same = m == n ? same + 1 : 0;
		n = m;
	}
	return n;
}

/* After the test closed its connections: the count must come back to (at
 * most) `before` within 2 s, and none of the test's memfds may be left. */
static void daemon_fds_back(pid_t pid, int before)
{
	double until = now_s() + 2;
	int n, tagged;
	while ((n = daemon_fds(pid, &tagged)) > before || tagged > 0) {
		if (now_s() > until)
			fail_msg("the daemon holds %d descriptors (%d of them this test's memfds), %d before", n, tagged,
				 before);
		usleep(10000);
	}
}

/* A memfd of `size` bytes (a pattern) with `seals`; allow_sealing 0: a
 * memfd that cannot be sealed at all. */
static int make_memfd(uint64_t size, int seals, bool allow_sealing)
{
	int fd = memfd_create("badinput", MFD_CLOEXEC | (allow_sealing ? MFD_ALLOW_SEALING : 0));
	assert_true(fd >= 0);
	for (uint64_t off = 0; off < size; off += 256) {
		uint8_t b[256];
		size_t k = size - off < sizeof b ? (size_t)(size - off) : sizeof b;
		for (size_t i = 0; i < k; i++)
			b[i] = (uint8_t)(off + i);
		assert_int_equal(pwrite(fd, b, k, (off_t)off), (ssize_t)k);
	}
	if (seals)
		assert_int_equal(fcntl(fd, F_ADD_SEALS, seals), 0);
	return fd;
}

/* ---- messages ----------------------------------------------------------------- */

#define OOL_ADDR 0x7f1234560000ull /* the client's address of an OOL region (keys the daemon's window) */

typedef struct mbuf {
	uint8_t b[512];
	uint32_t len;
} mbuf_t;

/* A complex message to `dest` (MAKE_SEND from its receive right). */
static void msg_begin(mbuf_t *m, mp_port_name_t dest, uint32_t ndesc)
{
	memset(m, 0, sizeof *m);
	mp_store_le32(m->b + MP_MSGH_BITS_OFFSET, MP_MSGH_BITS(MP_MSG_TYPE_MAKE_SEND, 0) | MP_MSGH_BITS_COMPLEX);
	mp_store_le32(m->b + MP_MSGH_REMOTE_OFFSET, dest);
	mp_store_le32(m->b + MP_MSGH_ID_OFFSET, 0x4242);
	mp_store_le32(m->b + MP_MSG_DESC_COUNT_OFFSET, ndesc);
	m->len = MP_MSG_BASE_SIZE;
	mp_store_le32(m->b + MP_MSGH_SIZE_OFFSET, m->len);
}

static void msg_port_desc(mbuf_t *m, mp_port_name_t name, uint8_t disp)
{
	uint8_t *d = m->b + m->len;
	mp_store_le32(d, name);
	d[10] = disp;
	d[MP_DESC_TYPE_OFFSET] = MP_MSG_PORT_DESCRIPTOR;
	m->len += MP_PORT_DESC_SIZE;
	mp_store_le32(m->b + MP_MSGH_SIZE_OFFSET, m->len);
}

/* OOL (count = bytes), OOL_VOLATILE, or OOL_PORTS (count = names, MAKE_SEND). */
static void msg_ool_desc(mbuf_t *m, uint8_t type, uint64_t addr, uint32_t count)
{
	uint8_t *d = m->b + m->len;
	mp_store_le64(d, addr);
	d[9] = MP_MSG_PHYSICAL_COPY;
	d[10] = type == MP_MSG_OOL_PORTS_DESCRIPTOR ? MP_MSG_TYPE_MAKE_SEND : 0;
	d[MP_DESC_TYPE_OFFSET] = type;
	mp_store_le32(d + 12, count);
	m->len += MP_WIDE_DESC_SIZE;
	mp_store_le32(m->b + MP_MSGH_SIZE_OFFSET, m->len);
}

static mpd_msg_args_t send_args(const mbuf_t *m, uint32_t nool)
{
	mpd_msg_args_t a;
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT;
	a.send_size = m->len;
	a.nool = nool;
	a.buf_addr = 0x7f0000100000ull;
	a.msg = m->b;
	return a;
}

/* Receives the message queued on `port`: it must carry one OOL region of
 * `size` bytes holding the pattern make_memfd writes at `pattern_off`. A
 * small region comes packed in the reply (MPD_REPLY_OOL_INLINE), a large
 * one in a memfd. */
static void receive_ool(int s, mp_port_name_t port, uint32_t size, uint32_t pattern_off)
{
	mpd_msg_args_t a;
	msg_reply_t r;
	uint8_t *tail = rbuf + MPD_HEADER_SIZE + MPD_MSG_REPLY, got[4096];
	uint64_t off, len, page_off;

	memset(&a, 0, sizeof a);
	a.option = MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT;
	a.rcv_size = 1024;
	a.rcv_name = port;
	msg_call(s, &a, NULL, NULL, 0, &r);
	assert_int_equal(r.kr, MP_MACH_MSG_SUCCESS);
	assert_int_equal(r.nspans, 1);
	assert_int_equal(r.nmap, 1);
	off = mp_load_le64(tail + 8 + 8);
	len = mp_load_le64(tail + 8 + 16);
	page_off = mp_load_le64(tail + 8 + 24);
	assert_int_equal(len, size);
	assert_true(size <= sizeof got);
	if (r.flags == MPD_REPLY_OOL_INLINE) {
		/* after the tables and the span's bytes, packed */
		uint32_t span_len = mp_load_le32(tail + 4);
		const uint8_t *blob = tail + 8 + 32 + 16ull * r.ndealloc + span_len;
		assert_int_equal(r.fd, -1);
		assert_int_equal(off, 0);
		assert_true(blob + size <= rbuf + MPD_HEADER_SIZE + MPD_MSG_REPLY + r.tail_len);
		memcpy(got, blob, size);
	} else {
		assert_int_equal(r.flags, 0);
		assert_true(r.fd >= 0);
		assert_int_equal(pread(r.fd, got, size, (off_t)(off + page_off)), (ssize_t)size);
		close(r.fd);
	}
	for (uint32_t i = 0; i < size; i++)
		if (got[i] != (uint8_t)(pattern_off + i))
			fail_msg("OOL byte %u is %u, sent %u", i, got[i], (uint8_t)(pattern_off + i));
}

/* ---- 1. random packets, random calls ----------------------------------------------- */

/*
 * 2000 packets of random bytes, every other one with a valid magic and
 * version, a random op and (mostly) a body length that matches. The reply
 * the daemon owes is computed with the decoder it uses (mpd_decode_request)
 * and the state of the connection: a refusal with the same rule and offset,
 * or the op's own reply.
 *
 * A packet of 0 bytes: a read of it returns 0 as EOF does; the daemon
 * tells them apart (the peer has not hung up) and refuses it with
 * MPD_E_SHORT at byte 0, keeping the connection and its task.
 */
static void random_packets(void **state)
{
	int s = conn(), zeros = 0, refused = 0, served = 0;
	bool bound = false;
	(void)state;

	rng_state = 0x6d61636870727473ull;
	for (int i = 0; i < 2000; i++) {
		size_t len;
		mpd_request_t r;
		mpd_diag_t d;
		mpd_err_t want;
		uint32_t seq;
		ssize_t n;

		if (i % 400 == 199) {
			/* a zero-length packet: refused, the connection stays */
			assert_int_equal(send_fds(s, NULL, 0, NULL, 0, 0), 0);
			n = recv_reply(s, NULL);
			check_refused(n, 0, MPD_E_SHORT, 0);
			zeros++;
			continue;
		}
		if (i & 1) {
			static const uint32_t bodies[] = { 0, 4, 8, 16, 40, 48, 56, 200 };
			len = rnd_below(2) ? MPD_HEADER_SIZE + (rnd_below(4) ? bodies[rnd_below(8)] : rnd_below(300))
					   : rnd_below(40001);
			rnd_fill(pkt, len);
			if (len >= MPD_HEADER_SIZE) {
				/* one draw per statement: the same packets whatever the compiler's argument order */
				uint32_t body = rnd_below(4) ? (uint32_t)(len - MPD_HEADER_SIZE) : (uint32_t)rnd();
				mpd_op_t op = (mpd_op_t)rnd_below(MPD_OP_LAST + 3);
				mpd_encode_header(pkt, len, op, (uint32_t)rnd(), body);
			} else {
				uint8_t h[4];
				mp_store_le32(h, MPD_MAGIC);
				memcpy(pkt, h, len < 4 ? len : 4);
			}
		} else {
			len = rnd_below(40001);
			rnd_fill(pkt, len);
		}
		if (len == 0)
			continue; /* the zero-length case above covers it */
		seq = pkt_seq(pkt, len);
		want = mpd_decode_request(pkt, len, 0, &r, &d);
		n = xchg(s, pkt, len, NULL, 0, NULL);
		if (want != MPD_OK) {
			check_refused(n, seq, want, (long)d.offset);
			/* the offset points into the packet (or at its end: a missing part) */
			assert_true(mp_load_le32(rbuf + 20) <= (len > MPD_HEADER_SIZE ? len : MPD_HEADER_SIZE));
			refused++;
			continue;
		}
		served++;
		switch (r.op) {
		case MPD_OP_HELLO:
			expect_op(n, seq, MPD_OP_HELLO);
			if (bound)
				assert_int_equal(mp_load_le32(rbuf + 16), MP_KERN_INVALID_ARGUMENT);
			else if (r.u.version == MPD_VERSION)
				assert_int_equal(mp_load_le32(rbuf + 16), MP_KERN_SUCCESS);
			else
				assert_int_equal(mp_load_le32(rbuf + 16), MP_KERN_NOT_SUPPORTED);
			bound = bound || r.u.version == MPD_VERSION;
			break;
		case MPD_OP_ATTACH:
			expect_op(n, seq, MPD_OP_ATTACH);
			assert_int_equal(mp_load_le32(rbuf + 16), bound ? MP_KERN_INVALID_ARGUMENT : MP_KERN_INVALID_TASK);
			break;
		case MPD_OP_CHECK:
			expect_op(n, seq, MPD_OP_CHECK);
			assert_int_equal(mp_load_le32(rbuf + 16), 0);
			break;
		default:
			if (!bound)
				check_refused(n, seq, MPD_E_OP, 4);
			else
				expect_op(n, seq, r.op);
			break;
		}
	}
	print_message("random packets: %d refused, %d served, %d zero-length\n", refused, served, zeros);
	close(s);

	/* the daemon still serves a new client */
	s = conn();
	hello(s, NULL, NULL);
	close(s);
	kernel_clean();
}

/*
 * Well-formed packets with hostile contents on a connection that has a
 * task: random port calls (known and unknown calls, names of its own,
 * forged, NULL and DEAD, random rights, deltas and 64-bit arguments) and
 * random messages (random headers and descriptors, sizes, receive buffers
 * too small, trailer requests), none of which may block (timeouts of 0).
 * Every one gets its op's reply, or the refusal the decoder predicts; the
 * task's death afterwards leaves the kernel clean.
 */
static void random_calls(void **state)
{
	static const uint32_t opts[] = { MP_MACH_SEND_MSG, MP_MACH_RCV_MSG, MP_MACH_SEND_MSG | MP_MACH_RCV_MSG };
	int s = conn();
	mp_port_name_t pool[8];
	uint32_t kinds[3] = { 0 }, ok = 0;
	(void)state;

	hello(s, NULL, NULL);
	pool[0] = allocate(s, MP_PORT_RIGHT_RECEIVE);
	pool[1] = allocate(s, MP_PORT_RIGHT_RECEIVE);
	pool[2] = allocate(s, MP_PORT_RIGHT_PORT_SET);
	pool[3] = allocate(s, MP_PORT_RIGHT_DEAD_NAME);
	pool[4] = MP_PORT_NULL;
	pool[5] = MP_PORT_DEAD;
	pool[6] = pool[0] ^ 0x100; /* a neighbour's index */
	pool[7] = pool[1] + 4;     /* a later generation */
	rng_state = 0x72617763616c6cull;
	for (int i = 0; i < 1500; i++) {
		uint32_t seq = seq_next++, op;
		size_t len;
		mpd_request_t r;
		mpd_diag_t d;
		mpd_err_t want;
		ssize_t n;
		int fd;

		if (rnd_below(2)) {
			mpd_port_call_t c;
			c.call = rnd_below(MPD_CALL_LAST + 3);
			c.name = rnd_below(4) ? pool[rnd_below(8)] : (uint32_t)rnd();
			c.a1 = rnd_below(3) ? rnd_below(26) : (rnd_below(2) ? pool[rnd_below(8)] : (uint32_t)rnd());
			c.a2 = rnd_below(3) ? rnd_below(26) : (uint32_t)rnd();
			c.delta = rnd_below(3) ? (int32_t)rnd_below(7) - 3 : (int32_t)rnd();
			c.a64 = rnd_below(2) ? rnd_below(4) : rnd();
			c.b64 = rnd_below(2) ? rnd_below(4) : rnd();
			len = mpd_encode_port_call(pkt, sizeof pkt, seq, &c);
		} else {
			mpd_msg_args_t a;
			uint8_t msg[256];
			memset(&a, 0, sizeof a);
			a.option = opts[rnd_below(3)] | MP_MACH_SEND_TIMEOUT | MP_MACH_RCV_TIMEOUT;
			if (rnd_below(2))
				a.option |= (uint32_t)rnd() & (MP_MACH_RCV_LARGE | MP_MACH_RCV_LARGE_IDENTITY | 0xff000000u);
			a.send_size = (a.option & MP_MACH_SEND_MSG) ? (rnd_below(4) ? 4 * rnd_below(48) : rnd_below(200)) : 0;
			a.rcv_size = rnd_below(4) ? rnd_below(300) : 4096;
			a.rcv_name = pool[rnd_below(8)];
			a.buf_addr = rnd();
			rnd_fill(msg, sizeof msg);
			/* a header the kernel gets past often: dispositions, names and a small descriptor count */
			mp_store_le32(msg + MP_MSGH_BITS_OFFSET,
				      (uint32_t)(rnd_below(32) | (rnd_below(32) << 8)) | (rnd_below(2) ? MP_MSGH_BITS_COMPLEX : 0));
			mp_store_le32(msg + MP_MSGH_REMOTE_OFFSET, pool[rnd_below(8)]);
			mp_store_le32(msg + MP_MSGH_LOCAL_OFFSET, pool[rnd_below(8)]);
			mp_store_le32(msg + MP_MSGH_VOUCHER_OFFSET, rnd_below(4) ? 0 : pool[rnd_below(8)]);
			mp_store_le32(msg + MP_MSG_DESC_COUNT_OFFSET, rnd_below(4));
			for (int k = 0; k < 4; k++) {
				uint8_t *dk = msg + MP_MSG_BASE_SIZE + MP_PORT_DESC_SIZE * k;
				dk[MP_DESC_TYPE_OFFSET] = (uint8_t)rnd_below(6); /* descriptor types, 5 unknown */
				dk[10] = (uint8_t)(16 + rnd_below(8));            /* dispositions */
			}
			a.msg = msg;
			len = mpd_encode_msg(pkt, sizeof pkt, seq, &a, NULL);
		}
		assert_true(len > 0);
		op = mp_load_le32(pkt + 4) & 0xffff;
		want = mpd_decode_request(pkt, len, 0, &r, &d);
		n = xchg(s, pkt, len, NULL, 0, &fd);
		if (fd >= 0)
			close(fd); /* OOL memory received */
		if (want != MPD_OK) {
			check_refused(n, seq, want, (long)d.offset);
			kinds[2]++;
			continue;
		}
		expect_op(n, seq, op);
		kinds[op == MPD_OP_MSG]++;
		ok += mp_load_le32(rbuf + 16) == MP_KERN_SUCCESS;
	}
	print_message("random calls: %u port calls, %u messages (%u of all succeeded), %u refused\n", kinds[0],
		      kinds[1], ok, kinds[2]);
	/* the task still works (its own ports may all be gone by now) */
	allocate(s, MP_PORT_RIGHT_RECEIVE);
	close(s);
	kernel_clean();
}

/* ---- 2. truncated requests -------------------------------------------------------- */

/*
 * Valid requests cut at every length. As cut, the header's body length no
 * longer matches: MPD_E_SHORT at 0 below a header, else MPD_E_LENGTH at 12
 * (the length field). With the length field made to match the cut, the
 * op's own rule: its arguments are short (MPD_E_SHORT at 16, where they
 * start), or for MSG, past its 40 bytes of arguments, the body is not what
 * they promise (MPD_E_LENGTH at 16). A REGISTER cut inside its service name
 * is a valid REGISTER of a shorter name: on this connection, which never
 * said HELLO, MPD_E_OP at 4. A MSG carries its memfd every time: the
 * daemon must close it with each refusal.
 */
static void truncated(void **state)
{
	uint8_t full[5][256], cut[256];
	size_t flen[5];
	static const char name[] = "badinput.test";
	mbuf_t m;
	mpd_ool_t ool[2] = { { 0, 100 }, { 1, 20 } };
	mpd_msg_args_t a;
	int s = conn(), memfd = make_memfd(4096, F_SEAL_SHRINK, true);
	pid_t pid = daemon_pid(s);
	int before = daemon_fds_settled(pid);
	(void)state;

	flen[0] = mpd_encode_header(full[0], sizeof full[0], MPD_OP_HELLO, 11, 4);
	mp_store_le32(full[0] + flen[0], MPD_VERSION);
	flen[0] += 4;
	flen[1] = mpd_encode_attach(full[1], sizeof full[1], 12, 1, 0x1122334455667788ull);
	flen[2] = enc_call(full[2], 13, MPD_CALL_MOD_REFS, 0x103, MP_PORT_RIGHT_SEND, 0, 1, 0, 0);
	flen[3] = mpd_encode_service(full[3], sizeof full[3], MPD_OP_REGISTER, 14, 0x103, MP_MSG_TYPE_MAKE_SEND, name,
				     sizeof name - 1);
	msg_begin(&m, 0x103, 2);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR + 4096, 20);
	a = send_args(&m, 2);
	flen[4] = mpd_encode_msg(full[4], sizeof full[4], 15, &a, ool);
	assert_int_equal(flen[4], MPD_HEADER_SIZE + MPD_MSG_ARGS + 16 + m.len);

	for (int k = 0; k < 5; k++) {
		uint32_t op = mp_load_le32(full[k] + 4) & 0xffff;
		int nfds = op == MPD_OP_MSG;
		for (size_t len = 1; len < flen[k]; len++) {
			uint32_t body;
			memcpy(cut, full[k], len);
			if (len < MPD_HEADER_SIZE) {
				expect_refused(s, cut, len, &memfd, nfds, MPD_E_SHORT, 0);
				continue;
			}
			expect_refused(s, cut, len, &memfd, nfds, MPD_E_LENGTH, 12);
			body = (uint32_t)(len - MPD_HEADER_SIZE);
			mp_store_le32(cut + 12, body);
			if (op == MPD_OP_REGISTER && body > 8)
				expect_refused(s, cut, len, &memfd, nfds, MPD_E_OP, 4);
			else if (op == MPD_OP_MSG && body >= MPD_MSG_ARGS)
				expect_refused(s, cut, len, &memfd, nfds, MPD_E_LENGTH, 16);
			else
				expect_refused(s, cut, len, &memfd, nfds, MPD_E_SHORT, 16);
		}
	}
	close(s);

	/* the uncut requests are good ones: the ops' own replies (after a
	 * HELLO: ATTACH on a bound connection, and no port 0x103 in the space) */
	s = conn();
	hello(s, NULL, NULL);
	for (int k = 1; k < 5; k++) {
		static const uint32_t kr[5] = { 0, MP_KERN_INVALID_ARGUMENT, MP_KERN_INVALID_NAME, MP_KERN_INVALID_NAME,
						MP_MACH_SEND_INVALID_DEST };
		uint32_t op = mp_load_le32(full[k] + 4) & 0xffff;
		ssize_t n = xchg(s, full[k], flen[k], &memfd, op == MPD_OP_MSG, NULL);
		expect_op(n, pkt_seq(full[k], flen[k]), op);
		assert_int_equal(mp_load_le32(rbuf + 16), kr[k]);
	}
	close(s);
	close(memfd);
	daemon_fds_back(pid, before);
	kernel_clean();
}

/* ---- 3. oversized ------------------------------------------------------------------ */

/*
 * Packets over MPD_MAX_PACKET: the daemon reads only a header's worth
 * (MSG_TRUNC tells it the real size) and refuses with MPD_E_TOO_LARGE; the
 * connection stays in step. A packet of exactly MPD_MAX_PACKET (a MSG with
 * a full OOL table and a full inline message) is not too large: it is
 * refused only for its missing memfd. Then the MSG arguments' own limits.
 */
static void oversized(void **state)
{
	static const size_t sizes[] = { MPD_MAX_PACKET + 1, 65536, 300000, MPD_MAX_PACKET + 4000 };
	static mpd_ool_t ool[MPD_MAX_OOL + 1];
	static uint8_t msg[MPD_INLINE_MAX + 1];
	int s = conn(), sz = 1 << 20;
	uint8_t *big = malloc(300000);
	mpd_msg_args_t a;
	(void)state;

	assert_non_null(big);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz), 0);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		memset(big, 0xa5, sizes[i]);
		mpd_encode_header(big, sizes[i], i & 1 ? MPD_OP_MSG : MPD_OP_CHECK, 0x5eed0000u + (uint32_t)i,
				  (uint32_t)(sizes[i] - MPD_HEADER_SIZE));
		expect_refused(s, big, sizes[i], NULL, 0, MPD_E_TOO_LARGE, 0);
	}
	/* random bytes too: the seq echoed is whatever bytes 8..11 were */
	rng_state = 0x0b16b16b16ull;
	rnd_fill(big, 100000);
	expect_refused(s, big, 100000, NULL, 0, MPD_E_TOO_LARGE, 0);
	free(big);

	/* exactly MPD_MAX_PACKET: a mach_msg2 vector send with the most aux data */
	for (uint32_t i = 0; i < MPD_MAX_OOL + 1; i++)
		ool[i] = (mpd_ool_t){ i, 1 };
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_SEND_MSG;
	a.send_size = MPD_INLINE_MAX;
	a.nool = MPD_MAX_OOL;
	a.msg = msg;
	a.flags = MPD_MSG_MSG2;
	a.msg2.vflags = MPD_MSG2_VECTOR;
	a.msg2.vec_snd_count = MP_MACH_MSGV_MAX_COUNT;
	a.msg2.msg_vec_send_size = MPD_INLINE_MAX;
	a.msg2.aux_send_size = MP_MAX_AUX_DATA_SPACE;
	a.aux = msg;
	assert_int_equal(mpd_encode_msg(pkt, sizeof pkt, 77, &a, ool), MPD_MAX_PACKET);
	expect_refused(s, pkt, MPD_MAX_PACKET, NULL, 0, MPD_E_FDS, 0);
	/* one region more: too many regions (the decoder's rule, not the size's) */
	a.nool = MPD_MAX_OOL + 1;
	a.send_size = 0;
	msg_refused(s, &a, ool, NULL, 0, MPD_E_OOL_TABLE, MPD_HEADER_SIZE + 20);

	/* the MSG arguments' limits, each just over and at the limit */
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_SEND_MSG;
	a.flags = MPD_MSG_IN_FD;
	a.send_size = MP_MAX_SEND_SIZE + 1;
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4);
	a.send_size = UINT32_MAX;
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4);
	a.send_size = MP_MAX_SEND_SIZE; /* allowed: then it needs its memfd */
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_FDS, 0);
	a.flags = 0;
	a.send_size = MPD_INLINE_MAX + 1; /* in the packet: at most MPD_INLINE_MAX */
	a.msg = msg;
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4);
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_RCV_MSG;
	a.rcv_name = 0x103;
	a.rcv_size = MPD_MAX_RCV_SIZE + 1;
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 8);
	a.rcv_size = UINT32_MAX;
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 8);
	a.rcv_size = MPD_MAX_RCV_SIZE; /* allowed: refused only because this connection has no task */
	msg_refused(s, &a, NULL, NULL, 0, MPD_E_OP, 4);

	/* still in step: a HELLO gets its own reply */
	hello(s, NULL, NULL);
	close(s);
	kernel_clean();
}

/* ---- 4. descriptor floods -------------------------------------------------------------- */

/*
 * 300 packets with 10 descriptors each (more than the daemon's 4: Linux
 * closes the rest on its side, the daemon closes the 4 it got), of every
 * kind: MPD_E_FDS, before anything else is looked at (except the size: an
 * oversized packet is MPD_E_TOO_LARGE). Then requests that take no
 * descriptor with one (a memfd of this test's, to spot a leak by name),
 * and a MSG with two. Afterwards the daemon holds no more descriptors than
 * before. A zero-length packet with descriptors is refused (see
 * random_packets); its descriptors must go too.
 */
static void fd_flood(void **state)
{
	int s0 = conn(), s, nulls[10], memfd = make_memfd(4096, F_SEAL_SHRINK, true), two[2];
	pid_t pid = daemon_pid(s0);
	int before = daemon_fds_settled(pid); /* with s0 open */
	uint8_t p[512];
	size_t len;
	mpd_msg_args_t a;
	mpd_ool_t ool = { 0, 100 };
	mbuf_t m;
	static uint8_t big[MPD_MAX_PACKET + 100];
	(void)state;

	s = conn();
	hello(s, NULL, NULL);
	for (int i = 0; i < 10; i++) {
		nulls[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		assert_true(nulls[i] >= 0);
	}
	msg_begin(&m, 0x103, 1);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	rng_state = 0xf100d;
	for (int i = 0; i < 300; i++) {
		uint32_t seq = seq_next++;
		switch (i % 6) {
		case 0:
			len = mpd_encode_header(p, sizeof p, MPD_OP_CHECK, seq, 0);
			break;
		case 1:
			len = mpd_encode_header(p, sizeof p, MPD_OP_HELLO, seq, 4);
			mp_store_le32(p + len, MPD_VERSION);
			len += 4;
			break;
		case 2:
			len = enc_call(p, seq, MPD_CALL_ALLOCATE, 0, MP_PORT_RIGHT_RECEIVE, 0, 0, 0, 0);
			break;
		case 3:
			a = send_args(&m, 1);
			len = mpd_encode_msg(p, sizeof p, seq, &a, &ool);
			break;
		case 4:
			len = 16 + rnd_below(400);
			rnd_fill(p, len);
			break;
		default:
			len = mpd_encode_attach(p, sizeof p, seq, 1, 2);
			break;
		}
		if (i % 50 == 49) {
			/* too large and with descriptors: the size is the first rule */
			mpd_encode_header(big, sizeof big, MPD_OP_CHECK, seq, (uint32_t)(sizeof big - 16));
			expect_refused(s, big, sizeof big, nulls, 10, MPD_E_TOO_LARGE, 0);
			continue;
		}
		expect_refused(s, p, len, nulls, 10, MPD_E_FDS, 0);
	}
	/* one descriptor with requests that take none */
	for (int i = 0; i < 100; i++) {
		len = enc_call(p, seq_next++, MPD_CALL_ALLOCATE, 0, MP_PORT_RIGHT_RECEIVE, 0, 0, 0, 0);
		expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	}
	len = mpd_encode_header(p, sizeof p, MPD_OP_CHECK, seq_next++, 0);
	expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	len = mpd_encode_attach(p, sizeof p, seq_next++, 1, 2);
	expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	len = mpd_encode_service(p, sizeof p, MPD_OP_REGISTER, seq_next++, 0x103, MP_MSG_TYPE_MAKE_SEND, "x", 1);
	expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	len = mpd_encode_service(p, sizeof p, MPD_OP_LOOK_UP, seq_next++, 0, 0, "x", 1);
	expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	a = send_args(&m, 0); /* no OOL table: no memfd wanted */
	len = mpd_encode_msg(p, sizeof p, seq_next++, &a, NULL);
	expect_refused(s, p, len, &memfd, 1, MPD_E_FDS, 0);
	/* an OOL table wants exactly one */
	two[0] = two[1] = memfd;
	a = send_args(&m, 1);
	len = mpd_encode_msg(p, sizeof p, seq_next++, &a, &ool);
	expect_refused(s, p, len, two, 2, MPD_E_FDS, 0);
	/* the connection still works: a port, and the space's task survives */
	allocate(s, MP_PORT_RIGHT_RECEIVE);
	close(s);

	/* a zero-length packet with descriptors: refused, the descriptors closed */
	s = conn();
	assert_int_equal(send_fds(s, NULL, 0, nulls, 10, 0), 0);
	check_refused(recv_reply(s, NULL), 0, MPD_E_SHORT, 0);
	close(s);

	for (int i = 0; i < 10; i++)
		close(nulls[i]);
	close(memfd);
	daemon_fds_back(pid, before);
	close(s0);
	kernel_clean();
}

/* ---- 5. bad memfds ---------------------------------------------------------------------- */

/*
 * A MSG with an OOL table needs one memfd sealed against shrinking (else the
 * client could truncate it under the daemon's mapping: SIGBUS) that holds
 * what the table promises. A pipe, a memfd that cannot be sealed, one not
 * sealed, one sealed otherwise, one too small, /dev/null, a socket: each
 * MPD_E_FDS. The good memfd, last, must deliver the region's bytes.
 */
static void bad_memfds(void **state)
{
	int s = conn(), pfd[2], sp[2], bad[12], nbad = 0, good;
	pid_t pid = daemon_pid(s);
	int before = daemon_fds_settled(pid);
	mpd_ool_t ool = { 0, 100 };
	mpd_msg_args_t a;
	msg_reply_t r;
	mbuf_t m;
	mp_port_name_t port;
	(void)state;

	/* a MSG on a connection that has no task */
	good = make_memfd(100, F_SEAL_SHRINK, true);
	msg_begin(&m, 0x103, 1);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	a = send_args(&m, 1);
	msg_refused(s, &a, &ool, &good, 1, MPD_E_OP, 4);

	hello(s, NULL, NULL);
	port = allocate(s, MP_PORT_RIGHT_RECEIVE);
	msg_begin(&m, port, 1);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	a = send_args(&m, 1);

	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
	bad[nbad++] = pfd[0];
	bad[nbad++] = pfd[1];
	bad[nbad++] = make_memfd(100, 0, false);                          /* cannot be sealed */
	bad[nbad++] = make_memfd(100, 0, true);                           /* not sealed */
	bad[nbad++] = make_memfd(100, F_SEAL_GROW | F_SEAL_WRITE, true);  /* sealed, but may shrink */
	bad[nbad++] = make_memfd(100, F_SEAL_SEAL, true);                 /* no more seals, none of them SHRINK */
	bad[nbad++] = make_memfd(50, F_SEAL_SHRINK, true);                /* smaller than the table */
	bad[nbad++] = make_memfd(99, F_SEAL_SHRINK | F_SEAL_GROW, true);  /* one byte short */
	bad[nbad++] = make_memfd(0, F_SEAL_SHRINK, true);                 /* empty */
	bad[nbad++] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bad[nbad++] = sp[0];
	assert_true(bad[nbad - 2] >= 0);
	for (int i = 0; i < nbad; i++)
		msg_refused(s, &a, &ool, &bad[i], 1, MPD_E_FDS, 0);

	/* the message in the memfd after the region: the memfd must hold both */
	a.flags = MPD_MSG_IN_FD;
	msg_refused(s, &a, &ool, &good, 1, MPD_E_FDS, 0);
	msg_refused(s, &a, &ool, &bad[6], 1, MPD_E_FDS, 0);
	/* the good memfd: sent, and the region arrives */
	a = send_args(&m, 1);
	msg_call(s, &a, &ool, &good, 1, &r);
	assert_int_equal(r.kr, MP_MACH_MSG_SUCCESS);
	assert_int_equal(r.fd, -1);
	receive_ool(s, port, 100, 0);
	/* and the message itself in a memfd: region bytes 0..99, then the message */
	{
		int both = memfd_create("badinput", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		uint8_t region[100];
		assert_true(both >= 0);
		for (int i = 0; i < 100; i++)
			region[i] = (uint8_t)(i + 7);
		assert_int_equal(pwrite(both, region, 100, 0), 100);
		assert_int_equal(pwrite(both, m.b, m.len, 100), (ssize_t)m.len);
		assert_int_equal(fcntl(both, F_ADD_SEALS, F_SEAL_SHRINK), 0);
		a.flags = MPD_MSG_IN_FD;
		msg_call(s, &a, &ool, &both, 1, &r);
		assert_int_equal(r.kr, MP_MACH_MSG_SUCCESS);
		receive_ool(s, port, 100, 7);
		close(both);
	}

	for (int i = 0; i < nbad; i++)
		close(bad[i]);
	close(sp[1]);
	close(good);
	close(s);
	daemon_fds_back(pid, before);
	kernel_clean();
}

/* ---- 6. OOL tables that do not match the message ------------------------------------------ */

/*
 * Table entry i names descriptor desc_index and its byte size; the daemon
 * checks it against the message's descriptors (MPD_E_OOL_TABLE at the
 * entry's offset): a port descriptor, a size off by one, an OOL_PORTS size
 * in names instead of bytes, an index past the descriptors, a message that
 * is not complex, a descriptor the send size cuts off, a receive-only MSG.
 * And the decoder's own table rules (order, zero size). The matching table
 * is sent last and the region must arrive.
 */
static void ool_table_mismatch(void **state)
{
	int s = conn(), memfd = make_memfd(8192, F_SEAL_SHRINK, true);
	const long e0 = MPD_HEADER_SIZE + MPD_MSG_ARGS, e1 = e0 + 8;
	pid_t pid = daemon_pid(s);
	int before = daemon_fds_settled(pid);
	mpd_ool_t ool[2];
	mpd_msg_args_t a;
	msg_reply_t r;
	mbuf_t m;
	mp_port_name_t port;
	(void)state;

	hello(s, NULL, NULL);
	port = allocate(s, MP_PORT_RIGHT_RECEIVE);

	/* descriptor 0 a port, 1 an OOL region of 100 bytes */
	msg_begin(&m, port, 2);
	msg_port_desc(&m, port, MP_MSG_TYPE_MAKE_SEND);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	a = send_args(&m, 1);
	ool[0] = (mpd_ool_t){ 0, 12 }; /* the port descriptor */
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);
	ool[0] = (mpd_ool_t){ 1, 99 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);
	ool[0] = (mpd_ool_t){ 1, 101 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);
	ool[0] = (mpd_ool_t){ 2, 100 }; /* past the last descriptor */
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);
	ool[0] = (mpd_ool_t){ 0xffffffffu, 100 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);
	a = send_args(&m, 2);
	ool[0] = (mpd_ool_t){ 1, 100 };
	ool[1] = (mpd_ool_t){ 2, 100 }; /* the first entry right, the second past the end */
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e1);
	ool[1] = (mpd_ool_t){ 1, 100 }; /* the same descriptor twice: the decoder's order rule */
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e1);
	ool[0] = (mpd_ool_t){ 1, 0 }; /* zero-sized */
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);

	/* the send size cuts descriptor 1 off (the count still says 2) */
	a = send_args(&m, 1);
	a.send_size = m.len - MP_WIDE_DESC_SIZE;
	ool[0] = (mpd_ool_t){ 1, 100 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);

	/* an OOL_PORTS descriptor of 3 names is 12 bytes, not 3 */
	msg_begin(&m, port, 1);
	msg_ool_desc(&m, MP_MSG_OOL_PORTS_DESCRIPTOR, OOL_ADDR, 3);
	a = send_args(&m, 1);
	ool[0] = (mpd_ool_t){ 0, 3 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);

	/* not complex: no descriptors at all, whatever the bytes after the header */
	msg_begin(&m, port, 1);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	mp_store_le32(m.b, MP_MSGH_BITS(MP_MSG_TYPE_MAKE_SEND, 0));
	a = send_args(&m, 1);
	ool[0] = (mpd_ool_t){ 0, 100 };
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);

	/* a receive-only MSG sends no descriptors */
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT;
	a.rcv_size = 1024;
	a.rcv_name = port;
	a.nool = 1;
	msg_refused(s, &a, ool, &memfd, 1, MPD_E_OOL_TABLE, e0);

	/* the matching tables: a port and a region (index 1), then the region alone */
	msg_begin(&m, port, 2);
	msg_port_desc(&m, port, MP_MSG_TYPE_MAKE_SEND);
	msg_ool_desc(&m, MP_MSG_OOL_DESCRIPTOR, OOL_ADDR, 100);
	a = send_args(&m, 1);
	ool[0] = (mpd_ool_t){ 1, 100 };
	msg_call(s, &a, ool, &memfd, 1, &r);
	assert_int_equal(r.kr, MP_MACH_MSG_SUCCESS);
	receive_ool(s, port, 100, 0);
	close(memfd);
	close(s);
	daemon_fds_back(pid, before);
	kernel_clean();
}

/* ---- 7. a client that never reads ------------------------------------------------------------ */

/*
 * The client says HELLO, then writes CHECK requests without reading the
 * replies until its writes stay blocked: the daemon's replies have filled
 * its socket buffer and its thread waits in sendmsg, so it reads no more.
 * Another client must be served promptly meanwhile (a thread per
 * connection); after the send timeout (--send-timeout 2, from BUILD) the
 * daemon drops the flooding connection: what it had sent can still be read,
 * in order, then EOF or ECONNRESET, and fewer replies than requests.
 */
static void never_reads(void **state)
{
	int f = conn(), g, flags;
	uint8_t p[MPD_HEADER_SIZE];
	uint32_t first, sent = 0, got = 0, name = 0, type = 0;
	double stuck = 0, t0, until;
	bool reset = false;
	struct pollfd pf;
	ssize_t n;
	(void)state;

	hello(f, NULL, NULL);
	first = seq_next;
	flags = fcntl(f, F_GETFL);
	assert_int_equal(fcntl(f, F_SETFL, flags | O_NONBLOCK), 0);
	until = now_s() + 20;
	for (;;) {
		mpd_encode_header(p, sizeof p, MPD_OP_CHECK, first + sent, 0);
		n = send_fds(f, p, sizeof p, NULL, 0, MSG_DONTWAIT);
		if (n == (ssize_t)sizeof p) {
			sent++;
			continue;
		}
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			fail_msg("flooding: send %zd: %s", n, strerror(errno));
		/* blocked; still blocked after 300 ms: the daemon stopped reading */
		pf = (struct pollfd){ f, POLLOUT, 0 };
		if (poll(&pf, 1, 300) == 0) {
			stuck = now_s();
			break;
		}
		if (pf.revents & (POLLHUP | POLLERR))
			fail_msg("the connection ended while the daemon was still reading it (%u requests)", sent);
		if (now_s() > until)
			fail_msg("%u requests, and the daemon still reads them all", sent);
	}
	seq_next = first + sent;
	print_message("never_reads: %u requests written before the daemon stopped reading\n", sent);

	/* another client meanwhile */
	t0 = now_s();
	g = conn();
	hello(g, NULL, NULL);
	assert_int_equal(port_call(g, MPD_CALL_ALLOCATE, 0, MP_PORT_RIGHT_RECEIVE, 0, 0, 0, 0, &name), MP_KERN_SUCCESS);
	if (now_s() - t0 >= 1.0)
		fail_msg("another client waited %.2f s for HELLO and ALLOCATE", now_s() - t0);

	/* the daemon gives up on the flooding connection (without our reading) */
	pf = (struct pollfd){ f, POLLRDHUP, 0 };
	while (poll(&pf, 1, 100) == 0 || !(pf.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
		if (now_s() - stuck > 10)
			fail_msg("the daemon did not drop a client that stopped reading within 10 s");
	}
	print_message("never_reads: dropped %.1f s after the writes blocked\n", now_s() - stuck);
	assert_int_equal(fcntl(f, F_SETFL, flags), 0);
	for (;;) {
		n = recv_reply(f, NULL);
		if (n == 0)
			break;
		if (n < 0 && errno == ECONNRESET && !reset) {
			/* Linux reports the reset (the daemon closed with our
			 * requests unread) once, before the queued replies */
			reset = true;
			continue;
		}
		if (n < 0)
			fail_msg("draining: %s", strerror(errno));
		expect_op(n, first + got, MPD_OP_CHECK);
		assert_int_equal(mp_load_le32(rbuf + 16), 0);
		got++;
	}
	print_message("never_reads: %u replies read after the drop%s\n", got, reset ? " and ECONNRESET" : "");
	assert_true(got < sent);
	close(f);

	/* the other client is still served */
	assert_int_equal(port_type(g, name, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_RECEIVE);
	close(g);
	kernel_clean();
}

/* ---- 8. names and tasks that are not the caller's --------------------------------------------- */

/* In a forked child (another pid): ATTACH to the parent's space with its
 * real id and token, then a PORT_CALL. Exit status: the ATTACH kr, or
 * 100+ if something else went wrong (no cmocka in the child). */
static void child_attach(uint64_t id, uint64_t token)
{
	uint8_t p[PORT_CALL_LEN];
	int s = try_connect(), flags;
	ssize_t n;
	uint32_t kr;

	if (s < 0)
		_exit(100);
	if (send_fds(s, p, mpd_encode_attach(p, sizeof p, 1, id, token), NULL, 0, 0) != MPD_HEADER_SIZE + 16)
		_exit(101);
	n = recv_raw(s, NULL, &flags);
	if (n != MPD_HEADER_SIZE + 4 || (mp_load_le32(rbuf + 4) & 0xffff) != MPD_OP_ATTACH)
		_exit(102);
	kr = mp_load_le32(rbuf + 16);
	/* unbound (or bound, if ATTACH was wrongly granted) */
	mpd_port_call_t c = { MPD_CALL_TYPE, 0x103, 0, 0, 0, 0, 0 };
	if (send_fds(s, p, mpd_encode_port_call(p, sizeof p, 2, &c), NULL, 0, 0) != PORT_CALL_LEN)
		_exit(103);
	n = recv_raw(s, NULL, &flags);
	if (kr == MP_KERN_INVALID_TASK &&
	    (n < 24 || (mp_load_le32(rbuf + 4) & 0xffff) != MPD_OP_REFUSED || mp_load_le32(rbuf + 16) != MPD_E_OP))
		_exit(104);
	close(s);
	_exit((int)(kr & 0xff));
}

/*
 * Names are looked up in the caller's space only, so a name never
 * allocated, another task's name, and a stale name are KERN_INVALID_NAME.
 * A further connection joins a task only from the task's own process with
 * its token (KERN_INVALID_TASK otherwise), and a connection is bound once
 * (KERN_INVALID_ARGUMENT). insert_right/extract_right reach another task
 * only with its {id, token}; after the task's death not even with them.
 * Task death wakes the task's other connections blocked in mach_msg.
 */
static void security(void **state)
{
	static const mp_port_name_t never[] = { 0x103, 0x1234503, 0xfffffe03, 0x7fffff07, 0x100 };
	static const uint32_t calls[] = { MPD_CALL_TYPE, MPD_CALL_DEALLOCATE, MPD_CALL_DESTROY, MPD_CALL_GET_REFS,
					  MPD_CALL_MOD_REFS, MPD_CALL_GET_STATUS, MPD_CALL_SET_QLIMIT };
	int a = conn(), b = conn(), a2 = conn(), a3, status;
	uint64_t ida, toka, idb, tokb;
	mp_port_name_t ra, rb, d, r2, got;
	uint32_t type;
	pid_t child;
	mpd_msg_args_t m;
	uint8_t p[256];
	uint32_t seq;
	ssize_t n;
	(void)state;

	hello(a, &ida, &toka);
	hello(b, &idb, &tokb);
	assert_true(ida != idb && toka != tokb);
	/* a second HELLO on a bound connection */
	assert_int_equal(hello_ex(a, MPD_VERSION, NULL, NULL), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(mp_load_le64(rbuf + 24), 0); /* and no task's id or token in its reply */
	assert_int_equal(mp_load_le64(rbuf + 32), 0);

	/* names never allocated */
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		for (size_t k = 0; k < sizeof calls / sizeof calls[0]; k++)
			if (port_call(b, calls[k], never[i], MP_PORT_RIGHT_SEND, 0, 1, 0, 0, NULL) != MP_KERN_INVALID_NAME)
				fail_msg("call %u on name 0x%x never allocated: kr %u, not KERN_INVALID_NAME", calls[k],
					 never[i], mp_load_le32(rbuf + 16));

	/* another task's name */
	ra = allocate(a, MP_PORT_RIGHT_RECEIVE);
	assert_int_equal(port_type(b, ra, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(port_call(b, MPD_CALL_MOD_REFS, ra, MP_PORT_RIGHT_RECEIVE, 0, -1, 0, 0, NULL),
			 MP_KERN_INVALID_NAME);
	assert_int_equal(port_call(b, MPD_CALL_DESTROY, ra, 0, 0, 0, 0, 0, NULL), MP_KERN_INVALID_NAME);
	assert_int_equal(port_type(a, ra, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_RECEIVE);

	/* stale names: deallocated, destroyed, and the slot used again */
	d = allocate(b, MP_PORT_RIGHT_DEAD_NAME);
	assert_int_equal(port_call(b, MPD_CALL_DEALLOCATE, d, 0, 0, 0, 0, 0, NULL), MP_KERN_SUCCESS);
	assert_int_equal(port_type(b, d, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(port_call(b, MPD_CALL_DEALLOCATE, d, 0, 0, 0, 0, 0, NULL), MP_KERN_INVALID_NAME);
	rb = allocate(b, MP_PORT_RIGHT_RECEIVE);
	assert_int_equal(port_call(b, MPD_CALL_MOD_REFS, rb, MP_PORT_RIGHT_RECEIVE, 0, -1, 0, 0, NULL), MP_KERN_SUCCESS);
	assert_int_equal(port_type(b, rb, &type), MP_KERN_INVALID_NAME);
	r2 = allocate(b, MP_PORT_RIGHT_RECEIVE);
	assert_true(r2 != rb && r2 != d);
	assert_int_equal(port_type(b, rb, &type), MP_KERN_INVALID_NAME);
	assert_int_equal(port_type(b, d, &type), MP_KERN_INVALID_NAME);

	/* ATTACH: a wrong token, another task's token, a task that does not exist */
	assert_int_equal(attach(a2, ida, toka ^ 1), MP_KERN_INVALID_TASK);
	assert_int_equal(attach(a2, ida, toka ^ (1ull << 63)), MP_KERN_INVALID_TASK);
	assert_int_equal(attach(a2, ida, tokb), MP_KERN_INVALID_TASK);
	assert_int_equal(attach(a2, idb + ida + 1000, toka), MP_KERN_INVALID_TASK);
	assert_int_equal(attach(a2, 0, 0), MP_KERN_INVALID_TASK);
	/* still unbound after all that */
	n = xchg(a2, p, enc_call(p, seq = seq_next++, MPD_CALL_TYPE, ra, 0, 0, 0, 0, 0), NULL, 0, NULL);
	check_refused(n, seq, MPD_E_OP, 4);

	/* the right id and token, from another process: only the owner may attach */
	child = fork();
	assert_true(child >= 0);
	if (child == 0)
		child_attach(ida, toka);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != MP_KERN_INVALID_TASK)
		fail_msg("a child process's ATTACH with the right token: exit %d (kr, or 100+: an error)",
			 WEXITSTATUS(status));

	/* from this process: granted, the same space, and bound once */
	assert_int_equal(attach(a2, ida, toka), MP_KERN_SUCCESS);
	assert_int_equal(port_type(a2, ra, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_RECEIVE);
	assert_int_equal(attach(a2, ida, toka), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(attach(a2, idb, tokb), MP_KERN_INVALID_ARGUMENT);
	assert_int_equal(hello_ex(a2, MPD_VERSION, NULL, NULL), MP_KERN_INVALID_ARGUMENT);

	/* insert_right / extract_right naming task a with a forged token */
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x4407, ra, MP_MSG_TYPE_MAKE_SEND, 0, ida, toka ^ 2, NULL),
			 MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x4407, ra, MP_MSG_TYPE_MAKE_SEND, 0, ida, tokb, NULL),
			 MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x4407, ra, MP_MSG_TYPE_MAKE_SEND, 0, ida, 0, NULL),
			 MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x4407, ra, MP_MSG_TYPE_MOVE_RECEIVE, 0, idb, toka, NULL),
			 MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_EXTRACT_RIGHT, r2, MP_MSG_TYPE_MAKE_SEND, 0, 0, ida, toka ^ 2, NULL),
			 MP_KERN_INVALID_TASK);
	/* nothing moved: a still has only its receive right, b no name 0x4407 */
	assert_int_equal(port_type(a, ra, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_RECEIVE);
	assert_int_equal(port_type(b, 0x4407, &type), MP_KERN_INVALID_NAME);
	/* with the real token (the task port): granted */
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x4407, ra, MP_MSG_TYPE_MAKE_SEND, 0, ida, toka, NULL),
			 MP_KERN_SUCCESS);
	assert_int_equal(port_type(b, 0x4407, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_SEND);

	/* task death: a2 waits in a receive on a's port when a's owner connection closes */
	memset(&m, 0, sizeof m);
	m.option = MP_MACH_RCV_MSG;
	m.rcv_size = 1024;
	m.rcv_name = ra;
	seq = seq_next++;
	assert_int_equal(send_fds(a2, p, mpd_encode_msg(p, sizeof p, seq, &m, NULL), NULL, 0, 0),
			 MPD_HEADER_SIZE + MPD_MSG_ARGS);
	{
		struct pollfd pf = { a2, POLLIN, 0 };
		assert_int_equal(poll(&pf, 1, 200), 0); /* it blocks */
	}
	close(a);
	n = recv_reply(a2, NULL);
	if (n <= 0)
		fail_msg("the receive blocked at task death got no reply: %s", n < 0 ? strerror(errno) : "EOF");
	expect_op(n, seq, MPD_OP_MSG);
	assert_int_equal(mp_load_le32(rbuf + 16), MP_MACH_RCV_INTERRUPTED);
	/* the task is gone: its other connection calls into a dead space */
	assert_int_equal(port_type(a2, ra, &type), MP_KERN_INVALID_TASK);
	/* and its id and token reach nothing */
	a3 = conn();
	assert_int_equal(attach(a3, ida, toka), MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_INSERT_RIGHT, 0x5507, ra, MP_MSG_TYPE_MAKE_SEND, 0, ida, toka, NULL),
			 MP_KERN_INVALID_TASK);
	assert_int_equal(port_call(b, MPD_CALL_EXTRACT_RIGHT, r2, MP_MSG_TYPE_MAKE_SEND, 0, 0, ida, toka, &got),
			 MP_KERN_INVALID_TASK);
	/* b's send right to a's port is a dead name now */
	assert_int_equal(port_type(b, 0x4407, &type), MP_KERN_SUCCESS);
	assert_int_equal(type, MP_PORT_TYPE_DEAD_NAME);
	close(a3);
	close(a2);
	close(b);
	kernel_clean();
}

/* ---- 9. an empty message "in the memfd" -------------------------------------------------------- */

/*
 * MPD_MSG_IN_FD with send_size 0 and no OOL table: the memfd would hold 0
 * bytes, so the decoder wants none, and the request is valid. The daemon
 * must answer it as the kernel does a message shorter than a header:
 * MACH_SEND_MSG_TOO_SMALL. (do_msg once computed the message's
 * address as `in + m->ool_total` with `in` NULL here: pointer arithmetic on
 * NULL, which the UBSan build of the daemon aborts on, ending every client's
 * task. This test is last so the others still run against a live daemon.)
 */
static void msg_in_fd_empty(void **state)
{
	int s = conn();
	mpd_msg_args_t a;
	msg_reply_t r;
	(void)state;

	hello(s, NULL, NULL);
	memset(&a, 0, sizeof a);
	a.option = MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT;
	a.flags = MPD_MSG_IN_FD;
	msg_call(s, &a, NULL, NULL, 0, &r);
	assert_int_equal(r.fd, -1);
	assert_int_equal(r.kr, MP_MACH_SEND_MSG_TOO_SMALL);
	/* and the same with the (empty) message in the packet */
	a.flags = 0;
	msg_call(s, &a, NULL, NULL, 0, &r);
	assert_int_equal(r.kr, MP_MACH_SEND_MSG_TOO_SMALL);
	close(s);
	kernel_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_packets),
		cmocka_unit_test(random_calls),
		cmocka_unit_test(truncated),
		cmocka_unit_test(oversized),
		cmocka_unit_test(fd_flood),
		cmocka_unit_test(bad_memfds),
		cmocka_unit_test(ool_table_mismatch),
		cmocka_unit_test(never_reads),
		cmocka_unit_test(security),
		cmocka_unit_test(msg_in_fd_empty),
	};
	if (getenv("MACHPORTD_SOCKET") == NULL) {
		fprintf(stderr, "badinput_test: run it through with_machportd.sh (no $MACHPORTD_SOCKET)\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
