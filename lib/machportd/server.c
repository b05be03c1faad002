/*
 * lib/machportd/server.c: machportd's spaces, connections and requests.
 *
 * Who may touch what (issue 6's security rules):
 *  - A connection acts on the one space it is bound to. HELLO makes a new
 *    space whose identity (trailer tokens) is the connecting process's
 *    SO_PEERCRED; ATTACH binds more connections of that same process (pid
 *    checked by the kernel's credentials, and the space's 64-bit token).
 *  - Names are looked up by lib/kern in the caller's space only, so a
 *    forged or stale name fails with XNU's code (KERN_INVALID_NAME...).
 *  - The two calls that name a second task (insert_right, extract_right)
 *    name it by {space id, token}: the token is the task port, a
 *    capability its owner chose to hand out.
 *  - OOL memory: the kernel reads a client's memory only through this
 *    file's VM ops, which serve exactly the regions the client put in the
 *    request (packet or memfd, keyed by the descriptors' addresses); every
 *    other address is unreadable (MACH_SEND_INVALID_MEMORY). The daemon
 *    never reads or writes its own memory at a client's address.
 *
 * A client's death (EOF on its owner connection: exit, SIGKILL) is task
 * death: ipc_space_terminate (lib/kern). A connection's thread sees EOF
 * when it reads; while it is blocked inside the kernel (a receive, a send
 * to a full queue) the watcher thread sees the hang-up instead (epoll,
 * EPOLLRDHUP) and ends the task, which wakes the blocked call. Other
 * threads of the daemon inside a call on that space (its client's other
 * connections blocked in mach_msg, or another client's insert_right
 * naming it) are counted in `users`; the space is freed when they have
 * left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/kern/kern.h"
#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "lib/machportd/server.h"
#include "lib/wire/le.h"
#include "machports/msg.h"

#define PAGE MPD_PAGE
#define MAX_FDS 4           /* more in one packet is an error (and the rest are closed) */
#define SEND_TIMEOUT_S 30   /* a client that does not read its replies is cut off */
#define MAX_OUT MPD_MAX_OUT_BYTES /* OOL bytes given to one receiver in one call */

typedef struct mpd_space {
	struct mpd_space *next;
	uint64_t id, token;
	pid_t pid;
	mp_kspace_t *ks;
	int users; /* threads using ks now */
	int refs;  /* connections bound to it */
	bool dead;
} mpd_space_t;

typedef struct conn {
	struct conn *next, *prev;
	mpd_server_t *srv;
	int fd;
	mp_kern_identity_t ident;
	pid_t pid;
	uint64_t serial; /* the watcher's handle on it */
	mpd_space_t *space;
	bool owner;
	bool in_kernel; /* its thread is inside mp_kern_msg (under s->mu) */
	bool hung_up;   /* the watcher saw it hang up (under s->mu) */
	uint8_t *pkt;
	size_t pkt_cap;
	uint8_t *reply; /* MPD_MAX_REPLY bytes: every reply is encoded here */
	uint8_t *kbuf; /* the kernel's copy of the caller's message buffer, reused */
	size_t kbuf_cap;
	uint8_t *obuf; /* the regions a receive is given, reused */
	uint64_t obuf_cap;
	uint64_t requests;
} conn_t;

/* A bootstrap service: a name and the registry space's send right. */
typedef struct service {
	char name[MPD_SERVICE_MAX + 1];
	mp_port_name_t right;
} service_t;

#define MAX_SERVICES 4096

struct mpd_server {
	mpd_server_opts_t o;
	FILE *log;
	mp_kern_t *k;
	int lfd, lock_fd, stop_pipe[2];
	pthread_mutex_t mu;
	pthread_cond_t cv; /* a space's users reached 0; a connection ended */
	conn_t *conns;
	int nconns;
	mpd_space_t *spaces;
	uint64_t next_id, next_serial;
	int epfd;           /* owner connections whose thread is in the kernel */
	pthread_t watcher;
	bool watching;
	bool stopping;
	/* the bootstrap registry (launchd's role): its rights live in a
	 * space of the daemon's own, under s->mu */
	mp_kspace_t *registry;
	service_t *services;
	uint32_t nservices;
};

/* ---- log ---------------------------------------------------------------- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void logf_(mpd_server_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(mpd_server_t *s, const char *fmt, ...)
{
	va_list ap;
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&log_mu);
	fprintf(s->log, "%s.%03ldZ machportd[%d]: ", when, ts.tv_nsec / 1000000, (int)getpid());
	va_start(ap, fmt);
	vfprintf(s->log, fmt, ap);
	va_end(ap);
	fputc('\n', s->log);
	fflush(s->log);
	pthread_mutex_unlock(&log_mu);
}

/* ---- spaces ------------------------------------------------------------- */

/* A thread starts using a space (NULL if it has died). */
static mpd_space_t *space_use(mpd_server_t *s, mpd_space_t *sp)
{
	pthread_mutex_lock(&s->mu);
	if (sp == NULL || sp->dead)
		sp = NULL;
	else
		sp->users++;
	pthread_mutex_unlock(&s->mu);
	return sp;
}

/* Another task named by {id, token} (the task-port capability). */
static mpd_space_t *space_use_other(mpd_server_t *s, uint64_t id, uint64_t token)
{
	mpd_space_t *sp;
	pthread_mutex_lock(&s->mu);
	for (sp = s->spaces; sp != NULL; sp = sp->next)
		if (sp->id == id && sp->token == token && !sp->dead)
			break;
	if (sp != NULL)
		sp->users++;
	pthread_mutex_unlock(&s->mu);
	return sp;
}

static void space_done(mpd_server_t *s, mpd_space_t *sp)
{
	pthread_mutex_lock(&s->mu);
	if (--sp->users == 0 && sp->dead)
		pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* The task dies (under s->mu): no new call reaches it, ipc_space_terminate
 * runs, and its blocked callers are woken (..._INTERRUPTED). Its kernel
 * space stays until they have left (space_kill). Once only. */
static void space_end(mpd_server_t *s, mpd_space_t *sp)
{
	if (sp->dead)
		return;
	sp->dead = true;
	for (mpd_space_t **pp = &s->spaces; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == sp) {
			*pp = sp->next;
			break;
		}
	}
	mp_kern_space_terminate(sp->ks);
}

/* Task death (the owner connection ended): space_end (the watcher or the
 * shutdown may have done it already), then wait for the threads still
 * inside a call on it, then free the kernel space. */
static void space_kill(mpd_server_t *s, mpd_space_t *sp)
{
	mp_kspace_t *ks;
	pthread_mutex_lock(&s->mu);
	space_end(s, sp);
	ks = sp->ks;
	while (sp->users > 0)
		pthread_cond_wait(&s->cv, &s->mu);
	sp->ks = NULL;
	pthread_mutex_unlock(&s->mu);
	mp_kern_space_destroy(ks);
}

static void space_unbind(mpd_server_t *s, mpd_space_t *sp)
{
	bool last;
	pthread_mutex_lock(&s->mu);
	last = --sp->refs == 0;
	pthread_mutex_unlock(&s->mu);
	if (last)
		free(sp);
}

/* ---- the watcher: a client that dies while its thread is in the kernel ---- */

/* An owner connection is watched for its hang-up from HELLO on (edge-
 * triggered: one event). The event ends the task only while the
 * connection's thread is in the kernel; otherwise it is noted, and the
 * thread finds it before it enters the kernel (both under s->mu), or reads
 * EOF. Returns false if the client has hung up already. */
static void watch_owner(conn_t *c)
{
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLHUP | EPOLLET, .data.u64 = c->serial };
	if (epoll_ctl(c->srv->epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		/* unwatched: a death during a blocked call then waits for the call's end */
	}
}

static bool watch(conn_t *c, bool in_kernel)
{
	mpd_server_t *s = c->srv;
	bool alive;
	if (!c->owner)
		return true; /* an attached connection's death is its owner's too */
	pthread_mutex_lock(&s->mu);
	alive = !c->hung_up;
	c->in_kernel = in_kernel && alive;
	pthread_mutex_unlock(&s->mu);
	return alive;
}

static void *watcher_main(void *arg)
{
	mpd_server_t *s = arg;
	struct epoll_event ev[16];

	for (;;) {
		int n = epoll_wait(s->epfd, ev, 16, 500);
		pthread_mutex_lock(&s->mu);
		if (s->stopping) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			conn_t *c = s->conns;
			while (c != NULL && c->serial != ev[i].data.u64)
				c = c->next;
			if (c == NULL)
				continue;
			c->hung_up = true;
			if (!c->in_kernel)
				continue; /* its thread sees it */
			c->in_kernel = false;
			if (c->space != NULL && !c->space->dead) {
				logf_(s, "client pid %d hung up during a call: task %llu ends", (int)c->pid,
				      (unsigned long long)c->space->id);
				space_end(s, c->space); /* its blocked thread, a user, frees it later */
			}
		}
		pthread_mutex_unlock(&s->mu);
	}
}

/* ---- a client's memory (the kernel's VM ops for client spaces) ----------- */

typedef struct window {
	uint64_t addr, size, off;
} window_t;

/* One MSG call's memory: the regions the client sent (in its memfd, mapped
 * read-only here), and what the kernel gave it or took from it. */
typedef struct call {
	mpd_space_t *space;
	const uint8_t *in;
	window_t win[MPD_MAX_OOL];
	uint32_t nwin;
	uint8_t *out; /* the reply memfd's bytes: regions at page-aligned offsets */
	uint64_t out_len, out_cap;
	mpd_map_t *map; /* offset: into out */
	uint32_t nmap, map_cap;
	mpd_dealloc_t *dealloc;
	uint32_t ndealloc, dealloc_cap;
} call_t;

/* The kernel calls the VM ops in the thread that made the call (the sender
 * copies in and deallocates; the receiver maps), so the call in progress is
 * this thread's. Anything else is refused. */
static _Thread_local call_t *cur_call;

static call_t *call_for(void *ctx)
{
	return (cur_call != NULL && cur_call->space == ctx) ? cur_call : NULL;
}

static int vm_copyin(void *ctx, uint64_t addr, void *dst, uint64_t len)
{
	call_t *c = call_for(ctx);
	if (c == NULL)
		return -1;
	if (len == 0)
		return 0;
	for (uint32_t i = 0; i < c->nwin; i++) {
		const window_t *w = &c->win[i];
		if (addr >= w->addr && len <= w->size && addr - w->addr <= w->size - len) {
			memcpy(dst, c->in + w->off + (addr - w->addr), (size_t)len);
			return 0;
		}
	}
	return -1; /* not memory the client sent: unreadable, as an unmapped address */
}

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	uint32_t nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, (size_t)nc * elem);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static int vm_map_copy(void *ctx, const void *data, uint64_t len, uint64_t page_off, uint64_t *addr)
{
	call_t *c = call_for(ctx);
	uint64_t off, end;
	if (c == NULL || page_off >= PAGE)
		return -1;
	off = (c->out_len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	end = off + page_off + len;
	if (end > MAX_OUT || grow((void **)&c->map, &c->map_cap, c->nmap + 1, sizeof(mpd_map_t)) != 0)
		return -1;
	if (end > c->out_cap) {
		uint64_t nc = c->out_cap ? c->out_cap : 16384;
		while (nc < end)
			nc *= 2;
		uint8_t *nb = realloc(c->out, (size_t)nc);
		if (nb == NULL)
			return -1;
		c->out = nb;
		c->out_cap = nc;
	}
	memset(c->out + c->out_len, 0, (size_t)(off + page_off - c->out_len));
	if (data != NULL)
		memcpy(c->out + off + page_off, data, (size_t)len);
	else
		memset(c->out + off + page_off, 0, (size_t)len);
	c->out_len = end;
	*addr = MPD_TOKEN_BASE + off + page_off;
	c->map[c->nmap++] = (mpd_map_t){ *addr, off, len, page_off, NULL };
	return 0;
}

static void vm_deallocate(void *ctx, uint64_t addr, uint64_t len)
{
	call_t *c = call_for(ctx);
	if (c == NULL || grow((void **)&c->dealloc, &c->dealloc_cap, c->ndealloc + 1, sizeof(mpd_dealloc_t)) != 0)
		return;
	c->dealloc[c->ndealloc++] = (mpd_dealloc_t){ addr, len };
}

static const mp_kern_vm_ops_t client_vm = { vm_copyin, vm_map_copy, vm_deallocate };

/* ---- replies -------------------------------------------------------------- */

/* A sealed memfd holding `len` bytes (the client maps it; it cannot shrink). */
static int make_memfd(const void *data, uint64_t len)
{
	int fd = memfd_create("machportd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	const uint8_t *p = data;
	uint64_t done = 0;
	if (fd < 0)
		return -1;
	while (done < len) {
		ssize_t n = pwrite(fd, p + done, (size_t)(len - done), (off_t)done);
		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (uint64_t)n;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends one packet (with an fd, or -1). 0, or -1 if the client is gone or
 * stopped reading (SO_SNDTIMEO). */
static int send_packet(conn_t *c, const uint8_t *p, size_t len, int fd)
{
	if (mpd_send_packet(c->fd, p, len, fd) == 0)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		logf_(c->srv, "client pid %d does not read its replies: disconnected", (int)c->pid);
	return -1;
}

/* Encodes reply `r` in the connection's reply buffer (a MSG reply's
 * inline tail may be there already) and sends it, with fd if >= 0. */
static int send_reply(conn_t *c, const mpd_reply_t *r, int fd)
{
	size_t n = mpd_encode_reply(c->reply, MPD_MAX_REPLY, r);
	if (n == 0) {
		logf_(c->srv, "client pid %d: a %u reply that breaks the protocol: disconnected", (int)c->pid, r->op);
		return -1;
	}
	return send_packet(c, c->reply, n, fd);
}

static int refuse(conn_t *c, uint32_t op, uint32_t seq, const mpd_diag_t *d)
{
	mpd_reply_t rep = { .op = MPD_OP_REFUSED, .seq = seq };
	rep.u.refused.err = d->err;
	rep.u.refused.offset = (uint32_t)d->offset;
	rep.u.refused.reason = d->reason;
	rep.u.refused.reason_len = (uint32_t)strnlen(d->reason, sizeof d->reason);
	if (c->srv->o.verbose || d->err == MPD_E_FDS)
		logf_(c->srv, "client pid %d: request refused: %s at byte %zu: %s (op %u)", (int)c->pid,
		      mpd_err_name(d->err), d->offset, d->reason, op);
	return send_reply(c, &rep, -1);
}

/* ---- requests ------------------------------------------------------------ */

static int do_hello(conn_t *c, const mpd_request_t *r)
{
	mpd_server_t *s = c->srv;
	mpd_reply_t rep = { .op = MPD_OP_HELLO, .seq = r->seq };
	mp_kr_t kr = MP_KERN_SUCCESS;
	mpd_space_t *sp = NULL;

	if (r->u.version != MPD_VERSION) {
		kr = MP_KERN_NOT_SUPPORTED;
	} else if (c->space != NULL) {
		kr = MP_KERN_INVALID_ARGUMENT; /* a connection is bound once */
	} else if ((sp = calloc(1, sizeof *sp)) == NULL) {
		kr = MP_KERN_RESOURCE_SHORTAGE;
	} else if ((kr = mp_kern_space_create(s->k, &c->ident, &sp->ks)) != MP_KERN_SUCCESS) {
		free(sp);
		sp = NULL;
	} else {
		if (getrandom(&sp->token, sizeof sp->token, 0) != sizeof sp->token)
			sp->token = ((uint64_t)rand() << 32) ^ (uint64_t)time(NULL) ^ (uintptr_t)sp;
		sp->pid = c->pid;
		sp->refs = 1;
		mp_kern_space_set_vm(sp->ks, &client_vm, sp);
		pthread_mutex_lock(&s->mu);
		sp->id = s->next_id++;
		sp->next = s->spaces;
		s->spaces = sp;
		pthread_mutex_unlock(&s->mu);
		c->space = sp;
		c->owner = true;
		watch_owner(c);
		logf_(s, "client pid %d uid %u: task %llu", (int)c->pid, c->ident.sec.val[0],
		      (unsigned long long)sp->id);
	}
	rep.u.hello.kr = kr;
	rep.u.hello.space = sp ? sp->id : 0;
	rep.u.hello.token = sp ? sp->token : 0;
	rep.u.hello.pid = (uint32_t)c->pid;
	rep.u.hello.uid = c->ident.sec.val[0];
	rep.u.hello.gid = c->ident.sec.val[1];
	return send_reply(c, &rep, -1);
}

static int do_attach(conn_t *c, const mpd_request_t *r)
{
	mpd_server_t *s = c->srv;
	mpd_reply_t rep = { .op = MPD_OP_ATTACH, .seq = r->seq };
	mp_kr_t kr = MP_KERN_INVALID_TASK;

	pthread_mutex_lock(&s->mu);
	if (c->space == NULL) {
		for (mpd_space_t *sp = s->spaces; sp != NULL; sp = sp->next) {
			/* only the process that owns the task: the token is not enough */
			if (sp->id == r->u.attach.space && sp->token == r->u.attach.token && !sp->dead &&
			    sp->pid == c->pid) {
				sp->refs++;
				c->space = sp;
				kr = MP_KERN_SUCCESS;
				break;
			}
		}
	} else {
		kr = MP_KERN_INVALID_ARGUMENT;
	}
	pthread_mutex_unlock(&s->mu);
	rep.u.attach.kr = kr;
	return send_reply(c, &rep, -1);
}

static int do_check(conn_t *c, const mpd_request_t *r)
{
	mpd_reply_t rep = { .op = MPD_OP_CHECK, .seq = r->seq };
	char why[MPD_WHY_MAX + 1] = "";
	mp_kern_stats_t st;
	int ok;

	ok = mp_kern_check(c->srv->k, why, sizeof why);
	mp_kern_get_stats(c->srv->k, &st);
	st.spaces--; /* clients' spaces: not the registry's */
	rep.u.check.rc = (uint32_t)ok;
	rep.u.check.spaces = st.spaces;
	rep.u.check.ports = st.ports;
	rep.u.check.psets = st.psets;
	rep.u.check.kmsgs = st.kmsgs;
	rep.u.check.vm_regions = st.vm_regions;
	rep.u.check.why = why;
	rep.u.check.why_len = (uint32_t)strlen(why);
	return send_reply(c, &rep, -1);
}

static int do_port_call(conn_t *c, const mpd_request_t *r)
{
	const mpd_port_call_t *a = &r->u.call;
	mpd_server_t *s = c->srv;
	mpd_space_t *sp = space_use(s, c->space), *other = NULL;
	uint32_t r1 = 0, r2 = 0, r3 = 0, nextra = 0;
	uint64_t r64 = 0;
	uint8_t extra[MPD_PORT_EXTRA_MAX];
	mp_kr_t kr;
	mpd_reply_t rep = { .op = MPD_OP_PORT_CALL, .seq = r->seq };

	if (sp == NULL) {
		kr = MP_KERN_INVALID_TASK;
		goto reply;
	}
	mp_kspace_t *ks = sp->ks;
	switch ((mpd_call_t)a->call) {
	case MPD_CALL_ALLOCATE:
		kr = mp_kern_port_allocate(ks, a->a1, &r1);
		break;
	case MPD_CALL_ALLOCATE_NAME:
		kr = mp_kern_port_allocate_name(ks, a->a1, a->name);
		break;
	case MPD_CALL_CONSTRUCT:
		kr = mp_kern_port_construct(ks, a->a1, a->a2, a->a64, &r1);
		break;
	case MPD_CALL_DESTRUCT:
		kr = mp_kern_port_destruct(ks, a->name, a->delta, a->a64);
		break;
	case MPD_CALL_DEALLOCATE:
		kr = mp_kern_port_deallocate(ks, a->name);
		break;
	case MPD_CALL_DESTROY:
		kr = mp_kern_port_destroy(ks, a->name);
		break;
	case MPD_CALL_MOD_REFS:
		kr = mp_kern_port_mod_refs(ks, a->name, a->a1, a->delta);
		break;
	case MPD_CALL_GET_REFS:
		kr = mp_kern_port_get_refs(ks, a->name, a->a1, &r1);
		break;
	case MPD_CALL_TYPE:
		kr = mp_kern_port_type(ks, a->name, &r1);
		break;
	case MPD_CALL_INSERT_RIGHT:
	case MPD_CALL_EXTRACT_RIGHT:
		/* the other task: {space id, token} in a64, b64 */
		other = a->a64 == sp->id && a->b64 == sp->token ? sp : space_use_other(s, a->a64, a->b64);
		if (other == NULL)
			kr = MP_KERN_INVALID_TASK;
		else if (a->call == MPD_CALL_INSERT_RIGHT)
			kr = mp_kern_port_insert_right(ks, a->name, other->ks, a->a1, a->a2);
		else
			kr = mp_kern_port_extract_right(ks, a->name, a->a1, other->ks, &r1, &r2);
		if (other != NULL && other != sp)
			space_done(s, other);
		break;
	case MPD_CALL_SET_CONTEXT:
		kr = mp_kern_port_set_context(ks, a->name, a->a64);
		break;
	case MPD_CALL_GET_CONTEXT:
		kr = mp_kern_port_get_context(ks, a->name, &r64);
		break;
	case MPD_CALL_GUARD:
		kr = mp_kern_port_guard(ks, a->name, a->a64, a->b64);
		break;
	case MPD_CALL_UNGUARD:
		kr = mp_kern_port_unguard(ks, a->name, a->a64);
		break;
	case MPD_CALL_SET_QLIMIT:
		kr = mp_kern_port_set_qlimit(ks, a->name, a->a1);
		break;
	case MPD_CALL_GET_STATUS: {
		mp_port_status_t st;
		memset(&st, 0, sizeof st);
		kr = mp_kern_port_get_status(ks, a->name, &st);
		memcpy(extra, &st, sizeof st);
		nextra = kr == MP_KERN_SUCCESS ? (uint32_t)sizeof st : 0;
		break;
	}
	case MPD_CALL_INSERT_MEMBER:
		kr = mp_kern_port_insert_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_EXTRACT_MEMBER:
		kr = mp_kern_port_extract_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_MOVE_MEMBER:
		kr = mp_kern_port_move_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_REQUEST_NOTIFICATION:
		kr = mp_kern_port_request_notification(ks, a->name, (int32_t)a->a1, (uint32_t)a->a64, a->a2,
						       (uint32_t)a->delta, &r1);
		break;
	case MPD_CALL_PEEK: {
		/* delta: the caller's trailer buffer size, at most a full trailer */
		uint32_t tsize = a->delta < 0 ? 0
				 : a->delta > (int32_t)MP_MAX_TRAILER_SIZE ? MP_MAX_TRAILER_SIZE
									   : (uint32_t)a->delta;
		int32_t id = 0;
		r1 = a->a2;
		kr = mp_kern_port_peek(ks, a->name, a->a1, &r1, &r2, &id, extra, &tsize);
		r3 = (uint32_t)id;
		nextra = kr == MP_KERN_SUCCESS ? tsize : 0;
		break;
	}
	default:
		kr = MP_KERN_INVALID_ARGUMENT; /* the decoder refuses these first */
		break;
	}
	space_done(s, sp);
reply:
	rep.u.port_call.kr = kr;
	rep.u.port_call.r1 = r1;
	rep.u.port_call.r2 = r2;
	rep.u.port_call.r3 = r3;
	rep.u.port_call.r64 = r64;
	rep.u.port_call.extra = extra;
	rep.u.port_call.nextra = nextra;
	return send_reply(c, &rep, -1);
}

/* The memfd that came with a MSG: sealed against shrinking (else the
 * client could truncate it under the daemon: SIGBUS), holding the bytes
 * the table promises. Mapped read-only, private. */
static const uint8_t *map_request_fd(int fd, uint64_t need, mpd_diag_t *d)
{
	struct stat st;
	int seals = fcntl(fd, F_GET_SEALS);
	void *p;

	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "the OOL descriptor is not a memfd sealed with F_SEAL_SHRINK");
		return NULL;
	}
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < need) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "the memfd holds %lld bytes, the request %llu",
			 (long long)st.st_size, (unsigned long long)need);
		return NULL;
	}
	p = mmap(NULL, (size_t)need, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		d->err = MPD_E_FDS;
		snprintf(d->reason, sizeof d->reason, "mmap of %llu bytes: %s", (unsigned long long)need,
			 strerror(errno));
		return NULL;
	}
	return p;
}

/* The parts of the caller's buffer the kernel wrote (see proto.h). */
static uint32_t written_spans(const mpd_msg_args_t *m, mp_kr_t kr, const uint8_t *kbuf, mpd_span_t *span)
{
	uint32_t code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK, n = 0;
	bool rcv_error = (code & 0x00004000u) != 0;

	if (code == MP_MACH_MSG_SUCCESS || code == MP_MACH_RCV_HEADER_ERROR || code == MP_MACH_RCV_BODY_ERROR) {
		/* a message was received (with or without copyout errors, §6.9) */
		if (m->option & MP_MACH_RCV_MSG) {
			uint32_t size = mp_load_le32(kbuf + MP_MSGH_SIZE_OFFSET), tsize = 0;
			if (size <= m->rcv_size - 8 && m->rcv_size >= 8)
				tsize = mp_load_le32(kbuf + size + 4); /* the trailer's size */
			uint64_t end = (uint64_t)size + tsize;
			span[n++] = (mpd_span_t){ 0, end > m->rcv_size ? m->rcv_size : (uint32_t)end, kbuf };
		}
	} else if (rcv_error) {
		if (code == MP_MACH_RCV_TOO_LARGE) {
			if (m->option & MP_MACH_RCV_LARGE) {
				if (m->rcv_size >= 8) /* msgh_size */
					span[n++] = (mpd_span_t){ MP_MSGH_SIZE_OFFSET, 4, kbuf + MP_MSGH_SIZE_OFFSET };
				if ((m->option & MP_MACH_RCV_LARGE_IDENTITY) && m->rcv_size >= 16) /* msgh_local_port */
					span[n++] = (mpd_span_t){ MP_MSGH_LOCAL_OFFSET, 4, kbuf + MP_MSGH_LOCAL_OFFSET };
			} else {
				uint32_t end = MP_MSG_HEADER_SIZE + mp_rcv_trailer_size(m->option);
				span[n++] = (mpd_span_t){ 0, end > m->rcv_size ? m->rcv_size : end, kbuf };
			}
		}
	} else if ((m->option & MP_MACH_SEND_MSG) && m->send_size > 0) {
		/* a send error: a pseudo-received message is written back in
		 * place; otherwise these bytes are the caller's own */
		span[n++] = (mpd_span_t){ 0, m->send_size, kbuf };
	}
	return n;
}

/*
 * The MSG reply: the tail (spans, the regions given to the caller, the
 * sender's deallocated regions, the spans' bytes) rides in the packet, its
 * regions packed into it when they are small (the client copies them into
 * fresh pages) or else in a memfd; a tail too large for a packet goes in
 * the memfd after the regions. *out_fd: the memfd sent, for the caller to
 * close.
 */
static int send_msg_reply(conn_t *c, uint32_t seq, mp_kr_t kr, const mpd_span_t *span, uint32_t nspans,
			  call_t *call, int *out_fd)
{
	mpd_reply_t rep = { .op = MPD_OP_MSG, .seq = seq };
	mpd_msg_reply_t *mr = &rep.u.msg;
	mpd_tail_parts_t parts = { span, nspans, call->map, call->nmap, call->dealloc, call->ndealloc, 1 };
	uint64_t tail_len;

	for (uint32_t i = 0; i < call->nmap; i++)
		call->map[i].bytes = call->out + call->map[i].offset + call->map[i].page_off;
	/* packed when the whole tail fits a packet (with 8 bytes a span to spare) */
	parts.regions_inline = call->nmap > 0 && mpd_reply_tail_size(&parts) + 8ull * nspans <= MPD_INLINE_MAX;
	tail_len = mpd_reply_tail_size(&parts);
	if (tail_len > UINT32_MAX)
		return -1;
	mr->kr = kr;
	mr->nspans = nspans;
	mr->nmap = call->nmap;
	mr->ndealloc = call->ndealloc;
	mr->tail_len = (uint32_t)tail_len;
	if (tail_len <= MPD_INLINE_MAX) {
		/* encoded in place, after the fixed part */
		uint8_t *tail = c->reply + MPD_HEADER_SIZE + MPD_MSG_REPLY;
		mpd_encode_reply_tail(tail, MPD_INLINE_MAX, &parts);
		mr->flags = parts.regions_inline ? MPD_REPLY_OOL_INLINE : 0;
		mr->tail = tail;
		if (call->nmap > 0 && !parts.regions_inline)
			*out_fd = make_memfd(call->out, call->out_len);
	} else {
		/* too large for a packet: the tail goes in the memfd after the regions */
		uint64_t at = (call->out_len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		uint8_t *all = calloc(1, (size_t)(at + tail_len));
		if (all != NULL) {
			if (call->out_len)
				memcpy(all, call->out, (size_t)call->out_len);
			mpd_encode_reply_tail(all + at, (size_t)tail_len, &parts);
			*out_fd = make_memfd(all, at + tail_len);
			free(all);
		}
		mr->flags = MPD_REPLY_IN_FD;
		mr->tail_at = at;
	}
	if (((call->nmap > 0 && !parts.regions_inline) || tail_len > MPD_INLINE_MAX) && *out_fd < 0) {
		/* cannot hand the memory over: the rights and regions the
		 * kernel copied out would be lost with it */
		logf_(c->srv, "client pid %d: cannot build a reply memfd (%s): disconnected", (int)c->pid,
		      strerror(errno));
		return -1;
	}
	return send_reply(c, &rep, *out_fd);
}

static int do_msg(conn_t *c, const mpd_request_t *r, int fd)
{
	const mpd_msg_args_t *m = &r->u.msg;
	mpd_server_t *s = c->srv;
	mpd_space_t *sp;
	mpd_diag_t d;
	call_t call;
	const uint8_t *in = NULL, *mapped = NULL, *msg;
	uint8_t *kbuf = NULL;
	size_t kcap;
	mp_kr_t kr;
	mpd_span_t span[MPD_MAX_SPANS];
	uint32_t nspans;
	int rc = 0, out_fd = -1;
	uint64_t prev_desc = 0;
	mpd_desc_iter_t it;
	mpd_desc_ref_t dr;

	memset(&call, 0, sizeof call);
	memset(&d, 0, sizeof d);
	call.out = c->obuf;
	call.out_cap = c->obuf_cap;
	c->obuf = NULL;
	c->obuf_cap = 0;
	if (m->fd_bytes > 0 && (mapped = map_request_fd(fd, m->fd_bytes, &d)) == NULL) {
		rc = refuse(c, MPD_OP_MSG, r->seq, &d);
		goto out;
	}
	in = m->ool_data != NULL ? m->ool_data : mapped; /* the regions: in the packet, or the memfd */
	msg = m->msg != NULL ? m->msg : mapped != NULL ? mapped + m->ool_total : NULL;

	/* the kernel's copy of the caller's buffer: the message, room to
	 * receive (kept for the connection's next call up to 1 MiB) */
	kcap = m->send_size > m->rcv_size ? m->send_size : m->rcv_size;
	if (kcap < 64)
		kcap = 64;
	if (kcap > c->kbuf_cap) {
		uint8_t *nb = realloc(c->kbuf, kcap);
		if (nb == NULL) {
			kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_NO_BUFFER : MP_MACH_RCV_INVALID_DATA;
			nspans = 0;
			goto reply;
		}
		c->kbuf = nb;
		c->kbuf_cap = kcap;
	}
	kbuf = c->kbuf;
	if (m->send_size)
		memcpy(kbuf, msg, m->send_size);

	/* the windows: table entry i is descriptor desc_index's region */
	mpd_desc_iter_init(&it, kbuf, (m->option & MP_MACH_SEND_MSG) ? m->send_size : 0);
	for (uint32_t i = 0; i < m->nool; i++) {
		uint32_t idx = mp_load_le32(m->ool_table + 8 * i), size = mp_load_le32(m->ool_table + 8 * i + 4);
		int found = 0;
		while (mpd_desc_next(&it, &dr)) {
			if (dr.index == idx) {
				found = dr.is_ool && dr.size == size;
				break;
			}
		}
		if (!found) {
			d.err = MPD_E_OOL_TABLE;
			d.offset = MPD_HEADER_SIZE + MPD_MSG_ARGS + 8 * (size_t)i;
			snprintf(d.reason, sizeof d.reason, "OOL region %u: descriptor %u is not an OOL region of %u bytes",
				 i, idx, size);
			rc = refuse(c, MPD_OP_MSG, r->seq, &d);
			goto out;
		}
		call.win[call.nwin++] = (window_t){ dr.addr, size, prev_desc };
		prev_desc += size;
	}

	sp = space_use(s, c->space);
	if (sp == NULL) {
		kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DEST : MP_MACH_RCV_INVALID_NAME;
		nspans = 0;
		goto reply;
	}
	call.space = sp;
	call.in = in;
	cur_call = &call;
	if (watch(c, true))
		kr = mp_kern_msg_user(sp->ks, kbuf, m->buf_addr, m->option, m->send_size, m->rcv_size, m->rcv_name,
				      m->timeout_ms);
	else /* the client is gone: its task ends when this thread reads EOF */
		kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INTERRUPTED : MP_MACH_RCV_INTERRUPTED;
	watch(c, false);
	cur_call = NULL;
	space_done(s, sp);
	nspans = written_spans(m, kr, kbuf, span);

reply:
	rc = send_msg_reply(c, r->seq, kr, span, nspans, &call, &out_fd);
out:
	if (out_fd >= 0)
		close(out_fd);
	if (mapped != NULL)
		munmap((void *)mapped, (size_t)m->fd_bytes);
	if (c->kbuf_cap > (1u << 20)) { /* a large buffer is not kept */
		free(c->kbuf);
		c->kbuf = NULL;
		c->kbuf_cap = 0;
	}
	if (call.out_cap <= (1u << 20)) { /* kept for the next call */
		c->obuf = call.out;
		c->obuf_cap = call.out_cap;
	} else {
		free(call.out);
	}
	free(call.map);
	free(call.dealloc);
	return rc;
}

/*
 * The bootstrap registry, as launchd's bootstrap_register / look_up: a
 * service name maps to a send right held in the registry's own space.
 * Registering takes a copy of the caller's send right (COPY_SEND) or makes
 * one from its receive right (MAKE_SEND); a name whose port has died may
 * be registered again, a live one is BOOTSTRAP_NAME_IN_USE. Looking up
 * copies the send right into the caller's space; a dead one is dropped
 * and the name is BOOTSTRAP_UNKNOWN_SERVICE.
 */
static service_t *service_find(mpd_server_t *s, const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < s->nservices; i++)
		if (strlen(s->services[i].name) == len && memcmp(s->services[i].name, name, len) == 0)
			return &s->services[i];
	return NULL;
}

/* Drops a service whose port died (its right is a dead name now). */
static bool service_dead(mpd_server_t *s, service_t *sv)
{
	uint32_t type = 0;
	if (mp_kern_port_type(s->registry, sv->right, &type) == MP_KERN_SUCCESS && (type & MP_PORT_TYPE_SEND))
		return false;
	if (mp_kern_port_deallocate(s->registry, sv->right) != MP_KERN_SUCCESS) {
		/* already gone */
	}
	*sv = s->services[--s->nservices];
	return true;
}

/* Drops every service whose port has died (the registry is full). */
static void sweep_services(mpd_server_t *s)
{
	for (uint32_t i = 0; i < s->nservices;)
		if (!service_dead(s, &s->services[i]))
			i++;
}

static int do_service(conn_t *c, const mpd_request_t *r)
{
	mpd_server_t *s = c->srv;
	mpd_space_t *sp = space_use(s, c->space);
	const char *name = r->u.service.name;
	uint32_t len = r->u.service.name_len, type = 0;
	mp_port_name_t got = MP_PORT_NULL;
	mp_kr_t kr;
	mpd_reply_t rep = { .op = r->op, .seq = r->seq };

	if (sp == NULL) {
		kr = MP_KERN_INVALID_TASK;
		goto reply;
	}
	pthread_mutex_lock(&s->mu);
	service_t *sv = service_find(s, name, len);
	if (r->op == MPD_OP_REGISTER) {
		uint32_t disp = r->u.service.disposition;
		if (sv != NULL && !service_dead(s, sv)) {
			kr = MP_BOOTSTRAP_NAME_IN_USE;
		} else if (disp != MP_MSG_TYPE_COPY_SEND && disp != MP_MSG_TYPE_MAKE_SEND) {
			kr = MP_KERN_INVALID_VALUE;
		} else if (s->nservices == MAX_SERVICES && (sweep_services(s), s->nservices == MAX_SERVICES)) {
			kr = MP_BOOTSTRAP_NO_MEMORY;
		} else {
			kr = mp_kern_port_extract_right(sp->ks, r->u.service.port, disp, s->registry, &got, &type);
			if (kr == MP_KERN_SUCCESS) {
				service_t *n = &s->services[s->nservices++];
				memcpy(n->name, name, len);
				n->name[len] = '\0';
				n->right = got;
				got = MP_PORT_NULL;
			}
		}
	} else if (sv == NULL || service_dead(s, sv)) {
		kr = MP_BOOTSTRAP_UNKNOWN_SERVICE;
	} else {
		kr = mp_kern_port_extract_right(s->registry, sv->right, MP_MSG_TYPE_COPY_SEND, sp->ks, &got, &type);
	}
	pthread_mutex_unlock(&s->mu);
	space_done(s, sp);
reply:
	rep.u.service.kr = kr;
	rep.u.service.port = got;
	return send_reply(c, &rep, -1);
}

/* ---- connections ----------------------------------------------------------- */

/* One packet and its fds (into c->pkt, MPD_MAX_PACKET bytes). Returns its
 * real length (more than the buffer: it was too large and is consumed), 0
 * at EOF, -1 on error, -2 for an empty packet. */
static ssize_t recv_packet(conn_t *c, int *fds, int *nfds, bool *fds_truncated)
{
	int trunc = 0;
	ssize_t n = mpd_recv_packet(c->fd, c->pkt, c->pkt_cap, fds, MAX_FDS, nfds, &trunc);

	*fds_truncated = trunc != 0;
	if (n == 0) {
		/* a SOCK_SEQPACKET read is 0 at EOF and for an empty packet:
		 * the peer is gone only if it hung up */
		struct pollfd p = { c->fd, POLLRDHUP, 0 };
		if (poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
			for (int i = 0; i < *nfds; i++)
				close(fds[i]);
			*nfds = 0;
			return 0;
		}
		return -2;
	}
	return n;
}

static void conn_end(conn_t *c)
{
	mpd_server_t *s = c->srv;

	if (c->space != NULL) {
		if (c->owner) {
			logf_(s, "client pid %d: task %llu ended (%llu requests): its space is destroyed",
			      (int)c->pid, (unsigned long long)c->space->id, (unsigned long long)c->requests);
			space_kill(s, c->space);
		}
		space_unbind(s, c->space);
	}
	pthread_mutex_lock(&s->mu);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	close(c->fd);
	free(c->pkt);
	free(c->reply);
	free(c->kbuf);
	free(c->obuf);
	free(c);
}

static void *conn_main(void *arg)
{
	conn_t *c = arg;
	int fds[MAX_FDS], nfds;
	bool trunc;

	for (;;) {
		ssize_t len = recv_packet(c, fds, &nfds, &trunc);
		mpd_request_t r;
		mpd_diag_t d;
		int rc;

		if (len == 0 || len == -1)
			break;
		c->requests++;
		if (len == -2) {
			memset(&d, 0, sizeof d);
			d.err = MPD_E_SHORT;
			snprintf(d.reason, sizeof d.reason, "an empty packet (a header is %u bytes)", MPD_HEADER_SIZE);
			rc = refuse(c, 0, 0, &d);
		} else if ((size_t)len > c->pkt_cap) {
			memset(&d, 0, sizeof d);
			d.err = MPD_E_TOO_LARGE;
			snprintf(d.reason, sizeof d.reason, "%zd bytes, at most %u", len, MPD_MAX_PACKET);
			rc = refuse(c, 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
		} else if (trunc) {
			memset(&d, 0, sizeof d);
			d.err = MPD_E_FDS;
			snprintf(d.reason, sizeof d.reason, "more than %d descriptors in one packet", MAX_FDS);
			rc = refuse(c, 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
		} else if (mpd_decode_request(c->pkt, (size_t)len, nfds, &r, &d) != MPD_OK) {
			rc = refuse(c, len >= 8 ? mp_load_le32(c->pkt + 4) & 0xffff : 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
		} else if (r.op == MPD_OP_HELLO) {
			rc = do_hello(c, &r);
		} else if (r.op == MPD_OP_ATTACH) {
			rc = do_attach(c, &r);
		} else if (r.op == MPD_OP_CHECK) {
			rc = do_check(c, &r);
		} else if (c->space == NULL) {
			memset(&d, 0, sizeof d);
			d.err = MPD_E_OP;
			d.offset = 4;
			snprintf(d.reason, sizeof d.reason, "op %u before HELLO or ATTACH", r.op);
			rc = refuse(c, r.op, r.seq, &d);
		} else if (r.op == MPD_OP_PORT_CALL) {
			rc = do_port_call(c, &r);
		} else if (r.op == MPD_OP_REGISTER || r.op == MPD_OP_LOOK_UP) {
			rc = do_service(c, &r);
		} else {
			rc = do_msg(c, &r, nfds == 1 ? fds[0] : -1);
		}
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (rc != 0)
			break;
	}
	conn_end(c);
	return NULL;
}

/* ---- the server ------------------------------------------------------------ */

mpd_server_t *mpd_server_open(const mpd_server_opts_t *o, char *why, size_t why_len, int *already_running)
{
	mpd_server_t *s = calloc(1, sizeof *s);
	struct sockaddr_un sa;
	char lock_path[sizeof sa.sun_path + 8];

	*already_running = 0;
	if (s == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	s->o = *o;
	s->log = o->log ? o->log : stderr;
	s->lfd = s->lock_fd = s->stop_pipe[0] = s->stop_pipe[1] = s->epfd = -1;
	s->next_id = 1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(o->socket_path) >= sizeof sa.sun_path) {
		snprintf(why, why_len, "socket path too long (%zu bytes, at most %zu)", strlen(o->socket_path),
			 sizeof sa.sun_path - 1);
		goto fail;
	}
	strcpy(sa.sun_path, o->socket_path);
	if (mpd_private_dir(o->socket_path, why, why_len) != 0)
		goto fail;
	/* one daemon per socket: whoever holds the lock owns the path */
	snprintf(lock_path, sizeof lock_path, "%s.lock", o->socket_path);
	s->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0) {
		snprintf(why, why_len, "%s: %s", lock_path, strerror(errno));
		goto fail;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(why, why_len, "another machportd serves %s", o->socket_path);
		*already_running = 1;
		goto fail;
	}
	unlink(o->socket_path); /* a dead daemon's socket */
	s->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&sa, sizeof sa) != 0 || chmod(o->socket_path, 0600) != 0 ||
	    listen(s->lfd, 128) != 0) {
		snprintf(why, why_len, "%s: %s", o->socket_path, strerror(errno));
		goto fail;
	}
	if (pipe2(s->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0 || (s->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		snprintf(why, why_len, "pipe, epoll: %s", strerror(errno));
		goto fail;
	}
	s->k = mp_kern_create();
	s->services = calloc(MAX_SERVICES, sizeof *s->services);
	if (s->k == NULL || s->services == NULL || mp_kern_space_create(s->k, NULL, &s->registry) != MP_KERN_SUCCESS) {
		snprintf(why, why_len, "out of memory");
		goto fail;
	}
	return s;
fail:
	mpd_server_close(s);
	return NULL;
}

void mpd_server_stop(mpd_server_t *s)
{
	char b = 1;
	if (write(s->stop_pipe[1], &b, 1) < 0) {
		/* full: a stop is already pending */
	}
}

static void accept_one(mpd_server_t *s)
{
	int fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
	struct timeval tv = { s->o.send_timeout_s > 0 ? s->o.send_timeout_s : SEND_TIMEOUT_S, 0 };
	int sz = 1 << 20;
	conn_t *c;
	pthread_t th;
	pthread_attr_t at;

	if (fd < 0)
		return;
	c = calloc(1, sizeof *c);
	if (c == NULL || mpd_peer_identity(fd, &c->ident) != 0) {
		logf_(s, "refused a connection: %s", c == NULL ? "out of memory" : "no peer credentials");
		free(c);
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	c->pkt = malloc(MPD_MAX_PACKET);
	c->pkt_cap = MPD_MAX_PACKET;
	c->reply = malloc(MPD_MAX_REPLY);
	if (c->pkt == NULL || c->reply == NULL) {
		logf_(s, "refused a connection: out of memory");
		free(c->pkt);
		free(c->reply);
		free(c);
		close(fd);
		return;
	}
	c->srv = s;
	c->fd = fd;
	c->serial = ++s->next_serial;
	c->pid = (pid_t)c->ident.audit.val[5];
	pthread_mutex_lock(&s->mu);
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	pthread_mutex_unlock(&s->mu);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&at, 256 << 10);
	if (pthread_create(&th, &at, conn_main, c) != 0) {
		logf_(s, "client pid %d: no thread for it: disconnected", (int)c->pid);
		conn_end(c);
	}
	pthread_attr_destroy(&at);
}

int mpd_server_run(mpd_server_t *s)
{
	time_t idle_since = time(NULL);
	char why[256] = "";
	mp_kern_stats_t st;
	struct timespec until;
	int bad;

	if (pthread_create(&s->watcher, NULL, watcher_main, s) != 0) {
		logf_(s, "cannot start the watcher thread");
		return 1;
	}
	s->watching = true;
	logf_(s, "serving %s", s->o.socket_path);
	for (;;) {
		struct pollfd p[2] = { { s->lfd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
		int n = poll(p, 2, 1000);
		if (n < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN)
			accept_one(s);
		pthread_mutex_lock(&s->mu);
		if (s->nconns > 0)
			idle_since = time(NULL);
		pthread_mutex_unlock(&s->mu);
		if (s->o.idle_exit_s > 0 && time(NULL) - idle_since >= s->o.idle_exit_s) {
			logf_(s, "no client for %d s: exiting", s->o.idle_exit_s);
			break;
		}
	}

	/* shutdown: no new clients; every client's connections are cut and its
	 * space ended as at task death, blocked calls woken */
	close(s->lfd);
	s->lfd = -1;
	unlink(s->o.socket_path);
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	for (conn_t *c = s->conns; c != NULL; c = c->next)
		shutdown(c->fd, SHUT_RDWR);
	while (s->spaces != NULL)
		space_end(s, s->spaces);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	while (s->nconns > 0)
		if (pthread_cond_timedwait(&s->cv, &s->mu, &until) == ETIMEDOUT)
			break;
	if (s->nconns == 0) {
		/* the registry goes last: its send rights are released */
		mp_kern_space_destroy(s->registry);
		s->registry = NULL;
		s->nservices = 0;
	}
	int left = s->nconns;
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->watcher, NULL);
	s->watching = false;
	if (left > 0) {
		logf_(s, "%d connections did not end in 10 s; exiting without the final check", left);
		return 1;
	}
	bad = mp_kern_check(s->k, why, sizeof why);
	mp_kern_get_stats(s->k, &st);
	if (bad || st.spaces || st.ports || st.psets || st.kmsgs) {
		logf_(s, "stopped: kernel check FAILED: %s (%u spaces, %u ports, %u sets, %u messages left)",
		      bad ? why : "leak", st.spaces, st.ports, st.psets, st.kmsgs);
		return 1;
	}
	logf_(s, "stopped: every space ended, invariants hold, nothing left");
	return 0;
}

void mpd_server_close(mpd_server_t *s)
{
	if (s == NULL)
		return;
	if (s->lfd >= 0) {
		close(s->lfd);
		unlink(s->o.socket_path);
	}
	if (s->stop_pipe[0] >= 0) {
		close(s->stop_pipe[0]);
		close(s->stop_pipe[1]);
	}
	if (s->k != NULL && s->nconns == 0)
		mp_kern_destroy(s->k); /* and the registry's space, if still there */
	free(s->services);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->epfd >= 0)
		close(s->epfd);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
