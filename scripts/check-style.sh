#!/usr/bin/env bash
# House-style checks that a compiler does not make: banned functions in
# the daemon's code (curl's list; allocation only through bot/xmalloc.c;
# the time read only through bot/clock.c, so tests can move it).
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
echo "style: no banned functions; the time read only in bot/clock.c"
