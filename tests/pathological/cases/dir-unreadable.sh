# A sub-directory that cannot be read used to be only a warning: now an
# error for -n (exit 1), or a warning with --allow-skipped-runbooks.
# Root reads any directory whatever its mode, so as root the bot runs
# without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv drops them
# from the bounding set); where that cannot be done, the case says so and
# checks only that the directory is read.
mkdir -p rb/locked
printf '# Top\n' >rb/top.md
printf '# Locked\n' >rb/locked/l.md
chmod 000 rb/locked
trap 'chmod 700 "$WORK/rb/locked"' EXIT
if [ "$(id -u)" = 0 ]; then
	if setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
		printf '#!/bin/sh\nexec setpriv --bounding-set=-dac_override,-dac_read_search %q "$@"\n' \
		    "$OPSBOT" >"$WORK/nodac"
		chmod +x "$WORK/nodac"
		OPSBOT=$WORK/nodac
	else
		echo "root and no setpriv: unreadable directory not tested" >&2
		bot -n --runbooks rb
		expect_rc 0
		exit 0
	fi
fi
bot -n --runbooks rb
expect_rc 1
expect_out 'rb/locked: cannot open directory: Permission denied: skipped$'

bot -n --allow-skipped-runbooks --runbooks rb
expect_rc 0
expect_out 'rb/locked: cannot open directory: Permission denied: skipped \(warning\)'
expect_out 'configuration OK: 1 runbooks'
