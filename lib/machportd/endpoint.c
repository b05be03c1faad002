/* lib/machportd/endpoint.c: the daemon's socket path, its private
 * directory, and the peer's identity (endpoint.h). Linux only, as machportd. */
#define _GNU_SOURCE /* struct ucred, SO_PEERCRED */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/machportd/endpoint.h"

int mpd_socket_path(char *out, size_t len)
{
	const char *env = getenv("MACHPORTD_SOCKET"), *xdg = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un sun;
	int n;

	if (env != NULL && env[0] != '\0')
		n = snprintf(out, len, "%s", env);
	else if (xdg != NULL && xdg[0] == '/')
		n = snprintf(out, len, "%s/machports/machportd.sock", xdg);
	else
		n = snprintf(out, len, "/tmp/machports-%u/machportd.sock", (unsigned)getuid());
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof sun.sun_path)
		return -1;
	return 0;
}

int mpd_private_dir(const char *socket_path, char *why, size_t why_len)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *slash = strrchr(socket_path, '/');
	struct stat st;
	size_t n;

	if (slash == NULL || slash == socket_path) {
		snprintf(why, why_len, "%s: the socket needs a directory of its own", socket_path);
		return -1;
	}
	n = (size_t)(slash - socket_path);
	if (n >= sizeof dir) {
		snprintf(why, why_len, "%s: path too long", socket_path);
		return -1;
	}
	memcpy(dir, socket_path, n);
	dir[n] = '\0';
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(why, why_len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	/* lstat: a symlink planted in place of the directory is refused too */
	if (lstat(dir, &st) != 0) {
		snprintf(why, why_len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "%s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != getuid()) {
		snprintf(why, why_len, "%s belongs to uid %u, not %u", dir, (unsigned)st.st_uid,
			 (unsigned)getuid());
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(why, why_len, "%s is open to others (mode %03o; it must be 0700)", dir,
			 (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

int mpd_peer_identity(int fd, mp_kern_identity_t *id)
{
#if defined(SO_PEERCRED)
	struct ucred cred;
	socklen_t len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof cred)
		return -1;
	memset(id, 0, sizeof(*id));
	/* SO_PEERCRED reports the effective ids at connect(); Linux has no
	 * audit user or session here, so auid = uid and asid = 0 */
	id->sec.val[0] = (uint32_t)cred.uid;
	id->sec.val[1] = (uint32_t)cred.gid;
	id->audit.val[0] = (uint32_t)cred.uid;
	id->audit.val[1] = (uint32_t)cred.uid;
	id->audit.val[2] = (uint32_t)cred.gid;
	id->audit.val[3] = (uint32_t)cred.uid;
	id->audit.val[4] = (uint32_t)cred.gid;
	id->audit.val[5] = (uint32_t)cred.pid;
	return 0;
#else
	(void)fd;
	(void)id;
	return -1;
#endif
}

int mpd_send_packet(int fd, const void *p, size_t len, int pass_fd)
{
	struct iovec iov = { (void *)p, len };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (pass_fd >= 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.b;
		mh.msg_controllen = sizeof u.b;
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

ssize_t mpd_recv_packet(int fd, void *buf, size_t cap, int *fds, int max_fds, int *nfds, int *truncated_fds)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(8 * sizeof(int))];
	} u;
	struct iovec iov = { buf, cap };
	struct msghdr mh;
	ssize_t n;

	*nfds = 0;
	*truncated_fds = 0;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.b;
	mh.msg_controllen = sizeof u.b;
	do /* MSG_TRUNC: the packet's real length, even when it did not fit */
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int f;
			memcpy(&f, CMSG_DATA(cm) + i * sizeof(int), sizeof f);
			if (*nfds < max_fds)
				fds[(*nfds)++] = f;
			else
				close(f);
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		*truncated_fds = 1; /* Linux closed the ones that did not fit */
	return n;
}
