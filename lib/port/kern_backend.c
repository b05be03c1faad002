/* lib/port/kern_backend.c: lib/port on machports' embedded userspace kernel. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/kern/kern.h"
#include "lib/port/backend.h"

#define S(t) ((mp_kspace_t *)(t)->impl)

static void kern_close(mp_task_t *t)
{
	mp_kern_space_destroy(S(t));
}

/* The embedded kernel's spaces carry this process's identity. */
static uint32_t kern_pid(const mp_task_t *t)
{
	(void)t;
	return (uint32_t)getpid();
}

static mp_kr_t kern_allocate(mp_task_t *t, mp_port_right_t r, mp_port_name_t *n)
{
	return mp_kern_port_allocate(S(t), r, n);
}

static mp_kr_t kern_allocate_name(mp_task_t *t, mp_port_right_t r, mp_port_name_t n)
{
	return mp_kern_port_allocate_name(S(t), r, n);
}

static mp_kr_t kern_construct(mp_task_t *t, const mp_port_options_t *o, uint64_t ctx, mp_port_name_t *n)
{
	return mp_kern_port_construct(S(t), o ? o->flags : 0, o ? o->qlimit : 0, ctx, n);
}

static mp_kr_t kern_destruct(mp_task_t *t, mp_port_name_t n, int32_t d, uint64_t g)
{
	return mp_kern_port_destruct(S(t), n, d, g);
}

static mp_kr_t kern_deallocate(mp_task_t *t, mp_port_name_t n)
{
	return mp_kern_port_deallocate(S(t), n);
}

static mp_kr_t kern_destroy(mp_task_t *t, mp_port_name_t n)
{
	return mp_kern_port_destroy(S(t), n);
}

static mp_kr_t kern_mod_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, int32_t d)
{
	return mp_kern_port_mod_refs(S(t), n, r, d);
}

static mp_kr_t kern_get_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, uint32_t *refs)
{
	return mp_kern_port_get_refs(S(t), n, r, refs);
}

static mp_kr_t kern_type(mp_task_t *t, mp_port_name_t n, mp_port_type_t *type)
{
	return mp_kern_port_type(S(t), n, type);
}

static mp_kr_t kern_insert_right(mp_task_t *t, mp_port_name_t n, mp_task_t *from, mp_port_name_t poly,
			      uint32_t disp)
{
	if (from->ops != t->ops)
		return MP_KERN_INVALID_TASK;
	return mp_kern_port_insert_right(S(t), n, S(from), poly, disp);
}

static mp_kr_t kern_extract_right(mp_task_t *t, mp_port_name_t n, uint32_t msgt, mp_task_t *into,
			       mp_port_name_t *poly, uint32_t *poly_type)
{
	if (into->ops != t->ops)
		return MP_KERN_INVALID_TASK;
	return mp_kern_port_extract_right(S(t), n, msgt, S(into), poly, poly_type);
}

static mp_kr_t kern_set_context(mp_task_t *t, mp_port_name_t n, uint64_t c)
{
	return mp_kern_port_set_context(S(t), n, c);
}

static mp_kr_t kern_get_context(mp_task_t *t, mp_port_name_t n, uint64_t *c)
{
	return mp_kern_port_get_context(S(t), n, c);
}

static mp_kr_t kern_guard(mp_task_t *t, mp_port_name_t n, uint64_t g, uint64_t f)
{
	return mp_kern_port_guard(S(t), n, g, f);
}

static mp_kr_t kern_unguard(mp_task_t *t, mp_port_name_t n, uint64_t g)
{
	return mp_kern_port_unguard(S(t), n, g);
}

static mp_kr_t kern_set_qlimit(mp_task_t *t, mp_port_name_t n, uint32_t q)
{
	return mp_kern_port_set_qlimit(S(t), n, q);
}

static mp_kr_t kern_get_status(mp_task_t *t, mp_port_name_t n, mp_port_status_t *st)
{
	return mp_kern_port_get_status(S(t), n, st);
}

static mp_kr_t kern_insert_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	return mp_kern_port_insert_member(S(t), m, ps);
}

static mp_kr_t kern_extract_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	return mp_kern_port_extract_member(S(t), m, ps);
}

static mp_kr_t kern_move_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	return mp_kern_port_move_member(S(t), m, ps);
}

static mp_kr_t kern_request_notification(mp_task_t *t, mp_port_name_t n, int32_t v, uint32_t sync,
				      mp_port_name_t notify, uint32_t disp, mp_port_name_t *prev)
{
	return mp_kern_port_request_notification(S(t), n, v, sync, notify, disp, prev);
}

static mp_kr_t kern_peek(mp_task_t *t, mp_port_name_t n, uint32_t opts, uint32_t *seqno, uint32_t *size,
		      int32_t *id, void *trailer, uint32_t *tsize)
{
	return mp_kern_port_peek(S(t), n, opts, seqno, size, id, trailer, tsize);
}

static mp_kr_t kern_vm_allocate(mp_task_t *t, uint64_t *a, uint64_t size)
{
	return mp_kern_vm_allocate(S(t), a, size);
}

static mp_kr_t kern_vm_deallocate(mp_task_t *t, uint64_t a, uint64_t size)
{
	return mp_kern_vm_deallocate(S(t), a, size);
}

static mp_kr_t kern_vm_usage(mp_task_t *t, uint32_t *regions, uint64_t *bytes)
{
	mp_kern_vm_usage(S(t), regions, bytes);
	return MP_KERN_SUCCESS;
}

static mp_kr_t kern_mach_msg(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
			  uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	return mp_kern_msg(S(t), msg, option, send_size, rcv_size, rcv_name, timeout_ms);
}

static mp_kr_t kern_swap_guard(mp_task_t *t, mp_port_name_t n, uint64_t old_guard, uint64_t new_guard)
{
	return mp_kern_port_swap_guard(S(t), n, old_guard, new_guard);
}

static mp_kr_t kern_get_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, int32_t *info,
				   uint32_t *count)
{
	return mp_kern_port_get_attributes(S(t), n, flavor, info, count);
}

static mp_kr_t kern_set_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, const int32_t *info,
				   uint32_t count)
{
	return mp_kern_port_set_attributes(S(t), n, flavor, info, count);
}

static mp_kr_t kern_assert_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor,
				      const int32_t *info, uint32_t count)
{
	return mp_kern_port_assert_attributes(S(t), n, flavor, info, count);
}

static mp_kr_t kern_names(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count)
{
	return mp_kern_port_names(S(t), names, types, count);
}

static mp_kr_t kern_guard_events(mp_task_t *t, mp_guard_event_t *events, uint32_t max, uint32_t *n)
{
	mp_kern_guard_event_t ev[MP_GUARD_EVENTS_MAX];

	*n = mp_kern_space_guard_events(S(t), ev, max < MP_GUARD_EVENTS_MAX ? max : MP_GUARD_EVENTS_MAX,
					NULL);
	for (uint32_t i = 0; i < *n; i++)
		events[i] = (mp_guard_event_t){ ev[i].flavor, ev[i].target, ev[i].payload, ev[i].code,
						ev[i].always_fatal };
	return MP_KERN_SUCCESS;
}

static mp_kr_t kern_set_hardened(mp_task_t *t, int hardened)
{
	return mp_kern_space_set_hardened(S(t), hardened);
}

static mp_kr_t kern_set_vm_recycle(mp_task_t *t, int on)
{
	return mp_kern_space_set_vm_recycle(S(t), on);
}

_Static_assert(sizeof(mp_ledger_entry_t) == sizeof(mp_kern_ledger_entry_t) &&
		       offsetof(mp_ledger_entry_t, type) == offsetof(mp_kern_ledger_entry_t, type) &&
		       offsetof(mp_ledger_entry_t, urefs) == offsetof(mp_kern_ledger_entry_t, urefs),
	       "mp_ledger_entry_t is lib/kern's ledger entry");

static mp_kr_t kern_ledger(mp_task_t *t, mp_ledger_entry_t *out, uint32_t max, uint32_t *count)
{
	return mp_kern_port_ledger(S(t), (mp_kern_ledger_entry_t *)out, max, count);
}

static mp_kr_t kern_mach_msg2(mp_task_t *t, const mp_msg2_trap_args_t *a)
{
	mp_kern_msg2_args_t k = {
		.options = a->options, .data = a->data, .uaddr = 0, /* the buffers' own addresses */
		.bits = a->bits, .send_size = a->send_size, .remote = a->remote, .local = a->local,
		.voucher = a->voucher, .id = a->id, .desc_count = a->desc_count, .rcv_name = a->rcv_name,
		.rcv_size = a->rcv_size, .priority = a->priority, .timeout = a->timeout,
	};

	return mp_kern_msg2(S(t), &k);
}

/* ---- the bootstrap registry ---------------------------------------------- */

/* The embedded kernel's registry (lib/kern's, as machportd's), made with the
 * first task. A forked child gets a copy of it with the kernel: what the
 * parent registered is there, reaching the child's copies of the ports
 * (no rendezvous with the parent: that needs machportd). */
static pthread_once_t registry_once = PTHREAD_ONCE_INIT;
static mp_kern_registry_t *registry;

static void registry_fork_prepare(void)
{
	mp_kern_registry_fork_prepare(registry);
}

static void registry_fork_done(void)
{
	mp_kern_registry_fork_done(registry);
}

static void registry_make(void)
{
	registry = mp_kern_registry_create(mp_kern_shared());
	if (registry != NULL)
		pthread_atfork(registry_fork_prepare, registry_fork_done, registry_fork_done);
}

static mp_kern_registry_t *registry_get(void)
{
	pthread_once(&registry_once, registry_make);
	return registry;
}

/* The name's length, at most MP_KERN_SERVICE_MAX + 1 (too long: the
 * registry refuses it) without reading past its NUL. */
static uint32_t service_len(const char *service)
{
	uint32_t n = 0;

	while (n <= MP_KERN_SERVICE_MAX && service[n] != '\0')
		n++;
	return n;
}

static mp_kr_t kern_bootstrap_register(mp_task_t *t, const char *service, mp_port_name_t port, uint32_t disp)
{
	mp_kern_registry_t *reg = registry_get();

	if (reg == NULL)
		return MP_BOOTSTRAP_NO_MEMORY;
	return mp_kern_registry_register(reg, S(t), service, service_len(service), port, disp);
}

static mp_kr_t kern_bootstrap_look_up(mp_task_t *t, const char *service, mp_port_name_t *port)
{
	mp_kern_registry_t *reg = registry_get();

	if (reg == NULL)
		return MP_BOOTSTRAP_NO_MEMORY;
	return mp_kern_registry_look_up(reg, S(t), service, service_len(service), port);
}

static const mp_backend_ops_t kern_ops = {
	.kind = MP_BACKEND_KERN,
	.close = kern_close,
	.pid = kern_pid,
	.allocate = kern_allocate,
	.allocate_name = kern_allocate_name,
	.construct = kern_construct,
	.destruct = kern_destruct,
	.deallocate = kern_deallocate,
	.destroy = kern_destroy,
	.mod_refs = kern_mod_refs,
	.get_refs = kern_get_refs,
	.type = kern_type,
	.insert_right = kern_insert_right,
	.extract_right = kern_extract_right,
	.set_context = kern_set_context,
	.get_context = kern_get_context,
	.guard = kern_guard,
	.unguard = kern_unguard,
	.set_qlimit = kern_set_qlimit,
	.get_status = kern_get_status,
	.insert_member = kern_insert_member,
	.extract_member = kern_extract_member,
	.move_member = kern_move_member,
	.request_notification = kern_request_notification,
	.peek = kern_peek,
	.vm_allocate = kern_vm_allocate,
	.vm_deallocate = kern_vm_deallocate,
	.mach_msg = kern_mach_msg,
	.swap_guard = kern_swap_guard,
	.get_attributes = kern_get_attributes,
	.set_attributes = kern_set_attributes,
	.assert_attributes = kern_assert_attributes,
	.names = kern_names,
	.guard_events = kern_guard_events,
	.set_hardened = kern_set_hardened,
	.mach_msg2 = kern_mach_msg2,
	.vm_usage = kern_vm_usage,
	.set_vm_recycle = kern_set_vm_recycle,
	.ledger = kern_ledger,
	.bootstrap_register = kern_bootstrap_register,
	.bootstrap_look_up = kern_bootstrap_look_up,
};

static mp_kr_t kern_open(mp_task_t **out)
{
	mp_task_t *t = calloc(1, sizeof(*t));
	mp_kspace_t *s;
	mp_kr_t kr;

	*out = NULL;
	if (t == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	(void)registry_get(); /* before any task: its space is the kernel's first */
	kr = mp_kern_space_create(mp_kern_shared(), NULL, &s);
	if (kr != MP_KERN_SUCCESS) {
		free(t);
		return kr;
	}
	t->ops = &kern_ops;
	t->impl = s;
	*out = t;
	return MP_KERN_SUCCESS;
}

/* The embedded kernel's invariant checker and counters (machports/testing.h). */
static int kern_check(mp_kernel_report_t *r)
{
	mp_kern_stats_t st;

	r->ok = mp_kern_check(mp_kern_shared(), r->why, sizeof r->why) == 0;
	mp_kern_get_stats(mp_kern_shared(), &st);
	if (registry_get() != NULL)
		st.spaces--; /* tasks' spaces: not the registry's */
	r->spaces = st.spaces;
	r->ports = st.ports;
	r->psets = st.psets;
	r->kmsgs = st.kmsgs;
	r->vm_regions = st.vm_regions;
	return 0;
}

const mp_backend_entry_t mp_kern_backend = {
	.open = kern_open,
	.check = kern_check,
};
