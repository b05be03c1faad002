/*
 * machports/machportd.h: what only MP_BACKEND_MACHPORTD has.
 *
 * machportd is lib/kern served to separate processes (Linux): each task is
 * a space in the daemon, whose socket is $MACHPORTD_SOCKET (else
 * machportd.sock in a private directory under $XDG_RUNTIME_DIR or /tmp).
 * mp_task_open(MP_BACKEND_MACHPORTD) starts the daemon ($MACHPORTD, else
 * machportd on PATH) if nobody listens, unless MACHPORTD_NO_AUTOSTART=1.
 * The task's identity in trailers is this process's, as the daemon's kernel
 * sees it (SO_PEERCRED); the task dies with the process. mp_task_close
 * waits until the daemon has ended it.
 *
 * The calls here work through machports/port.h's tasks; where machportd is
 * not available (not Linux) they answer MP_KERN_NOT_SUPPORTED (or -1).
 */
#ifndef MACHPORTS_MACHPORTD_H
#define MACHPORTS_MACHPORTD_H

#include "machports/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A task owned by another process: that process calls mp_task_relay(fd)
 * on one end of a socketpair; this one calls mp_task_open_remote on the
 * other end. The task is the relaying process's (its identity, its
 * lifetime: it dies if that process dies); the calls are this process's,
 * and the memory its messages name is this process's. `server` is the
 * relaying process's pid, reaped by mp_task_close (0: not a child).
 * mp_task_relay returns when the other end closes, after the task ended
 * (0, or -1 if the daemon could not be reached or went away).
 */
MP_MUST_USE mp_kr_t mp_task_open_remote(int fd, int server, mp_task_t **out);
int mp_task_relay(int fd);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_MACHPORTD_H */
