/*
 * lib/server_fuzz/server_fuzz_internal.h: the harness's state (one per
 * process) and the oracle's entry points (oracle.c), shared by
 * server_fuzz.c and oracle.c.
 */
#ifndef MACHPORTS_SERVER_FUZZ_INTERNAL_H
#define MACHPORTS_SERVER_FUZZ_INTERNAL_H

#include <stdint.h>

#include <mach/mach.h>

#include "lib/server_fuzz/inputs.h"
#include "machports/compat.h"
#include "machports/port.h"
#include "machports/server_fuzz.h"

/* A space's names with their rights and urefs (the kernel's ledger). */
typedef struct sf_ledger_entry {
	mach_port_t name;
	uint32_t type; /* MACH_PORT_TYPE_* rights bits (requests masked off) */
	uint32_t send_urefs, dead_urefs;
} sf_ledger_entry_t;

typedef struct sf_ledger {
	sf_ledger_entry_t *e;
	uint32_t n;
	uint32_t cap; /* entries e has room for */
} sf_ledger_t;

/* A right a request brought into the server's space, as received. */
typedef struct sf_brought {
	mach_port_t name;
	uint32_t right; /* MP_PORT_RIGHT_* */
	uint32_t urefs;
} sf_brought_t;

#define SF_MAX_MADE 1024u      /* fresh client ports per input (more: null names) */
#define SF_MAX_BROUGHT 256u    /* rights a request brings (descriptors and OOL port arrays) */
#define SF_OOL_POOL 65536u     /* the client's OOL bytes */
#define SF_OOL_PORTS_MAX 16u   /* names in one OOL ports descriptor (more: count cut) */
#define SF_OOL_PORTS_DESCS 8u  /* OOL ports descriptors with real names per request */

typedef struct sf_state {
	int ready;
	mp_server_fuzz_config_t cfg;
	mp_compat_task_t *client, *server;
	mach_port_t service;      /* receive right, server's space */
	mach_port_t service_send; /* send right, client's space */
	mach_port_t reply_port;   /* receive right, client's space */
	sf_ledger_t baseline;     /* the server's space after setup */
	uint32_t baseline_regions;
	size_t cap;
	uint8_t *gen, *send, *rcv, *reply, *client_rcv, *last_request;
	uint32_t last_request_len;
	uint8_t ool_pool[SF_OOL_POOL];
	mach_port_t ool_names[SF_OOL_PORTS_DESCS][SF_OOL_PORTS_MAX];
	uint32_t nool_ports; /* OOL ports descriptors made for this request */
	mach_port_t made[SF_MAX_MADE];
	uint32_t nmade;
	sf_values_t values; /* what the input's replies returned (inputs.h) */
	/* the request being served */
	const mp_spec_routine_t *routine;
	int32_t id;
	uint32_t message;
	int after_teardown; /* the steady-state check is running */
	int32_t code; /* the routine's code as the runtime read it */
	sf_ledger_t before;
	sf_brought_t brought[SF_MAX_BROUGHT];
	uint32_t nbrought;
	uint32_t regions_before; /* the server's VM regions before the demux */
	mach_port_t reply_name; /* the request's reply right in the server's space */
	mp_server_fuzz_report_hook_t hook;
	void *hook_ctx;
	mp_server_fuzz_stats_t stats;
} sf_state_t;

extern sf_state_t sf;

/* ledger (oracle.c) */
int sf_ledger_take(mp_task_t *t, sf_ledger_t *out);
void sf_ledger_free(sf_ledger_t *l);
uint32_t sf_server_vm_regions(void);
uint32_t sf_guard_events_drain(void);

/* The oracle's steps; each returns 0 or the rule it reported. */
int sf_oracle_before_demux(void);
int sf_oracle_after_demux(void);
int sf_oracle_guard_events(const char *during);
int sf_oracle_after_reply(void);
int sf_oracle_after_request(void);
int sf_oracle_after_teardown(void);

/* Prints the report and aborts (or calls the hook); returns the rule. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int sf_finding(mp_server_fuzz_rule_t rule, mach_port_t name, const char *fmt, ...);

void sf_restart(void);
const char *sf_code_name(int32_t code);

#endif /* MACHPORTS_SERVER_FUZZ_INTERNAL_H */
