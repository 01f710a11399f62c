#!/usr/bin/env bash
# Better Auth conformance across releases (1.3–1.7, the latest of each minor): each release's
# corpus (corpus.mjs, real tokens/cookies/JWKS and the release's own verdicts, written to
# .tmp/better-auth-releases/), then edgejwt in JS (the packed tarball, node:test) and in Python
# (.venv, pytest) against it, with key rotation followed live in both. Assumes `npm run build`
# and the Python extension (bash scripts/setup.sh); installs a release folder when its
# node_modules is missing or older than its lock file.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
releases=(1.3 1.4 1.5 1.6 1.7)

for r in "${releases[@]}"; do
  if [ ! -d "$r/node_modules" ] || [ "$r/package-lock.json" -nt "$r/node_modules/.package-lock.json" ]; then
    (cd "$r" && npm ci --no-audit --no-fund --silent)
  fi
done

# edgejwt from the packed tarball, as tests/better-auth/run.sh installs it (the tests resolve it
# from tests/better-auth/node_modules).
mkdir -p ../.build && rm -f ../.build/*.tgz
tarball=$(cd "$root/pkg" && npm pack --silent --pack-destination ../tests/better-auth/.build | tail -n 1)
(cd .. && npm install --no-save --no-audit --no-fund --no-package-lock ".build/$tarball" >/dev/null)

# The corpora, two releases at a time (2 cores).
rm -rf "$root/.tmp/better-auth-releases"
printf '%s\n' "${releases[@]}" | xargs -P 2 -I{} node corpus.mjs {}

node --test --test-reporter=spec conformance.test.mjs
"$root/.venv/bin/python" -m pytest -q -p no:cacheprovider test_conformance.py
