/*
 * lib/port/machportd_backend.c: lib/port on machportd, an adapter over its
 * client library (lib/machportd/client.h: connections, start on demand,
 * the protocol, a message's OOL memory both ways, the relay).
 *
 * Each op marshals its arguments into a PORT_CALL (or a message, or a
 * registry request), makes the client call, and unmarshals the results.
 *
 * What stays here is the task's VM: this process's memory is the task's
 * memory, so vm_allocate is an mmap here, and the regions the kernel gives
 * the task (vm_allocate, received OOL memory, which the client maps and
 * reports through mpd_vm_hooks_t) are tracked per task like lib/kern's
 * embedded VM (vm_deallocate unmaps only those, by lib/kern's rule
 * mp_region_cut; task close unmaps what is left). The record is the task's
 * address space, as lib/kern's is its space's, not the transport's.
 */
#if defined(__linux__) /* lib/machportd/client.c is Linux only */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/kern/kern.h"
#include "lib/machportd/client.h"
#include "lib/port/backend.h"
#include "machports/le.h"

#define PAGE MPD_CLIENT_PAGE

typedef struct mtask {
	mpd_client_t *client;
	pthread_mutex_t mu; /* regions */
	mp_region_t *regions;
} mtask_t;

#define M(t) ((mtask_t *)(t)->impl)
#define C(t) (M(t)->client)

/* ---- port calls --------------------------------------------------------- */

static mp_kr_t port_call(mp_task_t *t, const mpd_port_call_t *call, mpd_port_result_t *o)
{
	return mpd_client_port_call(C(t), call, o);
}

/* A call whose only result is its return code. */
static mp_kr_t port_call_kr(mp_task_t *t, const mpd_port_call_t *call)
{
	mpd_port_result_t o;
	return port_call(t, call, &o);
}

/* A call whose result is a name (or a count, a type) in r1. */
static mp_kr_t port_call_r1(mp_task_t *t, const mpd_port_call_t *call, uint32_t *r1)
{
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, call, &o);
	if (kr == MP_KERN_SUCCESS)
		*r1 = o.r1;
	return kr;
}

static mp_kr_t machportd_allocate(mp_task_t *t, mp_port_right_t right, mp_port_name_t *name)
{
	return port_call_r1(t, &(mpd_port_call_t){ .call = MPD_CALL_ALLOCATE, .a1 = right }, name);
}

static mp_kr_t machportd_allocate_name(mp_task_t *t, mp_port_right_t right, mp_port_name_t name)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_ALLOCATE_NAME, .name = name, .a1 = right });
}

static mp_kr_t machportd_construct(mp_task_t *t, const mp_port_options_t *op, uint64_t ctx, mp_port_name_t *name)
{
	mpd_port_call_t c = { .call = MPD_CALL_CONSTRUCT, .a1 = op ? op->flags : 0, .a2 = op ? op->qlimit : 0, .a64 = ctx };
	return port_call_r1(t, &c, name);
}

static mp_kr_t machportd_destruct(mp_task_t *t, mp_port_name_t n, int32_t d, uint64_t g)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_DESTRUCT, .name = n, .delta = d, .a64 = g });
}

static mp_kr_t machportd_deallocate(mp_task_t *t, mp_port_name_t n)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_DEALLOCATE, .name = n });
}

static mp_kr_t machportd_destroy(mp_task_t *t, mp_port_name_t n)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_DESTROY, .name = n });
}

static mp_kr_t machportd_mod_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, int32_t d)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_MOD_REFS, .name = n, .a1 = r, .delta = d });
}

static mp_kr_t machportd_get_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, uint32_t *refs)
{
	return port_call_r1(t, &(mpd_port_call_t){ .call = MPD_CALL_GET_REFS, .name = n, .a1 = r }, refs);
}

static mp_kr_t machportd_type(mp_task_t *t, mp_port_name_t n, mp_port_type_t *type)
{
	return port_call_r1(t, &(mpd_port_call_t){ .call = MPD_CALL_TYPE, .name = n }, type);
}

static mp_kr_t machportd_insert_right(mp_task_t *t, mp_port_name_t n, mp_task_t *from, mp_port_name_t poly,
				      uint32_t disp)
{
	mpd_port_call_t c = { .call = MPD_CALL_INSERT_RIGHT, .name = n, .a1 = poly, .a2 = disp };

	if (from->ops != t->ops)
		return MP_KERN_INVALID_TASK;
	mpd_client_space(C(from), &c.a64, &c.b64);
	return port_call_kr(t, &c);
}

static mp_kr_t machportd_extract_right(mp_task_t *t, mp_port_name_t n, uint32_t msgt, mp_task_t *into,
				       mp_port_name_t *poly, uint32_t *poly_type)
{
	mpd_port_call_t c = { .call = MPD_CALL_EXTRACT_RIGHT, .name = n, .a1 = msgt };
	mpd_port_result_t o;
	mp_kr_t kr;

	if (into->ops != t->ops)
		return MP_KERN_INVALID_TASK;
	mpd_client_space(C(into), &c.a64, &c.b64);
	kr = port_call(t, &c, &o);
	if (kr == MP_KERN_SUCCESS) {
		*poly = o.r1;
		*poly_type = o.r2;
	}
	return kr;
}

static mp_kr_t machportd_set_context(mp_task_t *t, mp_port_name_t n, uint64_t c)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_SET_CONTEXT, .name = n, .a64 = c });
}

static mp_kr_t machportd_get_context(mp_task_t *t, mp_port_name_t n, uint64_t *c)
{
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, &(mpd_port_call_t){ .call = MPD_CALL_GET_CONTEXT, .name = n }, &o);
	if (kr == MP_KERN_SUCCESS)
		*c = o.r64;
	return kr;
}

static mp_kr_t machportd_guard(mp_task_t *t, mp_port_name_t n, uint64_t g, uint64_t f)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_GUARD, .name = n, .a64 = g, .b64 = f });
}

static mp_kr_t machportd_unguard(mp_task_t *t, mp_port_name_t n, uint64_t g)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_UNGUARD, .name = n, .a64 = g });
}

static mp_kr_t machportd_set_qlimit(mp_task_t *t, mp_port_name_t n, uint32_t q)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_SET_QLIMIT, .name = n, .a1 = q });
}

static mp_kr_t machportd_get_status(mp_task_t *t, mp_port_name_t n, mp_port_status_t *st)
{
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, &(mpd_port_call_t){ .call = MPD_CALL_GET_STATUS, .name = n }, &o);
	if (kr == MP_KERN_SUCCESS) {
		if (o.nextra != sizeof *st)
			return MP_KERN_FAILURE;
		memcpy(st, o.extra, sizeof *st);
	}
	return kr;
}

static mp_kr_t machportd_insert_member(mp_task_t *t, mp_port_name_t mbr, mp_port_name_t ps)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_INSERT_MEMBER, .name = mbr, .a1 = ps });
}

static mp_kr_t machportd_extract_member(mp_task_t *t, mp_port_name_t mbr, mp_port_name_t ps)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_EXTRACT_MEMBER, .name = mbr, .a1 = ps });
}

static mp_kr_t machportd_move_member(mp_task_t *t, mp_port_name_t mbr, mp_port_name_t ps)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_MOVE_MEMBER, .name = mbr, .a1 = ps });
}

static mp_kr_t machportd_request_notification(mp_task_t *t, mp_port_name_t n, int32_t v, uint32_t sync,
					      mp_port_name_t notify, uint32_t disp, mp_port_name_t *prev)
{
	mpd_port_call_t c = { .call = MPD_CALL_REQUEST_NOTIFICATION, .name = n, .a1 = (uint32_t)v, .a2 = notify,
			      .delta = (int32_t)disp, .a64 = sync };
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, &c, &o);
	if (kr == MP_KERN_SUCCESS && prev != NULL)
		*prev = o.r1;
	return kr;
}

static mp_kr_t machportd_peek(mp_task_t *t, mp_port_name_t n, uint32_t opts, uint32_t *seqno, uint32_t *size,
			      int32_t *id, void *trailer, uint32_t *tsize)
{
	mpd_port_call_t c = { .call = MPD_CALL_PEEK, .name = n, .a1 = opts, .a2 = *seqno,
			      .delta = *tsize > MP_MAX_TRAILER_SIZE ? (int32_t)MP_MAX_TRAILER_SIZE : (int32_t)*tsize };
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, &c, &o);
	if (kr == MP_KERN_SUCCESS) {
		if (o.nextra > *tsize)
			return MP_KERN_FAILURE;
		*seqno = o.r1;
		*size = o.r2;
		*id = (int32_t)o.r3;
		memcpy(trailer, o.extra, o.nextra);
		*tsize = o.nextra;
	}
	return kr;
}

static mp_kr_t machportd_swap_guard(mp_task_t *t, mp_port_name_t n, uint64_t old_guard, uint64_t new_guard)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_SWAP_GUARD, .name = n, .a64 = old_guard,
						    .b64 = new_guard });
}

static mp_kr_t machportd_get_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, int32_t *info,
					uint32_t *count)
{
	mpd_port_call_t c = { .call = MPD_CALL_GET_ATTRIBUTES, .name = n, .a1 = (uint32_t)flavor,
			      .a2 = *count > MP_PORT_INFO_MAX ? MP_PORT_INFO_MAX : *count };
	mpd_port_result_t o;
	mp_kr_t kr = port_call(t, &c, &o);
	if (kr == MP_KERN_SUCCESS) {
		if (o.r1 > c.a2 || o.nextra != o.r1 * sizeof(*info))
			return MP_KERN_FAILURE;
		memcpy(info, o.extra, o.nextra);
		*count = o.r1;
	}
	return kr;
}

/* Every flavor XNU sets reads at most info[0]: it travels in a2. */
static mp_kr_t machportd_set_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, const int32_t *info,
					uint32_t count)
{
	mpd_port_call_t c = { .call = MPD_CALL_SET_ATTRIBUTES, .name = n, .a1 = (uint32_t)flavor,
			      .a2 = count > 0 ? (uint32_t)info[0] : 0,
			      .delta = count > INT32_MAX ? INT32_MAX : (int32_t)count };
	return port_call_kr(t, &c);
}

/* GUARD_INFO's mpgi_guard (info[0..1]) travels in a64. */
static mp_kr_t machportd_assert_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor,
					   const int32_t *info, uint32_t count)
{
	mpd_port_call_t c = { .call = MPD_CALL_ASSERT_ATTRIBUTES, .name = n, .a1 = (uint32_t)flavor,
			      .delta = count > INT32_MAX ? INT32_MAX : (int32_t)count };
	if (count >= MP_PORT_GUARD_INFO_COUNT)
		memcpy(&c.a64, info, sizeof(c.a64));
	return port_call_kr(t, &c);
}

/* ---- the task's VM ------------------------------------------------------ */

static void region_add(void *ctx, uint64_t addr, uint64_t len)
{
	mtask_t *m = ctx;
	mp_region_t *r = malloc(sizeof *r);
	if (r == NULL)
		return; /* untracked: vm_deallocate will not unmap it */
	r->addr = addr;
	r->len = len;
	pthread_mutex_lock(&m->mu);
	r->next = m->regions;
	m->regions = r;
	pthread_mutex_unlock(&m->mu);
}

/* vm_deallocate: lib/kern's rule (mp_region_cut) on the regions this task
 * got from the kernel; its malloc and stack are never touched. */
static void region_deallocate(void *ctx, uint64_t addr, uint64_t len)
{
	mtask_t *m = ctx;
	uint64_t bytes = 0;
	int64_t count = 0;
	pthread_mutex_lock(&m->mu);
	mp_region_cut(&m->regions, addr, len, PAGE, &bytes, &count);
	pthread_mutex_unlock(&m->mu);
}

/* The regions this task got from the daemon (mapped here) and holds. */
static mp_kr_t machportd_vm_usage(mp_task_t *t, uint32_t *regions, uint64_t *bytes)
{
	mtask_t *m = M(t);
	pthread_mutex_lock(&m->mu);
	for (const mp_region_t *r = m->regions; r != NULL; r = r->next) {
		(*regions)++;
		*bytes += r->len;
	}
	pthread_mutex_unlock(&m->mu);
	return MP_KERN_SUCCESS;
}

static mp_kr_t machportd_vm_allocate(mp_task_t *t, uint64_t *a, uint64_t size)
{
	void *p;
	if (size == 0) {
		*a = 0;
		return MP_KERN_SUCCESS;
	}
	size = (size + PAGE - 1) & ~(PAGE - 1);
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return MP_KERN_RESOURCE_SHORTAGE;
	*a = (uint64_t)(uintptr_t)p;
	region_add(M(t), *a, size);
	return MP_KERN_SUCCESS;
}

static mp_kr_t machportd_vm_deallocate(mp_task_t *t, uint64_t a, uint64_t size)
{
	region_deallocate(M(t), a, size);
	return MP_KERN_SUCCESS;
}

/* ---- mach_msg, the registry --------------------------------------------- */

static mp_kr_t machportd_mach_msg(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
				  uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	mpd_vm_hooks_t vm = { M(t), region_add, region_deallocate };
	return mpd_client_msg(C(t), msg, option, send_size, rcv_size, rcv_name, timeout_ms, &vm);
}

static mp_kr_t machportd_mach_msg2(mp_task_t *t, const mp_msg2_trap_args_t *a)
{
	mpd_vm_hooks_t vm = { M(t), region_add, region_deallocate };
	mpd_msg2_call_t c = {
		.data = a->data, .options = a->options, .bits = a->bits, .send_size = a->send_size,
		.remote = a->remote, .local = a->local, .voucher = a->voucher, .id = a->id,
		.desc_count = a->desc_count, .rcv_name = a->rcv_name, .rcv_size = a->rcv_size,
		.priority = a->priority, .timeout = a->timeout,
	};

	return mpd_client_msg2(C(t), &c, &vm);
}

static mp_kr_t machportd_bootstrap_register(mp_task_t *t, const char *service, mp_port_name_t port,
					    uint32_t disp)
{
	return mpd_client_register(C(t), service, port, disp);
}

static mp_kr_t machportd_bootstrap_look_up(mp_task_t *t, const char *service, mp_port_name_t *port)
{
	return mpd_client_look_up(C(t), service, port);
}

/* ---- tasks -------------------------------------------------------------- */

static uint32_t machportd_pid(const mp_task_t *t)
{
	return mpd_client_pid(C(t));
}

/* The space first (the client waits until the daemon has ended it), then
 * the pages the task still holds. */
static void machportd_close(mp_task_t *t)
{
	mtask_t *m = M(t);

	mpd_client_close(m->client);
	while (m->regions != NULL) {
		mp_region_t *r = m->regions;
		m->regions = r->next;
		munmap((void *)(uintptr_t)r->addr, (size_t)r->len);
		free(r);
	}
	pthread_mutex_destroy(&m->mu);
	free(m);
}

/* In a forked child: the connections closed here only (the daemon sees
 * nothing: the parent holds them too), the region records freed, the
 * regions themselves left mapped (the child's copies of the parent's
 * memory). The mutex is not destroyed: a thread the child does not have
 * may have held it. */
static void machportd_forget(mp_task_t *t)
{
	mtask_t *m = M(t);

	mpd_client_forget(m->client);
	while (m->regions != NULL) {
		mp_region_t *r = m->regions;
		m->regions = r->next;
		free(r);
	}
	free(m);
}

/* mach_port_names in one request: the reply's {name, type} pairs. */
_Static_assert(MP_PORT_NAMES_REMOTE_MAX == MPD_NAMES_MAX, "port.h's bound is the protocol's");
static mp_kr_t machportd_names(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count)
{
	uint8_t *buf = malloc(MPD_PORT_EXTRA_MAX);
	mpd_port_result_t o;
	mp_kr_t kr;
	uint32_t n;

	if (buf == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	kr = mpd_client_port_call_big(C(t), &(mpd_port_call_t){ .call = MPD_CALL_NAMES }, &o, buf,
				      MPD_PORT_EXTRA_MAX);
	n = o.r1;
	if (kr == MP_KERN_SUCCESS && (n > MPD_NAMES_MAX || o.nextra != n * 8u))
		kr = MP_KERN_FAILURE; /* not a NAMES reply */
	if (kr == MP_KERN_SUCCESS && n > 0) {
		*names = malloc(n * sizeof(**names));
		*types = malloc(n * sizeof(**types));
		if (*names == NULL || *types == NULL) {
			free(*names);
			free(*types);
			*names = NULL;
			*types = NULL;
			kr = MP_KERN_RESOURCE_SHORTAGE;
		} else {
			for (uint32_t i = 0; i < n; i++) {
				(*names)[i] = mp_load_le32(buf + 8u * i);
				(*types)[i] = mp_load_le32(buf + 8u * i + 4u);
			}
			*count = n;
		}
	}
	free(buf);
	return kr;
}

/* The daemon's kernel keeps the space's events: read and clear them. */
static mp_kr_t machportd_guard_events(mp_task_t *t, mp_guard_event_t *events, uint32_t max, uint32_t *n)
{
	uint8_t buf[MPD_GUARD_EVENTS_MAX * MPD_GUARD_EVENT_SIZE];
	mpd_port_result_t o;
	uint32_t want = max < MPD_GUARD_EVENTS_MAX ? max : MPD_GUARD_EVENTS_MAX;
	mp_kr_t kr = mpd_client_port_call_big(C(t), &(mpd_port_call_t){ .call = MPD_CALL_GUARD_EVENTS, .a1 = want },
					      &o, buf, sizeof buf);

	*n = 0;
	if (kr != MP_KERN_SUCCESS)
		return kr;
	if (o.r1 > want || o.nextra != o.r1 * MPD_GUARD_EVENT_SIZE)
		return MP_KERN_FAILURE; /* not a GUARD_EVENTS reply */
	for (uint32_t i = 0; i < o.r1; i++) {
		const uint8_t *b = buf + MPD_GUARD_EVENT_SIZE * i;
		mp_guard_event_t *e = &events[i];
		e->flavor = mp_load_le32(b);
		e->target = mp_load_le32(b + 4);
		e->payload = mp_load_le64(b + 8);
		e->code = MP_GUARD_EXC_CODE(e->flavor, e->target);
		e->always_fatal = e->flavor <= MP_GUARD_EXC_MAX_FATAL;
	}
	*n = o.r1;
	return MP_KERN_SUCCESS;
}

/* The task's hardened-binary property lives in the daemon's kernel. */
static mp_kr_t machportd_set_hardened(mp_task_t *t, int hardened)
{
	return port_call_kr(t, &(mpd_port_call_t){ .call = MPD_CALL_SET_HARDENED, .a1 = (uint32_t)hardened });
}

static const mp_backend_ops_t machportd_ops = {
	.kind = MP_BACKEND_MACHPORTD,
	.close = machportd_close,
	.forget = machportd_forget,
	.pid = machportd_pid,
	.allocate = machportd_allocate,
	.allocate_name = machportd_allocate_name,
	.construct = machportd_construct,
	.destruct = machportd_destruct,
	.deallocate = machportd_deallocate,
	.destroy = machportd_destroy,
	.mod_refs = machportd_mod_refs,
	.get_refs = machportd_get_refs,
	.type = machportd_type,
	.insert_right = machportd_insert_right,
	.extract_right = machportd_extract_right,
	.set_context = machportd_set_context,
	.get_context = machportd_get_context,
	.guard = machportd_guard,
	.unguard = machportd_unguard,
	.set_qlimit = machportd_set_qlimit,
	.get_status = machportd_get_status,
	.insert_member = machportd_insert_member,
	.extract_member = machportd_extract_member,
	.move_member = machportd_move_member,
	.request_notification = machportd_request_notification,
	.peek = machportd_peek,
	.vm_allocate = machportd_vm_allocate,
	.vm_deallocate = machportd_vm_deallocate,
	.mach_msg = machportd_mach_msg,
	.names = machportd_names,
	.guard_events = machportd_guard_events,
	.mach_msg2 = machportd_mach_msg2,
	.vm_usage = machportd_vm_usage,
	.bootstrap_register = machportd_bootstrap_register,
	.bootstrap_look_up = machportd_bootstrap_look_up,
	.swap_guard = machportd_swap_guard,
	.get_attributes = machportd_get_attributes,
	.set_attributes = machportd_set_attributes,
	.assert_attributes = machportd_assert_attributes,
	.set_hardened = machportd_set_hardened,
};

/* A task around an open client (closed here if there is no memory). */
static mp_kr_t task_new(mpd_client_t *client, mp_task_t **out)
{
	mp_task_t *t = calloc(1, sizeof *t);
	mtask_t *m = calloc(1, sizeof *m);

	if (t == NULL || m == NULL) {
		free(t);
		free(m);
		mpd_client_close(client);
		return MP_KERN_RESOURCE_SHORTAGE;
	}
	pthread_mutex_init(&m->mu, NULL);
	m->client = client;
	t->ops = &machportd_ops;
	t->impl = m;
	*out = t;
	return MP_KERN_SUCCESS;
}

static mp_kr_t machportd_open(mp_task_t **out)
{
	mpd_client_t *c;
	mp_kr_t kr = mpd_client_open(&c);
	return kr == MP_KERN_SUCCESS ? task_new(c, out) : kr;
}

static mp_kr_t machportd_open_remote(int fd, int server, mp_task_t **out)
{
	mpd_client_t *c;
	mp_kr_t kr = mpd_client_open_remote(fd, (pid_t)server, &c);
	return kr == MP_KERN_SUCCESS ? task_new(c, out) : kr;
}

const mp_backend_entry_t mp_machportd_backend = {
	.open = machportd_open,
	.open_remote = machportd_open_remote,
	.relay = mpd_client_relay,
	.check = mpd_client_check,
};

#else /* !__linux__ */

#include "lib/port/backend.h"

/* No machportd here: every entry NULL (port.c answers MP_KERN_NOT_SUPPORTED). */
const mp_backend_entry_t mp_machportd_backend = { .open = NULL };

#endif /* __linux__ */
