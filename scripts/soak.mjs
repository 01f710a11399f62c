// Resource soak (a measurement, not a test): 1,000,000 verifications and 10,000 verifiers
// created and freed through the built package; prints wasm memory and process RSS along the way.
//   node scripts/soak.mjs [verifications=1000000]
import { readFileSync } from 'node:fs'
import { Verifier } from '../pkg/src/node.js'
import { initSync } from '../pkg/dist/edgejwt_wasm.js'

const f = JSON.parse(readFileSync(new URL('../tests/fixtures/jose.json', import.meta.url), 'utf8'))
const total = Number(process.argv[2] ?? 1_000_000)
const currentDate = new Date(f.now * 1000)
const tokens = f.tokens.filter((t) => ['EdDSA', 'RS256', 'HS256'].includes(t.name)).map((t) => t.token)
const mb = (n) => (n / 1048576).toFixed(1)
const snap = (label) => {
  global.gc?.()
  console.log(`${label.padEnd(34)} wasm memory ${mb(initSync().memory.buffer.byteLength)} MiB   RSS ${mb(process.memoryUsage().rss)} MiB`)
}

const pub = new Verifier(f.jwks)
const sec = new Verifier(f.secret_jwks)
for (let i = 0; i < 1000; i++) (i % 3 === 2 ? sec : pub).verify(tokens[i % 3], { currentDate })
snap('after warm-up (1,000)')
const t0 = performance.now()
for (let i = 1; i <= total; i++) {
  const k = i % 3
  ;(k === 2 ? sec : pub).verify(tokens[k], { currentDate })
  if (i % (total / 4) === 0) snap(`after ${i.toLocaleString('en')} verifications`)
}
console.log(`${total.toLocaleString('en')} verifications (EdDSA, RS256, HS256 in turn) in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
for (let i = 1; i <= 10_000; i++) {
  new Verifier(f.jwks).free()
  if (i % 5000 === 0) snap(`after ${i.toLocaleString('en')} verifiers created+freed`)
}
