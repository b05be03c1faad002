/*
 * <Availability.h> for Linux (machports' compat headers): the availability
 * annotations Apple's headers and MIG's stubs put on declarations, all
 * defined to nothing, since on Linux no API is conditional on an OS
 * version. No version numbers are defined (__MAC_OS_X_VERSION_MIN_REQUIRED
 * stays undefined, so code that tests for macOS does not take its macOS
 * branch). Users add this folder with -I only on Linux; on Darwin the
 * SDK's own header is used.
 */
#ifndef MACHPORTS_COMPAT_AVAILABILITY_H
#define MACHPORTS_COMPAT_AVAILABILITY_H

#define __OSX_AVAILABLE(...)
#define __IOS_AVAILABLE(...)
#define __TVOS_AVAILABLE(...)
#define __WATCHOS_AVAILABLE(...)
#define __OSX_UNAVAILABLE
#define __IOS_UNAVAILABLE
#define __TVOS_UNAVAILABLE
#define __WATCHOS_UNAVAILABLE
#define __IOS_PROHIBITED
#define __TVOS_PROHIBITED
#define __WATCHOS_PROHIBITED
#define __OSX_DEPRECATED(...)
#define __IOS_DEPRECATED(...)
#define __OSX_AVAILABLE_STARTING(mac, ios)
#define __OSX_AVAILABLE_BUT_DEPRECATED(macIntro, macDep, iosIntro, iosDep)
#define __OSX_AVAILABLE_BUT_DEPRECATED_MSG(macIntro, macDep, iosIntro, iosDep, msg)
#define __API_AVAILABLE(...)
#define __API_UNAVAILABLE(...)
#define __API_DEPRECATED(...)
#define __API_DEPRECATED_WITH_REPLACEMENT(...)
#define __SPI_AVAILABLE(...)
#define API_AVAILABLE(...)
#define API_UNAVAILABLE(...)
#define API_DEPRECATED(...)
#define API_DEPRECATED_WITH_REPLACEMENT(...)
#define SPI_AVAILABLE(...)

#endif
