/* lib/machportd/proto.c: decoding and encoding machportd packets (proto.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/machportd/proto.h"

#define PORT_CALL_ARGS 40u /* call, name, a1, a2, delta, pad, a64, b64 */
#define MSG_ARGS MPD_MSG_ARGS

static const char *const err_names[] = {
	"MPD_OK", "MPD_E_SHORT", "MPD_E_MAGIC", "MPD_E_VERSION", "MPD_E_LENGTH",
	"MPD_E_OP", "MPD_E_CALL", "MPD_E_TOO_LARGE", "MPD_E_OOL_TABLE", "MPD_E_FDS",
	"MPD_E_FLAGS",
};

const char *mpd_err_name(mpd_err_t err)
{
	return (unsigned)err < sizeof err_names / sizeof err_names[0] ? err_names[err] : "MPD_E_?";
}

#define rd32 mpd_rd32
#define rd64 mpd_rd64
#define wr32 mpd_wr32
#define wr64 mpd_wr64

static mpd_err_t fail(mpd_diag_t *d, mpd_err_t err, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static mpd_err_t fail(mpd_diag_t *d, mpd_err_t err, size_t offset, const char *fmt, ...)
{
	if (d != NULL) {
		va_list ap;
		d->err = err;
		d->offset = offset;
		va_start(ap, fmt);
		vsnprintf(d->reason, sizeof d->reason, fmt, ap);
		va_end(ap);
	}
	return err;
}

mpd_err_t mpd_decode_request(const uint8_t *pkt, size_t len, int nfds, mpd_request_t *out,
			     mpd_diag_t *d)
{
	uint32_t op, version, body;
	const uint8_t *b;

	if (d != NULL)
		memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	if (pkt == NULL || len < MPD_HEADER_SIZE)
		return fail(d, MPD_E_SHORT, 0, "%zu bytes, a header is %u", len, MPD_HEADER_SIZE);
	if (len > MPD_MAX_PACKET)
		return fail(d, MPD_E_TOO_LARGE, 0, "%zu bytes, at most %u", len, MPD_MAX_PACKET);
	if (rd32(pkt) != MPD_MAGIC)
		return fail(d, MPD_E_MAGIC, 0, "magic 0x%08x", rd32(pkt));
	op = rd32(pkt + 4) & 0xffff;
	version = rd32(pkt + 4) >> 16;
	if (version != MPD_VERSION)
		return fail(d, MPD_E_VERSION, 6, "version %u, this daemon speaks %u", version, MPD_VERSION);
	out->seq = rd32(pkt + 8);
	body = rd32(pkt + 12);
	if ((size_t)body != len - MPD_HEADER_SIZE)
		return fail(d, MPD_E_LENGTH, 12, "header says %u bytes follow, %zu do", body,
			    len - MPD_HEADER_SIZE);
	b = pkt + MPD_HEADER_SIZE;

	switch (op) {
	case MPD_OP_HELLO:
		if (body != 4)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "HELLO has 4 bytes, not %u", body);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "HELLO with %d descriptors", nfds);
		out->op = MPD_OP_HELLO;
		out->u.version = rd32(b);
		return MPD_OK;

	case MPD_OP_ATTACH:
		if (body != 16)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "ATTACH has 16 bytes, not %u", body);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "ATTACH with %d descriptors", nfds);
		out->op = MPD_OP_ATTACH;
		out->u.attach.space = rd64(b);
		out->u.attach.token = rd64(b + 8);
		return MPD_OK;

	case MPD_OP_CHECK:
		if (body != 0)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "CHECK has no arguments, not %u bytes", body);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "CHECK with %d descriptors", nfds);
		out->op = MPD_OP_CHECK;
		return MPD_OK;

	case MPD_OP_REGISTER:
	case MPD_OP_LOOK_UP: {
		uint32_t fixed = op == MPD_OP_REGISTER ? 8u : 0u;
		if (body <= fixed || body - fixed > MPD_SERVICE_MAX)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a service name of %d bytes (1 to %u)",
				    (int)body - (int)fixed, MPD_SERVICE_MAX);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "%s with %d descriptors", op == MPD_OP_REGISTER ? "REGISTER" : "LOOK_UP",
				    nfds);
		if (memchr(b + fixed, 0, body - fixed) != NULL)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + fixed + (size_t)((const uint8_t *)memchr(b + fixed, 0, body - fixed) - (b + fixed)),
				    "a NUL inside the service name");
		out->op = (mpd_op_t)op;
		if (op == MPD_OP_REGISTER) {
			out->u.service.port = rd32(b);
			out->u.service.disposition = rd32(b + 4);
		}
		out->u.service.name = (const char *)(b + fixed);
		out->u.service.name_len = body - fixed;
		return MPD_OK;
	}

	case MPD_OP_PORT_CALL: {
		mpd_port_call_t *c = &out->u.call;
		if (body != PORT_CALL_ARGS)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "PORT_CALL has %u bytes, not %u", body,
				    PORT_CALL_ARGS);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "PORT_CALL with %d descriptors", nfds);
		c->call = rd32(b);
		if (c->call < MPD_CALL_ALLOCATE || c->call > MPD_CALL_LAST)
			return fail(d, MPD_E_CALL, MPD_HEADER_SIZE, "port call %u", c->call);
		c->name = rd32(b + 4);
		c->a1 = rd32(b + 8);
		c->a2 = rd32(b + 12);
		c->delta = (int32_t)rd32(b + 16);
		c->a64 = rd64(b + 24);
		c->b64 = rd64(b + 32);
		out->op = MPD_OP_PORT_CALL;
		return MPD_OK;
	}

	case MPD_OP_MSG: {
		mpd_msg_args_t *m = &out->u.msg;
		uint64_t table, prev = 0;
		uint32_t inline_len;
		if (body < MSG_ARGS)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "MSG has %u bytes, its arguments %u", body,
				    MSG_ARGS);
		m->option = rd32(b);
		m->send_size = rd32(b + 4);
		m->rcv_size = rd32(b + 8);
		m->rcv_name = rd32(b + 12);
		m->timeout_ms = rd32(b + 16);
		m->nool = rd32(b + 20);
		m->flags = rd32(b + 24);
		m->buf_addr = rd64(b + 32);
		if (m->send_size > MP_MAX_SEND_SIZE)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4, "send size %u", m->send_size);
		if (m->rcv_size > MPD_MAX_RCV_SIZE)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 8, "receive size %u", m->rcv_size);
		if (m->nool > MPD_MAX_OOL)
			return fail(d, MPD_E_OOL_TABLE, MPD_HEADER_SIZE + 20, "%u OOL regions, at most %u", m->nool,
				    MPD_MAX_OOL);
		if ((m->flags & ~(MPD_MSG_IN_FD | MPD_OOL_INLINE)) || m->flags == (MPD_MSG_IN_FD | MPD_OOL_INLINE))
			return fail(d, MPD_E_FLAGS, MPD_HEADER_SIZE + 24, "flags 0x%x", m->flags);
		inline_len = (m->flags & MPD_MSG_IN_FD) ? 0 : m->send_size;
		if (inline_len > MPD_INLINE_MAX)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4, "%u message bytes in the packet, at most %u",
				    inline_len, MPD_INLINE_MAX);
		table = 8ull * m->nool;
		if ((uint64_t)body < MSG_ARGS + table + inline_len)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table and "
				    "message make %llu", body, (unsigned long long)(MSG_ARGS + table + inline_len));
		m->ool_table = b + MSG_ARGS;
		m->msg = (m->flags & MPD_MSG_IN_FD) ? NULL : b + MSG_ARGS + table;
		for (uint32_t i = 0; i < m->nool; i++) {
			uint32_t idx = rd32(m->ool_table + 8 * i), size = rd32(m->ool_table + 8 * i + 4);
			size_t at = MPD_HEADER_SIZE + MSG_ARGS + 8 * (size_t)i;
			if ((i > 0 && idx <= prev) || size == 0)
				return fail(d, MPD_E_OOL_TABLE, at, "OOL region %u: descriptor %u, %u bytes", i, idx,
					    size);
			prev = idx;
			m->ool_total += size;
		}
		if (m->ool_total > MPD_MAX_OOL_BYTES)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + MSG_ARGS, "%llu bytes of OOL data, at most %llu",
				    (unsigned long long)m->ool_total, (unsigned long long)MPD_MAX_OOL_BYTES);
		if (m->flags & MPD_OOL_INLINE) {
			/* the regions follow the message in the packet */
			if ((uint64_t)body != MSG_ARGS + table + inline_len + m->ool_total)
				return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table, "
					    "message and regions make %llu", body,
					    (unsigned long long)(MSG_ARGS + table + inline_len + m->ool_total));
			if (nfds != 0)
				return fail(d, MPD_E_FDS, 0, "inline OOL data with %d descriptors", nfds);
			m->ool_data = b + MSG_ARGS + table + inline_len;
			out->op = MPD_OP_MSG;
			return MPD_OK;
		}
		if ((uint64_t)body != MSG_ARGS + table + inline_len)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table and "
				    "message make %llu", body, (unsigned long long)(MSG_ARGS + table + inline_len));
		m->fd_bytes = m->ool_total + ((m->flags & MPD_MSG_IN_FD) ? m->send_size : 0);
		if ((m->fd_bytes > 0) != (nfds == 1) || nfds > 1)
			return fail(d, MPD_E_FDS, 0, "%llu bytes in a memfd with %d descriptors",
				    (unsigned long long)m->fd_bytes, nfds);
		out->op = MPD_OP_MSG;
		return MPD_OK;
	}

	default:
		return fail(d, MPD_E_OP, 4, "op %u", op);
	}
}

size_t mpd_encode_header(uint8_t *out, size_t cap, mpd_op_t op, uint32_t seq, uint32_t body_len)
{
	if (cap < MPD_HEADER_SIZE)
		return 0;
	wr32(out, MPD_MAGIC);
	wr32(out + 4, (uint32_t)op | (MPD_VERSION << 16));
	wr32(out + 8, seq);
	wr32(out + 12, body_len);
	return MPD_HEADER_SIZE;
}

size_t mpd_encode_port_call(uint8_t *out, size_t cap, uint32_t seq, const mpd_port_call_t *c)
{
	uint8_t *b = out + MPD_HEADER_SIZE;
	if (cap < MPD_HEADER_SIZE + PORT_CALL_ARGS)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_PORT_CALL, seq, PORT_CALL_ARGS);
	wr32(b, c->call);
	wr32(b + 4, c->name);
	wr32(b + 8, c->a1);
	wr32(b + 12, c->a2);
	wr32(b + 16, (uint32_t)c->delta);
	wr32(b + 20, 0);
	wr64(b + 24, c->a64);
	wr64(b + 32, c->b64);
	return MPD_HEADER_SIZE + PORT_CALL_ARGS;
}

size_t mpd_encode_msg(uint8_t *out, size_t cap, uint32_t seq, const mpd_msg_args_t *m, const mpd_ool_t *ool)
{
	uint32_t inline_len = (m->flags & MPD_MSG_IN_FD) ? 0 : m->send_size;
	uint64_t regions = (m->flags & MPD_OOL_INLINE) ? m->ool_total : 0;
	uint64_t body = MSG_ARGS + 8ull * m->nool + inline_len + regions;
	uint8_t *b = out + MPD_HEADER_SIZE;
	if (body > UINT32_MAX || cap < MPD_HEADER_SIZE + body)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_MSG, seq, (uint32_t)body);
	wr32(b, m->option);
	wr32(b + 4, m->send_size);
	wr32(b + 8, m->rcv_size);
	wr32(b + 12, m->rcv_name);
	wr32(b + 16, m->timeout_ms);
	wr32(b + 20, m->nool);
	wr32(b + 24, m->flags);
	wr32(b + 28, 0);
	wr64(b + 32, m->buf_addr);
	for (uint32_t i = 0; i < m->nool; i++) {
		wr32(b + MSG_ARGS + 8 * i, ool[i].desc_index);
		wr32(b + MSG_ARGS + 8 * i + 4, ool[i].size);
	}
	if (inline_len)
		memcpy(b + MSG_ARGS + 8 * m->nool, m->msg, inline_len);
	if (regions && m->ool_data != NULL)
		memcpy(b + MSG_ARGS + 8 * m->nool + inline_len, m->ool_data, (size_t)regions);
	return (size_t)(MPD_HEADER_SIZE + body);
}

size_t mpd_encode_attach(uint8_t *out, size_t cap, uint32_t seq, uint64_t space, uint64_t token)
{
	if (cap < MPD_HEADER_SIZE + 16)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_ATTACH, seq, 16);
	wr64(out + MPD_HEADER_SIZE, space);
	wr64(out + MPD_HEADER_SIZE + 8, token);
	return MPD_HEADER_SIZE + 16;
}

void mpd_desc_iter_init(mpd_desc_iter_t *it, const uint8_t *msg, uint32_t len)
{
	memset(it, 0, sizeof(*it));
	it->msg = msg;
	it->len = len;
	if (msg != NULL && len >= MP_MSG_HEADER_SIZE + 4 && (rd32(msg) & MP_MSGH_BITS_COMPLEX)) {
		it->left = rd32(msg + MP_MSG_HEADER_SIZE);
		it->off = MP_MSG_HEADER_SIZE + 4;
	}
}

int mpd_desc_next(mpd_desc_iter_t *it, mpd_desc_ref_t *d)
{
	uint32_t type, size;

	if (it->left == 0 || it->len - it->off < 12)
		return 0;
	type = it->msg[it->off + 11]; /* every descriptor's type byte is its 12th */
	if (type > MP_MSG_DESCRIPTOR_MAX)
		return 0;
	size = type == MP_MSG_PORT_DESCRIPTOR ? 12u : MP_WIDE_DESC_SIZE;
	if (it->len - it->off < size)
		return 0;
	memset(d, 0, sizeof(*d));
	d->index = it->index;
	d->type = type;
	d->off = it->off;
	if (type == MP_MSG_OOL_DESCRIPTOR || type == MP_MSG_OOL_VOLATILE_DESCRIPTOR ||
	    type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
		d->is_ool = 1;
		d->addr = rd64(it->msg + it->off);
		d->size = rd32(it->msg + it->off + 12);
		if (type == MP_MSG_OOL_PORTS_DESCRIPTOR)
			d->size *= 4u;
	}
	it->off += size;
	it->left--;
	it->index++;
	return 1;
}

size_t mpd_encode_service(uint8_t *out, size_t cap, mpd_op_t op, uint32_t seq, mp_port_name_t port,
			  uint32_t disposition, const char *name, size_t name_len)
{
	size_t fixed = op == MPD_OP_REGISTER ? 8 : 0;
	if (name_len > MPD_SERVICE_MAX || cap < MPD_HEADER_SIZE + fixed + name_len)
		return 0;
	mpd_encode_header(out, cap, op, seq, (uint32_t)(fixed + name_len));
	if (fixed) {
		wr32(out + MPD_HEADER_SIZE, port);
		wr32(out + MPD_HEADER_SIZE + 4, disposition);
	}
	memcpy(out + MPD_HEADER_SIZE + fixed, name, name_len);
	return MPD_HEADER_SIZE + fixed + name_len;
}
