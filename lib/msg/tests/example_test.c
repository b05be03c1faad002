/*
 * lib/msg/tests/example_test.c: the C API example from README.md, run as a
 * test so the README cannot drift from the API. Keep the two in step.
 */
#include <stdio.h>
#include <string.h>

#include "machports/dump.h"
#include "machports/msg.h"

int main(void)
{
	/* --- README example begins --- */
	uint8_t buf[256];
	static const char payload[8] = "hello!!";
	mp_builder_t b;
	mp_diag_t diag;
	size_t len;

	mp_builder_init(&b, buf, sizeof buf, 0);
	mp_builder_set_remote(&b, 0x103, MP_MSG_TYPE_COPY_SEND);      /* destination */
	mp_builder_set_local(&b, 0x207, MP_MSG_TYPE_MAKE_SEND_ONCE);  /* reply port */
	mp_builder_set_id(&b, 1000);
	mp_builder_add_port(&b, 0x30b, MP_MSG_TYPE_MOVE_SEND);
	mp_builder_add_ool(&b, mp_addr(payload), sizeof payload, MP_MSG_VIRTUAL_COPY, 0);
	mp_builder_append(&b, payload, sizeof payload);
	if (mp_builder_finish(&b, &len, &diag) != MP_OK) {
		/* e.g. "MP_E_REMOTE_NAME (MACH_SEND_INVALID_DEST) at 8: ..." */
		fprintf(stderr, "%s (%s) at %zu: %s\n", mp_err_name(diag.err),
			mp_mach_msg_return_name(mp_err_mach_send(diag.err)), diag.offset, diag.reason);
		return 1;
	}

	mp_msg_view_t view;
	if (mp_parse_send(&view, buf, len, &diag) != MP_OK)
		return 1;
	mp_desc_iter_t it;
	mp_desc_t d;
	mp_desc_iter_init(&it, &view);
	while (mp_desc_next(&it, &d))
		printf("%s at offset %u\n", mp_desc_type_name(d.type), d.offset);
	mp_dump_text(&view, mp_write_stdio, stdout);
	/* --- README example ends --- */

	/* What the example must have produced. */
	if (len != 28 + 12 + 16 + 8 || view.desc_count != 2 || view.id != 1000 ||
	    view.local_disposition != MP_MSG_TYPE_MAKE_SEND_ONCE || view.inline_len != 8) {
		printf("0 passed, 1 failed\n");
		return 1;
	}
	printf("1 passed, 0 failed\n");
	return 0;
}
