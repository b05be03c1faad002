/*
 * lib/machportd/client.c: the client of machportd (client.h): connections,
 * start on demand, the link pool, one request and its reply, a message's
 * OOL memory both ways, the bootstrap registry, the relay, CHECK.
 */
#if defined(__linux__) /* memfd, SO_PEERCRED, process_vm_readv */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/machportd/client.h"
#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "lib/wire/le.h"

#define PAGE MPD_CLIENT_PAGE

typedef struct link {
	struct link *next;
	int fd;
	uint32_t seq;
	uint8_t *rbuf;
	size_t rcap;
} link_t;

struct mpd_client {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	link_t *primary; /* its HELLO made the space */
	link_t *idle;
	bool remote;     /* served by another process: one link only */
	pid_t served_by; /* remote: that process (reaped at close), or 0 */
	uint64_t id, token;
	uint32_t pid;
	char path[108];
};

/* ---- connections ------------------------------------------------------ */

static int dial(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Starts machportd on `path` ($MACHPORTD, else machportd on PATH), detached
 * (its own session; it exits after a minute without clients). */
static void start_daemon(const char *path)
{
	const char *bin = getenv("MACHPORTD");
	char log[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	pid_t pid;

	if (bin == NULL || bin[0] == '\0')
		bin = "machportd";
	snprintf(log, sizeof log, "%s.log", path);
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		if (setsid() < 0 || fork() != 0)
			_exit(0);
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execlp(bin, bin, "--socket", path, "--idle-exit", "60", "--log", log, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
	}
}

/* A connection to the daemon, starting it if nobody listens
 * (MACHPORTD_NO_AUTOSTART=1 turns that off). */
static int connect_daemon(const char *path)
{
	int fd = dial(path), started = 0;
	const char *no = getenv("MACHPORTD_NO_AUTOSTART");

	for (int i = 0; fd < 0 && i < 500; i++) { /* 5 s */
		if (errno != ENOENT && errno != ECONNREFUSED)
			return -1;
		if (!started && !(no != NULL && no[0] == '1')) {
			char why[256];
			if (mpd_private_dir(path, why, sizeof why) != 0)
				return -1;
			start_daemon(path);
			started = 1;
		} else if (!started) {
			return -1;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		fd = dial(path);
	}
	if (fd >= 0) {
		int sz = 1 << 20;
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	}
	return fd;
}

static link_t *link_new(int fd)
{
	link_t *l = calloc(1, sizeof *l);
	if (l == NULL) {
		close(fd);
		return NULL;
	}
	l->fd = fd;
	return l;
}

static void link_free(link_t *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l->rbuf);
	free(l);
}

/* ---- one request, one reply --------------------------------------------- */

typedef struct reply {
	const uint8_t *body;
	uint32_t len;
	int fd; /* a memfd that came with it, or -1 */
	bool refused;
} reply_t;

/* Sends `req` (its seq set here) and waits for the matching reply. 0 with
 * *r filled (r->refused: the daemon refused it), or -1: the connection is
 * gone. */
static int rpc(link_t *l, uint8_t *req, size_t len, int pass_fd, uint32_t op, reply_t *r)
{
	int fds[4], nfds = 0, trunc = 0;
	ssize_t n;
	uint32_t seq = ++l->seq;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	mp_store_le32(req + 8, seq);
	if (mpd_send_packet(l->fd, req, len, pass_fd) != 0)
		return -1;
	if (l->rbuf == NULL) { /* every reply fits MPD_MAX_REPLY (a larger tail comes in a memfd) */
		if ((l->rbuf = malloc(MPD_MAX_REPLY)) == NULL)
			return -1;
		l->rcap = MPD_MAX_REPLY;
	}
	n = mpd_recv_packet(l->fd, l->rbuf, l->rcap, fds, 4, &nfds, &trunc);
	for (int i = 0; i < nfds; i++) {
		if (r->fd < 0)
			r->fd = fds[i];
		else
			close(fds[i]);
	}
	if (n < (ssize_t)MPD_HEADER_SIZE || (size_t)n > l->rcap) {
		if (r->fd >= 0)
			close(r->fd);
		return -1;
	}
	uint32_t rop = mp_load_le32(l->rbuf + 4) & 0xffff;
	if (mp_load_le32(l->rbuf) != MPD_MAGIC || mp_load_le32(l->rbuf + 8) != seq ||
	    mp_load_le32(l->rbuf + 12) != (uint32_t)n - MPD_HEADER_SIZE || (rop != op && rop != MPD_OP_REFUSED)) {
		if (r->fd >= 0)
			close(r->fd);
		return -1;
	}
	r->body = l->rbuf + MPD_HEADER_SIZE;
	r->len = (uint32_t)n - MPD_HEADER_SIZE;
	r->refused = rop == MPD_OP_REFUSED;
	return 0;
}

/* A free connection of the task (a new one ATTACHed when all are busy). */
static link_t *link_get(mpd_client_t *m)
{
	link_t *l;
	pthread_mutex_lock(&m->mu);
	while (m->idle == NULL && m->remote)
		pthread_cond_wait(&m->cv, &m->mu);
	l = m->idle;
	if (l != NULL)
		m->idle = l->next;
	pthread_mutex_unlock(&m->mu);
	if (l != NULL)
		return l;

	uint8_t req[MPD_HEADER_SIZE + 16];
	reply_t r;
	int fd = connect_daemon(m->path);
	if (fd < 0 || (l = link_new(fd)) == NULL)
		return NULL;
	size_t n = mpd_encode_attach(req, sizeof req, 0, m->id, m->token);
	if (rpc(l, req, n, -1, MPD_OP_ATTACH, &r) != 0 || r.refused || r.len < 4 ||
	    mp_load_le32(r.body) != MP_KERN_SUCCESS) {
		link_free(l);
		return NULL;
	}
	return l; /* joins the idle list when it is put back */
}

static void link_put(mpd_client_t *m, link_t *l)
{
	pthread_mutex_lock(&m->mu);
	l->next = m->idle;
	m->idle = l;
	pthread_cond_signal(&m->cv);
	pthread_mutex_unlock(&m->mu);
}

/* ---- port calls ------------------------------------------------------------ */

mp_kr_t mpd_client_port_call(mpd_client_t *m, const mpd_port_call_t *c, mpd_port_result_t *o)
{
	uint8_t req[MPD_HEADER_SIZE + 64];
	link_t *l = link_get(m);
	reply_t r;
	mp_kr_t kr;

	memset(o, 0, sizeof *o);
	if (l == NULL)
		return MP_KERN_FAILURE;
	size_t n = mpd_encode_port_call(req, sizeof req, 0, c);
	if (rpc(l, req, n, -1, MPD_OP_PORT_CALL, &r) != 0) {
		link_put(m, l); /* the daemon is gone, and the task with it: later calls fail too */
		return MP_KERN_FAILURE;
	}
	if (r.refused || r.len < MPD_PORT_REPLY) {
		kr = MP_KERN_INVALID_ARGUMENT;
	} else {
		kr = (mp_kr_t)mp_load_le32(r.body);
		o->r1 = mp_load_le32(r.body + 4);
		o->r2 = mp_load_le32(r.body + 8);
		o->r3 = mp_load_le32(r.body + 12);
		o->r64 = mp_load_le64(r.body + 16);
		o->nextra = mp_load_le32(r.body + 24);
		if (o->nextra > sizeof o->extra || o->nextra > r.len - MPD_PORT_REPLY)
			o->nextra = 0;
		memcpy(o->extra, r.body + MPD_PORT_REPLY, o->nextra);
	}
	if (r.fd >= 0)
		close(r.fd);
	link_put(m, l);
	return kr;
}

/* ---- mach_msg ------------------------------------------------------------------ */

/*
 * The send's OOL regions, read from this process's memory (process_vm_readv:
 * a region this process cannot read is left out, and the kernel then finds
 * its address unreadable, MACH_SEND_INVALID_MEMORY). Small ones go in the
 * packet after the message (MPD_OOL_INLINE); otherwise they, and a message
 * too large for a packet, go in a sealed memfd. Builds the request in *req.
 * Returns 0, -1 (no memory), -2 (more regions than the protocol carries).
 */
static int build_send(mpd_msg_args_t *a, const uint8_t *msg, uint8_t **req, size_t *req_len, int *fd_out)
{
	mpd_desc_iter_t it;
	mpd_desc_ref_t d;
	mpd_ool_t stack_ool[32], *ool = stack_ool;
	uint32_t count = 0;
	uint64_t total = 0, off = 0;
	uint8_t *dst;
	size_t head, cap;
	int fd = -1, rc = -1;

	*fd_out = -1;
	mpd_desc_iter_init(&it, msg, a->send_size);
	while (mpd_desc_next(&it, &d)) {
		if (d.is_ool && d.size > 0) {
			count++;
			total += d.size;
		}
	}
	if (count > MPD_MAX_OOL)
		return -2;
	if (total > MPD_MAX_OOL_BYTES)
		total = 0, count = 0; /* too much to carry: the kernel finds the regions unreadable */
	if (count > 32 && (ool = malloc(count * sizeof *ool)) == NULL)
		return -1;
	if (a->send_size > MPD_INLINE_MAX)
		a->flags = MPD_MSG_IN_FD;
	else if (count > 0 && a->send_size + total <= MPD_INLINE_MAX)
		a->flags = MPD_OOL_INLINE;
	head = MPD_HEADER_SIZE + MPD_MSG_ARGS + 8ull * count + ((a->flags & MPD_MSG_IN_FD) ? 0 : a->send_size);
	cap = head + ((a->flags & MPD_OOL_INLINE) ? total : 0);
	if ((*req = malloc(cap)) == NULL)
		goto out;
	if (a->flags & MPD_OOL_INLINE) {
		dst = *req + head;
	} else if (total > 0 || (a->flags & MPD_MSG_IN_FD)) {
		uint64_t fsize = total + ((a->flags & MPD_MSG_IN_FD) ? a->send_size : 0);
		fd = memfd_create("machports-send", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd < 0 || ftruncate(fd, (off_t)fsize) != 0)
			goto out;
		dst = mmap(NULL, (size_t)fsize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (dst == MAP_FAILED)
			goto out;
	} else {
		dst = NULL;
	}
	/* one read for all the regions (the usual case: all readable), else
	 * one each, leaving out those that fault */
	a->nool = 0;
	if (count > 0 && count <= 32 && total <= SSIZE_MAX) {
		struct iovec local[32], remote[32];
		uint32_t k = 0;
		mpd_desc_iter_init(&it, msg, a->send_size);
		while (mpd_desc_next(&it, &d)) {
			if (!d.is_ool || d.size == 0)
				continue;
			local[k] = (struct iovec){ dst + off, (size_t)d.size };
			remote[k++] = (struct iovec){ (void *)(uintptr_t)d.addr, (size_t)d.size };
			ool[a->nool].desc_index = d.index;
			ool[a->nool++].size = (uint32_t)d.size;
			off += d.size;
		}
		if (process_vm_readv(getpid(), local, k, remote, k, 0) != (ssize_t)total) {
			a->nool = 0;
			off = 0;
		}
	}
	if (a->nool == 0 && count > 0) {
		pid_t self = getpid();
		mpd_desc_iter_init(&it, msg, a->send_size);
		while (mpd_desc_next(&it, &d)) {
			if (!d.is_ool || d.size == 0)
				continue;
			struct iovec local = { dst + off, (size_t)d.size };
			struct iovec remote = { (void *)(uintptr_t)d.addr, (size_t)d.size };
			if (d.addr + d.size < d.addr || process_vm_readv(self, &local, 1, &remote, 1, 0) != (ssize_t)d.size)
				continue; /* unreadable: not sent */
			ool[a->nool].desc_index = d.index;
			ool[a->nool].size = (uint32_t)d.size;
			a->nool++;
			off += d.size;
		}
	}
	a->ool_total = off;
	if (fd >= 0) {
		uint64_t fsize = total + ((a->flags & MPD_MSG_IN_FD) ? a->send_size : 0);
		if (a->flags & MPD_MSG_IN_FD)
			memcpy(dst + off, msg, a->send_size);
		munmap(dst, (size_t)fsize);
		if (off == 0 && !(a->flags & MPD_MSG_IN_FD)) { /* nothing readable: no memfd at all */
			close(fd);
			fd = -1;
		} else if ((off < total && ftruncate(fd, (off_t)(off + ((a->flags & MPD_MSG_IN_FD) ? a->send_size : 0))) != 0) ||
			   fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
			goto out;
		}
	} else if ((a->flags & MPD_OOL_INLINE) && a->nool < count) {
		/* unreadable regions left out: the table is shorter, the bytes move up */
		memmove(*req + head - 8ull * (count - a->nool), *req + head, (size_t)off);
	}
	if (a->nool == 0)
		a->flags &= ~MPD_OOL_INLINE;
	a->ool_data = NULL; /* in place already */
	*req_len = mpd_encode_msg(*req, cap, 0, a, ool);
	*fd_out = fd;
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ool != stack_ool)
		free(ool);
	if (rc != 0) {
		free(*req);
		*req = NULL;
	}
	return rc;
}

typedef struct mapped {
	uint64_t token, addr;
} mapped_t;

/* Applies a MSG reply: maps the regions given to the task, copies the
 * written spans into the caller's buffer, rewrites token addresses, and
 * tells `vm` the pages it mapped and the sender's regions the kernel
 * deallocated (the caller's VM record unmaps those). */
static mp_kr_t apply_reply(const mpd_vm_hooks_t *vm, const reply_t *r, uint8_t *msg, uint32_t buf_len, uint32_t option)
{
	const uint8_t *tail, *p;
	uint8_t *tail_map = NULL;
	uint64_t tail_at, tail_len, tail_map_len = 0;
	uint32_t nspans, nmap, ndealloc, flags;
	mapped_t *maps = NULL;
	uint8_t *fresh = NULL; /* the fresh pages for regions packed in the reply */
	uint64_t fresh_len = 0, fresh_at = 0;
	mp_kr_t kr;
	mp_kr_t broken = (option & MP_MACH_RCV_MSG) ? MP_MACH_RCV_INVALID_DATA : MP_MACH_SEND_INVALID_DATA;

	if (r->len < MPD_MSG_REPLY)
		return broken;
	kr = (mp_kr_t)mp_load_le32(r->body);
	nspans = mp_load_le32(r->body + 4);
	nmap = mp_load_le32(r->body + 8);
	ndealloc = mp_load_le32(r->body + 12);
	flags = mp_load_le32(r->body + 16);
	tail_len = mp_load_le32(r->body + 20);
	tail_at = mp_load_le64(r->body + 24);
	if (nspans > MPD_MAX_SPANS)
		return broken;
	if (flags & MPD_REPLY_IN_FD) {
		if (r->fd < 0)
			return broken;
		tail_map_len = tail_at + tail_len;
		tail_map = mmap(NULL, (size_t)tail_map_len, PROT_READ, MAP_PRIVATE, r->fd, 0);
		if (tail_map == MAP_FAILED)
			return broken;
		tail = tail_map + tail_at;
	} else {
		tail = r->body + MPD_MSG_REPLY;
		if (tail_len != r->len - MPD_MSG_REPLY)
			return broken;
	}
	uint64_t tables = 8ull * nspans + 32ull * nmap + 16ull * ndealloc, span_total = 0;
	bool regions_inline = (flags & MPD_REPLY_OOL_INLINE) != 0;
	if (tables > tail_len || (nmap > 0 && r->fd < 0 && !regions_inline)) {
		kr = broken;
		goto out;
	}
	for (uint32_t i = 0; i < nspans; i++)
		span_total += mp_load_le32(tail + 8ull * i + 4);
	if (span_total > tail_len - tables) {
		kr = broken;
		goto out;
	}
	const uint8_t *blob = tail + tables + span_total; /* MPD_REPLY_OOL_INLINE: the regions, packed */
	uint64_t blob_len = tail_len - tables - span_total;
	if (nmap > 0 && (maps = calloc(nmap, sizeof *maps)) == NULL) {
		kr = broken;
		goto out;
	}
	/* the regions: each mapped private (copy-on-write) from the memfd, or
	 * (packed in the reply) copied into fresh pages of this task's own, all
	 * of one reply's from one mapping (each in pages of its own, so each
	 * can be deallocated alone) */
	if (regions_inline) {
		p = tail + 8ull * nspans;
		for (uint32_t i = 0; i < nmap; i++, p += 32) {
			uint64_t len = mp_load_le64(p + 16), poff = mp_load_le64(p + 24);
			if (poff < PAGE && len <= blob_len)
				fresh_len += (poff + len + PAGE - 1) & ~(PAGE - 1);
		}
		if (fresh_len > 0) {
			fresh = mmap(NULL, (size_t)fresh_len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0); /* one fault-in, not one per page */
			if (fresh == MAP_FAILED)
				fresh = NULL;
		}
	}
	p = tail + 8ull * nspans;
	for (uint32_t i = 0; i < nmap; i++, p += 32) {
		uint64_t token = mp_load_le64(p), off = mp_load_le64(p + 8), len = mp_load_le64(p + 16), poff = mp_load_le64(p + 24);
		uint64_t maplen = (poff + len + PAGE - 1) & ~(PAGE - 1);
		void *a = MAP_FAILED;
		if (maplen == 0 || poff >= PAGE) {
			/* nothing to map */
		} else if (!regions_inline) {
			a = mmap(NULL, (size_t)maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE, r->fd, (off_t)off);
		} else if (fresh != NULL && off <= blob_len && len <= blob_len - off && fresh_at + maplen <= fresh_len) {
			a = fresh + fresh_at;
			fresh_at += maplen;
			memcpy((uint8_t *)a + poff, blob + off, (size_t)len);
		}
		maps[i].token = token;
		if (a == MAP_FAILED) {
			maps[i].addr = 0;
			continue;
		}
		maps[i].addr = (uint64_t)(uintptr_t)a + poff;
		vm->mapped(vm->ctx, (uint64_t)(uintptr_t)a, maplen);
	}
	/* the written spans */
	const uint8_t *bytes = tail + tables;
	uint64_t have = span_total;
	p = tail;
	for (uint32_t i = 0; i < nspans; i++, p += 8) {
		uint32_t off = mp_load_le32(p), len = mp_load_le32(p + 4);
		if ((uint64_t)off + len > buf_len || len > have) {
			kr = broken;
			goto out;
		}
		memcpy(msg + off, bytes, len);
		bytes += len;
		have -= len;
	}
	/* token addresses in the written message become the mappings */
	if (nmap > 0 && nspans > 0) {
		mpd_desc_iter_t it;
		mpd_desc_ref_t d;
		uint32_t size = mp_load_le32(msg + 4);
		mpd_desc_iter_init(&it, msg, size < buf_len ? size : buf_len);
		while (mpd_desc_next(&it, &d)) {
			if (!d.is_ool || d.addr < MPD_TOKEN_BASE)
				continue;
			for (uint32_t i = 0; i < nmap; i++) {
				if (maps[i].token == d.addr) {
					mp_store_le64(msg + d.off, maps[i].addr);
					break;
				}
			}
		}
	}
	/* the sender's regions the kernel deallocated */
	p = tail + 8ull * nspans + 32ull * nmap;
	for (uint32_t i = 0; i < ndealloc; i++, p += 16)
		vm->deallocated(vm->ctx, mp_load_le64(p), mp_load_le64(p + 8));
out:
	if (fresh != NULL && fresh_at < fresh_len) /* pages no region took */
		munmap(fresh + fresh_at, (size_t)(fresh_len - fresh_at));
	free(maps);
	if (tail_map != NULL)
		munmap(tail_map, (size_t)tail_map_len);
	return kr;
}

/* mach_msg: the request (message, OOL table, regions), one rpc, the reply
 * applied. Codes for what XNU has no word for: a request that cannot be
 * built is MACH_SEND_NO_BUFFER (or RCV_INVALID_DATA), a daemon gone (or a
 * reply whose header is not the request's) is MACH_*_INTERRUPTED (the task
 * died with it), a refused request or a MSG reply that breaks the protocol
 * is MACH_*_INVALID_DATA. */
mp_kr_t mpd_client_msg(mpd_client_t *m, void *msg, uint32_t option, uint32_t send_size, uint32_t rcv_size,
		       mp_port_name_t rcv_name, uint32_t timeout_ms, const mpd_vm_hooks_t *vm)
{
	bool sending = (option & MP_MACH_SEND_MSG) != 0;
	mpd_msg_args_t a;
	uint8_t *req = NULL;
	size_t n = 0;
	int fd = -1, g;
	link_t *l;
	reply_t r;
	mp_kr_t kr;

	if (msg == NULL)
		return sending ? MP_MACH_SEND_INVALID_DATA : MP_MACH_RCV_INVALID_DATA;
	if (sending && send_size > MP_MAX_SEND_SIZE)
		return MP_MACH_SEND_TOO_LARGE; /* ipc_kmsg_get_from_user's first check */
	memset(&a, 0, sizeof a);
	a.option = option;
	a.send_size = sending ? send_size : 0;
	a.rcv_size = (option & MP_MACH_RCV_MSG) ? (rcv_size > MPD_MAX_RCV_SIZE ? MPD_MAX_RCV_SIZE : rcv_size) : 0;
	a.rcv_name = rcv_name;
	a.timeout_ms = timeout_ms;
	a.msg = msg;
	a.buf_addr = (uint64_t)(uintptr_t)msg;
	g = build_send(&a, msg, &req, &n, &fd);
	if (g != 0)
		return g == -2 ? MP_MACH_SEND_TOO_LARGE : (sending ? MP_MACH_SEND_NO_BUFFER : MP_MACH_RCV_INVALID_DATA);
	l = link_get(m);
	if (l == NULL) {
		kr = sending ? MP_MACH_SEND_NO_BUFFER : MP_MACH_RCV_INVALID_DATA;
		goto out;
	}
	if (rpc(l, req, n, fd, MPD_OP_MSG, &r) != 0) {
		link_put(m, l); /* the daemon is gone, and the task with it */
		kr = sending ? MP_MACH_SEND_INTERRUPTED : MP_MACH_RCV_INTERRUPTED;
		goto out;
	}
	if (r.refused) {
		kr = sending ? MP_MACH_SEND_INVALID_DATA : MP_MACH_RCV_INVALID_DATA;
	} else {
		uint32_t buf_len = a.send_size > a.rcv_size ? a.send_size : a.rcv_size;
		kr = apply_reply(vm, &r, msg, buf_len, option);
	}
	if (r.fd >= 0)
		close(r.fd);
	link_put(m, l);
out:
	if (fd >= 0)
		close(fd);
	free(req);
	return kr;
}

/* ---- the bootstrap registry --------------------------------------------------------- */

static mp_kr_t service_call(mpd_client_t *m, mpd_op_t op, const char *service, mp_port_name_t port, uint32_t disp,
			    mp_port_name_t *out)
{
	uint8_t req[MPD_HEADER_SIZE + 8 + MPD_SERVICE_MAX];
	size_t len = strlen(service), n;
	link_t *l;
	reply_t r;
	mp_kr_t kr;

	if (len == 0 || len > MPD_SERVICE_MAX)
		return MP_KERN_INVALID_ARGUMENT;
	n = mpd_encode_service(req, sizeof req, op, 0, port, disp, service, len);
	if ((l = link_get(m)) == NULL)
		return MP_KERN_FAILURE;
	if (rpc(l, req, n, -1, op, &r) != 0)
		kr = MP_KERN_FAILURE;
	else if (r.refused || r.len < 8)
		kr = MP_KERN_INVALID_ARGUMENT;
	else if ((kr = (mp_kr_t)mp_load_le32(r.body)) == MP_KERN_SUCCESS && out != NULL)
		*out = mp_load_le32(r.body + 4);
	if (r.fd >= 0)
		close(r.fd);
	link_put(m, l);
	return kr;
}

mp_kr_t mpd_client_register(mpd_client_t *c, const char *service, mp_port_name_t port, uint32_t disposition)
{
	return service_call(c, MPD_OP_REGISTER, service, port, disposition, NULL);
}

mp_kr_t mpd_client_look_up(mpd_client_t *c, const char *service, mp_port_name_t *port)
{
	return service_call(c, MPD_OP_LOOK_UP, service, 0, 0, port);
}

/* ---- tasks ---------------------------------------------------------------------- */

/* Closes a connection and waits for the other end to close it too (the
 * daemon has then ended what the connection owned), at most 10 s. */
static void close_and_wait(link_t *l)
{
	struct pollfd p = { l->fd, POLLIN, 0 };
	char b[256];
	shutdown(l->fd, SHUT_WR);
	for (int i = 0; i < 100; i++) {
		if (poll(&p, 1, 100) > 0) {
			ssize_t n = recv(l->fd, b, sizeof b, MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				break;
		}
	}
	link_free(l);
}

void mpd_client_close(mpd_client_t *m)
{
	link_t *l, *next;

	if (m == NULL)
		return;
	/* the task's extra connections first, then the one that owns the space */
	for (l = m->idle; l != NULL; l = next) {
		next = l->next;
		if (l != m->primary)
			link_free(l);
	}
	if (m->primary != NULL)
		close_and_wait(m->primary);
	if (m->served_by > 0)
		while (waitpid(m->served_by, NULL, 0) < 0 && errno == EINTR) {
		}
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
	free(m);
}

uint32_t mpd_client_pid(const mpd_client_t *c)
{
	return c->pid;
}

void mpd_client_space(const mpd_client_t *c, uint64_t *id, uint64_t *token)
{
	*id = c->id;
	*token = c->token;
}

/* A task over connection `fd` (to the daemon, or to a process relaying
 * one): HELLO, whose reply names the space. */
static mp_kr_t open_on(int fd, const char *path, bool remote, mpd_client_t **out)
{
	mpd_client_t *m = calloc(1, sizeof *m);
	uint8_t req[MPD_HEADER_SIZE + 4];
	link_t *l;
	reply_t r;
	mp_kr_t kr;

	if (m == NULL) {
		close(fd);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	if ((l = link_new(fd)) == NULL) { /* it closed fd */
		free(m);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	mpd_encode_header(req, sizeof req, MPD_OP_HELLO, 0, 4);
	mp_store_le32(req + MPD_HEADER_SIZE, MPD_VERSION);
	if (rpc(l, req, sizeof req, -1, MPD_OP_HELLO, &r) != 0 || r.refused || r.len < MPD_HELLO_REPLY) {
		kr = MP_KERN_FAILURE;
	} else if ((kr = (mp_kr_t)mp_load_le32(r.body)) == MP_KERN_SUCCESS) {
		m->id = mp_load_le64(r.body + 8);
		m->token = mp_load_le64(r.body + 16);
		m->pid = mp_load_le32(r.body + 24);
	}
	if (kr != MP_KERN_SUCCESS) {
		link_free(l);
		free(m);
		return kr;
	}
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
	m->primary = m->idle = l;
	m->remote = remote;
	snprintf(m->path, sizeof m->path, "%s", path ? path : "");
	*out = m;
	return MP_KERN_SUCCESS;
}

mp_kr_t mpd_client_open(mpd_client_t **out)
{
	char path[108];
	int fd;

	*out = NULL;
	if (mpd_socket_path(path, sizeof path) != 0)
		return MP_KERN_INVALID_ARGUMENT;
	fd = connect_daemon(path);
	if (fd < 0)
		return MP_KERN_NOT_SUPPORTED; /* no daemon, and none could be started */
	return open_on(fd, path, false, out);
}

mp_kr_t mpd_client_open_remote(int fd, pid_t served_by, mpd_client_t **out)
{
	mp_kr_t kr;

	*out = NULL;
	kr = open_on(fd, NULL, true, out);
	if (kr == MP_KERN_SUCCESS)
		(*out)->served_by = served_by;
	return kr;
}

/*
 * The task's owner process relays: every request from `fd` goes to the
 * daemon on this process's own connection and its reply comes back. The
 * daemon sees this process (SO_PEERCRED): the space it makes at HELLO is
 * this process's task, its trailers carry this process's identity, and it
 * dies when this process does (or when `fd` closes). Memory named in the
 * messages is the driving process's: the memfds pass through unread.
 */
int mpd_client_relay(int fd)
{
	char path[108];
	uint8_t *buf = malloc(MPD_MAX_PACKET > MPD_MAX_REPLY ? MPD_MAX_PACKET : MPD_MAX_REPLY);
	size_t cap = MPD_MAX_PACKET > MPD_MAX_REPLY ? MPD_MAX_PACKET : MPD_MAX_REPLY;
	int dfd, fds[4], nfds, trunc, rc = 0;

	if (buf == NULL || mpd_socket_path(path, sizeof path) != 0 || (dfd = connect_daemon(path)) < 0) {
		free(buf);
		return -1;
	}
	for (;;) {
		/* a packet too large for the buffer is passed on cut: the daemon refuses it */
		ssize_t n = mpd_recv_packet(fd, buf, cap, fds, 4, &nfds, &trunc);
		if (n <= 0)
			break;
		int sent = mpd_send_packet(dfd, buf, (size_t)n > cap ? cap : (size_t)n, nfds > 0 ? fds[0] : -1);
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (sent != 0 || (n = mpd_recv_packet(dfd, buf, cap, fds, 4, &nfds, &trunc)) <= 0 || (size_t)n > cap) {
			rc = -1;
			break;
		}
		sent = mpd_send_packet(fd, buf, (size_t)n, nfds > 0 ? fds[0] : -1);
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (sent != 0)
			break;
	}
	/* the task ends with its owner's connection (and waits for it) */
	{
		link_t *l = link_new(dfd);
		if (l != NULL)
			close_and_wait(l);
	}
	free(buf);
	close(fd);
	return rc;
}

int mpd_client_check(mp_kernel_report_t *rep)
{
	char path[108];
	uint8_t req[MPD_HEADER_SIZE];
	link_t *l;
	reply_t r;
	int fd, rc = -1;

	memset(rep, 0, sizeof *rep);
	if (mpd_socket_path(path, sizeof path) != 0 || (fd = dial(path)) < 0 || (l = link_new(fd)) == NULL) {
		snprintf(rep->why, sizeof rep->why, "machportd is not running");
		return -1;
	}
	mpd_encode_header(req, sizeof req, MPD_OP_CHECK, 0, 0);
	if (rpc(l, req, sizeof req, -1, MPD_OP_CHECK, &r) == 0 && !r.refused && r.len >= MPD_CHECK_REPLY) {
		uint32_t wl = mp_load_le32(r.body + 24);
		rep->ok = mp_load_le32(r.body) == 0;
		rep->spaces = mp_load_le32(r.body + 4);
		rep->ports = mp_load_le32(r.body + 8);
		rep->psets = mp_load_le32(r.body + 12);
		rep->kmsgs = mp_load_le32(r.body + 16);
		rep->vm_regions = mp_load_le32(r.body + 20);
		if (wl > r.len - MPD_CHECK_REPLY)
			wl = r.len - MPD_CHECK_REPLY;
		if (wl >= sizeof rep->why)
			wl = sizeof rep->why - 1;
		memcpy(rep->why, r.body + MPD_CHECK_REPLY, wl);
		rc = 0;
	} else {
		snprintf(rep->why, sizeof rep->why, "machportd did not answer CHECK");
	}
	link_free(l);
	return rc;
}

#endif /* __linux__ */
