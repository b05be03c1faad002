#!/usr/bin/env bash
# fuzz/servers/example_workspace/run.sh: README.md's "Fuzz your own server"
# walkthrough, command by command, on this workspace (a project of its own
# using machports as an external repository through
# @machports//fuzz:server_fuzz.bzl); scripts/test runs it. It works in a
# copy of the workspace (its machports paths made absolute), so the
# walkthrough's last step, a crash added to corpus/, leaves the tree alone,
# with a private Bazel (its own output_user_root, removed after) that builds
# from nothing. The one difference from the README: the campaign's output
# root is the copy's, not /tmp/fuzzing.
#   replay-tests     bazel test //:stash_fuzz //:stash_fuzz_plant (each
#                    corpus through NAME_bin with the replay driver)
#   replay-run       bazel run //:stash_fuzz_run (the launcher, no engine)
#   clean-run        --config=asan-libfuzzer: stash_fuzz_bin, 2,000 inputs,
#                    no finding
#   campaign         bazel run --config=asan-libfuzzer //:stash_fuzz_plant_run
#                    -- --timeout_secs=60: stops on "SUMMARY:
#                    machports-server-fuzz: RELEASE_THEN_ERROR in stash_keep"
#                    with a crash-* file in artifacts/
#   reproduce        bazel-bin/stash_fuzz_plant_bin CRASH: the same finding
#   fixed            bazel-bin/stash_fuzz_bin CRASH: no finding
#   regression       the crash in corpus/: bazel test //:stash_fuzz passes
# One line per case, then "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/scripts/lib.sh"
work=$(mktemp -d)
bazel_() { bazel --output_user_root="$work/bazel" "$@"; }
cleanup() {
  (cd "$work/ws" 2>/dev/null && bazel_ shutdown >/dev/null 2>&1)
  chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
cp -r "$here" "$work/ws"
sed -i "s|\"\\.\\./\\.\\./\\.\\.|\"$root|" "$work/ws/WORKSPACE"
cd "$work/ws" || exit 2
flags=(--jobs=2) # a shared machine
fuzzing=$work/fuzzing
lf=--config=asan-libfuzzer

passed=0 failed=0
# case NAME CMD...: one case; its output is shown only if it fails
case_() { local name=$1; shift; mp_case "workspace  $name" "$work/$name.log" "$@"; }
finding() { grep -q '^SUMMARY: machports-server-fuzz: RELEASE_THEN_ERROR in stash_keep' "$1"; }

case_ replay-tests bazel_ test "${flags[@]}" //:stash_fuzz //:stash_fuzz_plant
case_ replay-run bazel_ run "${flags[@]}" //:stash_fuzz_run

clean_run() {
  bazel_ build "${flags[@]}" $lf //:stash_fuzz_bin &&
    bazel-bin/stash_fuzz_bin -runs=2000 -seed=1 corpus >"$work/clean.out" 2>&1 &&
    ! grep -q machports-server-fuzz "$work/clean.out"
}
campaign() {
  ! bazel_ run "${flags[@]}" $lf //:stash_fuzz_plant_run -- --timeout_secs=60 \
    --fuzzing_output_root="$fuzzing" >"$work/campaign.out" 2>&1
  cat "$work/campaign.out"
  finding "$work/campaign.out" && [ -n "$(crash_file)" ]
}
crash_file() { find "$fuzzing/stash_fuzz_plant/artifacts" -name 'crash-*' -type f 2>/dev/null | head -n 1; }
reproduce() {
  bazel_ build "${flags[@]}" $lf //:stash_fuzz_plant_bin &&
    ! bazel-bin/stash_fuzz_plant_bin "$(crash_file)" >"$work/repro.out" 2>&1
  cat "$work/repro.out"
  finding "$work/repro.out"
}
fixed() {
  bazel-bin/stash_fuzz_bin "$(crash_file)" >"$work/fixed.out" 2>&1 && ! grep -q machports-server-fuzz "$work/fixed.out"
}
regression() {
  cp "$(crash_file)" corpus/crash-release-then-error && bazel_ test "${flags[@]}" //:stash_fuzz
}
case_ clean-run clean_run
case_ campaign campaign
case_ reproduce reproduce
case_ fixed fixed
case_ regression regression

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
