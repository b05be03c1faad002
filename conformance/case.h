/*
 * conformance/case.h: one generated conformance case, and the calls that
 * make, run and check it.
 *
 * A case is a complex message from a sender task S to a receiver task R:
 * the rights S holds beforehand, the descriptors (which port each names and
 * with which disposition), OOL memory, the reply right, the trailer R asks
 * for. gen.c makes valid cases from (seed, index); exec.c sets the rights
 * up on a backend, sends, receives, and checks what arrived against a model
 * of every right on both sides (xnu-abi.md §6-7). The notification
 * categories (port_destroyed, send_possible) have no message: a port, a
 * request on it and the event that fires it (or not), then the
 * notification's bytes and both tasks' rights against the model.
 */
#ifndef MP_CONFORMANCE_CASE_H
#define MP_CONFORMANCE_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "machports/port.h"

typedef enum category {
	CAT_PORT,       /* port descriptors: every disposition, coalescing */
	CAT_OOL,        /* OOL memory: sizes 0..1 MiB, alignment, copy, deallocate */
	CAT_OOL_PORTS,  /* OOL port arrays mixing NULL and DEAD */
	CAT_GUARDED,    /* guarded receive rights, every flag combination */
	CAT_INLINE,     /* inline bodies 0..64 KiB */
	CAT_REPLY,      /* reply rights (send, send-once) and the reply back */
	CAT_TRAILER,    /* every trailer element request, seqno, tokens, context */
	CAT_MIXED,      /* all of the above at once */
	CAT_SEND_FAIL,  /* §6.4 classes A and C: what the sender keeps */
	CAT_FULL_QUEUE, /* §6.4 class D: pseudo-receive */
	CAT_TOO_LARGE,  /* §6.6: MACH_RCV_TOO_LARGE with and without MACH_RCV_LARGE */
	CAT_DEAD_DEST,  /* §6.2: a destination that died */
	CAT_CIRCULAR,   /* §6.3 / class E: a receive right sent into its own queue */
	CAT_PORT_DESTROYED, /* MACH_NOTIFY_PORT_DESTROYED: the receive right sent back */
	CAT_SEND_POSSIBLE,  /* MACH_NOTIFY_SEND_POSSIBLE: armed, fired, dead name, deleted */
	CAT_REPLY_PORT, /* reply ports (issue 12): provisional and, in a hardened S, real;
			 * ENFORCE_REPLY_PORT_SEMANTICS destinations; legal and illegal uses */
	CAT_COUNT
} category_t;

const char *category_name(category_t c);
int category_from_name(const char *name); /* -1 if unknown */

#define CASE_MAX_PORTS 6
#define CASE_MAX_DESC 8
#define CASE_MAX_ARRAY 6
#define CASE_NULL (-1) /* a descriptor naming MACH_PORT_NULL */
#define CASE_DEAD (-2) /* a descriptor naming MACH_PORT_DEAD */
#define CASE_REPLY (-3) /* CAT_REPLY_PORT: a descriptor naming S's reply port */

/* A payload port: who holds its receive right and what S (and R) hold. */
typedef struct port_setup {
	int owned_by_r;  /* R holds the receive right; S holds only send rights */
	int s_send;      /* S's send urefs (0..3) */
	int s_sonce;     /* S's send-once rights (0..2) */
	int r_send;      /* R's send urefs before the message (0..2) */
	int dead;        /* the port dies before the send */
	int guarded;     /* constructed guarded, with context `guard` */
	uint64_t guard;
} port_setup_t;

typedef struct desc_spec {
	uint32_t type; /* MP_MSG_*_DESCRIPTOR */
	int port;      /* port index, CASE_NULL or CASE_DEAD (port, guarded) */
	uint32_t disp; /* port, ool_ports, guarded */
	/* OOL */
	uint32_t size, offset, copy;
	int dealloc;
	/* OOL ports */
	uint32_t count;
	int ports[CASE_MAX_ARRAY];
	/* guarded */
	uint32_t flags;
	uint64_t context;
} desc_spec_t;

typedef struct case_spec {
	uint64_t seed;
	uint32_t index;
	category_t cat;
	uint32_t dest_disp; /* COPY_SEND, MOVE_SEND or MOVE_SEND_ONCE */
	int dest_s_urefs;   /* S's send urefs for the destination (COPY/MOVE) */
	uint32_t reply_disp; /* 0, MAKE_SEND_ONCE, MAKE_SEND, COPY_SEND, MOVE_SEND */
	int reply_back;      /* R answers through the reply right */
	uint32_t inline_len;
	int ndesc;
	desc_spec_t d[CASE_MAX_DESC];
	int nports;
	port_setup_t p[CASE_MAX_PORTS];
	uint32_t trailer_elems;
	int guarded_desc_opt; /* R receives with MACH_RCV_GUARDED_DESC */
	int warmups;          /* simple messages queued on the port first (seqno) */
	uint64_t dest_context;
	int fail_at;   /* CAT_SEND_FAIL: the descriptor that fails (-1: header, class A) */
	int large_opt; /* CAT_TOO_LARGE: receive with MACH_RCV_LARGE */
	/* CAT_REPLY_PORT */
	int hardened;          /* S is a hardened task (mp_task_set_hardened) */
	uint32_t reply_mpo;    /* the reply port's construct flags: 0, MPO_REPLY_PORT or
				* MPO_PROVISIONAL_REPLY_PORT */
	int dest_enforce;      /* the destination has MPO_ENFORCE_REPLY_PORT_SEMANTICS */
	int reply_desc;        /* the last descriptor names the reply port (CASE_REPLY) */

	/* CAT_PORT_DESTROYED and CAT_SEND_POSSIBLE (no message body: a port P
	 * of one task, a request by the other task or by its owner, a notify
	 * port N in the requester). */
	int how;          /* PD_* / SP_*: what makes the request fire (or not) */
	int req_send;     /* PD: S's send urefs on P beside its receive right;
			   * SP: S's send urefs on P (0: a send-once right) */
	int other_send;   /* PD: R's send urefs on P (0..2) */
	int queued;       /* messages queued on P before the request */
	uint32_t qlimit;  /* SP: P's queue limit (1..3) */
	int notify_in_s;  /* PD: N is S's own port (else R's; S gets a send-once right) */
	int sync;         /* SP: the request's sync (armed at once) */
	int prior_dn;     /* SP: a dead-name request on the name first */
	int extra_checks; /* PD: sync != 0 and a second request, both refused, first */
} case_spec_t;

/* What makes a port-destroyed request fire (mach_port_request_notification
 * + ipc_port_destroy), or the port die after all. */
enum {
	PD_MOD_REFS,    /* mach_port_mod_refs(RECEIVE, -1) */
	PD_DESTROY,     /* mach_port_destroy */
	PD_DESTRUCT,    /* mach_port_destruct with the guard */
	PD_TASK_DEATH,  /* S's task dies */
	PD_CARRIED,     /* a message carrying the receive right is destroyed */
	PD_NOTIFY_DEAD, /* N dies first: the notification is discarded, P dies */
	PD_CIRCULAR,    /* N is P itself: the notification is circular, P dies */
	PD_NULL_NOTIFY, /* a NULL notify registers nothing: P dies */
	PD_HOW_COUNT
};

/* What a send-possible request meets (ipc_right_request_alloc,
 * ipc_port_spnotify, ipc_port_dnnotify). */
enum {
	SP_RECEIVE,     /* R receives a message from P */
	SP_SEND_NOTIFY, /* S sends with MACH_SEND_NOTIFY, then R receives */
	SP_PORT_DIES,   /* R destroys P: MACH_NOTIFY_DEAD_NAME */
	SP_NAME_GOES,   /* S deallocates its name: MACH_NOTIFY_PORT_DELETED */
	SP_DEAD_NAME,   /* P died before the request: DEAD_NAME at once */
	SP_HOW_COUNT
};

/* gen.c: the case (seed, index); `only` < 0 picks the category from the
 * index (round robin), else forces it. */
void case_generate(case_spec_t *c, uint64_t seed, uint32_t index, int only);
/* A one-line-per-field description of the case (for failure reports). */
void case_describe(const case_spec_t *c, char *buf, size_t len);

/* exec.c: runs the case on `backend`. Returns 0 if every check passed.
 * `record` gets the normalised outcome (return codes, received bytes with
 * names and addresses replaced, both sides' rights), `report` the failed
 * checks and the mpdump of the sent and received bytes. */
typedef struct outcome {
	char *record;
	size_t record_len, record_cap;
	char *report;
	size_t report_len, report_cap;
	int failures;
} outcome_t;

int case_execute(const case_spec_t *c, mp_backend_t backend, outcome_t *out);
/* Notes what the backend's kernel holds before the first case (the leak
 * check after each case compares with it). 0, or -1 with a reason. */
int case_baseline(mp_backend_t backend, char *why, size_t len);
void outcome_free(outcome_t *o);

#endif /* MP_CONFORMANCE_CASE_H */
