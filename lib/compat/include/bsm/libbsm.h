/*
 * <bsm/libbsm.h> for Linux (machports' compat headers): only the accessors
 * of an audit_token_t (the identity a message's audit trailer carries),
 * with the SDK's signatures. The token's eight words are machports/wire.h's
 * (mp_audit_token_t, §4.4: auid, euid, egid, ruid, rgid, pid, asid,
 * pidversion). audit_token_to_au32 (deprecated; its au_tid_t holds a dev_t,
 * whose size differs on Linux) and the rest of libbsm are not declared.
 * New facts: au_id_t and au_asid_t.
 */
#ifndef MACHPORTS_COMPAT_BSM_LIBBSM_H
#define MACHPORTS_COMPAT_BSM_LIBBSM_H

#include <sys/types.h>
#include <mach/message.h>

typedef uid_t au_id_t;
typedef pid_t au_asid_t;

#ifdef __cplusplus
extern "C" {
#endif
uid_t audit_token_to_auid(audit_token_t atoken);
uid_t audit_token_to_euid(audit_token_t atoken);
gid_t audit_token_to_egid(audit_token_t atoken);
uid_t audit_token_to_ruid(audit_token_t atoken);
gid_t audit_token_to_rgid(audit_token_t atoken);
pid_t audit_token_to_pid(audit_token_t atoken);
au_asid_t audit_token_to_asid(audit_token_t atoken);
int audit_token_to_pidversion(audit_token_t atoken);
#ifdef __cplusplus
}
#endif

#endif
