/*
 * lib/machportd/client_vm.h (private to the daemon): the client-memory
 * boundary. The kernel reads and writes a client's memory only through
 * these VM ops (mpd_client_vm_ops), and they serve exactly the regions the
 * client put in its MSG request (in the packet or its memfd, keyed by the
 * descriptors' addresses): every other address is unreadable, as an
 * unmapped one (MACH_SEND_INVALID_MEMORY). Regions the kernel gives the
 * caller are collected for the reply (pages of a reply memfd, or packed),
 * and the sender's regions it deallocates are listed. The daemon never
 * reads or writes its own memory at a client's address.
 */
#ifndef MP_MACHPORTD_CLIENT_VM_H
#define MP_MACHPORTD_CLIENT_VM_H

#include <stdint.h>

#include "lib/kern/kern.h"
#include "lib/machportd/proto.h"

/* A region the client sent: its address in the client, its size, and its
 * offset in the bytes sent (packet or memfd). */
typedef struct mpd_window {
	uint64_t addr, size, off;
} mpd_window_t;

/* One MSG call's memory: the regions the client sent, and what the kernel
 * gave it or took from it. */
typedef struct mpd_call_vm {
	void *space;             /* the VM ops' context: the caller's space */
	const uint8_t *in;       /* the regions' bytes, back to back */
	mpd_window_t win[MPD_MAX_OOL];
	uint32_t nwin;
	uint8_t *out; /* the reply memfd's bytes: regions at page-aligned offsets */
	uint64_t out_len, out_cap;
	mpd_map_t *map; /* offset: into out */
	uint32_t nmap, map_cap;
	mpd_dealloc_t *dealloc;
	uint32_t ndealloc, dealloc_cap;
} mpd_call_vm_t;

/* The VM ops of every client space (their context: the space). */
extern const mp_kern_vm_ops_t mpd_client_vm_ops;

/*
 * The windows of a MSG request: OOL table entry i is the region of
 * descriptor desc_index of `msg` (its `len` bytes, walked in order), which
 * must be an OOL region of exactly the entry's size; its bytes are at
 * offset sum(sizes before it) of `in`. Otherwise MPD_E_OOL_TABLE, at the
 * entry's byte in the request.
 */
mpd_err_t mpd_call_vm_windows(mpd_call_vm_t *call, const uint8_t *msg, uint32_t len, const mpd_msg_args_t *m,
			      const uint8_t *in, mpd_diag_t *diag);

/* The kernel calls the VM ops in the thread that made the call (the sender
 * copies in and deallocates; the receiver maps), so the call in progress is
 * this thread's: between enter and leave, the ops serve `call` for
 * `space`; at any other time, or for another space, they refuse. */
void mpd_call_vm_enter(mpd_call_vm_t *call, void *space);
void mpd_call_vm_leave(void);

/* Frees the map and dealloc lists (not `out`, which its owner may keep). */
void mpd_call_vm_free(mpd_call_vm_t *call);

/* The memfd that came with a MSG: sealed against shrinking (else the
 * client could truncate it under the daemon: SIGBUS), holding `need`
 * bytes. Mapped read-only, private; NULL with MPD_E_FDS in `diag`. */
const uint8_t *mpd_map_request_fd(int fd, uint64_t need, mpd_diag_t *diag);

/* A sealed memfd holding `len` bytes (the client maps it; it cannot
 * shrink), or -1. */
int mpd_make_memfd(const void *data, uint64_t len);

#endif /* MP_MACHPORTD_CLIENT_VM_H */
