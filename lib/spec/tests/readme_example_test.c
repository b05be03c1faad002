/*
 * lib/spec/tests/readme_example_test.c: the message-spec example of README.md,
 * run as a test so the README cannot drift from the API. Keep the two in step.
 * A client and a server in one task of the embedded kernel: the client builds
 * counter_add from values, the server checks it as MIG's server would, reads
 * its fields and the audit token, and builds the reply; the client checks the
 * reply as MIG's user stub would.
 */
#include <stdio.h>
#include <string.h>

#include "lib/spec/examples/counter_spec.h" /* mp_mig_spec(name = "counter_spec", ...) */
#include "machports/le.h"
#include "machports/port.h"
#include "machports/spec.h"

#define CHECK(x)                                                        \
	do {                                                            \
		if (!(x)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #x); \
			return 1;                                       \
		}                                                       \
	} while (0)

int main(void)
{
	mp_task_t *task;
	mp_port_name_t service, reply_port;
	CHECK(mp_task_open(MP_BACKEND_KERN, &task) == MP_KERN_SUCCESS);
	CHECK(mp_port_allocate(task, MP_PORT_RIGHT_RECEIVE, &service) == MP_KERN_SUCCESS);
	CHECK(mp_port_allocate(task, MP_PORT_RIGHT_RECEIVE, &reply_port) == MP_KERN_SUCCESS);

	/* --- README example begins --- */
	const mp_spec_routine_t *rt = mp_spec_routine_by_name(&counter_spec, "counter_add");
	mp_diag_t diag;
	size_t len;

	/* The client: a request from values; counts, NDR and padding come from the spec. */
	int64_t delta = 5;
	mp_spec_value_t args[4] = {0}; /* nameOffset, nameCnt, name, delta */
	args[mp_spec_field_index(&rt->request, "name")].data = "apples";
	args[mp_spec_field_index(&rt->request, "delta")].data = &delta;
	mp_spec_header_t to_service = {
		.remote = service, .remote_disposition = MP_MSG_TYPE_MAKE_SEND,
		.local = reply_port, .local_disposition = MP_MSG_TYPE_MAKE_SEND_ONCE,
	};
	uint8_t req[128];
	CHECK(mp_spec_build_request(rt, &to_service, NULL, args, req, sizeof req, &len, &diag) == MP_OK);
	CHECK(mp_mach_msg(task, req, MP_MACH_SEND_MSG, (uint32_t)len, 0, 0, 0) == MP_KERN_SUCCESS);

	/* The server: receive with the trailer the routine asks for, check as MIG does. */
	uint8_t in[128 + 68], out[128];
	CHECK(mp_mach_msg(task, in, MP_MACH_RCV_MSG | MP_RCV_TRAILER_TYPE(0) |
				    MP_RCV_TRAILER_ELEMENTS(MP_RCV_TRAILER_AUDIT),
			  0, sizeof in, service, 0) == MP_KERN_SUCCESS);
	mp_spec_view_t v;
	mp_spec_diag_t why;
	int32_t code = mp_spec_check_request(&counter_spec, in, sizeof in, MP_SPEC_MIG, &v, &why);
	if (code != MP_MIG_SUCCESS) {
		/* e.g. "counter_add: name: no NUL in the string's 16 bytes at offset 40" */
		fprintf(stderr, "%s: %s\n", mp_mig_code_name(code), why.reason);
		CHECK(mp_spec_build_error_reply(in, sizeof in, code, out, sizeof out, &len) == MP_OK);
	} else {
		const char *name = mp_spec_field_string(&v, mp_spec_field_index(v.msg, "name"));
		uint64_t d;
		mp_audit_token_t audit;
		CHECK(mp_spec_field_u64(&v, mp_spec_field_index(v.msg, "delta"), &d));
		CHECK(mp_spec_trailer(&v, MP_SPEC_TRAILER_AUDIT, &audit, sizeof audit));
		printf("%s += %lld from pid %u\n", name, (long long)d, audit.val[5]);

		int64_t total = 37 + (int64_t)d;
		mp_spec_value_t results[2] = {0}; /* RetCode, total */
		results[mp_spec_field_index(&rt->reply, "total")].data = &total;
		mp_spec_header_t to_client = {
			.remote = mp_load_le32(in + MP_MSGH_REMOTE_OFFSET), /* the reply port */
			.remote_disposition = MP_MSG_TYPE_MOVE_SEND_ONCE,
		};
		CHECK(mp_spec_build_reply(rt, &to_client, MP_KERN_SUCCESS, NULL, results, out,
					  sizeof out, &len, &diag) == MP_OK);
	}
	CHECK(mp_mach_msg(task, out, MP_MACH_SEND_MSG, (uint32_t)len, 0, 0, 0) == MP_KERN_SUCCESS);

	/* The client again: the reply, checked as MIG's user stub checks it. */
	uint8_t rep[128 + 68];
	CHECK(mp_mach_msg(task, rep, MP_MACH_RCV_MSG, 0, sizeof rep, reply_port, 0) == MP_KERN_SUCCESS);
	code = mp_spec_check_reply(rt, rep, sizeof rep, MP_SPEC_MIG, &v, &why);
	uint64_t total;
	CHECK(code == MP_MIG_SUCCESS && mp_spec_field_u64(&v, mp_spec_field_index(v.msg, "total"), &total));
	printf("total %llu\n", (unsigned long long)total);
	/* --- README example ends --- */

	CHECK(total == 42);

	/* The refusal the example's comment quotes: "apples" with no NUL (the
	 * search stops at the end of the 56-byte message). */
	memcpy(req, in, sizeof req);
	memset(req + 40, 'x', 64);
	code = mp_spec_check_request(&counter_spec, req, sizeof req, MP_SPEC_MIG, &v, &why);
	CHECK(code == MP_MIG_BAD_ARGUMENTS);
	CHECK(strcmp(why.reason, "counter_add: name: no NUL in the string's 16 bytes at offset 40") == 0);
	mp_task_close(task);
	return 0;
}
