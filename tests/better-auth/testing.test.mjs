// edgejwt/testing's session cookies (the packed package) read by Better Auth's own
// getCookieCache: what the kit writes, Better Auth accepts, and refuses once expired or signed
// with another secret; equal to what edgejwt's readSessionCookie returns.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getCookieCache } from 'better-auth/cookies'
import { readSessionCookie } from 'edgejwt'
import { createTestIssuer } from 'edgejwt/testing'

const NAME = 'Zoë "Q" Ñandú \\ 😀 \u0007 <tab>\t'
const CASES = [['compact', 'secret'], ['jwt', 'secret'], ['jwt', 'jwks']]

for (const [strategy, signedBy] of CASES) {
  test(`edgejwt/testing ${strategy} cookie signed by ${signedBy}: getCookieCache accepts it, as readSessionCookie does`, async () => {
    const issuer = await createTestIssuer()
    const other = await createTestIssuer({ secret: 'another-secret-0123456789abcdefghijklmnop' })
    try {
      const data = issuer.sessionData({ user: { id: 'user_9', name: NAME }, session: { score: 1.5e21, ratio: 0.1 } })
      const jwks = signedBy === 'jwks' ? issuer.jwks() : undefined
      const theirs = (cookie) =>
        getCookieCache(new Headers({ cookie }), { secret: issuer.secret, strategy, isSecure: false, ...(jwks ? { jwt: { jwks } } : {}) })
      const cookie = issuer.sessionCookie({ data, strategy, signedBy })
      const read = await theirs(cookie)
      assert.notEqual(read, null)
      const json = JSON.parse(JSON.stringify(read)) // Better Auth returns Dates
      const ours = readSessionCookie(cookie, jwks ? { strategy, jwks } : { strategy, secret: issuer.secret })
      assert.deepEqual(json, ours)
      for (const k of Object.keys(data)) assert.deepEqual(json[k], data[k], k)
      assert.equal(await theirs(issuer.sessionCookie({ data, strategy, signedBy, expiresIn: -60 })), null)
      assert.equal(await theirs(other.sessionCookie({ data, strategy, signedBy })), null)
    } finally {
      await issuer.close()
      await other.close()
    }
  })
}
