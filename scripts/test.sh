#!/usr/bin/env bash
# The one test command (README): every suite, from a fresh machine with rustup and Node.
#   npm test          (or: bash scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n=== %s ===\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "generated files (errors.js, index.d.ts unions, www/explain.js, gen/tables.json) are current"
cargo run --quiet -p edgejwt-gen -- --check

step "GitHub workflows: actionlint (jactionlint and shellcheck, pinned in python/requirements-release.txt)"
.venv-release/bin/jactionlint --shellcheck=.venv-release/bin/shellcheck .github/workflows/*.yml

step "Rust: formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "Rust: unit, integration and doc tests"
cargo test --workspace

step "Rust: no_std build for thumbv7em-none-eabi (no std feature)"
cargo build --target thumbv7em-none-eabi --no-default-features --features eddsa,ecdsa,rsa,hmac,cookie,doctor

step "Rust: each algorithm family builds alone, clippy clean"
for f in eddsa es256 es384 es512 rsa hmac cookie; do
  cargo clippy --quiet --no-default-features --features "$f" -- -D warnings
done
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --features wasm --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --features wasm,doctor --target wasm32-unknown-unknown -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --workspace --no-deps

step "Python: the extension and the edgejwt package (pytest: fixtures, PyJWT, threads, FastAPI under uvicorn, Better Auth, the edgejwt.testing kit and docs/testing.md's examples)"
.venv/bin/python -m pytest -q -p no:cacheprovider tests/python

step "Python: types (mypy --strict on the package and a strict consumer; stubtest on the hand-written stubs)"
# From /tmp: the installed package is checked, not the checkout's python/ (which has no extension).
here=$PWD
(cd /tmp && "$here/.venv/bin/python" -m mypy --strict --no-incremental -p edgejwt \
  && "$here/.venv/bin/python" -m mypy --strict --no-incremental "$here/tests/python/typing_consumer.py" \
  && "$here/.venv/bin/python" -m mypy.stubtest edgejwt._edgejwt edgejwt.errors --allowlist "$here/python/stubtest-allowlist.txt")

step "wasm: build the npm package"
npm run build

step "wasm: wasm-bindgen-test in Node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --features wasm,std --test wasm

step "wasm: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON=tests/webdriver.json \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --features wasm,std --test wasm

step "fixtures: RFC vectors re-checked with jose"
node tests/fixtures/rfc_check.mjs

step "JS: packed tarball in Node ESM and CJS, cross-checked with jose"
bash scripts/test-js.sh

step "Better Auth: a real server's tokens, rotation, hints"
bash tests/better-auth/run.sh

step "Better Auth conformance: 1.3–1.7 in JS and Python"
bash tests/better-auth/releases/run.sh

step "runtimes: Node, Deno, Bun, workerd, Next.js (build + start), Chromium; packaging lint"
node tests/runtimes/run.mjs

step "www: the debugging page in headless Chromium, fed by a real Better Auth server"
node --test --test-reporter=spec tests/www/page.test.mjs

step "JS: edgejwt/client in Node (token cache, one shared refresh, Bearer, the invalid_token retry, signed-out errors)"
node --test --test-reporter=spec tests/client/

step "full stack: examples/fullstack (Next.js + Better Auth + FastAPI) in headless Chromium (npm run example's launcher)"
node scripts/prepare.mjs example
node --test --test-reporter=spec tests/fullstack/

step "benchmarks: both harnesses run end to end (one quick HS256 pass each; no timing is asserted)"
node scripts/prepare.mjs bench
mkdir -p .tmp
node bench/bench.mjs --quick --algs=HS256 > .tmp/bench-smoke.log
node bench/workerd.mjs --quick --algs=HS256 --cold-runs=1 --copy-runs=1 >> .tmp/bench-smoke.log
grep -c '^| HS256 |' .tmp/bench-smoke.log

step "fuzzing: cargo-fuzz smoke run, 30 s per target (FUZZ_SECONDS=… bash scripts/fuzz.sh for longer)"
FUZZ_SECONDS=${FUZZ_SECONDS:-30} bash scripts/fuzz.sh

step "all suites passed"
