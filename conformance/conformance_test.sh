#!/usr/bin/env bash
# A fixed-seed conformance pass (every category, embedded kernel) under
# bazel test; scripts/test runs the full 16,000 cases (1,000 per category).
set -u
"$1" --backend kern --seed 1 --cases "${MP_CONFORMANCE_CASES:-320}"
