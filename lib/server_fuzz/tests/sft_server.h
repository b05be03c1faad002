/*
 * lib/server_fuzz/tests/sft_server.h: the harness's test server, MIG-shaped
 * (sft.defs: sft_add, sft_give, sft_note, sft_hold), with one switch per
 * planted bug, each one class of the oracle's rules.
 */
#ifndef SFT_SERVER_H
#define SFT_SERVER_H

#include <mach/mach.h>

#include "lib/server_fuzz/tests/sft_spec.h"
#include "machports/server_fuzz.h"

typedef enum sft_plant {
	SFT_CLEAN = 0,
	SFT_RELEASE_THEN_ERROR, /* sft_give releases the port and the OOL region, then fails */
	SFT_RELEASE_OOL_THEN_ERROR, /* sft_give releases the OOL region only, then fails */
	SFT_LEAK_PORT,          /* sft_give keeps the port it was given */
	SFT_LEAK_OOL,           /* sft_give keeps the OOL region */
	SFT_USE_AFTER_RELEASE,  /* sft_give releases the port twice */
	SFT_BAD_REPLY,          /* sft_add's reply has the wrong size */
	SFT_SONCE_DANGLING,     /* sft_add returns MIG_NO_REPLY and keeps the reply right */
} sft_plant_t;

extern sft_plant_t sft_plant;

/* What sft_whoami saw last: the audit token's val[] (zero until then). */
extern uint32_t sft_last_audit[8];

/* Send rights sft_ports received in an OOL array and released. */
extern unsigned sft_ports_released;

/* sft_add's calls, and those with an argument equal to a sum an earlier
 * call of the same input returned (the harness's reply values). */
extern unsigned sft_add_calls, sft_add_reused;

/* sft_give's calls whose OOL data held a non-zero byte. */
extern unsigned sft_give_nonzero_data;

/* The names sft_hold kept, as the teardown found them: how many, and how
 * many were dead names (their port destroyed before the input ended). */
extern unsigned sft_held_at_teardown, sft_held_dead_at_teardown;

/* The demux (MIG's sft_server). */
boolean_t sft_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP);

/* The harness's callbacks: setup empties the held table; teardown releases
 * what sft_hold kept; may_keep allows exactly those names. */
int sft_setup(mach_port_t service, void *ctx);
void sft_teardown(void *ctx);
int sft_may_keep(mach_port_t name, uint32_t type, void *ctx);

/* The harness's config for this server: the demux, its spec and the three
 * callbacks above; each test or bench sets the rest (mode, max_messages,
 * identity, target). */
mp_server_fuzz_config_t sft_config(void);

/* Input `seed` of the tests and the bench: 16 to 271 pseudo-random bytes
 * (xorshift), the same in every run; returns how many it wrote (<= cap). */
size_t sft_seeded_input(uint32_t seed, uint8_t *buf, size_t cap);

#endif
