/*
 * lib/compat/src/bootstrap.c: <servers/bootstrap.h>, launchd's bootstrap
 * calls, answered by the backend's registry (lib/kern/registry.c through
 * mp_bootstrap_register / mp_bootstrap_look_up: the embedded kernel's,
 * shared by this process's tasks, or machportd's, shared by every process
 * of the daemon).
 *
 * Which launchd this follows: launchd-842's libbootstrap.c and
 * job_mig_register2 / job_mig_check_in / job_mig_look_up2 (the last open
 * launchd; libxpc's is closed), with no jobs and no plists:
 *  - `bp` must be a send right to the bootstrap port (bootstrap_port, or
 *    a name task_get_special_port gave for it): a name that is no send
 *    right is MACH_SEND_INVALID_DEST, as the MIG request's send would be;
 *    a send right to another port is KERN_NOT_SUPPORTED (the request
 *    would go to that port's receiver, which the registry is not).
 *  - A name is active while its port lives (launchd: a dead-name
 *    notification deletes the service). Registering or checking in an
 *    active name is BOOTSTRAP_SERVICE_ACTIVE (launchd's answer for the same
 *    job; it says BOOTSTRAP_NOT_PRIVILEGED to another job: here every task
 *    is one job). The registry's own code for it, BOOTSTRAP_NAME_IN_USE
 *    (what lib/port's mp_bootstrap_register says), is not what launchd's
 *    register and check-in answer, so it is translated here.
 *  - bootstrap_check_in of a name that is free (or whose port died) makes
 *    a receive right in the caller, registers a send right made from it
 *    and returns the receive right: launchd's check-in of a service no
 *    plist declares (job_mig_check_in's machservice_new for a dynamic,
 *    "legacy" service, what Chromium's and Crashpad's rendezvous rely on).
 *  - A name of 128 bytes or more (no NUL within name_t) is
 *    BOOTSTRAP_BAD_COUNT. Departure: launchd's MIG stubs copy the name with
 *    mig_strncpy into name_t, so a longer name is cut to 127 bytes and
 *    names another service; here it is refused. An empty name is
 *    BOOTSTRAP_UNKNOWN_SERVICE for a look-up (nothing is registered under
 *    it) and KERN_INVALID_ARGUMENT to register or check in (the registry
 *    keeps no such name; launchd has no rule for it). A NULL pointer is
 *    KERN_INVALID_ARGUMENT (Darwin would crash).
 * No right leaks on failure: a refused register keeps the caller's right
 * as it was (COPY_SEND); a refused check-in destroys the receive right it
 * made.
 */
#include <stddef.h>

#include <mach/mach_error.h>
#include <servers/bootstrap.h>

#include "lib/compat/src/compat_internal.h"

/* The checks every call makes before the registry: `bp`, then the name.
 * KERN_SUCCESS with *task the calling task. */
static kern_return_t request_check(mach_port_t bp, const char *service_name, int empty_ok, mp_task_t **task)
{
	size_t len = 0;
	kern_return_t kr = compat_bootstrap_check(bp, task);

	if (kr != KERN_SUCCESS)
		return kr;
	if (service_name == NULL)
		return KERN_INVALID_ARGUMENT;
	while (len < BOOTSTRAP_MAX_NAME_LEN && service_name[len] != '\0')
		len++;
	if (len == BOOTSTRAP_MAX_NAME_LEN)
		return BOOTSTRAP_BAD_COUNT;
	if (len == 0)
		return empty_ok ? BOOTSTRAP_UNKNOWN_SERVICE : KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/* bootstrap_look_up (launchd: bootstrap_look_up2 -> job_mig_look_up2): a
 * send right to the service, one more uref if the caller has one (the
 * reply's MOVE_SEND copies out under the name it has); *sp is written only
 * on success, as a MIG stub writes its out-arguments. */
kern_return_t bootstrap_look_up(mach_port_t bp, const name_t service_name, mach_port_t *sp)
{
	mp_port_name_t port = MP_PORT_NULL;
	mp_task_t *t;
	kern_return_t kr = request_check(bp, service_name, 1, &t);

	if (kr != KERN_SUCCESS)
		return kr;
	if (sp == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = mp_bootstrap_look_up(t, service_name, &port);
	if (kr == KERN_SUCCESS)
		*sp = port;
	return kr;
}

/* bootstrap_register (launchd: bootstrap_register2 -> job_mig_register2).
 * `sp` travels as a copied send right: a name that is no send right fails
 * as the request's send would (MACH_SEND_INVALID_RIGHT). MACH_PORT_NULL
 * unregisters in launchd, which only a service that is not active can be:
 * here a free name has nothing to delete (KERN_SUCCESS), an active one is
 * BOOTSTRAP_SERVICE_ACTIVE. MACH_PORT_DEAD or a dead name is registered
 * dead, so the name is free again at once (launchd's dead-name
 * notification): the same answers. */
kern_return_t bootstrap_register(mach_port_t bp, name_t service_name, mach_port_t sp)
{
	mp_port_name_t port = MP_PORT_NULL;
	mp_task_t *t;
	kern_return_t kr = request_check(bp, service_name, 0, &t);

	if (kr != KERN_SUCCESS)
		return kr;
	if (sp == MACH_PORT_NULL || sp == MACH_PORT_DEAD || compat_dead_name(t, sp)) {
		kr = mp_bootstrap_look_up(t, service_name, &port);
		if (kr != KERN_SUCCESS)
			return kr == BOOTSTRAP_UNKNOWN_SERVICE ? KERN_SUCCESS : kr;
		(void)mp_port_deallocate(t, port);
		return BOOTSTRAP_SERVICE_ACTIVE;
	}
	kr = mp_bootstrap_register(t, service_name, sp, MP_MSG_TYPE_COPY_SEND);
	switch (kr) {
	case MP_BOOTSTRAP_NAME_IN_USE:
		return BOOTSTRAP_SERVICE_ACTIVE;
	case MP_KERN_INVALID_NAME:
	case MP_KERN_INVALID_RIGHT:
	case MP_KERN_INVALID_CAPABILITY:
		return MACH_SEND_INVALID_RIGHT; /* the copyin of the request's port */
	default:
		return kr;
	}
}

/* bootstrap_check_in (launchd: job_mig_check_in): the receive right of a
 * new service under the name (see the top of the file). */
kern_return_t bootstrap_check_in(mach_port_t bp, const name_t service_name, mach_port_t *sp)
{
	mp_port_name_t port = MP_PORT_NULL;
	mp_task_t *t;
	kern_return_t kr = request_check(bp, service_name, 0, &t);

	if (kr != KERN_SUCCESS)
		return kr;
	if (sp == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = mp_port_allocate(t, MP_PORT_RIGHT_RECEIVE, &port);
	if (kr != KERN_SUCCESS)
		return kr == KERN_NO_SPACE || kr == KERN_RESOURCE_SHORTAGE ? BOOTSTRAP_NO_MEMORY : kr;
	kr = mp_bootstrap_register(t, service_name, port, MP_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		(void)mp_port_mod_refs(t, port, MP_PORT_RIGHT_RECEIVE, -1);
		return kr == MP_BOOTSTRAP_NAME_IN_USE ? BOOTSTRAP_SERVICE_ACTIVE : kr;
	}
	*sp = port;
	return KERN_SUCCESS;
}

/* bootstrap_strerror (launchd-842 libbootstrap.c): its strings for the
 * codes it knows, mach_error_string's for the rest (BOOTSTRAP_NO_CHILDREN
 * included, as there). */
const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:
		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:
		return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:
	case BOOTSTRAP_SERVICE_ACTIVE:
		return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:
		return "Unknown service name";
	case BOOTSTRAP_BAD_COUNT:
		return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:
		return "Out of memory";
	default:
		return mach_error_string(r);
	}
}
