#!/usr/bin/env bash
# fuzz/oss-fuzz/template/check.sh: the template's build.sh, run as OSS-Fuzz
# runs it (its environment variables; no Docker, no Bazel), for a project
# "sessiond" that vendors machports: $SRC/sessiond holds the session
# example's files at their paths (fuzz/servers/session, fuzz/session_server.c,
# corpus/session_server) and third_party/machports (this checkout).
# scripts/test runs it. Cases:
#   build          libFuzzer + ASan (CFLAGS as OSS-Fuzz's address build):
#                  $OUT/session_server, its seed corpus and options
#   run            2,000 inputs over the unzipped seed corpus, no finding
#   plant-found    the same build with -DPLANT_RELEASE_THEN_ERROR in CFLAGS
#                  reports RELEASE_THEN_ERROR within 60 s
# One line per case, then "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/scripts/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The vendoring project: copies of the example's files, machports linked in.
project=$work/src/sessiond
mkdir -p "$project/fuzz/servers" "$project/corpus" "$project/third_party"
cp "$root/fuzz/session_server.c" "$project/fuzz/"
cp -r "$root/fuzz/servers/session" "$project/fuzz/servers/"
cp -r "$root/corpus/session_server" "$project/corpus/"
ln -s "$root" "$project/third_party/machports"

passed=0 failed=0
# case NAME CMD...: one case; its output is shown only if it fails
case_() { local name=$1; shift; mp_case "oss-fuzz-template  $name" "$work/$name.log" "$@"; }

# oss_build OUT EXTRA_CFLAGS: build.sh with OSS-Fuzz's variables (address).
oss_build() {
  local flags="-fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link -O1 -g $2"
  mkdir -p "$work/$1-work"
  env SRC="$work/src" OUT="$work/$1" WORK="$work/$1-work" CC=clang-16 CXX=clang++-16 \
    CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
    bash "$here/build.sh"
}
built() {
  oss_build out "" &&
    [ -x "$work/out/session_server" ] && [ -s "$work/out/session_server_seed_corpus.zip" ] &&
    grep -q '^max_len = ' "$work/out/session_server.options"
}
# run_fuzzer NAME BIN FLAGS...: BIN over a fresh directory and the unzipped
# seed corpus, as ClusterFuzz starts it; its output in $work/NAME.out.
run_fuzzer() {
  local name=$1 binary=$2 rc; shift 2
  mkdir -p "$work/$name/new" "$work/$name/seeds"
  unzip -q -o "$work/out/session_server_seed_corpus.zip" -d "$work/$name/seeds" || return 1
  "$binary" "$@" -seed=1 "$work/$name/new" "$work/$name/seeds" >"$work/$name.out" 2>&1; rc=$?
  cat "$work/$name.out"
  return "$rc"
}
clean_run() {
  run_fuzzer run "$work/out/session_server" -runs=2000 && ! grep -q machports-server-fuzz "$work/run.out"
}
plant_found() {
  oss_build plant -DPLANT_RELEASE_THEN_ERROR &&
    ! run_fuzzer plant-run "$work/plant/session_server" -max_total_time=60 \
        -artifact_prefix="$work/plant-run/" &&
    grep -q '^SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in ' "$work/plant-run.out"
}
case_ build built
case_ run clean_run
case_ plant-found plant_found

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
