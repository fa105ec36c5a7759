#!/usr/bin/env bash
# NAME the dmesg check fails a case that logs a WARNING line
# SELFTEST fail ^kernel log:\n.*WARNING: klua-vm selftest
# The script itself succeeds: only the runner's kernel log check can fail it.
set -euo pipefail
echo "WARNING: klua-vm selftest: a fake warning written to /dev/kmsg" >/dev/kmsg
