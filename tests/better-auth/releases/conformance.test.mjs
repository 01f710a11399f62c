// Better Auth 1.3–1.7 conformance, JS side: edgejwt (the packed tarball, installed by run.sh)
// against what each release produced and how it judged it (corpus.mjs, .tmp/better-auth-releases/),
// plus key rotation followed live through createRemoteJWKSet. The Python side
// (test_conformance.py) checks the same corpus with the same expectations.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Verifier, createRemoteJWKSet, decodeProtectedHeader, readSessionCookie, errors } from 'edgejwt'
import { OUT, NAME } from './corpus.mjs'
import { RELEASES, SECRET, loadRelease, startRelease } from './release.mjs'
import { EXPECTED, TOKEN_ERRORS, COOKIE_ERRORS, cookieLabel } from './expected.mjs'

function corpusOf(minor) {
  const file = join(OUT, `${minor}.json`)
  assert.ok(existsSync(file), `${file} is missing: run tests/better-auth/releases/run.sh (it writes the corpus first)`)
  return JSON.parse(readFileSync(file, 'utf8'))
}

/** `fn` throws an edgejwt error with exactly this code (and claim, when given). */
function throwsCoded(fn, code, claim, what) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof errors.JOSEError, `${what}: not a JOSEError: ${e}`)
    assert.equal(e.code, code, `${what}: ${e.message}`)
    if (claim !== undefined) assert.equal(e.claim, claim, what)
    return true
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

describe('Better Auth releases', { concurrency: true }, () => {
  for (const minor of RELEASES) {
    const expected = EXPECTED[minor]
    describe(`better-auth ${expected.version}`, () => {
      const c = corpusOf(minor)

      test('the installed release and what its dist offers', () => {
        assert.equal(c.version, expected.version)
        assert.deepEqual(c.features, expected.features)
        assert.deepEqual(c.tokens.map((t) => t.alg), expected.features.algs)
        assert.deepEqual(c.cookies.map(cookieLabel), expected.cookies)
      })

      for (const t of c.tokens) {
        test(`${t.alg}: /token and set-auth-jwt JWTs verify against /jwks as jose does; expired, tampered, wrong issuer coded`, () => {
          const at = new Date(c.generatedAt)
          const verifier = new Verifier(t.jwks, { issuer: t.baseURL, audience: t.baseURL, algorithms: [t.alg], requiredClaims: ['uuid'] })
          assert.deepEqual(t.good.map((g) => g.source), ['GET /api/auth/token', 'get-session set-auth-jwt'])
          for (const g of t.good) {
            assert.ok(g.jose.payload, `${g.source}: jose verified it (${g.jose.code})`)
            const { payload, protectedHeader } = verifier.verify(g.token, { currentDate: at })
            assert.deepEqual(payload, g.jose.payload, g.source)
            assert.deepEqual(protectedHeader, g.jose.protectedHeader, g.source)
            assert.equal(protectedHeader.alg, t.alg, g.source)
            assert.equal(protectedHeader.kid, t.jwks.keys[0].kid, g.source)
            assert.equal(payload.sub, t.userId, g.source)
            assert.equal(payload.uuid, `uuid-${t.userId}`, g.source)
            assert.equal(payload.email, 'ada@example.com', g.source)
            assert.equal(payload.iss, t.baseURL, g.source)
          }
          const token = t.good[0].token
          // One second before exp it still verifies; one second after, it does not.
          const { exp } = verifier.verify(token, { currentDate: at }).payload
          assert.ok(verifier.verify(token, { currentDate: new Date((exp - 1) * 1000) }))
          assert.deepEqual(t.bad.map((b) => b.case), Object.keys(TOKEN_ERRORS))
          for (const b of t.bad) {
            const [code, claim] = TOKEN_ERRORS[b.case]
            assert.deepEqual(b.jose, claim ? { code, claim } : { code }, `${b.case}: jose's verdict`)
            const v = new Verifier(t.jwks, { issuer: b.issuer, audience: t.baseURL })
            throwsCoded(() => v.verify(b.token, { currentDate: new Date(b.at ?? c.generatedAt) }), code, claim, b.case)
          }
        })
      }

      for (const k of c.cookies) {
        const label = cookieLabel(k)
        test(`cookie cache ${label}: read as getCookieCache reads it; expired and tampered coded`, () => {
          const options = k.plugin ? { strategy: 'jwt', jwks: k.jwks } : { strategy: k.strategy, secret: SECRET }
          const at = new Date(c.generatedAt)
          assert.ok(k.theirs, 'getCookieCache read the fresh cookie')
          assert.equal(k.theirs.user.name, NAME)
          assert.ok(k.server.fresh, 'get-session answered from the cookie alone')
          assert.equal(k.server.fresh.user.id, k.theirs.user.id)
          assert.deepEqual(readSessionCookie(k.header, { ...options, currentDate: at }), k.theirs)
          assert.deepEqual(readSessionCookie(new Headers({ cookie: k.header }), { ...options, currentDate: at }), k.theirs)

          // Expired: the release's server no longer accepts the cached session; edgejwt says why.
          const [expiredCode, expiredClaim] = COOKIE_ERRORS.expired[label]
          assert.equal(k.server.expired, null, 'get-session rejects the expired cookie')
          assert.deepEqual(k.expired.theirs, expected.getCookieCacheChecksExpiry[label] ? null : k.theirs,
            'getCookieCache on the expired cookie (1.3-1.5 compact: no expiry check in getCookieCache)')
          throwsCoded(() => readSessionCookie(k.header, { ...options, currentDate: new Date(k.expired.at) }), expiredCode, expiredClaim, 'expired')

          // Tampered: getCookieCache gives null, edgejwt the code for it.
          assert.equal(k.tampered.theirs, null, 'getCookieCache rejects the tampered cookie')
          throwsCoded(() => readSessionCookie(k.tampered.header, { ...options, currentDate: at }), COOKIE_ERRORS.tampered[label], undefined, 'tampered')
        })
      }

      if (expected.features.rotation) {
        test('key rotation (rotationInterval): the new kid verifies through createRemoteJWKSet with one refetch', async () => {
          const release = await loadRelease(minor)
          const ba = await startRelease(release, { jwks: { rotationInterval: 1, gracePeriod: 3600 } })
          try {
            const { cookie } = await ba.signIn()
            const first = await ba.token(cookie)
            const url = `${ba.baseURL}/api/auth/jwks`
            const remote = createRemoteJWKSet(url, { cooldownDuration: 1000 })
            const verifier = new Verifier(remote, { issuer: ba.baseURL, audience: ba.baseURL })
            for (let i = 0; i < 5; i++) assert.equal((await verifier.verifyAsync(first)).payload.email, 'ada@example.com')
            assert.equal(ba.hits.jwks, 1, 'one fetch for the first key')
            await sleep(1500)
            const rotated = await ba.token(cookie)
            const [oldKid, newKid] = [first, rotated].map((t) => decodeProtectedHeader(t).kid)
            assert.notEqual(newKid, oldKid, 'Better Auth rotated its key')
            assert.throws(() => new Verifier(remote.jwks()).verify(rotated), errors.JWKSNoMatchingKey, 'the cached set does not know the new kid')
            const { protectedHeader, payload } = await verifier.verifyAsync(rotated)
            assert.equal(protectedHeader.kid, newKid)
            assert.equal(ba.hits.jwks, 2, 'exactly one refetch for the unknown kid')
            assert.equal((await verifier.verifyAsync(first)).protectedHeader.kid, oldKid, 'the old key is kept for its grace period')
            assert.equal(ba.hits.jwks, 2)
            assert.deepEqual(new Set(remote.jwks().keys.map((key) => key.kid)), new Set([oldKid, newKid]))
            // jose agrees on the rotated token, against the server's JWKS now.
            const { jose } = release
            const theirs = await jose.jwtVerify(rotated, jose.createLocalJWKSet(await ba.jwks()), { issuer: ba.baseURL, audience: ba.baseURL })
            assert.deepEqual(payload, theirs.payload)
          } finally {
            await ba.close()
          }
        })
      }
    })
  }
})
