#!/usr/bin/env bash
# JS tests against the packed tarball, installed in a temporary project like a user's
# (ESM and CJS). Assumes `npm run build` has run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work="$root/.tmp/js-test"
rm -rf "$work" && mkdir -p "$work"

tarball=$(cd pkg && npm pack --silent --pack-destination "$work" | tail -n 1)
jose_version=$(node -p "require('./node_modules/jose/package.json').version")
cat > "$work/package.json" <<JSON
{ "name": "edgejwt-consumer", "private": true, "type": "module" }
JSON
(cd "$work" && npm install --no-audit --no-fund --silent "./$tarball" "jose@$jose_version")
cp tests/js/*.mjs tests/js/*.cjs "$work/"
cd "$work"
EDGEJWT_FIXTURES="$root/tests/fixtures" node --test --test-reporter=spec ./*.test.mjs ./*.test.cjs
