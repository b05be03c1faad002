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
