/* lib/machportd/tests/endpoint_test.c: the socket path rules, the private
 * directory checks, and the peer identity the kernel reports. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/machportd/endpoint.h"

static char tmp[64];

/* Under /tmp, not $TEST_TMPDIR: a sockaddr_un path holds 108 bytes, and
 * Bazel's test directories are longer than that. */
static int make_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "/tmp/mpdXXXXXX");
	return mkdtemp(tmp) == NULL ? -1 : 0;
}

static int remove_tmp(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void socket_path_rules(void **state)
{
	char p[108];
	(void)state;

	setenv("MACHPORTD_SOCKET", "/x/y.sock", 1);
	assert_int_equal(mpd_socket_path(p, sizeof p), 0);
	assert_string_equal(p, "/x/y.sock");
	unsetenv("MACHPORTD_SOCKET");
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
	assert_int_equal(mpd_socket_path(p, sizeof p), 0);
	assert_string_equal(p, "/run/user/7/machports/machportd.sock");
	setenv("XDG_RUNTIME_DIR", "relative", 1); /* not a path: ignored */
	assert_int_equal(mpd_socket_path(p, sizeof p), 0);
	assert_true(strncmp(p, "/tmp/machports-", 15) == 0);
	unsetenv("XDG_RUNTIME_DIR");
	/* longer than a sockaddr_un can hold */
	{
		char longp[300];
		memset(longp, 'a', sizeof longp - 1);
		longp[0] = '/';
		longp[sizeof longp - 1] = '\0';
		setenv("MACHPORTD_SOCKET", longp, 1);
		assert_int_equal(mpd_socket_path(p, sizeof p), -1);
		unsetenv("MACHPORTD_SOCKET");
	}
}

static void private_dir_rules(void **state)
{
	char sock[320], dir[280], why[256];
	(void)state;

	snprintf(dir, sizeof dir, "%s/d", tmp);
	snprintf(sock, sizeof sock, "%s/machportd.sock", dir);
	if (mpd_private_dir(sock, why, sizeof why) != 0) /* made 0700 */
		fail_msg("%s", why);
	{
		struct stat st;
		assert_int_equal(stat(dir, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0700);
	}
	assert_int_equal(mpd_private_dir(sock, why, sizeof why), 0); /* and accepted again */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(mpd_private_dir(sock, why, sizeof why), -1);
	assert_non_null(strstr(why, "open to others"));
	assert_int_equal(chmod(dir, 0700), 0);
	/* a file, or a symlink, in place of the directory */
	snprintf(dir, sizeof dir, "%s/f", tmp);
	fclose(fopen(dir, "w"));
	snprintf(sock, sizeof sock, "%s/machportd.sock", dir);
	assert_int_equal(mpd_private_dir(sock, why, sizeof why), -1);
	snprintf(dir, sizeof dir, "%s/l", tmp);
	assert_int_equal(symlink(tmp, dir), 0);
	snprintf(sock, sizeof sock, "%s/machportd.sock", dir);
	assert_int_equal(mpd_private_dir(sock, why, sizeof why), -1);
	assert_non_null(strstr(why, "not a directory"));
	assert_int_equal(mpd_private_dir("machportd.sock", why, sizeof why), -1);
}

static void peer_identity(void **state)
{
	int sv[2];
	mp_kern_identity_t id;
	pid_t child;
	int status;
	(void)state;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	assert_int_equal(mpd_peer_identity(sv[0], &id), 0);
	assert_int_equal(id.audit.val[5], (uint32_t)getpid());
	assert_int_equal(id.sec.val[0], (uint32_t)geteuid());
	assert_int_equal(id.sec.val[1], (uint32_t)getegid());
	close(sv[0]);
	close(sv[1]);

	/* across a fork: the other end's pid is the child's, from the kernel */
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* a connection made by the child: a new listening pair */
		int c[2];
		close(sv[0]);
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, c) != 0)
			_exit(1);
		/* hand the parent one end through SCM_RIGHTS: its peer is us */
		struct msghdr mh;
		struct iovec iov;
		char byte = 'x';
		char ctl[CMSG_SPACE(sizeof(int))];
		memset(&mh, 0, sizeof mh);
		iov.iov_base = &byte;
		iov.iov_len = 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof ctl;
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &c[0], sizeof(int));
		_exit(sendmsg(sv[1], &mh, 0) == 1 ? 0 : 1);
	}
	close(sv[1]);
	{
		struct msghdr mh;
		struct iovec iov;
		char byte;
		char ctl[CMSG_SPACE(sizeof(int))];
		int fd = -1;
		memset(&mh, 0, sizeof mh);
		iov.iov_base = &byte;
		iov.iov_len = 1;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof ctl;
		assert_int_equal(recvmsg(sv[0], &mh, 0), 1);
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		assert_int_equal(waitpid(child, &status, 0), child);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* the pair was made by the child: the kernel names it */
		assert_int_equal(mpd_peer_identity(fd, &id), 0);
		assert_int_equal(id.audit.val[5], (uint32_t)child);
		close(fd);
	}
	close(sv[0]);
	assert_int_equal(mpd_peer_identity(-1, &id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(socket_path_rules),
		cmocka_unit_test(private_dir_rules),
		cmocka_unit_test(peer_identity),
	};
	return cmocka_run_group_tests(tests, make_tmp, remove_tmp);
}
