#!/usr/bin/env bash
# Runs compat_bench briefly: every variant must run to the end (each call
# checks its return code) and print its figure. Figures are not judged here.
set -u
out=$("$1" --iters 400) || { echo "$out"; echo "0 passed, 1 failed"; exit 1; }
echo "$out"
n=$(grep -cE '^(msg_compat|msg_direct|rpc_compat|rpc_direct) +[0-9.]+ ns/op' <<<"$out")
if [ "$n" = 4 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
