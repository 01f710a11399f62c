import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { Verifier, decodeJwt, decodeProtectedHeader, errors, init, version } from 'edgejwt'
import { fixtures, tables, NOW, at, keySetFor } from './helpers.mjs'

test('every fixture token (every algorithm of the table, jose-signed) verifies with its payload intact', () => {
  const algs = new Set()
  for (const t of fixtures.tokens) {
    const v = new Verifier(keySetFor(t.alg))
    const { payload, protectedHeader } = v.verify(t.token, { currentDate: NOW })
    assert.deepEqual(payload, t.payload, t.name)
    assert.deepEqual(protectedHeader, { alg: t.alg, kid: t.kid }, t.name)
    algs.add(t.alg)
    v.free()
  }
  // jose names its Ed25519 signatures EdDSA, so the fixtures have no fully-specified Ed25519.
  const expected = tables.algorithms.map((a) => a.name).filter((name) => name !== 'Ed25519')
  assert.deepEqual([...algs].sort(), expected.sort())
})

test('payload key order and number formatting survive (JSON text from Rust, parsed once)', () => {
  const t = fixtures.tokens.find((t) => t.name === 'EdDSA-unicode')
  const { payload } = new Verifier(fixtures.jwks).verify(t.token, { currentDate: NOW })
  assert.deepEqual(Object.keys(payload), Object.keys(t.payload))
  assert.equal(payload.name, 'Zoë Ñandú 😀')
  assert.equal(payload.big, 9007199254740991)
})

test('the JWKS may be given as JSON text, and Uint8Array tokens are accepted', () => {
  const t = fixtures.tokens[0]
  const v = new Verifier(JSON.stringify(fixtures.jwks))
  const bytes = new TextEncoder().encode(t.token)
  assert.equal(v.verify(bytes, { currentDate: NOW }).payload.sub, t.payload.sub)
})

test('currentDate: constructor default, per-call override, and the real clock by default', () => {
  const t = fixtures.tokens[0]
  const exp = t.payload.exp
  const v = new Verifier(fixtures.jwks, { currentDate: at(exp) })
  assert.throws(() => v.verify(t.token), { code: 'ERR_JWT_EXPIRED', claim: 'exp' })
  assert.equal(v.verify(t.token, { currentDate: at(exp - 1) }).payload.exp, exp)
  // Fixture tokens expired in 2026-01: with the real clock they are expired.
  assert.throws(() => new Verifier(fixtures.jwks).verify(t.token), errors.JWTExpired)
})

test('errors are Error instances of the exported classes with jose fields', () => {
  const t = fixtures.tokens[0]
  const v = new Verifier(fixtures.jwks, { issuer: 'https://other.example' })
  try {
    v.verify(t.token, { currentDate: NOW })
    assert.fail('verified')
  } catch (err) {
    assert.ok(err instanceof Error)
    assert.ok(err instanceof errors.JOSEError)
    assert.ok(err instanceof errors.JWTClaimValidationFailed)
    assert.equal(err.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED')
    assert.equal(errors.JWTClaimValidationFailed.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED')
    assert.equal(err.name, 'JWTClaimValidationFailed')
    assert.equal(err.claim, 'iss')
    assert.equal(err.reason, 'check_failed')
    assert.deepEqual(err.payload, t.payload)
    assert.match(err.hint, /trailing slash/)
  }
})

test('each error class is produced with its code', () => {
  const t = fixtures.tokens.find((t) => t.alg === 'ES256')
  const [h, p, s] = t.token.split('.')
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const es256Key = fixtures.jwks.keys.find((k) => k.kid === t.kid)
  const v = new Verifier(fixtures.jwks)
  const cases = [
    [() => v.verify(`${h}.${p}`, { currentDate: NOW }), errors.JWSInvalid],
    [() => v.verify(`${h}.${b64([1])}.${s}`, { currentDate: NOW }), errors.JWSSignatureVerificationFailed],
    [() => v.verify(`${b64({ alg: 'ES256', kid: 'nope' })}.${p}.${s}`, { currentDate: NOW }), errors.JWKSNoMatchingKey],
    [() => new Verifier({ keys: [es256Key, { ...es256Key, kid: undefined }] }).verify(`${b64({ alg: 'ES256' })}.${p}.${s}`), errors.JWKSMultipleMatchingKeys],
    [() => new Verifier(fixtures.jwks, { algorithms: ['EdDSA'] }).verify(t.token), errors.JOSEAlgNotAllowed],
    [() => v.verify(`${b64({ alg: 'none' })}.${p}.`), errors.JOSENotSupported],
    [() => new Verifier({ keys: 'x' }), errors.JWKSInvalid],
    [() => new Verifier({ keys: [{ kty: 'EC', crv: 'P-256', kid: 'bad', x: 'AA', y: 'AA' }] }).verify(`${b64({ alg: 'ES256', kid: 'bad' })}.${p}.${s}`), errors.JWKInvalid],
    [() => decodeJwt(`${h}.${b64([])}.${s}`), errors.JWTInvalid],
    [() => v.verify(t.token, { currentDate: at(t.payload.exp) }), errors.JWTExpired],
    [() => new Verifier(fixtures.jwks, { requiredClaims: ['role'] }).verify(t.token, { currentDate: NOW }), errors.JWTClaimValidationFailed],
  ]
  for (const [fn, Class] of cases) {
    assert.throws(fn, (err) => err instanceof Class && err.code === Class.code, Class.name)
  }
})

test('an unknown algorithm name is the core\'s coded error (as in Python), not silently dropped', () => {
  assert.throws(
    () => new Verifier(fixtures.jwks, { algorithms: ['ES256', 'ES265'] }),
    (e) => e instanceof errors.JOSENotSupported && e.code === 'ERR_JOSE_NOT_SUPPORTED' && /unknown algorithm "ES265" in the algorithms option/.test(e.message),
  )
})

test('option validation throws TypeErrors like jose', () => {
  const bad = [
    { issuer: 1 },
    { audience: [1] },
    { algorithms: 'ES256' },
    { clockTolerance: 'soon' },
    { clockTolerance: {} },
    { maxTokenAge: 'a while' },
    { subject: 5 },
    { typ: null },
    { requiredClaims: 'uuid' },
    { currentDate: 'today' },
    { currentDate: new Date(NaN) },
    { maxTokenLength: -1 },
  ]
  for (const options of bad) {
    assert.throws(() => new Verifier(fixtures.jwks, options), TypeError, JSON.stringify(options))
  }
  assert.throws(() => new Verifier(fixtures.jwks).verify(fixtures.tokens[0].token, { currentDate: 5 }), TypeError)
})

test('time spans are accepted as in jose', () => {
  const t = fixtures.tokens[0]
  const v = new Verifier(fixtures.jwks, { clockTolerance: '1 minute', maxTokenAge: '2h' })
  assert.ok(v.verify(t.token, { currentDate: at(t.payload.exp + 59) }))
  assert.throws(() => v.verify(t.token, { currentDate: at(t.payload.exp + 60) }), { code: 'ERR_JWT_EXPIRED' })
})

test('keys() describes every key', () => {
  const keys = new Verifier(fixtures.jwks).keys()
  assert.equal(keys.length, fixtures.jwks.keys.length)
  const rsa = keys.find((k) => k.kid === 'rsa4096-ps512')
  assert.deepEqual({ kty: rsa.kty, bits: rsa.bits, usable: rsa.usable }, { kty: 'RSA', bits: 4096, usable: true })
  const weak = new Verifier({ keys: [{ kty: 'RSA', kid: 'w', n: Buffer.alloc(128, 0xc3).toString('base64url'), e: 'AQAB' }] }).keys()
  assert.equal(weak[0].usable, false)
  assert.match(weak[0].reason, /2048/)
})

test('free() releases the verifier; later calls throw', () => {
  const v = new Verifier(fixtures.jwks)
  v.free()
  v.free()
  assert.throws(() => v.verify(fixtures.tokens[0].token), TypeError)
  const w = new Verifier(fixtures.jwks)
  w[Symbol.dispose]() // what `using` calls
  assert.throws(() => w.verify(fixtures.tokens[0].token), TypeError)
})

test('unverified decoding helpers', () => {
  const t = fixtures.tokens[0]
  assert.deepEqual(decodeJwt(t.token), t.payload)
  assert.deepEqual(decodeProtectedHeader(t.token), { alg: t.alg, kid: t.kid })
  assert.throws(() => decodeJwt('nope'), errors.JWTInvalid)
})

test('init() resolves and version is set', async () => {
  await init()
  // The generated export against the package's own manifest (two sources that must agree).
  const manifest = createRequire(import.meta.url)('edgejwt/package.json')
  assert.match(version, /^\d+\.\d+\.\d+/)
  assert.equal(version, manifest.version)
})

test('browser entry: clear error before init(), synchronous API after it', async () => {
  // A separate process, so this entry's module state is not shared with the node entry's.
  const { execFileSync } = await import('node:child_process')
  const script = `
    import { readFileSync } from 'node:fs'
    import { init, Verifier } from './node_modules/edgejwt/src/browser.js'
    const f = JSON.parse(readFileSync(process.env.EDGEJWT_FIXTURES + '/jose.json', 'utf8'))
    let before
    try { new Verifier(f.jwks) } catch (e) { before = e.message }
    await init(readFileSync('./node_modules/edgejwt/dist/edgejwt_wasm_bg.wasm'))
    await init() // a second call is a no-op
    const { payload } = new Verifier(f.jwks).verify(f.tokens[0].token, { currentDate: new Date(f.now * 1000) })
    console.log(JSON.stringify({ before, sub: payload.sub }))`
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
  assert.match(out.before, /await init\(\)/)
  assert.equal(out.sub, fixtures.tokens[0].payload.sub)
})
