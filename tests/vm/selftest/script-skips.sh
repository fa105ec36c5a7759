#!/usr/bin/env bash
# NAME a script that exits 77 is skipped, with its last line as the reason
# SELFTEST skip ^this kernel lacks what the case needs$
echo "a first line"
echo "this kernel lacks what the case needs"
exit 77
