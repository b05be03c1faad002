/*
 * lib/machportd/server_internal.h (private to the daemon): what the
 * server's lifecycle and threads (server.c) share with the requests they
 * serve (requests.c): the server, its connections and its tasks' spaces,
 * and the calls that keep a space alive while a request uses it.
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
 *  - OOL memory: the kernel reads a client's memory only through the VM
 *    ops of client_vm.h, which serve exactly the regions the client put in
 *    the request.
 */
#ifndef MP_MACHPORTD_SERVER_INTERNAL_H
#define MP_MACHPORTD_SERVER_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "lib/kern/kern.h"
#include "lib/machportd/server.h"

#define MPD_MAX_FDS 4 /* more in one packet is an error (and the rest are closed) */

typedef struct mpd_space {
	struct mpd_space *next;
	uint64_t id, token;
	pid_t pid;
	mp_kspace_t *ks;
	int users; /* threads using ks now */
	int refs;  /* connections bound to it */
	bool dead;
} mpd_space_t;

typedef struct mpd_conn {
	struct mpd_conn *next, *prev;
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
} mpd_conn_t;

struct mpd_server {
	mpd_server_opts_t o;
	FILE *log;
	mp_kern_t *k;
	int lfd, lock_fd, stop_pipe[2];
	pthread_mutex_t mu;
	pthread_cond_t cv; /* a space's users reached 0; a connection ended */
	mpd_conn_t *conns;
	int nconns;
	mpd_space_t *spaces;
	uint64_t next_id, next_serial;
	int epfd;           /* owner connections whose thread is in the kernel */
	pthread_t watcher;
	bool watching;
	bool stopping;
	/* the bootstrap registry (launchd's role): its rights live in a
	 * space of the daemon's own */
	mp_kern_registry_t *registry;
};

/* One line in the daemon's log (timestamped, thread-safe). */
void mpd_log(mpd_server_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* HELLO: a new task (space) owned by connection `c`, or NULL with *kr. */
mpd_space_t *mpd_task_create(mpd_conn_t *c, mp_kr_t *kr);
/* ATTACH: binds `c` to task {id, token} of its own process. */
mp_kr_t mpd_task_attach(mpd_conn_t *c, uint64_t id, uint64_t token);

/* A thread starts using a space (NULL if it has died), or another task
 * named by {id, token} (the task-port capability); and stops using it. */
mpd_space_t *mpd_space_use(mpd_server_t *s, mpd_space_t *sp);
mpd_space_t *mpd_space_use_other(mpd_server_t *s, uint64_t id, uint64_t token);
void mpd_space_done(mpd_server_t *s, mpd_space_t *sp);

/* Before a call that may block in the kernel (in_kernel) and after it: the
 * watcher then ends the task if the client hangs up meanwhile. False if
 * the client has hung up already. */
bool mpd_watch(mpd_conn_t *c, bool in_kernel);

/* Serves one packet of `len` bytes in c->pkt (see server.c's recv_packet
 * for -2 and a length over c->pkt_cap) with its descriptors: decode, the
 * kernel's call, the encoded reply. 0, or -1 to end the connection. */
int mpd_serve_packet(mpd_conn_t *c, ssize_t len, const int *fds, int nfds, bool fds_truncated);

#endif /* MP_MACHPORTD_SERVER_INTERNAL_H */
