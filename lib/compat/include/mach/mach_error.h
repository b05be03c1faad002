/*
 * <mach/mach_error.h> for Linux (machports' compat headers): the libsystem
 * calls that turn a Mach error value into text. No layout facts.
 */
#ifndef MACHPORTS_COMPAT_MACH_MACH_ERROR_H
#define MACHPORTS_COMPAT_MACH_MACH_ERROR_H

#include <mach/error.h>

#ifdef __cplusplus
extern "C" {
#endif
char *mach_error_string(mach_error_t error_value);
void mach_error(const char *str, mach_error_t error_value);
char *mach_error_type(mach_error_t error_value);
#ifdef __cplusplus
}
#endif

#endif
