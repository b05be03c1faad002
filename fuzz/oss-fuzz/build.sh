#!/bin/bash -eu
case "${1:-}" in -h|--help) sed -n "3,10p" "$0" | sed "s/^# \{0,1\}//"; exit 0 ;; esac
# fuzz/oss-fuzz/build.sh: builds every fuzz target the way OSS-Fuzz expects.
# Uses $CC $CFLAGS, links with $CXX $CXXFLAGS $LIB_FUZZING_ENGINE, and writes
# to $OUT: each target, <target>_seed_corpus.zip, <target>.dict and
# <target>.options. The targets come from Bazel (bazel query on the tags of
# fuzz/fuzz.bzl), so bazel must be on PATH. Locally, for example:
#   CC=clang-16 CXX=clang++-16 CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="-fsanitize=address" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/oss-fuzz-out fuzz/oss-fuzz/build.sh
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${OUT:?set OUT}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$WORK/obj"
cd "$SRC_DIR"
# The targets, and those linking the structure-aware mutator, as Bazel lists
# them (the fuzz-target and fuzz-mutator tags of fuzz/fuzz.bzl).
. scripts/lib.sh
targets=$(mp_fuzz_targets)
mutator_targets=$(mp_fuzz_targets fuzz-mutator)
# Targets whose sources need Bazel-generated code (fuzz-bazel-only: the
# session example server's spec is made from its .defs by mp_mig_spec) are
# left out: this script compiles without Bazel.
bazel_only=$(mp_fuzz_targets fuzz-bazel-only)

compile() { # compile SRC OBJ
  $CC $CFLAGS -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib/include -c "$1" -o "$2"
}
# compile_into ARRAY SRC...: compiles each source, appends its object to ARRAY.
compile_into() {
  local -n objs=$1
  local f o
  shift
  for f in "$@"; do
    o=$WORK/obj/$(echo "$f" | tr / _).o
    compile "$f" "$o"
    objs+=("$o")
  done
}
# the libraries every target may use: libmachports' sources (the one list,
# lib/install/sources.sh: lib/msg, lib/kern, lib/port, the spec engine and
# generator of issue 13) and the fuzz support and spec tables; and the
# structure-aware mutator
. lib/install/sources.sh
common=() mutator=()
compile_into common "${MP_SRC_MACHPORTS[@]}" fuzz/support/oracle.c \
  lib/spec/mach/*.c lib/spec/tests/gen_tables.c
compile_into mutator fuzz/support/mutator.c fuzz/support/custom_mutator.c fuzz/support/spec_mutator.c

for t in $targets; do
  [[ " $bazel_only " == *" $t "* ]] && { echo "skipping $t (fuzz-bazel-only: needs Bazel-generated code)"; continue; }
  compile "fuzz/$t.c" "$WORK/obj/$t.o"
  objs=("$WORK/obj/$t.o" "${common[@]}")
  [[ " $mutator_targets " == *" $t "* ]] && objs+=("${mutator[@]}")
  $CXX $CXXFLAGS "${objs[@]}" $LIB_FUZZING_ENGINE -lpthread -o "$OUT/$t"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  # max_len: the target's, declared once in fuzz/BUILD (the fuzz-max-len tag)
  max_len=$(mp_fuzz_max_len "$t")
  printf '[libfuzzer]\nmax_len = %s\n' "$max_len" > "$OUT/$t.options"
  if [ -f "corpus/$t.dict" ]; then
    cp "corpus/$t.dict" "$OUT/$t.dict"
    printf 'dict = %s.dict\n' "$t" >> "$OUT/$t.options"
  fi
done
echo "built into $OUT: $(cd "$OUT" && ls | tr '\n' ' ')"
