#!/usr/bin/env bash
# The demo command (README): builds everything, then verifies real tokens with the npm package.
#   npm run demo      (or: bash scripts/demo.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build
# The demo's Better Auth server (pinned in tests/better-auth/package-lock.json).
if [ ! -d tests/better-auth/node_modules ] || [ tests/better-auth/package-lock.json -nt tests/better-auth/node_modules/.package-lock.json ]; then
  (cd tests/better-auth && npm ci --no-audit --no-fund)
fi
node scripts/demo.mjs
