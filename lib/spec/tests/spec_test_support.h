/*
 * lib/spec/tests/spec_test_support.h: raw byte makers for the spec engine's
 * tests, so each test makes exactly the message a migcom rule is about.
 */
#ifndef MP_SPEC_TEST_SUPPORT_H
#define MP_SPEC_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/spec/tests/tables.h"
#include "machports/le.h"
#include "machports/spec.h"

#define T_COMPLEX 0x80000000u
/* Received bits of a request: remote (the reply port) PORT_SEND_ONCE (18),
 * local (the port it came in on) PORT_SEND (17). */
#define T_BITS (18u | (17u << 8))

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

static inline void t_header(uint8_t *p, uint32_t bits, uint32_t size, int32_t id)
{
	t_put32(p, 0, bits);
	t_put32(p, 4, size);
	t_put32(p, 8, 0x103);
	t_put32(p, 12, 0x207);
	t_put32(p, 16, 0);
	t_put32(p, 20, (uint32_t)id);
}

static inline void t_ndr(uint8_t *p, size_t off)
{
	static const uint8_t ndr[8] = {0, 0, 0, 0, 1, 0, 0, 0};
	memcpy(p + off, ndr, 8);
}

static inline void t_port_desc(uint8_t *p, size_t off, uint32_t name, uint8_t disp)
{
	memset(p + off, 0, 12);
	t_put32(p, off, name);
	p[off + 10] = disp;
	p[off + 11] = MP_MSG_PORT_DESCRIPTOR;
}

static inline void t_ool_desc(uint8_t *p, size_t off, uint8_t type, uint64_t addr, uint32_t size,
			      uint8_t disp)
{
	memset(p + off, 0, 16);
	t_put64(p, off, addr);
	p[off + 9] = MP_MSG_VIRTUAL_COPY;
	p[off + 10] = disp;
	p[off + 11] = type;
	t_put32(p, off + 12, size);
}

/* Appends a format-0 trailer of `size` bytes at round_msg(msgh_size); returns
 * the total length. */
static inline size_t t_trailer(uint8_t *p, uint32_t msgh_size, uint32_t size)
{
	uint32_t t = (msgh_size + 3u) & ~3u;
	memset(p + t, 0, size);
	t_put32(p, t, 0);
	t_put32(p, t + 4, size);
	if (size >= 12)
		t_put32(p, t + 8, 77); /* seqno */
	if (size >= 52)
		for (uint32_t i = 0; i < 32; i++)
			p[t + 20 + i] = (uint8_t)(0xa0 + i); /* audit token */
	return t + size;
}

/* mach_exception_raise with `cnt` codes (codeCnt = cnt), received form with
 * an 8-byte trailer. Returns the length. */
static inline size_t t_mer(uint8_t *p, uint32_t cnt)
{
	uint32_t size = 68 + 8 * cnt;
	memset(p, 0, 128);
	t_header(p, T_BITS | T_COMPLEX, size, 2405);
	t_put32(p, 24, 2);
	t_port_desc(p, 28, 0x303, 17);
	t_port_desc(p, 40, 0x403, 17);
	t_ndr(p, 52);
	t_put32(p, 60, 1); /* EXC_BAD_ACCESS */
	t_put32(p, 64, cnt);
	for (uint32_t i = 0; i < cnt; i++)
		t_put64(p, 68 + 8 * i, 0x1000u + i);
	return t_trailer(p, size, 8);
}

/* p_str with name (nameCnt = strlen + 1), fixed, nb bytes of b, ni ints. */
static inline size_t t_pstr(uint8_t *p, const char *name, const char *fixed, uint32_t nb,
			    uint32_t ni)
{
	memset(p, 0, 256);
	uint32_t namecnt = (uint32_t)strlen(name) + 1;
	uint32_t at = 32;
	t_ndr(p, 24);
	t_put32(p, at, 0);
	t_put32(p, at + 4, namecnt);
	memcpy(p + at + 8, name, namecnt);
	at += 8 + ((namecnt + 3u) & ~3u);
	memcpy(p + at, fixed, strlen(fixed) + 1);
	at += 32;
	t_put32(p, at, nb);
	for (uint32_t i = 0; i < nb; i++)
		p[at + 4 + i] = (uint8_t)('a' + i);
	at += 4 + ((nb + 3u) & ~3u);
	t_put32(p, at, ni);
	for (uint32_t i = 0; i < ni; i++)
		t_put32(p, at + 4 + 4 * i, 100 + i);
	at += 4 + 4 * ni;
	t_put32(p, at, 7);
	t_put32(p, at + 4, 8);
	at += 8;
	t_header(p, T_BITS, at, 7100);
	return t_trailer(p, at, 8);
}

/* p_ool: data (ndata ints OOL), data2 (n2 inline ints), ports (nports OOL
 * ports), poly, sr; a trailer of `tsize` bytes. */
static inline size_t t_pool(uint8_t *p, uint32_t ndata, uint32_t n2, uint32_t nports,
			    uint32_t tsize)
{
	memset(p, 0, 600);
	t_put32(p, 24, 4);
	t_ool_desc(p, 28, MP_MSG_OOL_DESCRIPTOR, 0x10000, 4 * ndata, 0);
	t_ool_desc(p, 44, MP_MSG_OOL_PORTS_DESCRIPTOR, 0x20000, nports, 17);
	t_port_desc(p, 60, 0x503, 18);
	t_port_desc(p, 72, 0x603, 17);
	t_ndr(p, 84);
	t_put32(p, 92, ndata);
	t_put32(p, 96, n2);
	for (uint32_t i = 0; i < n2; i++)
		t_put32(p, 100 + 4 * i, i);
	uint32_t at = 100 + 4 * n2;
	t_put32(p, at, nports);
	at += 4;
	t_header(p, T_BITS | T_COMPLEX, at, 7101);
	return t_trailer(p, at, tsize);
}

/* What a send disposition becomes on receive (MACH_MSG_TYPE_PORT_*). */
static inline uint32_t t_recv_disp(uint32_t d)
{
	switch (d) {
	case 17: case 19: case 20:
		return 17;
	case 18: case 21:
		return 18;
	default:
		return d;
	}
}

/* Turns a built (send-form) message into what a server receives, as the
 * kernel does: the header's ports swap (the reply port arrives in
 * msgh_remote_port), dispositions become the received ones, then a trailer of
 * `tsize` bytes. Returns the total length. */
static inline size_t t_as_received(uint8_t *p, uint32_t tsize)
{
	uint32_t bits = t_get32(p, 0), size = t_get32(p, 4);
	uint32_t remote = bits & 0x1fu, local = (bits >> 8) & 0x1fu;
	uint32_t rname = t_get32(p, 8), lname = t_get32(p, 12);
	bits = (bits & ~0x1f1fu) | t_recv_disp(local) | (t_recv_disp(remote) << 8);
	t_put32(p, 0, bits);
	t_put32(p, 8, lname);
	t_put32(p, 12, rname);
	if (bits & T_COMPLEX) {
		uint32_t n = t_get32(p, 24), at = 28;
		for (uint32_t i = 0; i < n; i++) {
			uint8_t type = p[at + 11];
			if (type == MP_MSG_PORT_DESCRIPTOR || type == MP_MSG_OOL_PORTS_DESCRIPTOR)
				p[at + 10] = (uint8_t)t_recv_disp(p[at + 10]);
			at += type == MP_MSG_PORT_DESCRIPTOR ? 12 : 16;
		}
	}
	return t_trailer(p, size, tsize);
}

#endif /* MP_SPEC_TEST_SUPPORT_H */
