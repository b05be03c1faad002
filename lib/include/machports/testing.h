/*
 * machports/testing.h: hooks for tests and the conformance runner, not for
 * programs that use machports.
 *
 * They look behind a backend at the kernel that serves it, to check that a
 * test left it consistent and leaked nothing.
 */
#ifndef MACHPORTS_TESTING_H
#define MACHPORTS_TESTING_H

#include <stdint.h>

#include "machports/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel behind a backend: its invariant checker and what it holds
 * (MP_BACKEND_KERN: this process's embedded kernel; MACHPORTD: the
 * daemon's, over a fresh connection). mp_backend_check returns 0, or -1
 * with a reason (not running; Darwin has no such check). */
typedef struct mp_kernel_report {
	int ok; /* the invariants hold */
	char why[256];
	uint32_t spaces, ports, psets, kmsgs, vm_regions;
} mp_kernel_report_t;
int mp_backend_check(mp_backend_t backend, mp_kernel_report_t *report);

/* A harness's speed knob (the server-fuzz harness, issue 15): the task's
 * whole deallocated regions of up to 32 pages stay mapped in the embedded
 * kernel's recycle bin and come back as its later fresh regions of the
 * same size (zero-filled but for their data), so an OOL message costs no
 * mmap, page fault or munmap. What the task holds and must deallocate is
 * unchanged (mp_task_vm_usage stays exact); only deallocated addresses stay
 * mapped (poisoned under ASan / MSan until reused). `on` is 0 or 1 (else
 * KERN_INVALID_ARGUMENT). MP_BACKEND_KERN only: others KERN_NOT_SUPPORTED.
 * Off by default. */
mp_kr_t mp_task_set_vm_recycle(mp_task_t *t, int on);

/* A task's ledger in one call (an oracle's snapshot of a space; the same
 * facts as mp_port_names + mp_port_get_refs per name): each name in
 * ascending order, its type as mp_port_names reports it, its send or
 * dead-name urefs (else 0). A send or send-once right whose port died is
 * made a dead name first, as mp_port_get_refs makes it. At most `max`
 * entries are written; *count is the task's number of names (more than
 * `max`: call again with room). MP_BACKEND_KERN only: others
 * KERN_NOT_SUPPORTED (use mp_port_names and mp_port_get_refs). */
typedef struct mp_ledger_entry {
	mp_port_name_t name;
	mp_port_type_t type;
	uint32_t urefs;
} mp_ledger_entry_t;
mp_kr_t mp_task_ledger(mp_task_t *t, mp_ledger_entry_t *out, uint32_t max, uint32_t *count);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_TESTING_H */
