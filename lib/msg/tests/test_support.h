/*
 * lib/msg/tests/test_support.h: shared helpers for the lib/msg cmocka tests.
 * Raw little-endian pokes let a test make exactly the bytes a rule is about.
 */
#ifndef MP_MSG_TEST_SUPPORT_H
#define MP_MSG_TEST_SUPPORT_H

/* cmocka needs these before <cmocka.h>. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "machports/le.h"
#include "machports/msg.h"

/* Offset-taking wrappers of machports/le.h, so a test reads like the layout. */
static inline void t_put32(uint8_t *p, size_t off, uint32_t v)
{
	mp_store_le32(p + off, v);
}

static inline void t_put64(uint8_t *p, size_t off, uint64_t v)
{
	mp_store_le64(p + off, v);
}

static inline uint32_t t_get32(const uint8_t *p, size_t off)
{
	return mp_load_le32(p + off);
}

/* Writes a 24-byte header. */
static inline void t_header(uint8_t *p, uint32_t bits, uint32_t size, uint32_t remote,
			    uint32_t local, uint32_t voucher, int32_t id)
{
	t_put32(p, 0, bits);
	t_put32(p, 4, size);
	t_put32(p, 8, remote);
	t_put32(p, 12, local);
	t_put32(p, 16, voucher);
	t_put32(p, 20, (uint32_t)id);
}

/* A 12-byte port descriptor at `off`. */
static inline void t_port_desc(uint8_t *p, size_t off, uint32_t name, uint8_t disp)
{
	memset(p + off, 0, 12);
	t_put32(p, off, name);
	p[off + 10] = disp;
	p[off + 11] = MP_MSG_PORT_DESCRIPTOR;
}

/* A 16-byte OOL (or OOL_VOLATILE) descriptor at `off`. */
static inline void t_ool_desc(uint8_t *p, size_t off, uint8_t type, uint64_t addr, uint32_t size,
			      uint8_t copy, uint8_t dealloc)
{
	memset(p + off, 0, 16);
	t_put64(p, off, addr);
	p[off + 8] = dealloc;
	p[off + 9] = copy;
	p[off + 11] = type;
	t_put32(p, off + 12, size);
}

static inline void t_ool_ports_desc(uint8_t *p, size_t off, uint64_t addr, uint32_t count,
				    uint8_t disp, uint8_t copy, uint8_t dealloc)
{
	memset(p + off, 0, 16);
	t_put64(p, off, addr);
	p[off + 8] = dealloc;
	p[off + 9] = copy;
	p[off + 10] = disp;
	p[off + 11] = MP_MSG_OOL_PORTS_DESCRIPTOR;
	t_put32(p, off + 12, count);
}

static inline void t_guarded_desc(uint8_t *p, size_t off, uint32_t name, uint8_t disp,
				  uint16_t flags, uint64_t context)
{
	memset(p + off, 0, 16);
	t_put64(p, off, context);
	p[off + 8] = (uint8_t)flags;
	p[off + 9] = (uint8_t)(flags >> 8);
	p[off + 10] = disp;
	p[off + 11] = MP_MSG_GUARDED_PORT_DESCRIPTOR;
	t_put32(p, off + 12, name);
}

/*
 * t_run_table runs one cmocka test per entry of a case table (`n` entries of
 * `stride` bytes, each starting with its name as a `const char *`), calling
 * `fn` with the entry as its state, followed by the `n_extra` tests in `extra`.
 */
static inline int t_run_table(const char *group, const void *cases, size_t n, size_t stride,
			      CMUnitTestFunction fn, const struct CMUnitTest *extra, size_t n_extra)
{
	struct CMUnitTest *tests = calloc(n + n_extra, sizeof *tests);
	int failed;
	if (tests == NULL)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const void *c = (const char *)cases + i * stride;
		tests[i].name = *(const char *const *)c;
		tests[i].test_func = fn;
		tests[i].initial_state = (void *)(uintptr_t)c;
	}
	for (size_t i = 0; i < n_extra; i++)
		tests[n + i] = extra[i];
	failed = _cmocka_run_group_tests(group, tests, n + n_extra, NULL, NULL);
	free(tests);
	return failed;
}

/* A deterministic generator (xorshift64*) for property tests. */
typedef struct t_rng {
	uint64_t s;
} t_rng_t;

static inline uint64_t t_rand(t_rng_t *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ull;
}

static inline uint32_t t_below(t_rng_t *r, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(t_rand(r) % n);
}

#endif /* MP_MSG_TEST_SUPPORT_H */
