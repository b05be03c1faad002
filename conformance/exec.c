/*
 * conformance/exec.c: run one case through real ports and check it.
 *
 * The model. For every payload port the executor knows what S and R held
 * before the send; each descriptor right moves, copies or makes a right
 * (xnu-abi.md §6.3), and the outcome decides where it ends up:
 *   DELIVER  R receives it (§6.7-6.9: coalesced under one name per port,
 *            send-once rights under new names, dead ports as MACH_PORT_DEAD);
 *   DESTROY  nobody does (class C before the failing descriptor, class E,
 *            MACH_RCV_TOO_LARGE without MACH_RCV_LARGE): moved rights are
 *            gone, moved receive rights die;
 *   PSEUDO   S gets it back (class D): moves come back, copies and makes as
 *            one more right (§6.4 D, §10.12).
 * After the case both sides' rights are compared with the model through the
 * public API only (mach_port_type, get_refs, get_status), so the same
 * checks hold on every backend.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conformance/case.h"
#include "machports/dump.h"
#include "machports/le.h"
#include "machports/machportd.h"
#include "machports/msg.h"
#include "machports/testing.h"

#define BAD_NAME MP_PORT_MAKE(0xfff0, 0x03) /* never allocated in a case */

/* ---- output buffers ----------------------------------------------------- */

static void vappend(char **buf, size_t *len, size_t *cap, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (*len + (size_t)n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 1024) + (size_t)n;
		char *nb = realloc(*buf, nc);
		if (nb == NULL)
			return;
		*buf = nb;
		*cap = nc;
	}
	vsnprintf(*buf + *len, *cap - *len, fmt, ap);
	*len += (size_t)n;
}

static void rec(outcome_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rec(outcome_t *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(&o->record, &o->record_len, &o->record_cap, fmt, ap);
	va_end(ap);
}

static void report(outcome_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(outcome_t *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vappend(&o->report, &o->report_len, &o->report_cap, fmt, ap);
	va_end(ap);
}

void outcome_free(outcome_t *o)
{
	free(o->record);
	free(o->report);
	memset(o, 0, sizeof(*o));
}

#define CHECK(o, cond, ...)                                            \
	do {                                                           \
		if (!(cond)) {                                         \
			(o)->failures++;                               \
			report((o), "  FAIL %s:%d: ", __FILE__, __LINE__); \
			report((o), __VA_ARGS__);                      \
			report((o), "\n");                             \
		}                                                      \
	} while (0)

/* ---- the model ---------------------------------------------------------- */

typedef enum fate { DELIVER, DESTROY, PSEUDO } fate_t;

typedef struct pstate {
	/* S */
	mp_port_name_t s_name;               /* S's name for the port (send / receive) */
	mp_port_name_t s_sonce[4];           /* S's send-once names, in order of use */
	int s_recv, s_send, sonce_used;
	uint32_t mscount0;
	/* R */
	mp_port_name_t r_name; /* R's name (receive or pre-held send), 0 if none yet */
	int r_recv, r_send, r_sonce;
	/* the port */
	int alive, moved, makes, died_in_delivery, immovable;
} pstate_t;

typedef struct ctx {
	const case_spec_t *c;
	mp_backend_t backend;
	mp_task_t *s, *r;
	mp_port_name_t dest_r;  /* R's receive right (the destination) */
	mp_port_name_t dest_s;  /* S's right to it */
	mp_port_name_t reply;   /* S's reply port (receive) */
	pstate_t p[CASE_MAX_PORTS];
	int dest_sonce_gone;
	uint8_t *ool_src[CASE_MAX_DESC]; /* source buffers (malloc or vm_allocate) */
	uint64_t ool_addr[CASE_MAX_DESC];
	mp_port_name_t arrays[CASE_MAX_DESC][CASE_MAX_ARRAY];
	uint8_t *msg;
	uint32_t msg_len;
	uint8_t *rbuf;
	size_t rbuf_len;
	uint32_t id;
} ctx_t;

static mp_kr_t must(outcome_t *o, mp_kr_t kr, const char *what)
{
	if (kr != MP_KERN_SUCCESS)
		report(o, "  setup: %s: %s\n", what, mp_mach_msg_return_name(kr));
	return kr;
}

/* ---- setup -------------------------------------------------------------- */

/*
 * S, the sender. On the embedded kernel it is a second task of this
 * process. On machportd it is a task of a child process of its own: the
 * child owns the task (the daemon sees the child's credentials, so the
 * trailers carry its pid, and the task dies with it) and relays this
 * process's calls on it (mp_task_relay); R stays here.
 */
static mp_kr_t open_sender(ctx_t *x)
{
	int sv[2];
	pid_t pid;
	mp_kr_t kr;

	if (x->backend != MP_BACKEND_MACHPORTD)
		return mp_task_open(x->backend, &x->s);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return MP_KERN_RESOURCE_SHORTAGE;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	if (pid == 0) {
		/* nothing of the parent's but the relay's socket (R's connection
		 * must close when the parent closes it) */
		if (dup2(sv[1], 3) < 0)
			_exit(1);
		close_range(4, ~0u, 0);
		_exit(mp_task_relay(3) == 0 ? 0 : 1);
	}
	close(sv[1]);
	kr = mp_task_open_remote(sv[0], (int)pid, &x->s);
	if (kr != MP_KERN_SUCCESS)
		waitpid(pid, NULL, 0);
	return kr;
}

static int setup(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	mp_port_options_t qo = { MP_MPO_QLIMIT, c->cat == CAT_FULL_QUEUE ? 1 : MP_PORT_QLIMIT_LARGE };
	mp_port_options_t ro = { c->reply_mpo, 0 };
	uint32_t type;

	if (must(o, open_sender(x), "open S") || must(o, mp_task_open(x->backend, &x->r), "open R"))
		return -1;
	if (c->dest_enforce)
		qo.flags |= MP_MPO_ENFORCE_REPLY_PORT_SEMANTICS;
	if (c->hardened && must(o, mp_task_set_hardened(x->s, 1), "hardened S"))
		return -1;
	if (must(o, mp_port_construct(x->r, &qo, c->dest_context, &x->dest_r), "dest port") ||
	    must(o, mp_port_construct(x->s, &ro, 0, &x->reply), "reply port"))
		return -1;
	if (c->cat != CAT_CIRCULAR) {
		uint32_t d = c->dest_disp == MP_MSG_TYPE_MOVE_SEND_ONCE ? MP_MSG_TYPE_MAKE_SEND_ONCE
									  : MP_MSG_TYPE_MAKE_SEND;
		if (must(o, mp_port_extract_right(x->r, x->dest_r, d, x->s, &x->dest_s, &type), "dest right"))
			return -1;
		if (d == MP_MSG_TYPE_MAKE_SEND && c->dest_s_urefs > 1 &&
		    must(o, mp_port_mod_refs(x->s, x->dest_s, MP_PORT_RIGHT_SEND, c->dest_s_urefs - 1),
			 "dest urefs"))
			return -1;
	}
	if ((c->reply_disp == MP_MSG_TYPE_COPY_SEND || c->reply_disp == MP_MSG_TYPE_MOVE_SEND) &&
	    must(o, mp_port_insert_right(x->s, x->reply, x->s, x->reply, MP_MSG_TYPE_MAKE_SEND), "reply send"))
		return -1;

	for (int i = 0; i < c->nports; i++) {
		const port_setup_t *ps = &c->p[i];
		pstate_t *p = &x->p[i];
		mp_task_t *owner = ps->owned_by_r ? x->r : x->s;
		mp_port_name_t own = 0;
		mp_port_options_t go = { ps->guarded ? MP_MPO_CONTEXT_AS_GUARD : 0, 0 };
		mp_port_status_t st;

		if (must(o, mp_port_construct(owner, &go, ps->guard, &own), "payload port"))
			return -1;
		p->alive = 1;
		if (ps->owned_by_r) {
			p->r_name = own;
			p->r_recv = 1;
			if (ps->s_send > 0 &&
			    must(o, mp_port_extract_right(x->r, own, MP_MSG_TYPE_MAKE_SEND, x->s, &p->s_name, &type),
				 "S send"))
				return -1;
		} else {
			p->s_name = own;
			p->s_recv = 1;
			if (ps->s_send > 0 &&
			    must(o, mp_port_insert_right(x->s, own, x->s, own, MP_MSG_TYPE_MAKE_SEND), "S send"))
				return -1;
			if (ps->r_send > 0) {
				if (must(o, mp_port_extract_right(x->s, own, MP_MSG_TYPE_MAKE_SEND, x->r, &p->r_name,
								  &type),
					 "R send") ||
				    (ps->r_send > 1 &&
				     must(o, mp_port_mod_refs(x->r, p->r_name, MP_PORT_RIGHT_SEND, ps->r_send - 1),
					  "R urefs")))
					return -1;
				p->r_send = ps->r_send;
			}
		}
		if (ps->s_send > 1 &&
		    must(o, mp_port_mod_refs(x->s, p->s_name, MP_PORT_RIGHT_SEND, ps->s_send - 1), "S urefs"))
			return -1;
		p->s_send = ps->s_send;
		for (int k = 0; k < ps->s_sonce; k++)
			if (must(o, mp_port_extract_right(owner, own, MP_MSG_TYPE_MAKE_SEND_ONCE, x->s,
							  &p->s_sonce[k], &type),
				 "S send-once"))
				return -1;
		if (mp_port_get_status(owner, own, &st) == MP_KERN_SUCCESS)
			p->mscount0 = st.mps_mscount;
		if (ps->dead) {
			/* the port dies; S's rights become dead names lazily */
			if (must(o, mp_port_destruct(owner, own, 0, ps->guard), "kill port"))
				return -1;
			p->alive = 0;
			p->s_recv = 0;
			p->r_recv = 0;
			if (ps->owned_by_r)
				p->r_name = 0;
		}
	}
	return 0;
}

/* ---- building the message ----------------------------------------------- */

static mp_port_name_t name_for(ctx_t *x, int port, uint32_t disp, int *sonce_next)
{
	if (port == CASE_NULL)
		return MP_PORT_NULL;
	if (port == CASE_DEAD)
		return MP_PORT_DEAD;
	if (port == CASE_REPLY)
		return x->reply;
	if (disp == MP_MSG_TYPE_MOVE_SEND_ONCE)
		return x->p[port].s_sonce[sonce_next[port]++];
	return x->p[port].s_name;
}

static int build(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	int sonce_next[CASE_MAX_PORTS] = { 0 };
	size_t cap = 1024 + c->inline_len, len = 0;
	mp_builder_t b;
	uint8_t *data;
	mp_diag_t diag;

	x->msg = calloc(1, cap);
	data = malloc(c->inline_len + 1);
	if (x->msg == NULL || data == NULL) {
		free(data);
		return -1;
	}
	for (uint32_t i = 0; i < c->inline_len; i++)
		data[i] = (uint8_t)(i * 13 + c->index);
	x->id = 1000 + c->index % 100000;
	mp_builder_init(&b, x->msg, cap, 0);
	if (c->cat == CAT_CIRCULAR)
		mp_builder_set_remote(&b, x->p[0].s_name, MP_MSG_TYPE_MAKE_SEND);
	else
		mp_builder_set_remote(&b, x->dest_s, c->dest_disp);
	if (c->reply_disp)
		mp_builder_set_local(&b, c->fail_at == -1 ? BAD_NAME : x->reply, c->reply_disp);
	mp_builder_set_id(&b, (int32_t)x->id);
	for (int k = 0; k < c->ndesc; k++) {
		const desc_spec_t *d = &c->d[k];
		switch (d->type) {
		case MP_MSG_PORT_DESCRIPTOR:
			if (k == c->fail_at)
				mp_builder_add_port(&b, BAD_NAME, MP_MSG_TYPE_COPY_SEND);
			else
				mp_builder_add_port(&b, name_for(x, d->port, d->disp, sonce_next), d->disp);
			break;
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			mp_builder_add_guarded_port(&b, name_for(x, d->port, d->disp, sonce_next), d->disp,
						    d->flags, d->context);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			for (uint32_t j = 0; j < d->count; j++)
				x->arrays[k][j] = name_for(x, d->ports[j], d->disp, sonce_next);
			mp_builder_add_ool_ports(&b, d->count ? mp_addr(x->arrays[k]) : 0, d->count, d->disp,
						 d->copy, 0);
			break;
		default: {
			/* deallocate needs memory the task got from the kernel */
			size_t total = d->size + d->offset + 1;
			uint8_t *src;
			if (d->dealloc) {
				uint64_t a = 0;
				if (must(o, mp_vm_allocate(x->s, &a, total), "vm_allocate")) {
					free(data);
					return -1;
				}
				src = (uint8_t *)(uintptr_t)a;
			} else {
				src = malloc(total);
				if (src == NULL) {
					free(data);
					return -1;
				}
				x->ool_src[k] = src;
			}
			for (size_t i = 0; i < total; i++)
				src[i] = (uint8_t)(i * 7 + k + c->index);
			x->ool_addr[k] = mp_addr(src + d->offset);
			if (d->type == MP_MSG_OOL_VOLATILE_DESCRIPTOR)
				mp_builder_add_ool_volatile(&b, x->ool_addr[k], d->size, d->copy, d->dealloc);
			else
				mp_builder_add_ool(&b, x->ool_addr[k], d->size, d->copy, d->dealloc);
			break;
		}
		}
	}
	mp_builder_append(&b, data, c->inline_len);
	free(data);
	if (mp_builder_finish(&b, &len, &diag) != MP_OK) {
		report(o, "  build: %s at %u: %s\n", mp_err_name(diag.err), (unsigned)diag.offset, diag.reason);
		return -1;
	}
	x->msg_len = (uint32_t)len;
	return 0;
}

/* ---- applying the model --------------------------------------------------- */

static void apply(ctx_t *x, int port, uint32_t disp, fate_t fate, int guarded_destroyed)
{
	pstate_t *p;
	if (port < 0)
		return;
	p = &x->p[port];
	switch (disp) {
	case MP_MSG_TYPE_MAKE_SEND:
		p->makes++;
		if (fate == DELIVER)
			p->r_send++;
		else if (fate == PSEUDO)
			p->s_send++;
		break;
	case MP_MSG_TYPE_MAKE_SEND_ONCE:
		if (fate == DELIVER)
			p->r_sonce++;
		break;
	case MP_MSG_TYPE_COPY_SEND:
		if (fate == DELIVER && p->alive)
			p->r_send++;
		else if (fate == PSEUDO && p->alive)
			p->s_send++;
		break;
	case MP_MSG_TYPE_MOVE_SEND:
		if (fate == PSEUDO && p->alive)
			break;
		p->s_send--;
		if (fate == DELIVER && p->alive)
			p->r_send++;
		break;
	case MP_MSG_TYPE_MOVE_SEND_ONCE:
		/* the name goes either way: a pseudo-receive gives the right
		 * back under a new name (send-once rights never coalesce) */
		p->sonce_used++;
		if (fate == DELIVER && p->alive)
			p->r_sonce++;
		break;
	case MP_MSG_TYPE_MOVE_RECEIVE:
		if (fate == PSEUDO) {
			p->moved = 1; /* back in S, with make-send count 0 (§6.3) */
			break;
		}
		p->s_recv = 0;
		p->moved = 1;
		if (fate == DELIVER && !guarded_destroyed) {
			p->r_recv = 1;
		} else {
			p->alive = 0;
			p->died_in_delivery = fate == DELIVER;
		}
		break;
	default:
		break;
	}
}

/* Applies descriptors [from, to) with a fate. */
static void apply_range(ctx_t *x, int from, int to, fate_t fate)
{
	const case_spec_t *c = x->c;
	for (int k = from; k < to; k++) {
		const desc_spec_t *d = &c->d[k];
		if (d->type == MP_MSG_PORT_DESCRIPTOR)
			apply(x, d->port, d->disp, fate, 0);
		else if (d->type == MP_MSG_GUARDED_PORT_DESCRIPTOR)
			apply(x, d->port, d->disp, fate, fate == DELIVER && !c->guarded_desc_opt);
		else if (d->type == MP_MSG_OOL_PORTS_DESCRIPTOR)
			for (uint32_t j = 0; j < d->count; j++)
				apply(x, d->ports[j], d->disp, fate, 0);
	}
}

/* ---- checking rights through the public API ------------------------------ */

static uint32_t type_of(mp_task_t *t, mp_port_name_t n, mp_kr_t *kr)
{
	mp_port_type_t type = 0;
	*kr = mp_port_type(t, n, &type);
	return type & ~MP_PORT_TYPE_DNREQUEST;
}

static uint32_t refs_of(mp_task_t *t, mp_port_name_t n, uint32_t right)
{
	uint32_t r = 0;
	(void)mp_port_get_refs(t, n, right, &r);
	return r;
}

/* S's rights for every payload port after the case. `pseudo` skips the
 * names that a pseudo-receive may have changed. */
static void check_sender(ctx_t *x, outcome_t *o, int pseudo)
{
	const case_spec_t *c = x->c;
	for (int i = 0; i < c->nports; i++) {
		pstate_t *p = &x->p[i];
		mp_kr_t kr;
		uint32_t want = 0, got;
		(void)pseudo;
		if (p->s_name != 0) {
			if (p->s_recv)
				want |= MP_PORT_TYPE_RECEIVE;
			if (p->s_send > 0)
				want |= p->alive ? MP_PORT_TYPE_SEND : MP_PORT_TYPE_DEAD_NAME;
			got = type_of(x->s, p->s_name, &kr);
			if (want == 0)
				CHECK(o, kr == MP_KERN_INVALID_NAME, "port %d: S's name 0x%x should be gone, has type 0x%x",
				      i, p->s_name, got);
			else
				CHECK(o, kr == MP_KERN_SUCCESS && got == want,
				      "port %d: S's name 0x%x type 0x%x (%s), expected 0x%x", i, p->s_name, got,
				      mp_mach_msg_return_name(kr), want);
			if (p->s_send > 0 && want != 0)
				CHECK(o, refs_of(x->s, p->s_name, p->alive ? MP_PORT_RIGHT_SEND : MP_PORT_RIGHT_DEAD_NAME) ==
						 (uint32_t)p->s_send,
				      "port %d: S's urefs %u, expected %d", i,
				      refs_of(x->s, p->s_name, p->alive ? MP_PORT_RIGHT_SEND : MP_PORT_RIGHT_DEAD_NAME),
				      p->s_send);
			if (p->s_recv && p->alive && !p->moved) {
				mp_port_status_t st;
				if (mp_port_get_status(x->s, p->s_name, &st) == MP_KERN_SUCCESS)
					CHECK(o, st.mps_mscount == p->mscount0 + (uint32_t)p->makes,
					      "port %d: make-send count %u, expected %u", i, st.mps_mscount,
					      p->mscount0 + (uint32_t)p->makes);
			}
		}
		for (int k = 0; k < c->p[i].s_sonce; k++) {
			got = type_of(x->s, p->s_sonce[k], &kr);
			if (k < p->sonce_used)
				CHECK(o, kr == MP_KERN_INVALID_NAME, "port %d: used send-once name 0x%x still there", i,
				      p->s_sonce[k]);
			else
				CHECK(o, kr == MP_KERN_SUCCESS &&
						 got == (p->alive ? MP_PORT_TYPE_SEND_ONCE : MP_PORT_TYPE_DEAD_NAME),
				      "port %d: unused send-once 0x%x type 0x%x", i, p->s_sonce[k], got);
		}
	}
}

/* R's right to one payload port as it arrived in a descriptor. */
static void check_arrival(ctx_t *x, outcome_t *o, int port, uint32_t disp, mp_port_name_t got, const char *where)
{
	pstate_t *p;
	uint32_t carried = mp_msg_type_copyin(disp);
	mp_kr_t kr;
	if (port == CASE_NULL) {
		CHECK(o, got == MP_PORT_NULL, "%s: NULL arrived as 0x%x", where, got);
		return;
	}
	if (port == CASE_DEAD) {
		CHECK(o, got == MP_PORT_DEAD, "%s: DEAD arrived as 0x%x", where, got);
		return;
	}
	if (port == CASE_REPLY) {
		/* S's (provisional or ordinary) reply port: a right R did not hold */
		uint32_t t = type_of(x->r, got, &kr);
		CHECK(o, MP_PORT_VALID(got) && kr == MP_KERN_SUCCESS &&
				 t == (carried == MP_MSG_TYPE_PORT_SEND_ONCE ? MP_PORT_TYPE_SEND_ONCE : MP_PORT_TYPE_SEND),
		      "%s: a right to S's reply port arrived as 0x%x (type 0x%x)", where, got, t);
		return;
	}
	p = &x->p[port];
	if (!p->alive && !p->died_in_delivery) {
		CHECK(o, got == MP_PORT_DEAD, "%s: a right to dead port %d arrived as 0x%x", where, port, got);
		return;
	}
	if (carried == MP_MSG_TYPE_PORT_SEND_ONCE) {
		uint32_t t = type_of(x->r, got, &kr);
		CHECK(o, MP_PORT_VALID(got) && got != p->r_name && t == MP_PORT_TYPE_SEND_ONCE,
		      "%s: send-once right to port %d arrived as 0x%x (type 0x%x)", where, port, got, t);
		return;
	}
	if (p->r_name == 0)
		p->r_name = got; /* the first arrival names the port in R */
	CHECK(o, got == p->r_name, "%s: port %d arrived as 0x%x, expected one name 0x%x (coalescing)", where,
	      port, got, p->r_name);
}

static void check_receiver_ports(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	for (int i = 0; i < c->nports; i++) {
		pstate_t *p = &x->p[i];
		uint32_t want = 0, got;
		mp_kr_t kr;
		if (p->r_name == 0)
			continue;
		if (!p->alive) {
			if (p->r_send > 0 || p->died_in_delivery)
				continue; /* converted lazily; checked through S */
			continue;
		}
		if (p->r_recv)
			want |= MP_PORT_TYPE_RECEIVE;
		if (p->r_send > 0)
			want |= MP_PORT_TYPE_SEND;
		got = type_of(x->r, p->r_name, &kr);
		CHECK(o, kr == MP_KERN_SUCCESS && got == want, "port %d: R's name 0x%x type 0x%x, expected 0x%x", i,
		      p->r_name, got, want);
		if (p->r_send > 0)
			CHECK(o, refs_of(x->r, p->r_name, MP_PORT_RIGHT_SEND) == (uint32_t)p->r_send,
			      "port %d: R's send urefs %u, expected %d", i, refs_of(x->r, p->r_name, MP_PORT_RIGHT_SEND),
			      p->r_send);
		if (p->moved && p->r_recv) {
			mp_port_status_t st;
			CHECK(o, mp_port_get_status(x->r, p->r_name, &st) == MP_KERN_SUCCESS && st.mps_mscount == 0,
			      "port %d: a moved receive right keeps make-send count %u (§7.3: reset)", i, st.mps_mscount);
		}
	}
}

/* Name `j` of the port array an OOL-ports descriptor points to. */
static mp_port_name_t ool_port_name(const mp_desc_t *d, uint32_t j)
{
	return mp_load_le32((const uint8_t *)(uintptr_t)d->address + 4u * j);
}

/* A pseudo-received message has no trailer (§6.4 D): parse a copy with a
 * minimal one appended. The caller frees *tmp. */
static int parse_pseudo(const uint8_t *msg, uint32_t len, uint8_t **tmp, mp_msg_view_t *v)
{
	*tmp = malloc((size_t)len + MP_MSG_TRAILER_MINIMUM_SIZE);
	if (*tmp == NULL)
		return -1;
	memcpy(*tmp, msg, len);
	mp_store_le32(*tmp + len, MP_MSG_TRAILER_FORMAT_0);
	mp_store_le32(*tmp + len + offsetof(mp_msg_trailer_t, msgh_trailer_size), MP_MSG_TRAILER_MINIMUM_SIZE);
	if (len >= MP_MSG_HEADER_SIZE) {
		/* the pseudo form keeps remote = dest, local = reply (no swap):
		 * swap them so the header reads as a received one */
		uint32_t bits = mp_load_le32(*tmp + MP_MSGH_BITS_OFFSET);
		uint32_t remote = mp_load_le32(*tmp + MP_MSGH_REMOTE_OFFSET);
		uint32_t local = mp_load_le32(*tmp + MP_MSGH_LOCAL_OFFSET);
		bits = MP_MSGH_BITS_SET_PORTS(MP_MSGH_BITS_LOCAL(bits), MP_MSGH_BITS_REMOTE(bits),
					      MP_MSGH_BITS_VOUCHER(bits)) |
		       (bits & ~MP_MSGH_BITS_PORTS_MASK);
		mp_store_le32(*tmp + MP_MSGH_BITS_OFFSET, bits);
		mp_store_le32(*tmp + MP_MSGH_REMOTE_OFFSET, local);
		mp_store_le32(*tmp + MP_MSGH_LOCAL_OFFSET, remote);
	}
	return mp_parse_recv(v, *tmp, (size_t)len + MP_MSG_TRAILER_MINIMUM_SIZE, MP_MSG_TRAILER_MINIMUM_SIZE,
			     NULL) == MP_OK
		       ? 0
		       : -1;
}

/* After a pseudo-receive the rights are back in S under the names the
 * rewritten message shows (a name S no longer had is a new one): every
 * send or receive right of a port under one name, each send-once right
 * under its own, dead ports as MACH_PORT_DEAD. */
static void adopt_pseudo_names(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;
	mp_port_name_t first[CASE_MAX_PORTS] = { 0 };
	int k = 0;
	uint8_t *tmp = NULL;

	if (parse_pseudo(x->msg, x->msg_len, &tmp, &v) != 0) {
		mp_diag_t dg;
		if (tmp != NULL && mp_parse_recv(&v, tmp, (size_t)x->msg_len + MP_MSG_TRAILER_MINIMUM_SIZE,
						 MP_MSG_TRAILER_MINIMUM_SIZE, &dg) == MP_OK)
			snprintf(dg.reason, sizeof dg.reason, "parses with the swapped header");
		CHECK(o, 0, "the pseudo-received message does not parse: %s",
		      tmp != NULL ? dg.reason : "out of memory");
		free(tmp);
		return;
	}
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d) && k < c->ndesc) {
		const desc_spec_t *sp = &c->d[k++];
		int ports[CASE_MAX_ARRAY];
		mp_port_name_t names[CASE_MAX_ARRAY];
		uint32_t n = 0;
		if (sp->type == MP_MSG_PORT_DESCRIPTOR || sp->type == MP_MSG_GUARDED_PORT_DESCRIPTOR) {
			ports[0] = sp->port;
			names[0] = d.name;
			n = 1;
		} else if (sp->type == MP_MSG_OOL_PORTS_DESCRIPTOR && d.address) {
			for (n = 0; n < sp->count && n < d.length; n++) {
				ports[n] = sp->ports[n];
				names[n] = ool_port_name(&d, n);
			}
		}
		for (uint32_t j = 0; j < n; j++) {
			int i = ports[j];
			uint32_t carried = mp_msg_type_copyin(sp->disp);
			mp_kr_t kr;
			if (i < 0 || !x->p[i].alive) {
				CHECK(o, names[j] == (i == CASE_NULL ? MP_PORT_NULL : MP_PORT_DEAD),
				      "pseudo-receive: desc %d name 0x%x", k - 1, names[j]);
				continue;
			}
			if (carried == MP_MSG_TYPE_PORT_SEND_ONCE) {
				CHECK(o, type_of(x->s, names[j], &kr) == MP_PORT_TYPE_SEND_ONCE,
				      "pseudo-receive: send-once right 0x%x of port %d", names[j], i);
				continue;
			}
			if (first[i] == 0)
				first[i] = names[j];
			CHECK(o, names[j] == first[i], "pseudo-receive: port %d back as 0x%x and 0x%x", i, names[j],
			      first[i]);
		}
	}
	for (int i = 0; i < c->nports; i++)
		if (first[i] != 0)
			x->p[i].s_name = first[i];
	free(tmp);
}

/* The destination and reply rights of S after the case. */
static void check_dest(ctx_t *x, outcome_t *o, fate_t fate, int header_consumed)
{
	const case_spec_t *c = x->c;
	mp_kr_t kr;
	uint32_t t;
	int urefs = c->dest_s_urefs;

	if (c->cat == CAT_CIRCULAR)
		return;
	if (fate == PSEUDO) {
		/* the destination right came back in msgh_remote_port (§6.4 D) */
		x->dest_s = mp_load_le32(x->msg + MP_MSGH_REMOTE_OFFSET);
	}
	t = type_of(x->s, x->dest_s, &kr);
	if (c->dest_disp == MP_MSG_TYPE_MOVE_SEND_ONCE) {
		if (fate == PSEUDO || !header_consumed)
			CHECK(o, kr == MP_KERN_SUCCESS || fate == PSEUDO, "dest send-once right gone");
		else
			CHECK(o, kr == MP_KERN_INVALID_NAME, "dest send-once right still there (type 0x%x)", t);
		return;
	}
	if (header_consumed && c->dest_disp == MP_MSG_TYPE_MOVE_SEND && fate != PSEUDO)
		urefs--;
	if (fate == PSEUDO && c->dest_disp == MP_MSG_TYPE_COPY_SEND)
		urefs++; /* §10.12 */
	if (urefs == 0) {
		CHECK(o, kr == MP_KERN_INVALID_NAME, "dest: S's last uref was moved, name 0x%x still there", x->dest_s);
		return;
	}
	CHECK(o, kr == MP_KERN_SUCCESS && (t & (MP_PORT_TYPE_SEND | MP_PORT_TYPE_DEAD_NAME)),
	      "dest: S's right 0x%x type 0x%x", x->dest_s, t);
	CHECK(o, refs_of(x->s, x->dest_s, (t & MP_PORT_TYPE_DEAD_NAME) ? MP_PORT_RIGHT_DEAD_NAME : MP_PORT_RIGHT_SEND) ==
			 (uint32_t)urefs,
	      "dest: S's urefs %u, expected %d", refs_of(x->s, x->dest_s, MP_PORT_RIGHT_SEND), urefs);
}

/* ---- the received message ----------------------------------------------- */

static void check_delivery(ctx_t *x, outcome_t *o, uint32_t options, mp_kr_t rkr)
{
	const case_spec_t *c = x->c;
	const uint8_t *b = x->rbuf;
	mp_msg_view_t v;
	mp_diag_t diag;
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t tsize = mp_rcv_trailer_size(options);
	int k = 0;
	mp_kr_t kr;

	CHECK(o, rkr == MP_MACH_MSG_SUCCESS, "receive: %s", mp_mach_msg_return_name(rkr));
	if (rkr != MP_MACH_MSG_SUCCESS)
		return;
	if (mp_parse_recv(&v, b, x->rbuf_len, tsize, &diag) != MP_OK) {
		CHECK(o, 0, "the recv parser rejects what arrived: %s at %u: %s", mp_err_name(diag.err),
		      (unsigned)diag.offset, diag.reason);
		return;
	}
	/* §6.7: the swap */
	CHECK(o, MP_MSGH_BITS_LOCAL(v.bits) == mp_msg_type_copyin(c->dest_disp), "LOCAL bits %u",
	      MP_MSGH_BITS_LOCAL(v.bits));
	CHECK(o, v.local == x->dest_r, "msgh_local_port 0x%x, expected R's name 0x%x", v.local, x->dest_r);
	CHECK(o, MP_MSGH_BITS_REMOTE(v.bits) == mp_msg_type_copyin(c->reply_disp), "REMOTE bits %u, expected %u",
	      MP_MSGH_BITS_REMOTE(v.bits), mp_msg_type_copyin(c->reply_disp));
	CHECK(o, (uint32_t)v.id == x->id, "msgh_id %d", v.id);
	CHECK(o, v.msgh_size == x->msg_len, "msgh_size %u, sent %u", v.msgh_size, x->msg_len);
	if (c->reply_disp) {
		uint32_t t = type_of(x->r, v.remote, &kr);
		CHECK(o, kr == MP_KERN_SUCCESS && t == (c->reply_disp == MP_MSG_TYPE_MAKE_SEND_ONCE
								? MP_PORT_TYPE_SEND_ONCE
								: MP_PORT_TYPE_SEND),
		      "reply right 0x%x type 0x%x", v.remote, t);
	} else {
		CHECK(o, v.remote == MP_PORT_NULL, "msgh_remote_port 0x%x without a reply", v.remote);
	}
	/* inline bytes */
	{
		size_t ilen;
		const uint8_t *in = mp_view_inline(&v, &ilen);
		int same = ilen == c->inline_len;
		for (size_t i = 0; same && i < ilen; i++)
			same = in[i] == (uint8_t)(i * 13 + c->index);
		CHECK(o, same, "inline data differs (%zu bytes, sent %u)", ilen, c->inline_len);
	}
	/* descriptors */
	CHECK(o, v.desc_count == (uint32_t)c->ndesc, "descriptor count %u", v.desc_count);
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d) && k < c->ndesc) {
		const desc_spec_t *s = &c->d[k];
		char where[32];
		snprintf(where, sizeof where, "desc %d", k);
		CHECK(o, d.type == s->type, "%s: type %u, sent %u", where, d.type, s->type);
		switch (s->type) {
		case MP_MSG_PORT_DESCRIPTOR:
			CHECK(o, d.disposition == mp_msg_type_copyin(s->disp), "%s: disposition %u", where, d.disposition);
			check_arrival(x, o, s->port, s->disp, d.name, where);
			break;
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			if (c->guarded_desc_opt) {
				CHECK(o, d.disposition == MP_MSG_TYPE_PORT_RECEIVE, "%s: disposition %u", where,
				      d.disposition);
				check_arrival(x, o, s->port, s->disp, d.name, where);
				if (s->flags & MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE) {
					mp_port_status_t st;
					CHECK(o, d.context == mp_addr(b), "%s: context 0x%llx, expected the buffer", where,
					      (unsigned long long)d.context);
					CHECK(o, d.flags == (s->flags & ~MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND), "%s: flags %u",
					      where, d.flags);
					CHECK(o, mp_port_get_status(x->r, d.name, &st) == MP_KERN_SUCCESS &&
							 (st.mps_flags & MP_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE),
					      "%s: the port is not immovable", where);
				} else {
					CHECK(o, d.flags == s->flags, "%s: flags %u", where, d.flags);
				}
			} else {
				/* §6.9, §10.5: destroyed in delivery */
				CHECK(o, d.name == 0 && d.context == 0, "%s: name 0x%x context 0x%llx without the option",
				      where, d.name, (unsigned long long)d.context);
				CHECK(o, d.flags == (s->flags | MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND), "%s: flags %u", where,
				      d.flags);
			}
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR: {
			CHECK(o, d.length == s->count, "%s: count %u", where, d.length);
			CHECK(o, d.deallocate && d.copy == MP_MSG_VIRTUAL_COPY, "%s: deallocate %u copy %u (§6.9)",
			      where, d.deallocate, d.copy);
			CHECK(o, d.disposition == mp_msg_type_copyin(s->disp), "%s: disposition %u", where, d.disposition);
			CHECK(o, (s->count == 0) == (d.address == 0), "%s: address 0x%llx for %u names", where,
			      (unsigned long long)d.address, s->count);
			for (uint32_t j = 0; d.address != 0 && j < s->count && j < d.length; j++)
				check_arrival(x, o, s->ports[j], s->disp, ool_port_name(&d, j), where);
			break;
		}
		default: {
			const uint8_t *got = (const uint8_t *)(uintptr_t)d.address;
			int same = 1;
			CHECK(o, d.length == s->size, "%s: size %u, sent %u", where, d.length, s->size);
			CHECK(o, d.copy == s->copy, "%s: copy %u, sent %u", where, d.copy, s->copy);
			CHECK(o, d.deallocate == (s->copy == MP_MSG_VIRTUAL_COPY), "%s: deallocate %u (§6.9)", where,
			      d.deallocate);
			CHECK(o, (s->size == 0) == (d.address == 0), "%s: address 0x%llx for size %u", where,
			      (unsigned long long)d.address, s->size);
			if (s->size && d.address) {
				uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE);
				if (!s->dealloc) /* a deallocated source's pages may be reused */
					CHECK(o, d.address != x->ool_addr[k], "%s: the receiver got the sender's memory",
					      where);
				if (s->copy == MP_MSG_VIRTUAL_COPY)
					CHECK(o, d.address % ps == x->ool_addr[k] % ps, "%s: page offset not kept", where);
				for (uint32_t i = 0; same && i < s->size; i++)
					same = got[i] == (uint8_t)((i + s->offset) * 7 + (uint32_t)k + c->index);
				CHECK(o, same, "%s: OOL contents differ", where);
			}
			break;
		}
		}
		k++;
	}
	/* §4.4 the trailer */
	CHECK(o, v.has_trailer && v.trailer.type == 0 && v.trailer.size == tsize, "trailer type %u size %u (want %u)",
	      v.trailer.type, v.trailer.size, tsize);
	if (tsize >= MP_MSG_TRAILER_SEQNO_SIZE)
		CHECK(o, v.trailer.seqno == (uint32_t)c->warmups, "seqno %u, expected %d", v.trailer.seqno, c->warmups);
	if (tsize >= MP_MSG_TRAILER_FORMAT_0_SIZE)
		CHECK(o, v.trailer.sender.val[0] == (uint32_t)geteuid() && v.trailer.sender.val[1] == (uint32_t)getegid(),
		      "security token {%u, %u}", v.trailer.sender.val[0], v.trailer.sender.val[1]);
	if (tsize >= MP_MSG_TRAILER_AUDIT_SIZE)
		CHECK(o, v.trailer.audit.val[5] == mp_task_pid(x->s), "audit token pid %u, the sender is %u",
		      v.trailer.audit.val[5], mp_task_pid(x->s));
	if (tsize >= MP_MSG_TRAILER_CONTEXT_SIZE)
		CHECK(o, v.trailer.context == c->dest_context, "trailer context 0x%llx",
		      (unsigned long long)v.trailer.context);
	{
		size_t end = v.msgh_size + tsize;
		int canary = 1;
		for (size_t i = end; i < end + 16 && i < x->rbuf_len; i++)
			canary &= b[i] == 0xff;
		CHECK(o, canary, "bytes after the trailer were written");
	}
}

/* Names numbered by first appearance, for record_message. */
typedef struct name_syms {
	mp_port_name_t seen[64];
	int n;
} name_syms_t;

/* The symbol of `name`: -1 for MACH_PORT_NULL, -2 for another invalid
 * name (MACH_PORT_DEAD), else its index of first appearance (-1 once 64
 * names are seen). */
static int name_sym(name_syms_t *s, mp_port_name_t name)
{
	if (!MP_PORT_VALID(name))
		return name == 0 ? -1 : -2;
	for (int q = 0; q < s->n; q++)
		if (s->seen[q] == name)
			return q;
	if (s->n >= 64)
		return -1;
	s->seen[s->n] = name;
	return s->n++;
}

/* The received form, normalised for --diff: names by first appearance,
 * addresses and the audit/context values that differ between runs out. */
static void record_message(ctx_t *x, outcome_t *o, const uint8_t *b, size_t len, uint32_t tsize)
{
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;
	name_syms_t syms = { .n = 0 };
	int remote_sym, local_sym;
	uint8_t *tmp = NULL;
	(void)x;
	if (tsize ? mp_parse_recv(&v, b, len, tsize, NULL) != MP_OK
		  : parse_pseudo(b, (uint32_t)len, &tmp, &v) != 0) {
		rec(o, "received: unparseable\n");
		free(tmp);
		return;
	}
	/* numbered in this order: remote first (arguments have no order) */
	remote_sym = name_sym(&syms, v.remote);
	local_sym = name_sym(&syms, v.local);
	rec(o, "received: bits 0x%x size %u remote n%d local n%d id %d descs %u inline %u\n", v.bits, v.msgh_size,
	    remote_sym, local_sym, v.id, v.desc_count, v.inline_len);
	mp_desc_iter_init(&it, &v);
	while (mp_desc_next(&it, &d)) {
		rec(o, "  desc %s disp %u name n%d len %u copy %u dealloc %u flags %u addr %s\n", mp_desc_type_name(d.type),
		    d.disposition, name_sym(&syms, d.name), d.length, d.copy, d.deallocate, d.flags, d.address ? "set" : "0");
		if (d.type == MP_MSG_OOL_PORTS_DESCRIPTOR && d.address)
			for (uint32_t j = 0; j < d.length; j++)
				rec(o, "    [%u] n%d\n", j, name_sym(&syms, ool_port_name(&d, j)));
	}
	if (v.has_trailer && tsize)
		rec(o, "  trailer type %u size %u seqno %u\n", v.trailer.type, v.trailer.size, v.trailer.seqno);
	free(tmp);
}

static void record_rights(ctx_t *x, outcome_t *o)
{
	for (int i = 0; i < x->c->nports; i++) {
		pstate_t *p = &x->p[i];
		mp_kr_t kr;
		uint32_t st = p->s_name ? type_of(x->s, p->s_name, &kr) : 0;
		uint32_t rt = p->r_name ? type_of(x->r, p->r_name, &kr) : 0;
		rec(o, "port %d: S type 0x%x send %u dead %u | R type 0x%x send %u\n", i, st,
		    p->s_name ? refs_of(x->s, p->s_name, MP_PORT_RIGHT_SEND) : 0,
		    p->s_name ? refs_of(x->s, p->s_name, MP_PORT_RIGHT_DEAD_NAME) : 0, rt,
		    p->r_name ? refs_of(x->r, p->r_name, MP_PORT_RIGHT_SEND) : 0);
	}
}

/* Frees the OOL memory a received or pseudo-received message holds that
 * mp_msg_destroy does not (deallocate 0), then destroys it. */
static void release(mp_task_t *t, uint8_t *buf, size_t len, uint32_t tsize)
{
	mp_msg_view_t v;
	mp_desc_iter_t it;
	mp_desc_t d;
	uint8_t *tmp = NULL;
	int ok = tsize ? mp_parse_recv(&v, buf, len, tsize, NULL) == MP_OK
		       : parse_pseudo(buf, (uint32_t)len, &tmp, &v) == 0;
	if (ok) {
		mp_desc_iter_init(&it, &v);
		while (mp_desc_next(&it, &d))
			if ((d.type == MP_MSG_OOL_DESCRIPTOR || d.type == MP_MSG_OOL_VOLATILE_DESCRIPTOR) && !d.deallocate &&
			    d.address)
				(void)mp_vm_deallocate(t, d.address, d.length);
	}
	free(tmp);
	mp_msg_destroy(t, buf, len);
}

#define t_bits(m) mp_load_le32((m) + MP_MSGH_BITS_OFFSET)
#define t_local(m) mp_load_le32((m) + MP_MSGH_LOCAL_OFFSET)
#define t_id(m) mp_load_le32((m) + MP_MSGH_ID_OFFSET)

static void write_report(void *ctx, const char *data, size_t len)
{
	report(ctx, "%.*s", (int)len, data);
}

/* mpdump of the bytes sent and received, for a failure report. */
static void dump_both(ctx_t *x, outcome_t *o, uint32_t tsize)
{
	mp_msg_view_t v;
	mp_diag_t d;
	if (x->msg == NULL)
		return;
	report(o, "  sent (as built):\n");
	if (mp_parse_send(&v, x->msg, x->msg_len, &d) == MP_OK)
		mp_dump_text(&v, write_report, o);
	else
		report(o, "    (not a valid send: %s)\n", d.reason);
	if (x->rbuf == NULL)
		return;
	report(o, "  received buffer:\n");
	if (mp_parse_recv(&v, x->rbuf, x->rbuf_len, tsize, &d) == MP_OK)
		mp_dump_text(&v, write_report, o);
	else
		report(o, "    (%s at %u: %s)\n", mp_err_name(d.err), (unsigned)d.offset, d.reason);
}

/* ---- one case ----------------------------------------------------------- */

static void warmup(ctx_t *x, outcome_t *o, int n)
{
	uint8_t m[64];
	for (int i = 0; i < n; i++) {
		mp_builder_t b;
		size_t len = 0;
		mp_builder_init(&b, m, sizeof m, 0);
		mp_builder_set_remote(&b, x->dest_r, MP_MSG_TYPE_MAKE_SEND);
		mp_builder_set_id(&b, 7);
		CHECK(o, mp_builder_finish(&b, &len, NULL) == MP_OK &&
				 mp_msg_send(x->r, m, (uint32_t)len, MP_MACH_SEND_TIMEOUT, 0) == MP_MACH_MSG_SUCCESS,
		      "warm-up message %d not sent", i);
	}
}

static void drain(mp_task_t *t, mp_port_name_t port, int n)
{
	uint8_t m[256];
	for (int i = 0; i < n; i++)
		if (mp_mach_msg(t, m, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof m, port, 0) == MP_MACH_MSG_SUCCESS)
			mp_msg_destroy(t, m, sizeof m);
}

/*
 * CAT_REPLY_PORT: the sends XNU refuses. ipc_right_copyin_check_reply: a
 * real reply port (MPO_REPLY_PORT in a hardened S) as reply only with
 * MAKE_SEND_ONCE, and an ENFORCE_REPLY_PORT_SEMANTICS destination demands a
 * (real or provisional) reply port: MACH_SEND_INVALID_REPLY, class A.
 * ipc_right_copyin: a real reply port in a descriptor:
 * MACH_SEND_INVALID_RIGHT, class C (the header's reply right, made, is
 * destroyed: a send-once notification to the reply port). Returns 1 if the
 * case is one of these (checked here), 0 if the send must succeed.
 */
static int reply_port_refused(ctx_t *x, outcome_t *o, mp_kr_t skr)
{
	const case_spec_t *c = x->c;
	int real = c->hardened && c->reply_mpo == MP_MPO_REPLY_PORT;
	int header = c->reply_disp != 0 && ((real && c->reply_disp != MP_MSG_TYPE_MAKE_SEND_ONCE) ||
					    (c->dest_enforce && c->reply_mpo == 0));
	int with_send = c->reply_disp == MP_MSG_TYPE_COPY_SEND || c->reply_disp == MP_MSG_TYPE_MOVE_SEND;
	mp_kr_t kr;
	uint32_t t;

	if (header) {
		CHECK(o, skr == MP_MACH_SEND_INVALID_REPLY, "send: %s, expected MACH_SEND_INVALID_REPLY (class A)",
		      mp_mach_msg_return_name(skr));
		check_dest(x, o, DESTROY, 0);
	} else if (real && c->reply_desc) {
		CHECK(o, skr == MP_MACH_SEND_INVALID_RIGHT, "send: %s, expected MACH_SEND_INVALID_RIGHT (class C)",
		      mp_mach_msg_return_name(skr));
		apply_range(x, 0, c->ndesc - 1, DESTROY);
		check_dest(x, o, DESTROY, 1);
		if (c->reply_disp == MP_MSG_TYPE_MAKE_SEND_ONCE) {
			uint8_t m[64];
			kr = mp_mach_msg(x->s, m, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof m, x->reply, 0);
			CHECK(o, kr == MP_MACH_MSG_SUCCESS && t_id(m) == MP_MACH_NOTIFY_SEND_ONCE,
			      "the destroyed reply right: %s, id %u (expected a send-once notification)",
			      mp_mach_msg_return_name(kr), kr == MP_MACH_MSG_SUCCESS ? t_id(m) : 0);
		}
	} else {
		return 0;
	}
	check_sender(x, o, 0);
	/* the reply port is as it was: nothing made, moved or consumed */
	t = type_of(x->s, x->reply, &kr);
	CHECK(o, kr == MP_KERN_SUCCESS && t == (with_send ? MP_PORT_TYPE_SEND_RECEIVE : MP_PORT_TYPE_RECEIVE),
	      "reply port: type 0x%x (%s)", t, mp_mach_msg_return_name(kr));
	if (with_send)
		CHECK(o, refs_of(x->s, x->reply, MP_PORT_RIGHT_SEND) == 1, "reply port: send urefs %u",
		      refs_of(x->s, x->reply, MP_PORT_RIGHT_SEND));
	{
		mp_port_status_t st;
		memset(&st, 0, sizeof st);
		CHECK(o, mp_port_get_status(x->s, x->reply, &st) == MP_KERN_SUCCESS &&
				 st.mps_mscount == (with_send ? 1u : 0u) && st.mps_sorights == 0,
		      "reply port: make-send count %u, send-once rights %u", st.mps_mscount, st.mps_sorights);
	}
	return 1;
}

/* What the backend's kernel held before the first case. */
static mp_kernel_report_t kernel_bases[4];

int case_baseline(mp_backend_t backend, char *why, size_t len)
{
	if ((unsigned)backend >= 4 || mp_backend_check(backend, &kernel_bases[backend]) != 0) {
		snprintf(why, len, "%s", (unsigned)backend < 4 ? kernel_bases[backend].why : "unknown backend");
		return -1;
	}
	return 0;
}

static void notify_case(ctx_t *x, outcome_t *o);

int case_execute(const case_spec_t *c, mp_backend_t backend, outcome_t *o)
{
	ctx_t x;
	mp_kr_t skr, rkr;
	uint32_t options = MP_RCV_TRAILER_ELEMENTS(c->trailer_elems) | (c->guarded_desc_opt ? MP_MACH_RCV_GUARDED_DESC : 0);
	uint32_t tsize = mp_rcv_trailer_size(options);
	int rc;

	memset(&x, 0, sizeof x);
	x.c = c;
	x.backend = backend;
	if (backend != MP_BACKEND_KERN && backend != MP_BACKEND_MACHPORTD) {
		report(o, "  backend not available here\n");
		o->failures++;
		return -1;
	}
	if (c->cat == CAT_PORT_DESTROYED || c->cat == CAT_SEND_POSSIBLE) {
		notify_case(&x, o);
		goto out;
	}
	if (setup(&x, o) != 0 || build(&x, o) != 0) {
		o->failures++;
		goto out;
	}
	x.rbuf_len = x.msg_len + MP_MAX_TRAILER_SIZE + 64;
	x.rbuf = malloc(x.rbuf_len);
	if (x.rbuf == NULL) {
		o->failures++;
		goto out;
	}
	memset(x.rbuf, 0xff, x.rbuf_len);

	warmup(&x, o, c->cat == CAT_FULL_QUEUE ? 1 : c->warmups);
	if (c->cat == CAT_DEAD_DEST) /* its queued warm-ups die with it */
		CHECK(o, mp_port_destruct(x.r, x.dest_r, 0, 0) == MP_KERN_SUCCESS, "destroying the destination");

	skr = mp_msg_send(x.s, x.msg, x.msg_len, MP_MACH_SEND_TIMEOUT, c->cat == CAT_FULL_QUEUE ? 0 : 5000);
	rec(o, "send: %s\n", mp_mach_msg_return_name(skr));

	switch (c->cat) {
	case CAT_SEND_FAIL:
		if (c->fail_at < 0) {
			CHECK(o, skr == MP_MACH_SEND_INVALID_REPLY, "send: %s, expected MACH_SEND_INVALID_REPLY (class A)",
			      mp_mach_msg_return_name(skr));
			check_dest(&x, o, DESTROY, 0);
		} else {
			CHECK(o, skr == MP_MACH_SEND_INVALID_RIGHT, "send: %s, expected MACH_SEND_INVALID_RIGHT (class C)",
			      mp_mach_msg_return_name(skr));
			apply_range(&x, 0, c->fail_at, DESTROY); /* copied in, then destroyed */
			check_dest(&x, o, DESTROY, 1);
		}
		check_sender(&x, o, 0);
		break;
	case CAT_DEAD_DEST:
		if (c->dest_disp == MP_MSG_TYPE_MOVE_SEND_ONCE) {
			/* a dead send-once destination: accepted, destroyed (§6.2) */
			CHECK(o, skr == MP_MACH_MSG_SUCCESS, "send: %s, expected silent success", mp_mach_msg_return_name(skr));
			apply_range(&x, 0, c->ndesc, DESTROY);
			check_dest(&x, o, DESTROY, 1);
		} else {
			CHECK(o, skr == MP_MACH_SEND_INVALID_DEST, "send: %s, expected MACH_SEND_INVALID_DEST",
			      mp_mach_msg_return_name(skr));
			CHECK(o, type_of(x.s, x.dest_s, &rkr) == MP_PORT_TYPE_DEAD_NAME, "dest: not a dead name after");
		}
		check_sender(&x, o, 0);
		break;
	case CAT_CIRCULAR:
		CHECK(o, skr == MP_MACH_MSG_SUCCESS, "send: %s, expected silent success (CIRCULAR)",
		      mp_mach_msg_return_name(skr));
		x.p[0].makes++; /* the destination's MAKE_SEND */
		apply_range(&x, 0, c->ndesc, DESTROY);
		check_sender(&x, o, 0);
		break;
	case CAT_FULL_QUEUE:
		CHECK(o, (skr & ~MP_MACH_MSG_MASK) == MP_MACH_SEND_TIMED_OUT, "send: %s, expected MACH_SEND_TIMED_OUT",
		      mp_mach_msg_return_name(skr));
		apply_range(&x, 0, c->ndesc, PSEUDO);
		adopt_pseudo_names(&x, o);
		check_dest(&x, o, PSEUDO, 1);
		check_sender(&x, o, 1);
		record_message(&x, o, x.msg, x.msg_len, 0);
		release(x.s, x.msg, x.msg_len, 0);
		break;
	case CAT_TOO_LARGE: {
		uint8_t small[40];
		memset(small, 0xee, sizeof small);
		CHECK(o, skr == MP_MACH_MSG_SUCCESS, "send: %s", mp_mach_msg_return_name(skr));
		drain(x.r, x.dest_r, c->warmups);
		rkr = mp_mach_msg(x.r, small, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | options |
						      (c->large_opt ? MP_MACH_RCV_LARGE : 0),
				  0, sizeof small, x.dest_r, 0);
		CHECK(o, rkr == MP_MACH_RCV_TOO_LARGE, "receive into 40 bytes: %s", mp_mach_msg_return_name(rkr));
		if (c->large_opt) {
			uint32_t sz = mp_load_le32(small + MP_MSGH_SIZE_OFFSET);
			CHECK(o, sz == x.msg_len, "MACH_RCV_LARGE: msgh_size %u, expected %u", sz, x.msg_len);
			rkr = mp_mach_msg(x.r, x.rbuf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | options, 0,
					  (uint32_t)(x.rbuf_len - 64), x.dest_r, 0);
			apply_range(&x, 0, c->ndesc, DELIVER);
			check_delivery(&x, o, options, rkr);
			check_dest(&x, o, DELIVER, 1);
			check_sender(&x, o, 0);
			check_receiver_ports(&x, o);
			record_message(&x, o, x.rbuf, x.rbuf_len, tsize);
			release(x.r, x.rbuf, x.rbuf_len, tsize);
		} else {
			uint32_t sz = mp_load_le32(small + MP_MSGH_SIZE_OFFSET);
			CHECK(o, sz == MP_MSG_HEADER_SIZE, "too large: minimal header size %u", sz);
			apply_range(&x, 0, c->ndesc, DESTROY);
			check_dest(&x, o, DESTROY, 1);
			check_sender(&x, o, 0);
		}
		break;
	}
	case CAT_REPLY_PORT:
		/* a send that succeeds is checked as any other */
		if (reply_port_refused(&x, o, skr))
			break;
		/* fall through */
	default:
		CHECK(o, skr == MP_MACH_MSG_SUCCESS, "send: %s", mp_mach_msg_return_name(skr));
		if (skr != MP_MACH_MSG_SUCCESS)
			break;
		drain(x.r, x.dest_r, c->warmups);
		rkr = mp_mach_msg(x.r, x.rbuf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT | options, 0,
				  (uint32_t)(x.rbuf_len - 64), x.dest_r, 0);
		rec(o, "receive: %s\n", mp_mach_msg_return_name(rkr));
		apply_range(&x, 0, c->ndesc, DELIVER);
		check_delivery(&x, o, options, rkr);
		check_dest(&x, o, DELIVER, 1);
		check_sender(&x, o, 0);
		check_receiver_ports(&x, o);
		record_message(&x, o, x.rbuf, x.rbuf_len, tsize);
		if (rkr == MP_MACH_MSG_SUCCESS && c->reply_back && c->reply_disp) {
			/* the reply goes back through the right that arrived (§6.7) */
			uint8_t m[64];
			mp_builder_t b;
			size_t len = 0;
			mp_port_name_t rr = mp_load_le32(x.rbuf + MP_MSGH_REMOTE_OFFSET);
			mp_builder_init(&b, m, sizeof m, 0);
			mp_builder_set_remote(&b, rr, c->reply_disp == MP_MSG_TYPE_MAKE_SEND_ONCE ? MP_MSG_TYPE_MOVE_SEND_ONCE
												 : MP_MSG_TYPE_MOVE_SEND);
			mp_builder_set_id(&b, (int32_t)x.id + 1);
			if (mp_builder_finish(&b, &len, NULL) == MP_OK) {
				mp_kr_t k2 = mp_msg_send(x.r, m, (uint32_t)len, MP_MACH_SEND_TIMEOUT, 0);
				CHECK(o, k2 == MP_MACH_MSG_SUCCESS, "reply send: %s", mp_mach_msg_return_name(k2));
				mp_store_le32(x.rbuf + MP_MSGH_REMOTE_OFFSET, MP_PORT_NULL); /* moved: not the message's any more */
				memset(m, 0, sizeof m);
				k2 = mp_mach_msg(x.s, m, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof m, x.reply, 0);
				CHECK(o, k2 == MP_MACH_MSG_SUCCESS, "reply receive: %s", mp_mach_msg_return_name(k2));
				CHECK(o, t_id(m) == x.id + 1, "reply id %u", t_id(m));
				CHECK(o, MP_MSGH_BITS_LOCAL(t_bits(m)) == mp_msg_type_copyin(c->reply_disp) && t_local(m) == x.reply,
				      "reply: LOCAL bits %u local 0x%x", MP_MSGH_BITS_LOCAL(t_bits(m)), t_local(m));
				rec(o, "reply: %s\n", mp_mach_msg_return_name(k2));
			}
		}
		if (o->failures)
			dump_both(&x, o, tsize);
		release(x.r, x.rbuf, x.rbuf_len, tsize);
		x.rbuf_len = 0;
		break;
	}
	record_rights(&x, o);
	if (o->failures && x.rbuf_len)
		dump_both(&x, o, tsize);

out:
	for (int k = 0; k < CASE_MAX_DESC; k++)
		free(x.ool_src[k]);
	free(x.msg);
	free(x.rbuf);
	if (x.s)
		mp_task_close(x.s);
	if (x.r)
		mp_task_close(x.r);
	/* the kernel after the case: invariants, and nothing left over (over
	 * what it held before the first case: a shared daemon may serve others) */
	{
		mp_kernel_report_t k;
		const mp_kernel_report_t kernel_base = kernel_bases[backend & 3];
		if (mp_backend_check(backend, &k) != 0) {
			CHECK(o, 0, "no kernel to check: %s", k.why);
		} else {
			CHECK(o, k.ok, "kernel invariant: %s", k.why);
			CHECK(o, k.ports == kernel_base.ports && k.psets == kernel_base.psets && k.kmsgs == kernel_base.kmsgs &&
				      k.vm_regions == kernel_base.vm_regions,
			      "leak after the case: %u ports, %u sets, %u messages, %u regions (%u, %u, %u, %u before)",
			      k.ports, k.psets, k.kmsgs, k.vm_regions, kernel_base.ports, kernel_base.psets,
			      kernel_base.kmsgs, kernel_base.vm_regions);
		}
	}
	rc = o->failures ? -1 : 0;
	return rc;
}

/* ---- the notification categories ------------------------------------------
 * No message body: a port P, a request on it, the event that fires it (or
 * not), the notification received and checked byte by byte, and both
 * tasks' rights to P against the model. S makes the port-destroyed request
 * on its own receive right; for send-possible, S holds a send or send-once
 * right to R's port. */

/* A simple message to `dest` with `disp`, sent by `t` (`option` added). */
static mp_kr_t send_simple(mp_task_t *t, mp_port_name_t dest, uint32_t disp, uint32_t option)
{
	uint8_t m[64];
	mp_builder_t b;
	size_t len = 0;
	mp_kr_t kr;

	mp_builder_init(&b, m, sizeof m, 0);
	mp_builder_set_remote(&b, dest, disp);
	mp_builder_set_id(&b, 7);
	if (mp_builder_finish(&b, &len, NULL) != MP_OK)
		return MP_MACH_SEND_INVALID_DATA;
	kr = mp_mach_msg(t, m, MP_MACH_SEND_MSG | MP_MACH_SEND_TIMEOUT | option, (uint32_t)len, 0, 0, 0);
	if ((kr & ~MP_MACH_MSG_MASK) == MP_MACH_SEND_TIMED_OUT)
		mp_msg_destroy(t, m, len); /* pseudo-received: its rights are ours (§6.4 D) */
	return kr;
}

/* The next notification on `n` (waiting up to `wait_ms`): its header as a
 * kernel message to a send-once right (ipc_notify.c), its id and size.
 * Returns 0 and leaves the bytes in `buf` (256 bytes), or -1. */
static int recv_notification(outcome_t *o, mp_task_t *t, mp_port_name_t n, int32_t id, uint32_t size,
			     uint8_t *buf, uint32_t wait_ms)
{
	uint32_t bits = size == 40 ? MP_MSGH_BITS_COMPLEX | 0x1200u : 0x1200u;
	mp_kr_t kr = mp_mach_msg(t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, 256, n, wait_ms);

	CHECK(o, kr == MP_MACH_MSG_SUCCESS, "notification %d: receive %s", id, mp_mach_msg_return_name(kr));
	if (kr != MP_MACH_MSG_SUCCESS)
		return -1;
	rec(o, "notification %d size %u\n", t_id(buf), mp_load_le32(buf + MP_MSGH_SIZE_OFFSET));
	CHECK(o, t_id(buf) == (uint32_t)id, "notification id %u, expected %d", t_id(buf), id);
	CHECK(o, mp_load_le32(buf + MP_MSGH_SIZE_OFFSET) == size, "notification %d: size %u, expected %u", id,
	      mp_load_le32(buf + MP_MSGH_SIZE_OFFSET), size);
	CHECK(o, t_bits(buf) == bits, "notification %d: bits 0x%x, expected 0x%x", id, t_bits(buf), bits);
	CHECK(o, t_local(buf) == n && mp_load_le32(buf + MP_MSGH_REMOTE_OFFSET) == 0 &&
			 mp_load_le32(buf + MP_MSGH_VOUCHER_OFFSET) == 0,
	      "notification %d: local 0x%x (N 0x%x), remote 0x%x, voucher 0x%x", id, t_local(buf), n,
	      mp_load_le32(buf + MP_MSGH_REMOTE_OFFSET), mp_load_le32(buf + MP_MSGH_VOUCHER_OFFSET));
	return t_id(buf) == (uint32_t)id ? 0 : -1;
}

/* A 36-byte notification (SEND_POSSIBLE, DEAD_NAME, PORT_DELETED): the NDR
 * record and the name at 32 (mach/notify.defs). */
static void expect_name_notification(outcome_t *o, mp_task_t *t, mp_port_name_t n, int32_t id,
				     mp_port_name_t name)
{
	static const uint8_t ndr[8] = MP_NDR_RECORD_INIT;
	uint8_t buf[256];

	if (recv_notification(o, t, n, id, 36, buf, 0) != 0)
		return;
	CHECK(o, memcmp(buf + MP_MSG_HEADER_SIZE, ndr, sizeof ndr) == 0, "notification %d: NDR record", id);
	CHECK(o, mp_load_le32(buf + 32) == name, "notification %d names 0x%x, expected 0x%x", id,
	      mp_load_le32(buf + 32), name);
}

/* Nothing (more) on `n`. */
static void expect_no_notification(outcome_t *o, mp_task_t *t, mp_port_name_t n)
{
	uint8_t buf[256];
	mp_kr_t kr = mp_mach_msg(t, buf, MP_MACH_RCV_MSG | MP_MACH_RCV_TIMEOUT, 0, sizeof buf, n, 0);

	CHECK(o, kr == MP_MACH_RCV_TIMED_OUT, "unexpected notification: %s, id %d", mp_mach_msg_return_name(kr),
	      kr == MP_MACH_MSG_SUCCESS ? (int)t_id(buf) : -1);
	if (kr == MP_MACH_MSG_SUCCESS)
		mp_msg_destroy(t, buf, sizeof buf);
}

static void expect_right(outcome_t *o, mp_task_t *t, const char *who, mp_port_name_t n, uint32_t type,
			 uint32_t right, uint32_t refs)
{
	mp_port_type_t got = 0;
	mp_kr_t kr = mp_port_type(t, n, &got); /* with the request bits */

	rec(o, "%s: type 0x%x\n", who, got);
	CHECK(o, kr == MP_KERN_SUCCESS && got == type, "%s 0x%x: type 0x%x (%s), expected 0x%x", who, n, got,
	      mp_mach_msg_return_name(kr), type);
	if (kr == MP_KERN_SUCCESS && refs != 0)
		CHECK(o, refs_of(t, n, right) == refs, "%s 0x%x: %u refs, expected %u", who, n,
		      refs_of(t, n, right), refs);
}

/* The port-destroyed notification (notify.defs, 64-bit): 40 bytes, one port
 * descriptor carrying the receive right (disposition 16, type PORT).
 * Returns the receive right's name in `t`, or 0. */
static mp_port_name_t expect_port_destroyed(outcome_t *o, mp_task_t *t, mp_port_name_t n)
{
	uint8_t buf[256];
	mp_msg_port_descriptor_t d;

	if (recv_notification(o, t, n, MP_MACH_NOTIFY_PORT_DESTROYED, 40, buf, 5000) != 0)
		return 0;
	memcpy(&d, buf + MP_MSG_HEADER_SIZE + 4, sizeof d);
	CHECK(o, mp_load_le32(buf + MP_MSG_HEADER_SIZE) == 1, "port-destroyed: descriptor count %u",
	      mp_load_le32(buf + MP_MSG_HEADER_SIZE));
	CHECK(o, d.disposition == MP_MSG_TYPE_PORT_RECEIVE && d.type == MP_MSG_PORT_DESCRIPTOR && d.pad1 == 0 &&
			 d.pad2 == 0,
	      "port-destroyed: descriptor disposition %u type %u pad %u/%u", d.disposition, d.type, d.pad1, d.pad2);
	CHECK(o, MP_PORT_VALID(d.name), "port-destroyed: receive right named 0x%x", d.name);
	return MP_PORT_VALID(d.name) ? d.name : 0;
}

/* P as it arrives back (ipc_port_clear_receiver): no sets, mscount, seqno
 * and context 0, unguarded, no request; its queue kept. */
static void check_returned_port(outcome_t *o, mp_task_t *t, mp_port_name_t p, int queued, int senders)
{
	mp_port_status_t st;
	uint64_t ctx = 1;

	if (mp_port_get_status(t, p, &st) != MP_KERN_SUCCESS) {
		CHECK(o, 0, "returned port 0x%x: no status", p);
		return;
	}
	rec(o, "returned: msgcount %u mscount %u seqno %u flags 0x%x\n", st.mps_msgcount, st.mps_mscount,
	    st.mps_seqno, st.mps_flags);
	CHECK(o, st.mps_msgcount == (uint32_t)queued, "returned port: msgcount %u, expected %d", st.mps_msgcount,
	      queued);
	CHECK(o, st.mps_mscount == 0 && st.mps_seqno == 0 && st.mps_flags == 0 && st.mps_pdrequest == 0 &&
			 st.mps_pset == 0,
	      "returned port: mscount %u seqno %u flags 0x%x pdrequest %u pset %u", st.mps_mscount, st.mps_seqno,
	      st.mps_flags, st.mps_pdrequest, st.mps_pset);
	CHECK(o, st.mps_srights == (senders ? 1u : 0u), "returned port: srights %u, expected %d", st.mps_srights,
	      senders);
	CHECK(o, mp_port_get_context(t, p, &ctx) == MP_KERN_SUCCESS && ctx == 0, "returned port: context 0x%llx",
	      (unsigned long long)ctx);
}

/* Triggers the destruction of S's receive right `p` the way `how` says. */
static void pd_trigger(ctx_t *x, outcome_t *o, mp_port_name_t p)
{
	const case_spec_t *c = x->c;
	mp_kr_t kr = MP_KERN_SUCCESS;

	switch (c->how) {
	case PD_DESTROY:
		kr = mp_port_destroy(x->s, p);
		break;
	case PD_DESTRUCT:
		kr = mp_port_destruct(x->s, p, 0, c->p[0].guard);
		break;
	case PD_TASK_DEATH:
		mp_task_close(x->s);
		x->s = NULL;
		break;
	case PD_CARRIED: {
		/* P's receive right queued on Q, then Q destroyed with it */
		mp_port_name_t q = 0;
		uint8_t m[64];
		mp_builder_t b;
		size_t len = 0;
		if (must(o, mp_port_allocate(x->s, MP_PORT_RIGHT_RECEIVE, &q), "carrier port"))
			return;
		mp_builder_init(&b, m, sizeof m, 0);
		mp_builder_set_remote(&b, q, MP_MSG_TYPE_MAKE_SEND);
		mp_builder_add_port(&b, p, MP_MSG_TYPE_MOVE_RECEIVE);
		kr = mp_builder_finish(&b, &len, NULL) == MP_OK ? mp_msg_send(x->s, m, (uint32_t)len, MP_MACH_SEND_TIMEOUT, 0)
							       : MP_MACH_SEND_INVALID_DATA;
		CHECK(o, kr == MP_MACH_MSG_SUCCESS, "carrying message: %s", mp_mach_msg_return_name(kr));
		kr = mp_port_mod_refs(x->s, q, MP_PORT_RIGHT_RECEIVE, -1);
		break;
	}
	default: /* MOD_REFS, NOTIFY_DEAD, CIRCULAR, NULL_NOTIFY */
		kr = mp_port_mod_refs(x->s, p, MP_PORT_RIGHT_RECEIVE, -1);
		break;
	}
	rec(o, "trigger %d: %s\n", c->how, mp_mach_msg_return_name(kr));
	CHECK(o, kr == MP_KERN_SUCCESS, "trigger %d: %s", c->how, mp_mach_msg_return_name(kr));
}

/* The request's refusals, before it is made (mach_port_request_notification
 * case PORT_DESTROYED): sync != 0 -> KERN_INVALID_VALUE; a second request
 * -> KERN_FAILURE. Each destroys the send-once right MIG made:
 * MACH_NOTIFY_SEND_ONCE on N. */
static void pd_refusal(outcome_t *o, mp_task_t *s, mp_port_name_t p, mp_port_name_t n, uint32_t sync,
		       mp_kr_t want)
{
	mp_port_name_t prev = 0x1234;
	uint8_t buf[256];
	mp_kr_t kr = mp_port_request_notification(s, p, MP_MACH_NOTIFY_PORT_DESTROYED, sync, n,
						  MP_MSG_TYPE_MAKE_SEND_ONCE, &prev);

	rec(o, "refused request: %s\n", mp_mach_msg_return_name(kr));
	CHECK(o, kr == want, "request (sync %u): %s, expected %s", sync, mp_mach_msg_return_name(kr),
	      mp_mach_msg_return_name(want));
	if (recv_notification(o, s, n, MP_MACH_NOTIFY_SEND_ONCE, MP_MSG_HEADER_SIZE, buf, 0) != 0)
		return;
}

static void port_destroyed_case(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	mp_task_t *nt;
	mp_port_options_t po = { c->p[0].guarded ? MP_MPO_CONTEXT_AS_GUARD : 0, 0 };
	mp_port_name_t p = 0, n = 0, r_send = 0, notify, prev = 0x1234, got;
	uint32_t ndisp = MP_MSG_TYPE_MAKE_SEND_ONCE, type;
	int fires = c->how <= PD_CARRIED, s_keeps_send;
	mp_kr_t kr;

	if (must(o, open_sender(x), "open S") || must(o, mp_task_open(x->backend, &x->r), "open R"))
		return;
	nt = c->notify_in_s ? x->s : x->r;
	if (must(o, mp_port_construct(x->s, &po, c->p[0].guard, &p), "P") ||
	    must(o, mp_port_allocate(nt, MP_PORT_RIGHT_RECEIVE, &n), "N"))
		return;
	if (!c->p[0].guarded && must(o, mp_port_set_context(x->s, p, 0x77), "P context"))
		return;
	if (c->req_send > 0 &&
	    (must(o, mp_port_insert_right(x->s, p, x->s, p, MP_MSG_TYPE_MAKE_SEND), "S send") ||
	     (c->req_send > 1 && must(o, mp_port_mod_refs(x->s, p, MP_PORT_RIGHT_SEND, c->req_send - 1), "S urefs"))))
		return;
	if (c->other_send > 0 &&
	    (must(o, mp_port_extract_right(x->s, p, MP_MSG_TYPE_MAKE_SEND, x->r, &r_send, &type), "R send") ||
	     (c->other_send > 1 &&
	      must(o, mp_port_mod_refs(x->r, r_send, MP_PORT_RIGHT_SEND, c->other_send - 1), "R urefs"))))
		return;
	for (int i = 0; i < c->queued; i++)
		CHECK(o, send_simple(x->s, p, MP_MSG_TYPE_MAKE_SEND, 0) == MP_MACH_MSG_SUCCESS, "queued message %d", i);

	if (c->extra_checks) {
		pd_refusal(o, x->s, p, n, 1, MP_KERN_INVALID_VALUE);
		CHECK(o, mp_port_request_notification(x->s, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, n,
						      MP_MSG_TYPE_MAKE_SEND_ONCE, &prev) == MP_KERN_SUCCESS,
		      "first request");
		pd_refusal(o, x->s, p, n, 0, MP_KERN_FAILURE);
	} else {
		notify = n;
		if (c->how == PD_CIRCULAR) {
			notify = p;
		} else if (c->how == PD_NULL_NOTIFY) {
			notify = MP_PORT_NULL;
			ndisp = 0;
		} else if (!c->notify_in_s) {
			if (must(o, mp_port_extract_right(x->r, n, MP_MSG_TYPE_MAKE_SEND_ONCE, x->s, &notify, &type),
				 "notify send-once"))
				return;
			ndisp = MP_MSG_TYPE_MOVE_SEND_ONCE;
		}
		kr = mp_port_request_notification(x->s, p, MP_MACH_NOTIFY_PORT_DESTROYED, 0, notify, ndisp, &prev);
		rec(o, "request: %s\n", mp_mach_msg_return_name(kr));
		CHECK(o, kr == MP_KERN_SUCCESS, "request: %s", mp_mach_msg_return_name(kr));
	}
	CHECK(o, prev == MP_PORT_NULL, "previous 0x%x", prev);
	{
		mp_port_status_t st;
		CHECK(o, mp_port_get_status(x->s, p, &st) == MP_KERN_SUCCESS &&
				 st.mps_pdrequest == (c->how == PD_NULL_NOTIFY ? 0u : 1u),
		      "mps_pdrequest %u", st.mps_pdrequest);
	}
	if (c->how == PD_NOTIFY_DEAD)
		CHECK(o, mp_port_mod_refs(nt, n, MP_PORT_RIGHT_RECEIVE, -1) == MP_KERN_SUCCESS, "N destroyed");

	pd_trigger(x, o, p);

	/* S's entry keeps its send urefs when the right goes from a
	 * SEND|RECEIVE entry by mod_refs, destruct, or a MOVE_RECEIVE */
	s_keeps_send = c->req_send > 0 && (c->how == PD_MOD_REFS || c->how == PD_DESTRUCT || c->how == PD_CARRIED);
	if (!fires) {
		if (c->how != PD_NOTIFY_DEAD)
			expect_no_notification(o, nt, n);
		if (c->other_send > 0)
			expect_right(o, x->r, "R's send right", r_send, MP_PORT_TYPE_DEAD_NAME, MP_PORT_RIGHT_DEAD_NAME,
				     (uint32_t)c->other_send);
		if (c->req_send > 0)
			expect_right(o, x->s, "S's name", p, MP_PORT_TYPE_DEAD_NAME, MP_PORT_RIGHT_DEAD_NAME,
				     (uint32_t)c->req_send);
		return;
	}
	got = expect_port_destroyed(o, nt, n);
	if (got == 0)
		return;
	if (nt == x->s && s_keeps_send) {
		CHECK(o, got == p, "receive right arrived as 0x%x, not under S's send name 0x%x", got, p);
		expect_right(o, x->s, "S's name", p, MP_PORT_TYPE_SEND_RECEIVE, MP_PORT_RIGHT_SEND,
			     (uint32_t)c->req_send);
	} else if (nt == x->r && c->other_send > 0) {
		CHECK(o, got == r_send, "receive right arrived as 0x%x, not under R's send name 0x%x", got, r_send);
		expect_right(o, x->r, "R's name", r_send, MP_PORT_TYPE_SEND_RECEIVE, MP_PORT_RIGHT_SEND,
			     (uint32_t)c->other_send);
	} else {
		expect_right(o, nt, "returned receive right", got, MP_PORT_TYPE_RECEIVE, MP_PORT_RIGHT_RECEIVE, 0);
	}
	if (x->s != NULL && nt != x->s) {
		if (s_keeps_send)
			expect_right(o, x->s, "S's name", p, MP_PORT_TYPE_SEND, MP_PORT_RIGHT_SEND, (uint32_t)c->req_send);
		else
			CHECK(o, type_of(x->s, p, &kr) == 0 && kr == MP_KERN_INVALID_NAME, "S's name 0x%x: %s", p,
			      mp_mach_msg_return_name(kr));
	}
	if (nt != x->r && c->other_send > 0)
		expect_right(o, x->r, "R's send right", r_send, MP_PORT_TYPE_SEND, MP_PORT_RIGHT_SEND,
			     (uint32_t)c->other_send);
	/* the queued messages hold send rights too (their MAKE_SEND) */
	check_returned_port(o, nt, got, c->queued, s_keeps_send || c->other_send > 0 || c->queued > 0);
	expect_no_notification(o, nt, n);
	/* the request was one-shot: the port dies now */
	CHECK(o, mp_port_mod_refs(nt, got, MP_PORT_RIGHT_RECEIVE, -1) == MP_KERN_SUCCESS, "destroying P again");
	expect_no_notification(o, nt, n);
	if (nt != x->r && c->other_send > 0)
		expect_right(o, x->r, "R's send right", r_send, MP_PORT_TYPE_DEAD_NAME, MP_PORT_RIGHT_DEAD_NAME,
			     (uint32_t)c->other_send);
}

static void send_possible_case(ctx_t *x, outcome_t *o)
{
	const case_spec_t *c = x->c;
	mp_port_options_t po = { MP_MPO_QLIMIT, c->qlimit };
	mp_port_name_t p = 0, n = 0, s = 0, prev = 0x1234;
	uint32_t type, right = c->req_send ? MP_PORT_TYPE_SEND : MP_PORT_TYPE_SEND_ONCE;
	uint32_t urefs = c->req_send ? (uint32_t)c->req_send : 1;
	int queued = c->queued, registered = 0, armed = 0, fired_now;
	mp_kr_t kr;

	if (must(o, open_sender(x), "open S") || must(o, mp_task_open(x->backend, &x->r), "open R"))
		return;
	if (must(o, mp_port_construct(x->r, &po, 0, &p), "P") ||
	    must(o, mp_port_allocate(x->s, MP_PORT_RIGHT_RECEIVE, &n), "N") ||
	    must(o, mp_port_extract_right(x->r, p, c->req_send ? MP_MSG_TYPE_MAKE_SEND : MP_MSG_TYPE_MAKE_SEND_ONCE,
					  x->s, &s, &type),
		 "S's right") ||
	    (c->req_send > 1 && must(o, mp_port_mod_refs(x->s, s, MP_PORT_RIGHT_SEND, c->req_send - 1), "S urefs")))
		return;
	for (int i = 0; i < queued; i++)
		CHECK(o, send_simple(x->r, p, MP_MSG_TYPE_MAKE_SEND, 0) == MP_MACH_MSG_SUCCESS, "queued message %d", i);
	if (c->how == SP_DEAD_NAME)
		CHECK(o, mp_port_mod_refs(x->r, p, MP_PORT_RIGHT_RECEIVE, -1) == MP_KERN_SUCCESS, "P destroyed");
	if (c->prior_dn)
		CHECK(o, mp_port_request_notification(x->s, s, MP_MACH_NOTIFY_DEAD_NAME, 0, n, MP_MSG_TYPE_MAKE_SEND_ONCE,
						      &prev) == MP_KERN_SUCCESS && prev == MP_PORT_NULL,
		      "dead-name request first");

	kr = mp_port_request_notification(x->s, s, MP_MACH_NOTIFY_SEND_POSSIBLE, (uint32_t)c->sync, n,
					  MP_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	rec(o, "request: %s\n", mp_mach_msg_return_name(kr));
	CHECK(o, kr == MP_KERN_SUCCESS, "send-possible request: %s", mp_mach_msg_return_name(kr));
	fired_now = c->how != SP_DEAD_NAME && c->sync && (!c->req_send || queued < (int)c->qlimit);
	if (fired_now) /* queued before the previous right is deallocated below */
		expect_name_notification(o, x->s, n, MP_MACH_NOTIFY_SEND_POSSIBLE, s);
	if (c->prior_dn) {
		/* one slot per name: the dead-name request's right comes back */
		CHECK(o, MP_PORT_VALID(prev) && type_of(x->s, prev, &kr) == MP_PORT_TYPE_SEND_ONCE,
		      "previous 0x%x is not a send-once right", prev);
		if (MP_PORT_VALID(prev)) {
			uint8_t buf[256];
			CHECK(o, mp_port_deallocate(x->s, prev) == MP_KERN_SUCCESS, "previous deallocated");
			(void)recv_notification(o, x->s, n, MP_MACH_NOTIFY_SEND_ONCE, MP_MSG_HEADER_SIZE, buf, 0);
		}
	} else {
		CHECK(o, prev == MP_PORT_NULL, "previous 0x%x", prev);
	}

	if (c->how == SP_DEAD_NAME) {
		/* ipc_right_request_alloc on a dead name: DEAD_NAME now, +1 uref */
		expect_name_notification(o, x->s, n, MP_MACH_NOTIFY_DEAD_NAME, s);
		expect_right(o, x->s, "S's name", s, MP_PORT_TYPE_DEAD_NAME, MP_PORT_RIGHT_DEAD_NAME, urefs + 1);
		expect_no_notification(o, x->s, n);
		return;
	}
	if (!fired_now) {
		registered = 1;
		armed = c->sync;
	}
	expect_no_notification(o, x->s, n);
	expect_right(o, x->s, "S's name", s, right | (registered ? MP_PORT_TYPE_DNREQUEST : 0),
		     c->req_send ? MP_PORT_RIGHT_SEND : MP_PORT_RIGHT_SEND_ONCE, urefs);

	switch (c->how) {
	case SP_SEND_NOTIFY:
		/* full: arms the request and times out (pseudo-receive: the
		 * copied send right comes back); room: sent past the limit */
		kr = send_simple(x->s, s, MP_MSG_TYPE_COPY_SEND, MP_MACH_SEND_NOTIFY);
		rec(o, "MACH_SEND_NOTIFY send: %s\n", mp_mach_msg_return_name(kr));
		if (queued >= (int)c->qlimit) {
			CHECK(o, kr == MP_MACH_SEND_TIMED_OUT, "MACH_SEND_NOTIFY on a full queue: %s",
			      mp_mach_msg_return_name(kr));
			armed = registered;
		} else {
			CHECK(o, kr == MP_MACH_MSG_SUCCESS, "MACH_SEND_NOTIFY with room: %s", mp_mach_msg_return_name(kr));
			queued++;
		}
		expect_no_notification(o, x->s, n);
		/* fall through - R receives */
	case SP_RECEIVE:
		if (queued == 0) {
			CHECK(o, send_simple(x->r, p, MP_MSG_TYPE_MAKE_SEND, 0) == MP_MACH_MSG_SUCCESS, "message to P");
			queued++;
			expect_no_notification(o, x->s, n);
		}
		drain(x->r, p, 1);
		if (armed) {
			expect_name_notification(o, x->s, n, MP_MACH_NOTIFY_SEND_POSSIBLE, s);
			registered = 0;
		}
		expect_right(o, x->s, "S's name", s, right | (registered ? MP_PORT_TYPE_DNREQUEST : 0),
			     c->req_send ? MP_PORT_RIGHT_SEND : MP_PORT_RIGHT_SEND_ONCE, urefs);
		break;
	case SP_PORT_DIES:
		CHECK(o, mp_port_mod_refs(x->r, p, MP_PORT_RIGHT_RECEIVE, -1) == MP_KERN_SUCCESS, "P destroyed");
		if (registered)
			expect_name_notification(o, x->s, n, MP_MACH_NOTIFY_DEAD_NAME, s);
		expect_right(o, x->s, "S's name", s, MP_PORT_TYPE_DEAD_NAME, MP_PORT_RIGHT_DEAD_NAME,
			     urefs + (uint32_t)registered);
		break;
	default: /* SP_NAME_GOES */
		kr = c->req_send ? mp_port_mod_refs(x->s, s, MP_PORT_RIGHT_SEND, -c->req_send) : mp_port_deallocate(x->s, s);
		CHECK(o, kr == MP_KERN_SUCCESS, "S's name deallocated: %s", mp_mach_msg_return_name(kr));
		if (registered)
			expect_name_notification(o, x->s, n, MP_MACH_NOTIFY_PORT_DELETED, s);
		break;
	}
	expect_no_notification(o, x->s, n);
}

static void notify_case(ctx_t *x, outcome_t *o)
{
	if (x->c->cat == CAT_PORT_DESTROYED)
		port_destroyed_case(x, o);
	else
		send_possible_case(x, o);
	if (o->failures == 0 && x->s != NULL)
		rec(o, "done\n");
}
