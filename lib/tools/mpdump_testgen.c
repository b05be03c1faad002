/*
 * mpdump_testgen DIR: writes the messages mpdump_test.sh checks mpdump with:
 * valid and invalid send and receive messages of every descriptor kind, and
 * deterministic garbage. The valid ones come from the builder.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/spec/mach/mach_specs.h"
#include "machports/le.h"
#include "machports/msg.h"
#include "machports/spec.h"

static const char *g_dir;

/* Trailer elements, by wire.h's layouts (§4.1). */
#define TRAILER_SIZE_OFFSET offsetof(mp_msg_trailer_t, msgh_trailer_size)
#define TRAILER_SEQNO_OFFSET offsetof(mp_msg_seqno_trailer_t, msgh_seqno)
#define TRAILER_SENDER_OFFSET offsetof(mp_msg_security_trailer_t, msgh_sender)
#define TRAILER_AUDIT_PID_OFFSET (offsetof(mp_msg_audit_trailer_t, msgh_audit) + 5 * 4)

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
	mp_store_le32(buf + at, MP_MSG_TRAILER_FORMAT_0);
	mp_store_le32(buf + at + TRAILER_SIZE_OFFSET, size);
	if (size >= MP_MSG_TRAILER_SEQNO_SIZE)
		mp_store_le32(buf + at + TRAILER_SEQNO_OFFSET, 7);
	if (size >= MP_MSG_TRAILER_FORMAT_0_SIZE) {
		mp_store_le32(buf + at + TRAILER_SENDER_OFFSET, 501);    /* euid */
		mp_store_le32(buf + at + TRAILER_SENDER_OFFSET + 4, 20); /* egid */
	}
	if (size >= MP_MSG_TRAILER_AUDIT_SIZE)
		mp_store_le32(buf + at + TRAILER_AUDIT_PID_OFFSET, 4321);
	return at + size;
}

/* A received mach_exception_raise (mach_exc 2405) with `count` codes, built
 * from its spec (received dispositions: PORT_SEND descriptors, a send-once
 * reply port), then an 8-byte trailer. */
static size_t exc_raise(uint8_t *buf, size_t cap, uint32_t count)
{
	const mp_spec_routine_t *rt = mp_spec_routine_for_id(&mach_exc_spec, 2405);
	const int64_t codes[2] = {1, 0x10};
	const int32_t exception = 1; /* EXC_BAD_ACCESS */
	mp_spec_value_t descs[2] = {{.name = 0x1103, .disposition = MP_MSG_TYPE_MOVE_SEND},
				    {.name = 0x1203, .disposition = MP_MSG_TYPE_MOVE_SEND}};
	mp_spec_value_t fields[3] = {{.data = &exception}, {0}, {.data = codes, .count = 2}};
	mp_spec_header_t hdr = {.remote = 0x2003, .remote_disposition = MP_MSG_TYPE_COPY_SEND,
				.local = 0x2103,
				.local_disposition = MP_MSG_TYPE_MAKE_SEND_ONCE};
	size_t len;
	if (rt == NULL || mp_spec_build_request(rt, &hdr, descs, fields, buf, cap, &len, NULL) != MP_OK)
		exit(3);
	/* as delivered: the reply port as remote (PORT_SEND_ONCE), the service as
	 * local (PORT_SEND), PORT_SEND descriptors (disposition byte at +10), the
	 * codeCnt asked for */
	mp_store_le32(buf + MP_MSGH_BITS_OFFSET,
		      MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) |
			      MP_MSGH_BITS_COMPLEX);
	mp_store_le32(buf + MP_MSGH_REMOTE_OFFSET, 0x2103);
	mp_store_le32(buf + MP_MSGH_LOCAL_OFFSET, 0x2003);
	buf[28 + 10] = MP_MSG_TYPE_PORT_SEND;
	buf[40 + 10] = MP_MSG_TYPE_PORT_SEND;
	mp_store_le32(buf + 64, count);
	return add_trailer(buf, len, 8);
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
	buf[MP_MSG_BASE_SIZE + MP_DESC_TYPE_OFFSET] = 9; /* first descriptor's type byte */
	write_file("send_bad_type.bin", buf, len);
	len = all_kinds(buf, sizeof buf, 0);
	mp_store_le32(buf + MP_MSGH_REMOTE_OFFSET, MP_PORT_NULL);
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
	mp_store_le32(m + MP_MSGH_BITS_OFFSET,
		      MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, MP_MSG_TYPE_PORT_SEND) | MP_MSGH_BITS_COMPLEX);
	mp_store_le32(m + MP_MSGH_SIZE_OFFSET, MP_MSG_HEADER_SIZE);
	mp_store_le32(m + MP_MSGH_LOCAL_OFFSET, 0x103);
	write_file("recv_minimal_error.bin", m, add_trailer(m, MP_MSG_HEADER_SIZE, 12));
	len = all_kinds(buf, sizeof buf, 1);
	len = add_trailer(buf, len, 52);
	mp_store_le32(buf + len - 52 + TRAILER_SIZE_OFFSET, 16);
	write_file("recv_bad_trailer_size.bin", buf, len);
	len = all_kinds(buf, sizeof buf, 1);
	mp_store_le32(buf + MP_MSGH_BITS_OFFSET,
		      MP_MSGH_BITS(MP_MSG_TYPE_PORT_SEND_ONCE, 0) | MP_MSGH_BITS_COMPLEX);
	write_file("recv_bad_local_bits.bin", buf, add_trailer(buf, len, 8));

	/* spec mode (--spec-table mach_exc --recv) */
	write_file("spec_exc_raise.bin", buf, exc_raise(buf, sizeof buf, 2));
	write_file("spec_exc_raise_count3.bin", buf, exc_raise(buf, sizeof buf, 3));
	len = exc_raise(buf, sizeof buf, 2);
	mp_store_le32(buf + MP_MSGH_ID_OFFSET, 2404);
	write_file("spec_exc_bad_id.bin", buf, len);

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
