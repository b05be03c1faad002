/*
 * fuzz/support/oracle.h: the checks the fuzz targets make on every parser
 * result. A violated check prints what broke and aborts, which every engine
 * reports as a crash.
 */
#ifndef MP_FUZZ_ORACLE_H
#define MP_FUZZ_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "machports/msg.h"

#define FUZZ_CHECK(cond, ...)                                                 \
	do {                                                                      \
		if (!(cond))                                                          \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                \
	} while (0)

__attribute__((noreturn, format(printf, 4, 5))) void fuzz_fail(const char *file, int line,
							       const char *cond,
							       const char *fmt, ...);

/*
 * fuzz_check_accepted: for a view the parser accepted from data[0..size):
 * every descriptor, the inline data and the trailer lie inside the buffer,
 * the counts agree, and re-encoding the view with the builder gives back the
 * input's bytes except the fields the builder normalises (msgh_size,
 * descriptor padding, deallocate as 0/1). In send mode the re-encoded
 * message is accepted again.
 */
void fuzz_check_accepted(const mp_msg_view_t *v, const uint8_t *data, size_t size);

/* fuzz_check_rejected: a rejection names a rule of its mode (never an
 * internal or usage error), with an offset inside the input and a reason;
 * in send mode the rule has an XNU return code. */
void fuzz_check_rejected(mp_mode_t mode, mp_err_t err, const mp_diag_t *diag, size_t size);

#endif /* MP_FUZZ_ORACLE_H */
