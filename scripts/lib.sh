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
# and the sanitizers, llvm-16 tools, AFL++, cmocka, valgrind.
# Every fuzz target in fuzz/ (one file each): the default of scripts/fuzz,
# scripts/coverage and scripts/gen-corpus.
MP_FUZZ_TARGETS=(parse_send parse_recv roundtrip dump api kern_ops machportd_request)

MP_PACKAGES=(bazel-bootstrap clang-16 libclang-rt-16-dev llvm-16 afl++ libcmocka-dev valgrind zip)

# run CMD...: print the command, then run it.
run() { echo "+ $*"; "$@"; }

# copy_by_sha1 FILE DIR: copies FILE into DIR named by its SHA-1, the corpus
# naming OSS-Fuzz and libFuzzer use (so the same input is never kept twice).
copy_by_sha1() { cp "$1" "$2/$(sha1sum "$1" | cut -c1-40)"; }

# The symbolizer of the clang-16 toolchain the sanitizer builds use.
MP_SYMBOLIZER=/usr/lib/llvm-16/bin/llvm-symbolizer
