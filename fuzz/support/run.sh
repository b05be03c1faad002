#!/usr/bin/env bash
# run.sh: the T_run campaign launcher (flags as rules_fuzzing's launcher).
#   bazel run --config=asan-libfuzzer //fuzz:T_run -- [--timeout_secs=N] [--clean]
#       [--fuzzing_output_root=DIR] [--regression] [-- EXTRA ENGINE FLAGS]
# Output: DIR/T/corpus (new inputs), DIR/T/artifacts (crashes). DIR defaults to /tmp/fuzzing.
set -euo pipefail
target= binary= replayer= corpus= max_len=4096 engine=replay dict= timeout=0 clean=0 regression=0
root=/tmp/fuzzing extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target=*) target=${1#*=} ;;
    --binary=*) binary=$PWD/${1#*=} ;;
    --corpus=*) corpus=$PWD/${1#*=} ;;
    --replayer=*) replayer=$PWD/${1#*=} ;; # regression_test.sh, from the runfiles
    --max_len=*) max_len=${1#*=} ;;
    --engine=*) engine=${1#*=} ;;
    --dict=*) dict=$PWD/${1#*=} ;;
    --timeout_secs=*) timeout=${1#*=} ;;
    --clean) clean=1 ;;
    --regression) regression=1 ;;
    --fuzzing_output_root=*) root=${1#*=} ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown flag $1" >&2; exit 2 ;;
  esac
  shift
done
# A relative DIR is the caller's (bazel run); the paths handed to the engine
# below are all absolute, so it must not resolve them again.
case "$root" in /*) ;; *) root=${BUILD_WORKING_DIRECTORY:-$PWD}/$root ;; esac
unset BUILD_WORKING_DIRECTORY
out=$root/$target
[ "$clean" = 1 ] && rm -rf "$out"
mkdir -p "$out/corpus" "$out/artifacts"
if [ "$regression" = 1 ] || [ "$engine" = replay ]; then
  [ "$engine" = replay ] && [ "$regression" = 0 ] &&
    echo "run.sh: this binary was built without an engine (use --config=asan-libfuzzer or --config=afl); replaying the corpus"
  exec "${replayer:-$(dirname "$0")/regression_test.sh}" "$binary" "$corpus"
fi
case "$engine" in
  libfuzzer)
    args=(-max_len="$max_len" -artifact_prefix="$out/artifacts/" -print_final_stats=1)
    [ -n "$dict" ] && args+=(-dict="$dict")
    [ "$timeout" != 0 ] && args+=(-max_total_time="$timeout")
    echo "+ $binary ${args[*]} ${extra[*]} $out/corpus $corpus"
    exec "$binary" "${args[@]}" "${extra[@]}" "$out/corpus" "$corpus" ;;
  afl)
    args=(-i "$corpus" -o "$out/afl")
    [ -n "$dict" ] && args+=(-x "$dict")
    [ "$timeout" != 0 ] && args+=(-V "$timeout")
    export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
    echo "+ afl-fuzz ${args[*]} ${extra[*]} -- $binary"
    exec afl-fuzz "${args[@]}" "${extra[@]}" -- "$binary" ;;
esac
