// Hostile input through the wasm boundary: every call returns a coded error or a result, the
// module keeps working afterwards, a trap is recovered from, and memory stays flat.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Verifier, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors } from 'edgejwt'
import { fixtures, NOW } from './helpers.mjs'

// The wasm-bindgen glue the package loads (the Node entry keeps it a module of its own).
const glue = await import(new URL('./node_modules/edgejwt/dist/edgejwt_wasm.js', import.meta.url))
const instance = () => glue.initSync() // the current instance's exports
const memoryBytes = () => instance().memory.buffer.byteLength

/**
 * A real trap through the public API, without a test hook in the module: the module's memory
 * is grown to its limit from outside, so the allocator's next request fails, and a failed
 * allocation traps (wasm has no way to report it).
 */
function trap() {
  const v = new Verifier(fixtures.jwks, { maxTokenLength: 64 << 20 })
  const memory = instance().memory
  for (const pages of [16384, 1024, 64, 1]) {
    try {
      for (;;) memory.grow(pages)
    } catch {}
  }
  v.verify('a'.repeat(32 << 20), { currentDate: NOW })
}

const good = fixtures.tokens.find((t) => t.alg === 'EdDSA')
const b64 = (s) => Buffer.from(s).toString('base64url')

function expectCoded(fn, label) {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof errors.JOSEError, `${label}: ${err}`)
    assert.match(err.code, /^ERR_/, label)
    assert.notEqual(err.code, 'ERR_JOSE_GENERIC', `${label}: ${err.message}`)
    return err
  }
  return null
}

test('garbage, huge and deeply nested inputs give coded errors and the instance keeps working', () => {
  const v = new Verifier(fixtures.jwks)
  const deepPayload = '['.repeat(100_000)
  const inputs = {
    empty: '',
    dots: '....',
    'random bytes': Buffer.from(crypto.getRandomValues(new Uint8Array(300))).toString('latin1'),
    'lone surrogates': '\ud800.\udfff.\ud800',
    'nul bytes': '\0.\0.\0',
    '1 MB token': 'a'.repeat(1 << 20),
    '1 MB of dots': '.'.repeat(1 << 20),
    'deep payload': `${b64('{"alg":"EdDSA","kid":"ed25519-1"}')}.${b64(deepPayload)}.${good.token.split('.')[2]}`,
    'deep header': `${b64('{"a":' + '['.repeat(50_000))}.e30.AA`,
    'huge kid': `${b64(JSON.stringify({ alg: 'EdDSA', kid: 'k'.repeat(40_000) }))}.e30.AA`,
    'number overflow': `${b64('{"alg":"EdDSA","kid":"ed25519-1"}')}.${b64('{"exp":1e400}')}.AA`,
  }
  // Decoding checks no signature and no limit on claims: these two decode (and must).
  const decodable = new Set(['huge kid', 'number overflow'])
  for (const [label, input] of Object.entries(inputs)) {
    const err = expectCoded(() => v.verify(input, { currentDate: NOW }), label)
    assert.ok(err, `${label} verified`)
    for (const [name, decode] of [['decodeJwt', decodeJwt], ['decodeProtectedHeader', decodeProtectedHeader]]) {
      const failed = expectCoded(() => decode(input), `${name} ${label}`)
      if (decodable.has(label)) assert.equal(failed, null, `${name} ${label} decodes`)
      else assert.ok(failed, `${name} ${label} must fail with a coded error`)
    }
    assert.deepEqual(v.verify(good.token, { currentDate: NOW }).payload, good.payload, `after ${label}`)
  }
  for (const jwks of ['', '{', '[]', '{"keys":[null]}', `{"keys":${'['.repeat(100_000)}`, JSON.stringify({ keys: Array(300).fill({ kty: 'oct', k: 'AA' }) })]) {
    assert.throws(() => new Verifier(jwks), errors.JWKSInvalid, jwks.slice(0, 20))
  }
})

test('a trap inside the module is recovered: reset, verifiers rebuilt transparently', () => {
  const v = new Verifier(fixtures.jwks)
  assert.ok(v.verify(good.token, { currentDate: NOW }))
  const before = instance()
  assert.throws(() => trap(), (err) => err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC' && /bug/.test(err.message))
  assert.notEqual(instance(), before, 'the instance was replaced')
  // The old verifier still works (rebuilt from its JWKS and options), and so do new ones.
  assert.deepEqual(v.verify(good.token, { currentDate: NOW }).payload, good.payload)
  assert.deepEqual(new Verifier(fixtures.jwks).verify(good.token, { currentDate: NOW }).payload, good.payload)
  assert.throws(() => v.verify(good.token.slice(0, -2), { currentDate: NOW }), errors.JWSSignatureVerificationFailed)
})

test('after a trap, a remote-JWKS verifier refreshing its keys never frees into the new instance', async () => {
  // The glue's WasmVerifier.free() does not check which instance an object came from, so freeing
  // a pre-trap object would release an unrelated allocation of the replacement instance.
  const remote = createRemoteJWKSet('https://issuer.example/jwks', {
    fetch: async () => new Response(JSON.stringify(fixtures.jwks), { headers: { 'content-type': 'application/json' } }),
  })
  const v = new Verifier(remote)
  assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload)
  assert.throws(() => trap(), { code: 'ERR_JOSE_GENERIC' })
  await remote.reload() // the set changes generation: v rebuilds its inner verifier
  const freed = []
  const free = glue.WasmVerifier.prototype.free
  glue.WasmVerifier.prototype.free = function () {
    freed.push(this.__wbg_inst)
    return free.call(this)
  }
  try {
    assert.deepEqual(v.verify(good.token, { currentDate: NOW }).payload, good.payload)
  } finally {
    glue.WasmVerifier.prototype.free = free
  }
  const probe = new glue.WasmVerifier(JSON.stringify(fixtures.jwks), '{}')
  const current = probe.__wbg_inst
  probe.free()
  assert.deepEqual(freed.filter((inst) => inst !== current), [], 'freed an object of a previous instance')
})

test('a remote JWKS refetched into a set the module rejects keeps serving the last good set', async () => {
  // Was: the rejected set replaced the good one and every call failed with ERR_JWKS_INVALID.
  let body = JSON.stringify(fixtures.jwks)
  const remote = createRemoteJWKSet('https://issuer.example/jwks', {
    fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }),
  })
  const v = new Verifier(remote)
  assert.ok(await v.verifyAsync(good.token, { currentDate: NOW }))
  const rejected = [
    '{"keys":[null]}', // passes a shape check, rejected when the keys are prepared
    JSON.stringify({ keys: Array(300).fill({ kty: 'OKP' }) }),
    `{"keys":${'['.repeat(100)}${']'.repeat(100)}}`,
    `{"keys":[],"pad":"${'x'.repeat(1 << 20)}"}`,
  ]
  for (const bad of rejected) {
    body = bad
    await assert.rejects(remote.reload(), errors.JWKSInvalid, bad.slice(0, 20))
    assert.equal(remote.generation, 1, 'nothing committed')
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(v.verify(good.token, { currentDate: NOW }).payload, good.payload, `call ${i} after ${bad.slice(0, 20)}`)
    }
  }
  body = JSON.stringify({ keys: fixtures.jwks.keys.filter((k) => k.kid !== good.kid) }) // a good set without the key
  await remote.reload()
  assert.equal(remote.generation, 2)
  assert.throws(() => v.verify(good.token, { currentDate: NOW }), errors.JWKSNoMatchingKey)
})

test('100,000 random and mutated tokens: all coded errors, valid tokens still verify', () => {
  const v = new Verifier(fixtures.jwks)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}"'
  let seed = 12345
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed % n
  }
  // ES384/ES512 are slow in wasm for now; the fast families keep this loop short.
  const bases = fixtures.tokens.filter((t) => /^(EdDSA|RS|PS|ES256)/.test(t.alg) && !t.name.includes('4096')).map((t) => t.token)
  for (let i = 0; i < 100_000; i++) {
    const base = bases[rand(bases.length)]
    let t
    switch (i % 4) {
      case 0: { // one character replaced
        const k = rand(base.length)
        t = base.slice(0, k) + alphabet[rand(alphabet.length)] + base.slice(k + 1)
        break
      }
      case 1: // truncated
        t = base.slice(0, rand(base.length))
        break
      case 2: { // segments shuffled between tokens
        const other = bases[rand(bases.length)].split('.')
        const parts = base.split('.')
        parts[rand(3)] = other[rand(3)]
        t = parts.join('.')
        break
      }
      default: // random string
        t = Array.from({ length: rand(200) }, () => alphabet[rand(alphabet.length)]).join('')
    }
    try {
      v.verify(t, { currentDate: NOW })
      assert.equal(t, base, 'only an unchanged token may verify')
    } catch (err) {
      if (!(err instanceof errors.JOSEError) || err.code === 'ERR_JOSE_GENERIC') throw err
    }
  }
  assert.ok(v.verify(good.token, { currentDate: NOW }))
})

test('memory stays flat: 10,000 verifiers created and freed, 20,000 verifications', () => {
  const small = { keys: fixtures.jwks.keys.filter((k) => ['ed25519-1', 'es256-1', 'rsa2048-rs256'].includes(k.kid)) }
  const churn = (n) => {
    for (let i = 0; i < n; i++) new Verifier(small).free()
  }
  churn(500) // let the allocator reach its working size
  const m0 = memoryBytes()
  churn(10_000)
  const m1 = memoryBytes()
  assert.equal(m1, m0, `wasm memory grew from ${m0} to ${m1} bytes`)

  const v = new Verifier(fixtures.jwks)
  for (let i = 0; i < 1000; i++) v.verify(good.token, { currentDate: NOW })
  const m2 = memoryBytes()
  for (let i = 0; i < 20_000; i++) v.verify(good.token, { currentDate: NOW })
  assert.equal(memoryBytes(), m2)
})
