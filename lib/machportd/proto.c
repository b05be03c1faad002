/* lib/machportd/proto.c: decoding and encoding machportd packets (proto.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/machportd/proto.h"
#include "machports/le.h"

#define PORT_CALL_ARGS 40u /* call, name, a1, a2, delta, pad, a64, b64 */
#define MSG_ARGS MPD_MSG_ARGS


#define MPD_ERR_NAME_(name, rule) #name,
static const char *const err_names[] = { MPD_ERR_TABLE(MPD_ERR_NAME_) };
#undef MPD_ERR_NAME_
#define MPD_ERR_RULE_(name, rule) rule,
static const char *const err_rules[] = { MPD_ERR_TABLE(MPD_ERR_RULE_) };
#undef MPD_ERR_RULE_

const char *mpd_err_name(mpd_err_t err)
{
	return (unsigned)err < MPD_ERR_END ? err_names[err] : "MPD_E_?";
}

const char *mpd_err_rule(mpd_err_t err)
{
	return (unsigned)err < MPD_ERR_END ? err_rules[err] : "unknown rule";
}

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

/* Returns the first error of a chain of checks (each writes `d`). */
#define TRY(expr)                          \
	do {                               \
		mpd_err_t e_ = (expr);     \
		if (e_ != MPD_OK)          \
			return e_;         \
	} while (0)

/* The 16-byte header every packet starts with, both ways: magic, {op:16,
 * version:16}, seq, and the length of what follows, which must be the rest
 * of the packet (of at most `max` bytes). `who` names this side in the
 * version mismatch. */
static mpd_err_t decode_header(const uint8_t *pkt, size_t len, size_t max, const char *who, uint32_t *op,
			       uint32_t *seq, uint32_t *body, mpd_diag_t *d)
{
	uint32_t version;

	if (pkt == NULL || len < MPD_HEADER_SIZE)
		return fail(d, MPD_E_SHORT, 0, "%zu bytes, a header is %u", len, MPD_HEADER_SIZE);
	if (len > max)
		return fail(d, MPD_E_TOO_LARGE, 0, "%zu bytes, at most %zu", len, max);
	if (mp_load_le32(pkt) != MPD_MAGIC)
		return fail(d, MPD_E_MAGIC, 0, "magic 0x%08x", mp_load_le32(pkt));
	*op = mp_load_le32(pkt + 4) & 0xffff;
	version = mp_load_le32(pkt + 4) >> 16;
	if (version != MPD_VERSION)
		return fail(d, MPD_E_VERSION, 6, "version %u, %s speaks %u", version, who, MPD_VERSION);
	*seq = mp_load_le32(pkt + 8);
	*body = mp_load_le32(pkt + 12);
	if ((size_t)*body != len - MPD_HEADER_SIZE)
		return fail(d, MPD_E_LENGTH, 12, "header says %u bytes follow, %zu do", *body,
			    len - MPD_HEADER_SIZE);
	return MPD_OK;
}

int mpd_msg2_reads_message(const mpd_msg2_t *m2, uint32_t option)
{
	uint32_t n = m2->vec_snd_count > m2->vec_rcv_count ? m2->vec_snd_count : m2->vec_rcv_count;
	uint32_t size = m2->msg_vec_send_size;

	return (option & MP_MACH_SEND_MSG) && (m2->vflags & MPD_MSG2_VECTOR) &&
	       !(m2->vflags & (MPD_MSG2_VEC_NULL | MPD_MSG2_MSG_DATA_NULL)) && n <= MP_MACH_MSGV_MAX_COUNT &&
	       m2->vec_snd_count >= 1 && size >= MP_MSG_HEADER_SIZE && (size & 3) == 0 && size <= MP_MAX_SEND_SIZE &&
	       (!MP_MSGH_BITS_IS_COMPLEX(m2->bits) || size >= MP_MIN_COMPLEX_SEND_SIZE);
}

uint32_t mpd_msg2_aux_len(const mpd_msg2_t *m2)
{
	if (!(m2->vflags & MPD_MSG2_VECTOR) || (m2->vflags & (MPD_MSG2_VEC_NULL | MPD_MSG2_AUX_DATA_NULL)) ||
	    m2->vec_snd_count != MP_MACH_MSGV_MAX_COUNT || m2->aux_send_size < sizeof(mp_msg_aux_header_t) ||
	    m2->aux_send_size > MP_MAX_AUX_DATA_SPACE)
		return 0;
	return m2->aux_send_size;
}

/* The mach_msg2 block's fields, in proto.h's order. */
#define MSG2_FIELDS(X)                                                                               \
	X(option_hi) X(bits) X(remote) X(local) X(voucher) X(id) X(desc_count) X(priority)          \
	X(vec_snd_count) X(vec_rcv_count) X(msg_vec_send_size) X(aux_send_size) X(aux_rcv_size)     \
	X(vflags)

static void encode_msg2(uint8_t *b, const mpd_msg2_t *m2)
{
	uint32_t at = 0;
#define MSG2_STORE_(f)                                   \
	mp_store_le32(b + at, (uint32_t)m2->f);          \
	at += 4;
	MSG2_FIELDS(MSG2_STORE_)
#undef MSG2_STORE_
	mp_store_le32(b + at, 0); /* pad */
}

/*
 * A MSG2 block: its fields, then what they must agree on (so the daemon
 * rebuilds exactly the caller's vectors): known vflags; a receive address
 * for the aux vector implies its msgv_data too (0 if msgv_rcv_addr ?:
 * msgv_data is 0); without MPD_MSG2_VECTOR no vector field is set; the
 * message carried is the message vector's (or none: the kernel refuses it
 * before it reads it); a zero pad.
 */
static mpd_err_t decode_msg2(const uint8_t *b, mpd_msg_args_t *m, mpd_diag_t *d)
{
	mpd_msg2_t *m2 = &m->msg2;
	uint32_t at = 0;
	size_t base = MPD_HEADER_SIZE + MSG_ARGS;
#define MSG2_LOAD_(f)                                         \
	m2->f = mp_load_le32(b + at);                    \
	at += 4;
	MSG2_FIELDS(MSG2_LOAD_)
#undef MSG2_LOAD_
	if (mp_load_le32(b + at) != 0)
		return fail(d, MPD_E_MSG2, base + at, "pad 0x%x", mp_load_le32(b + at));
	if (m2->vflags & ~MPD_MSG2_FLAGS)
		return fail(d, MPD_E_MSG2, base + 52, "vflags 0x%x", m2->vflags);
	if ((m2->vflags & MPD_MSG2_AUX_RCV_NULL) && !(m2->vflags & MPD_MSG2_AUX_DATA_NULL))
		return fail(d, MPD_E_MSG2, base + 52, "an aux receive address of 0 with aux data");
	if ((m2->vflags & MPD_MSG2_MSG_RCV_NULL) && !(m2->vflags & MPD_MSG2_MSG_DATA_NULL))
		return fail(d, MPD_E_MSG2, base + 52, "a message receive address of 0 with message data");
	if (!(m2->vflags & MPD_MSG2_VECTOR)) {
		if ((m2->vflags & ~MPD_MSG2_VEC_NULL) || m2->vec_snd_count || m2->vec_rcv_count || m2->msg_vec_send_size ||
		    m2->aux_send_size || m2->aux_rcv_size)
			return fail(d, MPD_E_MSG2, base + 32, "vector fields without MPD_MSG2_VECTOR");
		return MPD_OK;
	}
	if (m->send_size != (mpd_msg2_reads_message(m2, m->option) ? m2->msg_vec_send_size : 0))
		return fail(d, MPD_E_MSG2, base + 40, "%u message bytes for a vector of %u", m->send_size,
			    m2->msg_vec_send_size);
	return MPD_OK;
}

mpd_err_t mpd_decode_request(const uint8_t *pkt, size_t len, int nfds, mpd_request_t *out,
			     mpd_diag_t *d)
{
	uint32_t op, body;
	const uint8_t *b;

	if (d != NULL)
		memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	TRY(decode_header(pkt, len, MPD_MAX_PACKET, "this daemon", &op, &out->seq, &body, d));
	b = pkt + MPD_HEADER_SIZE;

	switch (op) {
	case MPD_OP_HELLO:
		if (body != 4)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "HELLO has 4 bytes, not %u", body);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "HELLO with %d descriptors", nfds);
		out->op = MPD_OP_HELLO;
		out->u.version = mp_load_le32(b);
		return MPD_OK;

	case MPD_OP_ATTACH:
		if (body != 16)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "ATTACH has 16 bytes, not %u", body);
		if (nfds != 0)
			return fail(d, MPD_E_FDS, 0, "ATTACH with %d descriptors", nfds);
		out->op = MPD_OP_ATTACH;
		out->u.attach.space = mp_load_le64(b);
		out->u.attach.token = mp_load_le64(b + 8);
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
			out->u.service.port = mp_load_le32(b);
			out->u.service.disposition = mp_load_le32(b + 4);
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
		c->call = mp_load_le32(b);
		if (c->call < MPD_CALL_ALLOCATE || c->call > MPD_CALL_LAST)
			return fail(d, MPD_E_CALL, MPD_HEADER_SIZE, "port call %u", c->call);
		c->name = mp_load_le32(b + 4);
		c->a1 = mp_load_le32(b + 8);
		c->a2 = mp_load_le32(b + 12);
		c->delta = (int32_t)mp_load_le32(b + 16);
		c->a64 = mp_load_le64(b + 24);
		c->b64 = mp_load_le64(b + 32);
		out->op = MPD_OP_PORT_CALL;
		return MPD_OK;
	}

	case MPD_OP_MSG: {
		mpd_msg_args_t *m = &out->u.msg;
		uint64_t table, prev = 0;
		uint32_t inline_len, fixed, aux_len = 0;
		mpd_err_t e;
		if (body < MSG_ARGS)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "MSG has %u bytes, its arguments %u", body,
				    MSG_ARGS);
		m->option = mp_load_le32(b);
		m->send_size = mp_load_le32(b + 4);
		m->rcv_size = mp_load_le32(b + 8);
		m->rcv_name = mp_load_le32(b + 12);
		m->timeout_ms = mp_load_le32(b + 16);
		m->nool = mp_load_le32(b + 20);
		m->flags = mp_load_le32(b + 24);
		m->buf_addr = mp_load_le64(b + 32);
		if (m->send_size > MP_MAX_SEND_SIZE)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4, "send size %u", m->send_size);
		if (m->rcv_size > MPD_MAX_RCV_SIZE)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 8, "receive size %u", m->rcv_size);
		if (m->nool > MPD_MAX_OOL)
			return fail(d, MPD_E_OOL_TABLE, MPD_HEADER_SIZE + 20, "%u OOL regions, at most %u", m->nool,
				    MPD_MAX_OOL);
		if ((m->flags & ~(MPD_MSG_IN_FD | MPD_OOL_INLINE | MPD_MSG_MSG2)) ||
		    (m->flags & (MPD_MSG_IN_FD | MPD_OOL_INLINE)) == (MPD_MSG_IN_FD | MPD_OOL_INLINE))
			return fail(d, MPD_E_FLAGS, MPD_HEADER_SIZE + 24, "flags 0x%x", m->flags);
		fixed = MSG_ARGS;
		if (m->flags & MPD_MSG_MSG2) {
			if (body < MSG_ARGS + MPD_MSG2_ARGS)
				return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "MSG2 has %u bytes, its arguments %u", body,
					    MSG_ARGS + MPD_MSG2_ARGS);
			e = decode_msg2(b + MSG_ARGS, m, d);
			if (e != MPD_OK)
				return e;
			fixed += MPD_MSG2_ARGS;
			aux_len = mpd_msg2_aux_len(&m->msg2);
		}
		inline_len = (m->flags & MPD_MSG_IN_FD) ? 0 : m->send_size;
		if (inline_len > MPD_INLINE_MAX)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + 4, "%u message bytes in the packet, at most %u",
				    inline_len, MPD_INLINE_MAX);
		table = 8ull * m->nool;
		if ((uint64_t)body < fixed + table + inline_len + aux_len)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table and "
				    "message make %llu", body, (unsigned long long)(fixed + table + inline_len + aux_len));
		m->ool_table = b + fixed;
		m->msg = (m->flags & MPD_MSG_IN_FD) ? NULL : b + fixed + table;
		m->aux = aux_len ? b + fixed + table + inline_len : NULL;
		for (uint32_t i = 0; i < m->nool; i++) {
			uint32_t idx = mp_load_le32(m->ool_table + 8 * i), size = mp_load_le32(m->ool_table + 8 * i + 4);
			size_t at = MPD_HEADER_SIZE + fixed + 8 * (size_t)i;
			if ((i > 0 && idx <= prev) || size == 0)
				return fail(d, MPD_E_OOL_TABLE, at, "OOL region %u: descriptor %u, %u bytes", i, idx,
					    size);
			prev = idx;
			m->ool_total += size;
		}
		if (m->ool_total > MPD_MAX_OOL_BYTES)
			return fail(d, MPD_E_TOO_LARGE, MPD_HEADER_SIZE + fixed, "%llu bytes of OOL data, at most %llu",
				    (unsigned long long)m->ool_total, (unsigned long long)MPD_MAX_OOL_BYTES);
		if (m->flags & MPD_OOL_INLINE) {
			/* the regions follow the message in the packet */
			if ((uint64_t)body != fixed + table + inline_len + aux_len + m->ool_total)
				return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table, "
					    "message and regions make %llu", body,
					    (unsigned long long)(fixed + table + inline_len + aux_len + m->ool_total));
			if (nfds != 0)
				return fail(d, MPD_E_FDS, 0, "inline OOL data with %d descriptors", nfds);
			m->ool_data = b + fixed + table + inline_len + aux_len;
			out->op = MPD_OP_MSG;
			return MPD_OK;
		}
		if ((uint64_t)body != fixed + table + inline_len + aux_len)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE, "MSG body %u bytes, arguments, table and "
				    "message make %llu", body, (unsigned long long)(fixed + table + inline_len + aux_len));
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
	mp_store_le32(out, MPD_MAGIC);
	mp_store_le32(out + 4, (uint32_t)op | (MPD_VERSION << 16));
	mp_store_le32(out + 8, seq);
	mp_store_le32(out + 12, body_len);
	return MPD_HEADER_SIZE;
}

size_t mpd_encode_port_call(uint8_t *out, size_t cap, uint32_t seq, const mpd_port_call_t *c)
{
	uint8_t *b = out + MPD_HEADER_SIZE;
	if (cap < MPD_HEADER_SIZE + PORT_CALL_ARGS)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_PORT_CALL, seq, PORT_CALL_ARGS);
	mp_store_le32(b, c->call);
	mp_store_le32(b + 4, c->name);
	mp_store_le32(b + 8, c->a1);
	mp_store_le32(b + 12, c->a2);
	mp_store_le32(b + 16, (uint32_t)c->delta);
	mp_store_le32(b + 20, 0);
	mp_store_le64(b + 24, c->a64);
	mp_store_le64(b + 32, c->b64);
	return MPD_HEADER_SIZE + PORT_CALL_ARGS;
}

size_t mpd_encode_msg(uint8_t *out, size_t cap, uint32_t seq, const mpd_msg_args_t *m, const mpd_ool_t *ool)
{
	uint32_t inline_len = (m->flags & MPD_MSG_IN_FD) ? 0 : m->send_size;
	uint32_t fixed = MSG_ARGS + ((m->flags & MPD_MSG_MSG2) ? MPD_MSG2_ARGS : 0);
	uint32_t aux_len = (m->flags & MPD_MSG_MSG2) ? mpd_msg2_aux_len(&m->msg2) : 0;
	uint64_t regions = (m->flags & MPD_OOL_INLINE) ? m->ool_total : 0;
	uint64_t body = fixed + 8ull * m->nool + inline_len + aux_len + regions;
	uint8_t *b = out + MPD_HEADER_SIZE;
	if (body > UINT32_MAX || cap < MPD_HEADER_SIZE + body)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_MSG, seq, (uint32_t)body);
	mp_store_le32(b, m->option);
	mp_store_le32(b + 4, m->send_size);
	mp_store_le32(b + 8, m->rcv_size);
	mp_store_le32(b + 12, m->rcv_name);
	mp_store_le32(b + 16, m->timeout_ms);
	mp_store_le32(b + 20, m->nool);
	mp_store_le32(b + 24, m->flags);
	mp_store_le32(b + 28, 0);
	mp_store_le64(b + 32, m->buf_addr);
	if (m->flags & MPD_MSG_MSG2)
		encode_msg2(b + MSG_ARGS, &m->msg2);
	for (uint32_t i = 0; i < m->nool; i++) {
		mp_store_le32(b + fixed + 8 * i, ool[i].desc_index);
		mp_store_le32(b + fixed + 8 * i + 4, ool[i].size);
	}
	if (inline_len)
		memcpy(b + fixed + 8 * m->nool, m->msg, inline_len);
	if (aux_len)
		memcpy(b + fixed + 8 * m->nool + inline_len, m->aux, aux_len);
	if (regions && m->ool_data != NULL)
		memcpy(b + fixed + 8 * m->nool + inline_len + aux_len, m->ool_data, (size_t)regions);
	return (size_t)(MPD_HEADER_SIZE + body);
}

size_t mpd_encode_attach(uint8_t *out, size_t cap, uint32_t seq, uint64_t space, uint64_t token)
{
	if (cap < MPD_HEADER_SIZE + 16)
		return 0;
	mpd_encode_header(out, cap, MPD_OP_ATTACH, seq, 16);
	mp_store_le64(out + MPD_HEADER_SIZE, space);
	mp_store_le64(out + MPD_HEADER_SIZE + 8, token);
	return MPD_HEADER_SIZE + 16;
}

void mpd_desc_iter_init(mpd_desc_iter_t *it, const uint8_t *msg, uint32_t len)
{
	mp_desc_iter_init_raw(&it->it, msg, msg != NULL ? len : 0);
}

int mpd_desc_next(mpd_desc_iter_t *it, mpd_desc_ref_t *d)
{
	mp_desc_t desc;

	if (!mp_desc_next(&it->it, &desc))
		return 0;
	memset(d, 0, sizeof(*d));
	d->index = it->it.index - 1;
	d->type = desc.type;
	d->off = desc.offset;
	if (desc.type == MP_MSG_OOL_DESCRIPTOR || desc.type == MP_MSG_OOL_VOLATILE_DESCRIPTOR ||
	    desc.type == MP_MSG_OOL_PORTS_DESCRIPTOR) {
		d->is_ool = 1;
		d->addr = desc.address;
		d->size = desc.length;
		if (desc.type == MP_MSG_OOL_PORTS_DESCRIPTOR)
			d->size *= 4u; /* names */
	}
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
		mp_store_le32(out + MPD_HEADER_SIZE, port);
		mp_store_le32(out + MPD_HEADER_SIZE + 4, disposition);
	}
	memcpy(out + MPD_HEADER_SIZE + fixed, name, name_len);
	return MPD_HEADER_SIZE + fixed + name_len;
}

/* ---- replies -------------------------------------------------------------- */

static const char *op_name(uint32_t op)
{
	static const char *const names[] = { "op 0", "HELLO", "PORT_CALL", "MSG", "ATTACH",
					      "CHECK", "REFUSED", "REGISTER", "LOOK_UP" };
	return op < sizeof names / sizeof names[0] ? names[op] : "an unknown op";
}

/* A reply kind whose body has exactly `want` bytes. */
static mpd_err_t fixed_body(mpd_diag_t *d, uint32_t op, uint32_t body, uint32_t want)
{
	if (body < want)
		return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a %s reply has %u bytes, not %u", op_name(op), body, want);
	if (body > want)
		return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + want, "a %s reply has %u bytes, not %u", op_name(op),
			    body, want);
	return MPD_OK;
}

static mpd_err_t no_fds(mpd_diag_t *d, uint32_t op, int nfds)
{
	if (nfds != 0)
		return fail(d, MPD_E_FDS, 0, "a %s reply with %d descriptors", op_name(op), nfds);
	return MPD_OK;
}

static mpd_err_t zero_pad(mpd_diag_t *d, const uint8_t *b, uint32_t at)
{
	if (mp_load_le32(b + at) != 0)
		return fail(d, MPD_E_PADDING, MPD_HEADER_SIZE + at, "padding 0x%08x", mp_load_le32(b + at));
	return MPD_OK;
}

/* `len` bytes of text at body offset `at` hold no NUL. */
static mpd_err_t no_nul(mpd_diag_t *d, const uint8_t *b, uint32_t at, uint32_t len)
{
	const uint8_t *nul = len ? memchr(b + at, 0, len) : NULL;
	if (nul != NULL)
		return fail(d, MPD_E_TEXT, MPD_HEADER_SIZE + at + (size_t)(nul - (b + at)), "a NUL inside a reason");
	return MPD_OK;
}

static uint64_t tail_tables(uint32_t nspans, uint32_t nmap, uint32_t ndealloc)
{
	return 8ull * nspans + 32ull * nmap + 16ull * ndealloc;
}

/* A MSG reply's fixed part: its counts against the tail, the tail where
 * the flags put it, and the memfd it needs. */
static mpd_err_t decode_msg_reply(const uint8_t *b, uint32_t body, int nfds, mpd_msg_reply_t *m, mpd_diag_t *d)
{
	int want_fds;

	if (body < MPD_MSG_REPLY)
		return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a MSG reply has %u bytes, its fixed part %u", body,
			    MPD_MSG_REPLY);
	m->kr = (mp_kr_t)mp_load_le32(b);
	m->nspans = mp_load_le32(b + 4);
	m->nmap = mp_load_le32(b + 8);
	m->ndealloc = mp_load_le32(b + 12);
	m->flags = mp_load_le32(b + 16);
	m->tail_len = mp_load_le32(b + 20);
	m->tail_at = mp_load_le64(b + 24);
	if (m->nspans > MPD_MAX_SPANS)
		return fail(d, MPD_E_COUNT, MPD_HEADER_SIZE + 4, "%u spans, at most %u", m->nspans, MPD_MAX_SPANS);
	if ((m->flags & ~(MPD_REPLY_IN_FD | MPD_REPLY_OOL_INLINE)) ||
	    m->flags == (MPD_REPLY_IN_FD | MPD_REPLY_OOL_INLINE) || ((m->flags & MPD_REPLY_OOL_INLINE) && m->nmap == 0))
		return fail(d, MPD_E_FLAGS, MPD_HEADER_SIZE + 16, "flags 0x%x with %u regions", m->flags, m->nmap);
	if (tail_tables(m->nspans, m->nmap, m->ndealloc) > m->tail_len)
		return fail(d, MPD_E_TAIL, MPD_HEADER_SIZE + 20, "a tail of %u bytes, its tables %llu", m->tail_len,
			    (unsigned long long)tail_tables(m->nspans, m->nmap, m->ndealloc));
	if (m->flags & MPD_REPLY_IN_FD) {
		/* the daemon puts a tail in the memfd only when the packet cannot hold it */
		if (body != MPD_MSG_REPLY)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + MPD_MSG_REPLY,
				    "%u tail bytes in the packet and a tail in the memfd", body - MPD_MSG_REPLY);
		if (m->tail_len <= MPD_INLINE_MAX)
			return fail(d, MPD_E_TAIL, MPD_HEADER_SIZE + 20, "a tail of %u bytes in the memfd, at most %u "
				    "ride in the packet", m->tail_len, MPD_INLINE_MAX);
		if (m->tail_at % MPD_PAGE != 0 || m->tail_at > MPD_MAX_OUT_BYTES)
			return fail(d, MPD_E_TAIL, MPD_HEADER_SIZE + 24, "the tail at memfd offset %llu",
				    (unsigned long long)m->tail_at);
		m->tail = NULL;
	} else {
		if (m->tail_len != body - MPD_MSG_REPLY)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + 20, "tail_len %u, %u bytes follow", m->tail_len,
				    body - MPD_MSG_REPLY);
		if (m->tail_at != 0)
			return fail(d, MPD_E_TAIL, MPD_HEADER_SIZE + 24, "tail_at %llu without MPD_REPLY_IN_FD",
				    (unsigned long long)m->tail_at);
		m->tail = b + MPD_MSG_REPLY;
	}
	want_fds = (m->flags & MPD_REPLY_IN_FD) || (m->nmap > 0 && !(m->flags & MPD_REPLY_OOL_INLINE));
	if (nfds != want_fds)
		return fail(d, MPD_E_FDS, 0, "a MSG reply with %d descriptors, it needs %d", nfds, want_fds);
	return MPD_OK;
}

static mpd_err_t decode_refused(const uint8_t *b, uint32_t body, mpd_reply_t *out, mpd_diag_t *d)
{
	uint32_t err, len;
	mpd_err_t err_text;

	if (body < MPD_REFUSED_REPLY)
		return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a REFUSED reply has %u bytes, its fixed part %u", body,
			    MPD_REFUSED_REPLY);
	err = mp_load_le32(b);
	len = body - MPD_REFUSED_REPLY;
	if (err == MPD_OK || err >= MPD_ERR_END)
		return fail(d, MPD_E_CODE, MPD_HEADER_SIZE, "refused with error %u", err);
	if (len > MPD_REASON_MAX)
		return fail(d, MPD_E_COUNT, MPD_HEADER_SIZE + MPD_REFUSED_REPLY, "a reason of %u bytes, at most %u", len,
			    MPD_REASON_MAX);
	err_text = no_nul(d, b, MPD_REFUSED_REPLY, len);
	if (err_text != MPD_OK)
		return err_text;
	out->u.refused.err = (mpd_err_t)err;
	out->u.refused.offset = mp_load_le32(b + 4);
	out->u.refused.reason = (const char *)(b + MPD_REFUSED_REPLY);
	out->u.refused.reason_len = len;
	return MPD_OK;
}

static mpd_err_t decode_reply_body(uint32_t op, const uint8_t *b, uint32_t body, int nfds, mpd_reply_t *out,
				   mpd_diag_t *d)
{
	switch (op) {
	case MPD_OP_HELLO:
		TRY(fixed_body(d, op, body, MPD_HELLO_REPLY));
		TRY(no_fds(d, op, nfds));
		TRY(zero_pad(d, b, 4));
		TRY(zero_pad(d, b, 36));
		out->u.hello.kr = (mp_kr_t)mp_load_le32(b);
		out->u.hello.space = mp_load_le64(b + 8);
		out->u.hello.token = mp_load_le64(b + 16);
		out->u.hello.pid = mp_load_le32(b + 24);
		out->u.hello.uid = mp_load_le32(b + 28);
		out->u.hello.gid = mp_load_le32(b + 32);
		return MPD_OK;
	case MPD_OP_ATTACH:
		TRY(fixed_body(d, op, body, MPD_ATTACH_REPLY));
		TRY(no_fds(d, op, nfds));
		out->u.attach.kr = (mp_kr_t)mp_load_le32(b);
		return MPD_OK;
	case MPD_OP_REGISTER:
	case MPD_OP_LOOK_UP:
		TRY(fixed_body(d, op, body, MPD_SERVICE_REPLY));
		TRY(no_fds(d, op, nfds));
		out->u.service.kr = (mp_kr_t)mp_load_le32(b);
		out->u.service.port = mp_load_le32(b + 4);
		return MPD_OK;
	case MPD_OP_PORT_CALL: {
		uint32_t nextra;
		if (body < MPD_PORT_REPLY)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a PORT_CALL reply has %u bytes, its fixed part %u",
				    body, MPD_PORT_REPLY);
		TRY(no_fds(d, op, nfds));
		TRY(zero_pad(d, b, 28));
		nextra = mp_load_le32(b + 24);
		if (nextra > MPD_PORT_EXTRA_MAX)
			return fail(d, MPD_E_COUNT, MPD_HEADER_SIZE + 24, "%u extra bytes, at most %u", nextra,
				    (unsigned)MPD_PORT_EXTRA_MAX);
		if (body - MPD_PORT_REPLY != nextra)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + 24, "%u extra bytes, %u follow", nextra,
				    body - MPD_PORT_REPLY);
		out->u.port_call.kr = (mp_kr_t)mp_load_le32(b);
		out->u.port_call.r1 = mp_load_le32(b + 4);
		out->u.port_call.r2 = mp_load_le32(b + 8);
		out->u.port_call.r3 = mp_load_le32(b + 12);
		out->u.port_call.r64 = mp_load_le64(b + 16);
		out->u.port_call.nextra = nextra;
		out->u.port_call.extra = b + MPD_PORT_REPLY;
		return MPD_OK;
	}
	case MPD_OP_CHECK: {
		uint32_t why_len;
		if (body < MPD_CHECK_REPLY)
			return fail(d, MPD_E_SHORT, MPD_HEADER_SIZE, "a CHECK reply has %u bytes, its fixed part %u", body,
				    MPD_CHECK_REPLY);
		TRY(no_fds(d, op, nfds));
		why_len = mp_load_le32(b + 24);
		if (why_len > MPD_WHY_MAX)
			return fail(d, MPD_E_COUNT, MPD_HEADER_SIZE + 24, "a reason of %u bytes, at most %u", why_len,
				    MPD_WHY_MAX);
		if (body - MPD_CHECK_REPLY != why_len)
			return fail(d, MPD_E_LENGTH, MPD_HEADER_SIZE + 24, "a reason of %u bytes, %u follow", why_len,
				    body - MPD_CHECK_REPLY);
		TRY(no_nul(d, b, MPD_CHECK_REPLY, why_len));
		out->u.check.rc = mp_load_le32(b);
		out->u.check.spaces = mp_load_le32(b + 4);
		out->u.check.ports = mp_load_le32(b + 8);
		out->u.check.psets = mp_load_le32(b + 12);
		out->u.check.kmsgs = mp_load_le32(b + 16);
		out->u.check.vm_regions = mp_load_le32(b + 20);
		out->u.check.why = (const char *)(b + MPD_CHECK_REPLY);
		out->u.check.why_len = why_len;
		return MPD_OK;
	}
	case MPD_OP_MSG:
		return decode_msg_reply(b, body, nfds, &out->u.msg, d);
	default: /* REFUSED */
		TRY(no_fds(d, op, nfds));
		return decode_refused(b, body, out, d);
	}
}

mpd_err_t mpd_decode_reply(const uint8_t *pkt, size_t len, int nfds, mpd_op_t want_op, uint32_t want_seq,
			   mpd_reply_t *out, mpd_diag_t *d)
{
	uint32_t op, seq, body;

	if (d != NULL)
		memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	TRY(decode_header(pkt, len, MPD_MAX_REPLY, "this client", &op, &seq, &body, d));
	if (want_op < MPD_OP_HELLO || want_op > MPD_OP_LAST || want_op == MPD_OP_REFUSED ||
	    (op != (uint32_t)want_op && op != MPD_OP_REFUSED))
		return fail(d, MPD_E_OP, 4, "a %s reply to a %s request", op_name(op), op_name(want_op));
	if (seq != want_seq)
		return fail(d, MPD_E_SEQ, 8, "seq %u, the request's %u", seq, want_seq);
	out->op = (mpd_op_t)op;
	out->seq = seq;
	return decode_reply_body(op, pkt + MPD_HEADER_SIZE, body, nfds, out, d);
}

void mpd_tail_map(const mpd_msg_tail_t *t, uint32_t i, mpd_map_t *out)
{
	const uint8_t *p = t->maps + 32ull * i;
	out->token = mp_load_le64(p);
	out->offset = mp_load_le64(p + 8);
	out->len = mp_load_le64(p + 16);
	out->page_off = mp_load_le64(p + 24);
	/* an offset past the packed bytes points nowhere (the decoder reads
	 * the table before it has counted them) */
	out->bytes = t->regions_inline && out->offset <= t->regions_len ? t->regions + out->offset : NULL;
}

void mpd_tail_dealloc(const mpd_msg_tail_t *t, uint32_t i, mpd_dealloc_t *out)
{
	const uint8_t *p = t->deallocs + 16ull * i;
	out->addr = mp_load_le64(p);
	out->len = mp_load_le64(p + 8);
}

/* A region's token and page offset; in the memfd, where its pages are;
 * packed, that it comes next (`packed`: the bytes before it). */
static mpd_err_t check_map(const mpd_msg_tail_t *t, uint32_t i, uint64_t packed, size_t at, mpd_diag_t *d)
{
	mpd_map_t mp;

	mpd_tail_map(t, i, &mp);
	if (mp.token < MPD_TOKEN_BASE)
		return fail(d, MPD_E_MAP, at, "region %u: token 0x%llx is a user address", i,
			    (unsigned long long)mp.token);
	if (mp.page_off >= MPD_PAGE)
		return fail(d, MPD_E_MAP, at + 24, "region %u: page offset %llu", i, (unsigned long long)mp.page_off);
	if (t->regions_inline) {
		if (mp.offset != packed)
			return fail(d, MPD_E_MAP, at + 8, "region %u at packed offset %llu, not %llu", i,
				    (unsigned long long)mp.offset, (unsigned long long)packed);
		return MPD_OK;
	}
	if (mp.offset % MPD_PAGE != 0 || mp.offset > MPD_MAX_OUT_BYTES || mp.len > MPD_MAX_OUT_BYTES ||
	    mp.offset + mp.page_off + mp.len > MPD_MAX_OUT_BYTES)
		return fail(d, MPD_E_MAP, at + 8, "region %u: %llu bytes at memfd offset %llu + %llu", i,
			    (unsigned long long)mp.len, (unsigned long long)mp.offset, (unsigned long long)mp.page_off);
	return MPD_OK;
}

mpd_err_t mpd_decode_reply_tail(const mpd_msg_reply_t *m, const uint8_t *tail, uint64_t buf_len,
				mpd_msg_tail_t *out, mpd_diag_t *d)
{
	uint64_t tables = tail_tables(m->nspans, m->nmap, m->ndealloc), at, spans_len = 0, packed = 0;

	if (d != NULL)
		memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	if (m->nspans > MPD_MAX_SPANS)
		return fail(d, MPD_E_COUNT, 0, "%u spans, at most %u", m->nspans, MPD_MAX_SPANS);
	if (tables > m->tail_len || (tail == NULL && m->tail_len > 0))
		return fail(d, MPD_E_TAIL, 0, "a tail of %u bytes, its tables %llu", m->tail_len,
			    (unsigned long long)tables);
	out->nspans = m->nspans;
	out->nmap = m->nmap;
	out->ndealloc = m->ndealloc;
	out->regions_inline = (m->flags & MPD_REPLY_OOL_INLINE) != 0;
	out->maps = tail + 8ull * m->nspans;
	out->deallocs = out->maps + 32ull * m->nmap;
	at = tables;
	for (uint32_t i = 0; i < m->nspans; i++) {
		mpd_span_t *s = &out->spans[i];
		s->off = mp_load_le32(tail + 8 * i);
		s->len = mp_load_le32(tail + 8 * i + 4);
		if ((uint64_t)s->off + s->len > buf_len)
			return fail(d, MPD_E_SPAN, 8 * (size_t)i, "span %u: %u bytes at %u, the buffer has %llu", i,
				    s->len, s->off, (unsigned long long)buf_len);
		if (s->len > m->tail_len - at)
			return fail(d, MPD_E_TAIL, 8 * (size_t)i + 4, "span %u: %u bytes, %llu left in the tail", i,
				    s->len, (unsigned long long)(m->tail_len - at));
		s->bytes = tail + at;
		at += s->len;
		spans_len += s->len;
	}
	out->regions = tail + at;
	for (uint32_t i = 0; i < m->nmap; i++) {
		size_t map_at = 8 * (size_t)m->nspans + 32 * (size_t)i;
		TRY(check_map(out, i, packed, map_at, d));
		if (out->regions_inline) {
			uint64_t len = mp_load_le64(tail + map_at + 16);
			if (len > m->tail_len - at - packed)
				return fail(d, MPD_E_TAIL, map_at + 16, "region %u: %llu packed bytes, %llu left", i,
					    (unsigned long long)len, (unsigned long long)(m->tail_len - at - packed));
			packed += len;
		}
	}
	out->regions_len = packed;
	if (tables + spans_len + packed != m->tail_len)
		return fail(d, MPD_E_TAIL, (size_t)(tables + spans_len + packed), "a tail of %u bytes, its parts %llu",
			    m->tail_len, (unsigned long long)(tables + spans_len + packed));
	return MPD_OK;
}

#undef TRY

uint64_t mpd_reply_tail_size(const mpd_tail_parts_t *p)
{
	uint64_t n;

	if (p->nspans > MPD_MAX_SPANS)
		return UINT64_MAX;
	n = tail_tables(p->nspans, p->nmap, p->ndealloc);
	for (uint32_t i = 0; i < p->nspans; i++)
		n += p->spans[i].len;
	if (p->regions_inline)
		for (uint32_t i = 0; i < p->nmap; i++)
			n += p->maps[i].len;
	return n;
}

size_t mpd_encode_reply_tail(uint8_t *out, size_t cap, const mpd_tail_parts_t *p)
{
	uint64_t size = mpd_reply_tail_size(p), packed = 0;
	uint8_t *w = out;

	if (size == UINT64_MAX || size > cap)
		return 0;
	for (uint32_t i = 0; i < p->nspans; i++, w += 8) {
		mp_store_le32(w, p->spans[i].off);
		mp_store_le32(w + 4, p->spans[i].len);
	}
	for (uint32_t i = 0; i < p->nmap; i++, w += 32) {
		mp_store_le64(w, p->maps[i].token);
		mp_store_le64(w + 8, p->regions_inline ? packed : p->maps[i].offset);
		mp_store_le64(w + 16, p->maps[i].len);
		mp_store_le64(w + 24, p->maps[i].page_off);
		packed += p->maps[i].len;
	}
	for (uint32_t i = 0; i < p->ndealloc; i++, w += 16) {
		mp_store_le64(w, p->deallocs[i].addr);
		mp_store_le64(w + 8, p->deallocs[i].len);
	}
	for (uint32_t i = 0; i < p->nspans; i++) {
		if (p->spans[i].len)
			memcpy(w, p->spans[i].bytes, p->spans[i].len);
		w += p->spans[i].len;
	}
	for (uint32_t i = 0; p->regions_inline && i < p->nmap; i++) {
		if (p->maps[i].len)
			memcpy(w, p->maps[i].bytes, (size_t)p->maps[i].len);
		w += p->maps[i].len;
	}
	return (size_t)size;
}

/* The body's size of reply `r`, or 0 if a field breaks a bound. */
static uint64_t reply_body_size(const mpd_reply_t *r)
{
	switch (r->op) {
	case MPD_OP_HELLO:
		return MPD_HELLO_REPLY;
	case MPD_OP_ATTACH:
		return MPD_ATTACH_REPLY;
	case MPD_OP_REGISTER:
	case MPD_OP_LOOK_UP:
		return MPD_SERVICE_REPLY;
	case MPD_OP_PORT_CALL:
		return r->u.port_call.nextra <= MPD_PORT_EXTRA_MAX ? MPD_PORT_REPLY + r->u.port_call.nextra : 0;
	case MPD_OP_CHECK:
		return r->u.check.why_len <= MPD_WHY_MAX ? MPD_CHECK_REPLY + r->u.check.why_len : 0;
	case MPD_OP_REFUSED:
		return r->u.refused.reason_len <= MPD_REASON_MAX ? MPD_REFUSED_REPLY + r->u.refused.reason_len : 0;
	case MPD_OP_MSG:
		if (r->u.msg.nspans > MPD_MAX_SPANS)
			return 0;
		return MPD_MSG_REPLY + ((r->u.msg.flags & MPD_REPLY_IN_FD) ? 0 : (uint64_t)r->u.msg.tail_len);
	default:
		return 0;
	}
}

size_t mpd_encode_reply(uint8_t *out, size_t cap, const mpd_reply_t *r)
{
	uint64_t body = reply_body_size(r);
	uint8_t *b = out + MPD_HEADER_SIZE;

	if (body == 0 || MPD_HEADER_SIZE + body > cap)
		return 0;
	mpd_encode_header(out, cap, r->op, r->seq, (uint32_t)body);
	switch (r->op) {
	case MPD_OP_HELLO:
		mp_store_le32(b, (uint32_t)r->u.hello.kr);
		mp_store_le32(b + 4, 0);
		mp_store_le64(b + 8, r->u.hello.space);
		mp_store_le64(b + 16, r->u.hello.token);
		mp_store_le32(b + 24, r->u.hello.pid);
		mp_store_le32(b + 28, r->u.hello.uid);
		mp_store_le32(b + 32, r->u.hello.gid);
		mp_store_le32(b + 36, 0);
		break;
	case MPD_OP_ATTACH:
		mp_store_le32(b, (uint32_t)r->u.attach.kr);
		break;
	case MPD_OP_REGISTER:
	case MPD_OP_LOOK_UP:
		mp_store_le32(b, (uint32_t)r->u.service.kr);
		mp_store_le32(b + 4, r->u.service.port);
		break;
	case MPD_OP_PORT_CALL:
		mp_store_le32(b, (uint32_t)r->u.port_call.kr);
		mp_store_le32(b + 4, r->u.port_call.r1);
		mp_store_le32(b + 8, r->u.port_call.r2);
		mp_store_le32(b + 12, r->u.port_call.r3);
		mp_store_le64(b + 16, r->u.port_call.r64);
		mp_store_le32(b + 24, r->u.port_call.nextra);
		mp_store_le32(b + 28, 0);
		if (r->u.port_call.nextra)
			memcpy(b + MPD_PORT_REPLY, r->u.port_call.extra, r->u.port_call.nextra);
		break;
	case MPD_OP_CHECK:
		mp_store_le32(b, r->u.check.rc);
		mp_store_le32(b + 4, r->u.check.spaces);
		mp_store_le32(b + 8, r->u.check.ports);
		mp_store_le32(b + 12, r->u.check.psets);
		mp_store_le32(b + 16, r->u.check.kmsgs);
		mp_store_le32(b + 20, r->u.check.vm_regions);
		mp_store_le32(b + 24, r->u.check.why_len);
		if (r->u.check.why_len)
			memcpy(b + MPD_CHECK_REPLY, r->u.check.why, r->u.check.why_len);
		break;
	case MPD_OP_REFUSED:
		mp_store_le32(b, (uint32_t)r->u.refused.err);
		mp_store_le32(b + 4, r->u.refused.offset);
		if (r->u.refused.reason_len)
			memcpy(b + MPD_REFUSED_REPLY, r->u.refused.reason, r->u.refused.reason_len);
		break;
	default: /* MSG */
		mp_store_le32(b, (uint32_t)r->u.msg.kr);
		mp_store_le32(b + 4, r->u.msg.nspans);
		mp_store_le32(b + 8, r->u.msg.nmap);
		mp_store_le32(b + 12, r->u.msg.ndealloc);
		mp_store_le32(b + 16, r->u.msg.flags);
		mp_store_le32(b + 20, r->u.msg.tail_len);
		mp_store_le64(b + 24, r->u.msg.tail_at);
		/* the tail may have been encoded in place */
		if (!(r->u.msg.flags & MPD_REPLY_IN_FD) && r->u.msg.tail_len && r->u.msg.tail != b + MPD_MSG_REPLY)
			memcpy(b + MPD_MSG_REPLY, r->u.msg.tail, r->u.msg.tail_len);
		break;
	}
	return (size_t)(MPD_HEADER_SIZE + body);
}
