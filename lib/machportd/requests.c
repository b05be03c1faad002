/*
 * lib/machportd/requests.c: machportd's requests, each decoded
 * (mpd_decode_request), made as the kernel's call in the caller's space,
 * and answered with an encoded reply (mpd_encode_reply); a request that
 * breaks a rule is answered REFUSED with the rule, its byte and a reason.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/kern/kern.h"
#include "lib/machportd/client_vm.h"
#include "lib/machportd/endpoint.h"
#include "lib/machportd/proto.h"
#include "lib/machportd/server_internal.h"
#include "machports/le.h"
#include "machports/msg.h"

#define PAGE MPD_PAGE

/* Sends one packet (with an fd, or -1). 0, or -1 if the client is gone or
 * stopped reading (SO_SNDTIMEO). */
static int send_packet(mpd_conn_t *c, const uint8_t *p, size_t len, int fd)
{
	if (mpd_send_packet(c->fd, p, len, fd) == 0)
		return 0;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		mpd_log(c->srv, "client pid %d does not read its replies: disconnected", (int)c->pid);
	return -1;
}

/* Encodes reply `r` in the connection's reply buffer (a MSG reply's
 * inline tail may be there already) and sends it, with fd if >= 0. */
static int send_reply(mpd_conn_t *c, const mpd_reply_t *r, int fd)
{
	size_t n = mpd_encode_reply(c->reply, MPD_MAX_REPLY, r);
	if (n == 0) {
		mpd_log(c->srv, "client pid %d: a %u reply that breaks the protocol: disconnected", (int)c->pid, r->op);
		return -1;
	}
	return send_packet(c, c->reply, n, fd);
}

static int refuse(mpd_conn_t *c, uint32_t op, uint32_t seq, const mpd_diag_t *d)
{
	mpd_reply_t rep = { .op = MPD_OP_REFUSED, .seq = seq };
	rep.u.refused.err = d->err;
	rep.u.refused.offset = (uint32_t)d->offset;
	rep.u.refused.reason = d->reason;
	rep.u.refused.reason_len = (uint32_t)strnlen(d->reason, sizeof d->reason);
	if (c->srv->o.verbose || d->err == MPD_E_FDS)
		mpd_log(c->srv, "client pid %d: request refused: %s at byte %zu: %s (op %u)", (int)c->pid,
		        mpd_err_name(d->err), d->offset, d->reason, op);
	return send_reply(c, &rep, -1);
}

/* ---- requests ------------------------------------------------------------ */

static int do_hello(mpd_conn_t *c, const mpd_request_t *r)
{
	mpd_reply_t rep = { .op = MPD_OP_HELLO, .seq = r->seq };
	mp_kr_t kr = MP_KERN_SUCCESS;
	mpd_space_t *sp = NULL;

	if (r->u.version != MPD_VERSION)
		kr = MP_KERN_NOT_SUPPORTED;
	else if (c->space != NULL)
		kr = MP_KERN_INVALID_ARGUMENT; /* a connection is bound once */
	else
		sp = mpd_task_create(c, &kr);
	rep.u.hello.kr = kr;
	rep.u.hello.space = sp ? sp->id : 0;
	rep.u.hello.token = sp ? sp->token : 0;
	rep.u.hello.pid = (uint32_t)c->pid;
	rep.u.hello.uid = c->ident.sec.val[0];
	rep.u.hello.gid = c->ident.sec.val[1];
	return send_reply(c, &rep, -1);
}

static int do_attach(mpd_conn_t *c, const mpd_request_t *r)
{
	mpd_reply_t rep = { .op = MPD_OP_ATTACH, .seq = r->seq };

	rep.u.attach.kr = mpd_task_attach(c, r->u.attach.space, r->u.attach.token);
	return send_reply(c, &rep, -1);
}

static int do_check(mpd_conn_t *c, const mpd_request_t *r)
{
	mpd_reply_t rep = { .op = MPD_OP_CHECK, .seq = r->seq };
	char why[MPD_WHY_MAX + 1] = "";
	mp_kern_stats_t st;
	int ok;

	ok = mp_kern_check(c->srv->k, why, sizeof why);
	mp_kern_get_stats(c->srv->k, &st);
	st.spaces--; /* clients' spaces: not the registry's */
	rep.u.check.rc = (uint32_t)ok;
	rep.u.check.spaces = st.spaces;
	rep.u.check.ports = st.ports;
	rep.u.check.psets = st.psets;
	rep.u.check.kmsgs = st.kmsgs;
	rep.u.check.vm_regions = st.vm_regions;
	rep.u.check.why = why;
	rep.u.check.why_len = (uint32_t)strlen(why);
	return send_reply(c, &rep, -1);
}

_Static_assert(MPD_PORT_EXTRA_MAX >= MP_PORT_INFO_MAX * sizeof(int32_t), "get_attributes' info fits");
_Static_assert(sizeof(uint64_t) == MP_PORT_GUARD_INFO_COUNT * sizeof(int32_t), "mpgi_guard in a64");
/* MPD_CALL_NAMES: mach_port_names as {name, type} u32 pairs in one reply
 * (KERN_RESOURCE_SHORTAGE beyond MPD_NAMES_MAX names). */
static mp_kr_t port_names(mp_kspace_t *ks, uint8_t **out, uint32_t *count, uint32_t *nextra)
{
	mp_port_name_t *names;
	uint32_t *types, n;
	mp_kr_t kr = mp_kern_port_names(ks, &names, &types, &n);

	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (n > MPD_NAMES_MAX || (n > 0 && (*out = malloc((size_t)n * 8u)) == NULL)) {
		kr = MP_KERN_RESOURCE_SHORTAGE;
		n = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		mp_store_le32(*out + 8u * i, names[i]);
		mp_store_le32(*out + 8u * i + 4u, types[i]);
	}
	free(names);
	free(types);
	*count = n;
	*nextra = n * 8u;
	return kr;
}

/* MPD_CALL_GUARD_EVENTS: read and clear up to `max` of the space's guard
 * events, each {flavor, target, payload u64} (the code and the fatal flag
 * follow from them). */
static mp_kr_t guard_events(mp_kspace_t *ks, uint32_t max, uint8_t **out, uint32_t *count, uint32_t *nextra)
{
	mp_kern_guard_event_t ev[MPD_GUARD_EVENTS_MAX];
	uint32_t n = mp_kern_space_guard_events(ks, ev, max < MPD_GUARD_EVENTS_MAX ? max : MPD_GUARD_EVENTS_MAX,
						NULL);

	*count = 0;
	*nextra = 0;
	if (n == 0)
		return MP_KERN_SUCCESS;
	if ((*out = malloc((size_t)n * MPD_GUARD_EVENT_SIZE)) == NULL)
		return MP_KERN_RESOURCE_SHORTAGE; /* the events are lost, as XNU's dropped ones */
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *b = *out + MPD_GUARD_EVENT_SIZE * i;
		mp_store_le32(b, ev[i].flavor);
		mp_store_le32(b + 4, ev[i].target);
		mp_store_le64(b + 8, ev[i].payload);
	}
	*count = n;
	*nextra = n * MPD_GUARD_EVENT_SIZE;
	return MP_KERN_SUCCESS;
}

static int do_port_call(mpd_conn_t *c, const mpd_request_t *r)
{
	const mpd_port_call_t *a = &r->u.call;
	mpd_server_t *s = c->srv;
	mpd_space_t *sp = mpd_space_use(s, c->space), *other = NULL;
	uint32_t r1 = 0, r2 = 0, r3 = 0, nextra = 0;
	uint64_t r64 = 0;
	uint8_t small[128], *extra = small, *big = NULL;
	mp_kr_t kr;
	mpd_reply_t rep = { .op = MPD_OP_PORT_CALL, .seq = r->seq };
	int rc;

	if (sp == NULL) {
		kr = MP_KERN_INVALID_TASK;
		goto reply;
	}
	mp_kspace_t *ks = sp->ks;
	switch ((mpd_call_t)a->call) {
	case MPD_CALL_ALLOCATE:
		kr = mp_kern_port_allocate(ks, a->a1, &r1);
		break;
	case MPD_CALL_ALLOCATE_NAME:
		kr = mp_kern_port_allocate_name(ks, a->a1, a->name);
		break;
	case MPD_CALL_CONSTRUCT:
		kr = mp_kern_port_construct(ks, a->a1, a->a2, a->a64, &r1);
		break;
	case MPD_CALL_DESTRUCT:
		kr = mp_kern_port_destruct(ks, a->name, a->delta, a->a64);
		break;
	case MPD_CALL_DEALLOCATE:
		kr = mp_kern_port_deallocate(ks, a->name);
		break;
	case MPD_CALL_DESTROY:
		kr = mp_kern_port_destroy(ks, a->name);
		break;
	case MPD_CALL_MOD_REFS:
		kr = mp_kern_port_mod_refs(ks, a->name, a->a1, a->delta);
		break;
	case MPD_CALL_GET_REFS:
		kr = mp_kern_port_get_refs(ks, a->name, a->a1, &r1);
		break;
	case MPD_CALL_TYPE:
		kr = mp_kern_port_type(ks, a->name, &r1);
		break;
	case MPD_CALL_INSERT_RIGHT:
	case MPD_CALL_EXTRACT_RIGHT:
		/* the other task: {space id, token} in a64, b64 */
		other = a->a64 == sp->id && a->b64 == sp->token ? sp : mpd_space_use_other(s, a->a64, a->b64);
		if (other == NULL)
			kr = MP_KERN_INVALID_TASK;
		else if (a->call == MPD_CALL_INSERT_RIGHT)
			kr = mp_kern_port_insert_right(ks, a->name, other->ks, a->a1, a->a2);
		else
			kr = mp_kern_port_extract_right(ks, a->name, a->a1, other->ks, &r1, &r2);
		if (other != NULL && other != sp)
			mpd_space_done(s, other);
		break;
	case MPD_CALL_SET_CONTEXT:
		kr = mp_kern_port_set_context(ks, a->name, a->a64);
		break;
	case MPD_CALL_GET_CONTEXT:
		kr = mp_kern_port_get_context(ks, a->name, &r64);
		break;
	case MPD_CALL_GUARD:
		kr = mp_kern_port_guard(ks, a->name, a->a64, a->b64);
		break;
	case MPD_CALL_UNGUARD:
		kr = mp_kern_port_unguard(ks, a->name, a->a64);
		break;
	case MPD_CALL_SET_QLIMIT:
		kr = mp_kern_port_set_qlimit(ks, a->name, a->a1);
		break;
	case MPD_CALL_GET_STATUS: {
		mp_port_status_t st;
		memset(&st, 0, sizeof st);
		kr = mp_kern_port_get_status(ks, a->name, &st);
		memcpy(extra, &st, sizeof st);
		nextra = kr == MP_KERN_SUCCESS ? (uint32_t)sizeof st : 0;
		break;
	}
	case MPD_CALL_INSERT_MEMBER:
		kr = mp_kern_port_insert_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_EXTRACT_MEMBER:
		kr = mp_kern_port_extract_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_MOVE_MEMBER:
		kr = mp_kern_port_move_member(ks, a->name, a->a1);
		break;
	case MPD_CALL_REQUEST_NOTIFICATION:
		kr = mp_kern_port_request_notification(ks, a->name, (int32_t)a->a1, (uint32_t)a->a64, a->a2,
						       (uint32_t)a->delta, &r1);
		break;
	case MPD_CALL_PEEK: {
		/* delta: the caller's trailer buffer size, at most a full trailer */
		uint32_t tsize = a->delta < 0 ? 0
				 : a->delta > (int32_t)MP_MAX_TRAILER_SIZE ? MP_MAX_TRAILER_SIZE
									   : (uint32_t)a->delta;
		int32_t id = 0;
		r1 = a->a2;
		kr = mp_kern_port_peek(ks, a->name, a->a1, &r1, &r2, &id, extra, &tsize);
		r3 = (uint32_t)id;
		nextra = kr == MP_KERN_SUCCESS ? tsize : 0;
		break;
	}
	case MPD_CALL_SWAP_GUARD:
		kr = mp_kern_port_swap_guard(ks, a->name, a->a64, a->b64);
		break;
	case MPD_CALL_GET_ATTRIBUTES: {
		int32_t info[MP_PORT_INFO_MAX];
		r1 = a->a2 > MP_PORT_INFO_MAX ? MP_PORT_INFO_MAX : a->a2;
		kr = mp_kern_port_get_attributes(ks, a->name, (int32_t)a->a1, info, &r1);
		nextra = kr == MP_KERN_SUCCESS ? r1 * (uint32_t)sizeof(*info) : 0;
		memcpy(extra, info, nextra);
		break;
	}
	case MPD_CALL_SET_ATTRIBUTES: {
		int32_t info[1] = { (int32_t)a->a2 };
		kr = mp_kern_port_set_attributes(ks, a->name, (int32_t)a->a1, info,
						 a->delta < 0 ? 0 : (uint32_t)a->delta);
		break;
	}
	case MPD_CALL_ASSERT_ATTRIBUTES: {
		int32_t info[MP_PORT_GUARD_INFO_COUNT];
		memcpy(info, &a->a64, sizeof(info));
		kr = mp_kern_port_assert_attributes(ks, a->name, (int32_t)a->a1, info,
						    a->delta < 0 ? 0 : (uint32_t)a->delta);
		break;
	}
	case MPD_CALL_NAMES:
		kr = port_names(ks, &big, &r1, &nextra);
		extra = big;
		break;
	case MPD_CALL_GUARD_EVENTS:
		kr = guard_events(ks, a->a1, &big, &r1, &nextra);
		extra = big;
		break;
	case MPD_CALL_SET_HARDENED:
		kr = mp_kern_space_set_hardened(ks, a->a1 > 1 ? -1 : (int)a->a1);
		break;
	default:
		kr = MP_KERN_INVALID_ARGUMENT; /* the decoder refuses these first */
		break;
	}
	mpd_space_done(s, sp);
reply:
	rep.u.port_call.kr = kr;
	rep.u.port_call.r1 = r1;
	rep.u.port_call.r2 = r2;
	rep.u.port_call.r3 = r3;
	rep.u.port_call.r64 = r64;
	rep.u.port_call.extra = extra;
	rep.u.port_call.nextra = nextra;
	rc = send_reply(c, &rep, -1);
	free(big);
	return rc;
}

/* The parts of the caller's buffer the kernel wrote (see proto.h). */
static uint32_t written_spans(const mpd_msg_args_t *m, mp_kr_t kr, const uint8_t *kbuf, mpd_span_t *span)
{
	uint32_t code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK, n = 0;
	bool rcv_error = (code & 0x00004000u) != 0;

	if (code == MP_MACH_MSG_SUCCESS || code == MP_MACH_RCV_HEADER_ERROR || code == MP_MACH_RCV_BODY_ERROR) {
		/* a message was received (with or without copyout errors, §6.9) */
		if (m->option & MP_MACH_RCV_MSG) {
			uint32_t size = mp_load_le32(kbuf + MP_MSGH_SIZE_OFFSET), tsize = 0;
			if (size <= m->rcv_size - 8 && m->rcv_size >= 8)
				tsize = mp_load_le32(kbuf + size + 4); /* the trailer's size */
			uint64_t end = (uint64_t)size + tsize;
			span[n++] = (mpd_span_t){ 0, end > m->rcv_size ? m->rcv_size : (uint32_t)end, kbuf };
		}
	} else if (rcv_error) {
		if (code == MP_MACH_RCV_TOO_LARGE) {
			if (m->option & MP_MACH_RCV_LARGE) {
				if (m->rcv_size >= 8) /* msgh_size */
					span[n++] = (mpd_span_t){ MP_MSGH_SIZE_OFFSET, 4, kbuf + MP_MSGH_SIZE_OFFSET };
				if ((m->option & MP_MACH_RCV_LARGE_IDENTITY) && m->rcv_size >= 16) /* msgh_local_port */
					span[n++] = (mpd_span_t){ MP_MSGH_LOCAL_OFFSET, 4, kbuf + MP_MSGH_LOCAL_OFFSET };
			} else {
				uint32_t end = MP_MSG_HEADER_SIZE + mp_rcv_trailer_size(m->option);
				span[n++] = (mpd_span_t){ 0, end > m->rcv_size ? m->rcv_size : end, kbuf };
			}
		}
	} else if ((m->option & MP_MACH_SEND_MSG) && m->send_size > 0) {
		/* a send error: a pseudo-received message is written back in
		 * place; otherwise these bytes are the caller's own */
		span[n++] = (mpd_span_t){ 0, m->send_size, kbuf };
	}
	return n;
}

/* A MSG2 send error gave the message back only where the kernel
 * pseudo-received it (msg2_send in lib/kern/mach_msg.c); otherwise the
 * daemon's copy holds the kernel's view of the header, not the caller's
 * bytes, and nothing is written back. */
static bool msg2_pseudo_received(mp_kr_t kr)
{
	uint32_t code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK;
	return code == MP_MACH_SEND_TIMED_OUT || code == MP_MACH_SEND_NO_BUFFER;
}

/* Whether a MSG2 receive had an aux buffer (mach_msg_validate_data_vectors
 * would accept it), and how much of it the kernel wrote. */
static uint32_t msg2_aux_written(const mpd_msg_args_t *m, mp_kr_t kr, const uint8_t *aux)
{
	const mpd_msg2_t *m2 = &m->msg2;
	uint32_t code = (uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK, size;

	if (!(m->option & MP_MACH_RCV_MSG) || !(m2->vflags & MPD_MSG2_VECTOR) ||
	    m2->vec_rcv_count != MP_MACH_MSGV_MAX_COUNT || (m2->vflags & MPD_MSG2_AUX_RCV_NULL) ||
	    m2->aux_rcv_size < sizeof(mp_msg_aux_header_t))
		return 0;
	if (code == MP_MACH_RCV_TOO_LARGE)
		return (m->option & MP_MACH_RCV_LARGE) ? 4 : sizeof(mp_msg_aux_header_t);
	if (code != MP_MACH_MSG_SUCCESS && code != MP_MACH_RCV_HEADER_ERROR && code != MP_MACH_RCV_BODY_ERROR)
		return 0;
	size = mp_load_le32(aux);
	return size == 0 ? (uint32_t)sizeof(mp_msg_aux_header_t) : size;
}

/* A MSG2's spans: the message's as for MSG (a send error's only if it was
 * pseudo-received), then the aux buffer's at max(send_size, rcv_size). */
static uint32_t written_spans2(const mpd_msg_args_t *m, mp_kr_t kr, const uint8_t *kbuf, const uint8_t *aux,
			       mpd_span_t *span)
{
	uint32_t n = written_spans(m, kr, kbuf, span), alen;
	bool send_error = ((uint32_t)kr & 0x00004000u) == 0 && ((uint32_t)kr & ~(uint32_t)MP_MACH_MSG_MASK) != 0;

	if (send_error && !msg2_pseudo_received(kr))
		n = 0;
	alen = msg2_aux_written(m, kr, aux);
	if (alen > 0 && alen <= MP_MAX_AUX_DATA_SPACE)
		span[n++] = (mpd_span_t){ m->send_size > m->rcv_size ? m->send_size : m->rcv_size, alen, aux };
	return n;
}

/* The caller's vectors rebuilt over the daemon's copies (proto.h's
 * MPD_MSG_MSG2): the message in kbuf, the aux bytes in the packet, the aux
 * receive buffer `aux`; an address the caller passed as 0 stays 0. */
static mp_kr_t call_msg2(mp_kspace_t *ks, const mpd_msg_args_t *m, uint8_t *kbuf, uint8_t *aux)
{
	const mpd_msg2_t *m2 = &m->msg2;
	mp_msg_vector_t v[MP_MACH_MSGV_MAX_COUNT];
	mp_kern_msg2_args_t a = {
		.options = m->option | ((uint64_t)m2->option_hi << 32), .data = kbuf, .uaddr = m->buf_addr,
		.bits = m2->bits, .send_size = m->send_size, .remote = m2->remote, .local = m2->local,
		.voucher = m2->voucher, .id = m2->id, .desc_count = m2->desc_count, .rcv_name = m->rcv_name,
		.rcv_size = m->rcv_size, .priority = m2->priority, .timeout = m->timeout_ms,
	};

	if (m2->vflags & MPD_MSG2_VECTOR) {
		v[0].msgv_data = (m2->vflags & MPD_MSG2_MSG_DATA_NULL) ? 0 : (uint64_t)(uintptr_t)kbuf;
		v[0].msgv_rcv_addr = (m2->vflags & MPD_MSG2_MSG_RCV_NULL) ? 0 : (uint64_t)(uintptr_t)kbuf;
		v[0].msgv_send_size = m2->msg_vec_send_size;
		v[0].msgv_rcv_size = m->rcv_size;
		v[1].msgv_data = (m2->vflags & MPD_MSG2_AUX_DATA_NULL) ? 0
				 : (uint64_t)(uintptr_t)(m->aux != NULL ? m->aux : aux);
		v[1].msgv_rcv_addr = (m2->vflags & MPD_MSG2_AUX_RCV_NULL) ? 0 : (uint64_t)(uintptr_t)aux;
		v[1].msgv_send_size = m2->aux_send_size;
		v[1].msgv_rcv_size = m2->aux_rcv_size;
		a.data = (m2->vflags & MPD_MSG2_VEC_NULL) ? NULL : v;
		a.send_size = m2->vec_snd_count;
		a.rcv_size = m2->vec_rcv_count;
	} else if (m2->vflags & MPD_MSG2_VEC_NULL) {
		a.data = NULL; /* the caller's buffer address was 0 */
	}
	return mp_kern_msg2(ks, &a);
}

/*
 * The MSG reply: the tail (spans, the regions given to the caller, the
 * sender's deallocated regions, the spans' bytes) rides in the packet, its
 * regions packed into it when they are small (the client copies them into
 * fresh pages) or else in a memfd; a tail too large for a packet goes in
 * the memfd after the regions. *out_fd: the memfd sent, for the caller to
 * close.
 */
static int send_msg_reply(mpd_conn_t *c, uint32_t seq, mp_kr_t kr, const mpd_span_t *span, uint32_t nspans,
			  mpd_call_vm_t *call, int *out_fd)
{
	mpd_reply_t rep = { .op = MPD_OP_MSG, .seq = seq };
	mpd_msg_reply_t *mr = &rep.u.msg;
	mpd_tail_parts_t parts = { span, nspans, call->map, call->nmap, call->dealloc, call->ndealloc, 1 };
	uint64_t tail_len;

	for (uint32_t i = 0; i < call->nmap; i++)
		call->map[i].bytes = call->out + call->map[i].offset + call->map[i].page_off;
	/* packed when the whole tail fits a packet (with 8 bytes a span to spare) */
	parts.regions_inline = call->nmap > 0 && mpd_reply_tail_size(&parts) + 8ull * nspans <= MPD_INLINE_MAX;
	tail_len = mpd_reply_tail_size(&parts);
	if (tail_len > UINT32_MAX)
		return -1;
	mr->kr = kr;
	mr->nspans = nspans;
	mr->nmap = call->nmap;
	mr->ndealloc = call->ndealloc;
	mr->tail_len = (uint32_t)tail_len;
	if (tail_len <= MPD_INLINE_MAX) {
		/* encoded in place, after the fixed part */
		uint8_t *tail = c->reply + MPD_HEADER_SIZE + MPD_MSG_REPLY;
		mpd_encode_reply_tail(tail, MPD_INLINE_MAX, &parts);
		mr->flags = parts.regions_inline ? MPD_REPLY_OOL_INLINE : 0;
		mr->tail = tail;
		if (call->nmap > 0 && !parts.regions_inline)
			*out_fd = mpd_make_memfd(call->out, call->out_len);
	} else {
		/* too large for a packet: the tail goes in the memfd after the regions */
		uint64_t at = (call->out_len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		uint8_t *all = calloc(1, (size_t)(at + tail_len));
		if (all != NULL) {
			if (call->out_len)
				memcpy(all, call->out, (size_t)call->out_len);
			mpd_encode_reply_tail(all + at, (size_t)tail_len, &parts);
			*out_fd = mpd_make_memfd(all, at + tail_len);
			free(all);
		}
		mr->flags = MPD_REPLY_IN_FD;
		mr->tail_at = at;
	}
	if (((call->nmap > 0 && !parts.regions_inline) || tail_len > MPD_INLINE_MAX) && *out_fd < 0) {
		/* cannot hand the memory over: the rights and regions the
		 * kernel copied out would be lost with it */
		mpd_log(c->srv, "client pid %d: cannot build a reply memfd (%s): disconnected", (int)c->pid,
		        strerror(errno));
		return -1;
	}
	return send_reply(c, &rep, *out_fd);
}

static int do_msg(mpd_conn_t *c, const mpd_request_t *r, int fd)
{
	const mpd_msg_args_t *m = &r->u.msg;
	mpd_server_t *s = c->srv;
	mpd_space_t *sp;
	mpd_diag_t d;
	mpd_call_vm_t call;
	const uint8_t *mapped = NULL, *msg;
	uint8_t *kbuf = NULL;
	size_t kcap;
	mp_kr_t kr;
	mpd_span_t span[MPD_MAX_SPANS];
	uint32_t nspans;
	int rc = 0, out_fd = -1;
	uint8_t aux[MP_MAX_AUX_DATA_SPACE]; /* a MSG2's aux receive buffer: the most aux data a message carries */

	memset(&call, 0, sizeof call);
	memset(&d, 0, sizeof d);
	call.out = c->obuf;
	call.out_cap = c->obuf_cap;
	c->obuf = NULL;
	c->obuf_cap = 0;
	if (m->fd_bytes > 0 && (mapped = mpd_map_request_fd(fd, m->fd_bytes, &d)) == NULL) {
		rc = refuse(c, MPD_OP_MSG, r->seq, &d);
		goto out;
	}
	msg = m->msg != NULL ? m->msg : mapped != NULL ? mapped + m->ool_total : NULL;

	/* the kernel's copy of the caller's buffer: the message, room to
	 * receive (kept for the connection's next call up to 1 MiB) */
	kcap = m->send_size > m->rcv_size ? m->send_size : m->rcv_size;
	if (kcap < 64)
		kcap = 64;
	if (kcap > c->kbuf_cap) {
		uint8_t *nb = realloc(c->kbuf, kcap);
		if (nb == NULL) {
			kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_NO_BUFFER : MP_MACH_RCV_INVALID_DATA;
			nspans = 0;
			goto reply;
		}
		c->kbuf = nb;
		c->kbuf_cap = kcap;
	}
	kbuf = c->kbuf;
	if (m->send_size)
		memcpy(kbuf, msg, m->send_size);

	/* the windows: table entry i is descriptor desc_index's region, its
	 * bytes in the packet or the memfd */
	if (mpd_call_vm_windows(&call, kbuf, (m->option & MP_MACH_SEND_MSG) ? m->send_size : 0, m,
				m->ool_data != NULL ? m->ool_data : mapped, &d) != MPD_OK) {
		rc = refuse(c, MPD_OP_MSG, r->seq, &d);
		goto out;
	}

	sp = mpd_space_use(s, c->space);
	if (sp == NULL) {
		kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DEST : MP_MACH_RCV_INVALID_NAME;
		nspans = 0;
		goto reply;
	}
	mpd_call_vm_enter(&call, sp);
	if (!mpd_watch(c, true)) /* the client is gone: its task ends when this thread reads EOF */
		kr = (m->option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INTERRUPTED : MP_MACH_RCV_INTERRUPTED;
	else if (m->flags & MPD_MSG_MSG2)
		kr = call_msg2(sp->ks, m, kbuf, aux);
	else
		kr = mp_kern_msg_user(sp->ks, kbuf, m->buf_addr, m->option, m->send_size, m->rcv_size, m->rcv_name,
				      m->timeout_ms);
	mpd_watch(c, false);
	mpd_call_vm_leave();
	mpd_space_done(s, sp);
	nspans = (m->flags & MPD_MSG_MSG2) ? written_spans2(m, kr, kbuf, aux, span) : written_spans(m, kr, kbuf, span);

reply:
	rc = send_msg_reply(c, r->seq, kr, span, nspans, &call, &out_fd);
out:
	if (out_fd >= 0)
		close(out_fd);
	if (mapped != NULL)
		munmap((void *)mapped, (size_t)m->fd_bytes);
	if (c->kbuf_cap > (1u << 20)) { /* a large buffer is not kept */
		free(c->kbuf);
		c->kbuf = NULL;
		c->kbuf_cap = 0;
	}
	if (call.out_cap <= (1u << 20)) { /* kept for the next call */
		c->obuf = call.out;
		c->obuf_cap = call.out_cap;
	} else {
		free(call.out);
	}
	mpd_call_vm_free(&call);
	return rc;
}

_Static_assert(MPD_SERVICE_MAX == MP_KERN_SERVICE_MAX, "the protocol's service names are the registry's");

static int do_service(mpd_conn_t *c, const mpd_request_t *r)
{
	mpd_server_t *s = c->srv;
	mpd_space_t *sp = mpd_space_use(s, c->space);
	mpd_reply_t rep = { .op = r->op, .seq = r->seq };

	rep.u.service.port = MP_PORT_NULL;
	if (sp == NULL) {
		rep.u.service.kr = MP_KERN_INVALID_TASK;
	} else {
		if (r->op == MPD_OP_REGISTER)
			rep.u.service.kr = mp_kern_registry_register(s->registry, sp->ks, r->u.service.name,
								 r->u.service.name_len, r->u.service.port,
								 r->u.service.disposition);
		else
			rep.u.service.kr = mp_kern_registry_look_up(s->registry, sp->ks, r->u.service.name,
								r->u.service.name_len, &rep.u.service.port);
		mpd_space_done(s, sp);
	}
	return send_reply(c, &rep, -1);
}

int mpd_serve_packet(mpd_conn_t *c, ssize_t len, const int *fds, int nfds, bool trunc)
{
	mpd_request_t r;
	mpd_diag_t d;
	int rc;

	if (len == -2) {
		memset(&d, 0, sizeof d);
		d.err = MPD_E_SHORT;
		snprintf(d.reason, sizeof d.reason, "an empty packet (a header is %u bytes)", MPD_HEADER_SIZE);
		rc = refuse(c, 0, 0, &d);
	} else if ((size_t)len > c->pkt_cap) {
		memset(&d, 0, sizeof d);
		d.err = MPD_E_TOO_LARGE;
		snprintf(d.reason, sizeof d.reason, "%zd bytes, at most %u", len, MPD_MAX_PACKET);
		rc = refuse(c, 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
	} else if (trunc) {
		memset(&d, 0, sizeof d);
		d.err = MPD_E_FDS;
		snprintf(d.reason, sizeof d.reason, "more than %d descriptors in one packet", MPD_MAX_FDS);
		rc = refuse(c, 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
	} else if (mpd_decode_request(c->pkt, (size_t)len, nfds, &r, &d) != MPD_OK) {
		rc = refuse(c, len >= 8 ? mp_load_le32(c->pkt + 4) & 0xffff : 0, len >= 12 ? mp_load_le32(c->pkt + 8) : 0, &d);
	} else if (r.op == MPD_OP_HELLO) {
		rc = do_hello(c, &r);
	} else if (r.op == MPD_OP_ATTACH) {
		rc = do_attach(c, &r);
	} else if (r.op == MPD_OP_CHECK) {
		rc = do_check(c, &r);
	} else if (c->space == NULL) {
		memset(&d, 0, sizeof d);
		d.err = MPD_E_OP;
		d.offset = 4;
		snprintf(d.reason, sizeof d.reason, "op %u before HELLO or ATTACH", r.op);
		rc = refuse(c, r.op, r.seq, &d);
	} else if (r.op == MPD_OP_PORT_CALL) {
		rc = do_port_call(c, &r);
	} else if (r.op == MPD_OP_REGISTER || r.op == MPD_OP_LOOK_UP) {
		rc = do_service(c, &r);
	} else {
		rc = do_msg(c, &r, nfds == 1 ? fds[0] : -1);
	}
	return rc;
}
