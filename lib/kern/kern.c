/*
 * lib/kern/kern.c: the kernel object (mp_kern_t): creation and destruction,
 * the process-wide shared instance, the identity a space gets by default,
 * and the counters for tests. Not an XNU file (XNU has one kernel); the
 * rest of lib/kern follows XNU's osfmk/ipc file map (kern_internal.h lists
 * it).
 */
#define _GNU_SOURCE /* getsid */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/kern/kern_internal.h"

void mp_kern_identity_self(mp_kern_identity_t *id)
{
	memset(id, 0, sizeof(*id));
	id->sec.val[0] = (uint32_t)geteuid();
	id->sec.val[1] = (uint32_t)getegid();
	/* audit_token_t slots (§4.4): auid, euid, egid, ruid, rgid, pid, asid,
	 * pidversion. Linux has no audit user or session here: auid = ruid,
	 * asid = the session id, pidversion 0. */
	id->audit.val[0] = (uint32_t)getuid();
	id->audit.val[1] = (uint32_t)geteuid();
	id->audit.val[2] = (uint32_t)getegid();
	id->audit.val[3] = (uint32_t)getuid();
	id->audit.val[4] = (uint32_t)getgid();
	id->audit.val[5] = (uint32_t)getpid();
	id->audit.val[6] = (uint32_t)getsid(0);
	id->audit.val[7] = 0;
}

mp_kern_t *mp_kern_create(void)
{
	mp_kern_t *k = calloc(1, sizeof(*k));

	if (k == NULL)
		return NULL;
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->idle_cv, NULL);
	return k;
}

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static mp_kern_t *shared_kern;

/* fork() while another thread is inside the shared kernel: the child's
 * copy would keep the lock held by a thread it does not have. The fork
 * waits for the lock, so the child's copy is whole and unlocked (threads
 * blocked in a receive wait on a condition, without the lock). */
static void shared_fork_prepare(void)
{
	pthread_mutex_lock(&shared_kern->lock);
}

static void shared_fork_done(void)
{
	pthread_mutex_unlock(&shared_kern->lock);
}

static void make_shared(void)
{
	shared_kern = mp_kern_create();
	if (shared_kern != NULL)
		pthread_atfork(shared_fork_prepare, shared_fork_done, shared_fork_done);
}

mp_kern_t *mp_kern_shared(void)
{
	pthread_once(&shared_once, make_shared);
	return shared_kern;
}

void mp_kern_destroy(mp_kern_t *k)
{
	if (k == NULL)
		return;
	while (k->spaces != NULL)
		mp_kern_space_destroy(k->spaces);
	mk_vm_bin_free(k);
	mk_kmsg_cache_free(k);
	pthread_cond_destroy(&k->idle_cv);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

void mp_kern_get_stats(mp_kern_t *k, mp_kern_stats_t *st)
{
	pthread_mutex_lock(&k->lock);
	st->spaces = k->nspaces;
	st->ports = k->nports;
	st->psets = k->npsets;
	st->kmsgs = k->nkmsgs;
	st->vm_regions = k->nregions;
	st->vm_bytes = k->vm_bytes;
	pthread_mutex_unlock(&k->lock);
}
