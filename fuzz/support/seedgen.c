/*
 * seedgen DIR: writes the seed corpora of the message fuzz targets and their
 * dictionaries, all from the builder and wire.h, so they stay valid when the
 * format code changes. scripts/gen-corpus runs it, names the seeds by SHA-1
 * and minimises them.
 *   DIR/parse_send/  every descriptor kind, header forms, limits, and the
 *                    rejected neighbour of each send rule
 *   DIR/parse_recv/  the received forms, with every trailer size
 *   DIR/dump/        both, behind the mode byte dump.c reads first
 *   DIR/machportd_request/  one request packet per op and port call
 *   DIR/machportd_reply/    one reply packet per kind and MSG tail form
 *   DIR/machportd_reply.dict
 *   DIR/{parse_send,parse_recv,dump}.dict
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>

#include "lib/machportd/proto.h"
#include "lib/tools/caller_path.h"
#include "machports/le.h"
#include "machports/msg.h"

#define CAP (28 + 70 * 16 + 1024 + 68)

static const char *g_dir;
static unsigned g_count;

/* The first descriptor, and fields of it by wire.h's layouts (§2.3). */
#define DESC0 MP_MSG_BASE_SIZE
#define DESC_DEALLOCATE_OFFSET offsetof(mp_msg_ool_descriptor_t, deallocate)
#define DESC_COPY_OFFSET offsetof(mp_msg_ool_descriptor_t, copy)
#define DESC_DISPOSITION_OFFSET offsetof(mp_msg_port_descriptor_t, disposition)
#define DESC_SIZE_OFFSET offsetof(mp_msg_ool_descriptor_t, size) /* OOL-ports count, guarded name */
#define DESC_GUARD_FLAGS_OFFSET offsetof(mp_msg_guarded_port_descriptor_t, flags)
#define TRAILER_SIZE_OFFSET offsetof(mp_msg_trailer_t, msgh_trailer_size)
#define TRAILER_SEQNO_OFFSET offsetof(mp_msg_seqno_trailer_t, msgh_seqno)
#define TRAILER_SENDER_OFFSET offsetof(mp_msg_security_trailer_t, msgh_sender)
#define TRAILER_AUDIT_PID_OFFSET (offsetof(mp_msg_audit_trailer_t, msgh_audit) + 5 * 4)

static void write_seed(const char *sub, const char *name, const uint8_t *prefix, size_t plen,
		       const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s/%s", g_dir, sub, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(prefix, 1, plen, f) != plen || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	g_count++;
}

/* A send seed goes to parse_send and (after mode byte 0) to dump. */
static void send_seed(const char *name, const uint8_t *m, size_t len)
{
	static const uint8_t mode = 0;
	write_seed("parse_send", name, NULL, 0, m, len);
	write_seed("dump", name, &mode, 1, m, len);
}

static void recv_seed(const char *name, const uint8_t *m, size_t len)
{
	static const uint8_t mode = 1;
	write_seed("parse_recv", name, NULL, 0, m, len);
	write_seed("dump", name, &mode, 1, m, len);
}

static size_t finish(mp_builder_t *b)
{
	size_t len = 0;
	mp_diag_t d;
	if (mp_builder_finish(b, &len, &d) != MP_OK) {
		fprintf(stderr, "seedgen: %s at %zu: %s\n", mp_err_name(d.err), d.offset, d.reason);
		exit(3);
	}
	return len;
}

/* The kinds of message the corpus starts from, as a sender builds them
 * (received = 0) or as XNU delivers them (received = 1). */
enum shape { SIMPLE, REPLY, VOUCHER, COMPLEX_EMPTY, PORT, OOL, OOL_PORTS, OOL_VOLATILE, GUARDED,
	     UNGUARDED, MIXED, MANY, BIG_OOL, MAX_PORTS, NSHAPES };
static const char *shape_names[NSHAPES] = {"simple", "reply", "voucher", "complex_empty", "port",
					   "ool", "ool_ports", "ool_volatile", "guarded", "unguarded",
					   "mixed", "65_ports", "big_ool", "max_ports"};

static size_t make(uint8_t *buf, enum shape s, int received)
{
	static const uint8_t text[256] = "inline data";
	mp_builder_t b;
	uint32_t send = received ? MP_MSG_TYPE_PORT_SEND : MP_MSG_TYPE_COPY_SEND;
	uint32_t once = received ? MP_MSG_TYPE_PORT_SEND_ONCE : MP_MSG_TYPE_MAKE_SEND_ONCE;
	uint32_t recv = MP_MSG_TYPE_MOVE_RECEIVE;

	mp_builder_init(&b, buf, CAP, received ? MP_BUILD_UNCHECKED : 0);
	if (received) { /* §6.7: the reply in remote, the destination in local */
		mp_builder_set_remote(&b, s == SIMPLE ? 0 : 0x207, s == SIMPLE ? 0 : once);
		mp_builder_set_local(&b, 0x103, MP_MSG_TYPE_PORT_SEND);
	} else {
		mp_builder_set_remote(&b, 0x103, s == SIMPLE ? MP_MSG_TYPE_MAKE_SEND : send);
		if (s != SIMPLE)
			mp_builder_set_local(&b, 0x207, once);
	}
	if (s == VOUCHER)
		mp_builder_set_voucher(&b, 0x30b, received ? MP_MSG_TYPE_MOVE_SEND : MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_id(&b, 1000 + (int32_t)s);
	switch (s) {
	case COMPLEX_EMPTY:
		mp_builder_set_other_bits(&b, MP_MSGH_BITS_COMPLEX);
		break;
	case PORT:
		mp_builder_add_port(&b, 0x40f, received ? MP_MSG_TYPE_PORT_SEND : MP_MSG_TYPE_MAKE_SEND);
		break;
	case OOL:
		mp_builder_add_ool(&b, 0x7f0000001000ull, 4096, MP_MSG_VIRTUAL_COPY, received);
		break;
	case OOL_PORTS:
		mp_builder_add_ool_ports(&b, 0x7f0000002000ull, 3, send,
					 received ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY, received);
		break;
	case OOL_VOLATILE:
		mp_builder_add_ool_volatile(&b, 0x7f0000003000ull, 100, MP_MSG_PHYSICAL_COPY, 0);
		break;
	case GUARDED:
		mp_builder_add_guarded_port(&b, 0x513, recv, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE,
					    received ? 0x7ffee0001000ull : 0x42);
		break;
	case UNGUARDED:
		mp_builder_add_guarded_port(&b, 0x513, recv,
					    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE |
						MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND,
					    0);
		break;
	case MIXED:
		mp_builder_add_port(&b, 0x30b, send);
		mp_builder_add_ool(&b, 0x7f0000001000ull, 4096, MP_MSG_VIRTUAL_COPY, received);
		mp_builder_add_ool_ports(&b, 0x7f0000002000ull, 2, send,
					 received ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY, received);
		mp_builder_add_port(&b, 0x40f, received ? MP_MSG_TYPE_PORT_RECEIVE : MP_MSG_TYPE_MAKE_SEND);
		mp_builder_add_guarded_port(&b, 0x513, recv, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE,
					    received ? 0x7ffee0001000ull : 0x1234);
		mp_builder_add_ool(&b, 0x7f0000004000ull, 100, MP_MSG_PHYSICAL_COPY, 0);
		mp_builder_append(&b, text, 256);
		break;
	case MANY: /* above 64 descriptors XNU inflates first to last */
		for (uint32_t i = 0; i < 65; i++)
			mp_builder_add_port(&b, i % 7 ? 0x103 + (i << 8) : MP_PORT_NULL, send);
		break;
	case BIG_OOL: /* exactly at the physical-copy VM budget */
		mp_builder_add_ool(&b, 0x7f0000010000ull, MP_MAX_VM_SPACE, MP_MSG_PHYSICAL_COPY, 0);
		break;
	case MAX_PORTS:
		mp_builder_add_ool_ports(&b, 0x7f0000020000ull, MP_MAX_PORTS_PER_MSG, send,
					 received ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY, received);
		break;
	default:
		mp_builder_append(&b, text, 64);
		break;
	}
	return finish(&b);
}

/* The rejected neighbour of each send rule: a valid seed with one field broken. */
static void send_rule_seeds(void)
{
	uint8_t m[CAP];
	size_t n;
	char name[64];
	struct { const char *rule; enum shape s; size_t off; uint32_t v; } pokes[] = {
	    {"desc_type", PORT, DESC0 + MP_DESC_TYPE_OFFSET, 5},
	    {"ool_copy", OOL, DESC0 + DESC_COPY_OFFSET, MP_MSG_ALLOCATE},
	    {"guarded_disposition", GUARDED, DESC0 + DESC_DISPOSITION_OFFSET, MP_MSG_TYPE_MOVE_SEND},
	    {"guarded_flags_zero", GUARDED, DESC0 + DESC_GUARD_FLAGS_OFFSET, 0},
	    {"guarded_flags_unknown", GUARDED, DESC0 + DESC_GUARD_FLAGS_OFFSET, 4},
	    {"guarded_context", UNGUARDED, DESC0, 1},
	    {"desc_count", PORT, MP_MSG_DESC_COUNT_OFFSET, 2},
	    {"port_count", MAX_PORTS, DESC0 + DESC_SIZE_OFFSET, MP_MAX_PORTS_PER_MSG + 1},
	    {"vm_budget", BIG_OOL, DESC0 + DESC_SIZE_OFFSET, MP_MAX_VM_SPACE + 1},
	};
	for (size_t i = 0; i < sizeof pokes / sizeof pokes[0]; i++) {
		size_t off = pokes[i].off;
		n = make(m, pokes[i].s, 0);
		/* byte fields are poked as bytes, the others as words */
		if (off == DESC0 + DESC_DISPOSITION_OFFSET || off == DESC0 + MP_DESC_TYPE_OFFSET ||
		    off == DESC0 + DESC_COPY_OFFSET ||
		    (off == DESC0 + DESC_GUARD_FLAGS_OFFSET && pokes[i].s == GUARDED))
			m[off] = (uint8_t)pokes[i].v;
		else
			mp_store_le32(m + off, pokes[i].v);
		snprintf(name, sizeof name, "reject_%s", pokes[i].rule);
		send_seed(name, m, n);
	}
	/* header rules: bits and names of a simple message */
	struct { const char *rule; uint32_t bits, remote, local, voucher; } hdrs[] = {
	    {"remote_disposition", MP_MSGH_BITS(16, 0), 0x103, 0, 0},
	    {"remote_name", MP_MSGH_BITS(19, 0), 0, 0, 0},
	    {"reply_disposition", MP_MSGH_BITS(19, 0), 0x103, 0x207, 0},
	    {"voucher_disposition", MP_MSGH_BITS_SET_PORTS(19, 0, 18), 0x103, 0, 0x30b},
	    {"voucher_dead", MP_MSGH_BITS_SET_PORTS(19, 0, 19), 0x103, 0, MP_PORT_DEAD},
	    {"dest_voucher", MP_MSGH_BITS_SET_PORTS(20, 0, 19), 0x103, 0, 0x103},
	    {"dest_reply_send_once", MP_MSGH_BITS(18, 20), 0x103, 0x103, 0},
	    {"reply_voucher", MP_MSGH_BITS_SET_PORTS(19, 21, 17), 0x103, 0x207, 0x207},
	};
	for (size_t i = 0; i < sizeof hdrs / sizeof hdrs[0]; i++) {
		n = make(m, REPLY, 0);
		mp_store_le32(m + MP_MSGH_BITS_OFFSET, hdrs[i].bits);
		mp_store_le32(m + MP_MSGH_REMOTE_OFFSET, hdrs[i].remote);
		mp_store_le32(m + MP_MSGH_LOCAL_OFFSET, hdrs[i].local);
		mp_store_le32(m + MP_MSGH_VOUCHER_OFFSET, hdrs[i].voucher);
		snprintf(name, sizeof name, "reject_%s", hdrs[i].rule);
		send_seed(name, m, n);
	}
	n = make(m, SIMPLE, 0);
	send_seed("reject_send_size", m, n - 2);
	n = make(m, COMPLEX_EMPTY, 0);
	send_seed("reject_complex_size", m, 24);
	(void)make(m, OOL, 0);
	send_seed("reject_desc_truncated", m, DESC0 + MP_PORT_DESC_SIZE); /* a 16-byte OOL in 12 bytes */
}

static void recv_seeds(void)
{
	static const uint32_t tsizes[] = {8, 12, 20, 52, 60, 68};
	uint8_t m[CAP + 32];
	char name[64];
	for (int s = 0; s < NSHAPES; s++) {
		if (s == MAX_PORTS)
			continue; /* 64 KiB of names adds nothing the others lack */
		for (size_t t = 0; t < 6; t++) {
			size_t n = make(m, (enum shape)s, 1);
			memset(m + n, 0, tsizes[t]);
			mp_store_le32(m + n + TRAILER_SIZE_OFFSET, tsizes[t]);
			if (tsizes[t] >= 12)
				mp_store_le32(m + n + TRAILER_SEQNO_OFFSET, 7);
			if (tsizes[t] >= 52)
				mp_store_le32(m + n + TRAILER_AUDIT_PID_OFFSET, 4321);
			snprintf(name, sizeof name, "%s_trailer%u", shape_names[s], tsizes[t]);
			recv_seed(name, m, n + tsizes[t]);
		}
	}
	/* §10.4 minimal error header: COMPLEX, msgh_size 24, kernel trailer */
	memset(m, 0, 64);
	mp_store_le32(m + MP_MSGH_BITS_OFFSET,
		      MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) | MP_MSGH_BITS_COMPLEX);
	mp_store_le32(m + MP_MSGH_SIZE_OFFSET, 24);
	mp_store_le32(m + MP_MSGH_LOCAL_OFFSET, 0x103);
	mp_store_le32(m + MP_MSG_HEADER_SIZE + TRAILER_SIZE_OFFSET, MP_MSG_TRAILER_FORMAT_0_SIZE);
	mp_store_le32(m + MP_MSG_HEADER_SIZE + TRAILER_SENDER_OFFSET, 1); /* sender token val[0] */
	recv_seed("minimal_error_header", m, 44);
	/* slack after the trailer */
	size_t n = make(m, MIXED, 1);
	memset(m + n, 0xff, 84);
	mp_store_le32(m + n, MP_MSG_TRAILER_FORMAT_0);
	mp_store_le32(m + n + TRAILER_SIZE_OFFSET, 52);
	recv_seed("mixed_slack", m, n + 84);
	/* rejected: a bad trailer size, LOCAL bits 0, a port disposition 19 */
	mp_store_le32(m + n + TRAILER_SIZE_OFFSET, 16);
	recv_seed("reject_trailer_size", m, n + 84);
	n = make(m, PORT, 1);
	mp_store_le32(m + n, MP_MSG_TRAILER_FORMAT_0);
	mp_store_le32(m + n + TRAILER_SIZE_OFFSET, 8);
	m[DESC0 + DESC_DISPOSITION_OFFSET] = MP_MSG_TYPE_COPY_SEND;
	recv_seed("reject_port_disposition", m, n + 8);
	m[DESC0 + DESC_DISPOSITION_OFFSET] = MP_MSG_TYPE_PORT_SEND;
	mp_store_le32(m + MP_MSGH_BITS_OFFSET,
		      MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, 0) | MP_MSGH_BITS_COMPLEX);
	recv_seed("reject_local_bits", m, n + 8);
	/* kernel-set bits a receiver sees (RAISEIMP, IMPHOLDASRT), a guarded
	 * descriptor sent UNGUARDED_ON_SEND only (flags 2 on receipt, §6.9), and
	 * inline bytes outside ASCII */
	memset(m, 0, 64);
	mp_store_le32(m + MP_MSGH_BITS_OFFSET, MP_MSGH_BITS(0, MP_MSG_TYPE_PORT_SEND) | MP_MSGH_BITS_COMPLEX |
						       MP_MSGH_BITS_RAISEIMP | MP_MSGH_BITS_IMPHOLDASRT);
	mp_store_le32(m + MP_MSGH_SIZE_OFFSET, 52);
	mp_store_le32(m + MP_MSGH_LOCAL_OFFSET, 0x103);
	mp_store_le32(m + MP_MSGH_ID_OFFSET, 5);
	mp_store_le32(m + MP_MSG_DESC_COUNT_OFFSET, 1);
	mp_store_le32(m + DESC0 + DESC_GUARD_FLAGS_OFFSET, /* flags, disposition, type */
		      MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND | (MP_MSG_TYPE_PORT_RECEIVE << 16) |
			      ((uint32_t)MP_MSG_GUARDED_PORT_DESCRIPTOR << 24));
	mp_store_le32(m + DESC0 + DESC_SIZE_OFFSET, 0x203); /* the guarded name */
	for (int i = 0; i < 8; i++)
		m[44 + i] = (uint8_t)(0x80 + 17 * i);
	mp_store_le32(m + 52 + TRAILER_SIZE_OFFSET, MP_MSG_TRAILER_MINIMUM_SIZE); /* at msgh_size */
	recv_seed("raiseimp_unguarded_highbytes", m, 60);
}

/* libFuzzer / AFL++ dictionary: little-endian words and bytes of the ABI. */
static void write_dict(const char *target)
{
	char path[4096];
	FILE *f;
	struct { const char *name; uint32_t v; int bytes; } e[] = {
	    {"bits_complex", MP_MSGH_BITS_COMPLEX, 4},
	    {"bits_raiseimp", MP_MSGH_BITS_RAISEIMP, 4},
	    {"bits_send", MP_MSGH_BITS(MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE), 4},
	    {"bits_recv", MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND), 4},
	    {"bits_voucher", MP_MSGH_BITS_SET_PORTS(0, 0, MP_MSG_TYPE_COPY_SEND), 4},
	    {"port_dead", MP_PORT_DEAD, 4},
	    {"port_name", 0x103, 4},
	    {"ports_max", MP_MAX_PORTS_PER_MSG, 4},
	    {"ports_over", MP_MAX_PORTS_PER_MSG + 1, 4},
	    {"vm_max", MP_MAX_VM_SPACE, 4},
	    {"ool_small", MP_OOL_SIZE_SMALL, 4},
	    {"ool_small_plus", MP_OOL_SIZE_SMALL + 1, 4},
	    {"size_max", MP_MAX_SEND_SIZE, 4},
	    {"trailer_8", 8, 4}, {"trailer_12", 12, 4}, {"trailer_20", 20, 4},
	    {"trailer_52", 52, 4}, {"trailer_60", 60, 4}, {"trailer_68", 68, 4},
	    {"move_receive", MP_MSG_TYPE_MOVE_RECEIVE, 1}, {"move_send", MP_MSG_TYPE_MOVE_SEND, 1},
	    {"move_send_once", MP_MSG_TYPE_MOVE_SEND_ONCE, 1}, {"copy_send", MP_MSG_TYPE_COPY_SEND, 1},
	    {"make_send", MP_MSG_TYPE_MAKE_SEND, 1}, {"make_send_once", MP_MSG_TYPE_MAKE_SEND_ONCE, 1},
	    {"port_name_disp", MP_MSG_TYPE_PORT_NAME, 1},
	    {"type_ool", MP_MSG_OOL_DESCRIPTOR, 1}, {"type_ool_ports", MP_MSG_OOL_PORTS_DESCRIPTOR, 1},
	    {"type_ool_volatile", MP_MSG_OOL_VOLATILE_DESCRIPTOR, 1},
	    {"type_guarded", MP_MSG_GUARDED_PORT_DESCRIPTOR, 1},
	    {"guard_flags", MP_MSG_GUARD_FLAGS_MASK, 1},
	};
	snprintf(path, sizeof path, "%s/%s.dict", g_dir, target);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(f, "# %s: ABI words and bytes from wire.h (written by fuzz/support/seedgen.c)\n", target);
	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
		fprintf(f, "%s=\"", e[i].name);
		for (int k = 0; k < e[i].bytes; k++)
			fprintf(f, "\\x%02x", (e[i].v >> (8 * k)) & 0xff);
		fprintf(f, "\"\n");
	}
	if (fclose(f) != 0)
		exit(2);
}

/* machportd request packets: every op, each port call, a message with OOL
 * regions (the last byte is the descriptor count the target pretends came
 * with the packet). */
static void machportd_seeds(void)
{
	uint8_t p[CAP + 256];
	char name[64];
	size_t n;
	mpd_port_call_t c = { 0, 0x103, 1, 0x207, -1, 0x1234, 0 };
	mpd_ool_t ool[2] = { { 1, 4096 }, { 3, 100 } };
	uint8_t m[CAP];
	size_t mlen = make(m, MIXED, 0);

	n = mpd_encode_header(p, sizeof p, MPD_OP_HELLO, 1, 4);
	memset(p + n, 0, 5);
	p[n] = MPD_VERSION;
	write_seed("machportd_request", "hello", NULL, 0, p, n + 5);
	for (uint32_t call = MPD_CALL_ALLOCATE; call <= MPD_CALL_LAST; call++) {
		c.call = call;
		n = mpd_encode_port_call(p, sizeof p, call, &c);
		p[n] = 0;
		snprintf(name, sizeof name, "port_call_%u", call);
		write_seed("machportd_request", name, NULL, 0, p, n + 1);
	}
	{
		mpd_msg_args_t a = { .option = MP_MACH_SEND_MSG | MP_MACH_RCV_MSG, .send_size = (uint32_t)mlen,
				     .rcv_size = 1024, .rcv_name = 0x103, .timeout_ms = 100, .nool = 2, .msg = m };
		n = mpd_encode_msg(p, sizeof p, 9, &a, ool);
		p[n] = 1;
		write_seed("machportd_request", "msg_send_receive_ool", NULL, 0, p, n + 1);
		a.flags = MPD_MSG_IN_FD;
		n = mpd_encode_msg(p, sizeof p, 11, &a, ool);
		p[n] = 1;
		write_seed("machportd_request", "msg_in_memfd", NULL, 0, p, n + 1);
		{
			static const uint8_t regions[96] = { 0x5a };
			mpd_ool_t small[2] = { { 1, 64 }, { 3, 32 } };
			a.flags = MPD_OOL_INLINE;
			a.ool_total = sizeof regions;
			a.ool_data = regions;
			n = mpd_encode_msg(p, sizeof p, 16, &a, small);
			p[n] = 0;
			write_seed("machportd_request", "msg_ool_inline", NULL, 0, p, n + 1);
			a.ool_total = 0;
			a.ool_data = NULL;
		}
		memset(&a, 0, sizeof a);
		a.option = MP_MACH_RCV_MSG;
		a.rcv_size = 256;
		a.rcv_name = 0x103;
		n = mpd_encode_msg(p, sizeof p, 10, &a, NULL);
		p[n] = 0;
		write_seed("machportd_request", "msg_receive", NULL, 0, p, n + 1);
		{
			/* mach_msg2: a vector send and receive with aux data, and
			 * a scalar one */
			static const uint8_t aux[24] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xa5 };
			memset(&a, 0, sizeof a);
			a.option = MP_MACH_SEND_MSG | MP_MACH_RCV_MSG;
			a.send_size = (uint32_t)mlen;
			a.rcv_size = 1024;
			a.rcv_name = 0x103;
			a.nool = 2;
			a.msg = m;
			a.flags = MPD_MSG_MSG2;
			a.msg2 = (mpd_msg2_t){ .option_hi = (uint32_t)(MP_MACH64_SEND_MQ_CALL >> 32),
					       .bits = mp_load_le32(m), .remote = 0x103, .id = 7,
					       .desc_count = mp_load_le32(m + MP_MSG_HEADER_SIZE),
					       .vec_snd_count = 2, .vec_rcv_count = 2,
					       .msg_vec_send_size = (uint32_t)mlen, .aux_send_size = sizeof aux,
					       .aux_rcv_size = 128, .vflags = MPD_MSG2_VECTOR };
			a.aux = aux;
			n = mpd_encode_msg(p, sizeof p, 17, &a, ool);
			p[n] = 1;
			write_seed("machportd_request", "msg2_vector_aux", NULL, 0, p, n + 1);
			memset(&a.msg2, 0, sizeof a.msg2);
			a.msg2.option_hi = (uint32_t)(MP_MACH64_SEND_MQ_CALL >> 32);
			a.aux = NULL;
			a.nool = 0;
			a.option = MP_MACH_SEND_MSG;
			n = mpd_encode_msg(p, sizeof p, 18, &a, NULL);
			p[n] = 0;
			write_seed("machportd_request", "msg2_scalar", NULL, 0, p, n + 1);
		}
	}
	n = mpd_encode_attach(p, sizeof p, 12, 1, 0x5eed);
	p[n] = 0;
	write_seed("machportd_request", "attach", NULL, 0, p, n + 1);
	n = mpd_encode_header(p, sizeof p, MPD_OP_CHECK, 13, 0);
	p[n] = 0;
	write_seed("machportd_request", "check", NULL, 0, p, n + 1);
	n = mpd_encode_service(p, sizeof p, MPD_OP_REGISTER, 14, 0x103, MP_MSG_TYPE_MAKE_SEND, "com.example.svc", 15);
	p[n] = 0;
	write_seed("machportd_request", "register", NULL, 0, p, n + 1);
	n = mpd_encode_service(p, sizeof p, MPD_OP_LOOK_UP, 15, 0, 0, "com.example.svc", 15);
	p[n] = 0;
	write_seed("machportd_request", "look_up", NULL, 0, p, n + 1);
}

/* machportd reply packets: every kind, a MSG reply with each tail form.
 * Each ends with what fuzz/machportd_reply.c reads after the packet: the
 * caller's buffer size (u32), the op expected (0: the packet's) and the
 * descriptors that came with it. */
static void reply_seed(const char *name, const mpd_reply_t *r, uint32_t buf_len, uint8_t want, uint8_t nfds)
{
	uint8_t p[MPD_MAX_REPLY + 6];
	size_t n = mpd_encode_reply(p, sizeof p - 6, r);
	if (n == 0) {
		fprintf(stderr, "seedgen: machportd_reply %s does not encode\n", name);
		exit(3);
	}
	mp_store_le32(p + n, buf_len);
	p[n + 4] = want;
	p[n + 5] = nfds;
	write_seed("machportd_reply", name, NULL, 0, p, n + 6);
}

/* A MSG reply whose tail is `parts`, in the packet. */
static void msg_reply_seed(const char *name, const mpd_tail_parts_t *parts, uint32_t buf_len, uint8_t nfds)
{
	static uint8_t tail[MPD_INLINE_MAX];
	mpd_reply_t r = { .op = MPD_OP_MSG, .seq = 30 };
	r.u.msg.nspans = parts->nspans;
	r.u.msg.nmap = parts->nmap;
	r.u.msg.ndealloc = parts->ndealloc;
	r.u.msg.flags = parts->regions_inline ? MPD_REPLY_OOL_INLINE : 0;
	r.u.msg.tail_len = (uint32_t)mpd_encode_reply_tail(tail, sizeof tail, parts);
	r.u.msg.tail = tail;
	reply_seed(name, &r, buf_len, 0, nfds);
}

static void machportd_reply_seeds(void)
{
	static const uint8_t extra[MPD_PORT_EXTRA_MAX] = { 1, 0, 0, 0, 2 };
	static const uint8_t region[96] = { 0x5a };
	uint8_t m[CAP];
	size_t mlen = make(m, OOL, 1);
	char dir[4096];
	mpd_reply_t r;

	snprintf(dir, sizeof dir, "%s/machportd_reply", g_dir);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		perror(dir);
		exit(2);
	}
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_HELLO;
	r.seq = 1;
	r.u.hello.space = 1;
	r.u.hello.token = 0x5eed;
	r.u.hello.pid = 100;
	reply_seed("hello", &r, 0, 0, 0);
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_ATTACH;
	r.seq = 2;
	reply_seed("attach", &r, 0, 0, 0);
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_PORT_CALL;
	r.seq = 3;
	r.u.port_call.r1 = 0x103;
	reply_seed("port_call", &r, 0, 0, 0);
	r.u.port_call.extra = extra;
	r.u.port_call.nextra = (uint32_t)sizeof(mp_port_status_t);
	reply_seed("port_call_status", &r, 0, 0, 0);
	r.u.port_call.nextra = MPD_PORT_EXTRA_MAX;
	reply_seed("port_call_peek", &r, 0, 0, 0);
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_CHECK;
	r.seq = 4;
	r.u.check.ports = 3;
	reply_seed("check", &r, 0, 0, 0);
	r.u.check.rc = 1;
	r.u.check.why = "port 0x103: 2 send rights, 1 counted";
	r.u.check.why_len = (uint32_t)strlen(r.u.check.why);
	reply_seed("check_failed", &r, 0, 0, 0);
	memset(&r, 0, sizeof r);
	r.op = MPD_OP_REFUSED;
	r.seq = 5;
	r.u.refused.err = MPD_E_OOL_TABLE;
	r.u.refused.offset = MPD_HEADER_SIZE + MPD_MSG_ARGS;
	r.u.refused.reason = "OOL region 0: descriptor 1 is not an OOL region of 4096 bytes";
	r.u.refused.reason_len = (uint32_t)strlen(r.u.refused.reason);
	reply_seed("refused", &r, 0, MPD_OP_MSG, 0);
	for (mpd_op_t op = MPD_OP_REGISTER; op <= MPD_OP_LOOK_UP; op++) {
		memset(&r, 0, sizeof r);
		r.op = op;
		r.seq = 6;
		r.u.service.port = op == MPD_OP_LOOK_UP ? 0x207 : 0;
		reply_seed(op == MPD_OP_REGISTER ? "register" : "look_up", &r, 0, 0, 0);
	}
	{
		mpd_span_t spans[2] = { { 0, (uint32_t)mlen, m }, { 4, 4, m + 4 } };
		mpd_map_t maps[2] = { { MPD_TOKEN_BASE + 0x10, 0, 64, 0x10, region },
				      { MPD_TOKEN_BASE + 0x1000, 4096, 32, 0, region + 64 } };
		mpd_dealloc_t deallocs[1] = { { 0x7f0000001000ull, 4096 } };
		mpd_tail_parts_t parts = { spans, 1, NULL, 0, NULL, 0, 0 };
		msg_reply_seed("msg_received", &parts, CAP, 0);
		parts.nspans = 0;
		msg_reply_seed("msg_sent", &parts, CAP, 0);
		parts.spans = spans + 1;
		parts.nspans = 1;
		msg_reply_seed("msg_rcv_large", &parts, CAP, 0);
		parts.spans = spans;
		parts.maps = maps;
		parts.nmap = 2;
		parts.deallocs = deallocs;
		parts.ndealloc = 1;
		parts.regions_inline = 1;
		msg_reply_seed("msg_ool_packed", &parts, CAP, 0);
		parts.regions_inline = 0;
		msg_reply_seed("msg_ool_memfd", &parts, CAP, 1);
		memset(&r, 0, sizeof r);
		r.op = MPD_OP_MSG;
		r.seq = 31;
		r.u.msg.nspans = 1;
		r.u.msg.nmap = 1;
		r.u.msg.flags = MPD_REPLY_IN_FD;
		r.u.msg.tail_len = MPD_INLINE_MAX + 1;
		r.u.msg.tail_at = 8192;
		reply_seed("msg_tail_in_memfd", &r, MPD_MAX_RCV_SIZE, 0, 1);
	}
}

/* The reply's words for the engine's dictionary. */
static void machportd_reply_dict(void)
{
	static const struct {
		const char *name;
		uint64_t v;
		int bytes;
	} e[] = {
		{"magic", MPD_MAGIC, 4},
		{"hello", MPD_OP_HELLO | (MPD_VERSION << 16), 4},
		{"port_call", MPD_OP_PORT_CALL | (MPD_VERSION << 16), 4},
		{"msg", MPD_OP_MSG | (MPD_VERSION << 16), 4},
		{"attach", MPD_OP_ATTACH | (MPD_VERSION << 16), 4},
		{"check", MPD_OP_CHECK | (MPD_VERSION << 16), 4},
		{"refused", MPD_OP_REFUSED | (MPD_VERSION << 16), 4},
		{"register", MPD_OP_REGISTER | (MPD_VERSION << 16), 4},
		{"look_up", MPD_OP_LOOK_UP | (MPD_VERSION << 16), 4},
		{"token_base", MPD_TOKEN_BASE, 8},
		{"page", MPD_PAGE, 8},
		{"inline_max", MPD_INLINE_MAX, 4},
		{"extra_max", MPD_PORT_EXTRA_MAX, 4},
	};
	char path[4096];
	FILE *f;
	snprintf(path, sizeof path, "%s/machportd_reply.dict", g_dir);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fprintf(f, "# machportd_reply: protocol words from lib/machportd/proto.h (written by fuzz/support/seedgen.c)\n");
	for (size_t i = 0; i < sizeof e / sizeof e[0]; i++) {
		fprintf(f, "%s=\"", e[i].name);
		for (int k = 0; k < e[i].bytes; k++)
			fprintf(f, "\\x%02x", (unsigned)((e[i].v >> (8 * k)) & 0xff));
		fprintf(f, "\"\n");
	}
	if (fclose(f) != 0)
		exit(2);
}

int main(int argc, char **argv)
{
	uint8_t m[CAP];
	static char dir[4096];
	if (argc != 2) {
		fprintf(stderr, "usage: seedgen DIR (with DIR/parse_send, DIR/parse_recv, DIR/dump)\n");
		return 2;
	}
	g_dir = mp_caller_path(argv[1], dir, sizeof dir); /* bazel run: the caller's DIR */
	if (g_dir == NULL) {
		fprintf(stderr, "seedgen: %s: path too long\n", argv[1]);
		return 2;
	}
	for (int s = 0; s < NSHAPES; s++)
		send_seed(shape_names[s], m, make(m, (enum shape)s, 0));
	send_rule_seeds();
	recv_seeds();
	machportd_seeds();
	machportd_reply_seeds();
	machportd_reply_dict();
	write_dict("parse_send");
	write_dict("parse_recv");
	write_dict("dump");
	printf("seedgen: %u seeds\n", g_count);
	return 0;
}
