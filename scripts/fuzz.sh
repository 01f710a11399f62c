#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer): token parsing + verification, JWKS parsing, session cookies.
#   bash scripts/fuzz.sh                     # 60 s per target
#   FUZZ_SECONDS=1800 bash scripts/fuzz.sh   # a longer run (the test command passes 30)
# Corpora are seeded from the test fixtures (real jose and Better Auth-shaped tokens) into
# fuzz/corpus/ (gitignored). cargo-fuzz needs nightly features: RUSTC_BOOTSTRAP enables them on
# the stable toolchain here; no sanitizer is used (-s none) so no nightly runtime is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --version 0.13.1
fi
node - <<'JS'
const fs = require('fs'), path = require('path'), crypto = require('crypto')
const f = JSON.parse(fs.readFileSync('tests/fixtures/jose.json', 'utf8'))
const rfc = JSON.parse(fs.readFileSync('tests/fixtures/rfc.json', 'utf8'))
const put = (dir, data) => {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, crypto.createHash('sha1').update(data).digest('hex')), data)
}
for (const t of f.tokens) put('fuzz/corpus/verify_token', t.token)
for (const v of rfc.vectors) put('fuzz/corpus/verify_token', v.token)
put('fuzz/corpus/jwks', JSON.stringify(f.jwks))
put('fuzz/corpus/jwks', JSON.stringify(f.secret_jwks))
for (const v of rfc.vectors) put('fuzz/corpus/jwks', JSON.stringify({ keys: [v.jwk] }))
const data = { session: { id: 's', token: 't', userId: 'u', expiresAt: '2026-12-02T05:45:09.364Z' }, user: { id: 'u', email: 'a@b.c', name: 'Zoë' }, updatedAt: 1767225600000, version: '1' }
put('fuzz/corpus/session_cookie', JSON.stringify(data))
put('fuzz/corpus/session_cookie', Buffer.from(JSON.stringify({ session: data, expiresAt: 1767225900000, signature: 'x' })).toString('base64url'))
put('fuzz/corpus/session_cookie', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
JS
total=0 passed=0 failed=0
for target in verify_token jwks session_cookie; do
  log=$(mktemp)
  if RUSTC_BOOTSTRAP=1 cargo fuzz run -s none --release "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>"$log"; then
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    if [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
      echo "fuzz: $target: $runs executions in ${seconds}s, no crash"
      total=$((total + runs)) passed=$((passed + 1))
    else
      echo "fuzz: $target: no executions reported"
      failed=$((failed + 1))
    fi
  else
    tail -40 "$log"
    echo "fuzz: $target FAILED"
    failed=$((failed + 1))
  fi
  rm -f "$log"
done
echo "fuzz: $total executions in all"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
