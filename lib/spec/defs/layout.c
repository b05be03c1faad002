/*
 * lib/spec/defs/layout.c: a checked routine's arguments into its request and
 * reply specs, as migcom lays out __Request__X_t / __Reply__X_t
 * (utils.c WriteStructDecl / WriteFieldDeclPrim, with __MigPackStructs and
 * an LP64 user space: port descriptors 12 bytes, OOL and OOL-ports
 * descriptors 16), and the checks server.c generates from them.
 */
#include <string.h>

#include "lib/spec/defs/types.h"

#define HEADER_SIZE 24u
#define BODY_SIZE 4u
#define NDR_SIZE 8u
#define PORT_DESC_SIZE 12u
#define OOL_DESC_SIZE 16u

typedef struct msg_builder {
	defs_ctx_t *ctx;
	const droutine_t *rt;
	uint32_t mask, kpd_bit, body_bit;
	mp_spec_field_t fields[MP_SPEC_MAX_FIELDS];
	mp_spec_desc_t descs[MP_SPEC_MAX_DESCS];
	unsigned nfields, ndescs;
	uint32_t offset;
} msg_builder_t;

uint32_t defs_desc_size(uint8_t type)
{
	return type == MP_MSG_PORT_DESCRIPTOR ? PORT_DESC_SIZE : OOL_DESC_SIZE;
}

static void *lalloc(defs_ctx_t *ctx, const droutine_t *rt, size_t n)
{
	void *m = defs_alloc(ctx->arena, n);
	if (m == NULL)
		defs_fail(ctx, rt->file, rt->line, "out of memory");
	return m;
}

static unsigned add_field(msg_builder_t *b, const char *name, uint8_t kind, uint8_t type_code,
			  uint32_t elem_size, uint32_t max, uint32_t wire_size)
{
	if (b->nfields >= MP_SPEC_MAX_FIELDS)
		defs_fail(b->ctx, b->rt->file, b->rt->line, "%s: more than %d inline fields",
			  b->rt->name, MP_SPEC_MAX_FIELDS);
	mp_spec_field_t *f = &b->fields[b->nfields];
	memset(f, 0, sizeof *f);
	f->name = name;
	f->kind = kind;
	f->type_code = type_code;
	f->count_field = MP_SPEC_NONE;
	f->elem_size = elem_size;
	f->max = max;
	f->wire_size = wire_size;
	f->offset = b->offset;
	b->offset += wire_size;
	return b->nfields++;
}

static uint8_t type_code_of(const dtype_t *t)
{
	return (uint8_t)(t->out_name & 0xffu);
}

/* mirrors WriteFieldDeclPrim for a variable-sized in-line array: [xOffset,] xCnt, x[max] */
static void add_var_fields(msg_builder_t *b, darg_t *arg, int *field)
{
	const dtype_t *it = arg->type;
	const dtype_t *btype = it->element;
	if (btype == NULL || btype->number == 0)
		defs_fail(b->ctx, arg->file, arg->line, "%s: variable array of an unsized type", arg->name);
	if (it->is_string) {
		const char *off = lalloc(b->ctx, b->rt, strlen(arg->name) + 8);
		memcpy((char *)off, arg->name, strlen(arg->name));
		memcpy((char *)off + strlen(arg->name), "Offset", 7);
		add_field(b, off, MP_SPEC_STRING_OFFSET, DT_INTEGER_32, 4, 1, 4);
	}
	unsigned cnt;
	if (arg->flags & FL_SAME_COUNT) {
		/* WriteFieldDeclPrim: no count of its own; the shared one counts it */
		int shared = b->mask == AKB_REQUEST ? arg->count->req_field : arg->count->rep_field;
		if (shared < 0)
			defs_fail(b->ctx, arg->file, arg->line, "%s: the shared count is not in the message",
				  arg->name);
		cnt = (unsigned)shared;
	} else {
		cnt = add_field(b, arg->count->name, MP_SPEC_COUNT, DT_INTEGER_32, 4, 1, 4);
		if (b->mask == AKB_REQUEST)
			arg->count->req_field = (int)cnt;
		else
			arg->count->rep_field = (int)cnt;
	}
	*field = (int)add_field(b, arg->name, it->is_string ? MP_SPEC_VAR_STRING : MP_SPEC_VAR_ARRAY,
				type_code_of(btype), btype->type_size, it->number / btype->number,
				it->type_size + it->pad_size);
	b->fields[*field].count_field = (uint16_t)cnt;
}

static void add_body_field(msg_builder_t *b, darg_t *arg, int *field)
{
	const dtype_t *it = arg->type;
	if (IS_VARIABLE_SIZED_UNTYPED(it)) {
		add_var_fields(b, arg, field);
		return;
	}
	uint8_t kind = MP_SPEC_SCALAR;
	uint32_t max = 1;
	if (arg == b->rt->ret_code)
		kind = MP_SPEC_RETCODE;
	else if (AK_IDENT(arg->kind) == AKE_COUNT)
		kind = MP_SPEC_COUNT;
	else if (it->is_string) {
		kind = MP_SPEC_STRING;
		max = it->number;
	}
	uint32_t elem = it->is_string ? 1 : it->type_size;
	*field = (int)add_field(b, arg->name, kind, type_code_of(it), elem, max,
				it->type_size + it->pad_size);
}

/* mirrors WriteTCheckKPD_port: the received dispositions a port descriptor may have */
static uint32_t port_dispositions(const darg_t *arg)
{
	const dtype_t *it = arg->type;
	if (it->var_array)
		return MP_SPEC_ANY_DISPOSITION;
	if (arg->poly == NULL)
		return 1u << (it->out_name & 31u);
	switch (it->out_name) {
	case DT_MOVE_RECEIVE:
		return 1u << DT_MOVE_RECEIVE;
	case DT_MOVE_SEND_ONCE:
		return (1u << DT_MOVE_SEND_ONCE) | (1u << DT_MAKE_SEND_ONCE);
	case DT_MOVE_SEND:
		return (1u << DT_MOVE_SEND) | (1u << DT_MAKE_SEND) | (1u << DT_COPY_SEND);
	default:
		return MP_SPEC_ANY_DISPOSITION;
	}
}

static mp_spec_desc_t *new_desc(msg_builder_t *b, const darg_t *arg, uint8_t type)
{
	if (b->ndescs >= MP_SPEC_MAX_DESCS)
		defs_fail(b->ctx, arg->file, arg->line, "%s: more than %d descriptors", b->rt->name,
			  MP_SPEC_MAX_DESCS);
	mp_spec_desc_t *d = &b->descs[b->ndescs++];
	memset(d, 0, sizeof *d);
	d->name = arg->name;
	d->type = type;
	d->count_field = MP_SPEC_NONE;
	d->multiplier = 1;
	d->dispositions = MP_SPEC_ANY_DISPOSITION;
	if (arg->dealloc_yes)
		d->flags |= MP_SPEC_DESC_DEALLOC;
	if (arg->flags & FL_PHYSICAL_COPY)
		d->flags |= MP_SPEC_DESC_PHYSCOPY;
	return d;
}

static uint16_t count_field_of(msg_builder_t *b, const darg_t *arg)
{
	if (arg->count == NULL)
		return MP_SPEC_NONE;
	int f = b->mask == AKB_REQUEST ? arg->count->req_field : arg->count->rep_field;
	if (f < 0)
		defs_fail(b->ctx, arg->file, arg->line, "%s: its count is not in the message", arg->name);
	return (uint16_t)f;
}

/* mirrors WriteTCheckKPD_ool / WriteOOLSizeCheck for one OOL argument */
static void add_ool_desc(msg_builder_t *b, const darg_t *arg)
{
	const dtype_t *it = arg->type;
	mp_spec_desc_t *d = new_desc(b, arg, MP_MSG_OOL_DESCRIPTOR);
	uint32_t elem_bytes = it->size / 8 ? it->size / 8 : 1;
	if (!it->var_array) {
		d->flags |= MP_SPEC_DESC_FIXED;
		d->fixed = (it->number * it->size + 7) / 8;
		d->elem_size = elem_bytes;
		return;
	}
	uint32_t mult = arg->count->multiplier;
	d->multiplier = (mult > 1 || it->size > 8) ? mult * it->size / 8 : 1;
	d->max = it->ool_number;
	d->count_field = count_field_of(b, arg);
	d->elem_size = d->multiplier;
}

/* mirrors WriteTCheckKPD_oolport / WriteOOLSizeCheck for one OOL-ports argument */
static void add_ool_ports_desc(msg_builder_t *b, const darg_t *arg)
{
	const dtype_t *it = arg->type;
	mp_spec_desc_t *d = new_desc(b, arg, MP_MSG_OOL_PORTS_DESCRIPTOR);
	d->elem_size = 4;
	if (arg->poly == NULL) {
		d->dispositions = 1u << (it->out_name & 31u);
		d->send_disposition = it->in_name;
	}
	if (!it->var_array) {
		d->flags |= MP_SPEC_DESC_FIXED;
		d->fixed = it->number;
		return;
	}
	d->max = it->ool_number;
	d->count_field = count_field_of(b, arg);
}

static void add_port_descs(msg_builder_t *b, const darg_t *arg)
{
	const dtype_t *it = arg->type;
	uint32_t n = IS_MULTIPLE_KPD(it) ? it->kpd_number : 1;
	for (uint32_t i = 0; i < n; i++) {
		mp_spec_desc_t *d = new_desc(b, arg, MP_MSG_PORT_DESCRIPTOR);
		d->dispositions = port_dispositions(arg);
		d->send_disposition = it->in_name == DT_POLYMORPHIC ? 0 : it->in_name;
		d->elem_size = 4;
	}
}

static void set_field_index(msg_builder_t *b, darg_t *a, int f)
{
	if (b->mask == AKB_REQUEST)
		a->req_field = f;
	else
		a->rep_field = f;
}

/* mirrors WriteStructDecl: header | body + descriptors | NDR | body fields */
static void build_msg(defs_ctx_t *ctx, const droutine_t *rt, uint32_t mask, int simple,
		      mp_spec_msg_t *out)
{
	msg_builder_t *b = lalloc(ctx, rt, sizeof *b);
	b->ctx = ctx;
	b->rt = rt;
	b->mask = mask;
	b->kpd_bit = mask == AKB_REQUEST ? AKB_SEND_KPD : AKB_RETURN_KPD;
	b->body_bit = mask == AKB_REQUEST ? AKB_SEND_BODY : AKB_RETURN_BODY;
	b->offset = HEADER_SIZE;
	if (!simple) {
		b->offset += BODY_SIZE;
		for (darg_t *a = rt->args; a != NULL; a = a->next)
			if (AK_CHECK_ALL(a->kind, mask | b->kpd_bit))
				b->offset += (IS_MULTIPLE_KPD(a->type) ? a->type->kpd_number : 1) *
					     defs_desc_size((uint8_t)a->kpd_type);
	}
	for (darg_t *a = rt->args; a != NULL; a = a->next) {
		if (!AK_CHECK_ALL(a->kind, mask | b->body_bit))
			continue;
		if (a == rt->ndr) {
			out->ndr = 1;
			b->offset += NDR_SIZE;
			continue;
		}
		int f = -1;
		add_body_field(b, a, &f);
		set_field_index(b, a, f);
	}
	/* descriptors, now that the counts have their field indexes */
	if (!simple)
		for (darg_t *a = rt->args; a != NULL; a = a->next) {
			if (!AK_CHECK_ALL(a->kind, mask | b->kpd_bit))
				continue;
			if (a->kpd_type == MP_MSG_PORT_DESCRIPTOR)
				add_port_descs(b, a);
			else if (a->kpd_type == MP_MSG_OOL_DESCRIPTOR)
				add_ool_desc(b, a);
			else
				add_ool_ports_desc(b, a);
		}
	out->complex = (uint8_t)!simple;
	out->ndesc = (uint16_t)b->ndescs;
	out->nfields = (uint16_t)b->nfields;
	out->max_size = b->offset;
	out->min_size = b->offset;
	for (unsigned i = 0; i < b->nfields; i++)
		if (b->fields[i].kind == MP_SPEC_VAR_ARRAY || b->fields[i].kind == MP_SPEC_VAR_STRING) {
			out->nvar++;
			out->min_size -= b->fields[i].wire_size;
		}
	if (b->nfields > 0) {
		mp_spec_field_t *f = lalloc(ctx, rt, b->nfields * sizeof *f);
		memcpy(f, b->fields, b->nfields * sizeof *f);
		out->fields = f;
	}
	if (b->ndescs > 0) {
		mp_spec_desc_t *d = lalloc(ctx, rt, b->ndescs * sizeof *d);
		memcpy(d, b->descs, b->ndescs * sizeof *d);
		out->descs = d;
	}
}

/* the trailer elements the server asks for, in argument order (WriteCheckTrailerSize) */
static void add_trailer(defs_ctx_t *ctx, const droutine_t *rt, mp_spec_routine_t *out)
{
	for (const darg_t *a = rt->args; a != NULL; a = a->next) {
		if (!AK_CHECK(a->kind, AKB_SERVER_IMPLICIT))
			continue;
		uint8_t e;
		switch (AK_IDENT(a->kind)) {
		case AKE_MSG_SEQNO:
			e = MP_SPEC_TRAILER_SEQNO;
			break;
		case AKE_SEC_TOKEN:
			e = MP_SPEC_TRAILER_SENDER;
			break;
		case AKE_AUDIT_TOKEN:
			e = MP_SPEC_TRAILER_AUDIT;
			break;
		case AKE_CONTEXT_TOKEN:
			e = MP_SPEC_TRAILER_CONTEXT;
			break;
		default:
			defs_fail(ctx, a->file, a->line, "%s: unsupported trailer element", a->name);
		}
		if (out->ntrailer >= MP_SPEC_MAX_TRAILER_ELEMS)
			defs_fail(ctx, a->file, a->line, "%s: more than %d trailer elements", rt->name,
				  MP_SPEC_MAX_TRAILER_ELEMS);
		out->trailer[out->ntrailer++] = e;
	}
}

static uint32_t reply_port_dispositions(const droutine_t *rt)
{
	uint32_t out = rt->reply_port->type->out_name;
	if (out == DT_POLYMORPHIC)
		return MP_SPEC_ANY_DISPOSITION;
	return 1u << (out & 31u);
}

void defs_layout_routine(defs_ctx_t *ctx, droutine_t *rt, mp_spec_routine_t *out)
{
	build_msg(ctx, rt, AKB_REQUEST, rt->simple_request, &out->request);
	if (!rt->simple)
		build_msg(ctx, rt, AKB_REPLY, rt->simple_reply, &out->reply);
	out->retcode_arg = (uint8_t)(rt->ret_c_arg != NULL && !rt->simple_request);
	out->reply_port_dispositions = reply_port_dispositions(rt);
	add_trailer(ctx, rt, out);
}
