/* fuzz/parse_send.c: raw bytes as a message about to be sent (mp_parse_send). */
#include "fuzz/support/oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mp_msg_view_t view;
	mp_diag_t diag;
	mp_err_t err = mp_parse_send(&view, data, size, &diag);
	if (err == MP_OK)
		fuzz_check_accepted(&view, data, size);
	else
		fuzz_check_rejected(MP_MODE_SEND, err, &diag, size);
	return 0;
}
