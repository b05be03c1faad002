/*
 * fuzz/servers/session/session_spec_agreement_test.c: the hand-written
 * demux (session_server.c) against the spec mp_mig_spec made of
 * session.defs, with no kernel in between: each routine's request is built
 * from the spec (mp_spec_build_request), put in the form a receive gives it
 * (the received disposition), then broken one way at a time (msgh_size, the
 * complex bit, the descriptor count, a descriptor's type or disposition, an
 * OOL size that is not its count, a string without its NUL, an unknown id).
 * For every broken request the spec's check (mp_spec_check_request at
 * MP_SPEC_MIG: what migcom's __MIG_check__Request__* does) and the demux
 * must refuse it with the same MIG code, and the demux's error reply must
 * pass the reply spec (mp_spec_check_reply) with that code. Unbroken
 * requests pass the spec's check. A refused request never reaches a
 * routine, so the port names in them need no task.
 *
 * Prints "N passed, N failed".
 */
#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz/servers/session/session_server.h"
#include "fuzz/servers/session/session_spec.h"
#include "machports/spec.h"

static int g_passed, g_failed;

static void check(int ok, const char *routine, const char *what, int32_t spec_code, int32_t demux_code)
{
	if (ok) {
		g_passed++;
		return;
	}
	g_failed++;
	printf("FAIL %s: %s: spec 0x%x, demux 0x%x\n", routine, what, (unsigned)spec_code, (unsigned)demux_code);
}

typedef union {
	mach_msg_header_t head;
	uint8_t bytes[512];
} message_t;

/* The request of `rt` as a receive would give it: descriptors carry the
 * received disposition (MAKE_SEND_ONCE arrives as PORT_SEND_ONCE). */
static size_t build_received(const mp_spec_routine_t *rt, message_t *m)
{
	static const uint8_t data[24] = "session agreement bytes";
	static const int session = 1;
	mp_spec_value_t descs[4], fields[4];
	mp_spec_header_t hdr;
	mp_diag_t diag;
	size_t len = 0;
	memset(descs, 0, sizeof descs);
	memset(fields, 0, sizeof fields);
	memset(&hdr, 0, sizeof hdr);
	memset(m, 0, sizeof *m);
	hdr.remote = 0x1103;
	hdr.remote_disposition = MACH_MSG_TYPE_COPY_SEND;
	hdr.local = 0x2203;
	hdr.local_disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	for (unsigned i = 0; i < rt->request.ndesc; i++) {
		descs[i].name = 0x3303;
		descs[i].address = (uint64_t)(uintptr_t)data;
		descs[i].size = sizeof data;
		descs[i].copy = MACH_MSG_VIRTUAL_COPY;
	}
	for (unsigned i = 0; i < rt->request.nfields; i++) {
		fields[i].data = rt->request.fields[i].kind == MP_SPEC_STRING ? (const void *)"name" : (const void *)&session;
		fields[i].count = rt->request.fields[i].kind == MP_SPEC_STRING ? 4 : 1;
	}
	if (mp_spec_build_request(rt, &hdr, descs, fields, m->bytes, sizeof m->bytes, &len, &diag) != MP_OK)
		return 0;
	/* the header as received: the reply right in msgh_remote_port (a
	 * simpleroutine has none), the destination in msgh_local_port */
	m->head.msgh_bits = (m->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) |
			    MACH_MSGH_BITS(rt->kind == MP_SPEC_ROUTINE ? MACH_MSG_TYPE_PORT_SEND_ONCE : 0,
					   MACH_MSG_TYPE_PORT_SEND);
	m->head.msgh_remote_port = rt->kind == MP_SPEC_ROUTINE ? hdr.local : MACH_PORT_NULL;
	m->head.msgh_local_port = hdr.remote;
	if (rt->request.ndesc == 1 && rt->request.descs[0].type == MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)(m->bytes + sizeof(mach_msg_base_t));
		if (d->disposition == MACH_MSG_TYPE_MAKE_SEND_ONCE)
			d->disposition = MACH_MSG_TYPE_PORT_SEND_ONCE;
	}
	return len;
}

/* The demux's reply (send form) as the client receives it: the reply port
 * becomes msgh_local_port, msgh_remote_port is null (a reply carries no
 * reply port), the bits swap. */
static void as_received_reply(message_t *out)
{
	mach_msg_bits_t bits = out->head.msgh_bits;
	out->head.msgh_local_port = out->head.msgh_remote_port;
	out->head.msgh_remote_port = MACH_PORT_NULL;
	out->head.msgh_bits = (bits & MACH_MSGH_BITS_COMPLEX) | MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE);
}

/* The spec's and the demux's code for one (broken) request; both must
 * refuse it alike, and the error reply must check as that code. */
static void agree(const mp_spec_routine_t *rt, const char *what, message_t *m)
{
	mp_spec_diag_t diag;
	message_t out;
	memset(&out, 0, sizeof out);
	size_t len = m->head.msgh_size <= sizeof m->bytes ? m->head.msgh_size : sizeof m->bytes;
	int32_t spec_code = mp_spec_check_request(&session_spec, m->bytes, len, MP_SPEC_MIG, NULL, &diag);
	if (spec_code == MP_MIG_SUCCESS) {
		check(0, rt->name, what, spec_code, 0);
		return;
	}
	boolean_t routed = session_server(&m->head, &out.head);
	const mig_reply_error_t *e = (const mig_reply_error_t *)&out.head;
	check(e->RetCode == spec_code, rt->name, what, spec_code, e->RetCode);
	check(routed == (spec_code != MIG_BAD_ID), rt->name, "demux's boolean", spec_code, e->RetCode);
	check(out.head.msgh_size == sizeof(mig_reply_error_t) && out.head.msgh_id == m->head.msgh_id + 100, rt->name,
	      "error reply header", spec_code, e->RetCode);
	if (spec_code != MIG_BAD_ID && rt->kind == MP_SPEC_ROUTINE) {
		as_received_reply(&out);
		int32_t reply_code = mp_spec_check_reply(rt, out.bytes, out.head.msgh_size, MP_SPEC_MIG, NULL, NULL);
		check(reply_code == spec_code, rt->name, "error reply against the reply spec", spec_code, reply_code);
	}
}

static void each_break(const mp_spec_routine_t *rt)
{
	message_t good, m;
	size_t len = build_received(rt, &good);
	check(len != 0, rt->name, "build", 0, 0);
	if (len == 0)
		return;
	check(mp_spec_check_request(&session_spec, good.bytes, len, MP_SPEC_MIG, NULL, NULL) == MP_MIG_SUCCESS, rt->name,
	      "the built request passes the spec", 0, 0);

	m = good;
	m.head.msgh_size += 4;
	agree(rt, "msgh_size + 4", &m);
	m = good;
	m.head.msgh_size -= 4;
	agree(rt, "msgh_size - 4", &m);
	m = good;
	m.head.msgh_bits ^= MACH_MSGH_BITS_COMPLEX;
	agree(rt, "complex bit flipped", &m);
	m = good;
	m.head.msgh_id = SESSION_BASE + SESSION_ROUTINES;
	agree(rt, "unknown id", &m);
	m = good;
	m.head.msgh_id = SESSION_BASE - 1;
	agree(rt, "id below the base", &m);

	if (rt->request.ndesc == 1) {
		mach_msg_base_t *base = (mach_msg_base_t *)m.bytes;
		uint8_t *desc = m.bytes + sizeof(mach_msg_base_t);
		m = good;
		base->body.msgh_descriptor_count = 2;
		agree(rt, "descriptor count 2", &m);
		m = good;
		base->body.msgh_descriptor_count = 0;
		agree(rt, "descriptor count 0", &m);
		if (rt->request.descs[0].type == MACH_MSG_PORT_DESCRIPTOR) {
			mach_msg_port_descriptor_t *d = (mach_msg_port_descriptor_t *)desc;
			m = good;
			d->disposition = d->disposition == MACH_MSG_TYPE_PORT_SEND ? MACH_MSG_TYPE_PORT_SEND_ONCE
										    : MACH_MSG_TYPE_PORT_SEND;
			agree(rt, "another disposition", &m);
			m = good;
			d->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
			agree(rt, "descriptor type", &m);
		} else {
			mach_msg_ool_descriptor_t *d = (mach_msg_ool_descriptor_t *)desc;
			m = good;
			d->size += 1;
			agree(rt, "OOL size is not its count", &m);
			m = good;
			d->type = MACH_MSG_PORT_DESCRIPTOR;
			agree(rt, "descriptor type", &m);
		}
	}
	for (unsigned i = 0; i < rt->request.nfields; i++) {
		if (rt->request.fields[i].kind != MP_SPEC_STRING)
			continue;
		m = good;
		memset(m.bytes + rt->request.fields[i].offset, 'x', rt->request.fields[i].max);
		agree(rt, "string without its NUL", &m);
	}
}

/* open_session has no arguments: the demux answers it, and its reply
 * passes the reply spec with the session's number. */
static void open_session_reply(void)
{
	const mp_spec_routine_t *rt = mp_spec_routine_by_name(&session_spec, "open_session");
	message_t in, out;
	mp_spec_view_t view;
	uint32_t session = 0;
	size_t len = build_received(rt, &in);
	memset(&out, 0, sizeof out);
	check(session_server(&in.head, &out.head) == TRUE, rt->name, "routed", 0, 0);
	as_received_reply(&out);
	int32_t code = mp_spec_check_reply(rt, out.bytes, out.head.msgh_size, MP_SPEC_MIG, &view, NULL);
	check(len != 0 && code == KERN_SUCCESS, rt->name, "reply against the reply spec", 0, code);
	int at = mp_spec_field_index(view.msg, "session");
	check(code == KERN_SUCCESS && at >= 0 && mp_spec_field_u32(&view, (unsigned)at, &session) && session == 1,
	      rt->name, "session 1 in the reply", 0, (int32_t)session);
	session_server_teardown();
}

int main(void)
{
	check(mp_spec_validate(&session_spec, NULL) == MP_OK, "session", "spec validates", 0, 0);
	check(session_spec.nroutines == SESSION_ROUTINES && session_spec.base == SESSION_BASE, "session",
	      "subsystem base and size", 0, 0);
	check(session_spec.max_request_size + MAX_TRAILER_SIZE <= SESSION_MAX_REQUEST_SIZE, "session",
	      "receive buffer size", 0, 0);
	for (uint32_t i = 0; i < session_spec.nroutines; i++)
		each_break(session_spec.routines[i]);
	open_session_reply();
	printf("%d passed, %d failed\n", g_passed, g_failed);
	return g_failed == 0 ? 0 : 1;
}
