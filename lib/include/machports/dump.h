/*
 * machports/dump.h: human-readable and JSON renderings of a parsed message
 * (what mpdump prints). Output goes to a caller-supplied writer, so the same
 * code serves a FILE, a memory buffer or a fuzz target.
 */
#ifndef MACHPORTS_DUMP_H
#define MACHPORTS_DUMP_H

#include <stddef.h>

#include "machports/msg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*mp_write_fn)(void *ctx, const char *data, size_t len);

/* mp_write_stdio is an mp_write_fn for a FILE * context. */
void mp_write_stdio(void *file, const char *data, size_t len);

/* mp_dump_text writes a multi-line description of an accepted view: header
 * with bit and disposition names, each descriptor, the inline bytes in hex,
 * and the trailer with the audit token's slots named. */
void mp_dump_text(const mp_msg_view_t *view, mp_write_fn write, void *ctx);

/* mp_dump_json writes one JSON object (no newline) for an accepted view.
 * `label` (may be NULL) becomes the "file" member. */
void mp_dump_json(const mp_msg_view_t *view, const char *label, mp_write_fn write, void *ctx);

/* mp_dump_json_rejected writes one JSON object for a rejected input. */
void mp_dump_json_rejected(mp_mode_t mode, const mp_diag_t *diag, const char *label,
			   mp_write_fn write, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* MACHPORTS_DUMP_H */
