/*
 * fuzz/support/replay_main.c: the "replay" engine. Runs LLVMFuzzerTestOneInput
 * once over every file named on the command line, and over every file inside
 * each directory named (not recursive), in name order. Arguments starting
 * with '-' are libFuzzer flags and are ignored, so the same command line
 * works with a libFuzzer binary (-runs=0 ...). With no file, reads stdin.
 * Prints "replay: N inputs" and exits 0; a crash ends the process, as the
 * sanitizers make it. Under `bazel run` relative paths are the caller's
 * ($BUILD_WORKING_DIRECTORY, lib/tools/caller_path.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/tools/caller_path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static size_t g_inputs;

static int run_stream(FILE *f, const char *name)
{
	size_t cap = 4096, len = 0, n;
	uint8_t *buf = malloc(cap);
	if (buf == NULL)
		return 1;
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				return 1;
			}
			buf = nb;
			cap *= 2;
		}
	}
	/* An exact-size copy, so ASan sees any read past the input. */
	uint8_t *exact = malloc(len ? len : 1);
	if (exact == NULL) {
		free(buf);
		return 1;
	}
	memcpy(exact, buf, len);
	free(buf);
	fprintf(stderr, "replay: %s (%zu bytes)\n", name, len);
	(void)LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	g_inputs++;
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	int rc;
	if (f == NULL) {
		perror(path);
		return 1;
	}
	rc = run_stream(f, path);
	fclose(f);
	return rc;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), rc = 0;
	if (n < 0) {
		perror(dir);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		int w = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (w < 0 || (size_t)w >= sizeof path) { /* a path cut short would name another file */
			fprintf(stderr, "%s/%s: path too long\n", dir, names[i]->d_name);
			rc = 1;
		}
		if (rc == 0 && names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = run_file(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int files = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		char where[4096];
		const char *path;
		struct stat st;
		int rc;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			continue;
		files++;
		path = mp_caller_path(argv[i], where, sizeof where);
		if (path == NULL) {
			fprintf(stderr, "%s: path too long\n", argv[i]);
			return 1;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rc = run_dir(path);
		else
			rc = run_file(path);
		if (rc != 0)
			return rc;
	}
	if (files == 0 && run_stream(stdin, "<stdin>") != 0)
		return 1;
	printf("replay: %zu inputs\n", g_inputs);
	return 0;
}
