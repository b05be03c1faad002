/*
 * mpdump_testgen DIR: writes the messages mpdump_test.sh checks mpdump with:
 * valid and invalid send and receive messages of every descriptor kind, and
 * deterministic garbage. The valid ones come from the builder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machports/msg.h"

static const char *g_dir;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void write_file(const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", g_dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

/* Every descriptor kind; `received` gives the form XNU delivers. */
static size_t all_kinds(uint8_t *buf, size_t cap, int received)
{
	static const char text[16] = "inline payload!";
	mp_builder_t b;
	size_t len = 0;
	mp_builder_init(&b, buf, cap, received ? MP_BUILD_UNCHECKED : 0);
	if (received) {
		mp_builder_set_remote(&b, 0x207, MP_MSG_TYPE_PORT_SEND_ONCE);
		mp_builder_set_local(&b, 0x103, MP_MSG_TYPE_PORT_SEND);
	} else {
		mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);
		mp_builder_set_local(&b, 0x207, MP_MSG_TYPE_MAKE_SEND_ONCE);
		mp_builder_set_voucher(&b, 0x30b, MP_MSG_TYPE_COPY_SEND);
	}
	mp_builder_set_id(&b, 0x1234);
	mp_builder_add_port(&b, 0x40f, received ? MP_MSG_TYPE_PORT_SEND : MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_ool(&b, 0x7f0000001000ull, 4096, MP_MSG_VIRTUAL_COPY, received);
	mp_builder_add_ool_ports(&b, 0x7f0000002000ull, 2,
				 received ? MP_MSG_TYPE_PORT_SEND : MP_MSG_TYPE_COPY_SEND,
				 received ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY, received);
	mp_builder_add_ool_volatile(&b, 0x7f0000003000ull, 100, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_guarded_port(&b, 0x513, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, received ? 0x7ffee000ull : 0x42);
	mp_builder_append(&b, text, sizeof text);
	if (mp_builder_finish(&b, &len, NULL) != MP_OK)
		exit(3);
	return len;
}

/* Appends a format-0 trailer of `size` bytes with recognisable elements. */
static size_t add_trailer(uint8_t *buf, size_t at, uint32_t size)
{
	memset(buf + at, 0, size);
	put32(buf + at, 0);
	put32(buf + at + 4, size);
	if (size >= 12)
		put32(buf + at + 8, 7); /* seqno */
	if (size >= 20) {
		put32(buf + at + 12, 501); /* euid */
		put32(buf + at + 16, 20);  /* egid */
	}
	if (size >= 52)
		put32(buf + at + 20 + 5 * 4, 4321); /* audit pid */
	return at + size;
}

int main(int argc, char **argv)
{
	uint8_t buf[1024], m[64];
	size_t len;
	mp_builder_t b;

	if (argc != 2) {
		fprintf(stderr, "usage: mpdump_testgen DIR\n");
		return 2;
	}
	g_dir = argv[1];

	/* send mode */
	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, "ping", 4);
	if (mp_builder_finish(&b, &len, NULL) != MP_OK)
		return 3;
	write_file("send_simple.bin", m, len);
	len = all_kinds(buf, sizeof buf, 0);
	write_file("send_all_kinds.bin", buf, len);
	buf[28 + 11] = 9; /* first descriptor's type byte */
	write_file("send_bad_type.bin", buf, len);
	len = all_kinds(buf, sizeof buf, 0);
	put32(buf + 8, 0); /* remote NULL */
	write_file("send_bad_remote.bin", buf, len);
	write_file("send_short.bin", buf, 10);
	write_file("send_empty.bin", buf, 0);

	/* receive mode */
	len = all_kinds(buf, sizeof buf, 1);
	write_file("recv_all_kinds_audit.bin", buf, add_trailer(buf, len, 52));
	len = all_kinds(buf, sizeof buf, 1);
	write_file("recv_all_kinds_sender.bin", buf, add_trailer(buf, len, 20));
	len = add_trailer(buf, len, 68);
	memset(buf + len, 0xff, 16); /* slack after the trailer */
	write_file("recv_mac_slack.bin", buf, len + 16);
	/* §10.4: a minimal error header that keeps COMPLEX */
	memset(m, 0, sizeof m);
	put32(m, MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) | MP_MSGH_BITS_COMPLEX);
	put32(m + 4, 24);
	put32(m + 12, 0x103);
	write_file("recv_minimal_error.bin", m, add_trailer(m, 24, 12));
	len = all_kinds(buf, sizeof buf, 1);
	len = add_trailer(buf, len, 52);
	put32(buf + len - 52 + 4, 16);
	write_file("recv_bad_trailer_size.bin", buf, len);
	len = all_kinds(buf, sizeof buf, 1);
	put32(buf, MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, 0) | MP_MSGH_BITS_COMPLEX);
	write_file("recv_bad_local_bits.bin", buf, add_trailer(buf, len, 8));

	/* garbage, and mutations of valid messages (deterministic) */
	uint64_t s = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 64; i++) {
		char name[64];
		size_t n;
		len = all_kinds(buf, sizeof buf, i & 1);
		if (i & 1)
			len = add_trailer(buf, len, 52);
		for (int k = 0; k < 1 + (i % 8); k++) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			buf[s % len] = (uint8_t)(s >> 32);
		}
		n = (i % 4 == 0) ? (size_t)(s >> 40) % (len + 1) : len;
		snprintf(name, sizeof name, "garbage_%02d.bin", i);
		write_file(name, buf, n);
	}
	return 0;
}
