/*
 * <mach/clock_types.h> for Linux (machports' compat headers): the scalar
 * types of the clock interfaces and the mach_timespec_t they pass, which
 * MIG's stubs of the SDK's clock.defs / clock_reply.defs use. Declarations
 * only (machports has no clock service). New facts: the typedefs, struct
 * mach_timespec, the clock ids and flavors, the NSEC/USEC ratios and the
 * alarm type bits (lib/compat/abi/facts.def).
 */
#ifndef MACHPORTS_COMPAT_MACH_CLOCK_TYPES_H
#define MACHPORTS_COMPAT_MACH_CLOCK_TYPES_H

#include <stdint.h>

typedef int alarm_type_t;
typedef int sleep_type_t;
typedef int clock_id_t;
typedef int clock_flavor_t;
typedef int *clock_attr_t;
typedef int clock_res_t;

struct mach_timespec {
	unsigned int tv_sec;
	clock_res_t tv_nsec;
};
typedef struct mach_timespec mach_timespec_t;

/* clock ids (REALTIME_CLOCK is the old name of SYSTEM_CLOCK) */
#define SYSTEM_CLOCK 0
#define CALENDAR_CLOCK 1
#define REALTIME_CLOCK 0

/* clock_get_attributes flavors */
#define CLOCK_GET_TIME_RES 1
#define CLOCK_ALARM_CURRES 3
#define CLOCK_ALARM_MINRES 4
#define CLOCK_ALARM_MAXRES 5

#define NSEC_PER_USEC 1000ull
#define USEC_PER_SEC 1000000ull
#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull

/* alarm_type_t: the low byte is the time type */
#define ALRMTYPE 0xff
#define TIME_ABSOLUTE 0x00
#define TIME_RELATIVE 0x01
#define BAD_ALRMTYPE(t) (((t) & ~TIME_RELATIVE) != 0)

#endif
