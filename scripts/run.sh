#!/usr/bin/env bash
# Builds opsbot (release) and runs it on the bundled config. With
# SLACK_APP_TOKEN and SLACK_BOT_TOKEN set it connects to Slack; without
# them it reads commands from stdin (the console adapter).
# Extra arguments go to opsbot, e.g. `bash scripts/run.sh -v`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DOPSBOT_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
exec build/release/opsbot -c config/opsbot.yaml "$@"
