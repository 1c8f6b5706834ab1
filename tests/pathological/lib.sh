# Helpers for tests/pathological/cases/*.sh (sourced by run.sh).
# $OPSBOT is the binary, $WORK the scratch directory (the cwd), $RELEASE
# 1 for an optimised build without sanitizers.

: "${TIMEOUT:=60}"	# seconds per opsbot run
: "${MEM_KB:=1048576}"	# address-space cap per run, release build only

OUT=$WORK/out	# stdout and stderr of the last bot run
RC=0		# its exit status

# bot ARGS...: runs opsbot with ARGS (stdin from /dev/null unless
# redirected by the caller), output to $OUT, status to $RC. A signal
# (SIGSEGV, SIGABRT...), a sanitizer report or the timeout is a failure
# of the case at once: no input may crash or hang the bot.
bot() {
	set +e
	(
		[ "$RELEASE" = 1 ] && ulimit -v "$MEM_KB"
		exec timeout -k 5 "$TIMEOUT" "$OPSBOT" "$@"
	) >"$OUT" 2>&1
	RC=$?
	set -e
	if [ $RC -eq 124 ] || [ $RC -eq 137 ]; then
		tail -5 "$OUT"
		fail "opsbot $* ran past ${TIMEOUT}s"
	fi
	if [ $RC -ge 128 ]; then
		tail -20 "$OUT"
		fail "opsbot $* died of signal $((RC - 128))"
	fi
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT"; then
		grep -E -A20 'ERROR: |runtime error:' "$OUT" | head -40
		fail "opsbot $*: sanitizer report"
	fi
	return 0
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

expect_rc() {
	[ "$RC" -eq "$1" ] || { tail -20 "$OUT"; fail "exit status $RC, want $1"; }
}

expect_rc_not() {
	[ "$RC" -ne "$1" ] || { tail -20 "$OUT"; fail "exit status $RC"; }
}

# expect_out ERE: the last run's output matches (grep -E).
expect_out() {
	grep -qE -- "$1" "$OUT" || { tail -20 "$OUT"; fail "no output matching /$1/"; }
}

expect_no_out() {
	if grep -qE -- "$1" "$OUT"; then
		grep -E -- "$1" "$OUT" | head -5
		fail "output matches /$1/"
	fi
}

# console INPUT ARGS...: the console adapter fed INPUT (printf format
# already expanded by the caller), with a fresh store in $WORK.
console() {
	local input=$1
	shift
	printf '%s' "$input" >"$WORK/.stdin"
	bot --console --db "$WORK/store.db" "$@" <"$WORK/.stdin"
}
