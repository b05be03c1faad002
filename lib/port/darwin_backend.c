/*
 * lib/port/darwin_backend.c: lib/port on the real XNU kernel.
 *
 * Each op is the mach_port_* / mach_vm_* / mach_msg call of the same name on
 * mach_task_self(). There is one Darwin task per process, the current one:
 * mp_task_t carries nothing but the ops table.
 */
#include "lib/port/backend.h"

#if defined(__APPLE__)

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mach/mach_vm.h> /* mach_vm_allocate, mach_vm_deallocate */

/* Nothing to end: the task is this process (mp_task_close frees the mp_task_t). */
static void darwin_close(mp_task_t *t)
{
	(void)t;
}

/* The task is this process. */
static uint32_t darwin_pid(const mp_task_t *t)
{
	(void)t;
	return (uint32_t)getpid();
}

static mp_kr_t darwin_allocate(mp_task_t *t, mp_port_right_t r, mp_port_name_t *n)
{
	(void)t;
	return mach_port_allocate(mach_task_self(), r, n);
}

static mp_kr_t darwin_allocate_name(mp_task_t *t, mp_port_right_t r, mp_port_name_t n)
{
	(void)t;
	return mach_port_allocate_name(mach_task_self(), r, n);
}

static mp_kr_t darwin_construct(mp_task_t *t, const mp_port_options_t *o, uint64_t ctx, mp_port_name_t *n)
{
	mach_port_options_t mo = {
		.flags = o ? o->flags : 0,
		.mpl = { .mpl_qlimit = o ? o->qlimit : 0 },
	};

	(void)t;
	return mach_port_construct(mach_task_self(), &mo, (mach_port_context_t)ctx, n);
}

static mp_kr_t darwin_destruct(mp_task_t *t, mp_port_name_t n, int32_t d, uint64_t g)
{
	(void)t;
	return mach_port_destruct(mach_task_self(), n, d, (mach_port_context_t)g);
}

static mp_kr_t darwin_deallocate(mp_task_t *t, mp_port_name_t n)
{
	(void)t;
	return mach_port_deallocate(mach_task_self(), n);
}

/*
 * mp_port_destroy has mach_port_destroy's semantics (every right under the
 * name), so it calls it, though the SDK marks it deprecated since macOS 12.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static mp_kr_t darwin_destroy(mp_task_t *t, mp_port_name_t n)
{
	(void)t;
	return mach_port_destroy(mach_task_self(), n);
}
#pragma GCC diagnostic pop

static mp_kr_t darwin_mod_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, int32_t d)
{
	(void)t;
	return mach_port_mod_refs(mach_task_self(), n, r, d);
}

static mp_kr_t darwin_get_refs(mp_task_t *t, mp_port_name_t n, mp_port_right_t r, uint32_t *refs)
{
	mach_port_urefs_t u = 0;
	kern_return_t kr;

	(void)t;
	kr = mach_port_get_refs(mach_task_self(), n, r, &u);
	*refs = u;
	return kr;
}

static mp_kr_t darwin_type(mp_task_t *t, mp_port_name_t n, mp_port_type_t *type)
{
	mach_port_type_t ty = 0;
	kern_return_t kr;

	(void)t;
	kr = mach_port_type(mach_task_self(), n, &ty);
	*type = ty;
	return kr;
}

/* XNU copies `poly` in from the caller's own space: `from` must be this task. */
static mp_kr_t darwin_insert_right(mp_task_t *t, mp_port_name_t n, mp_task_t *from, mp_port_name_t poly,
			      uint32_t disp)
{
	if (from != t)
		return MP_KERN_INVALID_TASK;
	return mach_port_insert_right(mach_task_self(), n, poly, disp);
}

/* XNU gives the extracted right to the caller's own space: `into` must be this task. */
static mp_kr_t darwin_extract_right(mp_task_t *t, mp_port_name_t n, uint32_t msgt, mp_task_t *into,
			       mp_port_name_t *poly, uint32_t *poly_type)
{
	mach_port_t p = MACH_PORT_NULL;
	mach_msg_type_name_t pt = 0;
	kern_return_t kr;

	if (into != t)
		return MP_KERN_INVALID_TASK;
	kr = mach_port_extract_right(mach_task_self(), n, msgt, &p, &pt);
	*poly = p;
	*poly_type = pt;
	return kr;
}

static mp_kr_t darwin_set_context(mp_task_t *t, mp_port_name_t n, uint64_t c)
{
	(void)t;
	return mach_port_set_context(mach_task_self(), n, (mach_port_context_t)c);
}

/* mach_port_context_t is a pointer-sized integer, not uint64_t. */
static mp_kr_t darwin_get_context(mp_task_t *t, mp_port_name_t n, uint64_t *c)
{
	mach_port_context_t ctx = 0;
	kern_return_t kr;

	(void)t;
	kr = mach_port_get_context(mach_task_self(), n, &ctx);
	*c = (uint64_t)ctx;
	return kr;
}

/* `f` is MPG_* flags (MPG_STRICT, MPG_IMMOVABLE_RECEIVE). */
static mp_kr_t darwin_guard(mp_task_t *t, mp_port_name_t n, uint64_t g, uint64_t f)
{
	(void)t;
	return mach_port_guard_with_flags(mach_task_self(), n, (mach_port_context_t)g, f);
}

static mp_kr_t darwin_unguard(mp_task_t *t, mp_port_name_t n, uint64_t g)
{
	(void)t;
	return mach_port_unguard(mach_task_self(), n, (mach_port_context_t)g);
}

static mp_kr_t darwin_set_qlimit(mp_task_t *t, mp_port_name_t n, uint32_t q)
{
	mach_port_limits_t lim = { .mpl_qlimit = q };

	(void)t;
	return mach_port_set_attributes(mach_task_self(), n, MACH_PORT_LIMITS_INFO,
					(mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
}

static mp_kr_t darwin_get_status(mp_task_t *t, mp_port_name_t n, mp_port_status_t *st)
{
	mach_port_status_t s = { 0 };
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	kern_return_t kr;

	(void)t;
	kr = mach_port_get_attributes(mach_task_self(), n, MACH_PORT_RECEIVE_STATUS,
				      (mach_port_info_t)&s, &cnt);
	st->mps_pset = s.mps_pset;
	st->mps_seqno = s.mps_seqno;
	st->mps_mscount = s.mps_mscount;
	st->mps_qlimit = s.mps_qlimit;
	st->mps_msgcount = s.mps_msgcount;
	st->mps_sorights = s.mps_sorights;
	st->mps_srights = (uint32_t)s.mps_srights;
	st->mps_pdrequest = (uint32_t)s.mps_pdrequest;
	st->mps_nsrequest = (uint32_t)s.mps_nsrequest;
	st->mps_flags = s.mps_flags;
	return kr;
}

static mp_kr_t darwin_insert_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	(void)t;
	return mach_port_insert_member(mach_task_self(), m, ps);
}

static mp_kr_t darwin_extract_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	(void)t;
	return mach_port_extract_member(mach_task_self(), m, ps);
}

static mp_kr_t darwin_move_member(mp_task_t *t, mp_port_name_t m, mp_port_name_t ps)
{
	(void)t;
	return mach_port_move_member(mach_task_self(), m, ps);
}

/* `previous` is a name in this task (MIG's mach_port_t out parameter). */
static mp_kr_t darwin_request_notification(mp_task_t *t, mp_port_name_t n, int32_t v, uint32_t sync,
				      mp_port_name_t notify, uint32_t disp, mp_port_name_t *prev)
{
	mach_port_t p = MACH_PORT_NULL;
	kern_return_t kr;

	(void)t;
	kr = mach_port_request_notification(mach_task_self(), n, v, sync, notify, disp, &p);
	*prev = p;
	return kr;
}

static mp_kr_t darwin_peek(mp_task_t *t, mp_port_name_t n, uint32_t opts, uint32_t *seqno, uint32_t *size,
		      int32_t *id, void *trailer, uint32_t *tsize)
{
	mach_port_seqno_t sq = *seqno;
	mach_msg_size_t sz = 0;
	mach_msg_id_t mid = 0;
	mach_msg_type_number_t ts = *tsize;
	kern_return_t kr;

	(void)t;
	kr = mach_port_peek(mach_task_self(), n, (mach_msg_trailer_type_t)opts, &sq, &sz, &mid,
			    (mach_msg_trailer_info_t)trailer, &ts);
	*seqno = sq;
	*size = sz;
	*id = mid;
	*tsize = ts;
	return kr;
}

static mp_kr_t darwin_vm_allocate(mp_task_t *t, uint64_t *a, uint64_t size)
{
	mach_vm_address_t addr = 0;
	kern_return_t kr;

	(void)t;
	kr = mach_vm_allocate(mach_task_self(), &addr, size, VM_FLAGS_ANYWHERE);
	*a = addr;
	return kr;
}

static mp_kr_t darwin_vm_deallocate(mp_task_t *t, uint64_t a, uint64_t size)
{
	(void)t;
	return mach_vm_deallocate(mach_task_self(), a, size);
}

/*
 * §10.9: the mach_msg_trap send half is refused for native 64-bit processes;
 * libsyscall's mach_msg goes through mach_msg2. Never call the trap directly.
 */
static mp_kr_t darwin_mach_msg(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
			  uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	(void)t;
	return mach_msg((mach_msg_header_t *)msg, (mach_msg_option_t)option, send_size, rcv_size,
			rcv_name, timeout_ms, MACH_PORT_NULL);
}

static mp_kr_t darwin_swap_guard(mp_task_t *t, mp_port_name_t n, uint64_t old_guard, uint64_t new_guard)
{
	(void)t;
	return mach_port_swap_guard(mach_task_self(), n, (mach_port_context_t)old_guard,
				    (mach_port_context_t)new_guard);
}

static mp_kr_t darwin_get_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, int32_t *info,
				     uint32_t *count)
{
	mach_msg_type_number_t cnt = *count;
	kern_return_t kr;

	(void)t;
	kr = mach_port_get_attributes(mach_task_self(), n, flavor, (mach_port_info_t)info, &cnt);
	if (kr == KERN_SUCCESS)
		*count = cnt;
	return kr;
}

static mp_kr_t darwin_set_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor, const int32_t *info,
				     uint32_t count)
{
	int32_t buf[MP_PORT_INFO_MAX] = { 0 };

	(void)t;
	memcpy(buf, info, (count < MP_PORT_INFO_MAX ? count : MP_PORT_INFO_MAX) * sizeof(*buf));
	return mach_port_set_attributes(mach_task_self(), n, flavor, (mach_port_info_t)buf, count);
}

static mp_kr_t darwin_assert_attributes(mp_task_t *t, mp_port_name_t n, int32_t flavor,
					const int32_t *info, uint32_t count)
{
	int32_t buf[MP_PORT_INFO_MAX] = { 0 };

	(void)t;
	memcpy(buf, info, (count < MP_PORT_INFO_MAX ? count : MP_PORT_INFO_MAX) * sizeof(*buf));
	return mach_port_assert_attributes(mach_task_self(), n, flavor, (mach_port_info_t)buf, count);
}

/* mach_port_names itself; its MIG out-of-line arrays are copied into
 * malloc'd ones (port.h: the caller free()s them) and vm_deallocated.
 * guard_events stays NULL: XNU delivers EXC_GUARD itself. */
static mp_kr_t darwin_names(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t ty = NULL;
	mach_msg_type_number_t nc = 0, tc = 0;
	kern_return_t kr;

	(void)t;
	kr = mach_port_names(mach_task_self(), &n, &nc, &ty, &tc);
	if (kr != KERN_SUCCESS)
		return (mp_kr_t)kr;
	if (nc > 0) {
		*names = malloc(nc * sizeof(**names));
		*types = malloc(nc * sizeof(**types));
		if (*names == NULL || *types == NULL) {
			free(*names);
			free(*types);
			*names = NULL;
			*types = NULL;
			kr = KERN_RESOURCE_SHORTAGE;
		} else {
			memcpy(*names, n, nc * sizeof(**names));
			memcpy(*types, ty, nc * sizeof(**types));
			*count = nc;
		}
	}
	if (n != NULL)
		mach_vm_deallocate(mach_task_self(), (mach_vm_address_t)(uintptr_t)n, nc * sizeof(*n));
	if (ty != NULL)
		mach_vm_deallocate(mach_task_self(), (mach_vm_address_t)(uintptr_t)ty, tc * sizeof(*ty));
	return (mp_kr_t)kr;
}

#if defined(MACH64_SEND_USER_CALL)
/* An SDK with the private mach_msg2 (MACH64_SEND_USER_CALL is its one
 * #define): the real call, XNU's inline mach_msg2() shape. The public SDK
 * lacks it, and then .mach_msg2 is NULL: port.c answers KERN_NOT_SUPPORTED. */
static mp_kr_t darwin_mach_msg2(mp_task_t *t, const mp_msg2_trap_args_t *a)
{
	mach_msg_header_t h = {
		.msgh_bits = a->bits, .msgh_size = 0, .msgh_remote_port = a->remote,
		.msgh_local_port = a->local, .msgh_voucher_port = a->voucher, .msgh_id = a->id,
	};

	(void)t;
	return mach_msg2(a->data, (mach_msg_option64_t)a->options, h, a->send_size, a->rcv_size,
			 a->rcv_name, a->timeout, a->priority);
}
#define MP_DARWIN_MACH_MSG2 darwin_mach_msg2
#else
#define MP_DARWIN_MACH_MSG2 NULL
#endif

static const mp_backend_ops_t darwin_ops = {
	.kind = MP_BACKEND_DARWIN,
	.close = darwin_close,
	.pid = darwin_pid,
	.allocate = darwin_allocate,
	.allocate_name = darwin_allocate_name,
	.construct = darwin_construct,
	.destruct = darwin_destruct,
	.deallocate = darwin_deallocate,
	.destroy = darwin_destroy,
	.mod_refs = darwin_mod_refs,
	.get_refs = darwin_get_refs,
	.type = darwin_type,
	.insert_right = darwin_insert_right,
	.extract_right = darwin_extract_right,
	.set_context = darwin_set_context,
	.get_context = darwin_get_context,
	.guard = darwin_guard,
	.unguard = darwin_unguard,
	.set_qlimit = darwin_set_qlimit,
	.get_status = darwin_get_status,
	.insert_member = darwin_insert_member,
	.extract_member = darwin_extract_member,
	.move_member = darwin_move_member,
	.request_notification = darwin_request_notification,
	.peek = darwin_peek,
	.vm_allocate = darwin_vm_allocate,
	.vm_deallocate = darwin_vm_deallocate,
	.mach_msg = darwin_mach_msg,
	.swap_guard = darwin_swap_guard,
	.get_attributes = darwin_get_attributes,
	.set_attributes = darwin_set_attributes,
	.assert_attributes = darwin_assert_attributes,
	.names = darwin_names,
	.mach_msg2 = MP_DARWIN_MACH_MSG2,
};

static mp_kr_t darwin_open(mp_task_t **out)
{
	mp_task_t *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return MP_KERN_RESOURCE_SHORTAGE;
	t->ops = &darwin_ops;
	t->impl = NULL; /* the task is mach_task_self() */
	*out = t;
	return MP_KERN_SUCCESS;
}

const mp_backend_entry_t mp_darwin_backend = {
	.open = darwin_open, /* no open_remote, relay, check: port.c answers for them */
};

#else /* !__APPLE__ */

/* No Mach kernel here: every entry NULL, so mp_task_open(DARWIN) is
 * MP_KERN_NOT_SUPPORTED. */
const mp_backend_entry_t mp_darwin_backend = { .open = NULL };

#endif /* __APPLE__ */
