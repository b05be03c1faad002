/*
 * lib/tools/caller_path.h: a path argument as the caller meant it.
 *
 * `bazel run //:mpdump -- --send msg.bin` runs the tool in its runfiles
 * directory, not the caller's; Bazel names the caller's directory in
 * $BUILD_WORKING_DIRECTORY. A tool that opens a path from its command line
 * resolves it with mp_caller_path, and still prints the path as given.
 */
#ifndef MP_TOOLS_CALLER_PATH_H
#define MP_TOOLS_CALLER_PATH_H

#include <stdio.h>
#include <stdlib.h>

/*
 * mp_caller_path returns `path` joined to $BUILD_WORKING_DIRECTORY (in
 * `buf`, `cap` bytes) when it is relative and that variable is set, else
 * `path` itself ("-" for stdin stays "-"). NULL if the joined path does
 * not fit in `buf`.
 */
static inline const char *mp_caller_path(const char *path, char *buf, size_t cap)
{
	const char *dir = getenv("BUILD_WORKING_DIRECTORY");
	int n;

	if (dir == NULL || dir[0] == '\0' || path[0] == '/' || (path[0] == '-' && path[1] == '\0'))
		return path;
	n = snprintf(buf, cap, "%s/%s", dir, path);
	return n >= 0 && (size_t)n < cap ? buf : NULL;
}

#endif /* MP_TOOLS_CALLER_PATH_H */
