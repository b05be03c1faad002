/*
 * lib/compat/src/port.c: the mach_port_* calls of <mach/mach_port.h> over
 * the lib/port call of the same name, on the task the call's `task`
 * argument names (compat_target).
 *
 * libsyscall's mach/mach_port.c wraps each call: the _kernelrpc_*_trap
 * where there is one (osfmk/ipc/mach_kernelrpc.c), falling back to the MIG
 * call on MACH_SEND_INVALID_DEST. Both reach the same osfmk/ipc/mach_port.c
 * routine, and both answer MACH_SEND_INVALID_DEST for a name that is not
 * the caller's task port (port_name_to_current_task_noref; the MIG request
 * sent to a non-task name fails to find a task). Rules: lib/port's.
 *
 * Pointers: the traps copy arguments in and results out with
 * mach_copyin / mach_copyout (bsd/libkern/copyio.h), which answer
 * KERN_MEMORY_ERROR for a bad address. A NULL out- or in-pointer is
 * answered KERN_MEMORY_ERROR here too, but BEFORE the call acts: XNU's
 * trap would have made the right and then failed to copy its name out (a
 * right the caller cannot name); machports loses no right. For the
 * MIG-only calls Darwin's user stub would fault on a NULL pointer;
 * machports answers as the traps do.
 */
#include <stdlib.h>
#include <string.h>

#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <mach/vm_map.h>

#include "lib/compat/src/compat_internal.h"

/* What a trap's mach_copyin / mach_copyout of a bad address returns. */
#define COMPAT_BAD_POINTER KERN_MEMORY_ERROR

/* mach_port_allocate (libsyscall: _kernelrpc_mach_port_allocate_trap). */
kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (name == NULL)
		return COMPAT_BAD_POINTER;
	return (kern_return_t)mp_port_allocate(t, right, name);
}

/* mach_port_allocate_name (MIG only). */
kern_return_t mach_port_allocate_name(ipc_space_t task, mach_port_right_t right, mach_port_name_t name)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_allocate_name(t, right, name);
}

/*
 * mach_port_construct (libsyscall: _kernelrpc_mach_port_construct_trap,
 * which copies the whole mach_port_options_t in first). The SDK's struct
 * goes to lib/port's reduced one: flags and mpl.mpl_qlimit. The union
 * (work_interval_port, service_port_info, service_port_name) is read by
 * XNU only for MPO_TG_BLOCK_TRACKING / MPO_SERVICE_PORT /
 * MPO_CONNECTION_PORT, which lib/port refuses (KERN_NOT_SUPPORTED), so no
 * flag whose argument is dropped here is ever accepted.
 */
kern_return_t mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
				  mach_port_context_t context, mach_port_name_t *name)
{
	mp_task_t *t = compat_target(task);
	mp_port_options_t opts;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (options == NULL || name == NULL)
		return COMPAT_BAD_POINTER;
	opts.flags = options->flags;
	opts.qlimit = options->mpl.mpl_qlimit;
	return (kern_return_t)mp_port_construct(t, &opts, (uint64_t)context, name);
}

/* mach_port_destruct (libsyscall: _kernelrpc_mach_port_destruct_trap). */
kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name, mach_port_delta_t srdelta,
				 mach_port_context_t guard)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_destruct(t, name, srdelta, (uint64_t)guard);
}

/* mach_port_deallocate (libsyscall: _kernelrpc_mach_port_deallocate_trap). */
kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_deallocate(t, name);
}

/* mach_port_destroy (MIG only). */
kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_destroy(t, name);
}

/* mach_port_mod_refs (libsyscall: _kernelrpc_mach_port_mod_refs_trap). */
kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_delta_t delta)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_mod_refs(t, name, right, delta);
}

/* mach_port_get_refs (MIG only: *refs is written on success only). */
kern_return_t mach_port_get_refs(ipc_space_t task, mach_port_name_t name, mach_port_right_t right,
				 mach_port_urefs_t *refs)
{
	mp_task_t *t = compat_target(task);
	uint32_t n = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (refs == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_get_refs(t, name, right, &n);
	if (kr == MP_KERN_SUCCESS)
		*refs = n;
	return (kern_return_t)kr;
}

/* mach_port_type (libsyscall: _kernelrpc_mach_port_type_trap, which copies
 * the type out on success only). */
kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	mp_task_t *t = compat_target(task);
	mp_port_type_t type = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (ptype == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_type(t, name, &type);
	if (kr == MP_KERN_SUCCESS)
		*ptype = type;
	return (kern_return_t)kr;
}

/* mach_port_insert_right (libsyscall: _kernelrpc_mach_port_insert_right_trap):
 * `poly` is copied in from the caller's space, which the trap requires to
 * be `task`'s. */
kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t polyPoly)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_insert_right(t, name, t, poly, polyPoly);
}

/* mach_port_extract_right (MIG only): the right comes back in the reply,
 * so into the caller's space, which is `task`'s. */
kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t msgt_name, mach_port_t *poly,
				      mach_msg_type_name_t *polyPoly)
{
	mp_task_t *t = compat_target(task);
	mp_port_name_t out = MP_PORT_NULL;
	uint32_t out_type = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (poly == NULL || polyPoly == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_extract_right(t, name, msgt_name, t, &out, &out_type);
	if (kr == MP_KERN_SUCCESS) {
		*poly = out;
		*polyPoly = out_type;
	}
	return (kern_return_t)kr;
}

/* mach_port_set_context (MIG only). */
kern_return_t mach_port_set_context(ipc_space_t task, mach_port_name_t name, mach_port_context_t context)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_set_context(t, name, (uint64_t)context);
}

/* mach_port_get_context (libsyscall: MIG, *context written on success only). */
kern_return_t mach_port_get_context(ipc_space_read_t task, mach_port_name_t name,
				    mach_port_context_t *context)
{
	mp_task_t *t = compat_target(task);
	uint64_t wide = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (context == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_get_context(t, name, &wide);
	if (kr == MP_KERN_SUCCESS)
		*context = (mach_port_context_t)wide;
	return (kern_return_t)kr;
}

/* mach_port_guard (libsyscall: _kernelrpc_mach_port_guard_trap); `strict`
 * is a boolean_t: any non-zero value is a strict guard, as XNU reads it. */
kern_return_t mach_port_guard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard,
			      boolean_t strict)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_guard(t, name, (uint64_t)guard, strict != 0);
}

/* mach_port_guard_with_flags (MIG only). */
kern_return_t mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
					 mach_port_context_t guard, uint64_t flags)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_guard_with_flags(t, name, (uint64_t)guard, flags);
}

/* mach_port_unguard (libsyscall: _kernelrpc_mach_port_unguard_trap). */
kern_return_t mach_port_unguard(ipc_space_t task, mach_port_name_t name, mach_port_context_t guard)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_unguard(t, name, (uint64_t)guard);
}

/* mach_port_swap_guard (MIG only). */
kern_return_t mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
				   mach_port_context_t old_guard, mach_port_context_t new_guard)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_swap_guard(t, name, (uint64_t)old_guard, (uint64_t)new_guard);
}

/*
 * mach_port_get_attributes (libsyscall: _kernelrpc_mach_port_get_attributes_trap):
 * the trap copies *count in, caps it at the MIG array's size (17 natural_t),
 * runs the call on a zeroed buffer and, on success only, copies the count
 * and then `count` words out.
 */
kern_return_t mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t port_info_out,
				       mach_msg_type_number_t *port_info_outCnt)
{
	mp_task_t *t = compat_target(task);
	int32_t info[MP_PORT_INFO_MAX];
	uint32_t count;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (port_info_outCnt == NULL)
		return COMPAT_BAD_POINTER;
	memset(info, 0, sizeof info);
	count = *port_info_outCnt;
	if (count > MP_PORT_INFO_MAX)
		count = MP_PORT_INFO_MAX;
	kr = mp_port_get_attributes(t, name, flavor, info, &count);
	if (kr != MP_KERN_SUCCESS)
		return (kern_return_t)kr;
	*port_info_outCnt = count; /* the trap copies the count out first */
	if (count == 0)
		return KERN_SUCCESS;
	if (port_info_out == NULL)
		return COMPAT_BAD_POINTER;
	memcpy(port_info_out, info, count * sizeof info[0]);
	return KERN_SUCCESS;
}

/*
 * The MIG user stub of an inline in-array (mach_port_info_t, at most 17
 * natural_t) refuses a longer array before sending: MIG_ARRAY_TOO_LARGE.
 * It copies `count` words from the caller's array (a NULL one would fault
 * on Darwin: KERN_MEMORY_ERROR here).
 */
static kern_return_t info_array_check(const integer_t *info, mach_msg_type_number_t count)
{
	if (count > MP_PORT_INFO_MAX)
		return MIG_ARRAY_TOO_LARGE;
	if (count > 0 && info == NULL)
		return COMPAT_BAD_POINTER;
	return KERN_SUCCESS;
}

/* mach_port_set_attributes (MIG only). */
kern_return_t mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
				       mach_port_flavor_t flavor, mach_port_info_t port_info,
				       mach_msg_type_number_t port_infoCnt)
{
	mp_task_t *t = compat_target(task);
	kern_return_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	kr = info_array_check(port_info, port_infoCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	return (kern_return_t)mp_port_set_attributes(t, name, flavor, port_info, port_infoCnt);
}

/* mach_port_assert_attributes (MIG only). */
kern_return_t mach_port_assert_attributes(ipc_space_t task, mach_port_name_t name,
					  mach_port_flavor_t flavor, mach_port_info_t info,
					  mach_msg_type_number_t infoCnt)
{
	mp_task_t *t = compat_target(task);
	kern_return_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	kr = info_array_check(info, infoCnt);
	if (kr != KERN_SUCCESS)
		return kr;
	return (kern_return_t)mp_port_assert_attributes(t, name, flavor, info, infoCnt);
}

/* mach_port_insert_member (libsyscall: _kernelrpc_mach_port_insert_member_trap). */
kern_return_t mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_insert_member(t, name, pset);
}

/* mach_port_extract_member (libsyscall: _kernelrpc_mach_port_extract_member_trap). */
kern_return_t mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_extract_member(t, name, pset);
}

/* mach_port_move_member (libsyscall: _kernelrpc_mach_port_move_member_trap). */
kern_return_t mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after)
{
	mp_task_t *t = compat_target(task);

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	return (kern_return_t)mp_port_move_member(t, member, after);
}

/*
 * mach_port_request_notification (libsyscall:
 * _kernelrpc_mach_port_request_notification_trap, then MIG): `notify` is a
 * name in the caller's space; the previous send-once right comes back
 * under a name in it (MACH_PORT_NULL if none), written on success only.
 */
kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_msg_type_name_t notifyPoly,
					     mach_port_t *previous)
{
	mp_task_t *t = compat_target(task);
	mp_port_name_t prev = MP_PORT_NULL;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (previous == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_request_notification(t, name, msgid, sync, notify, notifyPoly, &prev);
	if (kr == MP_KERN_SUCCESS)
		*previous = prev;
	return (kern_return_t)kr;
}

/*
 * mach_port_peek (MIG only; mach_port.defs: trailer_infop is a CountInOut
 * array of at most MAX_TRAILER_SIZE bytes). The server sees the caller's
 * count capped at that size; the reply's trailer is copied out with its
 * size, and the scalars, on success only.
 */
kern_return_t mach_port_peek(ipc_space_t task, mach_port_name_t name,
			     mach_msg_trailer_type_t trailer_type, mach_port_seqno_t *request_seqnop,
			     mach_msg_size_t *msg_sizep, mach_msg_id_t *msg_idp,
			     mach_msg_trailer_info_t trailer_infop,
			     mach_msg_type_number_t *trailer_infopCnt)
{
	mp_task_t *t = compat_target(task);
	uint8_t trailer[MP_MAX_TRAILER_SIZE];
	uint32_t seqno, size = 0, tsize;
	int32_t id = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (request_seqnop == NULL || msg_sizep == NULL || msg_idp == NULL || trailer_infopCnt == NULL)
		return COMPAT_BAD_POINTER;
	seqno = *request_seqnop;
	tsize = *trailer_infopCnt;
	if (tsize > sizeof trailer)
		tsize = sizeof trailer;
	memset(trailer, 0, sizeof trailer);
	kr = mp_port_peek(t, name, trailer_type, &seqno, &size, &id, trailer, &tsize);
	if (kr != MP_KERN_SUCCESS)
		return (kern_return_t)kr;
	if (tsize > 0 && trailer_infop == NULL)
		return COMPAT_BAD_POINTER;
	*request_seqnop = seqno;
	*msg_sizep = size;
	*msg_idp = id;
	*trailer_infopCnt = tsize;
	if (tsize > 0)
		memcpy(trailer_infop, trailer, tsize);
	return KERN_SUCCESS;
}

/* `count` 32-bit words in new memory of the task's (the MIG reply's
 * out-of-line array: the caller vm_deallocates it). NULL for none. */
static mp_kr_t array_to_task(mp_task_t *t, const uint32_t *words, uint32_t count, uint64_t *addr)
{
	mp_kr_t kr;

	*addr = 0;
	if (count == 0)
		return MP_KERN_SUCCESS;
	kr = mp_vm_allocate(t, addr, (uint64_t)count * sizeof words[0]);
	if (kr != MP_KERN_SUCCESS)
		return kr;
	memcpy((void *)(uintptr_t)*addr, words, (size_t)count * sizeof words[0]);
	return MP_KERN_SUCCESS;
}

/*
 * mach_port_names (MIG only; XNU ipc/mach_port.c mach_port_names): both
 * arrays arrive out-of-line, in memory the reply maps into the caller's
 * task, which the caller vm_deallocates. lib/port returns malloc'd arrays;
 * they are copied into memory vm_allocate'd in `task`. A space with no
 * names gives NULL arrays and counts 0.
 */
kern_return_t mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
			      mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
			      mach_msg_type_number_t *typesCnt)
{
	mp_task_t *t = compat_target(task);
	mp_port_name_t *n = NULL;
	mp_port_type_t *ty = NULL;
	uint64_t names_addr = 0, types_addr = 0;
	uint32_t count = 0;
	mp_kr_t kr;

	if (t == NULL)
		return MACH_SEND_INVALID_DEST;
	if (names == NULL || namesCnt == NULL || types == NULL || typesCnt == NULL)
		return COMPAT_BAD_POINTER;
	kr = mp_port_names(t, &n, &ty, &count);
	if (kr == MP_KERN_SUCCESS)
		kr = array_to_task(t, n, count, &names_addr);
	if (kr == MP_KERN_SUCCESS) {
		kr = array_to_task(t, ty, count, &types_addr);
		if (kr != MP_KERN_SUCCESS)
			(void)mp_vm_deallocate(t, names_addr, (uint64_t)count * sizeof n[0]);
	}
	free(n);
	free(ty);
	if (kr != MP_KERN_SUCCESS)
		return (kern_return_t)kr;
	*names = (mach_port_name_array_t)(uintptr_t)names_addr;
	*types = (mach_port_type_array_t)(uintptr_t)types_addr;
	*namesCnt = count;
	*typesCnt = count;
	return KERN_SUCCESS;
}
