/*
 * fuzz/servers/session/session_types.h: the C types session.defs names
 * (its `import`), for MIG's generated headers: a session's name, the
 * c_string[64] the set_name request carries in line.
 */
#ifndef FUZZ_SERVERS_SESSION_TYPES_H
#define FUZZ_SERVERS_SESSION_TYPES_H

typedef char session_name_t[64];

#endif /* FUZZ_SERVERS_SESSION_TYPES_H */
