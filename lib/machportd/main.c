/*
 * machportd: machports' userspace Mach IPC kernel for separate processes.
 *
 *   machportd [--socket PATH] [--idle-exit SECONDS] [--send-timeout SECONDS]
 *             [--log FILE] [--verbose]
 *
 * --send-timeout: a client that does not read its replies for that long
 * (default 30 s) is disconnected, which ends its task.
 *
 * The socket is PATH, else $MACHPORTD_SOCKET, else machportd.sock in a
 * private directory under $XDG_RUNTIME_DIR or /tmp (endpoint.h). SIGTERM
 * or SIGINT: every client's space is ended as at task death, the kernel's
 * invariants are checked, and it exits 0 if they held and nothing leaked.
 * Exit status 3: another machportd already serves the socket.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/machportd/endpoint.h"
#include "lib/machportd/server.h"

static mpd_server_t *g_server;

static void on_signal(int sig)
{
	(void)sig;
	if (g_server != NULL)
		mpd_server_stop(g_server);
}

static int usage(void)
{
	fprintf(stderr, "usage: machportd [--socket PATH] [--idle-exit SECONDS] [--send-timeout SECONDS]\n"
			"                 [--log FILE] [--verbose]\n");
	return 2;
}

int main(int argc, char **argv)
{
	mpd_server_opts_t o = { 0 };
	char path[108], why[512];
	int already, rc;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--socket") == 0 && v) {
			o.socket_path = v;
			i++;
		} else if (strcmp(a, "--idle-exit") == 0 && v) {
			o.idle_exit_s = atoi(v);
			i++;
		} else if (strcmp(a, "--log") == 0 && v) {
			o.log = fopen(v, "a");
			if (o.log == NULL) {
				perror(v);
				return 2;
			}
			i++;
		} else if (strcmp(a, "--send-timeout") == 0 && v) {
			o.send_timeout_s = atoi(v);
			i++;
		} else if (strcmp(a, "--verbose") == 0) {
			o.verbose = 1;
		} else {
			return usage();
		}
	}
	if (o.socket_path == NULL) {
		if (mpd_socket_path(path, sizeof path) != 0) {
			fprintf(stderr, "machportd: the socket path is too long\n");
			return 2;
		}
		o.socket_path = path;
	}
	g_server = mpd_server_open(&o, why, sizeof why, &already);
	if (g_server == NULL) {
		fprintf(stderr, "machportd: %s\n", why);
		return already ? 3 : 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = mpd_server_run(g_server);
	mpd_server_close(g_server);
	if (o.log)
		fclose(o.log);
	return rc;
}
