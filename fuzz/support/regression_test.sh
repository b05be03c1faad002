#!/usr/bin/env bash
# regression_test.sh BIN DIR: replays every file of DIR through the fuzz binary
# BIN (replay driver, libFuzzer (files run once), or AFL++'s driver) and fails if any
# input crashes or trips an oracle. Ends with "N passed, N failed" (one per input).
set -u
# BIN and DIR are runfiles paths, never the caller's: BIN must not resolve
# its arguments against the caller's directory (`bazel run` of this test).
unset BUILD_WORKING_DIRECTORY
bin=$1 dir=$2
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find -L "$dir" -type f ! -name '.*' -print0 | sort -z)
n=${#files[@]}
if [ "$n" = 0 ]; then echo "no inputs in $dir"; echo "0 passed, 1 failed"; exit 1; fi
log=$(mktemp "${TEST_TMPDIR:-/tmp}/replay.XXXXXX")
if "$bin" "${files[@]}" >"$log" 2>&1; then
  echo "replayed $n inputs from $dir through $(basename "$bin")"
  echo "$n passed, 0 failed"
  exit 0
fi
# Something failed: replay one by one to name the inputs.
pass=0 fail=0
for f in "${files[@]}"; do
  if "$bin" "$f" >"$log" 2>&1; then pass=$((pass + 1))
  else fail=$((fail + 1)); echo "FAILED: $f"; tail -n 40 "$log"; fi
done
[ "$fail" = 0 ] && { echo "the whole-corpus run failed but every input passed alone"; fail=1; }
echo "$pass passed, $fail failed"
exit 1
