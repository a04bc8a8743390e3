#!/usr/bin/env bash
# The README's first command: install what is missing, build the release
# app and server, and serve them on 127.0.0.1:8080 with embedded SQLite.
# Extra arguments go to the server, e.g. `scripts/run.sh --listen 0.0.0.0:8080`,
# or `scripts/run.sh --demo` for the demo city, or
# `scripts/run.sh --database-url postgres://user:pass@host/db` for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-app.sh
cargo build --profile server -p xianfeng-server
# The server's defaults are --listen 127.0.0.1:8080 --app-dir ./dist and
# --data ./data (./data-demo with --demo); none is repeated here, since
# giving one twice is an error (`scripts/run.sh --listen …` must work).
exec "${CARGO_TARGET_DIR:-target}/server/xianfeng-server" "$@"
