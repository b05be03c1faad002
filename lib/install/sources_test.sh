#!/usr/bin/env bash
# sources_test.sh SOURCES_SH NAME=QUERY_OUTPUT...: each list of
# lib/install/sources.sh (MP_SRC_MACHPORTS, ...) names exactly the machports
# sources (.c, and .defs for MP_STD_DEFS) of its Bazel targets, as the
# genquery QUERY_OUTPUT lists them (//pkg:file labels). One case per list,
# then "N passed, N failed".
set -uo pipefail
# shellcheck disable=SC1090  # the file under test
. "$1"
shift
passed=0 failed=0
for arg in "$@"; do
  name=${arg%%=*} query=${arg#*=}
  declare -n list=$name
  want=$(grep -E '^//lib/.*\.(c|defs)$' "$query" | sed 's#^//##; s#:#/#' | LC_ALL=C sort)
  have=$(printf '%s\n' "${list[@]}" | LC_ALL=C sort)
  if [ "$want" = "$have" ]; then
    echo "ok   $name: ${#list[@]} files, as Bazel builds them"; passed=$((passed + 1))
  else
    echo "FAIL $name differs from Bazel's sources (< Bazel, > sources.sh):"
    diff <(echo "$want") <(echo "$have"); failed=$((failed + 1))
  fi
  unset -n list
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
