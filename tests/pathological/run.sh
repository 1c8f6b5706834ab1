#!/usr/bin/env bash
# Replays hostile and pathological inputs against a real opsbot binary.
#
#   tests/pathological/run.sh [--release] OPSBOT [CASE...]
#
# Each case is one file in cases/*.sh, run in its own bash with the
# helpers of lib.sh, in a fresh scratch directory ($WORK). With
# --release the binary is an optimised build without sanitizers: the
# stack is the real 8 MiB (ASan's bigger frames and stack hide recursion
# crashes the other way round), and each run is capped at $MEM_KB of
# address space so that memory blow-ups fail instead of swapping.
# A case passes when it exits 0; the runner exits non-zero if any fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
release=0
if [ "${1:-}" = --release ]; then
	release=1
	shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [--release] OPSBOT [CASE...]" >&2; exit 2; }
OPSBOT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
if [ $# -gt 0 ]; then
	cases=()
	for c in "$@"; do
		cases+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")")
	done
else
	cases=("$here"/cases/*.sh)
fi

pass=0
fail=0
failed=()
for c in "${cases[@]}"; do
	name=$(basename "$c" .sh)
	work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-patho.XXXXXX")
	start=${EPOCHREALTIME/./}
	if OPSBOT="$OPSBOT" RELEASE=$release WORK="$work" HERE="$here" \
	    bash -c 'set -euo pipefail; cd "$WORK"; . "$HERE/lib.sh"; . "$1"' \
	    _ "$c" >"$work/.log" 2>&1; then
		pass=$((pass + 1))
		ms=$(((${EPOCHREALTIME/./} - start) / 1000))
		printf 'ok   %-40s %6d ms\n' "$name" "$ms"
		rm -rf "$work"
	else
		fail=$((fail + 1))
		failed+=("$name")
		printf 'FAIL %s\n' "$name"
		sed 's/^/     | /' "$work/.log" | tail -40
		rm -rf "$work"
	fi
done
echo "pathological: $pass passed, $fail failed${failed:+: ${failed[*]}}"
[ "$fail" -eq 0 ]
