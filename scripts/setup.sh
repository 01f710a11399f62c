#!/usr/bin/env bash
# Installs what the build and tests need and are missing: Rust targets and npm dependencies.
# (wasm-bindgen-cli is installed by scripts/build.mjs, pinned to Cargo.lock's wasm-bindgen.)
set -euo pipefail
cd "$(dirname "$0")/.."

need_targets=(wasm32-unknown-unknown thumbv7em-none-eabi)
installed=$(rustup target list --installed)
for t in "${need_targets[@]}"; do
  if ! grep -qx "$t" <<<"$installed"; then
    echo "setup: rustup target add $t"
    rustup target add "$t"
  fi
done

# npm ci when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# Headless Chromium (+ ChromeDriver for wasm-bindgen-test) for the browser tests (Debian's package; browsers are not downloadable here).
if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; } && [ "${EDGEJWT_SKIP_CHROMIUM:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: apt-get install chromium chromium-driver"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; install Debian's chromium and chromium-driver packages (the browser tests need them)" >&2
  fi
fi
