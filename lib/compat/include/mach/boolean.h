/*
 * <mach/boolean.h> for Linux (machports' compat headers): boolean_t, TRUE
 * and FALSE. Written from the SDK's facts (scripts/check-darwin-abi holds
 * them): on x86_64 user code boolean_t is unsigned, on arm64 signed.
 * New facts (not in machports/wire.h): all of this file.
 */
#ifndef MACHPORTS_COMPAT_MACH_BOOLEAN_H
#define MACHPORTS_COMPAT_MACH_BOOLEAN_H

#if defined(__x86_64__)
typedef unsigned int boolean_t;
#else
typedef int boolean_t;
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#endif
