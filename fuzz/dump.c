/*
 * fuzz/dump.c: mpdump's renderings. The first byte picks the mode; the rest
 * is the message. Accepted inputs are rendered as text and as JSON, rejected
 * ones as the JSON rejection; no crash, and the JSON must parse.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz/support/oracle.h"
#include "lib/tools/json_valid.h"
#include "machports/dump.h"

typedef struct sink {
	char *buf;
	size_t len, cap;
} sink_t;

static void sink_write(void *ctx, const char *data, size_t len)
{
	sink_t *s = ctx;
	if (s->cap - s->len < len) {
		size_t cap = (s->cap + len) * 2;
		char *nb = realloc(s->buf, cap);
		FUZZ_CHECK(nb != NULL, "out of memory");
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mp_msg_view_t view;
	mp_diag_t diag;
	mp_err_t err;
	sink_t text = {0}, json = {0};
	mp_mode_t mode;

	if (size < 1)
		return 0;
	mode = (data[0] & 1) ? MP_MODE_RECV : MP_MODE_SEND;
	data++;
	size--;
	err = mode == MP_MODE_SEND ? mp_parse_send(&view, data, size, &diag)
				   : mp_parse_recv(&view, data, size, 0, &diag);
	if (err == MP_OK) {
		mp_dump_text(&view, sink_write, &text);
		FUZZ_CHECK(text.len > 0 && memchr(text.buf, '\0', text.len) == NULL, "text dump");
		mp_dump_json(&view, "input\"\\\n", sink_write, &json);
	} else {
		mp_dump_json_rejected(mode, &diag, "input", sink_write, &json);
	}
	FUZZ_CHECK(mp_json_valid_object(json.buf, json.len), "invalid JSON: %.*s", (int)json.len,
		   json.buf);
	FUZZ_CHECK(memchr(json.buf, '\n', json.len) == NULL, "JSON spans lines");
	free(text.buf);
	free(json.buf);
	return 0;
}
