/*
 * lib/spec/differential/golden_format.h: the files the MIG differential
 * writes and CI replays (lib/spec/golden/), and the files that carry
 * messages between the generator and Apple's MIG server (the oracle).
 *
 * Plain C over stdio, no Apple header and no machports library, so the
 * oracle harness (oracle_main.c, built by scripts/mig-differential against a
 * MIG-generated server) and the Bazel side (mig_diff, golden_test) read and
 * write the same bytes. Every integer is little-endian.
 *
 * Header (both kinds):
 *   magic     8 bytes  "mpgolden"
 *   version   u32      MP_GOLDEN_VERSION
 *   kind      u32      MP_GOLDEN_RECORDS or MP_GOLDEN_STREAM
 *   name_len  u32      then the subsystem's name (name_len bytes, no NUL)
 *   seed      u64      the generator's seed (mp_spec_gen_init_seed)
 *   count     u32      records (RECORDS) or messages (STREAM)
 *   generator u64      the generator's identity: mp_golden_hash of every message
 *                      the seed makes (a STREAM, and the RECORDS mig_diff gen
 *                      writes for the oracle); 0 in a golden sample
 *   spec      u64      the spec table's identity when the oracle ran
 *                      (mp_replay_spec_identity); 0 if unknown
 * RECORDS (a sample of messages; the oracle's input and output):
 *   count x { u32 len, len bytes (message in received form: the message, then
 *             the trailer at round_msg(msgh_size)), i32 code }
 * STREAM (the codes of every message the seed makes, in order), each code
 * a nibble (mp_golden_code_nibble):
 *   top       3 bytes  the three most frequent nibbles
 *   nesc      u32      how many messages have another code
 *   symbols   (count + 3) / 4 bytes: 2 bits a message, low bits first:
 *                      0..2 = top[0..2], 3 = the next escaped nibble
 *   escaped   (nesc + 1) / 2 bytes: the other codes, in message order, two
 *                      a byte, low nibble first
 */
#ifndef MACHPORTS_GOLDEN_FORMAT_H
#define MACHPORTS_GOLDEN_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MP_GOLDEN_MAGIC "mpgolden"
#define MP_GOLDEN_VERSION 1u
#define MP_GOLDEN_RECORDS 1u
#define MP_GOLDEN_STREAM 2u

#define MP_GOLDEN_MAX_NAME 63u
/* The largest message + trailer a record may hold (MIG's largest request in
 * the subsystems we check is a few KiB; a generated message stays far below). */
#define MP_GOLDEN_MAX_RECORD (256u * 1024u)

/* A code no MIG server returns: "not run yet" in a record the generator wrote. */
#define MP_GOLDEN_NO_CODE ((int32_t)0x7ead0000)

typedef struct mp_golden_header {
	uint32_t version;
	uint32_t kind;
	char subsystem[MP_GOLDEN_MAX_NAME + 1];
	uint64_t seed;
	uint32_t count;
	uint64_t generator;
	uint64_t spec;
} mp_golden_header_t;

/* Each returns 0 on success, -1 on a short or malformed file / a write error,
 * with a reason in err (err_len bytes, may be NULL). */
int mp_golden_read_header(FILE *f, mp_golden_header_t *h, char *err, size_t err_len);
int mp_golden_write_header(FILE *f, const mp_golden_header_t *h);

/* A record: its bytes into buf (cap bytes; a longer record is an error). */
int mp_golden_read_record(FILE *f, uint8_t *buf, size_t cap, uint32_t *len, int32_t *code,
			  char *err, size_t err_len);
int mp_golden_write_record(FILE *f, const void *msg, uint32_t len, int32_t code);

/* A STREAM's codes: count nibbles, coded as above. */
int mp_golden_read_codes(FILE *f, uint32_t count, uint8_t *nibbles_out, char *err,
			 size_t err_len);
int mp_golden_write_codes(FILE *f, uint32_t count, const uint8_t *nibbles);

/* MIG's codes as nibbles: MIG_SUCCESS 0, -300 .. -309 (MIG_TYPE_ERROR ..
 * MIG_TRAILER_ERROR) 1 .. 10. Returns -1 for a code with no nibble. */
int mp_golden_code_nibble(int32_t code);
int32_t mp_golden_nibble_code(unsigned nibble);

/* The generator's identity: FNV-1a 64 over every message (its length as u32
 * little-endian, then its bytes), in order, from MP_GOLDEN_HASH_INIT. */
#define MP_GOLDEN_HASH_INIT 0xcbf29ce484222325ull
uint64_t mp_golden_hash(uint64_t h, const void *msg, uint32_t len);

#endif /* MACHPORTS_GOLDEN_FORMAT_H */
