/*
 * lib/port/tests/msg2_test.c: mach_msg2, the 64-bit entry (XNU:
 * ipc/mach_msg.c mach_msg2_trap, mach_msg_copyin_data_vectors,
 * mach_msg_validate_data_vectors, mach_msg_trap_send; ipc/ipc_policy.c
 * ipc_current_user_policy, ipc_preflight_msg_option64,
 * ipc_validate_kmsg_dest_from_user; ipc/ipc_kmsg.c
 * ipc_kmsg_get_and_inflate_from_user, ipc_kmsg_put_vector_to_user;
 * ipc/ipc_mqueue.c ipc_mqueue_msg_too_large), on any backend.
 */
#include "lib/port/tests/port_test_support.h"

#define MQ (MP_MACH64_SEND_MQ_CALL)
#define SND (MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT)
#define RCV (MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT)

static mp_msg_header_t hdr(mp_port_name_t dest, uint32_t ddisp, int32_t id)
{
	mp_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MP_MSGH_BITS_SET_PORTS(ddisp, 0, 0);
	h.msgh_remote_port = dest;
	h.msgh_id = id;
	return h;
}

/* A simple 32-byte message in `buf` (header, 8 bytes), returned as a header. */
static mp_msg_header_t simple(uint8_t *buf, mp_port_name_t dest, int32_t id)
{
	memset(buf, 0, 64);
	(void)t_simple(buf, 64, dest, MP_MSG_TYPE_MAKE_SEND, 0, 0, id, 8);
	return hdr(dest, MP_MSG_TYPE_MAKE_SEND, id);
}

static mp_kr_t send2(mp_task_t *t, void *data, uint64_t opts, mp_msg_header_t h, uint32_t size)
{
	return mp_mach_msg2(t, data, SND | opts, h, size, 0, 0, 0, 0);
}

static mp_kr_t recv2(mp_task_t *t, void *data, uint64_t opts, uint32_t size, mp_port_name_t from)
{
	mp_msg_header_t h;
	memset(&h, 0, sizeof(h));
	return mp_mach_msg2(t, data, RCV | opts, h, 0, size, from, 0, 0);
}

static void vec(mp_msg_vector_t *v, void *data, uint32_t send_size, uint32_t rcv_size)
{
	v->msgv_data = (uint64_t)(uintptr_t)data;
	v->msgv_rcv_addr = 0;
	v->msgv_send_size = send_size;
	v->msgv_rcv_size = rcv_size;
}

/* The message (32 bytes) with `aux_len` bytes of aux data (header first). */
static mp_kr_t send_aux(mp_task_t *t, mp_port_name_t dest, int32_t id, uint32_t aux_len)
{
	uint8_t buf[64], aux[MP_MAX_AUX_DATA_SPACE + 8];
	mp_msg_vector_t v[2];
	mp_msg_header_t h = simple(buf, dest, id);

	memset(aux, 0xee, 8); /* the kernel ignores the user's aux header */
	for (uint32_t i = 8; i < sizeof(aux); i++)
		aux[i] = (uint8_t)i;
	vec(&v[0], buf, 32, 0);
	vec(&v[1], aux, aux_len, 0);
	return mp_mach_msg2(t, v, SND | MQ | MP_MACH64_MSG_VECTOR, h, 2, 0, 0, 0, 0);
}

/* mach_msg2_trap: the header is the trap's argument, not the buffer's. */
static void header_comes_from_the_arguments(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 7);

	(void)state;
	mp_store_le32(buf + MP_MSGH_ID_OFFSET, 99);        /* not read */
	mp_store_le32(buf + MP_MSGH_REMOTE_OFFSET, 0x1234); /* not read */
	assert_int_equal(send2(t, buf, MQ, h, 32), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, MP_MSGH_ID_OFFSET), 99); /* the buffer is not written */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(recv2(t, buf, 0, sizeof(buf), p), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, MP_MSGH_ID_OFFSET), 7);
	assert_int_equal(t_get32(buf, MP_MSGH_SIZE_OFFSET), 32);
	assert_int_equal(buf[24], 1); /* the body as sent (t_simple's bytes) */
	mp_msg_destroy(t, buf, sizeof(buf));
}

/* ipc_preflight_msg_option64: exactly one CFI bit, vectors only to a
 * message queue; a receive-only call is not checked. */
static void preflight_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_vector_t v[1];
	mp_msg_header_t h = simple(buf, p, 1);

	(void)state;
	assert_int_equal(send2(t, buf, 0, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(send2(t, buf, MQ | MP_MACH64_SEND_KOBJECT_CALL, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(send2(t, buf, MQ | MP_MACH64_SEND_ANY, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	vec(&v[0], buf, 32, 0);
	assert_int_equal(mp_mach_msg2(t, v, SND | MP_MACH64_SEND_KOBJECT_CALL | MP_MACH64_MSG_VECTOR, h, 1, 0,
				      0, 0, 0),
			 MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
	assert_int_equal(t_status(t, p).mps_mscount, 0); /* nothing was copied in */
	/* MACH64_SEND_ANY alone is a kind (macOS) */
	assert_int_equal(send2(t, buf, MP_MACH64_SEND_ANY, h, 32), MP_MACH_MSG_SUCCESS);
	/* receive-only: no CFI bit needed */
	assert_int_equal(recv2(t, buf, 0, sizeof(buf), p), MP_MACH_MSG_SUCCESS);
	mp_msg_destroy(t, buf, sizeof(buf));
}

/* ipc_validate_kmsg_dest_from_user: a port is a message queue; a kobject or
 * DriverKit call to it fails after the header rights were copied in, which
 * are destroyed (class B). */
static void dest_kind_policy_consumes_header(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 1);

	(void)state;
	assert_int_equal(mp_port_insert_right(t, p, t, p, MP_MSG_TYPE_MAKE_SEND), MP_KERN_SUCCESS);
	assert_int_equal(mp_port_mod_refs(t, p, MP_PORT_RIGHT_SEND, 1), MP_KERN_SUCCESS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 2);
	h = hdr(p, MP_MSG_TYPE_MOVE_SEND, 1);
	assert_int_equal(send2(t, buf, MP_MACH64_SEND_KOBJECT_CALL, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 1); /* the MOVE_SEND was consumed */
	assert_int_equal(send2(t, buf, MP_MACH64_SEND_DK_CALL, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(t_refs(t, p, MP_PORT_RIGHT_SEND), 0);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
}

/* ipc_current_user_policy: bits a user may not pass are dropped silently. */
static void unknown_bits_are_masked(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 3);

	(void)state;
	assert_int_equal(send2(t, buf, MQ | (1ull << 40) | (1ull << 63) | MP_MACH_SEND_KERNEL, h, 32),
			 MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(t, p), 3);
}

/* Options XNU knows and machports does not implement (wire.h
 * MP_MACH_MSG_OPTIONS_NOT_SUPPORTED: QoS, sync IPC) are refused by mach_msg2
 * as by mach_msg, never ignored: MACH_SEND_INVALID_OPTIONS for a send (the
 * header's rights are not consumed), MACH_RCV_INVALID_ARGUMENTS for a
 * receive (the queued message stays). */
static void unimplemented_options_are_refused(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 4);
	uint32_t refs = 0;

	(void)state;
	assert_int_equal(send2(t, buf, MQ | MP_MACH_SEND_OVERRIDE, h, 32), MP_MACH_SEND_INVALID_OPTIONS);
	assert_int_equal(send2(t, buf, MQ, h, 32), MP_MACH_MSG_SUCCESS);
	assert_int_equal(recv2(t, buf, MP_MACH_RCV_SYNC_WAIT, sizeof(buf), p), MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(t_recv_id(t, p), 4);
	assert_int_equal(recv2(t, buf, 0, sizeof(buf), p), MP_MACH_RCV_TIMED_OUT); /* the refused send queued nothing */
	assert_int_equal(mp_port_get_refs(t, p, MP_PORT_RIGHT_RECEIVE, &refs), MP_KERN_SUCCESS);
	assert_int_equal(refs, 1);
}

/* mach_msg_trap_send: descriptors in a message the header says is simple
 * (only mach_msg2 can say this: the count is its own argument). */
static void desc_count_without_complex(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 1);

	(void)state;
	/* the buffer says COMPLEX with one descriptor; the header argument does not */
	mp_store_le32(buf + MP_MSGH_BITS_OFFSET, t_get32(buf, 0) | MP_MSGH_BITS_COMPLEX);
	mp_store_le32(buf + MP_MSG_HEADER_SIZE, 1);
	assert_int_equal(send2(t, buf, MQ, h, 40), MP_MACH_SEND_TOO_LARGE);
	/* sizes come first */
	assert_int_equal(send2(t, buf, MQ, h, 20), MP_MACH_SEND_MSG_TOO_SMALL);
	assert_int_equal(t_status(t, p).mps_mscount, 0);
}

/* mach_msg_copyin_data_vectors: the vector count (the larger of the two). */
static void vector_counts(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_vector_t v[3];
	mp_msg_header_t h = simple(buf, p, 1);
	uint64_t o = MQ | MP_MACH64_MSG_VECTOR;

	(void)state;
	vec(&v[0], buf, 32, sizeof(buf));
	vec(&v[1], NULL, 0, 0);
	vec(&v[2], NULL, 0, 0);
	assert_int_equal(mp_mach_msg2(t, v, SND | o, h, 3, 0, 0, 0, 0), MP_MACH_SEND_INVALID_DATA);
	assert_int_equal(mp_mach_msg2(t, v, SND | o, h, 0, 0, 0, 0, 0), MP_MACH_SEND_MSG_TOO_SMALL);
	assert_int_equal(mp_mach_msg2(t, v, SND | RCV | o, h, 1, 3, p, 0, 0), MP_MACH_SEND_INVALID_DATA);
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH64_MSG_VECTOR, h, 0, 3, p, 0, 0),
			 MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH64_MSG_VECTOR, h, 0, 0, p, 0, 0),
			 MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
}

/* mach_msg_validate_data_vectors (sending): message then aux, in XNU's order. */
static void send_vector_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128], aux[16];
	mp_msg_vector_t v[2];
	mp_msg_header_t h = simple(buf, p, 1);
	uint64_t o = SND | MQ | MP_MACH64_MSG_VECTOR;

	(void)state;
	vec(&v[0], NULL, 32, 0);
	vec(&v[1], aux, 4, 0);
	assert_int_equal(mp_mach_msg2(t, v, o, h, 2, 0, 0, 0, 0), MP_MACH_SEND_INVALID_DATA);
	vec(&v[0], buf, 30, 0);
	assert_int_equal(mp_mach_msg2(t, v, o, h, 2, 0, 0, 0, 0), MP_MACH_SEND_MSG_TOO_SMALL);
	vec(&v[0], buf, 32, 0);
	vec(&v[1], NULL, 4, 0);
	assert_int_equal(mp_mach_msg2(t, v, o, h, 2, 0, 0, 0, 0), MP_MACH_SEND_INVALID_DATA);
	vec(&v[1], aux, 4, 0);
	assert_int_equal(mp_mach_msg2(t, v, o, h, 2, 0, 0, 0, 0), MP_MACH_SEND_AUX_TOO_SMALL);
	assert_int_equal(send_aux(t, p, 1, MP_MAX_AUX_DATA_SPACE + 4), MP_MACH_SEND_AUX_TOO_LARGE);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
	/* with one send vector the aux vector is not looked at */
	assert_int_equal(mp_mach_msg2(t, v, o, h, 1, 0, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(t, p), 1);
	/* aux size 0 is no aux; 1024 is the most */
	vec(&v[1], aux, 0, 0);
	assert_int_equal(mp_mach_msg2(t, v, o, h, 2, 0, 0, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(t, p), 1);
	assert_int_equal(send_aux(t, p, 2, MP_MAX_AUX_DATA_SPACE), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_recv_id(t, p), 2); /* a scalar receive drops the aux data */
}

/* ipc_kmsg_get_and_inflate_from_user + ipc_kmsg_put_vector_to_user: the aux
 * data arrives with the kernel's header {size, 0}; a message without aux
 * gives the EOF header {0, 0}; msgv_rcv_addr is where it is received. */
static void aux_round_trip(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128], rbuf[128], aux[64];
	mp_msg_vector_t v[2];
	mp_msg_header_t h = simple(buf, p, 5);

	(void)state;
	assert_int_equal(send_aux(t, p, 5, 24), MP_MACH_MSG_SUCCESS);
	memset(aux, 0x55, sizeof(aux));
	memset(rbuf, 0, sizeof(rbuf));
	vec(&v[0], buf, 0, sizeof(rbuf));
	v[0].msgv_rcv_addr = (uint64_t)(uintptr_t)rbuf;
	vec(&v[1], aux, 0, sizeof(aux));
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH64_MSG_VECTOR, h, 0, 2, p, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(rbuf, MP_MSGH_ID_OFFSET), 5);
	assert_int_equal(t_get32(aux, 0), 24);
	assert_int_equal(t_get32(aux, 4), 0);
	for (uint32_t i = 8; i < 24; i++)
		assert_int_equal(aux[i], (uint8_t)i);
	assert_int_equal(aux[24], 0x55); /* nothing past the aux data */
	mp_msg_destroy(t, rbuf, sizeof(rbuf));

	/* no aux data: the EOF header */
	assert_int_equal(send2(t, buf, MQ, h, 32), MP_MACH_MSG_SUCCESS);
	memset(aux, 0x55, sizeof(aux));
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH64_MSG_VECTOR, h, 0, 2, p, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(aux, 0), 0);
	assert_int_equal(t_get32(aux, 4), 0);
	assert_int_equal(aux[8], 0x55);
	mp_msg_destroy(t, rbuf, sizeof(rbuf));
}

/* ipc_mqueue_msg_too_large with aux: aux data larger than the aux buffer
 * (any aux data, for a one-vector receive) is MACH_RCV_TOO_LARGE; with
 * MACH_RCV_LARGE the message stays and the aux size needed is written. */
static void aux_too_large(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128], aux[64];
	mp_msg_vector_t v[2];
	mp_msg_header_t h = simple(buf, p, 6);

	(void)state;
	assert_int_equal(send_aux(t, p, 6, 40), MP_MACH_MSG_SUCCESS);
	vec(&v[0], buf, 0, sizeof(buf));
	vec(&v[1], aux, 0, 16);
	memset(aux, 0, sizeof(aux));
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH_RCV_LARGE | MP_MACH64_MSG_VECTOR, h, 0, 2, p, 0, 0),
			 MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(t_get32(aux, 0), 40);
	assert_int_equal(t_get32(buf, MP_MSGH_SIZE_OFFSET), 32);
	assert_int_equal(t_status(t, p).mps_msgcount, 1);
	/* one vector: no aux room at all */
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH_RCV_LARGE | MP_MACH64_MSG_VECTOR, h, 0, 1, p, 0, 0),
			 MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(t_status(t, p).mps_msgcount, 1);
	/* without MACH_RCV_LARGE the message is destroyed, the aux reduced to its header */
	assert_int_equal(mp_mach_msg2(t, v, RCV | MP_MACH64_MSG_VECTOR, h, 0, 2, p, 0, 0), MP_MACH_RCV_TOO_LARGE);
	assert_int_equal(t_get32(aux, 0), 8);
	assert_int_equal(t_status(t, p).mps_msgcount, 0);
}

/* mach_msg2_trap: the receive vectors are checked after a combined call's
 * send (which happened) and before any dequeue (the message stays). */
static void combined_send_then_receive_rules(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128], aux[64];
	mp_msg_vector_t v[2];
	mp_msg_header_t h = simple(buf, p, 8);
	uint64_t o = SND | RCV | MQ | MP_MACH64_MSG_VECTOR;

	(void)state;
	vec(&v[0], buf, 32, sizeof(buf));
	vec(&v[1], aux, 0, 4); /* too small to receive into */
	assert_int_equal(mp_mach_msg2(t, v, o, h, 1, 2, p, 0, 0), MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(t_status(t, p).mps_msgcount, 1);
	vec(&v[1], NULL, 0, 16); /* no address */
	assert_int_equal(mp_mach_msg2(t, v, o, h, 1, 2, p, 0, 0), MP_MACH_RCV_INVALID_ARGUMENTS);
	assert_int_equal(t_status(t, p).mps_msgcount, 2);
	/* a good combined call: sends one, receives the oldest */
	vec(&v[1], aux, 0, sizeof(aux));
	assert_int_equal(mp_mach_msg2(t, v, o, h, 1, 2, p, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, MP_MSGH_ID_OFFSET), 8);
	assert_int_equal(t_get32(aux, 0), 0);
	assert_int_equal(t_status(t, p).mps_msgcount, 2);
	mp_msg_destroy(t, buf, sizeof(buf));
	assert_int_equal(t_recv_id(t, p), 8);
	assert_int_equal(t_recv_id(t, p), 8);
	/* a failed send skips the receive */
	assert_int_equal(send2(t, buf, MQ, h, 32), MP_MACH_MSG_SUCCESS);
	h.msgh_remote_port = 0x4242;
	assert_int_equal(mp_mach_msg2(t, buf, SND | RCV | MQ, h, 32, sizeof(buf), p, 0, 0),
			 MP_MACH_SEND_INVALID_DEST);
	assert_int_equal(t_status(t, p).mps_msgcount, 1);
	assert_int_equal(t_recv_id(t, p), 8);
}

/* Scalar combined send and receive (no vectors), and a NULL buffer. */
static void scalar_combined_and_null(void **state)
{
	mp_task_t *t = t_task();
	mp_port_name_t p = t_port(t);
	uint8_t buf[128];
	mp_msg_header_t h = simple(buf, p, 9);

	(void)state;
	assert_int_equal(mp_mach_msg2(t, buf, SND | RCV | MQ, h, 32, sizeof(buf), p, 0, 0), MP_MACH_MSG_SUCCESS);
	assert_int_equal(t_get32(buf, MP_MSGH_ID_OFFSET), 9);
	mp_msg_destroy(t, buf, sizeof(buf));
	assert_int_equal(send2(t, NULL, MQ, h, 32), MP_MACH_SEND_INVALID_DATA);
	assert_int_equal(mp_mach_msg2(t, NULL, MP_MACH64_MSG_VECTOR | MQ | SND, h, 1, 0, 0, 0, 0),
			 MP_MACH_SEND_INVALID_DATA);
	assert_int_equal(mp_mach_msg2(NULL, buf, SND | MQ, h, 32, 0, 0, 0, 0), MP_MACH_SEND_INVALID_DEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(header_comes_from_the_arguments),
		T(preflight_rules),
		T(dest_kind_policy_consumes_header),
		T(unknown_bits_are_masked),
		T(unimplemented_options_are_refused),
		T(desc_count_without_complex),
		T(vector_counts),
		T(send_vector_rules),
		T(aux_round_trip),
		T(aux_too_large),
		T(combined_send_then_receive_rules),
		T(scalar_combined_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
