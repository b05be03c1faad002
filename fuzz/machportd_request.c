/*
 * fuzz/machportd_request.c: bytes as a request packet to machportd
 * (lib/machportd/proto.c), with 0, 1 or 2 descriptors attached (the last
 * byte). The decoder must refuse with a named rule and an offset inside the
 * packet, or accept a packet that re-encodes to the same bytes and whose
 * pointers lie inside it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/machportd/proto.h"
#include "machports/le.h"
#include "machports/msg.h"

#define CHECK(cond, ...)                                      \
	do {                                                  \
		if (!(cond)) {                                \
			fprintf(stderr, "machportd_request: "); \
			fprintf(stderr, __VA_ARGS__);         \
			fprintf(stderr, "\n");                \
			abort();                              \
		}                                             \
	} while (0)

static uint8_t again[MPD_HEADER_SIZE + 24 + 8 * MPD_MAX_OOL + 65536];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mpd_request_t r;
	mpd_diag_t d;
	int nfds;
	size_t n = 0;
	mpd_err_t err;

	if (size == 0)
		return 0;
	nfds = data[size - 1] % 3;
	size--;
	err = mpd_decode_request(data, size, nfds, &r, &d);
	if (err != MPD_OK) {
		CHECK(d.err == err && d.offset <= size && d.reason[0] != '\0', "%s without a diagnosis",
		      mpd_err_name(err));
		return 0;
	}
	switch (r.op) {
	case MPD_OP_HELLO:
		n = mpd_encode_header(again, sizeof again, MPD_OP_HELLO, r.seq, 4);
		memcpy(again + n, data + n, 4);
		n += 4;
		break;
	case MPD_OP_ATTACH:
		n = mpd_encode_attach(again, sizeof again, r.seq, r.u.attach.space, r.u.attach.token);
		break;
	case MPD_OP_CHECK:
		n = mpd_encode_header(again, sizeof again, MPD_OP_CHECK, r.seq, 0);
		break;
	case MPD_OP_REGISTER:
	case MPD_OP_LOOK_UP:
		CHECK(r.u.service.name_len >= 1 && r.u.service.name_len <= MPD_SERVICE_MAX &&
			      memchr(r.u.service.name, 0, r.u.service.name_len) == NULL,
		      "service name of %u bytes", r.u.service.name_len);
		n = mpd_encode_service(again, sizeof again, r.op, r.seq, r.u.service.port, r.u.service.disposition,
				       r.u.service.name, r.u.service.name_len);
		break;
	case MPD_OP_PORT_CALL:
		n = mpd_encode_port_call(again, sizeof again, r.seq, &r.u.call);
		memcpy(again + MPD_HEADER_SIZE + 20, data + MPD_HEADER_SIZE + 20, 4); /* the padding word */
		break;
	case MPD_OP_MSG: {
		const mpd_msg_args_t *m = &r.u.msg;
		mpd_ool_t ool[MPD_MAX_OOL];
		const uint8_t *table_end = m->ool_table + 8 * (size_t)m->nool;
		/* a MSG2's aux bytes follow the message (or the table, when the
		 * message is in the memfd) */
		uint32_t aux_len = (m->flags & MPD_MSG_MSG2) ? mpd_msg2_aux_len(&m->msg2) : 0;
		const uint8_t *msg_end = m->msg != NULL ? m->msg + m->send_size : table_end;
		CHECK(m->ool_table >= data + MPD_HEADER_SIZE + MPD_MSG_ARGS +
					       ((m->flags & MPD_MSG_MSG2) ? MPD_MSG2_ARGS : 0) &&
			      table_end <= data + size,
		      "OOL table outside the packet");
		CHECK(m->msg == NULL ? (m->flags & MPD_MSG_IN_FD) && table_end + aux_len == data + size
				     : m->msg == table_end &&
					       msg_end + aux_len + ((m->flags & MPD_OOL_INLINE) ? m->ool_total : 0) ==
						       data + size,
		      "message outside the packet");
		CHECK(aux_len == 0 ? m->aux == NULL : m->aux == msg_end, "aux bytes outside the packet");
		CHECK(!(m->flags & MPD_MSG_MSG2) || !(m->msg2.vflags & MPD_MSG2_VECTOR) ||
			      m->send_size == (mpd_msg2_reads_message(&m->msg2, m->option) ? m->msg2.msg_vec_send_size : 0),
		      "a vector's message bytes the kernel does not read (or lacks)");
		CHECK(!(m->flags & MPD_OOL_INLINE) || (m->ool_data == msg_end + aux_len && m->fd_bytes == 0),
		      "inline regions outside the packet");
		CHECK(m->ool_total <= MPD_MAX_OOL_BYTES, "%llu OOL bytes accepted", (unsigned long long)m->ool_total);
		for (uint32_t i = 0; i < m->nool; i++) {
			ool[i].desc_index = mp_load_le32(m->ool_table + 8 * i);
			ool[i].size = mp_load_le32(m->ool_table + 8 * i + 4);
		}
		if (m->msg != NULL) {
			/* the daemon's walk of the message for its OOL windows: in bounds
			 * (lib/msg's reader finds the whole descriptor there), in order */
			mpd_desc_iter_t it;
			mpd_desc_ref_t dr;
			mp_desc_t whole;
			uint32_t next = 0;
			mpd_desc_iter_init(&it, m->msg, m->send_size);
			while (mpd_desc_next(&it, &dr)) {
				CHECK(dr.index == next++ && dr.off >= MP_MSG_BASE_SIZE &&
					      mp_desc_decode(m->msg, m->send_size, dr.off, &whole) && whole.type == dr.type,
				      "descriptor %u at %u out of bounds", dr.index, dr.off);
			}
		}
		n = mpd_encode_msg(again, sizeof again, r.seq, m, ool);
		memcpy(again + MPD_HEADER_SIZE + 28, data + MPD_HEADER_SIZE + 28, 4); /* the padding word */
		break;
	}
	default:
		CHECK(0, "accepted op %u", r.op);
	}
	CHECK(n == size && memcmp(again, data, size) == 0, "decode + encode is not the identity");
	return 0;
}
