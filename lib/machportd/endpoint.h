/*
 * lib/machportd/endpoint.h: where machportd listens, and who is calling.
 *
 * The socket lives in a directory only its owner can enter (0700, owned by
 * the caller's uid): a client can reach the daemon only if it is that user,
 * and nobody else can replace the socket. The daemon learns each client's
 * identity from the kernel (SO_PEERCRED at connect), never from what the
 * client says, so the audit and security tokens in trailers are true.
 */
#ifndef MP_MACHPORTD_ENDPOINT_H
#define MP_MACHPORTD_ENDPOINT_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/kern/kern.h"

/*
 * The socket path: $MACHPORTD_SOCKET if set, else machportd.sock in
 * $XDG_RUNTIME_DIR/machports/, else in /tmp/machports-UID/. Returns 0, or
 * -1 if it does not fit in `len` (a sockaddr_un path is short).
 */
int mpd_socket_path(char *out, size_t len);

/*
 * Makes (or checks) the directory that holds `socket_path`: created 0700
 * if missing; refused if it is not a directory, not owned by this uid, or
 * open to group or others. Returns 0, or -1 with a reason in `why`.
 */
int mpd_private_dir(const char *socket_path, char *why, size_t why_len);

/* The identity of the process at the other end of a connected AF_UNIX
 * socket (SO_PEERCRED): pid, uid, gid in the trailer tokens' slots (§4.4).
 * Returns 0, or -1 (not a Linux AF_UNIX socket, or the call failed). */
int mpd_peer_identity(int fd, mp_kern_identity_t *id);

/* One SOCK_SEQPACKET packet, with one descriptor when pass_fd >= 0
 * (SCM_RIGHTS). Returns 0, or -1 (errno; EAGAIN: SO_SNDTIMEO expired). */
int mpd_send_packet(int fd, const void *p, size_t len, int pass_fd);

/* One packet into buf (cap bytes) and the descriptors that came with it
 * (up to max_fds; any more are closed). Returns the packet's real length
 * (more than cap: it was too large, and is consumed), 0 at EOF or for an
 * empty packet, -1 on error. *truncated_fds: the kernel dropped some
 * (MSG_CTRUNC). */
ssize_t mpd_recv_packet(int fd, void *buf, size_t cap, int *fds, int max_fds, int *nfds, int *truncated_fds);

#endif /* MP_MACHPORTD_ENDPOINT_H */
