/* json_lint: exit 0 iff every line of standard input is one JSON object (for tests). */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tools/json_valid.h"

int main(void)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	long n;
	int bad = 0;

	while ((n = (long)getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (!mp_json_valid_object(line, (size_t)n)) {
			fprintf(stderr, "json_lint: line %zu is not a JSON object: %.*s\n", lineno, (int)n, line);
			bad = 1;
		}
	}
	free(line);
	if (lineno == 0) {
		fprintf(stderr, "json_lint: no input\n");
		return 1;
	}
	return bad;
}
