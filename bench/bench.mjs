// Side-by-side benchmark, one Node process: edgejwt vs jose (createLocalJWKSet, and a
// pre-imported CryptoKey) vs fast-jwt vs node:crypto's raw signature check (the native floor),
// per algorithm, on realistic Better Auth tokens. Implementations are interleaved in rounds
// after a warm-up; we report the median of the per-round means and the spread (min–max).
// Then cold start (fresh processes) and sizes.
//   npm run bench [-- --quick]     (installs and builds what is missing first)
import { createHmac, createPublicKey, timingSafeEqual, verify as nodeVerify, constants } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import * as jose from 'jose'
import { createVerifier } from 'fast-jwt'
import { Verifier } from '../pkg/dist/node.mjs'
import { ISS, makeCase, median, stats } from './cases.mjs'

const quick = process.argv.includes('--quick')
const ROUNDS = quick ? 5 : 15

async function setup(alg) {
  const { jwk, token, secret, publicKey } = await makeCase(alg)
  const [h, p, s] = token.split('.')
  const input = Buffer.from(`${h}.${p}`)
  const sig = Buffer.from(s, 'base64url')
  const impls = {}
  const edge = new Verifier({ keys: [jwk] }, { issuer: ISS, audience: ISS })
  impls.edgejwt = () => edge.verify(token)
  if (!secret) {
    const local = jose.createLocalJWKSet({ keys: [jwk] })
    impls['jose (JWKS)'] = () => jose.jwtVerify(token, local, { issuer: ISS, audience: ISS })
  }
  const key = secret ?? publicKey
  impls['jose (CryptoKey)'] = () => jose.jwtVerify(token, key, { issuer: ISS, audience: ISS })
  const pem = secret ? Buffer.from(secret) : createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' })
  const fast = createVerifier({ key: pem, algorithms: [alg], allowedIss: ISS, allowedAud: ISS, cache: false })
  impls['fast-jwt'] = () => fast(token)
  if (secret) {
    impls['node:crypto (raw)'] = () => timingSafeEqual(createHmac('sha256', secret).update(input).digest(), sig)
  } else {
    const ko = createPublicKey({ key: jwk, format: 'jwk' })
    const hash = alg === 'EdDSA' ? null : `sha${alg.slice(2)}`
    const opts = alg.startsWith('ES') ? { key: ko, dsaEncoding: 'ieee-p1363' } : alg.startsWith('PS') ? { key: ko, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 } : ko
    impls['node:crypto (raw)'] = () => nodeVerify(hash, input, opts, sig)
  }
  return impls
}

async function measure(impls, alg) {
  // Size the batch so one batch takes ~20 ms for the slowest implementation.
  const names = Object.keys(impls)
  // Warm-up: ~150 ms per implementation, so every JIT (V8's wasm and JS tiers alike) has
  // reached its optimised code before anything is timed.
  for (const n of names) {
    const until = performance.now() + 150
    while (performance.now() < until) await impls[n]()
  }
  const per = {}
  for (const n of names) {
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) await impls[n]()
    per[n] = (performance.now() - t0) / 20
  }
  const batch = Math.max(5, Math.min(2000, Math.floor(20 / Math.max(...Object.values(per)))))
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (let r = 0; r < ROUNDS; r++) {
    for (const n of r % 2 ? names : names.slice().reverse()) {
      const t0 = performance.now()
      for (let i = 0; i < batch; i++) await impls[n]()
      samples[n].push(((performance.now() - t0) / batch) * 1000)
    }
  }
  return Object.fromEntries(names.map((n) => [n, stats(samples[n])]))
}

// `--algs=ES256,RS256` limits the table; `--no-cold` skips the cold-start runs.
const ALGS = process.argv.find((a) => a.startsWith('--algs='))?.slice(7).split(',') ?? ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'HS256']
const rows = []
for (const alg of ALGS) {
  const r = await measure(await setup(alg), alg)
  rows.push([alg, r])
  const e = r.edgejwt.med
  const jose_ = (r['jose (JWKS)'] ?? r['jose (CryptoKey)']).med
  console.error(`${alg}: edgejwt ${e.toFixed(1)} µs, jose ${jose_.toFixed(1)} µs (${(e / jose_).toFixed(2)}×)`)
}

const fmt = (x) => (x ? `${x.med < 10 ? x.med.toFixed(1) : x.med.toFixed(0)} (${x.min.toFixed(0)}–${x.max.toFixed(0)})` : '—')
console.log(`\n### Verification, µs per token (median of ${ROUNDS} interleaved rounds, min–max)\n`)
console.log('| alg | edgejwt | jose (JWKS) | jose (CryptoKey) | fast-jwt | node:crypto raw | edgejwt / jose | edgejwt / node:crypto |')
console.log('|---|---|---|---|---|---|---|---|')
for (const [alg, r] of rows) {
  const j = (r['jose (JWKS)'] ?? r['jose (CryptoKey)']).med
  console.log(`| ${alg} | ${fmt(r.edgejwt)} | ${fmt(r['jose (JWKS)'])} | ${fmt(r['jose (CryptoKey)'])} | ${fmt(r['fast-jwt'])} | ${fmt(r['node:crypto (raw)'])} | ${(r.edgejwt.med / j).toFixed(2)} | ${(r.edgejwt.med / r['node:crypto (raw)'].med).toFixed(2)} |`)
}

// ---- cold start: a fresh process importing, building a verifier, verifying one token ----
if (!process.argv.includes('--no-cold')) {
  const runs = quick ? 5 : 20
  const { jwk, token } = await makeCase('EdDSA')
  const scripts = {
    edgejwt: `const t0=performance.now();const {Verifier}=await import(${JSON.stringify(new URL('../pkg/dist/node.mjs', import.meta.url).href)});new Verifier(${JSON.stringify({ keys: [jwk] })}).verify(${JSON.stringify(token)});console.log(performance.now()-t0)`,
    jose: `const t0=performance.now();const jose=await import(${JSON.stringify(import.meta.resolve('jose'))});await jose.jwtVerify(${JSON.stringify(token)},jose.createLocalJWKSet(${JSON.stringify({ keys: [jwk] })}));console.log(performance.now()-t0)`,
  }
  const cold = { edgejwt: [], jose: [] }
  for (let i = 0; i < runs; i++) {
    for (const name of i % 2 ? ['edgejwt', 'jose'] : ['jose', 'edgejwt']) {
      cold[name].push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', scripts[name]], { encoding: 'utf8' })))
    }
  }
  console.log(`\n### Cold start: import + build verifier + first EdDSA verify, fresh process (ms, median of ${runs})\n`)
  console.log('| edgejwt | jose | edgejwt / jose |\n|---|---|---|')
  console.log(`| ${median(cold.edgejwt).toFixed(1)} (${Math.min(...cold.edgejwt).toFixed(1)}–${Math.max(...cold.edgejwt).toFixed(1)}) | ${median(cold.jose).toFixed(1)} (${Math.min(...cold.jose).toFixed(1)}–${Math.max(...cold.jose).toFixed(1)}) | ${(median(cold.edgejwt) / median(cold.jose)).toFixed(2)} |`)
}

// ---- hostile JWKS: one key with 80,000 `key_ops` entries (was quadratic, ~26 s) ----
{
  const ops = Array.from({ length: 80_000 }, (_, i) => `o${i}`).concat('verify')
  const text = JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', key_ops: ops }] })
  const times = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    new Verifier(text).free()
    times.push(performance.now() - t0)
  }
  console.log(`\n### Hostile JWKS load: one key with 80,000 key_ops entries (${(text.length / 1024).toFixed(0)} KiB), ms, median of 5\n\n${median(times).toFixed(1)}`)
}

// ---- sizes ----
const sizes = JSON.parse(readFileSync(new URL('../pkg/dist/sizes.json', import.meta.url), 'utf8'))
console.log('\n### Size (full build, bytes)\n\n| file | raw | gzip -9 | brotli |\n|---|---|---|---|')
for (const [f, s] of Object.entries(sizes)) console.log(`| ${f} | ${s.raw} | ${s.gzip} | ${s.brotli} |`)

const jv = JSON.parse(readFileSync(new URL('../node_modules/jose/package.json', import.meta.url))).version
const fv = JSON.parse(readFileSync(new URL('../node_modules/fast-jwt/package.json', import.meta.url))).version
console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0].model} (${cpus().length} cores), Node ${process.version}, jose ${jv}, fast-jwt ${fv}.`)
