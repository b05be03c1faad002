#!/bin/bash -eu
# OSS-Fuzz build.sh for a project that vendors machports (a git submodule)
# and fuzzes its own MIG server with machports' server-fuzz harness
# (README.md). OSS-Fuzz's base-builder has no Bazel: this compiles
# machports' libraries from their one source list (lib/install/sources.sh)
# and the project's server, spec and fuzz target with $CC $CFLAGS, and
# links each fuzz target with $CXX $CXXFLAGS $LIB_FUZZING_ENGINE. The spec
# comes from the server's .defs through mpmig, compiled first for the build
# machine (HOST_CC, no $CFLAGS: it runs here, not in the fuzzer).
#
# As written it builds the session example of machports (the project
# "sessiond": fuzz/servers/session and fuzz/session_server.c at the same
# paths in the project, machports at third_party/machports). For your
# project, edit the "your project" part at the end.
# shellcheck disable=SC2086,SC1091  # $CFLAGS & co. are words (OSS-Fuzz's convention)

: "${SRC:?}" "${OUT:?}" "${WORK:?}" "${CC:?}" "${CXX:?}" "${LIB_FUZZING_ENGINE:?}"
: "${CFLAGS:=}" "${CXXFLAGS:=}"
PROJECT=${PROJECT:-$SRC/sessiond}              # your checkout (Dockerfile)
MACHPORTS=${MACHPORTS:-$PROJECT/third_party/machports}
HOST_CC=${HOST_CC:-$(command -v clang || command -v cc)}
mkdir -p "$OUT" "$WORK/machports" "$WORK/gen" "$WORK/obj"

# ---- machports: its libraries (one archive) and mpmig ----
build_machports() {
  local f o objs=()
  (
    cd "$MACHPORTS"
    . lib/install/sources.sh
    for f in "${MP_SRC_MACHPORTS[@]}" "${MP_SRC_MACH[@]}" "${MP_SRC_SERVER_FUZZ[@]}"; do
      o=$WORK/machports/$(echo "$f" | tr / _).o
      # machports' generator hashes and draws numbers with unsigned
      # arithmetic that wraps by design (defined in C): not a finding.
      $CC $CFLAGS -fno-sanitize=unsigned-integer-overflow -std=c11 "${MP_INCLUDES[@]}" -c "$f" -o "$o"
    done
    lib/spec/defs/std_to_c.sh "$WORK/machports/std_files.c" "${MP_STD_DEFS[@]}"
    "$HOST_CC" -std=c11 -O1 "${MP_INCLUDES[@]}" -o "$WORK/mpmig" \
      "${MP_SRC_MPMIG[@]}" "$WORK/machports/std_files.c"
  )
  objs=("$WORK"/machports/*.o)
  rm -f "$WORK/libmachports-all.a"
  ar rcs "$WORK/libmachports-all.a" "${objs[@]}"
}

# spec DEFS STEM: DEFS (relative to the project) -> $WORK/gen/STEM.{c,h}
# (include it as "STEM.h"; the table is <subsystem>_spec).
spec() {
  mkdir -p "$(dirname "$WORK/gen/$2")"
  "$WORK/mpmig" "$PROJECT/$1" -o "$WORK/gen/$2.c" --header "$WORK/gen/$2.h"
}

# compile SRC OBJ: a project source (or a generated one) with the project's,
# the generated specs' and machports' headers on the path.
compile() {
  $CC $CFLAGS -std=c11 -I"$PROJECT" -I"$WORK/gen" \
    -I"$MACHPORTS/lib/include" -I"$MACHPORTS/lib/compat/include" -c "$1" -o "$2"
}

# server_fuzzer NAME SOURCE...: $OUT/NAME from the sources (the fuzz target,
# the server; relative to the project, or a $WORK/gen/*.c) and machports.
server_fuzzer() {
  local name=$1 f o objs=()
  shift
  for f in "$@"; do
    case "$f" in /*) ;; *) f=$PROJECT/$f ;; esac
    o=$WORK/obj/$name$(echo "$f" | tr / _).o
    compile "$f" "$o"
    objs+=("$o")
  done
  $CXX $CXXFLAGS "${objs[@]}" "$WORK/libmachports-all.a" $LIB_FUZZING_ENGINE -lpthread -o "$OUT/$name"
}

# seeds NAME DIR [MAX_LEN]: NAME_seed_corpus.zip from DIR (relative to the
# project) and NAME.options (libFuzzer's max_len; the harness draws several
# requests from one input).
seeds() {
  rm -f "$OUT/$1_seed_corpus.zip"
  (cd "$PROJECT/$2" && zip -q -j "$OUT/$1_seed_corpus.zip" ./*)
  printf '[libfuzzer]\nmax_len = %s\n' "${3:-4096}" >"$OUT/$1.options"
}

build_machports

# ---- your project: one block per server ----
# The session example: its spec from session.defs, the server (its
# routines and demux), the fuzz target (LLVMFuzzerInitialize ->
# mp_server_fuzz_init, LLVMFuzzerTestOneInput -> mp_server_fuzz_one).
spec fuzz/servers/session/session.defs fuzz/servers/session/session_spec
server_fuzzer session_server \
  fuzz/session_server.c fuzz/servers/session/session_server.c \
  "$WORK/gen/fuzz/servers/session/session_spec.c"
seeds session_server corpus/session_server
