/*
 * fuzz/servers/session/session_server.h: the session service's server side
 * (session.defs), written as MIG servers are, against Apple's API only.
 *
 *   session_server    MIG's demux (`<subsystem>_server`): hand it to
 *                     mach_msg_server / mach_msg_server_once, or to the
 *                     server-fuzz harness.
 *   session_server_teardown
 *                     closes every open session (releases what they hold);
 *                     call it with the server's task current.
 *
 * One build is clean; each of session_server_plant_* (BUILD) compiles the
 * same source with one PLANT_* flag, which plants one ownership bug (see
 * session_server.c and fuzz/servers/README.md).
 */
#ifndef FUZZ_SERVERS_SESSION_SERVER_H
#define FUZZ_SERVERS_SESSION_SERVER_H

#include <mach/mach.h>
#include <mach/mig.h>

#define SESSION_BASE 5400
#define SESSION_ROUTINES 7
#define SESSION_MAX_SESSIONS 8
#define SESSION_NAME_MAX 64
#define SESSION_MAX_DATA (64u * 1024u)

/* Messages the server sends on its own: notify_me's answer through the
 * send-once right, close_session's notice to the registered callback. The
 * body is the session number (mach_msg_header_t, NDR_record_t, int). */
#define SESSION_NOTIFY_ID 5500
#define SESSION_CLOSED_ID 5501

/* The buffer a receiver needs for any request with any trailer. */
#define SESSION_MAX_REQUEST_SIZE ((mach_msg_size_t)(100 + MAX_TRAILER_SIZE))

boolean_t session_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);
mig_routine_t session_server_routine(mach_msg_header_t *InHeadP);
void session_server_teardown(void);

/* Sessions open now (for tests). */
int session_server_open_count(void);

#endif /* FUZZ_SERVERS_SESSION_SERVER_H */
