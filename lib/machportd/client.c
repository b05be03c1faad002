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
#include "machports/le.h"

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
	mpd_reply_t r; /* decoded: every read of the daemon's bytes is mpd_decode_reply's */
	int fd;        /* the memfd that came with it, or -1 */
	bool refused;  /* the daemon refused the request, or its reply broke the protocol */
	mpd_diag_t diag; /* the protocol rule a broken reply broke (MPD_OK otherwise) */
} reply_t;

/* Whether a refusal is of the header itself (magic, version, length, op,
 * seq): then the packet is not this request's reply at all, which rpc
 * answers as a connection gone. A body that breaks its kind's rules is
 * answered as the daemon refusing the request. */
static bool header_refused(const mpd_diag_t *d)
{
	return d->err != MPD_E_FDS && d->offset < MPD_HEADER_SIZE;
}

/* Sends `req` (its seq set here) and waits for the matching reply, which
 * mpd_decode_reply checks. 0 with *r filled (r->refused: the daemon refused
 * the request, or its reply broke a rule of the protocol, named in
 * r->diag: nothing in it is used), or -1: the connection is gone (or what
 * came back answers another request). */
static int rpc(link_t *l, uint8_t *req, size_t len, int pass_fd, mpd_op_t op, reply_t *r)
{
	int fds[4], nfds = 0, trunc = 0;
	ssize_t n;
	uint32_t seq = ++l->seq;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	mp_store_le32(req + 8, seq); /* the header's seq */
	if (mpd_send_packet(l->fd, req, len, pass_fd) != 0)
		return -1;
	if (l->rbuf == NULL) { /* every reply fits MPD_MAX_REPLY (a larger tail comes in a memfd) */
		if ((l->rbuf = malloc(MPD_MAX_REPLY)) == NULL)
			return -1;
		l->rcap = MPD_MAX_REPLY;
	}
	n = mpd_recv_packet(l->fd, l->rbuf, l->rcap, fds, 4, &nfds, &trunc);
	for (int i = 1; i < nfds; i++) /* more than one is refused below; keep none open */
		close(fds[i]);
	if (nfds > 0)
		r->fd = fds[0];
	if (n <= 0 || (size_t)n > l->rcap ||
	    (mpd_decode_reply(l->rbuf, (size_t)n, nfds, op, seq, &r->r, &r->diag) != MPD_OK &&
	     header_refused(&r->diag))) {
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return -1;
	}
	r->refused = r->diag.err != MPD_OK || r->r.op == MPD_OP_REFUSED;
	return 0;
}

/* Closes the memfd a reply came with, if the caller did not take it. */
static void reply_close(reply_t *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
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
	if (rpc(l, req, n, -1, MPD_OP_ATTACH, &r) != 0) {
		link_free(l);
		return NULL;
	}
	reply_close(&r);
	if (r.refused || r.r.u.attach.kr != MP_KERN_SUCCESS) {
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

/* The reply's extra bytes into o->extra, or o->big when the caller gave
 * one; -1 if they do not fit. */
static int port_result_extra(mpd_port_result_t *o, const uint8_t *extra, uint32_t nextra)
{
	uint8_t *dst = o->big != NULL ? o->big : o->extra;
	uint32_t cap = o->big != NULL ? o->big_cap : (uint32_t)sizeof o->extra;

	if (nextra > cap)
		return -1;
	if (nextra > 0)
		memcpy(dst, extra, nextra);
	o->nextra = nextra;
	return 0;
}

mp_kr_t mpd_client_port_call(mpd_client_t *m, const mpd_port_call_t *c, mpd_port_result_t *o)
{
	return mpd_client_port_call_big(m, c, o, NULL, 0);
}

mp_kr_t mpd_client_port_call_big(mpd_client_t *m, const mpd_port_call_t *c, mpd_port_result_t *o,
				 uint8_t *big, uint32_t big_cap)
{
	uint8_t req[MPD_HEADER_SIZE + 64];
	link_t *l = link_get(m);
	reply_t r;
	mp_kr_t kr;

	memset(o, 0, sizeof *o);
	o->big = big;
	o->big_cap = big_cap;
	if (l == NULL)
		return MP_KERN_FAILURE;
	size_t n = mpd_encode_port_call(req, sizeof req, 0, c);
	if (rpc(l, req, n, -1, MPD_OP_PORT_CALL, &r) != 0) {
		link_put(m, l); /* the daemon is gone, and the task with it: later calls fail too */
		return MP_KERN_FAILURE;
	}
	if (r.refused) {
		kr = MP_KERN_INVALID_ARGUMENT;
	} else {
		kr = r.r.u.port_call.kr;
		o->r1 = r.r.u.port_call.r1;
		o->r2 = r.r.u.port_call.r2;
		o->r3 = r.r.u.port_call.r3;
		o->r64 = r.r.u.port_call.r64;
		if (port_result_extra(o, r.r.u.port_call.extra, r.r.u.port_call.nextra) != 0)
			kr = MP_KERN_FAILURE;
	}
	reply_close(&r);
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
		a->flags |= MPD_MSG_IN_FD;
	else if (count > 0 && a->send_size + total <= MPD_INLINE_MAX)
		a->flags |= MPD_OOL_INLINE;
	head = MPD_HEADER_SIZE + MPD_MSG_ARGS + 8ull * count + ((a->flags & MPD_MSG_IN_FD) ? 0 : a->send_size);
	if (a->flags & MPD_MSG_MSG2) /* its block, and its aux bytes after the message */
		head += MPD_MSG2_ARGS + mpd_msg2_aux_len(&a->msg2);
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

/* The size of a reply's memfd, which must be sealed against shrinking as
 * the daemon seals it (so no page mapped from it can fault later: the
 * daemon's own rule for a client's memfd). -1 if it is not. */
static int64_t memfd_size(int fd)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);

	if (seals < 0 || !(seals & F_SEAL_SHRINK) || fstat(fd, &st) != 0 || st.st_size < 0)
		return -1;
	return (int64_t)st.st_size;
}

/* The pages region `mp` takes: from its page offset to its end, whole. */
static uint64_t region_pages(const mpd_map_t *mp)
{
	return (mp->page_off + mp->len + PAGE - 1) & ~(PAGE - 1);
}

/* Every memfd region inside the memfd (mpd_decode_reply_tail has checked
 * the rest of each one). */
static bool maps_in_memfd(const mpd_msg_tail_t *t, int64_t fd_size)
{
	mpd_map_t mp;

	for (uint32_t i = 0; !t->regions_inline && i < t->nmap; i++) {
		mpd_tail_map(t, i, &mp);
		if (mp.offset + mp.page_off + mp.len > (uint64_t)fd_size)
			return false;
	}
	return true;
}

/* Fresh pages for the regions packed in the reply, all of one reply's in
 * one mapping (each in pages of its own, so each can be deallocated alone;
 * one fault-in, not one per page). NULL if there are none. */
static uint8_t *fresh_pages(const mpd_msg_tail_t *t, uint64_t *len)
{
	mpd_map_t mp;
	uint8_t *fresh;

	*len = 0;
	for (uint32_t i = 0; i < t->nmap; i++) {
		mpd_tail_map(t, i, &mp);
		*len += region_pages(&mp);
	}
	if (*len == 0)
		return NULL;
	fresh = mmap(NULL, (size_t)*len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return fresh == MAP_FAILED ? NULL : fresh;
}

/* Gives each region pages of the task's own: mapped private (copy-on-write)
 * from the memfd, or the fresh pages filled from the packed bytes. A
 * region that gets none has address 0. */
static void map_regions(const mpd_vm_hooks_t *vm, const mpd_msg_tail_t *t, int fd, mapped_t *maps)
{
	uint64_t fresh_len = 0, fresh_at = 0;
	uint8_t *fresh = t->regions_inline ? fresh_pages(t, &fresh_len) : NULL;
	mpd_map_t mp;

	for (uint32_t i = 0; i < t->nmap; i++) {
		uint64_t maplen;
		void *a = MAP_FAILED;

		mpd_tail_map(t, i, &mp);
		maplen = region_pages(&mp);
		if (maplen == 0) {
			/* nothing to map */
		} else if (!t->regions_inline) {
			a = mmap(NULL, (size_t)maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)mp.offset);
		} else if (fresh != NULL && fresh_at + maplen <= fresh_len) {
			a = fresh + fresh_at;
			fresh_at += maplen;
			memcpy((uint8_t *)a + mp.page_off, mp.bytes, (size_t)mp.len);
		}
		maps[i].token = mp.token;
		if (a == MAP_FAILED) {
			maps[i].addr = 0;
			continue;
		}
		maps[i].addr = (uint64_t)(uintptr_t)a + mp.page_off;
		vm->mapped(vm->ctx, (uint64_t)(uintptr_t)a, maplen);
	}
	if (fresh != NULL && fresh_at < fresh_len) /* pages no region took */
		munmap(fresh + fresh_at, (size_t)(fresh_len - fresh_at));
}

/* The token addresses the kernel wrote in the received message become the
 * regions' pages (the walk: proto.h's, over lib/msg's descriptor reader). */
static void rewrite_tokens(uint8_t *msg, uint32_t buf_len, const mapped_t *maps, uint32_t nmap)
{
	uint32_t size = mp_load_le32(msg + MP_MSGH_SIZE_OFFSET);
	mpd_desc_iter_t it;
	mpd_desc_ref_t d;

	mpd_desc_iter_init(&it, msg, size < buf_len ? size : buf_len);
	while (mpd_desc_next(&it, &d)) {
		if (!d.is_ool || d.addr < MPD_TOKEN_BASE)
			continue;
		for (uint32_t i = 0; i < nmap; i++) {
			if (maps[i].token == d.addr) {
				mp_store_le64(msg + d.off, maps[i].addr); /* the descriptor's address */
				break;
			}
		}
	}
}

/*
 * Applies a MSG reply: checks its tail (mpd_decode_reply_tail), maps the
 * regions given to the task, copies the written spans into the caller's
 * buffer, rewrites token addresses, and tells `vm` the pages it mapped and
 * the sender's regions the kernel deallocated (the caller's VM record
 * unmaps those). A tail or memfd that breaks the protocol is `broken`.
 */
/* Where a reply's spans go: the message buffer (msg_len bytes) and, for a
 * MSG2, spans at aux_at and on go to the aux buffer (aux_len bytes). */
typedef struct span_targets {
	uint8_t *msg;
	uint32_t msg_len, aux_at;
	uint8_t *aux;
	uint32_t aux_len;
} span_targets_t;

/* Every span lies inside one target (the decoder bounded them by the sum). */
static bool spans_fit(const mpd_msg_tail_t *t, const span_targets_t *tg)
{
	for (uint32_t i = 0; i < t->nspans; i++) {
		uint64_t end = (uint64_t)t->spans[i].off + t->spans[i].len;
		if (tg->aux != NULL && t->spans[i].off >= tg->aux_at)
			continue;
		if (end > tg->msg_len || (tg->aux != NULL && end > tg->aux_at))
			return false;
	}
	return true;
}

static void copy_spans(const mpd_msg_tail_t *t, const span_targets_t *tg)
{
	for (uint32_t i = 0; i < t->nspans; i++) {
		const mpd_span_t *sp = &t->spans[i];
		if (tg->aux != NULL && sp->off >= tg->aux_at)
			memcpy(tg->aux + (sp->off - tg->aux_at), sp->bytes, sp->len);
		else
			memcpy(tg->msg + sp->off, sp->bytes, sp->len);
	}
}

static mp_kr_t apply_reply_to(const mpd_vm_hooks_t *vm, const reply_t *r, const span_targets_t *tg,
			      mp_kr_t broken)
{
	uint8_t *msg = tg->msg;
	uint32_t buf_len = tg->aux != NULL ? tg->aux_at + tg->aux_len : tg->msg_len;
	const mpd_msg_reply_t *m = &r->r.u.msg;
	const uint8_t *tail = m->tail;
	uint8_t *tail_map = NULL;
	uint64_t tail_map_len = 0;
	int64_t fd_size = 0;
	mpd_msg_tail_t t;
	mpd_diag_t diag;
	mapped_t *maps = NULL;
	mpd_dealloc_t dl;
	mp_kr_t kr = broken;

	if (r->fd >= 0 && (fd_size = memfd_size(r->fd)) < 0)
		return broken;
	if (m->flags & MPD_REPLY_IN_FD) {
		tail_map_len = m->tail_at + m->tail_len;
		if (tail_map_len > (uint64_t)fd_size)
			return broken;
		tail_map = mmap(NULL, (size_t)tail_map_len, PROT_READ, MAP_PRIVATE, r->fd, 0);
		if (tail_map == MAP_FAILED)
			return broken;
		tail = tail_map + m->tail_at;
	}
	if (mpd_decode_reply_tail(m, tail, buf_len, &t, &diag) != MPD_OK || !maps_in_memfd(&t, fd_size) ||
	    !spans_fit(&t, tg))
		goto out;
	if (t.nmap > 0 && (maps = calloc(t.nmap, sizeof *maps)) == NULL)
		goto out;
	map_regions(vm, &t, r->fd, maps);
	copy_spans(&t, tg);
	if (t.nmap > 0 && t.nspans > 0 && msg != NULL && tg->msg_len >= MP_MSG_HEADER_SIZE)
		rewrite_tokens(msg, tg->msg_len, maps, t.nmap);
	for (uint32_t i = 0; i < t.ndealloc; i++) {
		mpd_tail_dealloc(&t, i, &dl);
		vm->deallocated(vm->ctx, dl.addr, dl.len);
	}
	kr = m->kr;
out:
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
/* A send error (not a receive error): the message, if the kernel gave it
 * back, is the send buffer's. */
static bool is_send_error(mp_kr_t kr)
{
	uint32_t code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK;
	return code != MP_MACH_MSG_SUCCESS && (code & 0x00004000u) == 0;
}

/* One MSG request (`a`, the message bytes `msg`), one rpc, the reply applied
 * to `rcv` (or to `snd` when it reports a send error). */
static mp_kr_t msg_rpc(mpd_client_t *m, mpd_msg_args_t *a, const uint8_t *msg, const span_targets_t *rcv,
		       const span_targets_t *snd, const mpd_vm_hooks_t *vm)
{
	bool sending = (a->option & MP_MACH_SEND_MSG) != 0;
	/* a reply that breaks the protocol: the receive's buffer, if any, cannot be trusted */
	mp_kr_t broken = (a->option & MP_MACH_RCV_MSG) ? MP_MACH_RCV_INVALID_DATA : MP_MACH_SEND_INVALID_DATA;
	uint8_t *req = NULL;
	size_t n = 0;
	int fd = -1, g;
	link_t *l;
	reply_t r;
	mp_kr_t kr;

	g = build_send(a, msg, &req, &n, &fd);
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
	if (r.diag.err != MPD_OK) /* the reply broke the protocol */
		kr = broken;
	else if (r.refused)
		kr = sending ? MP_MACH_SEND_INVALID_DATA : MP_MACH_RCV_INVALID_DATA;
	else
		kr = apply_reply_to(vm, &r, is_send_error(r.r.u.msg.kr) ? snd : rcv, broken);
	reply_close(&r);
	link_put(m, l);
out:
	if (fd >= 0)
		close(fd);
	free(req);
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
	span_targets_t tg;
	mpd_msg_args_t a;

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
	tg = (span_targets_t){ msg, a.send_size > a.rcv_size ? a.send_size : a.rcv_size, 0, NULL, 0 };
	tg.aux_at = tg.msg_len;
	return msg_rpc(m, &a, msg, &tg, &tg, vm);
}

/* ---- mach_msg2 ---------------------------------------------------------------------- */

static void *msg2_ptr(uint64_t addr)
{
	return (void *)(uintptr_t)addr;
}

/* A vector call's vectors, read from this process's memory as the kernel
 * would copy them in (only when their count lets it: 1 or 2), into the
 * MSG2 block. */
static void msg2_read_vectors(const mpd_msg2_call_t *c, mpd_msg2_t *m2, mp_msg_vector_t v[2])
{
	uint32_t n = c->send_size > c->rcv_size ? c->send_size : c->rcv_size;

	memset(v, 0, 2 * sizeof(*v));
	m2->vflags = MPD_MSG2_VECTOR;
	m2->vec_snd_count = c->send_size;
	m2->vec_rcv_count = c->rcv_size;
	if (c->data == NULL)
		m2->vflags |= MPD_MSG2_VEC_NULL;
	else if (n >= 1 && n <= MP_MACH_MSGV_MAX_COUNT)
		memcpy(v, c->data, n * sizeof(*v));
	if (n < MP_MACH_MSGV_MAX_COUNT)
		memset(&v[1], 0, sizeof(v[1]));
	m2->msg_vec_send_size = v[0].msgv_send_size;
	m2->aux_send_size = v[1].msgv_send_size;
	m2->aux_rcv_size = v[1].msgv_rcv_size;
	if (v[0].msgv_data == 0)
		m2->vflags |= MPD_MSG2_MSG_DATA_NULL;
	if ((v[0].msgv_rcv_addr ? v[0].msgv_rcv_addr : v[0].msgv_data) == 0)
		m2->vflags |= MPD_MSG2_MSG_RCV_NULL;
	if (v[1].msgv_data == 0)
		m2->vflags |= MPD_MSG2_AUX_DATA_NULL;
	if ((v[1].msgv_rcv_addr ? v[1].msgv_rcv_addr : v[1].msgv_data) == 0)
		m2->vflags |= MPD_MSG2_AUX_RCV_NULL;
}

/* The message the kernel will read (mach_msg_trap_send's size checks
 * passed): the header and count from the arguments, the body from the
 * buffer, so the OOL regions found are the kernel's. NULL if it reads none. */
static uint8_t *msg2_kernel_view(const mpd_msg2_call_t *c, const uint8_t *buf, uint32_t size)
{
	bool complex = MP_MSGH_BITS_IS_COMPLEX(c->bits);
	uint32_t skip = complex ? MP_MIN_COMPLEX_SEND_SIZE : MP_MSG_HEADER_SIZE;
	uint8_t *kv;

	if (buf == NULL || size < MP_MSG_HEADER_SIZE || (size & 3) || size > MP_MAX_SEND_SIZE ||
	    (complex && size < MP_MIN_COMPLEX_SEND_SIZE) || (kv = malloc(size)) == NULL)
		return NULL;
	mp_store_le32(kv + MP_MSGH_BITS_OFFSET, c->bits);
	mp_store_le32(kv + MP_MSGH_SIZE_OFFSET, size);
	mp_store_le32(kv + MP_MSGH_REMOTE_OFFSET, c->remote);
	mp_store_le32(kv + MP_MSGH_LOCAL_OFFSET, c->local);
	mp_store_le32(kv + MP_MSGH_VOUCHER_OFFSET, c->voucher);
	mp_store_le32(kv + MP_MSGH_ID_OFFSET, (uint32_t)c->id);
	if (complex)
		mp_store_le32(kv + MP_MSG_HEADER_SIZE, c->desc_count);
	memcpy(kv + skip, buf + skip, size - skip);
	return kv;
}

/* The span targets of a MSG2: the receive buffer (or the send buffer, for
 * a pseudo-receive), then the aux receive buffer at max(send, rcv size). */
static void msg2_targets(const mpd_msg_args_t *a, uint8_t *snd, uint32_t snd_len, uint8_t *rcv, uint8_t *aux,
			 uint32_t aux_len, span_targets_t *rt, span_targets_t *st)
{
	uint32_t at = a->send_size > a->rcv_size ? a->send_size : a->rcv_size;

	*rt = (span_targets_t){ rcv, a->rcv_size, at, aux, aux_len };
	*st = (span_targets_t){ snd, snd_len, at, aux, aux_len };
	if (rcv == NULL)
		rt->msg_len = 0;
	if (snd == NULL)
		st->msg_len = 0;
}

mp_kr_t mpd_client_msg2(mpd_client_t *m, const mpd_msg2_call_t *c, const mpd_vm_hooks_t *vm)
{
	bool sending = (c->options & MP_MACH_SEND_MSG) != 0, receiving = (c->options & MP_MACH_RCV_MSG) != 0;
	mp_msg_vector_t v[MP_MACH_MSGV_MAX_COUNT];
	span_targets_t rt, st;
	uint8_t *snd, *rcv, *aux = NULL, *kv = NULL;
	uint32_t snd_len, rcv_len, aux_len = 0;
	mpd_msg_args_t a;
	mp_kr_t kr;

	memset(&a, 0, sizeof a);
	a.flags = MPD_MSG_MSG2;
	a.option = (uint32_t)c->options;
	a.msg2 = (mpd_msg2_t){ .option_hi = (uint32_t)(c->options >> 32), .bits = c->bits, .remote = c->remote,
			       .local = c->local, .voucher = c->voucher, .id = c->id, .desc_count = c->desc_count,
			       .priority = c->priority };
	a.rcv_name = c->rcv_name;
	a.timeout_ms = (uint32_t)c->timeout; /* mach_msg2_trap truncates it */
	if (c->options & MP_MACH64_MSG_VECTOR) {
		msg2_read_vectors(c, &a.msg2, v);
		snd = msg2_ptr(v[0].msgv_data);
		rcv = msg2_ptr(v[0].msgv_rcv_addr ? v[0].msgv_rcv_addr : v[0].msgv_data);
		snd_len = v[0].msgv_send_size;
		rcv_len = v[0].msgv_rcv_size;
		if (!(a.msg2.vflags & MPD_MSG2_AUX_RCV_NULL)) {
			aux = msg2_ptr(v[1].msgv_rcv_addr ? v[1].msgv_rcv_addr : v[1].msgv_data);
			aux_len = v[1].msgv_rcv_size < MP_MAX_AUX_DATA_SPACE ? v[1].msgv_rcv_size : MP_MAX_AUX_DATA_SPACE;
		}
		a.aux = mpd_msg2_aux_len(&a.msg2) ? msg2_ptr(v[1].msgv_data) : NULL;
	} else {
		snd = rcv = c->data;
		snd_len = c->send_size;
		rcv_len = c->rcv_size;
		if (sending && snd_len > MP_MAX_SEND_SIZE)
			return MP_MACH_SEND_TOO_LARGE; /* the protocol carries no larger message */
	}
	if (c->options & MP_MACH64_MSG_VECTOR ? mpd_msg2_reads_message(&a.msg2, a.option)
					       : (sending && snd != NULL && snd_len >= MP_MSG_HEADER_SIZE)) {
		kv = msg2_kernel_view(c, snd, snd_len);
		if (kv != NULL)
			a.send_size = snd_len;
		else if (c->options & MP_MACH64_MSG_VECTOR)
			return MP_MACH_SEND_NO_BUFFER;
	} else if (sending && snd != NULL && !(c->options & MP_MACH64_MSG_VECTOR)) {
		a.send_size = snd_len; /* under a header: refused on its size alone */
	}
	if (!(c->options & MP_MACH64_MSG_VECTOR) && c->data == NULL)
		a.msg2.vflags = MPD_MSG2_VEC_NULL; /* the buffer's address is 0 */
	a.rcv_size = receiving ? (rcv_len > MPD_MAX_RCV_SIZE ? MPD_MAX_RCV_SIZE : rcv_len) : 0;
	a.buf_addr = (uint64_t)(uintptr_t)(receiving ? rcv : snd);
	a.msg = kv != NULL ? kv : snd;
	msg2_targets(&a, snd, snd_len, rcv, aux, aux_len, &rt, &st);
	kr = msg_rpc(m, &a, a.msg, &rt, &st, vm);
	free(kv);
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
	else if (r.refused)
		kr = MP_KERN_INVALID_ARGUMENT;
	else if ((kr = r.r.u.service.kr) == MP_KERN_SUCCESS && out != NULL)
		*out = r.r.u.service.port;
	reply_close(&r);
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

void mpd_client_forget(mpd_client_t *m)
{
	link_t *l, *next;
	bool primary_idle = false;

	if (m == NULL)
		return;
	for (l = m->idle; l != NULL; l = next) {
		next = l->next;
		primary_idle |= l == m->primary;
		link_free(l); /* close(): the parent's descriptor stays open */
	}
	if (!primary_idle && m->primary != NULL)
		link_free(m->primary); /* in use by a thread the child does not have */
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
	if (rpc(l, req, sizeof req, -1, MPD_OP_HELLO, &r) != 0) {
		kr = MP_KERN_FAILURE;
	} else {
		reply_close(&r);
		if (r.refused) {
			kr = MP_KERN_FAILURE;
		} else if ((kr = r.r.u.hello.kr) == MP_KERN_SUCCESS) {
			m->id = r.r.u.hello.space;
			m->token = r.r.u.hello.token;
			m->pid = r.r.u.hello.pid;
		}
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
	if (rpc(l, req, sizeof req, -1, MPD_OP_CHECK, &r) == 0 && !r.refused) {
		uint32_t wl = r.r.u.check.why_len; /* at most MPD_WHY_MAX */
		rep->ok = r.r.u.check.rc == 0;
		rep->spaces = r.r.u.check.spaces;
		rep->ports = r.r.u.check.ports;
		rep->psets = r.r.u.check.psets;
		rep->kmsgs = r.r.u.check.kmsgs;
		rep->vm_regions = r.r.u.check.vm_regions;
		if (wl >= sizeof rep->why)
			wl = sizeof rep->why - 1;
		memcpy(rep->why, r.r.u.check.why, wl);
		rc = 0;
	} else if (r.diag.err != MPD_OK) {
		snprintf(rep->why, sizeof rep->why, "machportd's CHECK reply broke %s at byte %zu: %s",
			 mpd_err_name(r.diag.err), r.diag.offset, r.diag.reason);
	} else {
		snprintf(rep->why, sizeof rep->why, "machportd did not answer CHECK");
	}
	reply_close(&r);
	link_free(l);
	return rc;
}

#endif /* __linux__ */
