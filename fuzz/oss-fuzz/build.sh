#!/bin/bash -eu
case "${1:-}" in -h|--help) sed -n "3,9p" "$0" | sed "s/^# \{0,1\}//"; exit 0 ;; esac
# fuzz/oss-fuzz/build.sh: builds every fuzz target the way OSS-Fuzz expects.
# Uses $CC $CFLAGS, links with $CXX $CXXFLAGS $LIB_FUZZING_ENGINE, and writes
# to $OUT: each target, <target>_seed_corpus.zip, <target>.dict and
# <target>.options. Locally, for example:
#   CC=clang-16 CXX=clang++-16 CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="-fsanitize=address" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   OUT=/tmp/oss-fuzz-out fuzz/oss-fuzz/build.sh
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${OUT:?set OUT}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$WORK/obj"
cd "$SRC_DIR"

compile() { # compile SRC OBJ
  $CC $CFLAGS -std=c11 -D_POSIX_C_SOURCE=200809L -I. -Ilib/include -c "$1" -o "$2"
}
lib_objs=()
for f in lib/wire/*.c lib/msg/build.c lib/msg/parse.c lib/msg/err.c lib/msg/dump.c lib/kern/*.c lib/machportd/proto.c \
         fuzz/support/oracle.c fuzz/support/mutator.c fuzz/support/custom_mutator.c; do
  o=$WORK/obj/$(echo "$f" | tr / _).o
  compile "$f" "$o"
  lib_objs+=("$o")
done
common=("${lib_objs[@]:0:$(( ${#lib_objs[@]} - 2 ))}")   # without the mutator
mutator=("${lib_objs[@]: -2}")

for t in parse_send parse_recv roundtrip dump api kern_ops machportd_request machportd_reply; do
  compile "fuzz/$t.c" "$WORK/obj/$t.o"
  objs=("$WORK/obj/$t.o" "${common[@]}")
  case "$t" in parse_send|parse_recv) objs+=("${mutator[@]}") ;; esac
  $CXX $CXXFLAGS "${objs[@]}" $LIB_FUZZING_ENGINE -lpthread -o "$OUT/$t"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "corpus/$t" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  printf '[libfuzzer]\nmax_len = 4096\n' > "$OUT/$t.options"
  if [ -f "corpus/$t.dict" ]; then
    cp "corpus/$t.dict" "$OUT/$t.dict"
    printf 'dict = %s.dict\n' "$t" >> "$OUT/$t.options"
  fi
done
echo "built into $OUT: $(cd "$OUT" && ls | tr '\n' ' ')"
