/*
 * lib/machportd/server.h: machportd's serving side.
 *
 * One lib/kern kernel; one IPC space per client task (a HELLO on a
 * connection makes it; the space dies when that connection closes, as a
 * task's space dies with the task); one thread per connection.
 *
 * Why a thread per connection and not an event loop: lib/kern blocks a
 * caller inside mach_msg on the port's condition variable, exactly where
 * XNU parks a thread, with XNU's timeout rules. A thread per connection
 * keeps that code as it is: a blocked receive or a full-queue send blocks
 * its own client's thread only, never another client. An event loop would
 * need every blocking path of the kernel turned into continuations. The
 * cost (a thread per connected client thread) is what XNU pays too.
 */
#ifndef MP_MACHPORTD_SERVER_H
#define MP_MACHPORTD_SERVER_H

#include <stdio.h>

typedef struct mpd_server mpd_server_t;

typedef struct mpd_server_opts {
	const char *socket_path;
	int idle_exit_s; /* exit after this long without a connection (0: never) */
	FILE *log;       /* connections, errors, client deaths (NULL: stderr) */
	int verbose;     /* also log every refused request */
	int send_timeout_s; /* a client that reads no reply for this long is cut off (0: 30 s) */
} mpd_server_opts_t;

/* Binds the socket (its directory private, one daemon per socket: a lock
 * file beside it). Returns NULL with a reason; *already_running is set
 * when another daemon holds the socket. */
mpd_server_t *mpd_server_open(const mpd_server_opts_t *o, char *why, size_t why_len,
			      int *already_running);

/* Serves until mpd_server_stop (or the idle timeout); then ends every
 * client's space, checks the kernel's invariants and returns 0 if they
 * held and nothing leaked. */
int mpd_server_run(mpd_server_t *s);

/* Async-signal-safe: asks mpd_server_run to finish. */
void mpd_server_stop(mpd_server_t *s);

void mpd_server_close(mpd_server_t *s);

#endif /* MP_MACHPORTD_SERVER_H */
