#!/bin/sh
# exports.sh NM OUT ARCHIVE INCLUDE_DIR: writes OUT, a linker version script
# exporting the global symbols ARCHIVE defines that the headers under
# INCLUDE_DIR name, and hiding every other one (but a sanitizer runtime's
# hooks).
set -eu
nm=$1 out=$2 archive=$3 include=$4
tmp=$out.tmp
"$nm" -g --defined-only "$archive" | awk 'NF == 3 { print $3 }' | LC_ALL=C sort -u >"$tmp.defined"
find "$include" -name '*.h' -exec cat {} + | grep -oE '[A-Za-z_][A-Za-z0-9_]*' | LC_ALL=C sort -u >"$tmp.named"
LC_ALL=C comm -12 "$tmp.defined" "$tmp.named" >"$tmp.public"
[ -s "$tmp.public" ] || { echo "exports.sh: $archive defines nothing its headers name" >&2; exit 1; }
{
  echo "{"
  echo "  global:"
  sed 's/.*/    &;/' "$tmp.public"
  # What a sanitizer's runtime links in must stay visible (its
  # --dynamic-list); an -c opt build has none of these.
  echo "    __asan_*; __lsan_*; __msan_*; __ubsan_*; __sanitizer_*;"
  echo "  local: *;"
  echo "};"
} >"$out"
rm -f "$tmp.defined" "$tmp.named" "$tmp.public"
