/*
 * mpdump: decode Mach messages stored in files.
 *
 *   mpdump --send|--recv [--json] [--trailer-size N] FILE...
 *
 * Exit status: 0 when every file is accepted, 1 when any is rejected, 2 on a
 * usage or I/O error. A rejected file prints one line
 *   FILE: rejected: MP_E_... [MACH_SEND_...] at offset N: reason
 * (or, with --json, one JSON object per file, one per line).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tools/caller_path.h"
#include "machports/dump.h"
#include "machports/msg.h"

/* Larger than any message XNU accepts (50,331,580) plus a maximal trailer. */
#define MPDUMP_MAX_FILE (64u * 1024u * 1024u)

static void usage(FILE *f)
{
	fputs("usage: mpdump --send|--recv [--json] [--trailer-size N] FILE...\n"
	      "  --send            check each file as a message about to be sent (XNU's send rules)\n"
	      "  --recv            check each file as a received buffer (message + trailer)\n"
	      "  --json            one JSON object per file, one per line\n"
	      "  --trailer-size N  (--recv) require a trailer of exactly N bytes\n"
	      "  FILE may be - for standard input.\n"
	      "exit: 0 all accepted, 1 some rejected, 2 usage or I/O error\n",
	      f);
}

/* Reads a whole file into a malloc'ed buffer; returns 0 or an errno value.
 * A relative path is the caller's (mp_caller_path: `bazel run`). */
static int read_file(const char *arg, uint8_t **out, size_t *out_len)
{
	char where[4096];
	const char *path = mp_caller_path(arg, where, sizeof where);
	FILE *f;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int err = 0;

	if (path == NULL)
		return ENAMETOOLONG;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL)
		return errno != 0 ? errno : EIO;
	for (;;) {
		size_t n;
		if (len == cap) {
			size_t ncap = cap == 0 ? 4096 : cap * 2;
			uint8_t *nbuf;
			if (cap >= MPDUMP_MAX_FILE) {
				err = EFBIG;
				break;
			}
			nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				err = ENOMEM;
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				err = EIO;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (err != 0) {
		free(buf);
		return err;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int main(int argc, char **argv)
{
	mp_mode_t mode = 0;
	int json = 0, rejected = 0, io_error = 0;
	unsigned long trailer_size = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--send") == 0)
			mode = MP_MODE_SEND;
		else if (strcmp(a, "--recv") == 0)
			mode = MP_MODE_RECV;
		else if (strcmp(a, "--json") == 0)
			json = 1;
		else if (strcmp(a, "--trailer-size") == 0 && i + 1 < argc) {
			char *end;
			trailer_size = strtoul(argv[++i], &end, 0);
			if (*end != '\0' || !mp_trailer_size_valid((uint32_t)trailer_size)) {
				fprintf(stderr, "mpdump: --trailer-size must be 8, 12, 20, 52, 60 or 68\n");
				return 2;
			}
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "mpdump: unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else
			break;
	}
	if (mode == 0 || i >= argc) {
		usage(stderr);
		return 2;
	}

	for (; i < argc; i++) {
		const char *path = argv[i];
		uint8_t *buf = NULL;
		size_t len = 0;
		mp_msg_view_t view;
		mp_diag_t diag;
		mp_err_t err;
		int rc = read_file(path, &buf, &len);

		if (rc != 0) {
			fprintf(stderr, "mpdump: %s: %s\n", path, strerror(rc));
			io_error = 1;
			continue;
		}
		memset(&diag, 0, sizeof diag);
		if (mode == MP_MODE_SEND)
			err = mp_parse_send(&view, buf, len, &diag);
		else
			err = mp_parse_recv(&view, buf, len, (uint32_t)trailer_size, &diag);

		if (err != MP_OK) {
			rejected = 1;
			if (json) {
				mp_dump_json_rejected(mode, &diag, path, mp_write_stdio, stdout);
				fputc('\n', stdout);
			} else {
				int32_t mach = mode == MP_MODE_SEND ? mp_err_mach_send(err) : 0;
				printf("%s: rejected: %s%s%s at offset %zu: %s\n", path, mp_err_name(err),
				       mach != 0 ? " " : "", mach != 0 ? mp_mach_msg_return_name(mach) : "",
				       diag.offset, diag.reason);
			}
		} else if (json) {
			mp_dump_json(&view, path, mp_write_stdio, stdout);
			fputc('\n', stdout);
		} else {
			printf("%s: accepted: ", path);
			mp_dump_text(&view, mp_write_stdio, stdout);
		}
		free(buf);
	}
	if (fflush(stdout) != 0)
		return 2;
	if (io_error)
		return 2;
	return rejected ? 1 : 0;
}
