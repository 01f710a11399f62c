// Real Better Auth tokens, verified with edgejwt (installed from the packed tarball).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Verifier, getBearerToken, errors, decodeProtectedHeader } from 'edgejwt'
import * as jose from 'jose'
import { startBetterAuth } from './server.mjs'

const ALGS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256']

for (const alg of ALGS) {
  test(`${alg}: tokens from /token, the set-auth-jwt header and auth.api verify, claims intact`, async () => {
    const ba = await startBetterAuth({ alg })
    try {
      const { cookie, body } = await ba.signIn()
      const jwks = await (await ba.api('/jwks')).json()
      assert.equal(jwks.keys[0].alg, alg)

      const fromEndpoint = (await (await ba.api('/token', { cookie })).json()).token
      const fromHeader = (await ba.api('/get-session', { cookie })).headers.get('set-auth-jwt')
      const fromApi = (await ba.auth.api.getToken({ headers: new Headers({ cookie }) })).token
      const signed = (await ba.auth.api.signJWT({ body: { payload: { sub: body.user.id, custom: 'x', iss: ba.baseURL, aud: ba.baseURL } } })).token

      const verifier = new Verifier(jwks, { issuer: ba.baseURL, audience: ba.baseURL, algorithms: [alg], requiredClaims: ['uuid'] })
      const reference = jose.createLocalJWKSet(jwks)
      for (const [how, token] of Object.entries({ fromEndpoint, fromHeader, fromApi })) {
        assert.ok(token, `${how}: no token`)
        const { payload, protectedHeader } = verifier.verify(token)
        assert.equal(protectedHeader.alg, alg, how)
        assert.equal(protectedHeader.kid, jwks.keys[0].kid, how)
        assert.equal(payload.sub, body.user.id, how)
        assert.equal(payload.email, 'ada@example.com', how)
        assert.equal(payload.name, 'Ada Lovelace', how)
        assert.equal(payload.uuid, `uuid-${body.user.id}`, how)
        assert.equal(payload.role, 'member', how)
        assert.equal(payload.iss, ba.baseURL, how)
        assert.equal(payload.aud, ba.baseURL, how)
        assert.equal(payload.exp - payload.iat, 15 * 60, how)
        // Field by field what jose (Better Auth's own verifier library) sees.
        const theirs = await jose.jwtVerify(token, reference, { issuer: ba.baseURL, audience: ba.baseURL })
        assert.deepEqual(payload, theirs.payload, how)
        assert.deepEqual(protectedHeader, theirs.protectedHeader, how)
      }
      assert.equal(new Verifier(jwks).verify(signed).payload.custom, 'x')
      // The same token is rejected once its 15 minutes are over.
      const later = new Date(Date.now() + 16 * 60 * 1000)
      assert.throws(() => verifier.verify(fromEndpoint, { currentDate: later }), (e) => e.code === 'ERR_JWT_EXPIRED' && /15 minutes/.test(e.hint))
    } finally {
      await ba.close()
    }
  })
}

test('key rotation: old tokens verify during the grace period; a JWKS without the old key names its kid', async () => {
  const ba = await startBetterAuth({ alg: 'EdDSA', jwks: { rotationInterval: 1, gracePeriod: 3600 } })
  try {
    const { cookie } = await ba.signIn()
    const oldToken = (await (await ba.api('/token', { cookie })).json()).token
    await new Promise((r) => setTimeout(r, 1500))
    const newToken = (await (await ba.api('/token', { cookie })).json()).token
    const oldKid = decodeProtectedHeader(oldToken).kid
    const newKid = decodeProtectedHeader(newToken).kid
    assert.notEqual(oldKid, newKid, 'the key rotated')
    const jwks = await (await ba.api('/jwks')).json()
    assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([oldKid, newKid]))
    const verifier = new Verifier(jwks, { issuer: ba.baseURL, audience: ba.baseURL })
    assert.equal(verifier.verify(oldToken).protectedHeader.kid, oldKid)
    assert.equal(verifier.verify(newToken).protectedHeader.kid, newKid)

    // A stale JWKS (fetched before the rotation) does not know the new kid.
    const stale = new Verifier({ keys: jwks.keys.filter((k) => k.kid === oldKid) })
    assert.throws(() => stale.verify(newToken), (e) => {
      assert.ok(e instanceof errors.JWKSNoMatchingKey)
      assert.ok(e.message.includes(`"${newKid}"`), e.message)
      assert.ok(e.message.includes(`"${oldKid}"`), e.message)
      assert.match(e.hint, /rotated/)
      return true
    })
  } finally {
    await ba.close()
  }
})

test('issuer as users write it: exact match; a trailing slash is a claim error with a hint', async () => {
  const ba = await startBetterAuth()
  try {
    const { cookie } = await ba.signIn()
    const token = (await (await ba.api('/token', { cookie })).json()).token
    const jwks = await (await ba.api('/jwks')).json()
    assert.ok(new Verifier(jwks, { issuer: ba.baseURL, audience: ba.baseURL }).verify(token))
    for (const [option, claim] of [[{ issuer: `${ba.baseURL}/` }, 'iss'], [{ audience: `${ba.baseURL}/` }, 'aud'], [{ issuer: ba.baseURL.replace('http:', 'https:') }, 'iss']]) {
      assert.throws(() => new Verifier(jwks, option).verify(token), (e) =>
        e instanceof errors.JWTClaimValidationFailed && e.claim === claim && e.reason === 'check_failed' && /trailing slash/.test(e.hint))
    }
  } finally {
    await ba.close()
  }
})

test('hints: missing custom claim, session token instead of a JWT', async () => {
  const ba = await startBetterAuth({ definePayload: ({ user }) => ({ email: user.email }) })
  try {
    const { cookie, body } = await ba.signIn()
    const token = (await (await ba.api('/token', { cookie })).json()).token
    const jwks = await (await ba.api('/jwks')).json()
    assert.throws(() => new Verifier(jwks, { requiredClaims: ['uuid'] }).verify(token), (e) =>
      e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'uuid' && e.reason === 'missing' && /definePayload/.test(e.hint))
    // The opaque session token Better Auth returns on sign-in is not a JWT.
    assert.ok(body.token && !body.token.includes('.'))
    assert.throws(() => new Verifier(jwks).verify(body.token), (e) => e.code === 'ERR_JWS_INVALID' && /session token/.test(e.hint))
  } finally {
    await ba.close()
  }
})

test('getBearerToken: Request, Headers, Node headers, strings; clear errors', () => {
  assert.equal(getBearerToken(new Request('http://x', { headers: { authorization: 'Bearer abc.def.ghi' } })), 'abc.def.ghi')
  assert.equal(getBearerToken(new Headers({ Authorization: 'bearer   t0k ' })), 't0k')
  assert.equal(getBearerToken({ authorization: 'BEARER x.y.z' }), 'x.y.z')
  assert.equal(getBearerToken({ headers: new Headers({ authorization: 'Bearer q' }) }), 'q')
  assert.equal(getBearerToken('Bearer a'), 'a')
  for (const bad of [new Headers(), {}, '', null, undefined]) {
    assert.throws(() => getBearerToken(bad), (e) => e instanceof errors.JWSInvalid && /no Authorization header/.test(e.message) && typeof e.hint === 'string')
  }
  for (const bad of ['Bearer', 'Bearer a b']) {
    assert.throws(() => getBearerToken(bad), (e) => e instanceof errors.JWSInvalid && /^malformed Authorization header/.test(e.message))
  }
  for (const other of ['Basic dXNlcjpwYXNz', 'Token abc']) {
    assert.throws(() => getBearerToken(other), (e) => e instanceof errors.JWSInvalid && /not of the Bearer scheme/.test(e.message) && /Bearer/.test(e.hint))
  }
})
