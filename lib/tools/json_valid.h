/*
 * lib/tools/json_valid.h: a small strict JSON (RFC 8259) validator, used to
 * check mpdump's --json output in tests and in the dump fuzz target.
 * Recursion depth is bounded; no allocation.
 */
#ifndef MP_TOOLS_JSON_VALID_H
#define MP_TOOLS_JSON_VALID_H

#include <stddef.h>
#include <string.h>

typedef struct mp_json {
	const char *p;
	size_t n, i;
	int depth;
} mp_json_t;

static int mp_json_value(mp_json_t *j);

static void mp_json_ws(mp_json_t *j)
{
	while (j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' || j->p[j->i] == '\n' ||
			       j->p[j->i] == '\r'))
		j->i++;
}

static int mp_json_lit(mp_json_t *j, const char *lit)
{
	size_t k = strlen(lit);
	if (j->n - j->i < k || memcmp(j->p + j->i, lit, k) != 0)
		return 0;
	j->i += k;
	return 1;
}

static int mp_json_string(mp_json_t *j)
{
	if (j->i >= j->n || j->p[j->i] != '"')
		return 0;
	j->i++;
	while (j->i < j->n) {
		unsigned char ch = (unsigned char)j->p[j->i++];
		if (ch == '"')
			return 1;
		if (ch < 0x20)
			return 0;
		if (ch == '\\') {
			if (j->i >= j->n)
				return 0;
			ch = (unsigned char)j->p[j->i++];
			if (ch == 'u') {
				for (int k = 0; k < 4; k++, j->i++) {
					char h;
					if (j->i >= j->n)
						return 0;
					h = j->p[j->i];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
						return 0;
				}
			} else if (strchr("\"\\/bfnrt", ch) == NULL || ch == '\0') {
				return 0;
			}
		}
	}
	return 0;
}

static int mp_json_digits(mp_json_t *j)
{
	size_t start = j->i;
	while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
		j->i++;
	return j->i > start;
}

static int mp_json_number(mp_json_t *j)
{
	if (j->i < j->n && j->p[j->i] == '-')
		j->i++;
	if (j->i < j->n && j->p[j->i] == '0')
		j->i++;
	else if (!mp_json_digits(j))
		return 0;
	if (j->i < j->n && j->p[j->i] == '.') {
		j->i++;
		if (!mp_json_digits(j))
			return 0;
	}
	if (j->i < j->n && (j->p[j->i] == 'e' || j->p[j->i] == 'E')) {
		j->i++;
		if (j->i < j->n && (j->p[j->i] == '+' || j->p[j->i] == '-'))
			j->i++;
		if (!mp_json_digits(j))
			return 0;
	}
	return 1;
}

static int mp_json_container(mp_json_t *j, char open, char close)
{
	int first = 1;
	if (++j->depth > 64)
		return 0;
	j->i++; /* open */
	(void)open;
	for (;;) {
		mp_json_ws(j);
		if (j->i < j->n && j->p[j->i] == close) {
			j->i++;
			j->depth--;
			return 1;
		}
		if (!first) {
			if (j->i >= j->n || j->p[j->i] != ',')
				return 0;
			j->i++;
			mp_json_ws(j);
		}
		if (close == '}') {
			if (!mp_json_string(j))
				return 0;
			mp_json_ws(j);
			if (j->i >= j->n || j->p[j->i] != ':')
				return 0;
			j->i++;
		}
		if (!mp_json_value(j))
			return 0;
		first = 0;
	}
}

static int mp_json_value(mp_json_t *j)
{
	mp_json_ws(j);
	if (j->i >= j->n)
		return 0;
	switch (j->p[j->i]) {
	case '{': return mp_json_container(j, '{', '}');
	case '[': return mp_json_container(j, '[', ']');
	case '"': return mp_json_string(j);
	case 't': return mp_json_lit(j, "true");
	case 'f': return mp_json_lit(j, "false");
	case 'n': return mp_json_lit(j, "null");
	default: return mp_json_number(j);
	}
}

/* mp_json_valid_object: 1 if `s` (length n) is exactly one JSON object. */
static inline int mp_json_valid_object(const char *s, size_t n)
{
	mp_json_t j = {s, n, 0, 0};
	mp_json_ws(&j);
	if (j.i >= n || s[j.i] != '{' || !mp_json_value(&j))
		return 0;
	mp_json_ws(&j);
	return j.i == n;
}

#endif /* MP_TOOLS_JSON_VALID_H */
