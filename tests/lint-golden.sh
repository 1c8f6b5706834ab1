#!/usr/bin/env bash
# Runs `opsbot lint` on a runbook directory and compares its stdout with a
# checked-in expected file, and its exit status with the one expected.
#
#   tests/lint-golden.sh OPSBOT DIR NAME EXPECTED RC [LINT-ARGS...]
#
# DIR is linked as NAME in a scratch directory and linted from there, so
# the paths printed are NAME/... wherever the checkout or the seeds are.
# Set LINT_GOLDEN_UPDATE=1 to rewrite EXPECTED from the output instead.
set -uo pipefail
[ $# -ge 5 ] || { echo "usage: $0 OPSBOT DIR NAME EXPECTED RC [ARGS...]" >&2; exit 2; }
opsbot=$1 dir=$(cd "$2" && pwd) name=$3 expected=$4 want_rc=$5
shift 5
work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-lint.XXXXXX")
trap 'rm -rf "$work"' EXIT
ln -s "$dir" "$work/$name"
(cd "$work" && "$opsbot" lint "$@" "$name") >"$work/.out" 2>"$work/.err"
rc=$?
if [ "${LINT_GOLDEN_UPDATE:-0}" = 1 ]; then
	cp "$work/.out" "$expected"
fi
status=0
if ! diff -u "$expected" "$work/.out"; then
	echo "FAIL: output differs from $expected" >&2
	status=1
fi
if [ "$rc" -ne "$want_rc" ]; then
	echo "FAIL: exit status $rc, want $want_rc" >&2
	cat "$work/.err" >&2
	status=1
fi
exit $status
