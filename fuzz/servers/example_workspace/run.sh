#!/usr/bin/env bash
# fuzz/servers/example_workspace/run.sh: the check that this workspace, a
# project of its own using machports as an external repository, fuzzes its
# server with @machports//fuzz:server_fuzz.bzl (scripts/test runs it). A
# private Bazel (its own output_user_root, removed after) builds from
# nothing:
#   replay     bazel test //:stash_fuzz //:stash_fuzz_plant (each corpus
#              replayed through NAME_bin built with the replay driver), and
#              bazel run //:stash_fuzz_run (the launcher, replay engine)
#   libfuzzer  --config=asan-libfuzzer: stash_fuzz_bin runs 2,000 inputs with
#              no finding; stash_fuzz_plant_bin (PLANT_RELEASE_THEN_ERROR)
#              reports "SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in
#              stash_keep" within 60 s
# One line per case, then "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")" || exit 2
work=$(mktemp -d)
bazel_() { bazel --output_user_root="$work/bazel" "$@"; }
cleanup() {
  bazel_ shutdown >/dev/null 2>&1
  chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
# No bazel-* symlinks in the source tree; two jobs (a shared machine).
flags=(--symlink_prefix=/ --jobs=2)

passed=0 failed=0
case_() { # case NAME CMD...: one case; its output is shown only if it fails
  local name=$1; shift
  if "$@" >"$work/$name.log" 2>&1; then
    echo "  workspace  $name: ok"; passed=$((passed + 1))
  else
    echo "  workspace  $name: FAILED"; tail -n 30 "$work/$name.log"; failed=$((failed + 1))
  fi
}

case_ replay-tests bazel_ test "${flags[@]}" //:stash_fuzz //:stash_fuzz_plant
case_ replay-run bazel_ run "${flags[@]}" //:stash_fuzz_run

libfuzzer_bins() {
  bazel_ build "${flags[@]}" --config=asan-libfuzzer //:stash_fuzz_bin //:stash_fuzz_plant_bin &&
    bin=$(bazel_ info --config=asan-libfuzzer bazel-bin) && [ -x "$bin/stash_fuzz_bin" ]
}
case_ libfuzzer-build libfuzzer_bins
# run_bin NAME BIN FLAGS...: BIN over a fresh corpus directory and corpus/,
# its output in $work/NAME.out (and shown); BIN's exit status.
run_bin() {
  local name=$1 binary=$2 rc; shift 2
  mkdir -p "$work/$name"
  "$binary" "$@" -seed=1 "$work/$name" "$PWD/corpus" >"$work/$name.out" 2>&1; rc=$?
  cat "$work/$name.out"
  return "$rc"
}
clean_run() {
  run_bin clean "$bin/stash_fuzz_bin" -runs=2000 && ! grep -q machports-server-fuzz "$work/clean.out"
}
plant_found() {
  ! run_bin plant "$bin/stash_fuzz_plant_bin" -max_total_time=60 -artifact_prefix="$work/plant/" &&
    grep -q '^SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in stash_keep' "$work/plant.out"
}
case_ libfuzzer-clean-run clean_run
case_ libfuzzer-plant-found plant_found

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
