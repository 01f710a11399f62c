#!/usr/bin/env bash
# Better Auth suite: a real Better Auth server, edgejwt from the packed tarball. Assumes
# `npm run build` ran.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
mkdir -p .build && rm -f .build/*.tgz
tarball=$(cd ../../pkg && npm pack --silent --pack-destination ../tests/better-auth/.build | tail -n 1)
npm install --no-save --no-audit --no-fund --no-package-lock ".build/$tarball" >/dev/null
node --test --test-reporter=spec ./*.test.mjs
