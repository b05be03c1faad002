#!/usr/bin/env bash
# lib/install/example/run.sh PREFIX: builds the examples of this folder
# outside Bazel against the machports installed in PREFIX (scripts/install),
# the two ways a user does, warning-free (-Wall -Wextra -Werror), and runs
# them:
#   pkg-config   cc ... $(pkg-config --cflags --libs machports-mach), and
#                machports for machports_example.c
#   cmake        find_package(machports), machports::mach / ::machports,
#                shared and (machports_USE_STATIC_LIBS) static; with clang
#                also machports::server_fuzz (the session example's fuzz
#                target, below), 200 inputs
#   machportd    both programs with MACHPORTS_BACKEND=machportd, the daemon
#                started from PREFIX/bin on PATH on a private socket, then
#                stopped: it must log that every space ended and nothing
#                was left
#   server-fuzz  a project fuzzing its own MIG server from the installed tree:
#                the session example server (fuzz/servers/session) and its fuzz
#                target (fuzz/session_server.c), its spec made from
#                session.defs by PREFIX/bin/mpmig (pkg-config --variable=mpmig),
#                compiled with pkg-config machports-server-fuzz only. With
#                clang: linked with -fsanitize=fuzzer,address (libFuzzer), it
#                runs 2,000 inputs over corpus/session_server with no finding,
#                and its PLANT_RELEASE_THEN_ERROR build reports RELEASE_THEN_ERROR
#                within 60 s; with another compiler: compiled warning-free.
# One line per case, then "N passed, N failed". CC: the compiler (cc).
set -uo pipefail
cd "$(dirname "$0")" || exit 2
. ../../../scripts/lib.sh
if [ $# -ne 1 ] || [ ! -d "$1" ]; then echo "usage: run.sh PREFIX" >&2; exit 2; fi
prefix=$(cd "$1" && pwd)
cc=${CC:-cc}
work=$(mktemp -d)
daemon_dir=$work/machportd
trap 'stop_daemon; rm -rf "$work"' EXIT

passed=0 failed=0
# case NAME CMD...: one test case; its output is shown only if it fails.
case_() { local name=$1; shift; mp_case "install  $name ($cc)" "$work/$name.log" "$@"; }

# prints_ok CMD...: CMD exits 0 and its output is the one line "ok".
prints_ok() {
  local out
  out=$("$@") || return 1
  [ "$out" = ok ] || { echo "printed: $out"; return 1; }
}

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# pkg_build PROGRAM PACKAGE: cc with pkg-config's flags; the rpath so the
# program finds the shared libraries where they are installed.
pkg_build() {
  local flags libdir
  flags=$(pkg-config --cflags --libs "$2") || return 1
  libdir=$(pkg-config --variable=libdir "$2") || return 1
  # shellcheck disable=SC2086  # pkg-config's flags are words
  "$cc" -std=c11 -Wall -Wextra -Werror -o "$work/pc-$1" "$1.c" $flags -Wl,-rpath,"$libdir"
}
pkg_example() { pkg_build "$1" "$2" && prints_ok "$work/pc-$1"; }
case_ pkg-config-machports pkg_example machports_example machports
case_ pkg-config-mach pkg_example mach_example machports-mach

# cmake_example BUILD_DIR STATIC: configure and build both, run both; with
# clang also the session example's fuzz target (machports::server_fuzz),
# 200 inputs with no finding.
cmake_example() {
  local dir=$work/$1
  cmake -S . -B "$dir" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
    -Dmachports_USE_STATIC_LIBS="$2" -DCMAKE_C_STANDARD=11 -DMACHPORTS_SOURCE_DIR="$(cd ../../.. && pwd)" &&
    cmake --build "$dir" -- VERBOSE=1 &&
    prints_ok "$dir/mach_example" && prints_ok "$dir/machports_example" || return 1
  case "$(basename "$cc")" in
    clang*) mkdir -p "$dir/fuzz-corpus" &&
              "$dir/session_server_fuzz" -runs=200 "$dir/fuzz-corpus" ../../../corpus/session_server ;;
  esac
}
case_ cmake-shared cmake_example cmake-shared OFF
case_ cmake-static cmake_example cmake-static ON

# machportd: started by the first client from PATH (PREFIX/bin first), on a
# socket in a private directory; stop_daemon ends the one serving it.
daemon_pids() { # the machportd processes started with --socket on our socket
  local p
  for p in /proc/[0-9]*; do
    { tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null | grep -qxF -- "$daemon_dir/sock" && echo "${p#/proc/}"
  done
}
stop_daemon() {
  local pid tries
  for pid in $(daemon_pids); do
    kill -TERM "$pid" 2>/dev/null
    for ((tries = 0; tries < 50; tries++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  return 0
}
on_machportd() {
  env -u MACHPORTD MACHPORTS_BACKEND=machportd MACHPORTD_SOCKET="$daemon_dir/sock" \
    PATH="$prefix/bin:$PATH" "$@"
}
machportd_example() {
  [ -x "$work/pc-$1" ] || pkg_build "$1" "$2" || return 1
  prints_ok on_machportd "$work/pc-$1" || return 1
  [ -n "$(daemon_pids)" ] || { echo "no machportd served $daemon_dir/sock"; return 1; }
}
mkdir -m 700 "$daemon_dir"
case_ machportd-mach machportd_example mach_example machports-mach
case_ machportd-machports machportd_example machports_example machports
# SIGTERM: the daemon ends every space, checks its kernel's invariants and
# logs that nothing was left (else it names what was); nothing may survive.
stopped_clean() {
  stop_daemon
  [ -z "$(daemon_pids)" ] || { echo "machportd survived SIGKILL"; return 1; }
  cat "$daemon_dir/sock.log"
  grep -q 'stopped: every space ended, invariants hold, nothing left' "$daemon_dir/sock.log"
}
case_ machportd-stopped-clean stopped_clean

# server-fuzz: the session example as a project of its own would build it.
root=$(cd ../../.. && pwd)
session=$root/fuzz/servers/session
sf=$work/server-fuzz
# session_spec: session.defs -> fuzz/servers/session/session_spec.{c,h}
# under $sf (fuzz/session_server.c includes it by that path).
make_spec() {
  local mpmig
  mpmig=$(pkg-config --variable=mpmig machports-server-fuzz) && [ -x "$mpmig" ] || return 1
  mkdir -p "$sf/fuzz/servers/session" &&
    "$mpmig" "$session/session.defs" -o "$sf/fuzz/servers/session/session_spec.c" \
      --header "$sf/fuzz/servers/session/session_spec.h"
}
# sf_build OUT CFLAGS...: the fuzz target, the server and its spec, with
# pkg-config's flags and the given ones.
sf_build() {
  local out=$1 flags libdir; shift
  flags=$(pkg-config --cflags --libs machports-server-fuzz) || return 1
  libdir=$(pkg-config --variable=libdir machports-server-fuzz) || return 1
  # shellcheck disable=SC2086  # pkg-config's flags are words
  "$cc" -std=c11 -Wall -Wextra -Werror "$@" -I"$sf" -I"$root" -o "$out" \
    "$root/fuzz/session_server.c" "$session/session_server.c" \
    "$sf/fuzz/servers/session/session_spec.c" $flags -Wl,-rpath,"$libdir"
}
# sf_run NAME BIN FLAGS...: BIN over a fresh corpus directory and the
# session seeds (nothing written to the source tree), its output in
# $sf/NAME.out and shown; BIN's exit status.
sf_run() {
  local name=$1 binary=$2 rc; shift 2
  mkdir -p "$sf/$name"
  "$binary" "$@" -seed=1 "$sf/$name" "$root/corpus/session_server" >"$sf/$name.out" 2>&1; rc=$?
  cat "$sf/$name.out"
  return "$rc"
}
sf_clean() {
  sf_build "$sf/session_server_fuzz" -fsanitize=fuzzer,address -g -O1 &&
    sf_run clean "$sf/session_server_fuzz" -runs=2000 &&
    ! grep -q machports-server-fuzz "$sf/clean.out"
}
sf_plant() {
  sf_build "$sf/session_server_plant_fuzz" -fsanitize=fuzzer,address -g -O1 -DPLANT_RELEASE_THEN_ERROR &&
    ! sf_run plant "$sf/session_server_plant_fuzz" -max_total_time=60 -artifact_prefix="$sf/plant/" &&
    grep -q '^SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in ' "$sf/plant.out"
}
sf_compile() { # no libFuzzer in this compiler: the same sources compile and link (a main)
  printf 'int main(void) { return 0; }\n' >"$sf/main.c"
  sf_build "$sf/session_server_link" "$sf/main.c"
}
case_ server-fuzz-spec make_spec
case "$(basename "$cc")" in
  clang*)
    case_ server-fuzz-libfuzzer-clean sf_clean
    case_ server-fuzz-libfuzzer-plant-found sf_plant ;;
  *) case_ server-fuzz-compile sf_compile ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
