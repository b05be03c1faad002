# scripts/lib.sh: shared by the scripts (sourced, not run).
# ensure_packages PKG...: apt-get installs the Debian packages that are missing.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "+ apt-get install -y ${missing[*]}"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The toolchain every script needs: Bazel (offline), clang-16 with libFuzzer
# and the sanitizers, llvm-16 tools, AFL++, cmocka, valgrind; cmake and
# pkg-config build the installed-tree examples (scripts/install).
MP_PACKAGES=(bazel-bootstrap clang-16 libclang-rt-16-dev llvm-16 afl++ libcmocka-dev valgrind zip cmake pkg-config)

# run CMD...: print the command, then run it.
run() { echo "+ $*"; "$@"; }

# copy_by_sha1 FILE DIR: copies FILE into DIR named by its SHA-1, the corpus
# naming OSS-Fuzz and libFuzzer use (so the same input is never kept twice).
copy_by_sha1() { cp "$1" "$2/$(sha1sum "$1" | cut -c1-40)"; }

# mp_help SCRIPT: prints the script's opening comment (after line 1) as its
# help text, so the help is the comment and never runs past it.
mp_help() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"; }

# mp_fuzz_targets [TAG]: the fuzz targets, from Bazel, one line, sorted:
# every mp_fuzz_test (fuzz/fuzz.bzl tags it fuzz-target), or those with TAG
# (fuzz-mutator: the targets linking the structure-aware mutator). The
# default of scripts/fuzz, scripts/coverage and scripts/gen-corpus. Fails if
# the query does (call it as  list=$(mp_fuzz_targets)  under set -e).
mp_fuzz_targets() {
  local tag=${1:-fuzz-target} labels
  labels=$(bazel query --noshow_progress "attr(tags, '[\\[ ]$tag[,\\]]', tests(//fuzz:all))" 2>/dev/null) || {
    echo "bazel query for the $tag targets failed" >&2; return 1; }
  sed 's#^//fuzz:##' <<<"$labels" | sort | paste -sd' '
}

# mp_fuzz_max_len T: T's max_len, the largest input the engines make (the
# fuzz-max-len=N tag fuzz/fuzz.bzl gives each target from its max_len
# attribute, 4096 unless fuzz/BUILD says otherwise). Fails if the query does.
mp_fuzz_max_len() {
  local build n
  build=$(bazel query --noshow_progress --output=build "//fuzz:$1" 2>/dev/null) || {
    echo "bazel query for //fuzz:$1 failed" >&2; return 1; }
  n=$(grep -o 'fuzz-max-len=[0-9]*' <<<"$build" | head -n 1 | cut -d= -f2)
  [ -n "$n" ] || { echo "//fuzz:$1 has no fuzz-max-len tag (fuzz/fuzz.bzl)" >&2; return 1; }
  echo "$n"
}

# mp_is_fuzz_target T: T is one of mp_fuzz_targets.
mp_is_fuzz_target() {
  local all
  all=$(mp_fuzz_targets) || return 1
  [[ " $all " == *" $1 "* ]]
}

# The symbolizer of the clang-16 toolchain the sanitizer builds use.
MP_SYMBOLIZER=/usr/lib/llvm-16/bin/llvm-symbolizer
