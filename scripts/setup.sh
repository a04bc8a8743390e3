#!/usr/bin/env bash
# Idempotent set-up: installs only what is missing or at the wrong version.
#   scripts/setup.sh          what building and running the app needs
#   scripts/setup.sh --test   plus what the tests need (Chromium, driver, CJK font,
#                             PostgreSQL for the server's second backend)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `=` pin in Cargo.toml
want_test=${1:-}

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_bindgen" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lock file wants a webpki-roots the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The release build cuts the wasm into lazily loaded parts (issue 15;
# app/src/lazy.rs): the CLI of the `wasm_split_cli_support` crate that
# Leptos's wasm_split support is made for (0.2.2+ works with wasm-bindgen
# 0.2.125+). Its --version prints nothing useful: the install record says.
WASM_SPLIT_VERSION=0.2.4
if ! grep -qs "wasm_split_cli_support $WASM_SPLIT_VERSION " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml" \
   || ! command -v wasm-split-cli >/dev/null; then
  log "installing wasm-split-cli $WASM_SPLIT_VERSION (a few minutes, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked --force \
    || cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force
fi

# npm: binaryen (wasm-opt 132; never Debian's), playwright-core and axe-core (tests).
# npm's own node_modules/.package-lock.json never equals package-lock.json
# (it lacks the root entry), so the lock file installed from is kept aside.
if [ ! -x node_modules/.bin/wasm-opt ] || ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  log "installing npm packages (binaryen, playwright-core, axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi

if [ "$want_test" = "--test" ]; then
  missing=()
  command -v chromium     >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  fc-list 2>/dev/null | grep -qi 'wenquanyi\|wqy' || missing+=(fonts-wqy-microhei)
  # The server's tests run against a throw-away PostgreSQL cluster too
  # (scripts/with-postgres.sh); any Debian major version will do.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi
log "ok"
