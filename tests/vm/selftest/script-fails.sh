#!/usr/bin/env bash
# NAME a script case fails on a non-zero exit and shows its output
# SELFTEST fail ^script: exit status 3\nstdout:\n  seen on stdout\nstderr:\n  seen on stderr
echo "seen on stdout"
echo "seen on stderr" >&2
exit 3
