#!/usr/bin/env bash
# Builds opsbot with AddressSanitizer and UBSan and runs every test:
# unit tests (cmocka), the seed-runbook tests and the end-to-end tests
# that drive the real opsbot binary against tests/fakeslack on loopback,
# then the pathological inputs on a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DOPSBOT_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$(nproc)"
(cd build/asan && ctest --output-on-failure -j2 "$@")
# The pathological inputs again on an optimised build without sanitizers:
# the real stack size and allocator (tests/pathological/run.sh).
# The tests and benches are compiled there too (not run): code that only
# builds with the test clock or with assert() on fails here, not in bench/.
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j"$(nproc)"
bash tests/pathological/run.sh --release build/release/opsbot
# The release binary cannot move its clock (docs/internals/clock.md).
if nm -g build/release/opsbot | grep -q clock_test_; then
	echo "build/release/opsbot has a test clock hook" >&2
	exit 1
fi
