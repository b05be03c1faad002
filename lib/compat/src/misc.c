/*
 * lib/compat/src/misc.c: the small calls of libsystem_kernel that are not
 * port or VM calls: mach_error_string / mach_error / mach_error_type,
 * audit_token_to_*, mig_strncpy(_zerofill), mig_allocate / mig_deallocate,
 * NDR_record, mach_reply_port, mach_host_self / mach_thread_self,
 * host_page_size.
 */
#include <stdio.h>
#include <string.h>

#include <bsm/libbsm.h>
#include <mach/mach_error.h>
#include <mach/mach_init.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/vm_map.h>

#include "lib/compat/src/compat_internal.h"

/* libsyscall mig_support: the record every MIG stub sends. */
NDR_record_t NDR_record = MP_NDR_RECORD_INIT;

/* ---- mach_error_string (libsyscall mach_error_string.c, error_codes.c) -- */

/* errorlib.h's NO_SUCH_ERROR. */
#define NO_SUCH_ERROR "unknown error code"

/*
 * The tables of error_codes.c for the codes machports returns: system 0
 * (err_kern: "(os/kern)" KERN_*; the "(os/?)" subsystems; "(os/unix)"
 * without its code strings, see below) and system 4 (err_mach_ipc:
 * MACH_SEND_*, MACH_RCV_*, MIG_* after do_compat). The strings are the
 * messages libsystem prints; the layout is ours.
 */
static const char *const kern_codes[] = {
	"(os/kern) successful",
	"(os/kern) invalid address",
	"(os/kern) protection failure",
	"(os/kern) no space available",
	"(os/kern) invalid argument",
	"(os/kern) failure",
	"(os/kern) resource shortage",
	"(os/kern) not receiver",
	"(os/kern) no access",
	"(os/kern) memory failure",
	"(os/kern) memory error",
	"(os/kern) already in set",
	"(os/kern) not in set",
	"(os/kern) name exists",
	"(os/kern) aborted",
	"(os/kern) invalid name",
	"(os/kern) invalid task",
	"(os/kern) invalid right",
	"(os/kern) invalid value",
	"(os/kern) urefs overflow",
	"(os/kern) invalid capability",
	"(os/kern) right exists",
	"(os/kern) invalid host",
	"(os/kern) memory present",
	"(os/kern) memory data moved",
	"(os/kern) memory restart copy",
	"(os/kern) invalid processor set",
	"(os/kern) policy limit",
	"(os/kern) invalid policy",
	"(os/kern) invalid object",
	"(os/kern) already waiting",
	"(os/kern) default set",
	"(os/kern) exception protected",
	"(os/kern) invalid ledger",
	"(os/kern) invalid memory control",
	"(os/kern) invalid security",
	"(os/kern) not depressed",
	"(os/kern) object terminated",
	"(os/kern) lock set destroyed",
	"(os/kern) lock unstable",
	"(os/kern) lock owned by another",
	"(os/kern) lock owned by self",
	"(os/kern) semaphore destroyed",
	"(os/kern) RPC terminated",
	"(os/kern) terminate orphan",
	"(os/kern) let orphan continue",
	"(os/kern) service not supported",
	"(os/kern) remote node down",
	"(os/kern) thread not waiting",
	"(os/kern) operation timed out",
	"(os/kern) code signing error",
	"(os/kern) policy is static",
	"(os/kern) insufficient input buffer size",
	"(os/kern) denied by security policy",
	"(os/kern) missing kernel collection",
	"(os/kern) invalid kernel collection",
	"(os/kern) result not found",
};

static const char *const send_codes[] = {
	"(ipc/send) no error",
	"(ipc/send) send in progress",
	"(ipc/send) invalid data",
	"(ipc/send) invalid destination port",
	"(ipc/send) timed out",
	"(ipc/send) invalid voucher",
	"(ipc/send) unused error",
	"(ipc/send) interrupted",
	"(ipc/send) msg too small",
	"(ipc/send) invalid reply port",
	"(ipc/send) invalid port right",
	"(ipc/send) invalid notify port",
	"(ipc/send) invalid memory",
	"(ipc/send) no msg buffer",
	"(ipc/send) msg too large",
	"(ipc/send) invalid msg-type",
	"(ipc/send) invalid msg-header",
	"(ipc/send) invalid msg-trailer",
	"(ipc/send) invalid context for reply",
	"(ipc/send) unused error",
	"(ipc/send) unused error",
	"(ipc/send) out-of-line buffer too large",
	"(ipc/send) destination does not accept OOL ports",
};

static const char *const rcv_codes[] = {
	"(ipc/rcv) no error",
	"(ipc/rcv) receive in progress",
	"(ipc/rcv) invalid name",
	"(ipc/rcv) timed out",
	"(ipc/rcv) msg too large",
	"(ipc/rcv) interrupted",
	"(ipc/rcv) port changed",
	"(ipc/rcv) invalid notify port",
	"(ipc/rcv) invalid data",
	"(ipc/rcv) port died",
	"(ipc/rcv) port in set",
	"(ipc/rcv) header error",
	"(ipc/rcv) body error",
	"(ipc/rcv) invalid scatter list entry",
	"(ipc/rcv) overwrite region too small",
	"(ipc/rcv) invalid msg-trailer",
	"(ipc/rcv) DIPC transport error",
};

static const char *const mig_codes[] = {
	"(ipc/mig) client type check failure",
	"(ipc/mig) wrong reply message ID",
	"(ipc/mig) server detected error",
	"(ipc/mig) bad request message ID",
	"(ipc/mig) server type check failure",
	"(ipc/mig) no reply should be sent",
	"(ipc/mig) server raised exception",
	"(ipc/mig) array not large enough",
	"(ipc/mig) server died",
	"(ipc/mig) unknown trailer format",
};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct err_subsystem {
	const char *name;
	int max_code;
	const char *const *codes;
};

/*
 * "(os/unix)" has 70 code strings in libsystem, which machports never
 * returns; they are not carried: every code of that subsystem reads
 * NO_SUCH_ERROR here (mach_error_type still names the subsystem).
 */
static const struct err_subsystem os_subs[] = {
	{ "(os/kern)", COUNT(kern_codes), kern_codes },
	{ "(os/?)", 0, NULL },
	{ "(os/?)", 0, NULL },
	{ "(os/unix)", 0, NULL },
};

static const struct err_subsystem mach_ipc_subs[] = {
	{ "(ipc/send)", COUNT(send_codes), send_codes },
	{ "(ipc/rcv)", COUNT(rcv_codes), rcv_codes },
	{ "(ipc/mig)", COUNT(mig_codes), mig_codes },
};

struct err_system {
	int max_sub;
	const char *bad_sub; /* NO_SUCH_ERROR for a system not carried */
	const struct err_subsystem *subs;
};

/*
 * _mach_errors[]: index = err_get_system. Systems 1 (user space), 2
 * (server), 3 (ipc), 7 (vm), 0x37 (libkern) and 0x38 (iokit) have tables
 * in libsystem that machports does not carry (it returns none of their
 * codes): every code of theirs reads NO_SUCH_ERROR and every subsystem
 * "(?/?)". Every other system is
 * libsystem's null entry: mach_error_string returns NULL for it, as
 * libsystem does (max_sub 0, bad_sub NULL).
 */
static const struct err_system *err_system_of(int system)
{
	static const struct err_system os = { COUNT(os_subs), "(operating system/?) unknown subsystem error",
					      os_subs };
	static const struct err_system mach_ipc = { COUNT(mach_ipc_subs), "(ipc/?) unknown subsystem error",
						    mach_ipc_subs };
	static const struct err_system us = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system server = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system ipc = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system vm = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system libkern = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system iokit = { 0, NO_SUCH_ERROR, NULL };
	static const struct err_system null_system = { 0, NULL, NULL };

	switch (system) {
	case 0x0: return &os;
	case 0x1: return &us;
	case 0x2: return &server;
	case 0x3: return &ipc;
	case 0x4: return &mach_ipc;
	case 0x7: return &vm;
	case 0x37: return &libkern;
	case 0x38: return &iokit;
	default: return &null_system;
	}
}

/* do_compat (mach_error_string.c): old error numbers to system/subsystem. */
static mach_error_t err_compat(mach_error_t err)
{
	const mach_error_t ipc_send_mod = err_system(3) | err_sub(0);
	const mach_error_t ipc_rcv_mod = err_system(3) | err_sub(1);
	const mach_error_t mach_ipc_mig_mod = err_system(4) | err_sub(2);

	if (-200 < err && err <= -100)
		return -(err + 100) | ipc_send_mod;
	if (-300 < err && err <= -200)
		return -(err + 200) | ipc_rcv_mod;
	if (-400 < err && err <= -300)
		return -(err + 300) | mach_ipc_mig_mod;
	if (1000 <= err && err < 1100)
		return (err - 1000) | (err_system(2) | err_sub(0));
	if (1600 <= err && err < 1700)
		return (err - 1600) | (err_system(2) | err_sub(1));
	if (27600 <= err && err < 27700)
		return (err - 27600) | (err_system(2) | err_sub(2));
	return err;
}

/* mach_error_string_int: the text, and whether mach_error adds the
 * diagnosis (every case but a found code, mach_error_full_diag being
 * FALSE). */
static const char *error_text(mach_error_t err, int *diag)
{
	const struct err_system *sys;
	const struct err_subsystem *sub;
	int sub_index, code;

	err = err_compat(err);
	sys = err_system_of(err_get_system(err));
	sub_index = err_get_sub(err);
	code = err_get_code(err);
	*diag = 1;
	if (sub_index >= sys->max_sub)
		return sys->bad_sub;
	sub = &sys->subs[sub_index];
	if (code >= sub->max_code)
		return NO_SUCH_ERROR;
	*diag = 0;
	return sub->codes[code];
}

char *mach_error_string(mach_error_t error_value)
{
	int diag;

	return (char *)error_text(error_value, &diag);
}

/* mach_error_type (mach_error_string.c): the subsystem's name, "(?/?)"
 * past the table. */
char *mach_error_type(mach_error_t error_value)
{
	mach_error_t err = err_compat(error_value);
	const struct err_system *sys = err_system_of(err_get_system(err));
	int sub = err_get_sub(err);

	if (sub >= sys->max_sub)
		return (char *)"(?/?)";
	return (char *)sys->subs[sub].name;
}

/* mach_error (mach_error.c): "str text" on stderr; with the diagnosis,
 * "str type text (hex)". */
void mach_error(const char *str, mach_error_t error_value)
{
	int diag;
	const char *text = error_text(error_value, &diag);

	if (text == NULL)
		text = "(null)";
	if (diag)
		fprintf(stderr, "%s %s %s (%x)\n", str, mach_error_type(error_value), text,
			(unsigned)error_value);
	else
		fprintf(stderr, "%s %s\n", str, text);
}

/* ---- audit tokens (libbsm; the words as XNU's proc_calc_audit_token
 * writes them, wire.h §4.4) ----------------------------------------------- */

uid_t audit_token_to_auid(audit_token_t atoken)
{
	return (uid_t)atoken.val[0];
}

uid_t audit_token_to_euid(audit_token_t atoken)
{
	return (uid_t)atoken.val[1];
}

gid_t audit_token_to_egid(audit_token_t atoken)
{
	return (gid_t)atoken.val[2];
}

uid_t audit_token_to_ruid(audit_token_t atoken)
{
	return (uid_t)atoken.val[3];
}

gid_t audit_token_to_rgid(audit_token_t atoken)
{
	return (gid_t)atoken.val[4];
}

pid_t audit_token_to_pid(audit_token_t atoken)
{
	return (pid_t)atoken.val[5];
}

au_asid_t audit_token_to_asid(audit_token_t atoken)
{
	return (au_asid_t)atoken.val[6];
}

int audit_token_to_pidversion(audit_token_t atoken)
{
	return (int)atoken.val[7];
}

/* ---- MIG's runtime helpers ------------------------------------------- */

/*
 * mig_strncpy (libsyscall mig_strncpy.c): copies at most len - 1 bytes and
 * always terminates dest; returns the number of bytes copied INCLUDING the
 * NUL when src ended, else len (len - 1 bytes and the NUL written). len <= 0:
 * nothing written, 0.
 */
int mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 1; i < len; i++) {
		*dest = *src;
		if (*dest == '\0')
			return i;
		dest++;
		src++;
	}
	*dest = '\0';
	return i;
}

/*
 * mig_strncpy_zerofill (mig_strncpy.c): as mig_strncpy, but the rest of the
 * len bytes are zeroed; a NULL src is an empty string; a NULL dest or
 * len <= 0 writes nothing and returns 0. Returns what mig_strncpy would.
 */
int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int i, copied = 0, ended = src == NULL;

	if (len <= 0 || dest == NULL)
		return 0;
	for (i = 1; i < len; i++) {
		if (ended) {
			*dest++ = '\0';
			continue;
		}
		*dest = *src++;
		if (*dest++ == '\0') {
			copied = i;
			ended = 1;
		}
	}
	*dest = '\0';
	return ended ? copied : i;
}

/* mig_allocate (mig_allocate.c): vm_allocate anywhere in the current task,
 * tagged VM_MEMORY_MACH_MSG (20); *addr 0 on failure. */
void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	const int tag_mach_msg = 20 << 24; /* VM_MAKE_TAG(VM_MEMORY_MACH_MSG) */

	if (vm_allocate(mach_task_self_, addr, size, tag_mach_msg | VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

/* mig_deallocate (mig_deallocate.c). */
void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	(void)vm_deallocate(mach_task_self_, addr, size);
}

/* ---- traps and host calls -------------------------------------------- */

/*
 * mach_reply_port (osfmk/kern/ipc_tt.c, the trap): in xnu-11417 it is
 * ipc_port_alloc(space, IPC_PORT_INIT_MESSAGE_QUEUE): an ordinary receive
 * right under a new name in the caller's space, not a reply port
 * (MPO_REPLY_PORT ports come from mach_port_construct); MACH_PORT_NULL if
 * the space cannot take one.
 */
mach_port_name_t mach_reply_port(void)
{
	mp_port_name_t name = MP_PORT_NULL;

	if (mp_port_allocate(compat_current()->task, MP_PORT_RIGHT_RECEIVE, &name) != MP_KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}

/*
 * mach_host_self / mach_thread_self: machports has no host and no thread
 * ports (no kernel object answers host_* or thread_* requests), so there
 * is no right to give: MACH_PORT_NULL, the value XNU's traps return when
 * they cannot make the right. A caller's mach_port_deallocate of it
 * behaves as on XNU for MACH_PORT_NULL.
 */
mach_port_t mach_host_self(void)
{
	return MACH_PORT_NULL;
}

mach_port_t mach_thread_self(void)
{
	return MACH_PORT_NULL;
}

/* host_page_size (libsyscall mach_init.c): the host is not looked at; the
 * page size. A NULL out-pointer (a fault on Darwin) is KERN_MEMORY_ERROR. */
kern_return_t host_page_size(host_t host, vm_size_t *page_size)
{
	(void)host;
	if (page_size == NULL)
		return KERN_MEMORY_ERROR;
	*page_size = vm_page_size;
	return KERN_SUCCESS;
}
