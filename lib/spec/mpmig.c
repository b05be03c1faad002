/*
 * lib/spec/mpmig.c: //:mpmig, a MIG .defs file into spec tables as C.
 *
 *   mpmig [-I dir]... [-D name[=value]]... [--symbol S] FILE.defs -o OUT.c
 *         [--header OUT.h] [--mig-layout-check OUT_CHECK.c]
 *
 * The table is `const mp_spec_subsystem_t S;` (default S: <subsystem>_spec).
 * --mig-layout-check writes _Static_asserts of MIG's __Request__/__Reply__
 * struct sizes and offsets (scripts/mig-layout-check compiles it after MIG's
 * header). Errors go to stderr as file:line: reason; the exit status is 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/spec/defs/defs.h"

#define MPMIG_MAX_OPTS 256

typedef struct mpmig_args {
	const char *includes[MPMIG_MAX_OPTS];
	size_t nincludes;
	const char *defines[MPMIG_MAX_OPTS];
	size_t ndefines;
	const char *symbol, *input, *out_c, *out_h, *out_check;
} mpmig_args_t;

static int usage(void)
{
	fprintf(stderr, "usage: mpmig [-I dir]... [-D name[=value]]... [--symbol S] FILE.defs "
			"-o OUT.c [--header OUT.h] [--mig-layout-check OUT.c]\n");
	return 1;
}

/* Takes "-Xvalue" or "-X value"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt)
{
	size_t n = strlen(opt);
	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] != '\0')
		return opt[1] != '-' ? argv[*i] + n : NULL;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_args(int argc, char **argv, mpmig_args_t *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = opt_value(argc, argv, &i, "-I")) != NULL) {
			if (a->nincludes == MPMIG_MAX_OPTS)
				return -1;
			a->includes[a->nincludes++] = v;
		} else if ((v = opt_value(argc, argv, &i, "-D")) != NULL) {
			if (a->ndefines == MPMIG_MAX_OPTS)
				return -1;
			a->defines[a->ndefines++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--symbol")) != NULL) {
			a->symbol = v;
		} else if ((v = opt_value(argc, argv, &i, "--header")) != NULL) {
			a->out_h = v;
		} else if ((v = opt_value(argc, argv, &i, "--mig-layout-check")) != NULL) {
			a->out_check = v;
		} else if ((v = opt_value(argc, argv, &i, "-o")) != NULL) {
			a->out_c = v;
		} else if (argv[i][0] == '-' || a->input != NULL) {
			return -1;
		} else {
			a->input = argv[i];
		}
	}
	return a->input != NULL && (a->out_c != NULL || a->out_check != NULL) ? 0 : -1;
}

typedef int (*emit_fn)(const mp_defs_t *d, const char *symbol, FILE *out);

static int check_emit(const mp_defs_t *d, const char *symbol, FILE *out)
{
	(void)symbol;
	return mp_defs_emit_layout_check(d, out);
}

static int write_file(const char *path, emit_fn emit, const mp_defs_t *d, const char *symbol)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "mpmig: cannot write %s\n", path);
		return -1;
	}
	int rc = emit(d, symbol, f);
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "mpmig: error writing %s\n", path);
	return rc;
}

int main(int argc, char **argv)
{
	static mpmig_args_t a;
	if (parse_args(argc, argv, &a) != 0)
		return usage();
	mp_defs_options_t opt = {a.includes, a.nincludes, a.defines, a.ndefines};
	char why[512];
	mp_defs_t *d = mp_defs_read(a.input, &opt, why, sizeof why);
	if (d == NULL) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	char symbol[256];
	if (a.symbol != NULL)
		snprintf(symbol, sizeof symbol, "%s", a.symbol);
	else
		snprintf(symbol, sizeof symbol, "%s_spec", mp_defs_subsystem(d)->name);
	int rc = 0;
	if (a.out_c != NULL && write_file(a.out_c, mp_defs_emit_c, d, symbol) != 0)
		rc = 1;
	if (rc == 0 && a.out_h != NULL && write_file(a.out_h, mp_defs_emit_h, d, symbol) != 0)
		rc = 1;
	if (rc == 0 && a.out_check != NULL && write_file(a.out_check, check_emit, d, symbol) != 0)
		rc = 1;
	mp_defs_free(d);
	return rc;
}
