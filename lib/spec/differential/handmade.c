/*
 * lib/spec/differential/handmade.c: hand-made requests with the code MIG's
 * server must give each, to prove the oracle harness before any generator
 * exists (scripts/mig-differential --selftest). Bytes are laid out from the
 * ABI's facts (xnu-abi.md; MIG's __Request structs with pack(4)); no Apple
 * header.
 *
 *   handmade mach_exc OUT   mach_exc.defs' mach_exception_raise (id 2405)
 *   handmade probe OUT      lib/spec/differential/testdata/probe.defs' p_ool
 */
#include <stdio.h>
#include <string.h>

#include "golden_format.h"

#define COMPLEX 0x80000000u
#define PORT_SEND 17u
#define PORT_RECEIVE 16u
#define PORT_SEND_ONCE 18u
#define PORT_DESC 0u
#define OOL_DESC 1u
#define OOL_PORTS_DESC 2u

typedef struct msg {
	uint8_t b[1024];
	uint32_t len;
} msg_t;

static void put32(msg_t *m, uint32_t off, uint32_t v)
{
	m->b[off] = (uint8_t)v;
	m->b[off + 1] = (uint8_t)(v >> 8);
	m->b[off + 2] = (uint8_t)(v >> 16);
	m->b[off + 3] = (uint8_t)(v >> 24);
	if (off + 4 > m->len)
		m->len = off + 4;
}

static void put64(msg_t *m, uint32_t off, uint64_t v)
{
	put32(m, off, (uint32_t)v);
	put32(m, off + 4, (uint32_t)(v >> 32));
}

/* Header in received form: the reply port is msgh_remote_port (send-once). */
static void header(msg_t *m, uint32_t complex, uint32_t size, int32_t id)
{
	memset(m, 0, sizeof *m);
	put32(m, 0, complex | (0x11u << 8) | PORT_SEND_ONCE);
	put32(m, 4, size);
	put32(m, 8, 0x1203);  /* remote: the reply port */
	put32(m, 12, 0x1303); /* local: the service port */
	put32(m, 16, 0);
	put32(m, 20, (uint32_t)id);
}

/* mach_msg_port_descriptor_t: name, pad1, pad2:16, disposition:8, type:8. */
static void port_desc(msg_t *m, uint32_t off, uint32_t name, uint32_t disp, uint32_t type)
{
	put32(m, off, name);
	put32(m, off + 4, 0);
	put32(m, off + 8, disp << 16 | type << 24);
}

/* 64-bit OOL / OOL ports descriptor: address, deallocate:8 copy:8
 * pad1-or-disposition:8 type:8, size-or-count. */
static void ool_desc(msg_t *m, uint32_t off, uint64_t addr, uint32_t disp, uint32_t type,
		     uint32_t size)
{
	put64(m, off, addr);
	put32(m, off + 8, 1u << 8 | disp << 16 | type << 24);
	put32(m, off + 12, size);
}

/* The kernel's trailer at round_msg(msgh_size): format 0 and its size; the
 * record carries trailer_bytes bytes of it (seqno, sender, audit zeroed). */
static void trailer(msg_t *m, uint32_t type, uint32_t size, uint32_t trailer_bytes)
{
	uint32_t at = (m->len + 3u) & ~3u;

	put32(m, at, type);
	put32(m, at + 4, size);
	m->len = at + trailer_bytes;
}

static int emit(FILE *f, const msg_t *m, int32_t code)
{
	return mp_golden_write_record(f, m->b, m->len, code);
}

/* mach_exception_raise: header 24 | body 4 | thread 12 | task 12 | NDR 8 |
 * exception 4 | codeCnt 4 | code[2] int64 16: 68..84 bytes. */
static void exc_raise(msg_t *m, uint32_t ndesc, uint32_t code_cnt, uint32_t size)
{
	header(m, COMPLEX, size, 2405);
	put32(m, 24, ndesc);
	port_desc(m, 28, 0x2003, PORT_SEND, PORT_DESC);
	port_desc(m, 40, 0x2103, PORT_SEND, PORT_DESC);
	put32(m, 52, 0);
	put32(m, 56, 0x100); /* NDR int_rep: little endian */
	put32(m, 60, 6);     /* EXC_BREAKPOINT */
	put32(m, 64, code_cnt);
	m->len = size;
	if (size >= 76)
		put64(m, 68, 1);
	if (size >= 84)
		put64(m, 76, 2);
	m->len = size;
	trailer(m, 0, 8, 8);
}

static int write_mach_exc(FILE *f)
{
	msg_t m;
	int rc = 0;

	exc_raise(&m, 2, 2, 84);
	rc |= emit(f, &m, 0);   /* valid, codeCnt 2 */
	exc_raise(&m, 2, 1, 76);
	rc |= emit(f, &m, 0);   /* valid, codeCnt 1 */
	exc_raise(&m, 2, 0, 68);
	rc |= emit(f, &m, 0);   /* valid, codeCnt 0 */
	exc_raise(&m, 1, 2, 84);
	rc |= emit(f, &m, -304); /* descriptor count 1: WriteCheckHead */
	exc_raise(&m, 2, 2, 84);
	port_desc(&m, 28, 0x2003, PORT_RECEIVE, PORT_DESC);
	rc |= emit(f, &m, -300); /* thread received as a receive right: WriteTCheckKPD_port */
	exc_raise(&m, 2, 2, 84);
	port_desc(&m, 40, 0x2103, PORT_SEND, OOL_DESC);
	rc |= emit(f, &m, -300); /* task is not a port descriptor */
	exc_raise(&m, 2, 3, 84);
	rc |= emit(f, &m, -304); /* codeCnt 3 > 2: WriteCheckArgSize */
	exc_raise(&m, 2, 2, 76);
	rc |= emit(f, &m, -304); /* codeCnt 2 in 76 bytes */
	exc_raise(&m, 2, 1, 84);
	rc |= emit(f, &m, -304); /* codeCnt 1 in 84 bytes (last field: size != min + delta) */
	exc_raise(&m, 2, 2, 84);
	put32(&m, 0, 0x1112);
	rc |= emit(f, &m, -304); /* the complex bit clear */
	exc_raise(&m, 2, 2, 84);
	put32(&m, 20, 2404);
	rc |= emit(f, &m, -303); /* below the base */
	exc_raise(&m, 2, 2, 84);
	put32(&m, 20, 2408);
	rc |= emit(f, &m, -303); /* an empty slot of the routine table */
	exc_raise(&m, 2, 2, 84);
	put32(&m, 20, 2410);
	rc |= emit(f, &m, -303); /* past the end */
	return rc;
}

/* probe.defs p_ool: header 24 | body 4 | data OOL 16 | ports OOL ports 16 |
 * poly port 12 | sr port 12 | NDR 8 | dataCnt 4 | data2Cnt 4 | data2[100] int |
 * portsCnt 4: 104..504 bytes; trailer: audit token (32) then seqno (4). */
static void p_ool(msg_t *m, uint32_t data2_cnt, uint32_t trailer_type, uint32_t trailer_size)
{
	uint32_t size = 104 + 4 * data2_cnt, i;

	header(m, COMPLEX, size, 7101);
	put32(m, 24, 4);
	ool_desc(m, 28, 0x10000, 0, OOL_DESC, 12);
	ool_desc(m, 44, 0x20000, PORT_SEND, OOL_PORTS_DESC, 2);
	port_desc(m, 60, 0x2203, PORT_SEND_ONCE, PORT_DESC);
	port_desc(m, 72, 0x2303, PORT_SEND, PORT_DESC);
	put32(m, 84, 0);
	put32(m, 88, 0x100);
	put32(m, 92, 3);         /* dataCnt: 12 bytes / 4 */
	put32(m, 96, data2_cnt); /* data2Cnt */
	for (i = 0; i < data2_cnt; i++)
		put32(m, 100 + 4 * i, i);
	put32(m, 100 + 4 * data2_cnt, 2); /* portsCnt */
	trailer(m, trailer_type, trailer_size, 52);
}

static int write_probe(FILE *f)
{
	msg_t m;
	int rc = 0;

	p_ool(&m, 3, 0, 52);
	rc |= emit(f, &m, 0);    /* valid, the audit trailer */
	p_ool(&m, 0, 0, 36);
	rc |= emit(f, &m, 0);    /* exactly audit token + seqno */
	p_ool(&m, 3, 0, 20);
	rc |= emit(f, &m, -309); /* trailer too short for the audit token */
	p_ool(&m, 3, 0, 32);
	rc |= emit(f, &m, -309); /* the audit token, no room for the seqno */
	p_ool(&m, 3, 1, 52);
	rc |= emit(f, &m, -309); /* trailer format 1 (MIG writes the code into the request) */
	p_ool(&m, 3, 0, 52);
	put32(&m, 92, 4);
	rc |= emit(f, &m, -300); /* dataCnt 4 for 12 bytes: WriteOOLSizeCheck */
	p_ool(&m, 3, 0, 52);
	put32(&m, 100 + 12, 3);
	rc |= emit(f, &m, -300); /* portsCnt 3 for 2 ports */
	p_ool(&m, 3, 0, 52);
	put32(&m, 96, 101);
	rc |= emit(f, &m, -304); /* data2Cnt 101 > 100 */
	p_ool(&m, 3, 0, 52);
	port_desc(&m, 60, 0x2203, PORT_RECEIVE, PORT_DESC);
	rc |= emit(f, &m, 0);    /* poly: any disposition */
	p_ool(&m, 3, 0, 52);
	port_desc(&m, 72, 0x2303, PORT_SEND_ONCE, PORT_DESC);
	rc |= emit(f, &m, -300); /* make_send received as send-once */
	return rc;
}

static int count_records(int (*fn)(FILE *))
{
	FILE *f = tmpfile();
	long n;
	int count = 0;
	uint8_t buf[1024];
	uint32_t len;
	int32_t code;

	if (f == NULL || fn(f) != 0)
		return -1;
	n = ftell(f);
	rewind(f);
	while (ftell(f) < n && mp_golden_read_record(f, buf, sizeof buf, &len, &code, NULL, 0) == 0)
		count++;
	fclose(f);
	return count;
}

int main(int argc, char **argv)
{
	mp_golden_header_t h;
	int (*fn)(FILE *);
	FILE *f;
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s mach_exc|probe OUT\n", argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "mach_exc") == 0)
		fn = write_mach_exc;
	else if (strcmp(argv[1], "probe") == 0)
		fn = write_probe;
	else {
		fprintf(stderr, "handmade: no messages for %s\n", argv[1]);
		return 2;
	}
	n = count_records(fn);
	f = fopen(argv[2], "wb");
	if (n < 0 || f == NULL)
		return 2;
	memset(&h, 0, sizeof h);
	h.kind = MP_GOLDEN_RECORDS;
	snprintf(h.subsystem, sizeof h.subsystem, "%s", argv[1]);
	h.count = (uint32_t)n;
	if (mp_golden_write_header(f, &h) != 0 || fn(f) != 0 || fclose(f) != 0)
		return 2;
	return 0;
}
