/*
 * lib/compat/src/mig_runtime.c: the MIG runtime of libsystem_kernel on the
 * calling thread's current task: the reply port (libsyscall
 * mig_reply_port.c), mig_reply_setup (mig_reply_setup.c) and the server
 * loops mach_msg_server_once / mach_msg_server / _importance (mach_msg.c),
 * xnu-11417.101.15.
 *
 * Vouchers: libsyscall's loops adopt the request's voucher
 * (voucher_mach_msg_adopt) and revert it after the reply. machports' kernel
 * carries no voucher object (a valid voucher name is refused with
 * MACH_SEND_INVALID_VOUCHER), so a request never holds a voucher right and
 * there is nothing to adopt or revert.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mach/vm_page_size.h>

#include "lib/compat/src/compat_internal.h"

/* ------------------------------------------------------------------------
 * The MIG reply port: per thread and per task
 * ------------------------------------------------------------------------
 *
 * libsyscall keeps one reply port per thread (__TSD_MIG_REPLY). Here a
 * thread moves between tasks (mp_compat_set_current), and a name means
 * something only in its own task's space, so a thread keeps one reply port
 * per task it has called from. A task may be destroyed and another made at
 * the same address, so an entry is trusted only while its port is still a
 * receive right carrying the entry's cookie as its context (a value unique
 * in the process); otherwise the entry is stale (its space is gone, or the
 * name was deallocated) and a new port is made.
 */
#define REPLY_PORTS_PER_THREAD 16

typedef struct reply_entry {
	const mp_compat_task_t *owner; /* NULL: a free slot */
	mach_port_t port;
	uint64_t cookie;
} reply_entry_t;

typedef struct reply_cache {
	reply_entry_t entry[REPLY_PORTS_PER_THREAD];
	unsigned next_victim;
} reply_cache_t;

static _Thread_local reply_cache_t *thread_cache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t next_cookie = 1;

/* _mach_assert in mig_reply_port.c: a reply port that cannot be made is a
 * trap (__builtin_trap); here the same, with the reason. */
static _Noreturn void reply_port_trap(const char *what, mp_kr_t kr)
{
	fprintf(stderr, "machports: mig_get_reply_port: %s (0x%x)\n", what, (unsigned)kr);
	abort();
}

/*
 * At thread exit libpthread releases the thread's reply port
 * (_pthread_dealloc_reply_port -> mig_dealloc_reply_port). Only the default
 * task's is released here: the default task lives as long as the process,
 * while another task the thread visited may be gone (its space, and so the
 * port, with it) or live on a thread that still uses it.
 */
static void cache_release(void *p)
{
	reply_cache_t *c = p;
	const mp_compat_task_t *dflt = mp_compat_task_default();
	uint64_t ctx = 0;

	for (unsigned i = 0; i < REPLY_PORTS_PER_THREAD; i++) {
		reply_entry_t *e = &c->entry[i];

		if (e->owner != dflt)
			continue;
		if (mp_port_get_context(dflt->task, e->port, &ctx) == MP_KERN_SUCCESS && ctx == e->cookie)
			(void)mp_port_mod_refs(dflt->task, e->port, MP_PORT_RIGHT_RECEIVE, -1);
	}
	free(c);
	thread_cache = NULL; /* a later destructor may call mig_get_reply_port */
}

static void cache_key_make(void)
{
	if (pthread_key_create(&cache_key, cache_release) != 0)
		reply_port_trap("no thread-specific key", MP_KERN_RESOURCE_SHORTAGE);
}

static reply_cache_t *cache_get(void)
{
	if (thread_cache != NULL)
		return thread_cache;
	pthread_once(&cache_key_once, cache_key_make);
	thread_cache = calloc(1, sizeof *thread_cache);
	if (thread_cache == NULL || pthread_setspecific(cache_key, thread_cache) != 0)
		reply_port_trap("no memory for the thread's reply ports", MP_KERN_RESOURCE_SHORTAGE);
	return thread_cache;
}

/* The entry of `ct` if it still names this thread's reply port in ct's
 * space; a stale entry is freed (its port is not ours to release). */
static reply_entry_t *cache_find(reply_cache_t *c, const mp_compat_task_t *ct)
{
	uint64_t ctx = 0;

	for (unsigned i = 0; i < REPLY_PORTS_PER_THREAD; i++) {
		reply_entry_t *e = &c->entry[i];

		if (e->owner != ct)
			continue;
		if (mp_port_get_context(ct->task, e->port, &ctx) == MP_KERN_SUCCESS && ctx == e->cookie)
			return e;
		memset(e, 0, sizeof *e);
		return NULL;
	}
	return NULL;
}

/* A slot for a new entry: a free one, else the next in turn (its port, in
 * a task that may be gone, is left to that task: it dies with the space). */
static reply_entry_t *cache_slot(reply_cache_t *c)
{
	for (unsigned i = 0; i < REPLY_PORTS_PER_THREAD; i++)
		if (c->entry[i].owner == NULL)
			return &c->entry[i];
	return &c->entry[c->next_victim++ % REPLY_PORTS_PER_THREAD];
}

/*
 * mig_get_reply_port (libsyscall mig_reply_port.c): the thread's reply
 * port in the current task, made on first use with
 * mach_port_construct(MPO_REPLY_PORT) (in a default task a provisional
 * reply port, as XNU makes for a third-party process).
 */
mach_port_t mig_get_reply_port(void)
{
	mp_compat_task_t *ct = compat_current();
	reply_cache_t *c = cache_get();
	reply_entry_t *e = cache_find(c, ct);
	mp_port_options_t opts = { MP_MPO_REPLY_PORT, 0 };
	mp_port_name_t port = MACH_PORT_NULL;
	uint64_t cookie;
	mp_kr_t kr;

	if (e != NULL)
		return e->port;
	kr = mp_port_construct(ct->task, &opts, 0, &port);
	if (kr != MP_KERN_SUCCESS)
		reply_port_trap("mach_port_construct", kr);
	cookie = atomic_fetch_add(&next_cookie, 1);
	kr = mp_port_set_context(ct->task, port, cookie);
	if (kr != MP_KERN_SUCCESS) {
		(void)mp_port_mod_refs(ct->task, port, MP_PORT_RIGHT_RECEIVE, -1);
		reply_port_trap("mach_port_set_context", kr);
	}
	e = cache_slot(c);
	e->owner = ct;
	e->port = port;
	e->cookie = cookie;
	return port;
}

/*
 * mig_dealloc_reply_port (libsyscall): forgets the thread's reply port and
 * destroys its receive right; `migport`, if it is another name, loses one
 * send right (mach_port_deallocate). Nothing if the thread has no reply
 * port in the current task.
 */
void mig_dealloc_reply_port(mach_port_t migport)
{
	mp_compat_task_t *ct = compat_current();
	reply_entry_t *e = cache_find(cache_get(), ct);
	mach_port_t port;

	if (e == NULL)
		return;
	port = e->port;
	memset(e, 0, sizeof *e);
	(void)mp_port_mod_refs(ct->task, port, MP_PORT_RIGHT_RECEIVE, -1);
	if (migport != port)
		(void)mp_port_deallocate(ct->task, migport);
}

/* mig_put_reply_port (libsyscall): nothing to do. */
void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

/*
 * mig_reply_setup (libsyscall mig_reply_setup.c): a mig_reply_error_t
 * reply to `request`: to its msgh_local_port with its local disposition,
 * id + 100, NDR_record. RetCode is left as it is.
 */
void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply)
{
	mig_reply_error_t *out = (mig_reply_error_t *)reply;

	out->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(request->msgh_bits), 0);
	out->Head.msgh_size = sizeof(mig_reply_error_t);
	out->Head.msgh_remote_port = request->msgh_local_port;
	out->Head.msgh_local_port = MACH_PORT_NULL;
	/* id + 100 as libsyscall writes it, computed unsigned: an id near
	 * INT_MAX (any sender picks it) must wrap, not overflow an int */
	out->Head.msgh_id = (mach_msg_id_t)((uint32_t)request->msgh_id + 100u);
	out->NDR = NDR_record;
}

/* ------------------------------------------------------------------------
 * The server loops (libsyscall mach_msg.c)
 * ------------------------------------------------------------------------ */

typedef boolean_t (*demux_fn)(mach_msg_header_t *, mach_msg_header_t *);

/* round_page (the runtime's page, vm_page_mask) on a mach_msg_size_t,
 * cast back as libsyscall casts it. */
static mach_msg_size_t round_page_size(mach_msg_size_t size)
{
	return (mach_msg_size_t)(((uint64_t)size + vm_page_mask) & ~(uint64_t)vm_page_mask);
}

/* VM_MAKE_TAG(VM_MEMORY_MACH_MSG): the tag libsyscall gives its buffers. */
#define VM_TAG_MACH_MSG (20 << 24)

/* vm_allocate(mach_task_self_, ..., VM_MAKE_TAG(VM_MEMORY_MACH_MSG) | TRUE):
 * fresh zeroed pages anywhere in the current task; vm_allocate's code on
 * failure (KERN_NO_SPACE when nothing can be mapped). */
static kern_return_t buffer_allocate(mig_reply_error_t **buf, mach_msg_size_t size)
{
	vm_address_t addr = 0;
	kern_return_t kr = vm_allocate(mach_task_self_, &addr, size, VM_TAG_MACH_MSG | VM_FLAGS_ANYWHERE);

	*buf = (mig_reply_error_t *)addr;
	return kr;
}

static void buffer_deallocate(mig_reply_error_t *buf, mach_msg_size_t size)
{
	(void)vm_deallocate(mach_task_self_, (vm_address_t)buf, size);
}

/* mach_msg_server_is_recoverable_send_error: the reply was not sent and
 * still holds its rights; other send errors may have destroyed part of it. */
static boolean_t recoverable_send_error(kern_return_t kr)
{
	return kr == MACH_SEND_INVALID_DEST || kr == MACH_SEND_TIMED_OUT || kr == MACH_SEND_INTERRUPTED;
}

/* mach_msg_server_mig_return_code: a complex reply counts as a success (its
 * RetCode slot holds the descriptor count). */
static kern_return_t mig_return_code(const mig_reply_error_t *reply)
{
	if (reply->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		return KERN_SUCCESS;
	return reply->RetCode;
}

/* mach_msg_server_consume_unsent_message: the local (reply) right first,
 * which mach_msg_destroy leaves alone, then the rest. */
static void consume_unsent_message(mach_msg_header_t *hdr)
{
	mach_port_t port = hdr->msgh_local_port;

	if (MACH_PORT_VALID(port)) {
		switch (MACH_MSGH_BITS_LOCAL(hdr->msgh_bits)) {
		case MACH_MSG_TYPE_MOVE_SEND:
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
			(void)mp_port_deallocate(compat_current()->task, port);
			hdr->msgh_local_port = MACH_PORT_NULL;
			break;
		default:
			break;
		}
	}
	mach_msg_destroy(hdr);
}

/*
 * What both loops do with the routine's answer (the switch after the
 * demux): KERN_SUCCESS sends the reply; MIG_NO_REPLY sends nothing (the
 * routine kept the request's rights); any other code destroys the request
 * but not its reply right (MIG moved it into the reply), and the error
 * reply is sent.
 */
static kern_return_t apply_return_code(mig_reply_error_t *request, mig_reply_error_t *reply)
{
	kern_return_t code = mig_return_code(reply);

	switch (code) {
	case KERN_SUCCESS:
		break;
	case MIG_NO_REPLY:
		reply->Head.msgh_remote_port = MACH_PORT_NULL;
		break;
	default:
		request->Head.msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(&request->Head);
		break;
	}
	return code;
}


/* The reply's send options: a send-once reply cannot block; a send right
 * gets MACH_SEND_TIMEOUT (with timeout 0), so a client that does not
 * receive cannot hold the server. */
static mach_msg_option_t reply_send_options(const mig_reply_error_t *reply)
{
	if (MACH_MSGH_BITS_REMOTE(reply->Head.msgh_bits) == MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return MACH_SEND_MSG;
	return MACH_SEND_MSG | MACH_SEND_TIMEOUT;
}

/*
 * The reply of mach_msg_server_once, if it has a destination: sent with
 * reply_send_options; a recoverable send error destroys the unsent reply.
 * Returns the send's own code (MACH_MSG_SUCCESS if nothing was sent).
 */
static mach_msg_return_t send_reply_once(mig_reply_error_t *reply, mach_msg_options_t options)
{
	mach_msg_return_t mr;

	if (reply->Head.msgh_remote_port == MACH_PORT_NULL)
		return MACH_MSG_SUCCESS;
	mr = mach_msg(&reply->Head, reply_send_options(reply) | options, reply->Head.msgh_size, 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (recoverable_send_error(mr))
		consume_unsent_message(&reply->Head);
	return mr;
}

/* machports/compat.h: mach_msg_server_once's steps after the demux, for a
 * harness that received the request itself. */
int32_t mp_compat_mig_return_code(const void *reply)
{
	return mig_return_code(reply);
}

int32_t mp_compat_mig_apply_return_code(void *request, void *reply)
{
	return apply_return_code(request, reply);
}

int32_t mp_compat_mig_send_reply(void *reply, int32_t options)
{
	return send_reply_once(reply, (mach_msg_options_t)options & ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER));
}

/*
 * mach_msg_server_once (libsyscall): one request.
 *  - options lose MACH_SEND_MSG, MACH_RCV_MSG and MACH_RCV_VOUCHER; the
 *    request buffer is round_page(max_size + the requested trailer), the
 *    receive limit that size with MACH_RCV_LARGE, else max_size + trailer;
 *    the reply buffer round_page(max_size), + MAX_TRAILER_SIZE with
 *    MACH_SEND_TRAILER;
 *  - the receive is MACH_RCV_MSG | MACH_RCV_VOUCHER | options, no timeout;
 *    MACH_RCV_TOO_LARGE with MACH_RCV_LARGE: a buffer of
 *    round_page(msgh_size + trailer) and again;
 *  - any other receive error is returned;
 *  - after the demux and the return-code rule, a reply with a destination
 *    is sent (MACH_SEND_MSG | options, + MACH_SEND_TIMEOUT unless it goes
 *    to a send-once right); a recoverable send error (INVALID_DEST,
 *    TIMED_OUT, INTERRUPTED) destroys the reply, rights included, and
 *    counts as success; another send error is returned.
 */
mach_msg_return_t mach_msg_server_once(demux_fn demux, mach_msg_size_t max_size, mach_port_t rcv_name,
				       mach_msg_options_t options)
{
	mig_reply_error_t *request_buf = NULL, *reply_buf = NULL;
	mach_msg_size_t request_size, request_alloc, trailer_alloc, reply_alloc;
	mach_msg_return_t mr;
	kern_return_t kr;

	options &= ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);
	trailer_alloc = REQUESTED_TRAILER_SIZE(options);
	request_alloc = round_page_size(max_size + trailer_alloc);
	request_size = (options & MACH_RCV_LARGE) ? request_alloc : max_size + trailer_alloc;
	reply_alloc = round_page_size((options & MACH_SEND_TRAILER) ? max_size + MAX_TRAILER_SIZE : max_size);

	kr = buffer_allocate(&reply_buf, reply_alloc);
	if (kr != KERN_SUCCESS)
		return kr;
	for (;;) {
		kr = buffer_allocate(&request_buf, request_alloc);
		if (kr != KERN_SUCCESS) {
			buffer_deallocate(reply_buf, reply_alloc);
			return kr;
		}
		mr = mach_msg(&request_buf->Head, MACH_RCV_MSG | MACH_RCV_VOUCHER | options, 0, request_size,
			      rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (!(mr == MACH_RCV_TOO_LARGE && (options & MACH_RCV_LARGE)))
			break;
		/* the kernel left the message queued and wrote its size */
		mach_msg_size_t new_request_alloc = round_page_size(request_buf->Head.msgh_size + trailer_alloc);
		buffer_deallocate(request_buf, request_alloc);
		request_size = request_alloc = new_request_alloc;
	}

	if (mr == MACH_MSG_SUCCESS) {
		(void)(*demux)(&request_buf->Head, &reply_buf->Head);
		(void)apply_return_code(request_buf, reply_buf);
		mr = send_reply_once(reply_buf, options);
		if (recoverable_send_error(mr))
			mr = MACH_MSG_SUCCESS;
	}

	buffer_deallocate(request_buf, request_alloc);
	buffer_deallocate(reply_buf, reply_alloc);
	return mr;
}

/* The server's state between requests (mach_msg_server's locals). */
typedef struct server_loop {
	demux_fn demux;
	mach_port_t rcv_name;
	mach_msg_options_t options;
	mig_reply_error_t *request_buf, *reply_buf;
	mach_msg_size_t request_size, request_alloc, reply_alloc;
} server_loop_t;

/* The blocking receive of the next request. */
static mach_msg_return_t server_receive(server_loop_t *s)
{
	return mach_msg(&s->request_buf->Head, MACH_RCV_MSG | MACH_RCV_VOUCHER | s->options, 0, s->request_size,
			s->rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/*
 * The reply and the next request in one call, with MACH_RCV_TIMEOUT 0 (a
 * poll: MACH_RCV_TIMED_OUT sends the loop to its blocking receive). Equal
 * buffers: send and receive in the reply buffer, then swap the two;
 * otherwise mach_msg_overwrite receives into the request buffer.
 * *swapped says which buffer holds the reply if it was not sent.
 */
static mach_msg_return_t server_reply_and_receive(server_loop_t *s, boolean_t *swapped)
{
	mach_msg_option_t opt = reply_send_options(s->reply_buf) | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
				MACH_RCV_VOUCHER | s->options;
	mach_msg_return_t mr;

	*swapped = FALSE;
	if (s->request_alloc == s->reply_alloc) {
		mig_reply_error_t *tmp;

		mr = mach_msg(&s->reply_buf->Head, opt, s->reply_buf->Head.msgh_size, s->request_size,
			      s->rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		tmp = s->request_buf;
		s->request_buf = s->reply_buf;
		s->reply_buf = tmp;
		*swapped = TRUE;
		return mr;
	}
	return mach_msg_overwrite(&s->reply_buf->Head, opt, s->reply_buf->Head.msgh_size, s->request_size,
				  s->rcv_name, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL, &s->request_buf->Head, 0);
}

/*
 * The inner loop of mach_msg_server: while a request is in hand, demux it
 * (into a zeroed reply header), apply the return-code rule, send the reply
 * and poll for the next request in the same call. A recoverable send error
 * destroys the unsent reply (in whichever buffer it ended up); then, or
 * after a poll that found nothing or without a reply, a blocking receive.
 * Returns the first result that is not a request.
 */
static mach_msg_return_t server_serve(server_loop_t *s, mach_msg_return_t mr)
{
	boolean_t swapped;

	while (mr == MACH_MSG_SUCCESS) {
		memset(&s->reply_buf->Head, 0, sizeof s->reply_buf->Head);
		(void)(*s->demux)(&s->request_buf->Head, &s->reply_buf->Head);
		(void)apply_return_code(s->request_buf, s->reply_buf);
		if (s->reply_buf->Head.msgh_remote_port != MACH_PORT_NULL) {
			mr = server_reply_and_receive(s, &swapped);
			if (recoverable_send_error(mr))
				consume_unsent_message(swapped ? &s->request_buf->Head : &s->reply_buf->Head);
			else if (mr != MACH_RCV_TIMED_OUT)
				continue; /* the next request, or the receive's error */
		}
		mr = server_receive(s);
	}
	return mr;
}

/*
 * mach_msg_server (libsyscall): serves until a receive fails, and returns
 * that code (it never returns otherwise). Buffers as mach_msg_server_once;
 * MACH_RCV_TOO_LARGE with MACH_RCV_LARGE grows the request buffer to
 * round_page(msgh_size + trailer) (and the receive limit with it) and goes
 * on; the reply buffer keeps its size, so after a growth replies use
 * mach_msg_overwrite.
 */
mach_msg_return_t mach_msg_server(demux_fn demux, mach_msg_size_t max_size, mach_port_t rcv_name,
				  mach_msg_options_t options)
{
	server_loop_t s = { .demux = demux, .rcv_name = rcv_name };
	mach_msg_size_t trailer_alloc, new_request_alloc;
	mach_msg_return_t mr;
	kern_return_t kr;

	s.options = options & ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);
	s.reply_alloc = round_page_size((s.options & MACH_SEND_TRAILER) ? max_size + MAX_TRAILER_SIZE : max_size);
	kr = buffer_allocate(&s.reply_buf, s.reply_alloc);
	if (kr != KERN_SUCCESS)
		return kr;
	s.request_alloc = 0;
	trailer_alloc = REQUESTED_TRAILER_SIZE(s.options);
	new_request_alloc = round_page_size(max_size + trailer_alloc);
	s.request_size = (s.options & MACH_RCV_LARGE) ? new_request_alloc : max_size + trailer_alloc;

	for (;;) {
		if (s.request_alloc < new_request_alloc) {
			s.request_alloc = new_request_alloc;
			kr = buffer_allocate(&s.request_buf, s.request_alloc);
			if (kr != KERN_SUCCESS) {
				buffer_deallocate(s.reply_buf, s.reply_alloc);
				return kr;
			}
		}
		mr = server_serve(&s, server_receive(&s));
		if (mr == MACH_RCV_TOO_LARGE && (s.options & MACH_RCV_LARGE)) {
			new_request_alloc = round_page_size(s.request_buf->Head.msgh_size + trailer_alloc);
			s.request_size = new_request_alloc;
			buffer_deallocate(s.request_buf, s.request_alloc);
			/* libsyscall reallocates only if the new size is larger,
			 * which MACH_RCV_TOO_LARGE under MACH_RCV_LARGE implies;
			 * forgetting the freed buffer makes that certain */
			s.request_alloc = 0;
			continue;
		}
		break;
	}
	buffer_deallocate(s.request_buf, s.request_alloc);
	buffer_deallocate(s.reply_buf, s.reply_alloc);
	return mr;
}

/* mach_msg_server_importance (libsyscall, xnu-11417): mach_msg_server. */
mach_msg_return_t mach_msg_server_importance(demux_fn demux, mach_msg_size_t max_size, mach_port_t rcv_name,
					     mach_msg_options_t options)
{
	return mach_msg_server(demux, max_size, rcv_name, options);
}
