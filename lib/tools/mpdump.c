/*
 * mpdump: decode Mach messages stored in files.
 *
 *   mpdump --send|--recv [--json] [--trailer-size N] FILE...
 *   mpdump --spec FILE.defs|--spec-table NAME [-I DIR]... [--json]
 *   mpdump --spec FILE.defs|--spec-table NAME [-I DIR]... --recv [--strict] [--json] FILE...
 *
 * With a spec (a MIG .defs read by lib/spec/defs, or one of the compiled
 * tables of lib/spec/mach), mpdump prints the subsystem, or checks each file
 * as a received request exactly as MIG's server would (mp_spec_check_request)
 * and dumps it with the routine's argument names. A refused file prints
 *   FILE: refused: MIG_... at offset N: routine: field: reason
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

#include "lib/spec/defs/defs.h"
#include "lib/spec/mach/mach_specs.h"
#include "lib/tools/caller_path.h"
#include "machports/dump.h"
#include "machports/msg.h"
#include "machports/spec.h"

/* Larger than any message XNU accepts (50,331,580) plus a maximal trailer. */
#define MPDUMP_MAX_FILE (64u * 1024u * 1024u)

static void usage(FILE *f)
{
	fputs("usage: mpdump --send|--recv [--json] [--trailer-size N] FILE...\n"
	      "  --send            check each file as a message about to be sent (XNU's send rules)\n"
	      "  --recv            check each file as a received buffer (message + trailer)\n"
	      "  --json            one JSON object per file, one per line\n"
	      "  --trailer-size N  (--recv) require a trailer of exactly N bytes\n"
	      "       mpdump --spec FILE.defs|--spec-table NAME [-I DIR]... [--json]\n"
	      "       mpdump --spec FILE.defs|--spec-table NAME [-I DIR]... --recv [--strict] [--json] FILE...\n"
	      "  --spec FILE.defs  a MIG subsystem (read by mpmig's reader; -I adds include dirs)\n"
	      "  --spec-table NAME a compiled table: exc, mach_exc, notify, mach_port, clock_reply,\n"
	      "                    task_access\n"
	      "                    alone: print the subsystem; with --recv: check each file as a\n"
	      "                    received request as MIG's server does, dump it with names\n"
	      "  --strict          (with a spec) MIG's checks, then the receive parser's rules\n"
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

/* Writes `s` as a JSON string. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The compiled tables --spec-table names (lib/spec/mach). */
static const mp_spec_subsystem_t *table_named(const char *name)
{
	static const mp_spec_subsystem_t *const tables[] = {
		&exc_spec,	   &mach_exc_spec,    &notify_spec,
		&mach_port_spec, &clock_reply_spec, &task_access_spec,
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (strcmp(tables[i]->name, name) == 0)
			return tables[i];
	return NULL;
}

typedef struct spec_args {
	const char *defs_path;  /* --spec */
	const char *table_name; /* --spec-table */
	const char *include_dirs[32];
	size_t n_include_dirs;
	int strict;
} spec_args_t;

/* Checks one received request against the spec and prints the result;
 * returns 1 if it was refused. */
static int check_one(const mp_spec_subsystem_t *ss, const char *path, const uint8_t *buf,
		     size_t len, int strict, int json)
{
	mp_spec_view_t view;
	mp_spec_diag_t diag;
	int32_t code = mp_spec_check_request(ss, buf, len, strict ? MP_SPEC_STRICT : MP_SPEC_MIG,
					     &view, &diag);
	if (code == MP_MIG_SUCCESS) {
		if (json) {
			fputs("{\"file\":", stdout);
			json_string(path);
			fputs(",\"accepted\":true,\"message\":", stdout);
			mp_spec_dump_json(&view, mp_write_stdio, stdout);
			fputs("}\n", stdout);
		} else {
			printf("%s: accepted: ", path);
			mp_spec_dump_text(&view, mp_write_stdio, stdout);
		}
		return 0;
	}
	if (json) {
		fputs("{\"file\":", stdout);
		json_string(path);
		printf(",\"accepted\":false,\"code\":\"%s\",\"offset\":%u,\"reason\":",
		       mp_mig_code_name(code), diag.offset);
		json_string(diag.reason);
		fputs("}\n", stdout);
	} else {
		printf("%s: refused: %s at offset %u: %s\n", path, mp_mig_code_name(code), diag.offset,
		       diag.reason);
	}
	return 1;
}

/* mpdump --spec / --spec-table: print the subsystem, or check FILEs with it. */
static int spec_main(const spec_args_t *a, int recv, int json, char **files, int nfiles)
{
	mp_defs_t *defs = NULL;
	const mp_spec_subsystem_t *ss;
	int rejected = 0, io_error = 0;

	if (a->table_name != NULL) {
		ss = table_named(a->table_name);
		if (ss == NULL) {
			fprintf(stderr, "mpdump: no compiled table named %s\n", a->table_name);
			return 2;
		}
	} else {
		char where[4096], why[512];
		const char *path = mp_caller_path(a->defs_path, where, sizeof where);
		mp_defs_options_t opt = {a->include_dirs, a->n_include_dirs, NULL, 0};
		if (path == NULL) {
			fprintf(stderr, "mpdump: %s: path too long\n", a->defs_path);
			return 2;
		}
		defs = mp_defs_read(path, &opt, why, sizeof why);
		if (defs == NULL) {
			fprintf(stderr, "mpdump: %s\n", why);
			return 2;
		}
		ss = mp_defs_subsystem(defs);
	}
	if (!recv) {
		if (json) {
			mp_spec_print_json(ss, mp_write_stdio, stdout);
			fputc('\n', stdout);
		} else
			mp_spec_print_text(ss, mp_write_stdio, stdout);
	}
	for (int i = 0; recv && i < nfiles; i++) {
		uint8_t *buf = NULL;
		size_t len = 0;
		int rc = read_file(files[i], &buf, &len);
		if (rc != 0) {
			fprintf(stderr, "mpdump: %s: %s\n", files[i], strerror(rc));
			io_error = 1;
			continue;
		}
		rejected |= check_one(ss, files[i], buf, len, a->strict, json);
		free(buf);
	}
	mp_defs_free(defs);
	if (fflush(stdout) != 0 || io_error)
		return 2;
	return rejected ? 1 : 0;
}

int main(int argc, char **argv)
{
	mp_mode_t mode = 0;
	int json = 0, rejected = 0, io_error = 0;
	unsigned long trailer_size = 0;
	spec_args_t spec = {0};
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--send") == 0)
			mode = MP_MODE_SEND;
		else if (strcmp(a, "--recv") == 0)
			mode = MP_MODE_RECV;
		else if (strcmp(a, "--json") == 0)
			json = 1;
		else if (strcmp(a, "--spec") == 0 && i + 1 < argc)
			spec.defs_path = argv[++i];
		else if (strcmp(a, "--spec-table") == 0 && i + 1 < argc)
			spec.table_name = argv[++i];
		else if (strcmp(a, "--strict") == 0)
			spec.strict = 1;
		else if (strcmp(a, "-I") == 0 && i + 1 < argc) {
			if (spec.n_include_dirs == sizeof spec.include_dirs / sizeof spec.include_dirs[0]) {
				fprintf(stderr, "mpdump: too many -I\n");
				return 2;
			}
			spec.include_dirs[spec.n_include_dirs++] = argv[++i];
		}
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
	if (spec.defs_path != NULL || spec.table_name != NULL) {
		if ((spec.defs_path != NULL && spec.table_name != NULL) || mode == MP_MODE_SEND ||
		    trailer_size != 0 || (mode == MP_MODE_RECV) != (i < argc)) {
			usage(stderr);
			return 2;
		}
		return spec_main(&spec, mode == MP_MODE_RECV, json, argv + i, argc - i);
	}
	if (mode == 0 || i >= argc || spec.strict || spec.n_include_dirs != 0) {
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
