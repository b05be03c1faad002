/* lib/port/port.c: the public lib/port API over a backend (machports/port.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/port/backend.h"
#include "machports/le.h"
#include "machports/machportd.h"
#include "machports/port.h"
#include "machports/testing.h"

/* Each backend's calls without a task, by mp_backend_t. */
static const mp_backend_entry_t *const backends[] = {
	[MP_BACKEND_KERN] = &mp_kern_backend,
	[MP_BACKEND_DARWIN] = &mp_darwin_backend,
	[MP_BACKEND_MACHPORTD] = &mp_machportd_backend,
};

/* The backend's table, or NULL for a value no backend has. */
static const mp_backend_entry_t *backend_entry(mp_backend_t b)
{
	if ((unsigned)b >= sizeof backends / sizeof backends[0])
		return NULL;
	return backends[b];
}

/* ---- guard exceptions ------------------------------------------------------ */

static const char *guard_flavor_class(uint32_t flavor)
{
	switch (flavor) {
#define MP_GUARD_CLASS_(name, value, cls) \
	case value:                           \
		return cls;
		MP_GUARD_EXC_TABLE(MP_GUARD_CLASS_)
#undef MP_GUARD_CLASS_
	}
	return NULL;
}

const char *mp_guard_flavor_name(uint32_t flavor)
{
	switch (flavor) {
#define MP_GUARD_NAME_(name, value, cls) \
	case value:                          \
		return "kGUARD_EXC_" #name;
		MP_GUARD_EXC_TABLE(MP_GUARD_NAME_)
#undef MP_GUARD_NAME_
	}
	return "kGUARD_EXC_?";
}

static int guard_event_aborts(mp_guard_policy_t policy, const mp_guard_event_t *e)
{
	return policy == MP_GUARD_POLICY_ABORT_ANY ||
	       (policy == MP_GUARD_POLICY_ABORT_FATAL && e->flavor <= MP_GUARD_EXC_MAX_FATAL);
}

/* The readable report of a fatal event, then abort() (as XNU kills the
 * task on return from the call that raised it). */
static void guard_abort(const mp_guard_event_t *e, const char *call)
{
	fprintf(stderr,
		"machports: EXC_GUARD %s (0x%x, %s) on name 0x%x payload 0x%llx code 0x%llx in %s\n",
		mp_guard_flavor_name(e->flavor), e->flavor,
		guard_flavor_class(e->flavor) ? guard_flavor_class(e->flavor) : "unknown", e->target,
		(unsigned long long)e->payload, (unsigned long long)e->code, call);
	fflush(stderr);
	abort();
}

/* After a call: under a policy other than RECORD, the events it raised are
 * read from the kernel; one the policy finds fatal aborts, the others are
 * kept for mp_task_guard_events. Returns `kr` unchanged. */
static mp_kr_t guard_checked(mp_task_t *t, const char *call, mp_kr_t kr)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = 0;

	if (t->guard_policy == MP_GUARD_POLICY_RECORD || t->ops->guard_events == NULL)
		return kr;
	if (t->ops->guard_events(t, ev, MP_GUARD_EVENTS_MAX, &n) != MP_KERN_SUCCESS)
		return kr;
	for (uint32_t i = 0; i < n; i++) {
		if (guard_event_aborts(t->guard_policy, &ev[i]))
			guard_abort(&ev[i], call);
		if (t->nkept < MP_GUARD_EVENTS_MAX)
			t->kept[t->nkept++] = ev[i];
	}
	return kr;
}

mp_kr_t mp_task_guard_events(mp_task_t *t, mp_guard_event_t *events, uint32_t max, uint32_t *n)
{
	uint32_t kept, more = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MP_KERN_INVALID_TASK;
	if (n == NULL || (events == NULL && max != 0))
		return MP_KERN_INVALID_ARGUMENT;
	*n = 0;
	if (t->ops->guard_events == NULL)
		return MP_KERN_NOT_SUPPORTED;
	kept = t->nkept < max ? t->nkept : max;
	if (kept > 0)
		memcpy(events, t->kept, kept * sizeof(*events));
	t->nkept = 0;
	if (max > kept) {
		kr = t->ops->guard_events(t, events + kept, max - kept, &more);
	} else {
		mp_guard_event_t discard[MP_GUARD_EVENTS_MAX];
		kr = t->ops->guard_events(t, discard, MP_GUARD_EVENTS_MAX, &more);
		more = 0;
	}
	if (kr != MP_KERN_SUCCESS)
		return kr;
	*n = kept + more;
	return MP_KERN_SUCCESS;
}

mp_kr_t mp_task_set_guard_policy(mp_task_t *t, mp_guard_policy_t policy)
{
	if (t == NULL)
		return MP_KERN_INVALID_TASK;
	if (policy != MP_GUARD_POLICY_RECORD && policy != MP_GUARD_POLICY_ABORT_FATAL &&
	    policy != MP_GUARD_POLICY_ABORT_ANY)
		return MP_KERN_INVALID_VALUE;
	if (t->ops->guard_events == NULL)
		return MP_KERN_NOT_SUPPORTED;
	t->guard_policy = policy;
	return MP_KERN_SUCCESS;
}

mp_kr_t mp_task_open(mp_backend_t backend, mp_task_t **out)
{
	const mp_backend_entry_t *e = backend_entry(backend);

	if (out == NULL)
		return MP_KERN_INVALID_ARGUMENT;
	*out = NULL;
	if (e == NULL || e->open == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return e->open(out);
}

void mp_task_close(mp_task_t *t)
{
	if (t == NULL)
		return;
	t->ops->close(t);
	free(t);
}

void mp_task_forget_after_fork(mp_task_t *t)
{
	if (t == NULL)
		return;
	if (t->ops->forget != NULL)
		t->ops->forget(t);
	free(t);
}

mp_kr_t mp_task_open_remote(int fd, int server, mp_task_t **out)
{
	const mp_backend_entry_t *e = backend_entry(MP_BACKEND_MACHPORTD);

	if (out == NULL)
		return MP_KERN_INVALID_ARGUMENT;
	*out = NULL;
	if (e->open_remote == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return e->open_remote(fd, server, out);
}

int mp_task_relay(int fd)
{
	const mp_backend_entry_t *e = backend_entry(MP_BACKEND_MACHPORTD);

	return e->relay != NULL ? e->relay(fd) : -1;
}

mp_kr_t mp_bootstrap_register(mp_task_t *t, const char *service, mp_port_name_t port, uint32_t disposition)
{
	if (t == NULL || service == NULL)
		return MP_KERN_INVALID_ARGUMENT;
	if (t->ops->bootstrap_register == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->bootstrap_register(t, service, port, disposition));
}

mp_kr_t mp_bootstrap_look_up(mp_task_t *t, const char *service, mp_port_name_t *port)
{
	if (t == NULL || service == NULL || port == NULL)
		return MP_KERN_INVALID_ARGUMENT;
	*port = MP_PORT_NULL; /* no right on failure, whatever the backend */
	if (t->ops->bootstrap_look_up == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->bootstrap_look_up(t, service, port));
}

uint32_t mp_task_pid(const mp_task_t *t)
{
	return t->ops->pid(t);
}

int mp_backend_check(mp_backend_t b, mp_kernel_report_t *r)
{
	const mp_backend_entry_t *e = backend_entry(b);

	memset(r, 0, sizeof *r);
	if (e == NULL || e->check == NULL) {
		snprintf(r->why, sizeof r->why, "no kernel check on this backend");
		return -1;
	}
	return e->check(r);
}

mp_backend_t mp_task_backend(const mp_task_t *t)
{
	return t->ops->kind;
}

#define CHECK_TASK(t)                          \
	do {                                   \
		if ((t) == NULL)               \
			return MP_KERN_INVALID_TASK; \
	} while (0)

mp_kr_t mp_port_allocate(mp_task_t *t, mp_port_right_t right, mp_port_name_t *name)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->allocate(t, right, name));
}

mp_kr_t mp_port_allocate_name(mp_task_t *t, mp_port_right_t right, mp_port_name_t name)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->allocate_name(t, right, name));
}

mp_kr_t mp_port_construct(mp_task_t *t, const mp_port_options_t *opts, uint64_t context,
			  mp_port_name_t *name)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->construct(t, opts, context, name));
}

mp_kr_t mp_port_destruct(mp_task_t *t, mp_port_name_t name, int32_t srdelta, uint64_t guard)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->destruct(t, name, srdelta, guard));
}

mp_kr_t mp_port_deallocate(mp_task_t *t, mp_port_name_t name)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->deallocate(t, name));
}

mp_kr_t mp_port_destroy(mp_task_t *t, mp_port_name_t name)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->destroy(t, name));
}

mp_kr_t mp_port_mod_refs(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, int32_t delta)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->mod_refs(t, name, right, delta));
}

mp_kr_t mp_port_get_refs(mp_task_t *t, mp_port_name_t name, mp_port_right_t right, uint32_t *refs)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->get_refs(t, name, right, refs));
}

mp_kr_t mp_port_type(mp_task_t *t, mp_port_name_t name, mp_port_type_t *type)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->type(t, name, type));
}

mp_kr_t mp_port_insert_right(mp_task_t *t, mp_port_name_t name, mp_task_t *from,
			     mp_port_name_t poly, uint32_t poly_disp)
{
	CHECK_TASK(t);
	CHECK_TASK(from);
	return guard_checked(t, __func__, t->ops->insert_right(t, name, from, poly, poly_disp));
}

mp_kr_t mp_port_extract_right(mp_task_t *t, mp_port_name_t name, uint32_t msgt, mp_task_t *into,
			      mp_port_name_t *poly, uint32_t *poly_type)
{
	CHECK_TASK(t);
	CHECK_TASK(into);
	return guard_checked(t, __func__, t->ops->extract_right(t, name, msgt, into, poly, poly_type));
}

mp_kr_t mp_port_set_context(mp_task_t *t, mp_port_name_t name, uint64_t context)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->set_context(t, name, context));
}

mp_kr_t mp_port_get_context(mp_task_t *t, mp_port_name_t name, uint64_t *context)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->get_context(t, name, context));
}

mp_kr_t mp_port_guard(mp_task_t *t, mp_port_name_t name, uint64_t guard, int strict)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->guard(t, name, guard, strict ? MP_MPG_STRICT : 0));
}

mp_kr_t mp_port_guard_with_flags(mp_task_t *t, mp_port_name_t name, uint64_t guard, uint64_t flags)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->guard(t, name, guard, flags));
}

mp_kr_t mp_port_unguard(mp_task_t *t, mp_port_name_t name, uint64_t guard)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->unguard(t, name, guard));
}

mp_kr_t mp_port_set_qlimit(mp_task_t *t, mp_port_name_t name, uint32_t qlimit)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->set_qlimit(t, name, qlimit));
}

mp_kr_t mp_port_get_status(mp_task_t *t, mp_port_name_t name, mp_port_status_t *status)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->get_status(t, name, status));
}

mp_kr_t mp_port_insert_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->insert_member(t, member, pset));
}

mp_kr_t mp_port_extract_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->extract_member(t, member, pset));
}

mp_kr_t mp_port_move_member(mp_task_t *t, mp_port_name_t member, mp_port_name_t pset)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->move_member(t, member, pset));
}

mp_kr_t mp_port_request_notification(mp_task_t *t, mp_port_name_t name, int32_t variant,
				     uint32_t sync, mp_port_name_t notify, uint32_t notify_disp,
				     mp_port_name_t *previous)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->request_notification(t, name, variant, sync, notify, notify_disp, previous));
}

mp_kr_t mp_port_peek(mp_task_t *t, mp_port_name_t name, uint32_t trailer_opts, uint32_t *seqno,
		     uint32_t *size, int32_t *id, void *trailer, uint32_t *trailer_size)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->peek(t, name, trailer_opts, seqno, size, id, trailer, trailer_size));
}

mp_kr_t mp_port_swap_guard(mp_task_t *t, mp_port_name_t name, uint64_t old_guard, uint64_t new_guard)
{
	CHECK_TASK(t);
	if (t->ops->swap_guard == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->swap_guard(t, name, old_guard, new_guard));
}

mp_kr_t mp_port_get_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, int32_t *info,
			       uint32_t *count)
{
	CHECK_TASK(t);
	if (t->ops->get_attributes == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->get_attributes(t, name, flavor, info, count));
}

mp_kr_t mp_port_set_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
			       uint32_t count)
{
	CHECK_TASK(t);
	if (t->ops->set_attributes == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->set_attributes(t, name, flavor, info, count));
}

mp_kr_t mp_port_assert_attributes(mp_task_t *t, mp_port_name_t name, int32_t flavor, const int32_t *info,
				  uint32_t count)
{
	CHECK_TASK(t);
	if (t->ops->assert_attributes == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->assert_attributes(t, name, flavor, info, count));
}

mp_kr_t mp_vm_allocate(mp_task_t *t, uint64_t *address, uint64_t size)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->vm_allocate(t, address, size));
}

mp_kr_t mp_vm_deallocate(mp_task_t *t, uint64_t address, uint64_t size)
{
	CHECK_TASK(t);
	return guard_checked(t, __func__, t->ops->vm_deallocate(t, address, size));
}

mp_kr_t mp_task_vm_usage(mp_task_t *t, uint32_t *regions, uint64_t *bytes)
{
	CHECK_TASK(t);
	*regions = 0;
	*bytes = 0;
	if (t->ops->vm_usage == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return t->ops->vm_usage(t, regions, bytes);
}

mp_kr_t mp_mach_msg(mp_task_t *t, void *msg, uint32_t option, uint32_t send_size,
		    uint32_t rcv_size, mp_port_name_t rcv_name, uint32_t timeout_ms)
{
	if (t == NULL)
		return (option & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DEST
						   : MP_MACH_RCV_INVALID_NAME;
	return guard_checked(t, __func__, t->ops->mach_msg(t, msg, option, send_size, rcv_size, rcv_name, timeout_ms));
}

/* ------------------------------------------------------------------------
 * mp_msg_destroy (libsyscall's mach_msg_destroy, §6.10)
 * ------------------------------------------------------------------------ */

/* Releases one right of a received type (16 receive, 17 send, 18 send-once). */
static void release_name(mp_task_t *t, mp_port_name_t name, uint32_t type)
{
	if (!MP_PORT_VALID(name))
		return;
	switch (type) {
	case MP_MSG_TYPE_PORT_RECEIVE:
		(void)mp_port_mod_refs(t, name, MP_PORT_RIGHT_RECEIVE, -1);
		break;
	case MP_MSG_TYPE_PORT_SEND:
	case MP_MSG_TYPE_PORT_SEND_ONCE:
		/* mach_port_deallocate handles a send right that became a dead name */
		(void)mp_port_deallocate(t, name);
		break;
	default:
		break;
	}
}

/* Releases what one descriptor carries: its rights, and its region if the
 * sender asked for deallocation (libsyscall's mach_msg_destroy_port /
 * mach_msg_destroy_memory). */
static void destroy_desc(mp_task_t *t, const mp_desc_t *d)
{
	switch (d->type) {
	case MP_MSG_PORT_DESCRIPTOR:
		release_name(t, d->name, d->disposition);
		break;
	case MP_MSG_OOL_DESCRIPTOR:
	case MP_MSG_OOL_VOLATILE_DESCRIPTOR:
		if (d->deallocate && d->length != 0)
			(void)mp_vm_deallocate(t, d->address, d->length);
		break;
	case MP_MSG_OOL_PORTS_DESCRIPTOR: {
		const uint8_t *names = (const uint8_t *)(uintptr_t)d->address;
		for (uint32_t j = 0; d->address != 0 && j < d->length; j++)
			release_name(t, mp_load_le32(names + 4u * j), d->disposition);
		if (d->deallocate && d->address != 0 && d->length != 0)
			(void)mp_vm_deallocate(t, d->address, (uint64_t)d->length * 4u);
		break;
	}
	case MP_MSG_GUARDED_PORT_DESCRIPTOR:
		if (MP_PORT_VALID(d->name) && !(d->flags & MP_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND))
			(void)mp_port_unguard(t, d->name, d->context);
		release_name(t, d->name, d->disposition);
		break;
	default:
		break;
	}
}

void mp_msg_destroy(mp_task_t *t, void *msg, size_t buf_len)
{
	const uint8_t *b = msg;
	uint32_t bits, size;
	mp_desc_iter_t it;
	mp_desc_t d;

	if (t == NULL || b == NULL || buf_len < MP_MSG_HEADER_SIZE)
		return;
	bits = mp_load_le32(b + MP_MSGH_BITS_OFFSET);
	size = mp_load_le32(b + MP_MSGH_SIZE_OFFSET);
	if (size > buf_len)
		size = (uint32_t)buf_len;
	/* the remote (reply) right and the voucher; never msgh_local_port */
	release_name(t, mp_load_le32(b + MP_MSGH_REMOTE_OFFSET), MP_MSGH_BITS_REMOTE(bits));
	if (MP_MSGH_BITS_VOUCHER(bits) == MP_MSG_TYPE_MOVE_SEND)
		release_name(t, mp_load_le32(b + MP_MSGH_VOUCHER_OFFSET), MP_MSG_TYPE_PORT_SEND);
	/* lenient: a descriptor that does not fit in msgh_size, or of an
	 * unknown type, ends the walk (the rights before it are released) */
	mp_desc_iter_init_raw(&it, b, size);
	while (mp_desc_next(&it, &d))
		destroy_desc(t, &d);
}

/* ------------------------------------------------------------------------
 * Handles
 * ------------------------------------------------------------------------ */

mp_kr_t mp_recv_allocate(mp_task_t *t, const mp_port_options_t *opts, uint64_t context,
			 mp_recv_t *out)
{
	mp_port_options_t none = { 0, 0 };
	mp_kr_t kr;

	out->task = NULL;
	out->name = MP_PORT_NULL;
	kr = mp_port_construct(t, opts ? opts : &none, context, &out->name);
	if (kr == MP_KERN_SUCCESS)
		out->task = t;
	return kr;
}

mp_kr_t mp_recv_make_send(const mp_recv_t *r, mp_send_t *out)
{
	mp_kr_t kr = mp_port_insert_right(r->task, r->name, r->task, r->name, MP_MSG_TYPE_MAKE_SEND);

	out->task = kr == MP_KERN_SUCCESS ? r->task : NULL;
	out->name = kr == MP_KERN_SUCCESS ? r->name : MP_PORT_NULL;
	return kr;
}

mp_kr_t mp_recv_make_send_once(const mp_recv_t *r, mp_sonce_t *out)
{
	uint32_t type;
	mp_kr_t kr = mp_port_extract_right(r->task, r->name, MP_MSG_TYPE_MAKE_SEND_ONCE, r->task,
					   &out->name, &type);

	out->task = kr == MP_KERN_SUCCESS ? r->task : NULL;
	if (kr != MP_KERN_SUCCESS)
		out->name = MP_PORT_NULL;
	return kr;
}

void mp_recv_drop(mp_recv_t *r)
{
	uint64_t guard = 0;

	if (r == NULL || r->task == NULL)
		return;
	/* mach_port_destruct with the port's own guard, so a guarded port is
	 * destroyed too; send urefs under the name become a dead name */
	(void)mp_port_get_context(r->task, r->name, &guard);
	(void)mp_port_destruct(r->task, r->name, 0, guard);
	r->task = NULL;
	r->name = MP_PORT_NULL;
}

mp_kr_t mp_send_clone(const mp_send_t *s, mp_send_t *out)
{
	mp_kr_t kr = mp_port_mod_refs(s->task, s->name, MP_PORT_RIGHT_SEND, 1);

	if (kr == MP_KERN_INVALID_RIGHT) /* the port died: the name is a dead name now */
		kr = mp_port_mod_refs(s->task, s->name, MP_PORT_RIGHT_DEAD_NAME, 1);
	out->task = kr == MP_KERN_SUCCESS ? s->task : NULL;
	out->name = kr == MP_KERN_SUCCESS ? s->name : MP_PORT_NULL;
	return kr;
}

void mp_send_drop(mp_send_t *s)
{
	if (s == NULL || s->task == NULL)
		return;
	(void)mp_port_deallocate(s->task, s->name);
	s->task = NULL;
	s->name = MP_PORT_NULL;
}

void mp_sonce_drop(mp_sonce_t *s)
{
	if (s == NULL || s->task == NULL)
		return;
	(void)mp_port_deallocate(s->task, s->name);
	s->task = NULL;
	s->name = MP_PORT_NULL;
}

mp_kr_t mp_pset_allocate(mp_task_t *t, mp_pset_t *out)
{
	mp_kr_t kr = mp_port_allocate(t, MP_PORT_RIGHT_PORT_SET, &out->name);

	out->task = kr == MP_KERN_SUCCESS ? t : NULL;
	if (kr != MP_KERN_SUCCESS)
		out->name = MP_PORT_NULL;
	return kr;
}

mp_kr_t mp_pset_add(const mp_pset_t *set, const mp_recv_t *member)
{
	if (set->task != member->task)
		return MP_KERN_INVALID_TASK;
	return mp_port_insert_member(set->task, member->name, set->name);
}

mp_kr_t mp_pset_remove(const mp_pset_t *set, const mp_recv_t *member)
{
	if (set->task != member->task)
		return MP_KERN_INVALID_TASK;
	return mp_port_extract_member(set->task, member->name, set->name);
}

void mp_pset_drop(mp_pset_t *set)
{
	if (set == NULL || set->task == NULL)
		return;
	(void)mp_port_mod_refs(set->task, set->name, MP_PORT_RIGHT_PORT_SET, -1);
	set->task = NULL;
	set->name = MP_PORT_NULL;
}

/* ------------------------------------------------------------------------
 * Sending and receiving
 * ------------------------------------------------------------------------ */

mp_kr_t mp_msg_send(mp_task_t *t, void *msg, uint32_t send_size, uint32_t options,
		    uint32_t timeout_ms)
{
	return mp_mach_msg(t, msg, MP_MACH_SEND_MSG | (options & ~MP_MACH_RCV_MSG), send_size, 0,
			   MP_PORT_NULL, timeout_ms);
}

mp_kr_t mp_msg_receive(mp_task_t *t, mp_port_name_t rcv_name, uint32_t options,
		       uint32_t timeout_ms, void *buf, size_t buf_len, mp_received_t *out)
{
	uint32_t rcv_size = buf_len > UINT32_MAX ? UINT32_MAX : (uint32_t)buf_len;
	mp_kr_t kr;
	mp_err_t err;

	memset(out, 0, sizeof(*out));
	kr = mp_mach_msg(t, buf, MP_MACH_RCV_MSG | (options & ~MP_MACH_SEND_MSG), 0, rcv_size,
			 rcv_name, timeout_ms);
	out->kr = kr;
	/* a message was written unless the receive failed before dequeueing */
	if (kr != MP_MACH_MSG_SUCCESS && (kr & ~MP_MACH_MSG_MASK) != MP_MACH_RCV_BODY_ERROR &&
	    (kr & ~MP_MACH_MSG_MASK) != MP_MACH_RCV_HEADER_ERROR &&
	    !(kr == MP_MACH_RCV_TOO_LARGE && !(options & MP_MACH_RCV_LARGE)))
		return kr;
	err = mp_parse_recv(&out->view, buf, rcv_size, mp_rcv_trailer_size(options), &out->diag);
	if (err != MP_OK) { /* the rule, offset and reason stay in out->diag */
		mp_msg_destroy(t, buf, rcv_size);
		return MP_MACH_RCV_INVALID_DATA;
	}
	out->task = t;
	out->buf = buf;
	out->buf_len = rcv_size;
	return kr;
}

#define TAKE_REPLY UINT32_MAX /* the header's reply right, not a descriptor */

/* The slot holding a right of carried type `want`: the reply right
 * (index TAKE_REPLY), or descriptor `index` (element `element` of an OOL
 * port array). Its name is handed out and zeroed, so the message no longer
 * holds it. */
static int take_desc(mp_received_t *m, uint32_t index, uint32_t element, uint32_t want,
		     mp_port_name_t *name)
{
	mp_desc_iter_t it;
	mp_desc_t d;
	uint32_t i = 0;
	uint8_t *slot = NULL;

	if (m->task == NULL)
		return 0;
	if (index == TAKE_REPLY) {
		if (MP_MSGH_BITS_REMOTE(mp_load_le32(m->buf + MP_MSGH_BITS_OFFSET)) != want)
			return 0;
		slot = m->buf + MP_MSGH_REMOTE_OFFSET;
		goto take;
	}
	mp_desc_iter_init(&it, &m->view);
	while (mp_desc_next(&it, &d)) {
		if (i++ != index)
			continue;
		if (d.disposition != want)
			return 0;
		if (d.type == MP_MSG_PORT_DESCRIPTOR && element == 0)
			slot = m->buf + d.offset;
		else if (d.type == MP_MSG_GUARDED_PORT_DESCRIPTOR && element == 0)
			slot = m->buf + d.offset + offsetof(mp_msg_guarded_port_descriptor_t, name);
		else if (d.type == MP_MSG_OOL_PORTS_DESCRIPTOR && element < d.length && d.address != 0)
			slot = (uint8_t *)(uintptr_t)d.address + 4u * element;
		break;
	}
take:
	if (slot == NULL || !MP_PORT_VALID(mp_load_le32(slot)))
		return 0;
	*name = mp_load_le32(slot);
	mp_store_le32(slot, MP_PORT_NULL);
	return 1;
}

/* The three take functions differ only in the right they want. */
static int take_handle(mp_received_t *m, uint32_t index, uint32_t element, uint32_t want,
		       mp_task_t **task, mp_port_name_t *name)
{
	*task = NULL;
	*name = MP_PORT_NULL;
	if (!take_desc(m, index, element, want, name))
		return 0;
	*task = m->task;
	return 1;
}

int mp_received_take_reply_send(mp_received_t *m, mp_send_t *out)
{
	return take_handle(m, TAKE_REPLY, 0, MP_MSG_TYPE_PORT_SEND, &out->task, &out->name);
}

int mp_received_take_reply_sonce(mp_received_t *m, mp_sonce_t *out)
{
	return take_handle(m, TAKE_REPLY, 0, MP_MSG_TYPE_PORT_SEND_ONCE, &out->task, &out->name);
}

int mp_received_take_send(mp_received_t *m, uint32_t index, uint32_t element, mp_send_t *out)
{
	return take_handle(m, index, element, MP_MSG_TYPE_PORT_SEND, &out->task, &out->name);
}

int mp_received_take_recv(mp_received_t *m, uint32_t index, uint32_t element, mp_recv_t *out)
{
	return take_handle(m, index, element, MP_MSG_TYPE_PORT_RECEIVE, &out->task, &out->name);
}

int mp_received_take_sonce(mp_received_t *m, uint32_t index, uint32_t element, mp_sonce_t *out)
{
	return take_handle(m, index, element, MP_MSG_TYPE_PORT_SEND_ONCE, &out->task, &out->name);
}

void mp_received_release(mp_received_t *m)
{
	if (m == NULL || m->task == NULL)
		return;
	mp_msg_destroy(m->task, m->buf, m->buf_len);
	m->task = NULL;
}

mp_kr_t mp_port_names(mp_task_t *t, mp_port_name_t **names, mp_port_type_t **types, uint32_t *count)
{
	CHECK_TASK(t);
	if (names == NULL || types == NULL || count == NULL)
		return MP_KERN_INVALID_ARGUMENT;
	*names = NULL;
	*types = NULL;
	*count = 0;
	if (t->ops->names == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->names(t, names, types, count));
}

mp_kr_t mp_task_set_hardened(mp_task_t *t, int hardened)
{
	CHECK_TASK(t);
	if (t->ops->set_hardened == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return t->ops->set_hardened(t, hardened);
}

mp_kr_t mp_task_set_vm_recycle(mp_task_t *t, int on)
{
	CHECK_TASK(t);
	if (t->ops->set_vm_recycle == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return t->ops->set_vm_recycle(t, on);
}

mp_kr_t mp_task_ledger(mp_task_t *t, mp_ledger_entry_t *out, uint32_t max, uint32_t *count)
{
	*count = 0;
	CHECK_TASK(t);
	if (t->ops->ledger == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return t->ops->ledger(t, out, max, count);
}

/* ------------------------------------------------------------------------
 * mach_msg2 (osfmk/mach/message.h's inline mach_msg2(), PRIVATE)
 * ------------------------------------------------------------------------ */

/* The descriptor count the inline mach_msg2() passes: the buffer's (the
 * message vector's with MACH64_MSG_VECTOR) when sending a message whose
 * buffer header says COMPLEX, else 0. A NULL buffer has none (XNU's inline
 * function would fault; the kernel then answers for the NULL buffer). */
static uint32_t msg2_desc_count(const void *data, uint64_t option64)
{
	const uint8_t *base = data;

	if (!(option64 & MP_MACH_SEND_MSG) || base == NULL)
		return 0;
	if (option64 & MP_MACH64_MSG_VECTOR)
		base = (const uint8_t *)(uintptr_t)mp_load_le64(base + offsetof(mp_msg_vector_t, msgv_data));
	if (base == NULL || !MP_MSGH_BITS_IS_COMPLEX(mp_load_le32(base + MP_MSGH_BITS_OFFSET)))
		return 0;
	return mp_load_le32(base + MP_MSG_HEADER_SIZE);
}

mp_kr_t mp_mach_msg2(mp_task_t *t, void *data, uint64_t option64, mp_msg_header_t header,
		     uint32_t send_size, uint32_t rcv_size, mp_port_name_t rcv_name, uint64_t timeout,
		     uint32_t priority)
{
	mp_msg2_trap_args_t a = {
		.data = data, .options = option64, .bits = header.msgh_bits, .send_size = send_size,
		.remote = header.msgh_remote_port, .local = header.msgh_local_port,
		.voucher = header.msgh_voucher_port, .id = header.msgh_id,
		.desc_count = msg2_desc_count(data, option64), .rcv_name = rcv_name, .rcv_size = rcv_size,
		.priority = priority, .timeout = timeout,
	};

	if (t == NULL)
		return (option64 & MP_MACH_SEND_MSG) ? MP_MACH_SEND_INVALID_DEST : MP_MACH_RCV_INVALID_NAME;
	if (t->ops->mach_msg2 == NULL)
		return MP_KERN_NOT_SUPPORTED;
	return guard_checked(t, __func__, t->ops->mach_msg2(t, &a));
}
