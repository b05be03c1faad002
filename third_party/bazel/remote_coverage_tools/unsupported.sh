#!/bin/sh
# Stub: the real remote_coverage_tools cannot be downloaded offline.
echo "remote_coverage_tools stub: 'bazel coverage' is not supported offline" >&2
exit 1
