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

# mp_case LABEL LOG CMD...: one case of a check script (lib/install/example,
# the example workspace, the OSS-Fuzz template): CMD's output goes to LOG;
# prints "  LABEL: ok", or "  LABEL: FAILED" and LOG's last 30 lines, and
# counts the case in the caller's passed / failed.
mp_case() {
  local label=$1 log=$2
  shift 2
  if "$@" >"$log" 2>&1; then
    echo "  $label: ok"; passed=$((passed + 1))
  else
    echo "  $label: FAILED"; tail -n 30 "$log"; failed=$((failed + 1))
  fi
}

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

# mp_fuzz_binary_label T: the Bazel label of the engine binary T names, for
# scripts/repro and scripts/minimize: a fuzz target's name (session_server:
# //fuzz:session_server_bin), the name of any mp_fuzz_binary in //fuzz,
# with or without _bin (session_server_plant_bad_reply), or the label of an
# mp_fuzz_binary anywhere, or of an mp_fuzz_test whose T_bin it is
# (//lib/server_fuzz:sft_fuzz_bin). mp_fuzz_binary tags its cc_binary
# "fuzz"; fails (with the reason on stderr) if T names none.
mp_fuzz_binary_label() {
  local label=$1 found
  [[ "$label" == //* ]] || label=//fuzz:$label
  [[ "$label" == *:* ]] || { echo "$1: a label is //package:name" >&2; return 1; }
  found=$(bazel query --noshow_progress --keep_going \
    "attr(tags, '[\\[ ]fuzz[,\\]]', kind(cc_binary, set($label ${label}_bin)))" 2>/dev/null | head -n 1)
  [ -n "$found" ] || { echo "$1: no fuzz binary (mp_fuzz_binary / mp_fuzz_test) of that name" >&2; return 1; }
  echo "$found"
}

# mp_label_path BAZEL_BIN LABEL: the file a cc_binary LABEL makes under BAZEL_BIN.
mp_label_path() { local l=${2#//}; echo "$1/${l%%:*}/${l#*:}"; }

# mp_finding LOG: the SUMMARY line that names a crash's finding in a fuzz
# binary's output: the server-fuzz harness's
# ("SUMMARY: machports-server-fuzz: RULE in ROUTINE", printed before the
# abort that makes the sanitizer's or the engine's own SUMMARY), else the
# first SUMMARY line (a sanitizer's: kind, place and function; a leak's
# byte and allocation counts left out, as minimising changes them), else
# nothing (no crash the tools recognise). Two inputs with the same line
# are the same finding (scripts/minimize keeps it).
mp_finding() {
  local line
  line=$(grep -m 1 '^SUMMARY: machports-server-fuzz: ' "$1") ||
    line=$(grep -m 1 '^SUMMARY: ' "$1") || return 0
  sed -E 's/[0-9]+ byte\(s\) leaked in [0-9]+ allocation\(s\)/leaks/' <<<"$line"
}
