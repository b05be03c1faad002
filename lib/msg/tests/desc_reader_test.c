/*
 * lib/msg/tests/desc_reader_test.c: lib/msg's one descriptor reader on bytes
 * no parser has accepted (mp_desc_decode, mp_desc_iter_init_raw), the reader
 * every layer that walks a message uses (xnu-abi.md §2.2: 12 bytes for a
 * port descriptor, 16 for every other type byte).
 */
#include "lib/msg/tests/test_support.h"

static void test_decode_each_kind(void **state)
{
	uint8_t m[28 + 12 + 16 + 16 + 16];
	mp_desc_t d;
	(void)state;
	memset(m, 0, sizeof m);
	t_header(m, MP_MSGH_BITS_COMPLEX, sizeof m, 0x103, 0, 0, 7);
	t_put32(m, MP_MSG_DESC_COUNT_OFFSET, 4);
	t_port_desc(m, 28, 0x207, MP_MSG_TYPE_MOVE_SEND);
	t_put64(m, 40, 0x1122334455667788ull); /* OOL: address, {dealloc, copy, pad, type}, size */
	m[48] = 1;
	m[49] = MP_MSG_VIRTUAL_COPY;
	m[51] = MP_MSG_OOL_DESCRIPTOR;
	t_put32(m, 52, 4096);
	t_put64(m, 56, 0x1000); /* OOL_PORTS: address, {dealloc, copy, disp, type}, count */
	m[66] = MP_MSG_TYPE_COPY_SEND;
	m[67] = MP_MSG_OOL_PORTS_DESCRIPTOR;
	t_put32(m, 68, 3);
	t_put64(m, 72, 0xc0ffee); /* guarded: context, {flags:16, disp, type}, name */
	m[80] = MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE;
	m[82] = MP_MSG_TYPE_MOVE_RECEIVE;
	m[83] = MP_MSG_GUARDED_PORT_DESCRIPTOR;
	t_put32(m, 84, 0x30b);

	assert_true(mp_desc_decode(m, sizeof m, 28, &d));
	assert_int_equal(d.type, MP_MSG_PORT_DESCRIPTOR);
	assert_int_equal(d.size, MP_PORT_DESC_SIZE);
	assert_int_equal(d.offset, 28);
	assert_int_equal(d.name, 0x207);
	assert_int_equal(d.disposition, MP_MSG_TYPE_MOVE_SEND);

	assert_true(mp_desc_decode(m, sizeof m, 40, &d));
	assert_int_equal(d.type, MP_MSG_OOL_DESCRIPTOR);
	assert_int_equal(d.size, MP_WIDE_DESC_SIZE);
	assert_true(d.address == 0x1122334455667788ull);
	assert_int_equal(d.deallocate, 1);
	assert_int_equal(d.copy, MP_MSG_VIRTUAL_COPY);
	assert_int_equal(d.length, 4096);

	assert_true(mp_desc_decode(m, sizeof m, 56, &d));
	assert_int_equal(d.type, MP_MSG_OOL_PORTS_DESCRIPTOR);
	assert_int_equal(d.disposition, MP_MSG_TYPE_COPY_SEND);
	assert_int_equal(d.length, 3);

	assert_true(mp_desc_decode(m, sizeof m, 72, &d));
	assert_int_equal(d.type, MP_MSG_GUARDED_PORT_DESCRIPTOR);
	assert_true(d.context == 0xc0ffee);
	assert_int_equal(d.flags, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
	assert_int_equal(d.name, 0x30b);
}

/* A port descriptor needs 12 bytes, any other type byte 16, and nothing
 * past `len` is read (ASan sees the exact-size copies). */
static void test_decode_bounds(void **state)
{
	uint8_t m[28 + 16];
	mp_desc_t d;
	(void)state;
	memset(m, 0, sizeof m);
	t_port_desc(m, 28, 0x207, MP_MSG_TYPE_COPY_SEND);
	for (size_t len = 28; len < 40; len++) {
		uint8_t *exact = malloc(len);
		memcpy(exact, m, len);
		assert_false(mp_desc_decode(exact, len, 28, &d));
		free(exact);
	}
	assert_true(mp_desc_decode(m, 40, 28, &d));
	m[39] = MP_MSG_OOL_DESCRIPTOR;
	assert_false(mp_desc_decode(m, 40, 28, &d));
	assert_true(mp_desc_decode(m, 44, 28, &d));
	m[39] = 0x7f; /* an unknown type is read, not judged */
	assert_true(mp_desc_decode(m, 44, 28, &d));
	assert_int_equal(d.type, 0x7f);
	assert_int_equal(d.size, 16);
	assert_false(mp_desc_decode(m, 44, 45, &d));
}

/* The lenient walk stops at the first descriptor that does not fit or has
 * an unknown type, and says how far it got. */
static void test_raw_walk(void **state)
{
	uint8_t m[28 + 12 + 16 + 12];
	mp_desc_iter_t it;
	mp_desc_t d;
	(void)state;
	memset(m, 0, sizeof m);
	t_header(m, MP_MSGH_BITS_COMPLEX, sizeof m, 0x103, 0, 0, 7);
	t_put32(m, MP_MSG_DESC_COUNT_OFFSET, 3);
	t_port_desc(m, 28, 0x207, MP_MSG_TYPE_MOVE_SEND);
	m[51] = MP_MSG_OOL_VOLATILE_DESCRIPTOR;
	t_port_desc(m, 56, 0x30b, MP_MSG_TYPE_MAKE_SEND);

	mp_desc_iter_init_raw(&it, m, sizeof m);
	assert_int_equal(it.count, 3);
	assert_true(mp_desc_next(&it, &d) && d.offset == 28);
	assert_true(mp_desc_next(&it, &d) && d.offset == 40 && d.type == MP_MSG_OOL_VOLATILE_DESCRIPTOR);
	assert_true(mp_desc_next(&it, &d) && d.offset == 56 && d.name == 0x30b);
	assert_false(mp_desc_next(&it, &d));
	assert_int_equal(it.index, 3);

	/* a count larger than the bytes: stops where the bytes end */
	t_put32(m, MP_MSG_DESC_COUNT_OFFSET, 1000);
	mp_desc_iter_init_raw(&it, m, sizeof m);
	while (mp_desc_next(&it, &d))
		;
	assert_int_equal(it.index, 3);

	/* an unknown type stops the walk */
	m[51] = MP_MSG_DESCRIPTOR_MAX + 1;
	mp_desc_iter_init_raw(&it, m, sizeof m);
	assert_true(mp_desc_next(&it, &d));
	assert_false(mp_desc_next(&it, &d));
	assert_int_equal(it.index, 1);

	/* not complex, or too short for a body: no descriptors */
	t_put32(m, 0, 0);
	mp_desc_iter_init_raw(&it, m, sizeof m);
	assert_int_equal(it.count, 0);
	t_put32(m, 0, MP_MSGH_BITS_COMPLEX);
	mp_desc_iter_init_raw(&it, m, 27);
	assert_int_equal(it.count, 0);
	assert_false(mp_desc_next(&it, &d));
}

/* The view walk and the raw walk agree on an accepted message. */
static void test_view_and_raw_agree(void **state)
{
	static const char text[8] = "payload";
	uint8_t buf[256];
	mp_builder_t b;
	mp_msg_view_t v;
	mp_desc_iter_t a, r;
	mp_desc_t da, dr;
	size_t len;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, 0x207, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_ool(&b, mp_addr(text), sizeof text, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_add_guarded_port(&b, 0x30b, MP_MSG_TYPE_MOVE_RECEIVE, MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x42);
	mp_builder_append(&b, text, sizeof text);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(mp_parse_send(&v, buf, len, NULL), MP_OK);
	mp_desc_iter_init(&a, &v);
	mp_desc_iter_init_raw(&r, buf, len);
	while (mp_desc_next(&a, &da)) {
		assert_true(mp_desc_next(&r, &dr));
		assert_int_equal(da.type, dr.type);
		assert_int_equal(da.offset, dr.offset);
		assert_int_equal(da.size, dr.size);
		assert_int_equal(da.name, dr.name);
		assert_int_equal(da.disposition, dr.disposition);
		assert_true(da.address == dr.address && da.context == dr.context);
		assert_int_equal(da.length, dr.length);
		assert_int_equal(da.flags, dr.flags);
	}
	assert_false(mp_desc_next(&r, &dr));
	assert_int_equal(a.index, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_each_kind),
		cmocka_unit_test(test_decode_bounds),
		cmocka_unit_test(test_raw_walk),
		cmocka_unit_test(test_view_and_raw_agree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
