/*
 * lib/msg/tests/builder_test.c: the builder's contract (sizes, sticky error,
 * layout, validation through the send-mode parser) and the golden byte maps
 * of xnu-abi.md §2.3.
 */
#include "lib/msg/tests/test_support.h"

#define V1 0x00000103u
#define V2 0x00000207u

static size_t build_typical(uint8_t *buf, size_t cap, mp_err_t *err, mp_diag_t *diag)
{
	static const uint32_t names[2] = {V1, V2};
	static const char text[8] = "payload";
	mp_builder_t b;
	size_t len = 0;
	mp_builder_init(&b, buf, cap, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_set_local(&b, V2, MP_MSG_TYPE_MAKE_SEND_ONCE);
	mp_builder_set_id(&b, 1234);
	mp_builder_add_port(&b, V2, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_ool(&b, mp_addr(text), sizeof text, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_add_ool_ports(&b, mp_addr(names), 2, MP_MSG_TYPE_COPY_SEND, MP_MSG_PHYSICAL_COPY, 0);
	mp_builder_add_guarded_port(&b, V1, MP_MSG_TYPE_MOVE_RECEIVE,
				    MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE, 0x42);
	mp_builder_append(&b, text, sizeof text);
	*err = mp_builder_finish(&b, &len, diag);
	return len;
}

static void test_layout_and_header(void **state)
{
	uint8_t buf[256];
	mp_err_t err;
	mp_msg_view_t v;
	(void)state;
	size_t len = build_typical(buf, sizeof buf, &err, NULL);
	assert_int_equal(err, MP_OK);
	assert_int_equal(len, 28 + 12 + 16 + 16 + 16 + 8);
	assert_int_equal(t_get32(buf, 0), MP_MSGH_BITS(19, 21) | MP_MSGH_BITS_COMPLEX);
	assert_int_equal(t_get32(buf, 4), len); /* msgh_size */
	assert_int_equal(t_get32(buf, 8), V1);
	assert_int_equal(t_get32(buf, 12), V2);
	assert_int_equal(t_get32(buf, 16), 0);
	assert_int_equal(t_get32(buf, 20), 1234);
	assert_int_equal(t_get32(buf, 24), 4); /* descriptor count */
	assert_memory_equal(buf + len - 8, "payload", 8);
	assert_int_equal(mp_parse_send(&v, buf, len, NULL), MP_OK);
	assert_int_equal(v.port_count, 1 + 2 + 1);
}

/* Too small a buffer: MP_E_NO_SPACE with the needed size, and nothing written past cap. */
static void test_needed_size(void **state)
{
	uint8_t ref[256], buf[256];
	mp_err_t err;
	mp_diag_t diag;
	(void)state;
	size_t need = build_typical(ref, sizeof ref, &err, NULL);
	assert_int_equal(err, MP_OK);
	for (size_t cap = 0; cap < need; cap++) {
		memset(buf, 0xa5, sizeof buf);
		size_t got = build_typical(buf, cap, &err, &diag);
		assert_int_equal(err, MP_E_NO_SPACE);
		assert_int_equal(got, need);
		assert_int_equal(diag.err, MP_E_NO_SPACE);
		for (size_t k = cap; k < sizeof buf; k++)
			assert_int_equal(buf[k], 0xa5);
	}
	size_t got = build_typical(buf, need, &err, NULL);
	assert_int_equal(err, MP_OK);
	assert_int_equal(got, need);
	assert_memory_equal(buf, ref, need);

	/* A NULL buffer is a pure size query. */
	mp_builder_t b;
	size_t len = 0;
	mp_builder_init(&b, NULL, 1000, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_append(&b, "abcd", 4);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_E_NO_SPACE);
	assert_int_equal(len, 28);
}

/* The first error sticks; later calls change nothing. */
static void test_sticky_error(void **state)
{
	uint8_t buf[128];
	mp_builder_t b;
	mp_diag_t diag;
	size_t len = 0;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, 0x20); /* not a 5-bit disposition */
	mp_builder_add_port(&b, V2, 0x100);  /* would be a second error */
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_append(&b, "abcd", 4);
	assert_int_equal(mp_builder_finish(&b, &len, &diag), MP_E_INVALID_ARG);
	assert_int_equal(diag.offset, 8);
	assert_int_equal(b.desc_count, 0);
	assert_int_equal(b.len, 24);
}

/* XNU refuses a valid name with a non-right disposition at rights copyin. */
static void test_port_disposition(void **state)
{
	uint8_t buf[128];
	mp_builder_t b;
	mp_diag_t diag;
	size_t len = 0;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, V2, MP_MSG_TYPE_PORT_NAME);
	assert_int_equal(mp_builder_finish(&b, &len, &diag), MP_E_PORT_DISPOSITION);
	assert_int_equal(mp_err_mach_send(diag.err), MP_MACH_SEND_INVALID_RIGHT);
	assert_int_equal(diag.offset, 38);

	/* NULL and DEAD pass with any disposition (§6.3). */
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, MP_PORT_NULL, MP_MSG_TYPE_PORT_NAME);
	mp_builder_add_port(&b, MP_PORT_DEAD, 0);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);

	/* Unchecked, the builder writes what it is told. */
	mp_builder_init(&b, buf, sizeof buf, MP_BUILD_UNCHECKED);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, V2, MP_MSG_TYPE_PORT_NAME);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(buf[38], MP_MSG_TYPE_PORT_NAME);
}

/* finish validates with mp_parse_send: same rule, same code, same offset. */
static void test_finish_validates(void **state)
{
	uint8_t buf[128];
	mp_builder_t b;
	mp_diag_t d1, d2;
	mp_msg_view_t v;
	size_t len = 0;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_guarded_port(&b, V2, MP_MSG_TYPE_MOVE_SEND, 1, 0);
	assert_int_equal(mp_builder_finish(&b, &len, &d1), MP_E_GUARDED_DISPOSITION);
	assert_int_equal(d1.offset, 38);

	mp_builder_init(&b, buf, sizeof buf, MP_BUILD_UNCHECKED);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_guarded_port(&b, V2, MP_MSG_TYPE_MOVE_SEND, 1, 0);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(mp_parse_send(&v, buf, len, &d2), MP_E_GUARDED_DISPOSITION);
	assert_int_equal(d2.offset, d1.offset);

	/* A header rule. */
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, MP_PORT_NULL, MP_MSG_TYPE_MAKE_SEND);
	assert_int_equal(mp_builder_finish(&b, &len, &d1), MP_E_REMOTE_NAME);
	assert_int_equal(mp_err_mach_send(d1.err), MP_MACH_SEND_INVALID_DEST);

	/* Inline data must keep the send size a multiple of 4 (§5.3). */
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, "abc", 3);
	assert_int_equal(mp_builder_finish(&b, &len, &d1), MP_E_SEND_SIZE);
}

/* A descriptor added after inline data goes before it; the data moves intact. */
static void test_descriptor_after_inline(void **state)
{
	uint8_t a[128], c[128];
	mp_builder_t b;
	size_t la = 0, lc = 0;
	(void)state;
	mp_builder_init(&b, a, sizeof a, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_append(&b, "0123", 4);
	mp_builder_add_port(&b, V2, MP_MSG_TYPE_COPY_SEND);
	mp_builder_append(&b, "4567", 4);
	mp_builder_add_ool(&b, 0x1000, 4, MP_MSG_PHYSICAL_COPY, 1);
	assert_int_equal(mp_builder_finish(&b, &la, NULL), MP_OK);

	mp_builder_init(&b, c, sizeof c, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MAKE_SEND);
	mp_builder_add_port(&b, V2, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_ool(&b, 0x1000, 4, MP_MSG_PHYSICAL_COPY, 1);
	mp_builder_append(&b, "01234567", 8);
	assert_int_equal(mp_builder_finish(&b, &lc, NULL), MP_OK);
	assert_int_equal(la, lc);
	assert_memory_equal(a, c, la);
}

/* COMPLEX with no descriptors: a 28-byte message with count 0. */
static void test_complex_no_descriptors(void **state)
{
	uint8_t buf[64];
	mp_builder_t b;
	size_t len = 0;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MOVE_SEND_ONCE);
	mp_builder_append(&b, "data", 4);
	mp_builder_set_other_bits(&b, MP_MSGH_BITS_COMPLEX | MP_MSGH_BITS_RAISEIMP);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(len, 32);
	assert_int_equal(t_get32(buf, 0), 18u | MP_MSGH_BITS_COMPLEX | MP_MSGH_BITS_RAISEIMP);
	assert_int_equal(t_get32(buf, 24), 0);
	assert_memory_equal(buf + 28, "data", 4);
}

static void test_raw_bits(void **state)
{
	uint8_t buf[64];
	mp_builder_t b;
	size_t len = 0;
	mp_msg_view_t v;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_set_raw_bits(&b, 0x31u | 0x40000000u);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK); /* the kernel masks */
	assert_int_equal(t_get32(buf, 0), 0x31u | 0x40000000u);
	assert_int_equal(mp_parse_send(&v, buf, len, NULL), MP_OK);
	assert_int_equal(v.bits, 0x11u);
}

/* A parsed view re-encodes descriptor by descriptor; an unknown type is refused. */
static void test_add_desc(void **state)
{
	uint8_t a[256], c[256];
	mp_err_t err;
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;
	mp_builder_t b;
	size_t la, lc = 0, ilen;
	(void)state;
	la = build_typical(a, sizeof a, &err, NULL);
	assert_int_equal(err, MP_OK);
	assert_int_equal(mp_parse_send(&v, a, la, NULL), MP_OK);
	mp_builder_init(&b, c, sizeof c, 0);
	mp_builder_set_remote(&b, v.remote, v.remote_disposition);
	mp_builder_set_local(&b, v.local, v.local_disposition);
	mp_builder_set_id(&b, v.id);
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d))
		mp_builder_add_desc(&b, &d);
	const uint8_t *inl = mp_view_inline(&v, &ilen);
	mp_builder_append(&b, inl, ilen);
	assert_int_equal(mp_builder_finish(&b, &lc, NULL), MP_OK);
	assert_int_equal(lc, la);
	assert_memory_equal(a, c, la);

	d.type = 5;
	mp_builder_init(&b, c, sizeof c, MP_BUILD_UNCHECKED);
	mp_builder_add_desc(&b, &d);
	assert_int_equal(mp_builder_finish(&b, &lc, NULL), MP_E_INVALID_ARG);
}

/* Inline data may come from the builder's own buffer (corpus/api/crash-append-overlapping-source). */
static void test_append_from_own_buffer(void **state)
{
	uint8_t buf[64];
	mp_builder_t b;
	size_t len = 0;
	(void)state;
	memset(buf, 0, sizeof buf);
	mp_builder_init(&b, buf, sizeof buf, MP_BUILD_UNCHECKED);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_append(&b, "abcdefgh", 8);
	mp_builder_append(&b, buf + 20, 8); /* overlaps the destination at 32 */
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_int_equal(len, 40);
	assert_memory_equal(buf + 24, "abcdefgh", 8);
	assert_int_equal(t_get32(buf, 32), V1 == 0 ? 0 : t_get32(buf, 20));
}

static void test_bad_flags(void **state)
{
	uint8_t buf[64];
	mp_builder_t b;
	size_t len;
	(void)state;
	mp_builder_init(&b, buf, sizeof buf, 0x80);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_E_INVALID_ARG);
	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_append(&b, NULL, 4);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_E_INVALID_ARG);
}

/* §2.3 "Example of the third word": bytes 8..11 of each descriptor kind. */
static void test_golden_third_word(void **state)
{
	uint8_t buf[128];
	mp_builder_t b;
	size_t len = 0;
	static const uint8_t port_word[4] = {0x00, 0x00, 0x11, 0x00};
	static const uint8_t ool_word[4] = {0x01, 0x02, 0x00, 0x01};
	static const uint8_t guarded_word[4] = {0x02, 0x01, 0x10, 0x04};
	(void)state;

	mp_builder_init(&b, buf, sizeof buf, MP_BUILD_UNCHECKED);
	mp_builder_set_remote(&b, V1, MP_MSG_TYPE_COPY_SEND);
	mp_builder_add_port(&b, V2, 0x11);
	mp_builder_add_ool(&b, 0x1122334455667788ull, 0x99, MP_MSG_ALLOCATE, 1);
	mp_builder_add_guarded_port(&b, V2, 0x10, 0x0102, 0x0807060504030201ull);
	assert_int_equal(mp_builder_finish(&b, &len, NULL), MP_OK);
	assert_memory_equal(buf + 28 + 8, port_word, 4);
	assert_memory_equal(buf + 40 + 8, ool_word, 4);
	assert_memory_equal(buf + 56 + 8, guarded_word, 4);
	/* 64-bit fields are little-endian at offset 0, only 4-aligned in the message. */
	static const uint8_t addr[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
	assert_memory_equal(buf + 40, addr, 8);
	assert_int_equal(t_get32(buf, 40 + 12), 0x99);
	assert_int_equal(t_get32(buf, 56 + 12), V2);

	/* The wire.h structs give the same bytes. */
	mp_msg_port_descriptor_t pd = {V2, 0, 0, 0x11, MP_MSG_PORT_DESCRIPTOR};
	mp_msg_ool_descriptor_t od = {0x1122334455667788ull, 1, 2, 0, MP_MSG_OOL_DESCRIPTOR, 0x99};
	mp_msg_guarded_port_descriptor_t gd = {0x0807060504030201ull, 0x0102, 0x10,
					       MP_MSG_GUARDED_PORT_DESCRIPTOR, V2};
	assert_memory_equal(&pd, buf + 28, sizeof pd);
	assert_memory_equal(&od, buf + 40, sizeof od);
	assert_memory_equal(&gd, buf + 56, sizeof gd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_and_header),
	    cmocka_unit_test(test_needed_size),
	    cmocka_unit_test(test_sticky_error),
	    cmocka_unit_test(test_port_disposition),
	    cmocka_unit_test(test_finish_validates),
	    cmocka_unit_test(test_descriptor_after_inline),
	    cmocka_unit_test(test_complex_no_descriptors),
	    cmocka_unit_test(test_raw_bits),
	    cmocka_unit_test(test_add_desc),
	    cmocka_unit_test(test_append_from_own_buffer),
	    cmocka_unit_test(test_bad_flags),
	    cmocka_unit_test(test_golden_third_word),
	};
	return cmocka_run_group_tests_name("builder", tests, NULL, NULL);
}
