/*
 * lib/compat/tests/apple_api_test.c: a program written only against Apple's
 * Mach API (no machports header, no machports name): a MIG-shaped request
 * and reply, header fields, the MACH_MSGH_BITS macros, descriptors, the
 * NDR record, trailers and kern_return_t values. It checks layout facts at
 * compile time and at run time and fills messages in memory; it calls no
 * Mach function, so it needs only the headers (//lib/compat:headers): the
 * calls are the examples' (examples/).
 *
 * On Linux it builds against lib/compat/include (//lib/compat:apple_api_test);
 * scripts/check-darwin-abi compiles the same file against the macOS SDK
 * (arm64, x86_64), so it is valid Darwin code.
 */
#include <mach/mach.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <servers/bootstrap.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A routine "add(a, b) -> sum" with an OOL buffer and a port, as MIG lays
 * it out (pack(4)). */
#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
	mach_msg_ool_descriptor_t data;
	NDR_record_t NDR;
	int32_t a;
	int64_t b;
	mach_msg_type_number_t dataCnt;
} add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int64_t sum;
} add_reply_t;

typedef struct {
	add_request_t req;
	mach_msg_max_trailer_t trailer;
} add_request_rcv_t;
#pragma pack(pop)

_Static_assert(sizeof(mach_msg_header_t) == 24, "header");
_Static_assert(sizeof(mach_msg_port_descriptor_t) == 12, "port descriptor");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 16, "ool descriptor");
_Static_assert(sizeof(NDR_record) == 8, "NDR_record");
_Static_assert(offsetof(add_request_t, port) == 28, "first descriptor");
_Static_assert(offsetof(add_request_t, data) == 40, "second descriptor");
_Static_assert(offsetof(add_request_t, NDR) == 56, "NDR after descriptors");
_Static_assert(offsetof(add_request_t, b) == 68, "int64 only 4-aligned");
_Static_assert(sizeof(add_request_t) == 80, "request");
_Static_assert(sizeof(add_reply_t) == 44, "reply");
_Static_assert(sizeof(mig_reply_error_t) == 36, "mig_reply_error_t");
_Static_assert(sizeof(mach_msg_max_trailer_t) == MAX_TRAILER_SIZE, "max trailer");
_Static_assert(sizeof(mach_no_senders_notification_t) == 56, "no-senders notification");
_Static_assert(sizeof(name_t) == BOOTSTRAP_MAX_NAME_LEN, "name_t");

static int failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			failures++;                                                  \
		}                                                                    \
	} while (0)

/* Offset of a field in the bytes of a message, by address. */
static size_t at(const void *base, const void *field)
{
	return (size_t)((const unsigned char *)field - (const unsigned char *)base);
}

int main(void)
{
	static char buffer[64];
	add_request_t req;
	add_reply_t rep;
	add_request_rcv_t rcv;
	mach_port_t server = 0x1103, reply = 0x2207, right = 0x3303;

	memset(&req, 0, sizeof(req));
	req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			     MACH_MSGH_BITS_COMPLEX;
	req.Head.msgh_size = (mach_msg_size_t)sizeof(req);
	req.Head.msgh_remote_port = server;
	req.Head.msgh_local_port = reply;
	req.Head.msgh_voucher_port = MACH_PORT_NULL;
	req.Head.msgh_id = 4200;
	req.msgh_body.msgh_descriptor_count = 2;
	req.port.name = right;
	req.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	req.port.type = MACH_MSG_PORT_DESCRIPTOR;
	req.data.address = buffer;
	req.data.size = (mach_msg_size_t)sizeof(buffer);
	req.data.deallocate = FALSE;
	req.data.copy = MACH_MSG_VIRTUAL_COPY;
	req.data.type = MACH_MSG_OOL_DESCRIPTOR;
	req.a = 2;
	req.b = 40;
	req.dataCnt = (mach_msg_type_number_t)sizeof(buffer);

	CHECK(MACH_MSGH_BITS_REMOTE(req.Head.msgh_bits) == MACH_MSG_TYPE_COPY_SEND);
	CHECK(MACH_MSGH_BITS_LOCAL(req.Head.msgh_bits) == MACH_MSG_TYPE_MAKE_SEND_ONCE);
	CHECK(MACH_MSGH_BITS_VOUCHER(req.Head.msgh_bits) == 0);
	CHECK(MACH_MSGH_BITS_IS_COMPLEX(req.Head.msgh_bits));
	CHECK(req.Head.msgh_bits == 0x80001513u);
	CHECK(MACH_MSGH_BITS_OTHER(req.Head.msgh_bits) == MACH_MSGH_BITS_COMPLEX);
	CHECK(MACH_PORT_VALID(req.Head.msgh_remote_port));
	CHECK(!MACH_PORT_VALID(MACH_PORT_DEAD));

	/* The bytes a kernel reads: header fields and descriptor bytes. */
	{
		const unsigned char *bytes = (const unsigned char *)&req;
		uint32_t word;
		memcpy(&word, bytes + 8, 4);
		CHECK(word == server);
		memcpy(&word, bytes + 12, 4);
		CHECK(word == reply);
		memcpy(&word, bytes + 20, 4);
		CHECK(word == 4200);
		CHECK(bytes[28 + 10] == MACH_MSG_TYPE_MOVE_SEND);
		CHECK(bytes[28 + 11] == MACH_MSG_PORT_DESCRIPTOR);
		CHECK(bytes[40 + 9] == MACH_MSG_VIRTUAL_COPY);
		CHECK(bytes[40 + 11] == MACH_MSG_OOL_DESCRIPTOR);
		memcpy(&word, bytes + 40 + 12, 4);
		CHECK(word == sizeof(buffer));
	}
	CHECK(at(&req, &req.Head.msgh_id) == 20);
	CHECK(at(&req, &req.dataCnt) == 76);

	/* A receive buffer: the trailer follows the message. */
	memset(&rcv, 0, sizeof(rcv));
	rcv.trailer.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	rcv.trailer.msgh_trailer_size = MACH_MSG_TRAILER_FORMAT_0_SIZE;
	CHECK(at(&rcv, &rcv.trailer) == sizeof(add_request_t));
	CHECK(at(&rcv.trailer, &rcv.trailer.msgh_audit) == 20);
	CHECK(at(&rcv.trailer, &rcv.trailer.msgh_context) == 52);
	CHECK(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)) == 52);
	CHECK(REQUESTED_TRAILER_SIZE(0) == sizeof(mach_msg_trailer_t));

	/* The reply a server routine fills in, and MIG's error reply. */
	memset(&rep, 0, sizeof(rep));
	rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req.Head.msgh_bits), 0);
	rep.Head.msgh_remote_port = req.Head.msgh_local_port;
	rep.Head.msgh_id = req.Head.msgh_id + 100;
	rep.Head.msgh_size = (mach_msg_size_t)sizeof(rep);
	rep.RetCode = KERN_SUCCESS;
	rep.sum = req.a + req.b;
	CHECK(rep.sum == 42);
	CHECK(at(&rep, &rep.RetCode) == 32);
	CHECK(at(&rep, &rep.sum) == 36);
	{
		mig_reply_error_t err;
		memset(&err, 0, sizeof(err));
		err.RetCode = MIG_BAD_ID;
		CHECK(at(&err, &err.RetCode) == 32);
		CHECK(err.RetCode == -303);
	}

	/* Return codes a caller compares against. */
	CHECK(KERN_SUCCESS == 0 && MACH_MSG_SUCCESS == 0);
	CHECK(KERN_INVALID_NAME == 15 && KERN_INVALID_RIGHT == 17);
	CHECK(MACH_SEND_INVALID_DEST == 0x10000003);
	CHECK(MACH_RCV_TIMED_OUT == 0x10004003);
	CHECK(MACH_RCV_TOO_LARGE == 0x10004004);
	CHECK(MIG_NO_REPLY == -305);
	CHECK(BOOTSTRAP_UNKNOWN_SERVICE == 1102);
	CHECK(MACH_NOTIFY_NO_SENDERS == 70 && MACH_NOTIFY_DEAD_NAME == 72);
	CHECK(MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE) == MACH_PORT_TYPE_RECEIVE);

	if (failures) {
		fprintf(stderr, "apple_api_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("apple_api_test: ok\n");
	return 0;
}
