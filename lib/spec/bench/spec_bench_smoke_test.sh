#!/usr/bin/env bash
# Runs spec_bench briefly: it must agree with its MIG-style baselines (it
# checks itself at start-up) and print a ratio for every variant. Figures are
# not judged here.
set -u
out=$("$1" --iters 2000) || { echo "$out"; echo "0 passed, 1 failed"; exit 1; }
echo "$out"
n=$(grep -cE '^(spec_typical|spec_typical_noview|spec_typical_strict|parse_recv_typical|spec_exc|spec_exc_noview|spec_exc_strict) .*x  \(fixed_' <<<"$out")
if [ "$n" = 7 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
