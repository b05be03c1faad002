#!/usr/bin/env bash
# libraries_test.sh LIBMACHPORTS_A LIBMACHPORTS_MACH_A LIBMACHPORTS_SO
#                   LIBMACHPORTS_MACH_SO INCLUDE_DIR EXPORTS
#                   LIBMACHPORTS_SERVER_FUZZ_A LIBMACHPORTS_SERVER_FUZZ_SO
# EXPORTS: version-script, or all in a fuzz-engine build (install.bzl).
# What scripts/install installs, as Bazel built it (any configuration):
#   - the three archives define every global symbol once between them,
#     libmachports-mach.a holds lib/compat's objects only and
#     libmachports-server-fuzz.a lib/server_fuzz's;
#   - each .so exports only names the installed headers use (and a
#     sanitizer runtime's hooks), so lib/kern's mp_kern_*, machportd's mpd_*
#     and lib/compat's compat_* stay inside;
#   - libmachports-mach.so needs libmachports.so.0, which exports all it
#     takes from it, and looks for it beside itself ($ORIGIN); both carry
#     their SONAME; the same for libmachports-server-fuzz.so over both.
# Prints one line per case, then "N passed, N failed".
set -uo pipefail
[ $# -eq 8 ] || { echo "usage: $0 A MACH_A SO MACH_SO INCLUDE_DIR EXPORTS SF_A SF_SO" >&2; exit 2; }
a=$1 mach_a=$2 so=$3 mach_so=$4 include=$5 exports=$6 sf_a=$7 sf_so=$8
passed=0 failed=0
check() { # check NAME CMD...
  local name=$1 out; shift
  if out=$("$@" 2>&1); then echo "ok   $name"; passed=$((passed + 1))
  else echo "FAIL $name"; echo "$out" | head -n 20; failed=$((failed + 1)); fi
}

# The strong definitions (weak ones, as MSan's __msan_track_origins in
# every object, may repeat: the linker keeps one).
strong() { nm -g --defined-only "$@" | awk 'NF == 3 && $2 !~ /^[VvWw]$/ { print $3 }'; }

once() {
  local dups
  dups=$(strong "$a" "$mach_a" "$sf_a" | sort | uniq -d)
  [ -z "$dups" ] || { echo "defined twice: $dups"; return 1; }
}
check "every global symbol defined once in the three archives" once

compat_only() {
  local others
  others=$(ar t "$mach_a" | grep -v '^lib_compat_')
  [ -z "$others" ] || { echo "not lib/compat's: $others"; return 1; }
}
check "libmachports-mach.a holds lib/compat's objects only" compat_only

server_fuzz_only() {
  local others
  others=$(ar t "$sf_a" | grep -v '^lib_server_fuzz_')
  [ -z "$others" ] || { echo "not lib/server_fuzz's: $others"; return 1; }
}
check "libmachports-server-fuzz.a holds lib/server_fuzz's objects only" server_fuzz_only

named=$(find "$include" -name '*.h' -exec cat {} + | grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u)
exports_named() { # SO
  local extra
  extra=$(nm -D --defined-only "$1" | awk 'NF == 3 { print $3 }' |
          grep -vE '^(__asan_|__lsan_|__msan_|__ubsan_|__sanitizer_|__afl_|__cmplog_|__sancov|__start_|__stop_|_init$|_fini$|_edata$|_end$|__bss_start$)' |
          sort -u | comm -23 - <(echo "$named"))
  [ -z "$extra" ] || { echo "exported, named by no installed header: $extra"; return 1; }
}
# Fuzz-engine builds link without the version script (lib/install/install.bzl).
if [ "$exports" = version-script ]; then
  check "libmachports.so exports only what the headers name" exports_named "$so"
  check "libmachports-mach.so exports only what the headers name" exports_named "$mach_so"
  check "libmachports-server-fuzz.so exports only what the headers name" exports_named "$sf_so"
fi

# What libmachports-mach.so takes from libmachports must be exported by it
# (a call into a header-less function of lib/port would link, then fail to
# load).
served() { # USER_SO ARCHIVE SO: SO exports all USER_SO takes from ARCHIVE's objects
  local wanted missing
  wanted=$(nm -D --undefined-only "$1" | awk '{ print $2 }' | sed 's/@.*//' | sort -u |
           comm -12 - <(strong "$2" | sort -u))
  missing=$(comm -23 <(echo "$wanted") <(nm -D --defined-only "$3" | awk '{ print $3 }' | sort -u))
  [ -z "$missing" ] || { echo "$(basename "$1") needs, $(basename "$3") hides: $missing"; return 1; }
}
check "libmachports.so exports all libmachports-mach.so takes from it" served "$mach_so" "$a" "$so"
check "libmachports.so exports all libmachports-server-fuzz.so takes from it" served "$sf_so" "$a" "$so"
check "libmachports-mach.so exports all libmachports-server-fuzz.so takes from it" \
  served "$sf_so" "$mach_a" "$mach_so"

exports_api() { # SO SYMBOL...
  local so=$1 s syms; shift
  syms=$(nm -D --defined-only "$so" | awk '{ print $3 }') || return 1
  for s in "$@"; do
    grep -qx "$s" <<<"$syms" || { echo "$s not exported"; return 1; }
  done
}
check "libmachports.so exports the API" exports_api "$so" mp_task_open mp_msg_send mp_builder_init mp_spec_check_request
check "libmachports-mach.so exports the API" exports_api "$mach_so" mach_task_self_ mp_compat_task_create
check "libmachports.so exports the generator" exports_api "$so" mp_spec_gen_request
check "libmachports-server-fuzz.so exports the API" exports_api "$sf_so" mp_server_fuzz_init mp_server_fuzz_one

dynamic() { # SO TAG VALUE
  local d
  d=$(readelf -d "$1") || return 1
  grep -F "($2)" <<<"$d" | grep -qF "[$3]" || { echo "$d"; return 1; }
}
check "libmachports.so: SONAME libmachports.so.0" dynamic "$so" SONAME libmachports.so.0
check "libmachports-mach.so: SONAME libmachports-mach.so.0" dynamic "$mach_so" SONAME libmachports-mach.so.0
check "libmachports-mach.so needs libmachports.so.0" dynamic "$mach_so" NEEDED libmachports.so.0
# shellcheck disable=SC2016  # the literal $ORIGIN
check 'libmachports-mach.so: RUNPATH $ORIGIN' dynamic "$mach_so" RUNPATH '$ORIGIN'
check "libmachports-server-fuzz.so: SONAME libmachports-server-fuzz.so.0" \
  dynamic "$sf_so" SONAME libmachports-server-fuzz.so.0
check "libmachports-server-fuzz.so needs libmachports-mach.so.0" dynamic "$sf_so" NEEDED libmachports-mach.so.0
check "libmachports-server-fuzz.so needs libmachports.so.0" dynamic "$sf_so" NEEDED libmachports.so.0
# shellcheck disable=SC2016  # the literal $ORIGIN
check 'libmachports-server-fuzz.so: RUNPATH $ORIGIN' dynamic "$sf_so" RUNPATH '$ORIGIN'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
