/*
 * conformance/gen.c: the seeded case generator.
 *
 * Case (seed, index) is a pure function of the two numbers (splitmix64), so
 * any case can be rerun alone (--case K). Every case is valid by
 * construction: each disposition is drawn from what S can still give for
 * that port (a budget per port: send urefs left, send-once rights left,
 * whether the receive right is still there), so positive categories must
 * succeed and the checks compare what arrives with the model.
 */
#include <stdio.h>
#include <string.h>

#include "conformance/case.h"

static const char *const names[CAT_COUNT] = {
	"port", "ool", "ool_ports", "guarded", "inline", "reply", "trailer",
	"mixed", "send_fail", "full_queue", "too_large", "dead_dest", "circular",
	"port_destroyed", "send_possible",
	"reply_port",
};

const char *category_name(category_t c)
{
	return (unsigned)c < CAT_COUNT ? names[c] : "?";
}

int category_from_name(const char *name)
{
	for (int i = 0; i < CAT_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

typedef struct rng {
	uint64_t s;
} rng_t;

static uint64_t next(rng_t *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static uint32_t below(rng_t *r, uint32_t n)
{
	return n ? (uint32_t)(next(r) % n) : 0;
}

static int chance(rng_t *r, uint32_t percent)
{
	return below(r, 100) < percent;
}

/* What S can still give for each port while the message is composed. */
typedef struct budget {
	int send, sonce, recv;
	int uses; /* any disposition naming the port so far */
} budget_t;

static void setup_ports(rng_t *r, case_spec_t *c, int n, int allow_dead)
{
	c->nports = n;
	for (int i = 0; i < n; i++) {
		port_setup_t *p = &c->p[i];
		memset(p, 0, sizeof(*p));
		p->owned_by_r = chance(r, 20);
		p->s_send = (int)below(r, 4);
		p->s_sonce = (int)below(r, 3);
		p->r_send = p->owned_by_r ? 0 : (int)below(r, 3);
		p->dead = allow_dead && chance(r, 10);
		p->guarded = !p->owned_by_r && chance(r, 25);
		p->guard = p->guarded ? 0x1000u + below(r, 0x1000) : 0;
		if (p->owned_by_r && p->s_send == 0 && p->s_sonce == 0)
			p->s_send = 1;
	}
}

static void init_budgets(const case_spec_t *c, budget_t *b)
{
	memset(b, 0, sizeof(budget_t) * CASE_MAX_PORTS);
	for (int i = 0; i < c->nports; i++) {
		b[i].send = c->p[i].s_send;
		b[i].sonce = c->p[i].s_sonce;
		b[i].recv = !c->p[i].owned_by_r && !c->p[i].dead;
	}
}

/* A disposition S can still give for port i (0 if none), taken from the
 * budget. `arrays` leaves MOVE_RECEIVE out. */
static uint32_t take_disp(rng_t *r, budget_t *b, int arrays)
{
	uint32_t opts[6];
	int n = 0;
	if (b->recv) {
		opts[n++] = MP_MSG_TYPE_MAKE_SEND;
		opts[n++] = MP_MSG_TYPE_MAKE_SEND_ONCE;
		if (!arrays)
			opts[n++] = MP_MSG_TYPE_MOVE_RECEIVE;
	}
	if (b->send > 0) {
		opts[n++] = MP_MSG_TYPE_COPY_SEND;
		opts[n++] = MP_MSG_TYPE_MOVE_SEND;
	}
	if (b->sonce > 0)
		opts[n++] = MP_MSG_TYPE_MOVE_SEND_ONCE;
	if (n == 0)
		return 0;
	return opts[below(r, (uint32_t)n)];
}

static void spend(budget_t *b, uint32_t disp)
{
	b->uses++;
	if (disp == MP_MSG_TYPE_MOVE_RECEIVE)
		b->recv = 0;
	else if (disp == MP_MSG_TYPE_MOVE_SEND)
		b->send--;
	else if (disp == MP_MSG_TYPE_MOVE_SEND_ONCE)
		b->sonce--;
}

/* Can port i still give `disp`? */
static int can_give(const budget_t *b, uint32_t disp)
{
	switch (disp) {
	case MP_MSG_TYPE_MAKE_SEND:
	case MP_MSG_TYPE_MAKE_SEND_ONCE:
	case MP_MSG_TYPE_MOVE_RECEIVE:
		return b->recv;
	case MP_MSG_TYPE_COPY_SEND:
	case MP_MSG_TYPE_MOVE_SEND:
		return b->send > 0;
	case MP_MSG_TYPE_MOVE_SEND_ONCE:
		return b->sonce > 0;
	default:
		return 0;
	}
}

static void add_port_desc(rng_t *r, case_spec_t *c, budget_t *b)
{
	desc_spec_t *d = &c->d[c->ndesc];
	memset(d, 0, sizeof(*d));
	d->type = MP_MSG_PORT_DESCRIPTOR;
	if (chance(r, 12)) {
		/* NULL or DEAD with any disposition passes through (§6.3) */
		static const uint32_t any[] = { 0, MP_MSG_TYPE_PORT_NAME, 16, 17, 18, 19, 20, 21 };
		d->port = chance(r, 50) ? CASE_NULL : CASE_DEAD;
		d->disp = any[below(r, 8)];
		c->ndesc++;
		return;
	}
	for (int tries = 0; tries < 8; tries++) {
		int i = (int)below(r, (uint32_t)c->nports);
		uint32_t disp = take_disp(r, &b[i], 0);
		if (disp == 0)
			continue;
		spend(&b[i], disp);
		d->port = i;
		d->disp = disp;
		c->ndesc++;
		return;
	}
	d->port = CASE_NULL;
	d->disp = MP_MSG_TYPE_COPY_SEND;
	c->ndesc++;
}

static const uint32_t ool_sizes[] = { 0, 1, 4, 100, 4095, 4096, 4097, 16384, 16385, 65536, 1u << 20 };

static void add_ool_desc(rng_t *r, case_spec_t *c, uint32_t max)
{
	desc_spec_t *d = &c->d[c->ndesc++];
	memset(d, 0, sizeof(*d));
	d->type = chance(r, 15) ? MP_MSG_OOL_VOLATILE_DESCRIPTOR : MP_MSG_OOL_DESCRIPTOR;
	d->size = chance(r, 70) ? ool_sizes[below(r, sizeof ool_sizes / sizeof ool_sizes[0])]
				: below(r, max + 1);
	if (d->size > max)
		d->size = max;
	d->offset = chance(r, 40) ? below(r, 64) : 0;
	d->copy = chance(r, 50) ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY;
	d->dealloc = chance(r, 25);
	d->port = CASE_NULL;
}

static void add_ool_ports_desc(rng_t *r, case_spec_t *c, budget_t *b)
{
	desc_spec_t *d = &c->d[c->ndesc++];
	static const uint32_t disps[] = { MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MOVE_SEND,
					  MP_MSG_TYPE_MAKE_SEND_ONCE, MP_MSG_TYPE_MOVE_SEND_ONCE };
	memset(d, 0, sizeof(*d));
	d->type = MP_MSG_OOL_PORTS_DESCRIPTOR;
	d->port = CASE_NULL;
	d->disp = disps[below(r, 5)];
	d->copy = chance(r, 50) ? MP_MSG_VIRTUAL_COPY : MP_MSG_PHYSICAL_COPY;
	d->count = below(r, CASE_MAX_ARRAY + 1);
	for (uint32_t j = 0; j < d->count; j++) {
		int i = (int)below(r, (uint32_t)c->nports);
		if (!chance(r, 30) && can_give(&b[i], d->disp)) {
			spend(&b[i], d->disp);
			d->ports[j] = i;
		} else {
			d->ports[j] = chance(r, 50) ? CASE_NULL : CASE_DEAD;
		}
	}
}

/* A guarded descriptor moving port i's receive right with flags that pass
 * XNU's guard check (§6.3): guarded with the right context, or
 * UNGUARDED_ON_SEND on an unguarded port with context 0. Without
 * MACH_RCV_GUARDED_DESC the port dies in delivery, so then it is used
 * nowhere else in the message and R holds nothing for it. */
static void add_guarded_desc(rng_t *r, case_spec_t *c, budget_t *b, int *used_once)
{
	for (int tries = 0; tries < 8; tries++) {
		int i = (int)below(r, (uint32_t)c->nports);
		desc_spec_t *d;
		if (!b[i].recv || used_once[i])
			continue;
		if (!c->guarded_desc_opt && (c->p[i].r_send || b[i].uses))
			continue;
		d = &c->d[c->ndesc++];
		memset(d, 0, sizeof(*d));
		d->type = MP_MSG_GUARDED_PORT_DESCRIPTOR;
		d->port = i;
		d->disp = MP_MSG_TYPE_MOVE_RECEIVE;
		if (c->p[i].guarded) {
			/* UNGUARDED_ON_SEND needs context 0 (a shape rule, §6.1
			 * step 9), and a guarded port's context is its guard */
			d->flags = MP_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE;
			d->context = c->p[i].guard;
		} else {
			d->flags = chance(r, 50) ? 2u : 3u;
			d->context = 0;
		}
		b[i].recv = 0;
		b[i].uses++;
		if (!c->guarded_desc_opt) {
			/* nothing else may name it: spend the rest too */
			b[i].send = 0;
			b[i].sonce = 0;
			c->p[i].r_send = 0;
			used_once[i] = 1;
		}
		return;
	}
}

/*
 * CAT_REPLY_PORT: S hardened or not; its reply port ordinary, MPO_REPLY_PORT
 * (real in a hardened S, provisional otherwise) or MPO_PROVISIONAL_REPLY_PORT;
 * the destination with or without ENFORCE_REPLY_PORT_SEMANTICS; a body of
 * port descriptors, and sometimes a last descriptor naming the reply port
 * (refused if it is a real one, ordinary otherwise).
 */
static void gen_reply_port(rng_t *r, case_spec_t *c, budget_t *b)
{
	static const uint32_t mpo[] = { 0, MP_MPO_REPLY_PORT, MP_MPO_REPLY_PORT, MP_MPO_PROVISIONAL_REPLY_PORT };
	static const uint32_t rdisp[] = { MP_MSG_TYPE_MAKE_SEND, MP_MSG_TYPE_MAKE_SEND_ONCE };
	uint32_t nd = below(r, 3);

	c->hardened = chance(r, 60);
	c->reply_mpo = mpo[below(r, 4)];
	c->dest_enforce = chance(r, 40);
	while (c->ndesc < (int)nd)
		add_port_desc(r, c, b);
	if (chance(r, 30)) {
		desc_spec_t *d = &c->d[c->ndesc++];
		memset(d, 0, sizeof(*d));
		d->type = MP_MSG_PORT_DESCRIPTOR;
		d->port = CASE_REPLY;
		d->disp = rdisp[below(r, 2)];
		c->reply_desc = 1;
	}
}

static uint32_t pick_trailer(rng_t *r)
{
	static const uint32_t common[] = { 0, 1, 2, 3, 4, 7 };
	return chance(r, 20) ? below(r, 16) : common[below(r, 6)];
}

/* The notification categories: a port and a request instead of a message. */
static void generate_notify(rng_t *r, case_spec_t *c)
{
	c->nports = 1;
	memset(&c->p[0], 0, sizeof(c->p[0]));
	c->ndesc = 0;
	c->reply_disp = 0;
	c->reply_back = 0;
	c->queued = (int)below(r, 3);
	if (c->cat == CAT_PORT_DESTROYED) {
		c->how = (int)below(r, PD_HOW_COUNT);
		c->req_send = (int)below(r, 3);
		c->other_send = (int)below(r, 3);
		c->notify_in_s = c->how != PD_TASK_DEATH && chance(r, 50);
		/* a guarded port is destroyed only with its guard (destruct)
		 * or by its task's death */
		c->p[0].guarded = (c->how == PD_DESTRUCT || c->how == PD_TASK_DEATH) && chance(r, 50);
		c->p[0].guard = c->p[0].guarded ? 0x1000u + below(r, 0x1000) : 0;
		c->extra_checks = c->notify_in_s && c->how <= PD_CARRIED && chance(r, 50);
	} else {
		c->how = (int)below(r, SP_HOW_COUNT);
		c->req_send = (int)below(r, 3);
		if (c->how == SP_SEND_NOTIFY && c->req_send == 0)
			c->req_send = 1; /* MACH_SEND_NOTIFY arms only through a send right */
		c->qlimit = 1 + below(r, 3);
		if ((uint32_t)c->queued > c->qlimit)
			c->queued = (int)c->qlimit;
		c->sync = chance(r, 50);
		c->prior_dn = c->how != SP_DEAD_NAME && chance(r, 30);
	}
}

void case_generate(case_spec_t *c, uint64_t seed, uint32_t index, int only)
{
	rng_t r = { seed * 0x2545f4914f6cdd1dull ^ ((uint64_t)index << 17) ^ index };
	budget_t b[CASE_MAX_PORTS];
	int used_once[CASE_MAX_PORTS] = { 0 };
	uint32_t nd;

	memset(c, 0, sizeof(*c));
	(void)next(&r);
	c->seed = seed;
	c->index = index;
	c->cat = only >= 0 ? (category_t)only : (category_t)(index % CAT_COUNT);
	c->dest_disp = chance(&r, 55)   ? MP_MSG_TYPE_COPY_SEND
		       : chance(&r, 60) ? MP_MSG_TYPE_MOVE_SEND
					: MP_MSG_TYPE_MOVE_SEND_ONCE;
	c->dest_s_urefs = 1 + (int)below(&r, 3);
	c->inline_len = 4 * below(&r, 17);
	c->trailer_elems = pick_trailer(&r);
	c->warmups = (int)below(&r, 3);
	c->dest_context = chance(&r, 50) ? next(&r) : 0;
	c->guarded_desc_opt = chance(&r, 60);
	c->fail_at = -2;
	setup_ports(&r, c, 1 + (int)below(&r, CASE_MAX_PORTS), c->cat != CAT_CIRCULAR);
	init_budgets(c, b);

	switch (c->cat) {
	case CAT_PORT:
		nd = 1 + below(&r, CASE_MAX_DESC);
		while (c->ndesc < (int)nd)
			add_port_desc(&r, c, b);
		break;
	case CAT_OOL:
		nd = 1 + below(&r, 4);
		while (c->ndesc < (int)nd)
			add_ool_desc(&r, c, 1u << 20);
		break;
	case CAT_OOL_PORTS:
		nd = 1 + below(&r, 3);
		while (c->ndesc < (int)nd)
			add_ool_ports_desc(&r, c, b);
		break;
	case CAT_GUARDED:
		nd = 1 + below(&r, 3);
		for (uint32_t k = 0; k < nd; k++)
			add_guarded_desc(&r, c, b, used_once);
		if (c->ndesc == 0)
			add_port_desc(&r, c, b);
		break;
	case CAT_INLINE: {
		static const uint32_t lens[] = { 0, 4, 8, 252, 256, 4092, 4096, 16384, 65532, 65536 };
		c->inline_len = chance(&r, 50) ? lens[below(&r, 10)] : 4 * below(&r, 16385);
		if (chance(&r, 50))
			add_port_desc(&r, c, b);
		break;
	}
	case CAT_REPLY:
		if (chance(&r, 50))
			add_port_desc(&r, c, b);
		break;
	case CAT_TRAILER:
		c->trailer_elems = below(&r, 16);
		c->warmups = (int)below(&r, 4);
		if (chance(&r, 50))
			add_port_desc(&r, c, b);
		break;
	case CAT_CIRCULAR:
		/* S sends to its own port 0 (MAKE_SEND) a message carrying port
		 * 0's receive right: CIRCULAR, destroyed, SUCCESS (class E) */
		c->p[0].owned_by_r = 0;
		c->p[0].dead = 0;
		c->p[0].guarded = 0;
		init_budgets(c, b);
		b[0].recv = 0; /* moved by the circular descriptor below */
		nd = below(&r, 4);
		while (c->ndesc < (int)nd)
			add_port_desc(&r, c, b);
		{
			desc_spec_t *d = &c->d[c->ndesc++];
			memset(d, 0, sizeof(*d));
			d->type = MP_MSG_PORT_DESCRIPTOR;
			d->port = 0;
			d->disp = MP_MSG_TYPE_MOVE_RECEIVE;
		}
		break;
	case CAT_PORT_DESTROYED:
	case CAT_SEND_POSSIBLE:
		break; /* no message: generate_notify below */
	case CAT_REPLY_PORT:
		gen_reply_port(&r, c, b);
		break;
	default: /* MIXED and the negative categories carry a mixed body */
		nd = 1 + below(&r, CASE_MAX_DESC);
		while (c->ndesc < (int)nd) {
			switch (below(&r, 4)) {
			case 0:
			case 1:
				add_port_desc(&r, c, b);
				break;
			case 2:
				add_ool_desc(&r, c, c->cat == CAT_MIXED ? 1u << 20 : 70000);
				break;
			default:
				if (chance(&r, 30) && c->cat != CAT_FULL_QUEUE)
					add_guarded_desc(&r, c, b, used_once);
				else
					add_ool_ports_desc(&r, c, b);
				break;
			}
		}
		break;
	}

	if (c->cat == CAT_REPLY || c->cat == CAT_REPLY_PORT || (c->cat == CAT_MIXED && chance(&r, 50)) ||
	    chance(&r, 15)) {
		static const uint32_t rd[] = { MP_MSG_TYPE_MAKE_SEND_ONCE, MP_MSG_TYPE_MAKE_SEND,
					       MP_MSG_TYPE_COPY_SEND, MP_MSG_TYPE_MOVE_SEND };
		c->reply_disp = rd[below(&r, 4)];
		c->reply_back = chance(&r, 60);
		if (c->cat == CAT_REPLY_PORT && chance(&r, 15))
			c->reply_disp = 0; /* no reply: nothing to check on the destination's side */
	}
	if (c->cat == CAT_SEND_FAIL) {
		/* -1: a bad reply name (class A, INVALID_REPLY); k: descriptor k
		 * names nothing in S (class C, INVALID_RIGHT) */
		c->fail_at = (int)below(&r, (uint32_t)c->ndesc + 1) - 1;
		if (c->fail_at >= 0 && c->d[c->fail_at].type != MP_MSG_PORT_DESCRIPTOR)
			c->fail_at = -1;
		if (c->fail_at == -1)
			c->reply_disp = MP_MSG_TYPE_MAKE_SEND_ONCE;
	}
	if (c->cat == CAT_TOO_LARGE)
		c->large_opt = chance(&r, 50);
	if (c->cat == CAT_FULL_QUEUE || c->cat == CAT_CIRCULAR)
		c->reply_back = 0;
	if (c->cat == CAT_FULL_QUEUE && c->dest_disp == MP_MSG_TYPE_MOVE_SEND_ONCE)
		c->dest_disp = MP_MSG_TYPE_COPY_SEND; /* a send-once destination ignores the queue limit (§6.5) */
	if (c->cat == CAT_PORT_DESTROYED || c->cat == CAT_SEND_POSSIBLE)
		generate_notify(&r, c);
}

void case_describe(const case_spec_t *c, char *buf, size_t len)
{
	size_t o = 0;
#define OUT(...)                                                            \
	do {                                                                \
		int n_ = snprintf(buf + o, o < len ? len - o : 0, __VA_ARGS__); \
		if (n_ > 0)                                                 \
			o += (size_t)n_;                                    \
	} while (0)
	OUT("case %u (seed %llu) category %s\n", c->index, (unsigned long long)c->seed,
	    category_name(c->cat));
	OUT("  dest %s (S holds %d urefs), reply %s%s, inline %u bytes, trailer elements %u, "
	    "warmups %d, GUARDED_DESC %d, fail_at %d, RCV_LARGE %d\n",
	    mp_disposition_name(c->dest_disp), c->dest_s_urefs, mp_disposition_name(c->reply_disp),
	    c->reply_back ? " (answered)" : "", c->inline_len, c->trailer_elems, c->warmups,
	    c->guarded_desc_opt, c->fail_at, c->large_opt);
	if (c->cat == CAT_PORT_DESTROYED || c->cat == CAT_SEND_POSSIBLE) {
		OUT("  how %d, requester send urefs %d, other send urefs %d, queued %d, qlimit %u, "
		    "notify in S %d, sync %d, prior dead-name request %d, extra checks %d, guarded %d\n",
		    c->how, c->req_send, c->other_send, c->queued, c->qlimit, c->notify_in_s, c->sync,
		    c->prior_dn, c->extra_checks, c->p[0].guarded);
		return;
	}
	if (c->cat == CAT_REPLY_PORT)
		OUT("  S %s, reply port flags 0x%x, dest %s, last descriptor names the reply port: %d\n",
		    c->hardened ? "hardened" : "third-party", c->reply_mpo,
		    c->dest_enforce ? "ENFORCE_REPLY_PORT_SEMANTICS" : "ordinary", c->reply_desc);
	for (int i = 0; i < c->nports; i++) {
		const port_setup_t *p = &c->p[i];
		OUT("  port %d: receive in %s, S send %d sonce %d, R send %d%s%s\n", i,
		    p->owned_by_r ? "R" : "S", p->s_send, p->s_sonce, p->r_send, p->dead ? ", dead" : "",
		    p->guarded ? ", guarded" : "");
	}
	for (int k = 0; k < c->ndesc; k++) {
		const desc_spec_t *d = &c->d[k];
		OUT("  desc %d: %s", k, mp_desc_type_name(d->type));
		switch (d->type) {
		case MP_MSG_PORT_DESCRIPTOR:
		case MP_MSG_GUARDED_PORT_DESCRIPTOR:
			OUT(" port %d %s", d->port, mp_disposition_name(d->disp));
			if (d->type == MP_MSG_GUARDED_PORT_DESCRIPTOR)
				OUT(" flags %u context 0x%llx", d->flags, (unsigned long long)d->context);
			break;
		case MP_MSG_OOL_PORTS_DESCRIPTOR:
			OUT(" %s %s count %u [", mp_disposition_name(d->disp), mp_copy_name(d->copy), d->count);
			for (uint32_t j = 0; j < d->count; j++)
				OUT("%s%d", j ? " " : "", d->ports[j]);
			OUT("]");
			break;
		default:
			OUT(" size %u offset %u %s%s", d->size, d->offset, mp_copy_name(d->copy),
			    d->dealloc ? " deallocate" : "");
			break;
		}
		OUT("\n");
	}
#undef OUT
}
