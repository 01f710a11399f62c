#!/usr/bin/env bash
# JS tests against the packed tarball, installed in a temporary project like a user's
# (ESM and CJS). Packs pkg/ (assumes `npm run build` has run), or takes a tarball:
#   bash scripts/test-js.sh [release/edgejwt-<version>.tgz]   (npm run release:check passes its own)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work="$root/.tmp/js-test"
rm -rf "$work" && mkdir -p "$work"

if [ $# -ge 1 ]; then
  cp "$1" "$work/"
  tarball=$(basename "$1")
else
  tarball=$(cd pkg && npm pack --silent --pack-destination "$work" | tail -n 1)
fi
jose_version=$(node -p "require('./node_modules/jose/package.json').version")
cat > "$work/package.json" <<JSON
{ "name": "edgejwt-consumer", "private": true, "type": "module" }
JSON
(cd "$work" && npm install --no-audit --no-fund --silent "./$tarball" "jose@$jose_version")
cp tests/js/*.mjs tests/js/*.cjs "$work/"
# docs/testing.md's edge example (a handler and its node:test tests, with edgejwt/testing).
cp examples/testing/handler.mjs examples/testing/handler.test.mjs "$work/"
cd "$work"
EDGEJWT_FIXTURES="$root/tests/fixtures" node --test --test-reporter=spec ./*.test.mjs ./*.test.cjs
