/*
 * lib/server_fuzz/oracle.c: the rules of machports/server_fuzz.h, one place
 * each, read from the kernel's ledger of the server's space (mp_port_names,
 * mp_port_get_refs), its guard events (mp_task_guard_events) and the
 * kernel's report (mp_backend_check: VM regions); and the report a finding
 * prints.
 */
#define _POSIX_C_SOURCE 200809L /* readlink */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mig_errors.h>

#include "lib/server_fuzz/server_fuzz_internal.h"
#include "machports/spec.h"
#include "machports/testing.h"

#define RIGHT_BITS (MP_PORT_TYPE_SEND | MP_PORT_TYPE_RECEIVE | MP_PORT_TYPE_SEND_ONCE | MP_PORT_TYPE_PORT_SET | \
		    MP_PORT_TYPE_DEAD_NAME)

static mp_task_t *server_task(void)
{
	return mp_compat_port_task(sf.server);
}

/* ------------------------------------------------------------------------
 * The ledger
 * ------------------------------------------------------------------------ */

static uint32_t refs_of(mp_task_t *t, mach_port_t name, uint32_t right)
{
	uint32_t refs = 0;

	if (mp_port_get_refs(t, name, right, &refs) != MP_KERN_SUCCESS)
		return 0;
	return refs;
}

/* Spare arrays of entries: the oracle frees ledgers and takes new ones at
 * every step (two at most are held at once), so arrays are reused rather
 * than calloc'd and freed. */
#define SPARES 4u
static struct {
	sf_ledger_entry_t *e;
	uint32_t cap;
} spares[SPARES];
static uint32_t nspares;

static int entries_get(sf_ledger_t *out, uint32_t count)
{
	out->n = count;
	if (nspares > 0 && spares[nspares - 1].cap >= count) {
		nspares--;
		out->e = spares[nspares].e;
		out->cap = spares[nspares].cap;
		return 0;
	}
	if (count == 0)
		return 0;
	out->cap = count < 64u ? 64u : count;
	out->e = calloc(out->cap, sizeof *out->e);
	return out->e != NULL ? 0 : -1;
}

/* The ledger in one kernel call (machports/testing.h mp_task_ledger):
 * 0, -1 (no memory), or 1: the backend has no such call. */
static int ledger_take_at_once(mp_task_t *t, sf_ledger_t *out)
{
	static mp_ledger_entry_t *scratch;
	static uint32_t scratch_cap;
	uint32_t count = 0;
	mp_kr_t kr;

	while ((kr = mp_task_ledger(t, scratch, scratch_cap, &count)) == MP_KERN_SUCCESS && count > scratch_cap) {
		uint32_t cap = count + 64u;
		mp_ledger_entry_t *bigger = realloc(scratch, (size_t)cap * sizeof *bigger);

		if (bigger == NULL)
			return -1;
		scratch = bigger;
		scratch_cap = cap;
	}
	if (kr == MP_KERN_NOT_SUPPORTED)
		return 1;
	if (kr != MP_KERN_SUCCESS || entries_get(out, count) != 0)
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		sf_ledger_entry_t *e = &out->e[i];

		e->name = scratch[i].name;
		e->type = scratch[i].type & RIGHT_BITS;
		e->send_urefs = (e->type & MP_PORT_TYPE_SEND) ? scratch[i].urefs : 0;
		e->dead_urefs = (e->type & MP_PORT_TYPE_DEAD_NAME) ? scratch[i].urefs : 0;
	}
	return 0;
}

/* The same from mp_port_names and mp_port_get_refs per name (machportd). */
static int ledger_take_by_name(mp_task_t *t, sf_ledger_t *out)
{
	mp_port_name_t *names = NULL;
	mp_port_type_t *types = NULL;
	uint32_t count = 0;

	if (mp_port_names(t, &names, &types, &count) != MP_KERN_SUCCESS)
		return -1;
	if (entries_get(out, count) != 0) {
		free(names);
		free(types);
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		sf_ledger_entry_t *e = &out->e[i];

		e->name = names[i];
		e->type = types[i] & RIGHT_BITS;
		e->send_urefs = (e->type & MP_PORT_TYPE_SEND) ? refs_of(t, e->name, MP_PORT_RIGHT_SEND) : 0;
		e->dead_urefs = (e->type & MP_PORT_TYPE_DEAD_NAME) ? refs_of(t, e->name, MP_PORT_RIGHT_DEAD_NAME) : 0;
	}
	free(names);
	free(types);
	return 0;
}

int sf_ledger_take(mp_task_t *t, sf_ledger_t *out)
{
	int rc;

	out->e = NULL;
	out->n = 0;
	out->cap = 0;
	rc = ledger_take_at_once(t, out);
	if (rc == 1)
		rc = ledger_take_by_name(t, out);
	if (rc != 0)
		sf_ledger_free(out);
	return rc;
}

void sf_ledger_free(sf_ledger_t *l)
{
	if (l->e != NULL && nspares < SPARES) {
		spares[nspares].e = l->e;
		spares[nspares].cap = l->cap;
		nspares++;
	} else {
		free(l->e);
	}
	l->e = NULL;
	l->n = 0;
	l->cap = 0;
}

static const sf_ledger_entry_t *ledger_find(const sf_ledger_t *l, mach_port_t name)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (l->e[i].name == name)
			return &l->e[i];
	return NULL;
}

static int entry_equal(const sf_ledger_entry_t *a, const sf_ledger_entry_t *b)
{
	return a->type == b->type && a->send_urefs == b->send_urefs && a->dead_urefs == b->dead_urefs;
}

/* The VM regions the kernel gave the server task and it still holds
 * (vm_allocate, received OOL memory and OOL port arrays). */
uint32_t sf_server_vm_regions(void)
{
	uint64_t bytes = 0;
	uint32_t regions = 0;

	(void)mp_task_vm_usage(server_task(), &regions, &bytes);
	return regions;
}

/* ------------------------------------------------------------------------
 * The report
 * ------------------------------------------------------------------------ */

static const char *right_name(uint32_t right)
{
	switch (right) {
	case MP_PORT_RIGHT_SEND:
		return "SEND";
	case MP_PORT_RIGHT_RECEIVE:
		return "RECEIVE";
	case MP_PORT_RIGHT_SEND_ONCE:
		return "SEND_ONCE";
	case MP_PORT_RIGHT_PORT_SET:
		return "PORT_SET";
	case MP_PORT_RIGHT_DEAD_NAME:
		return "DEAD_NAME";
	default:
		return "?";
	}
}

static void type_text(uint32_t type, char *out, size_t len)
{
	size_t n;

	snprintf(out, len, "%s%s%s%s%s", (type & MP_PORT_TYPE_RECEIVE) ? "RECEIVE " : "",
		 (type & MP_PORT_TYPE_SEND) ? "SEND " : "", (type & MP_PORT_TYPE_SEND_ONCE) ? "SEND_ONCE " : "",
		 (type & MP_PORT_TYPE_PORT_SET) ? "PORT_SET " : "", (type & MP_PORT_TYPE_DEAD_NAME) ? "DEAD_NAME " : "");
	n = strlen(out);
	if (n > 0)
		out[n - 1] = '\0';
}

static void ledger_print(const char *title, const sf_ledger_t *l)
{
	fprintf(stderr, "%s: %u names\n", title, l->n);
	for (uint32_t i = 0; i < l->n; i++) {
		char type[64];

		type_text(l->e[i].type, type, sizeof type);
		fprintf(stderr, "    0x%08x  %-24s send urefs %u%s\n", (unsigned)l->e[i].name, type, l->e[i].send_urefs,
			l->e[i].dead_urefs ? " (dead-name urefs)" : "");
	}
}

static void hex_print(const uint8_t *p, uint32_t len)
{
	uint32_t shown = len > 512u ? 512u : len;

	for (uint32_t i = 0; i < shown; i++)
		fprintf(stderr, "%s%02x%s", i % 16u == 0 ? "    " : "", p[i], i % 16u == 15u || i + 1 == shown ? "\n" : " ");
	if (shown < len)
		fprintf(stderr, "    ... (%u bytes)\n", len);
}

/* The request as received, dumped with its routine's spec (mpdump --spec
 * style) when MIG's checks accept it, else its bytes. */
static void request_print(void)
{
	mp_spec_view_t view;
	mp_spec_diag_t diag;
	int32_t code;

	if (sf.last_request_len == 0)
		return;
	memset(&diag, 0, sizeof diag);
	code = mp_spec_check_request(sf.cfg.subsystem, sf.last_request, sf.last_request_len, MP_SPEC_MIG, &view, &diag);
	fprintf(stderr, "request (as the server received it, %u bytes):\n", sf.last_request_len);
	if (code == MP_MIG_SUCCESS) {
		mp_spec_dump_text(&view, mp_write_stdio, stderr);
		fputc('\n', stderr);
		return;
	}
	fprintf(stderr, "    MIG's checks refuse it: %s: %s\n", mp_mig_code_name(code), diag.reason);
	hex_print(sf.last_request, sf.last_request_len);
}

/* How to run the input again: this binary on it (any engine's binary
 * replays a file given as its argument), and in machports' tree
 * scripts/repro with the config's target. */
static void reproduce_print(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (sf.cfg.target != NULL)
		fprintf(stderr, "reproduce: scripts/repro <this input> --target %s\n", sf.cfg.target);
	if (n > 0) {
		exe[n] = '\0';
		fprintf(stderr, "reproduce: %s <this input>\n", exe);
	}
}

/* A routine's code: MIG's names, else mach_error_string's text. */
const char *sf_code_name(int32_t code)
{
	const char *mig = mp_mig_code_name(code);

	return strcmp(mig, "unknown") != 0 ? mig : mach_error_string(code);
}

static const char *routine_name(void)
{
	if (sf.after_teardown)
		return "teardown";
	return sf.routine != NULL ? sf.routine->name : "?";
}

/* MACHPORTS_SERVER_FUZZ_ONLY=RULE[:ROUTINE] (machports/server_fuzz.h): is
 * this finding the one asked for? Unset or empty: every finding is. */
static int finding_selected(mp_server_fuzz_rule_t rule, const char *routine)
{
	const char *only = getenv("MACHPORTS_SERVER_FUZZ_ONLY");
	const char *rule_name = mp_server_fuzz_rule_name(rule);
	size_t len = strlen(rule_name);

	if (only == NULL || only[0] == '\0')
		return 1;
	if (strncmp(only, rule_name, len) != 0)
		return 0;
	return only[len] == '\0' || (only[len] == ':' && strcmp(only + len + 1, routine) == 0);
}

int sf_finding(mp_server_fuzz_rule_t rule, mach_port_t name, const char *fmt, ...)
{
	mp_server_fuzz_finding_t f;
	sf_ledger_t now;
	va_list ap;

	memset(&f, 0, sizeof f);
	f.rule = rule;
	f.routine = routine_name();
	f.id = sf.id;
	f.message = sf.message;
	f.name = name;
	va_start(ap, fmt);
	vsnprintf(f.detail, sizeof f.detail, fmt, ap);
	va_end(ap);
	/* another finding than the one selected: the input stops without a
	 * report, as under a report hook (the caller restarts the tasks) */
	if (!finding_selected(rule, f.routine))
		return (int)rule;

	fprintf(stderr, "==machports-server-fuzz==ERROR: %s in %s (id %d): %s\n", mp_server_fuzz_rule_name(rule),
		f.routine, (int)f.id, f.detail);
	if (sf.after_teardown)
		fprintf(stderr, "    after the input's %u requests and teardown; the last request follows\n",
			(unsigned)f.message);
	else
		fprintf(stderr, "    request %u of the input; the routine returned %s (0x%x)\n", (unsigned)f.message,
			sf_code_name(sf.code), (unsigned)sf.code);
	ledger_print("server space as the request arrived (before the demux)", &sf.before);
	if (sf_ledger_take(server_task(), &now) == 0) {
		ledger_print("server space now", &now);
		sf_ledger_free(&now);
	}
	request_print();
	reproduce_print();
	fprintf(stderr, "SUMMARY: machports-server-fuzz: %s in %s\n", mp_server_fuzz_rule_name(rule), f.routine);
	fflush(stderr);
	if (sf.hook == NULL)
		abort();
	sf.hook(&f, sf.hook_ctx);
	return (int)rule;
}

void mp_server_fuzz_set_report_hook(mp_server_fuzz_report_hook_t hook, void *ctx)
{
	sf.hook = hook;
	sf.hook_ctx = ctx;
}

const char *mp_server_fuzz_rule_name(mp_server_fuzz_rule_t rule)
{
	switch (rule) {
	case MP_SF_NONE:
		return "NONE";
	case MP_SF_RELEASE_THEN_ERROR:
		return "RELEASE_THEN_ERROR";
	case MP_SF_LEAK:
		return "LEAK";
	case MP_SF_USE_AFTER_RELEASE:
		return "USE_AFTER_RELEASE";
	case MP_SF_BAD_REPLY:
		return "BAD_REPLY";
	case MP_SF_SONCE_DANGLING:
		return "SONCE_DANGLING";
	}
	return "?";
}

/* ------------------------------------------------------------------------
 * What the request brought
 * ------------------------------------------------------------------------ */

/* A received disposition's right (the kernel's PORT_* after copyout). */
static int right_of_disposition(uint32_t disposition, uint32_t *right)
{
	switch (disposition) {
	case MACH_MSG_TYPE_PORT_RECEIVE:
		*right = MP_PORT_RIGHT_RECEIVE;
		return 1;
	case MACH_MSG_TYPE_PORT_SEND:
		*right = MP_PORT_RIGHT_SEND;
		return 1;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		*right = MP_PORT_RIGHT_SEND_ONCE;
		return 1;
	default:
		return 0;
	}
}

static void brought_add(mach_port_t name, uint32_t disposition)
{
	sf_brought_t *b;
	uint32_t right;

	if (!MACH_PORT_VALID(name) || !right_of_disposition(disposition, &right) || sf.nbrought >= SF_MAX_BROUGHT)
		return;
	b = &sf.brought[sf.nbrought++];
	b->name = name;
	b->right = right;
	b->urefs = right == MP_PORT_RIGHT_SEND ? refs_of(server_task(), name, right) : 1u;
}

/* Every right in the received request's descriptors (port descriptors and
 * the names of OOL port arrays, which the kernel mapped in this process). */
static void brought_record(void)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)sf.rcv;
	uint32_t off = sizeof *h + sizeof(mach_msg_body_t), count;

	sf.nbrought = 0;
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	count = ((const mach_msg_body_t *)(sf.rcv + sizeof *h))->msgh_descriptor_count;
	for (uint32_t i = 0; i < count && off + sizeof(mach_msg_port_descriptor_t) <= h->msgh_size; i++) {
		const mach_msg_type_descriptor_t *t = (const mach_msg_type_descriptor_t *)(sf.rcv + off);

		if (t->type == MACH_MSG_PORT_DESCRIPTOR) {
			const mach_msg_port_descriptor_t *p = (const mach_msg_port_descriptor_t *)t;

			brought_add(p->name, p->disposition);
			off += sizeof *p;
			continue;
		}
		if (t->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			const mach_msg_ool_ports_descriptor_t *p = (const mach_msg_ool_ports_descriptor_t *)t;
			const mach_port_t *names = p->address;

			for (uint32_t k = 0; names != NULL && k < p->count; k++)
				brought_add(names[k], p->disposition);
		}
		off += sizeof(mach_msg_ool_descriptor_t);
	}
}

/* ------------------------------------------------------------------------
 * The rules
 * ------------------------------------------------------------------------ */

uint32_t sf_guard_events_drain(void)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = 0;

	if (mp_task_guard_events(server_task(), ev, MP_GUARD_EVENTS_MAX, &n) != MP_KERN_SUCCESS)
		return 0;
	return n;
}

int sf_oracle_before_demux(void)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)sf.rcv;

	(void)sf_guard_events_drain();
	sf.code = KERN_SUCCESS;
	sf_ledger_free(&sf.before);
	(void)sf_ledger_take(server_task(), &sf.before);
	brought_record();
	sf.regions_before = sf_server_vm_regions();
	sf.reply_name = MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE ? h->msgh_remote_port
											     : MACH_PORT_NULL;
	return 0;
}

/* USE_AFTER_RELEASE: a guard exception of a name or right that is not
 * (any more) there, raised by the server's calls (XNU raises them in
 * mach_port_deallocate / mod_refs / destroy on such names: ipc_right.c,
 * mach_port.c; in a send naming a right the space lacks in its body:
 * ipc_kmsg_copyin; in a receive on a name that is no receive right:
 * mach_msg_receive: mach_port_guard_exception). */
static int is_release_guard(uint32_t flavor)
{
	switch (flavor) {
	case MP_GUARD_EXC_INVALID_NAME:
	case MP_GUARD_EXC_INVALID_RIGHT:
	case MP_GUARD_EXC_INVALID_VALUE:
	case MP_GUARD_EXC_MOD_REFS:
	case MP_GUARD_EXC_MOD_REFS_NON_FATAL:
	case MP_GUARD_EXC_SEND_INVALID_RIGHT:
	case MP_GUARD_EXC_RCV_INVALID_NAME:
		return 1;
	default:
		return 0;
	}
}

int sf_oracle_guard_events(const char *during)
{
	mp_guard_event_t ev[MP_GUARD_EVENTS_MAX];
	uint32_t n = 0;

	if (mp_task_guard_events(server_task(), ev, MP_GUARD_EVENTS_MAX, &n) != MP_KERN_SUCCESS)
		return 0;
	for (uint32_t i = 0; i < n && i < MP_GUARD_EVENTS_MAX; i++)
		if (is_release_guard(ev[i].flavor))
			return sf_finding(MP_SF_USE_AFTER_RELEASE, ev[i].target,
					  "name 0x%x: guard exception %s (payload 0x%llx) during %s",
					  (unsigned)ev[i].target, mp_guard_flavor_name(ev[i].flavor),
					  (unsigned long long)ev[i].payload, during);
	return 0;
}

/* RELEASE_THEN_ERROR (MIG's ownership rule, libsyscall mach_msg_server:
 * any code but KERN_SUCCESS and MIG_NO_REPLY makes the runtime destroy the
 * request): checked before that destroy. */
static int release_then_error(void)
{
	for (uint32_t i = 0; i < sf.nbrought; i++) {
		const sf_brought_t *b = &sf.brought[i];
		uint32_t now = 0;
		mp_kr_t kr = mp_port_get_refs(server_task(), b->name, b->right, &now);

		if (kr != MP_KERN_SUCCESS || now < b->urefs)
			return sf_finding(MP_SF_RELEASE_THEN_ERROR, b->name,
					  "name 0x%x, right %s, urefs %u -> %u: released, then the routine returned %s "
					  "(the runtime's destroy releases it again)",
					  (unsigned)b->name, right_name(b->right), b->urefs,
					  kr == MP_KERN_SUCCESS ? now : 0u, sf_code_name(sf.code));
	}
	return 0;
}

int sf_oracle_after_demux(void)
{
	int found = sf_oracle_guard_events("the routine");
	uint32_t regions;

	if (found != 0)
		return found;
	sf.code = mp_compat_mig_return_code(sf.reply);
	if (sf.code == KERN_SUCCESS || sf.code == MIG_NO_REPLY)
		return 0;
	if ((found = release_then_error()) != 0)
		return found;
	regions = sf_server_vm_regions();
	if (regions < sf.regions_before)
		return sf_finding(MP_SF_RELEASE_THEN_ERROR, MACH_PORT_NULL,
				  "%u VM region(s) released, then the routine returned %s (the runtime's destroy "
				  "deallocates the request's OOL memory again)",
				  sf.regions_before - regions, sf_code_name(sf.code));
	return 0;
}

static int may_keep(mach_port_t name, uint32_t type)
{
	return sf.cfg.may_keep != NULL && sf.cfg.may_keep(name, type, sf.cfg.ctx);
}

/* SONCE_DANGLING: the reply right still there after the reply was sent (or
 * not): neither used nor destroyed. */
int sf_oracle_after_reply(void)
{
	mp_port_type_t type = 0;

	if (!MACH_PORT_VALID(sf.reply_name))
		return 0;
	if (mp_port_type(server_task(), sf.reply_name, &type) != MP_KERN_SUCCESS || !(type & MP_PORT_TYPE_SEND_ONCE))
		return 0;
	if (may_keep(sf.reply_name, type & RIGHT_BITS))
		return 0;
	return sf_finding(MP_SF_SONCE_DANGLING, sf.reply_name,
			  "name 0x%x, right SEND_ONCE: the request's reply right was neither used nor destroyed "
			  "(the routine returned %s)",
			  (unsigned)sf.reply_name, sf_code_name(sf.code));
}

/* A name the server holds that it should not: a send-once right is
 * SONCE_DANGLING (whoever waits on its port never hears: neither a reply
 * nor the send-once notification its destruction would send), any other
 * right LEAK. */
static int held_finding(const sf_ledger_entry_t *e, const char *when, const char *more)
{
	char type[64];

	type_text(e->type, type, sizeof type);
	if (e->type & MP_PORT_TYPE_SEND_ONCE)
		return sf_finding(MP_SF_SONCE_DANGLING, e->name,
				  "name 0x%x (%s): a send-once right held %s, neither used nor destroyed%s",
				  (unsigned)e->name, type, when, more);
	return sf_finding(MP_SF_LEAK, e->name, "name 0x%x (%s, send urefs %u) held %s%s", (unsigned)e->name, type,
			  e->send_urefs, when, more);
}

/* LEAK between requests: with may_keep, every name the baseline did not
 * have must be one the server may keep. */
int sf_oracle_after_request(void)
{
	sf_ledger_t now;
	int found = 0;

	if (sf.cfg.may_keep == NULL)
		return 0;
	if (sf_ledger_take(server_task(), &now) != 0)
		return 0;
	for (uint32_t i = 0; i < now.n && found == 0; i++) {
		const sf_ledger_entry_t *e = &now.e[i];

		if (ledger_find(&sf.baseline, e->name) != NULL || may_keep(e->name, e->type))
			continue;
		found = held_finding(e, "after the request", ", and may_keep says no");
	}
	sf_ledger_free(&now);
	return found;
}

/* LEAK after teardown: the server's space is the baseline again, and the
 * kernel holds no more VM regions than after setup. */
int sf_oracle_after_teardown(void)
{
	sf_ledger_t now;
	uint32_t regions;
	int found = 0;

	sf.after_teardown = 1; /* no single request to blame */
	if (sf_ledger_take(server_task(), &now) != 0)
		return 0;
	for (uint32_t i = 0; i < now.n && found == 0; i++) {
		const sf_ledger_entry_t *base = ledger_find(&sf.baseline, now.e[i].name);

		if (base != NULL && entry_equal(base, &now.e[i]))
			continue;
		found = held_finding(&now.e[i], "after teardown",
				     base ? "; after setup: other rights" : "; after setup: absent");
	}
	sf_ledger_free(&now);
	if (found != 0)
		return found;
	regions = sf_server_vm_regions();
	if (regions > sf.baseline_regions)
		return sf_finding(MP_SF_LEAK, MACH_PORT_NULL,
				  "the server holds %u VM regions after teardown, %u after setup (OOL memory "
				  "received and never deallocated)",
				  regions, sf.baseline_regions);
	return 0;
}
