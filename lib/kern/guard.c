/*
 * lib/kern/guard.c: Mach-port guard exceptions.
 *
 * XNU's ipc_policy.c mach_port_guard_exception(target, payload, flavor)
 * stores (code, subcode, fatal) on the current thread and delivers EXC_GUARD
 * on return to user space; the call's return value is unchanged. This kernel
 * has no threads of its own to deliver to, so it records the event in the
 * space whose call raised it, for the task to read (mp_kern_space_guard_events)
 * and for policies above (lib/port) to act on. Every flavor is recorded, even
 * those a default third-party task would never see (XNU drops the optional
 * ones unless the task's exception-guard behaviour delivers them).
 */
#include <string.h>

#include "lib/kern/kern_internal.h"

void mk_guard_exception(mp_kspace_t *s, uint32_t flavor, mp_port_name_t target, uint64_t payload)
{
	mp_kern_guard_event_t *e;

	if (s->nguard_events == MK_GUARD_EVENTS_MAX) {
		s->guard_dropped++;
		return;
	}
	e = &s->guard_events[s->nguard_events++];
	e->flavor = flavor;
	e->target = target;
	e->payload = payload;
	e->code = MP_GUARD_EXC_CODE(flavor, target);
	e->always_fatal = flavor <= MP_GUARD_EXC_MAX_FATAL;
}

uint32_t mp_kern_space_guard_events(mp_kspace_t *s, mp_kern_guard_event_t *out, uint32_t max,
				    uint32_t *dropped)
{
	uint32_t n;

	MK_LOCK(s);
	n = s->nguard_events < max ? s->nguard_events : max;
	if (n > 0)
		memcpy(out, s->guard_events, n * sizeof(*out));
	if (dropped != NULL)
		*dropped = s->guard_dropped + (s->nguard_events - n);
	s->nguard_events = 0;
	s->guard_dropped = 0;
	MK_UNLOCK(s);
	return n;
}
