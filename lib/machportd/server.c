/*
 * lib/machportd/server.c: machportd's lifecycle and threads: the socket,
 * one thread per connection (reading packets for requests.c to serve),
 * the tasks' spaces and their deaths, the watcher, and the shutdown.
 * The security rules are in server_internal.h; the client-memory boundary
 * is client_vm.c, the bootstrap registry lib/kern/registry.c.
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
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/kern/kern.h"
#include "lib/machportd/client_vm.h"
#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "lib/machportd/server.h"
#include "lib/machportd/server_internal.h"

#define SEND_TIMEOUT_S 30   /* a client that does not read its replies is cut off */

/* ---- log ---------------------------------------------------------------- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

void mpd_log(mpd_server_t *s, const char *fmt, ...)
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

mpd_space_t *mpd_space_use(mpd_server_t *s, mpd_space_t *sp)
{
	pthread_mutex_lock(&s->mu);
	if (sp == NULL || sp->dead)
		sp = NULL;
	else
		sp->users++;
	pthread_mutex_unlock(&s->mu);
	return sp;
}

mpd_space_t *mpd_space_use_other(mpd_server_t *s, uint64_t id, uint64_t token)
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

void mpd_space_done(mpd_server_t *s, mpd_space_t *sp)
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

/* ---- tasks --------------------------------------------------------------- */

static void watch_owner(mpd_conn_t *c);

mpd_space_t *mpd_task_create(mpd_conn_t *c, mp_kr_t *kr)
{
	mpd_server_t *s = c->srv;
	mpd_space_t *sp = calloc(1, sizeof *sp);

	if (sp == NULL) {
		*kr = MP_KERN_RESOURCE_SHORTAGE;
		return NULL;
	}
	if ((*kr = mp_kern_space_create(s->k, &c->ident, &sp->ks)) != MP_KERN_SUCCESS) {
		free(sp);
		return NULL;
	}
	if (getrandom(&sp->token, sizeof sp->token, 0) != sizeof sp->token)
		sp->token = ((uint64_t)rand() << 32) ^ (uint64_t)time(NULL) ^ (uintptr_t)sp;
	sp->pid = c->pid;
	sp->refs = 1;
	mp_kern_space_set_vm(sp->ks, &mpd_client_vm_ops, sp);
	pthread_mutex_lock(&s->mu);
	sp->id = s->next_id++;
	sp->next = s->spaces;
	s->spaces = sp;
	pthread_mutex_unlock(&s->mu);
	c->space = sp;
	c->owner = true;
	watch_owner(c);
	mpd_log(s, "client pid %d uid %u: task %llu", (int)c->pid, c->ident.sec.val[0], (unsigned long long)sp->id);
	return sp;
}

mp_kr_t mpd_task_attach(mpd_conn_t *c, uint64_t id, uint64_t token)
{
	mpd_server_t *s = c->srv;
	mp_kr_t kr = MP_KERN_INVALID_TASK;

	pthread_mutex_lock(&s->mu);
	if (c->space == NULL) {
		for (mpd_space_t *sp = s->spaces; sp != NULL; sp = sp->next) {
			/* only the process that owns the task: the token is not enough */
			if (sp->id == id && sp->token == token && !sp->dead && sp->pid == c->pid) {
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
	return kr;
}

/* ---- the watcher: a client that dies while its thread is in the kernel ---- */

/* An owner connection is watched for its hang-up from HELLO on (edge-
 * triggered: one event). The event ends the task only while the
 * connection's thread is in the kernel; otherwise it is noted, and the
 * thread finds it before it enters the kernel (both under s->mu), or reads
 * EOF. Returns false if the client has hung up already. */
static void watch_owner(mpd_conn_t *c)
{
	struct epoll_event ev = { .events = EPOLLRDHUP | EPOLLHUP | EPOLLET, .data.u64 = c->serial };
	if (epoll_ctl(c->srv->epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
		/* unwatched: a death during a blocked call then waits for the call's end */
	}
}

bool mpd_watch(mpd_conn_t *c, bool in_kernel)
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
			mpd_conn_t *c = s->conns;
			while (c != NULL && c->serial != ev[i].data.u64)
				c = c->next;
			if (c == NULL)
				continue;
			c->hung_up = true;
			if (!c->in_kernel)
				continue; /* its thread sees it */
			c->in_kernel = false;
			if (c->space != NULL && !c->space->dead) {
				mpd_log(s, "client pid %d hung up during a call: task %llu ends", (int)c->pid,
				        (unsigned long long)c->space->id);
				space_end(s, c->space); /* its blocked thread, a user, frees it later */
			}
		}
		pthread_mutex_unlock(&s->mu);
	}
}

/* ---- connections ----------------------------------------------------------- */

/* One packet and its fds (into c->pkt, MPD_MAX_PACKET bytes). Returns its
 * real length (more than the buffer: it was too large and is consumed), 0
 * at EOF, -1 on error, -2 for an empty packet. */
static ssize_t recv_packet(mpd_conn_t *c, int *fds, int *nfds, bool *fds_truncated)
{
	int trunc = 0;
	ssize_t n = mpd_recv_packet(c->fd, c->pkt, c->pkt_cap, fds, MPD_MAX_FDS, nfds, &trunc);

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

static void conn_end(mpd_conn_t *c)
{
	mpd_server_t *s = c->srv;

	if (c->space != NULL) {
		if (c->owner) {
			mpd_log(s, "client pid %d: task %llu ended (%llu requests): its space is destroyed",
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
	mpd_conn_t *c = arg;
	int fds[MPD_MAX_FDS], nfds;
	bool trunc;

	for (;;) {
		ssize_t len = recv_packet(c, fds, &nfds, &trunc);
		int rc;

		if (len == 0 || len == -1)
			break;
		c->requests++;
		rc = mpd_serve_packet(c, len, fds, nfds, trunc);
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
	if (s->k == NULL || (s->registry = mp_kern_registry_create(s->k)) == NULL) {
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
	mpd_conn_t *c;
	pthread_t th;
	pthread_attr_t at;

	if (fd < 0)
		return;
	c = calloc(1, sizeof *c);
	if (c == NULL || mpd_peer_identity(fd, &c->ident) != 0) {
		mpd_log(s, "refused a connection: %s", c == NULL ? "out of memory" : "no peer credentials");
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
		mpd_log(s, "refused a connection: out of memory");
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
		mpd_log(s, "client pid %d: no thread for it: disconnected", (int)c->pid);
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
		mpd_log(s, "cannot start the watcher thread");
		return 1;
	}
	s->watching = true;
	mpd_log(s, "serving %s", s->o.socket_path);
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
			mpd_log(s, "no client for %d s: exiting", s->o.idle_exit_s);
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
	for (mpd_conn_t *c = s->conns; c != NULL; c = c->next)
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
		mp_kern_registry_close(s->registry);
		s->registry = NULL;
	}
	int left = s->nconns;
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->watcher, NULL);
	s->watching = false;
	if (left > 0) {
		mpd_log(s, "%d connections did not end in 10 s; exiting without the final check", left);
		return 1;
	}
	bad = mp_kern_check(s->k, why, sizeof why);
	mp_kern_get_stats(s->k, &st);
	if (bad || st.spaces || st.ports || st.psets || st.kmsgs) {
		mpd_log(s, "stopped: kernel check FAILED: %s (%u spaces, %u ports, %u sets, %u messages left)",
		        bad ? why : "leak", st.spaces, st.ports, st.psets, st.kmsgs);
		return 1;
	}
	mpd_log(s, "stopped: every space ended, invariants hold, nothing left");
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
	mp_kern_registry_free(s->registry); /* its space, if still there, goes with the kernel */
	if (s->k != NULL && s->nconns == 0)
		mp_kern_destroy(s->k);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->epfd >= 0)
		close(s->epfd);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s);
}
