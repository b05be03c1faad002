/*
 * lib/msg/dump.c: text and JSON renderings of an accepted mp_msg_view_t.
 * Reads only what the parser validated (the view and its iterator).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "machports/dump.h"

typedef struct out {
	mp_write_fn write;
	void *ctx;
} out_t;

static void put(const out_t *o, const char *s)
{
	o->write(o->ctx, s, strlen(s));
}

static void putf(const out_t *o, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void putf(const out_t *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	o->write(o->ctx, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void mp_write_stdio(void *file, const char *data, size_t len)
{
	(void)fwrite(data, 1, len, (FILE *)file);
}

/* "MOVE_SEND(17)", or "17" for an unnamed value. */
static const char *disp_str(uint32_t d, char *buf, size_t len)
{
	const char *n = mp_disposition_name(d);
	if (n[0] == '?')
		snprintf(buf, len, "%u", d);
	else
		snprintf(buf, len, "%s(%u)", n, d);
	return buf;
}

/* Both parser modes reject flags outside MACH_MSG_GUARD_FLAGS_MASK, so an
 * accepted view has only these two. */
static const char *guard_flags_str(uint32_t f, char *buf, size_t len)
{
	snprintf(buf, len, "0x%x%s%s", f, (f & MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE) ? " IMMOVABLE_RECEIVE" : "",
		 (f & MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND) ? " UNGUARDED_ON_SEND" : "");
	return buf;
}

static void hex_lines(const out_t *o, const uint8_t *p, size_t n, size_t base)
{
	for (size_t i = 0; i < n; i += 16) {
		char line[100];
		size_t k, pos = 0;
		pos += (size_t)snprintf(line + pos, sizeof line - pos, "    %06zx ", base + i);
		for (k = 0; k < 16; k++) {
			if (i + k < n)
				pos += (size_t)snprintf(line + pos, sizeof line - pos, " %02x", p[i + k]);
			else
				pos += (size_t)snprintf(line + pos, sizeof line - pos, "   ");
		}
		pos += (size_t)snprintf(line + pos, sizeof line - pos, "  |");
		for (k = 0; k < 16 && i + k < n; k++)
			line[pos++] = (p[i + k] >= 0x20 && p[i + k] < 0x7f) ? (char)p[i + k] : '.';
		line[pos++] = '|';
		line[pos++] = '\n';
		o->write(o->ctx, line, pos);
	}
}

static const char *audit_slot_names[8] = {"auid", "euid", "egid", "ruid",
					  "rgid", "pid",  "asid", "pidversion"};

void mp_dump_text(const mp_msg_view_t *v, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	char a[64], b2[64], c[64];
	mp_desc_iter_t it;
	mp_desc_t d;
	size_t inl_len;
	const uint8_t *inl = mp_view_inline(v, &inl_len);

	putf(&o, "%s message, %u bytes\n", v->mode == MP_MODE_SEND ? "send" : "received", v->size);
	putf(&o, "  header:\n");
	putf(&o, "    bits     0x%08x  remote=%s local=%s voucher=%s%s%s%s\n", v->bits,
	     disp_str(v->remote_disposition, a, sizeof a), disp_str(v->local_disposition, b2, sizeof b2),
	     disp_str(v->voucher_disposition, c, sizeof c), v->complex ? " COMPLEX" : "",
	     (v->bits & MP_MSGH_BITS_RAISEIMP) ? " RAISEIMP" : "",
	     (v->bits & MP_MSGH_BITS_IMPHOLDASRT) ? " IMPHOLDASRT" : "");
	if (v->raw_bits != v->bits)
		putf(&o, "    raw bits 0x%08x  (the kernel clears 0x%08x)\n", v->raw_bits,
		     v->raw_bits & ~v->bits);
	putf(&o, "    size     %u%s\n", v->msgh_size,
	     v->mode == MP_MODE_SEND ? "  (ignored on send)" : "");
	putf(&o, "    remote   0x%08x\n", v->remote);
	putf(&o, "    local    0x%08x\n", v->local);
	putf(&o, "    voucher  0x%08x\n", v->voucher);
	putf(&o, "    id       %d\n", v->id);
	if (v->complex)
		putf(&o, "  body: %u descriptor%s\n", v->desc_count, v->desc_count == 1 ? "" : "s");

	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d)) {
		putf(&o, "    [%u] %-12s @%-5u ", it.index - 1, mp_desc_type_name(d.type), d.offset);
		switch (d.type) {
		case MP_MSG_PORT_DESCRIPTOR:
			putf(&o, "name=0x%08x disposition=%s\n", d.name, disp_str(d.disposition, a, sizeof a));
			break;
		case MP_MSG_OOL_DESCRIPTOR:
		case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
			putf(&o, "address=0x%016llx size=%u copy=%s deallocate=%u\n",
			     (unsigned long long)d.address, d.length, mp_copy_name(d.copy), d.deallocate);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			putf(&o, "address=0x%016llx count=%u disposition=%s copy=%s deallocate=%u\n",
			     (unsigned long long)d.address, d.length, disp_str(d.disposition, a, sizeof a),
			     mp_copy_name(d.copy), d.deallocate);
			break;
		default:
			putf(&o, "name=0x%08x disposition=%s flags=%s context=0x%016llx\n", d.name,
			     disp_str(d.disposition, a, sizeof a), guard_flags_str(d.flags, b2, sizeof b2),
			     (unsigned long long)d.context);
			break;
		}
	}
	putf(&o, "  inline: %zu bytes @%u\n", inl_len, v->inline_offset); /* a multiple of 4 */
	hex_lines(&o, inl, inl_len, v->inline_offset);

	if (v->has_trailer) {
		const mp_trailer_view_t *t = &v->trailer;
		putf(&o, "  trailer: format %u, %u bytes @%u\n", t->type, t->size, t->offset);
		if (t->has_seqno)
			putf(&o, "    seqno    %u\n", t->seqno);
		if (t->has_sender)
			putf(&o, "    sender   euid=%u egid=%u\n", t->sender.val[0], t->sender.val[1]);
		if (t->has_audit) {
			put(&o, "    audit   ");
			for (int k = 0; k < 8; k++)
				putf(&o, " %s=%u", audit_slot_names[k], t->audit.val[k]);
			put(&o, "\n");
		}
		if (t->has_context)
			putf(&o, "    context  0x%016llx\n", (unsigned long long)t->context);
		if (t->has_mac)
			putf(&o, "    ad       %d\n    labels   0x%08x\n", t->ad, t->labels);
		if (v->buf_len > (size_t)t->offset + t->size)
			putf(&o, "  slack: %zu bytes after the trailer\n",
			     v->buf_len - ((size_t)t->offset + t->size));
	}
}

/* Writes `s` as a JSON string (quotes included), escaping as RFC 8259 requires. */
static void json_str(const out_t *o, const char *s)
{
	put(o, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			putf(o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			putf(o, "\\u%04x", *p); /* bytes, not UTF-8 decoding: always valid JSON */
		else
			o->write(o->ctx, (const char *)p, 1);
	}
	put(o, "\"");
}

static void json_port(const out_t *o, const char *key, uint32_t name, uint32_t disp, int comma)
{
	putf(o, "\"%s\":{\"name\":%u,\"disposition\":%u,\"disposition_name\":\"%s\"}%s", key, name, disp,
	     mp_disposition_name(disp), comma ? "," : "");
}

void mp_dump_json(const mp_msg_view_t *v, const char *label, mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	mp_desc_iter_t it;
	mp_desc_t d;
	size_t inl_len;
	const uint8_t *inl = mp_view_inline(v, &inl_len);
	int first = 1;

	put(&o, "{");
	if (label != NULL) {
		put(&o, "\"file\":");
		json_str(&o, label);
		put(&o, ",");
	}
	putf(&o, "\"mode\":\"%s\",\"accepted\":true,\"size\":%u,", v->mode == MP_MODE_SEND ? "send" : "recv",
	     v->size);
	putf(&o, "\"header\":{\"bits\":%u,\"raw_bits\":%u,\"complex\":%s,\"msgh_size\":%u,", v->bits,
	     v->raw_bits, v->complex ? "true" : "false", v->msgh_size);
	json_port(&o, "remote", v->remote, v->remote_disposition, 1);
	json_port(&o, "local", v->local, v->local_disposition, 1);
	json_port(&o, "voucher", v->voucher, v->voucher_disposition, 1);
	putf(&o, "\"id\":%d},", v->id);

	put(&o, "\"descriptors\":[");
	mp_desc_iter_init(&it, v);
	while (mp_desc_next(&it, &d)) {
		putf(&o, "%s{\"type\":\"%s\",\"offset\":%u", first ? "" : ",", mp_desc_type_name(d.type),
		     d.offset);
		first = 0;
		switch (d.type) {
		case MP_MSG_PORT_DESCRIPTOR:
			putf(&o, ",\"name\":%u,\"disposition\":%u,\"disposition_name\":\"%s\"}", d.name,
			     d.disposition, mp_disposition_name(d.disposition));
			break;
		case MP_MSG_OOL_DESCRIPTOR:
		case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
			putf(&o, ",\"address\":%llu,\"size\":%u,\"copy\":\"%s\",\"deallocate\":%u}",
			     (unsigned long long)d.address, d.length, mp_copy_name(d.copy), d.deallocate);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			putf(&o,
			     ",\"address\":%llu,\"count\":%u,\"disposition\":%u,\"disposition_name\":\"%s\","
			     "\"copy\":\"%s\",\"deallocate\":%u}",
			     (unsigned long long)d.address, d.length, d.disposition,
			     mp_disposition_name(d.disposition), mp_copy_name(d.copy), d.deallocate);
			break;
		default:
			putf(&o,
			     ",\"name\":%u,\"disposition\":%u,\"disposition_name\":\"%s\",\"flags\":%u,"
			     "\"context\":%llu}",
			     d.name, d.disposition, mp_disposition_name(d.disposition), d.flags,
			     (unsigned long long)d.context);
			break;
		}
	}
	putf(&o, "],\"inline\":{\"offset\":%u,\"length\":%zu,\"hex\":\"", v->inline_offset, inl_len);
	for (size_t i = 0; i < inl_len; i++)
		putf(&o, "%02x", inl[i]);
	put(&o, "\"}");

	if (v->has_trailer) {
		const mp_trailer_view_t *t = &v->trailer;
		putf(&o, ",\"trailer\":{\"offset\":%u,\"type\":%u,\"size\":%u", t->offset, t->type, t->size);
		if (t->has_seqno)
			putf(&o, ",\"seqno\":%u", t->seqno);
		if (t->has_sender)
			putf(&o, ",\"sender\":{\"euid\":%u,\"egid\":%u}", t->sender.val[0], t->sender.val[1]);
		if (t->has_audit) {
			put(&o, ",\"audit\":{");
			for (int k = 0; k < 8; k++)
				putf(&o, "%s\"%s\":%u", k ? "," : "", audit_slot_names[k], t->audit.val[k]);
			put(&o, "}");
		}
		if (t->has_context)
			putf(&o, ",\"context\":%llu", (unsigned long long)t->context);
		if (t->has_mac)
			putf(&o, ",\"ad\":%d,\"labels\":%u", t->ad, t->labels);
		put(&o, "}");
	}
	put(&o, "}");
}

void mp_dump_json_rejected(mp_mode_t mode, const mp_diag_t *diag, const char *label,
			   mp_write_fn write, void *ctx)
{
	out_t o = {write, ctx};
	int32_t mach = mode == MP_MODE_SEND ? mp_err_mach_send(diag->err) : 0;

	put(&o, "{");
	if (label != NULL) {
		put(&o, "\"file\":");
		json_str(&o, label);
		put(&o, ",");
	}
	putf(&o, "\"mode\":\"%s\",\"accepted\":false,\"error\":\"%s\",",
	     mode == MP_MODE_SEND ? "send" : "recv", mp_err_name(diag->err));
	if (mach != 0)
		putf(&o, "\"mach_error\":\"%s\",\"mach_code\":%d,", mp_mach_msg_return_name(mach), mach);
	putf(&o, "\"offset\":%zu,\"reason\":", diag->offset);
	json_str(&o, diag->reason);
	put(&o, "}");
}
