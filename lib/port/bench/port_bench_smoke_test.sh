#!/usr/bin/env bash
# Runs port_bench briefly: every variant must run to the end (the kernel
# calls inside check their return codes) and print its figure. Figures are
# not judged here.
set -u
out=$("$1" --iters 400) || { echo "$out"; echo "0 passed, 1 failed"; exit 1; }
echo "$out"
n=$(grep -cE '^(handoff_simple|handoff_complex|handoff_memcpy|rt_simple|rt_complex|rt_condvar) +[0-9.]+ ns/op' <<<"$out")
if [ "$n" = 6 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
