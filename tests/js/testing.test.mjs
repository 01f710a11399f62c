// edgejwt/testing from the packed package: the local issuer's tokens (every algorithm of Better
// Auth's jwt plugin) verified by edgejwt and by jose, its JWKS, rotation, outages and session
// cookies; CommonJS; and that edge and browser bundles never get it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jose from 'jose'
import { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, errors } from 'edgejwt'
import { ALGORITHMS, GARBAGE_BODY, createTestIssuer, userUuid } from 'edgejwt/testing'

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const KTY = { EdDSA: 'OKP', ES256: 'EC', ES512: 'EC', RS256: 'RSA', PS256: 'RSA' }
const MEMBERS = { OKP: ['alg', 'crv', 'kid', 'kty', 'x'], EC: ['alg', 'crv', 'kid', 'kty', 'x', 'y'], RSA: ['alg', 'e', 'kid', 'kty', 'n'] }
const remote = (issuer, options = {}) =>
  new Verifier(createRemoteJWKSet(new URL(issuer.jwksURL), { cooldownDuration: 50, ...options }), { issuer: issuer.baseURL, audience: issuer.baseURL })

async function withIssuer(options, fn) {
  const issuer = await createTestIssuer(options)
  try {
    return await fn(issuer)
  } finally {
    await issuer.close()
  }
}

test('ALGORITHMS are the jwt plugin\'s, and userUuid equals Python\'s user_uuid', () => {
  assert.deepEqual([...ALGORITHMS], ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'])
  // tests/python/test_testing.py pins the same value.
  assert.equal(userUuid('user_1'), '6c969bb9-6a2c-5712-8440-1bc11d22d042')
})

for (const alg of ALGORITHMS) {
  test(`${alg}: tokens shaped like the plugin's, verified by edgejwt and jose through the JWKS URL`, () =>
    withIssuer({ alg }, async (issuer) => {
      assert.equal(issuer.jwksURL, `${issuer.baseURL}/api/auth/jwks`)
      assert.match(issuer.baseURL, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.match(issuer.kid, /^[A-Za-z0-9]{32}$/)
      const res = await fetch(issuer.jwksURL)
      assert.equal(res.headers.get('content-type'), 'application/json')
      const jwks = await res.json()
      assert.deepEqual(jwks, issuer.jwks())
      assert.equal(jwks.keys.length, 1)
      assert.deepEqual(Object.keys(jwks.keys[0]).sort(), MEMBERS[KTY[alg]])
      assert.equal(jwks.keys[0].kty, KTY[alg])

      const token = issuer.token({ sub: 'user_7', role: 'admin' })
      assert.deepEqual(decodeProtectedHeader(token), { alg, kid: issuer.kid })
      const claims = decodeJwt(token)
      assert.deepEqual(Object.keys(claims), ['iat', 'id', 'createdAt', 'updatedAt', 'email', 'emailVerified', 'name', 'uuid', 'role', 'sub', 'exp', 'iss', 'aud'])
      assert.equal(claims.exp - claims.iat, 900)
      assert.deepEqual([claims.sub, claims.id, claims.uuid, claims.email, claims.iss, claims.aud], ['user_7', 'user_7', userUuid('user_7'), 'user_7@example.com', issuer.baseURL, issuer.baseURL])

      const ours = await remote(issuer).verifyAsync(token)
      assert.deepEqual(ours.payload, claims)
      const theirs = await jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(issuer.jwksURL)), { issuer: issuer.baseURL, audience: issuer.baseURL })
      assert.deepEqual(theirs.payload, claims)
      assert.equal(issuer.requests, 3)
    }))
}

test('claims, lifetime, kid and header are overridable; null leaves a claim out', () =>
  withIssuer({}, async (issuer) => {
    const v = remote(issuer)
    assert.deepEqual(Object.keys(decodeJwt(issuer.token({ uuid: null, email: null, name: null }))), ['iat', 'id', 'createdAt', 'updatedAt', 'emailVerified', 'sub', 'exp', 'iss', 'aud'])
    const short = decodeJwt(issuer.token({}, { expiresIn: 60 }))
    assert.equal(short.exp - short.iat, 60)
    await assert.rejects(v.verifyAsync(issuer.token({}, { expiresIn: -60 })), { code: 'ERR_JWT_EXPIRED' })
    await assert.rejects(v.verifyAsync(issuer.token({ iss: 'https://evil.example' })), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' })
    assert.equal('exp' in decodeJwt(issuer.token({ exp: null })), false)
    assert.deepEqual(Object.keys(decodeJwt(issuer.token({ sub: null }))), ['iat', 'createdAt', 'updatedAt', 'emailVerified', 'name', 'exp', 'iss', 'aud'])
    await assert.rejects(v.verifyAsync(issuer.token({}, { kid: 'never-published' })), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
    assert.deepEqual(decodeProtectedHeader(issuer.token({}, { header: { typ: 'JWT' } })), { alg: 'EdDSA', kid: issuer.kid, typ: 'JWT' })
    assert.match(issuer.headers({ sub: 'user_2' }).authorization, /^Bearer ey/)
    await assert.rejects(createTestIssuer({ alg: 'HS256' }), { name: 'TypeError', message: /EdDSA, ES256, ES512, RS256, PS256/ })
    assert.throws(() => issuer.outage('down'), /fail, hang, garbage/)
    assert.throws(() => issuer.sessionCookie({ signedBy: 'jwks' }), /strategy: "jwt"/)
    assert.throws(() => issuer.removeKey('nope'), RangeError)
  }))

test('rotation keeps the old key listed; the new kid verifies after one refetch; removeKey and gracePeriod', () =>
  withIssuer({ kid: 'first' }, async (issuer) => {
    const v = remote(issuer)
    const oldToken = issuer.token()
    assert.equal((await v.verifyAsync(oldToken)).protectedHeader.kid, 'first')
    const second = issuer.rotate()
    assert.deepEqual(issuer.kids, ['first', second])
    assert.deepEqual(issuer.jwks().keys.map((k) => k.kid), [second, 'first'])
    await sleep(100)
    assert.equal((await v.verifyAsync(issuer.token())).protectedHeader.kid, second)
    assert.equal(issuer.requests, 2)
    assert.equal((await v.verifyAsync(issuer.token({}, { kid: 'first' }))).protectedHeader.kid, 'first')
    issuer.removeKey('first')
    assert.deepEqual(issuer.kids, [second])
    const third = issuer.rotate({ gracePeriod: 0.2, alg: 'ES256' })
    assert.deepEqual(issuer.kids, [second, third])
    assert.equal(decodeProtectedHeader(issuer.token()).alg, 'ES256')
    await sleep(250)
    assert.deepEqual(issuer.kids, [third])
  }))

test('outages: fail (500), hang (no answer), garbage (200 HTML); then the set again', () =>
  withIssuer({}, async (issuer) => {
    const outage = issuer.outage('fail')
    assert.equal((await fetch(issuer.jwksURL)).status, 500)
    outage.end()
    await issuer.outage('garbage', async () => {
      const res = await fetch(issuer.jwksURL)
      assert.deepEqual([res.status, res.headers.get('content-type'), await res.text()], [200, 'text/html', GARBAGE_BODY])
    })
    await issuer.outage('hang', async () => {
      const t0 = Date.now()
      await assert.rejects(fetch(issuer.jwksURL, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' })
      assert.ok(Date.now() - t0 >= 290)
    })
    assert.deepEqual(await (await fetch(issuer.jwksURL)).json(), issuer.jwks())
    assert.equal(issuer.requests, 4)
  }))

for (const [mode, code] of [['fail', 'ERR_JOSE_GENERIC'], ['hang', 'ERR_JWKS_TIMEOUT'], ['garbage', 'ERR_JWKS_INVALID']]) {
  test(`outage ${mode}: ${code} with nothing cached, the cached set served otherwise`, () =>
    withIssuer({}, async (issuer) => {
      const v = remote(issuer, { timeoutDuration: 300, cacheMaxAge: 100 })
      const token = issuer.token()
      await issuer.outage(mode, () => assert.rejects(v.verifyAsync(token), { code }))
      await sleep(100)
      assert.equal((await v.verifyAsync(token)).payload.sub, 'user_1')
      await sleep(150) // stale now: served while refreshes fail
      await issuer.outage(mode, async () => {
        for (let i = 0; i < 3; i++) assert.equal((await v.verifyAsync(token)).payload.sub, 'user_1')
      })
    }))
}

const NAME = 'Zoë "Q" Ñandú \\ 😀 \u0007 <tab>\t'
for (const [strategy, signedBy] of [['compact', 'secret'], ['jwt', 'secret'], ['jwt', 'jwks']]) {
  test(`session cookie ${strategy} signed by ${signedBy}: read by readSessionCookie; expired and forged refused`, () =>
    withIssuer({}, async (issuer) => {
      const data = issuer.sessionData({ user: { id: 'user_9', name: NAME }, session: { score: 1.5e21, ratio: 0.1 } })
      const cookie = issuer.sessionCookie({ data, strategy, signedBy })
      assert.deepEqual(cookie.split('; ').map((c) => c.split('=')[0]), ['better-auth.session_token', 'better-auth.session_data'])
      const options = signedBy === 'jwks' ? { strategy, jwks: issuer.jwks() } : { strategy, secret: issuer.secret }
      const read = readSessionCookie(new Request('https://api.example', { headers: { cookie } }), options)
      const { iat, exp, iss, aud, sub, sid, ...rest } = read
      assert.deepEqual(rest, data)
      if (strategy === 'jwt') assert.equal(exp - iat, 300)
      if (signedBy === 'jwks') assert.deepEqual([iss, aud, sub, sid], [issuer.baseURL, 'better-auth:session-cache', 'user_9', data.session.token])
      const expired = issuer.sessionCookie({ data, strategy, signedBy, expiresIn: -60 })
      assert.throws(() => readSessionCookie(new Request('https://api.example', { headers: { cookie: expired } }), options), { code: 'ERR_JWT_EXPIRED' })
      await withIssuer({ secret: 'another-secret-0123456789abcdefghijklmnop' }, async (other) => {
        const forged = other.sessionCookie({ data, strategy, signedBy })
        assert.throws(() => readSessionCookie(new Request('https://api.example', { headers: { cookie: forged } }), options), (e) => e instanceof errors.JOSEError && ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWKS_NO_MATCHING_KEY'].includes(e.code))
      })
    }))
}

test('require("edgejwt/testing") works (CommonJS build)', async () => {
  const require = createRequire(import.meta.url)
  const cjs = require('edgejwt/testing')
  assert.deepEqual(Object.keys(cjs).sort(), ['ALGORITHMS', 'DEFAULT_SECRET', 'GARBAGE_BODY', 'OUTAGE_MODES', 'createTestIssuer', 'userUuid'])
  const issuer = await cjs.createTestIssuer({ alg: 'ES256' })
  try {
    assert.equal((await remote(issuer).verifyAsync(issuer.token())).protectedHeader.alg, 'ES256')
  } finally {
    await issuer.close()
  }
})

test('edge and browser bundles never get the issuer: edgejwt/testing is a stub there, edgejwt does not import it', async () => {
  const root = join(process.env.EDGEJWT_FIXTURES, '../..')
  const esbuild = await import(join(root, 'node_modules/esbuild/lib/main.js'))
  const pkg = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/edgejwt/package.json'), 'utf8'))
  assert.deepEqual(Object.keys(pkg.exports['./testing']), ['node', 'default'])
  for (const conditions of [['workerd', 'worker', 'browser'], ['edge-light'], ['browser']]) {
    const bundle = async (source) => {
      const out = await esbuild.build({
        stdin: { contents: source, resolveDir: process.cwd(), loader: 'js' },
        bundle: true, write: false, outdir: join(process.cwd(), '.bundle-check'), format: 'esm', platform: 'neutral', conditions,
        mainFields: ['module', 'main'], loader: { '.wasm': 'file' }, external: ['node:*'], logLevel: 'silent',
      })
      return out.outputFiles.map((f) => f.text).join('\n')
    }
    const stub = await bundle("import { createTestIssuer } from 'edgejwt/testing'; console.log(createTestIssuer)")
    assert.match(stub, /edgejwt\/testing runs in Node only/, conditions.join())
    assert.doesNotMatch(stub, /createServer|generateKeyPairSync/, conditions.join())
    const app = await bundle("import { Verifier } from 'edgejwt'; console.log(Verifier)")
    assert.doesNotMatch(app, /createTestIssuer|generateKeyPairSync|runs in Node only/, conditions.join())
  }
})
