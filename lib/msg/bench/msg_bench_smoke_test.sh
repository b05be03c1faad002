#!/usr/bin/env bash
# Runs msg_bench briefly: it must agree with its baseline (it checks itself at
# start-up) and print a ratio for every variant. Figures are not judged here.
set -u
out=$("$1" --iters 2000) || { echo "$out"; echo "0 passed, 1 failed"; exit 1; }
echo "$out"
n=$(grep -cE '^(parse_recv|parse_send|build) .*x  \(fixed_' <<<"$out")
if [ "$n" = 3 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
