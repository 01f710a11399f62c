// Better Auth's session cookie cache, produced by a real server, read by edgejwt and compared
// field by field with Better Auth's own getCookieCache on the same request.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readSessionCookie, errors } from 'edgejwt'
import { getCookieCache } from 'better-auth/cookies'
import { startBetterAuth, SECRET } from './server.mjs'

const NAME = 'Zoë "Q" Ñandú \\ 😀 \u0007 <tab>\t'
const later = (seconds) => new Date(Date.now() + seconds * 1000)
/**
 * One change to a cookie value of each strategy, and the one code edgejwt must answer with:
 * compact: the session's user name edited, the signature kept; jwt: the payload's name edited,
 * the signature kept; jwe: one ciphertext bit flipped (the authentication tag catches it).
 */
const TAMPER = {
  compact: [(value) => {
    const outer = JSON.parse(Buffer.from(value, 'base64url').toString())
    outer.session.user.name += '!'
    return Buffer.from(JSON.stringify(outer)).toString('base64url')
  }, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
  jwt: [(value) => {
    const [h, p, s] = value.split('.')
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
    payload.user.name += '!'
    return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`
  }, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
  jwe: [(value) => {
    const parts = value.split('.')
    const ct = Buffer.from(parts[3], 'base64url')
    ct[0] ^= 1
    parts[3] = ct.toString('base64url')
    return parts.join('.')
  }, 'ERR_JWE_DECRYPTION_FAILED'],
}

/** Better Auth returns Dates where the JSON has strings; compare the JSON both print. */
const plain = (v) => JSON.parse(JSON.stringify(v))

function cookieHeader(setCookies, rename = (n) => n) {
  return setCookies.map((c) => c.split(';')[0]).map((c) => {
    const i = c.indexOf('=')
    return `${rename(c.slice(0, i))}=${c.slice(i + 1)}`
  }).join('; ')
}

async function withServer(options, fn) {
  const ba = await startBetterAuth(options)
  try {
    return await fn(ba)
  } finally {
    await ba.close()
  }
}

for (const strategy of ['compact', 'jwt', 'jwe']) {
  test(`${strategy}: same session as getCookieCache; tampered, expired, wrong secret and absent cookies`, async () => {
    await withServer({ session: { cookieCache: { enabled: true, maxAge: 300, strategy } } }, async (ba) => {
      const { setCookies, body } = await ba.signIn('zoe@example.com', NAME)
      assert.ok(setCookies.some((c) => c.startsWith('better-auth.session_data=')), 'the server set the cookie cache')
      const headers = new Headers({ cookie: cookieHeader(setCookies) })
      const theirs = await getCookieCache(headers, { secret: SECRET, strategy, isSecure: false })
      assert.ok(theirs, 'Better Auth reads its own cookie')
      const ours = readSessionCookie(headers, { strategy, secret: SECRET })
      assert.deepEqual(ours, plain(theirs))
      assert.equal(ours.user.name, NAME)
      assert.equal(ours.user.id, body.user.id)
      assert.equal(typeof ours.updatedAt, 'number')
      // Also from a Request and from the raw header string.
      assert.deepEqual(readSessionCookie(new Request(ba.baseURL, { headers }), { strategy, secret: SECRET }), ours)
      assert.deepEqual(readSessionCookie(headers.get('cookie'), { strategy, secret: SECRET }), ours)

      // Tampered: one change, and the one code that is right for it.
      const value = /better-auth\.session_data=([^;]+)/.exec(headers.get('cookie'))[1]
      const [tamper, code] = TAMPER[strategy]
      const tampered = new Headers({ cookie: `better-auth.session_data=${tamper(decodeURIComponent(value))}` })
      assert.equal(await getCookieCache(tampered, { secret: SECRET, strategy, isSecure: false }), null)
      assert.throws(() => readSessionCookie(tampered, { strategy, secret: SECRET }), (e) => e instanceof errors.JOSEError && e.code === code, code)
      // Truncated: a malformed value, not a bad signature.
      const malformed = { compact: 'ERR_JWT_INVALID', jwt: 'ERR_JWS_INVALID', jwe: 'ERR_JWE_INVALID' }[strategy]
      const cut = new Headers({ cookie: `better-auth.session_data=${decodeURIComponent(value).split('.')[0]}x.y` })
      assert.throws(() => readSessionCookie(cut, { strategy, secret: SECRET }), (e) => e.code === malformed, malformed)

      // Expired (maxAge 300 s, plus Better Auth's 15 s tolerance for jwt/jwe).
      assert.throws(() => readSessionCookie(headers, { strategy, secret: SECRET, currentDate: later(400) }), (e) => e.code === 'ERR_JWT_EXPIRED')
      assert.ok(readSessionCookie(headers, { strategy, secret: SECRET, currentDate: later(200) }))

      // Another secret.
      const wrong = { jwe: 'ERR_JWE_DECRYPTION_FAILED' }[strategy] ?? 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
      assert.throws(() => readSessionCookie(headers, { strategy, secret: 'not-the-secret-not-the-secret-123' }), (e) => e.code === wrong && typeof e.hint === 'string')

      // Absent.
      assert.equal(readSessionCookie(new Headers({ cookie: 'other=1' }), { strategy, secret: SECRET }), null)
      assert.equal(readSessionCookie(new Headers(), { strategy, secret: SECRET }), null)

      // __Secure- name: found without isSecure, and with isSecure: true, as Better Auth does.
      const secure = new Headers({ cookie: cookieHeader(setCookies, (n) => `__Secure-${n}`) })
      assert.deepEqual(readSessionCookie(secure, { strategy, secret: SECRET }), ours)
      assert.deepEqual(readSessionCookie(secure, { strategy, secret: SECRET, isSecure: true }), plain(await getCookieCache(secure, { secret: SECRET, strategy, isSecure: true })))
      assert.equal(readSessionCookie(secure, { strategy, secret: SECRET, isSecure: false }), null)

      // Version: Better Auth writes "1" by default.
      assert.ok(readSessionCookie(headers, { strategy, secret: SECRET, version: '1' }))
      assert.throws(() => readSessionCookie(headers, { strategy, secret: SECRET, version: '2' }), (e) => e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && e.claim === 'version')
      assert.equal(await getCookieCache(headers, { secret: SECRET, strategy, isSecure: false, version: '2' }), null)
    })
  })
}

test('custom cookie prefix and chunked cookies (.0, .1, ...) join like Better Auth', async () => {
  await withServer({
    session: { cookieCache: { enabled: true, maxAge: 300, strategy: 'compact' } },
    advanced: { cookiePrefix: 'myapp' },
    userFields: { bio: { type: 'string', required: false } },
  }, async (ba) => {
    const bio = 'é'.repeat(3000) // pushes the cookie over 4 KB
    const { setCookies } = await ba.signIn('big@example.com', 'Big Cookie', { bio })
    const names = setCookies.map((c) => c.split('=')[0])
    assert.ok(names.includes('myapp.session_data.0') && names.includes('myapp.session_data.1'), names.join(' '))
    // Chunks in reverse order in the header: they are joined by index, not position.
    const headers = new Headers({ cookie: cookieHeader(setCookies.slice().reverse()) })
    const theirs = await getCookieCache(headers, { secret: SECRET, cookiePrefix: 'myapp', isSecure: false })
    assert.ok(theirs)
    const ours = readSessionCookie(headers, { secret: SECRET, cookiePrefix: 'myapp' })
    assert.deepEqual(ours, plain(theirs))
    assert.equal(ours.user.bio, bio)
    assert.equal(readSessionCookie(headers, { secret: SECRET }), null, 'the default prefix finds nothing')
  })
})

test('jwt strategy signed with the jwt plugin keys: verified against the JWKS, bound to the session', async () => {
  await withServer({ session: { cookieCache: { enabled: true, maxAge: 300, strategy: 'jwt' } }, sessionCookieCache: true }, async (ba) => {
    const { setCookies } = await ba.signIn()
    const jwks = await (await ba.api('/jwks')).json()
    const headers = new Headers({ cookie: cookieHeader(setCookies) })
    const theirs = await getCookieCache(headers, { strategy: 'jwt', isSecure: false, jwt: { jwks } })
    assert.ok(theirs, 'Better Auth reads it with the JWKS')
    const ours = readSessionCookie(headers, { strategy: 'jwt', jwks })
    assert.deepEqual(ours, plain(theirs))
    assert.equal(ours.sub, ours.user.id)
    assert.equal(ours.sid, ours.session.token)
    // The secret alone does not verify a JWKS-signed cookie.
    assert.throws(() => readSessionCookie(headers, { strategy: 'jwt', secret: SECRET }), errors.JOSEError)
    // An issuer option is checked.
    assert.throws(() => readSessionCookie(headers, { strategy: 'jwt', jwks, issuer: 'https://other.example' }), (e) => e.claim === 'iss')
  })
})
