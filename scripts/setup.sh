#!/usr/bin/env bash
# Installs what the test command needs and is missing (scripts/prepare.mjs, profile `test`):
# Rust targets, npm dependencies of the repository and the Better Auth app, wasm-bindgen-cli,
# Debian's chromium + chromium-driver when run as root, and the Python package's .venv (from
# python/requirements-dev.txt, hash-checked) with the extension built into it, and .venv-release
# (python/requirements-release.txt, hash-checked: the release tools, actionlint, shellcheck).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/prepare.mjs test
