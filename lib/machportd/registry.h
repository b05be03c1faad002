/*
 * lib/machportd/registry.h (private to the daemon): the bootstrap registry,
 * as launchd's bootstrap_register / bootstrap_look_up. A service name maps
 * to a send right held in the registry's own space of the daemon's kernel.
 * Registering takes a copy of the caller's send right (COPY_SEND) or makes
 * one from its receive right (MAKE_SEND); a name whose port has died may be
 * registered again, a live one is BOOTSTRAP_NAME_IN_USE. Looking up copies
 * the send right into the caller's space; a dead one is dropped and the
 * name is BOOTSTRAP_UNKNOWN_SERVICE. Thread-safe (a lock of its own).
 */
#ifndef MP_MACHPORTD_REGISTRY_H
#define MP_MACHPORTD_REGISTRY_H

#include <stdint.h>

#include "lib/kern/kern.h"

#define MPD_MAX_SERVICES 4096

typedef struct mpd_registry mpd_registry_t;

/* A registry with a space of its own in `k`; NULL if out of memory. */
mpd_registry_t *mpd_registry_create(mp_kern_t *k);

/* `name` is `len` bytes (1..MPD_SERVICE_MAX, no NUL: the request decoder
 * checked them); `caller` the calling task's space. */
mp_kr_t mpd_registry_register(mpd_registry_t *reg, mp_kspace_t *caller, const char *name, uint32_t len,
			      mp_port_name_t port, uint32_t disposition);
mp_kr_t mpd_registry_look_up(mpd_registry_t *reg, mp_kspace_t *caller, const char *name, uint32_t len,
			     mp_port_name_t *port);

/* Destroys the registry's space (its send rights are released) and frees
 * it: at shutdown, once no client is left. */
void mpd_registry_close(mpd_registry_t *reg);

/* Frees the registry only; its space goes with the kernel (or stays, with
 * the kernel, when clients are still connected). */
void mpd_registry_free(mpd_registry_t *reg);

#endif /* MP_MACHPORTD_REGISTRY_H */
