#!/usr/bin/env bash
# The README's first command: install what is missing, build the release
# app and server, and serve them on 127.0.0.1:8080 with embedded SQLite.
# Extra arguments go to the server, e.g. `scripts/run.sh --listen 0.0.0.0:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-app.sh
cargo build --profile server -p xianfeng-server
exec "${CARGO_TARGET_DIR:-target}/server/xianfeng-server" --listen 127.0.0.1:8080 --data ./data --app-dir ./dist "$@"
