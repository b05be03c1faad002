/* fuzz/parse_recv.c: raw bytes as a received buffer (mp_parse_recv). */
#include "fuzz/support/oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mp_msg_view_t view;
	mp_diag_t diag;
	mp_err_t err = mp_parse_recv(&view, data, size, 0, &diag);
	if (err == MP_OK) {
		fuzz_check_accepted(&view, data, size);
		/* Asking for the trailer size it has must accept it again; asking for
		 * another one (a receive option taken from the input) must not. */
		mp_msg_view_t again;
		FUZZ_CHECK(mp_parse_recv(&again, data, size, view.trailer.size, &diag) == MP_OK,
			   "rejected with its own trailer size");
		uint32_t want = mp_rcv_trailer_size(MP_RCV_TRAILER_ELEMENTS(data[size - 1]));
		err = mp_parse_recv(&again, data, size, want, &diag);
		FUZZ_CHECK((err == MP_OK) == (want == view.trailer.size) &&
			       (err == MP_OK || err == MP_E_TRAILER_MISMATCH),
			   "asked for a %u-byte trailer: %s", want, mp_err_name(err));
	} else {
		fuzz_check_rejected(MP_MODE_RECV, err, &diag, size);
	}
	return 0;
}
