#!/usr/bin/env bash
# A fixed-seed conformance pass (every category, embedded kernel) under
# bazel test; scripts/test runs the full 10,000 cases.
set -u
"$1" --backend kern --seed 1 --cases "${MP_CONFORMANCE_CASES:-260}"
