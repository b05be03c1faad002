/*
 * stash_server.h: the stash service's server side (stash.defs), written as
 * MIG servers are, against Apple's API only.
 *
 *   stash_server           MIG's demux: for mach_msg_server, or for the
 *                          server-fuzz harness (stash_fuzz.c)
 *   stash_server_teardown  releases every right the stash holds (server
 *                          task current)
 *
 * PLANT_RELEASE_THEN_ERROR (BUILD: stash_server_plant) plants an ownership
 * bug: stash_keep on a full stash deallocates the right, then fails.
 */
#ifndef STASH_SERVER_H
#define STASH_SERVER_H

#include <mach/mach.h>
#include <mach/mig.h>

#define STASH_BASE 6100
#define STASH_ROUTINES 2
#define STASH_MAX 4

boolean_t stash_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
void stash_server_teardown(void);

#endif /* STASH_SERVER_H */
