#!/usr/bin/env bash
# House-style checks that a compiler does not make: banned functions in
# the daemon's code (curl's list; allocation only through bot/xmalloc.c;
# the time read only through bot/clock.c, so tests can move it), and the
# utility layer (bot/util.h) kept below struct bot.
# Exits non-zero and names file:line for each hit.
set -u
cd "$(dirname "$0")/.."
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets|malloc|calloc|realloc|strdup|strndup|asprintf|vasprintf)\('
hits=$(grep -nE "$banned" bot/*.c commands/*.c adapters/*.c store/*.c |
	grep -v '^bot/xmalloc\.c:' |
	grep -vE '\b(x|sn|vsn)(printf|malloc|calloc|realloc|strdup|strndup|asprintf|vasprintf|reallocarray)\(' |
	grep -vE '^[^:]+:[0-9]+:\s*(/\*|\*)')
if [ -n "$hits" ]; then
	echo "banned functions (use snprintf, the x-wrappers, strtol):"
	echo "$hits"
	exit 1
fi
# One place reads the time (docs/internals/clock.md): lws' own clock too.
clockre='\b(time|clock_gettime|gettimeofday|lws_now_usecs|lws_now_secs)\('
hits=$(grep -nE "$clockre" bot/*.c commands/*.c adapters/*.c store/*.c |
	grep -v '^bot/clock\.c:' |
	grep -vE '^[^:]+:[0-9]+:\s*(/\*|\*)')
if [ -n "$hits" ]; then
	echo "the time is read only in bot/clock.c (clock_wall_ms, clock_mono_ms):"
	echo "$hits"
	exit 1
fi
# The utility layer (bot/util.h, and the clock, backoff, time zones and
# support hours and priorities beside it)
# sits below struct bot: its files include no opsbot header but each
# other's, and name none of the types above them, so any file can use
# them and they can be tested alone.
util='bot/util.h bot/xmalloc.c bot/log.c bot/buf.c bot/utf8.c
    bot/clock.h bot/clock.c bot/backoff.h bot/backoff.c bot/tz.h bot/tz.c
    bot/when.c bot/support.h bot/support-hours.c bot/support-priority.c
    bot/rotation.h bot/rotation.c bot/rotation-ical.c'
above='bot|config|store|msg|reply|runbook[a-z_]*|rb_[a-z_]+|cmd_[a-z_]+|adapter[a-z_]*'
hits=$( (grep -nE '^\s*#\s*include\s*("|<(bot|commands|adapters|store)/)' $util |
	grep -vE '#\s*include\s*[<"]bot/(util|clock|backoff|tz|support|rotation)\.h[>"]'
	grep -nE "\\bstruct\\s+($above)\\b" $util |
	grep -vE '^[^:]+:[0-9]+:\s*(/\*|\*)') )
if [ -n "$hits" ]; then
	echo "the utility layer includes only util.h, clock.h, backoff.h, tz.h" \
	    "and support.h," \
	    "and names nothing above it:"
	echo "$hits"
	exit 1
fi
echo "style: no banned functions; the time read only in bot/clock.c;" \
    "the utility layer knows nothing above it"
