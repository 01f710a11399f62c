#!/usr/bin/env bash
# The demo command (README): builds everything, then verifies real tokens with the npm package.
#   npm run demo      (or: bash scripts/demo.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run build
node scripts/demo.mjs
