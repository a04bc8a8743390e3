#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL cluster, for the tests:
#   scripts/with-postgres.sh cargo test --workspace --exclude xianfeng-app
# (and for `.ci/bench sync`, with XIANFENG_PG_DURABLE=1).
# Debian's postgresql (scripts/setup.sh --test installs it): initdb in a
# temp dir, listening on 127.0.0.1 and a free port only, no Docker and
# nothing downloaded. The command sees XIANFENG_TEST_DATABASE_URL (the
# cluster's `postgres` database; tests CREATE a database each). The
# cluster is stopped and removed when the command ends, however it ends.
# initdb refuses to run as root, so as root the cluster runs as the
# `postgres` user (which Debian's package creates).
set -euo pipefail

bindir=""
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
fi
if [ -z "$bindir" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL server found (run scripts/setup.sh --test)" >&2
  exit 1
fi

tmp=$(mktemp -d /tmp/xianfeng-pg.XXXXXX)
as=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tmp"
  as=(runuser -u postgres --)
fi
stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop EXIT INT TERM

"${as[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1 \
  || { cat "$tmp/initdb.log" >&2; exit 1; }
# Test settings: no fsync (a crash of a throw-away cluster loses nothing of
# value); enough connections for parallel tests, each with its own pool.
# XIANFENG_PG_DURABLE=1 (the benchmarks) keeps PostgreSQL's durable
# defaults, so figures compare with production settings.
settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${XIANFENG_PG_DURABLE:-}" = 1 ] && settings=""
started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 30000))
  if "${as[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 start \
      -o "-h 127.0.0.1 -p $port -k $tmp $settings -c max_connections=300" \
      >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "with-postgres: the cluster did not start:" >&2
  cat "$tmp/server.log" >&2 || true
  exit 1
fi
export XIANFENG_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($tmp)" >&2
"$@"
