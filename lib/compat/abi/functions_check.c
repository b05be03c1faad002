/*
 * lib/compat/abi/functions_check.c: redeclares every function and variable
 * of functions.def after the headers of includes.h. Compiled with
 * -fsyntax-only by scripts/check-darwin-abi against lib/compat/include on
 * Linux and against the macOS SDK for arm64 and x86_64: a type that
 * differs from the header's is a compile error on that side.
 */
#include <stdint.h>

#include "lib/compat/abi/includes.h"

#define FUNC(ret, name, params) extern ret name params;
#define VAR(type, name) extern type name;
#include "lib/compat/abi/functions.def"
