// edgejwt against jose, the reference: same payloads for fresh tokens of every algorithm, and the
// same error code (and claim/reason) for the table of bad tokens and options in
// tests/fixtures/crosscheck.json, which the Python tests check too.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jose from 'jose'
import { Verifier } from 'edgejwt'
import { crosscheck as table } from './helpers.mjs'

const ISS = 'http://localhost:3000'
const now = Math.floor(Date.now() / 1000)
const currentDate = new Date(now * 1000)

const ALGS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const keys = {}
const jwks = { keys: [] }
for (const alg of ALGS) {
  const pair = await jose.generateKeyPair(alg, { extractable: true })
  keys[alg] = pair
  jwks.keys.push({ ...(await jose.exportJWK(pair.publicKey)), kid: `k-${alg}`, alg, use: 'sig' })
}
const sign = (alg, payload, header = {}) =>
  new jose.SignJWT(payload).setProtectedHeader({ alg, kid: `k-${alg}`, ...header }).sign(keys[alg].privateKey)

const base = { sub: 'user_1', iss: ISS, aud: ISS, iat: now - 10, exp: now + 900, uuid: 'u-1', email: 'a@b.c', nested: { roles: ['x'] } }

/** jose's verdict and edgejwt's for the same input, normalised for comparison. */
async function both(token, options = {}, set = jwks) {
  // Claim errors carry a payload too: tell results from errors by type, not by shape.
  const outcome = (r) => (r instanceof Error ? { code: r.code, claim: r.claim, reason: r.reason } : { ok: r.payload })
  let j
  try {
    j = await jose.jwtVerify(token, jose.createLocalJWKSet(set), { currentDate, ...options })
  } catch (e) {
    j = e
  }
  let e
  try {
    e = new Verifier(set, { currentDate, ...options }).verify(token)
  } catch (err) {
    e = err
  }
  return [outcome(e), outcome(j)]
}

test('fresh jose tokens verify with the same payload for every asymmetric algorithm', async () => {
  for (const alg of ALGS) {
    const token = await sign(alg, base)
    const [ours, theirs] = await both(token, { issuer: ISS, audience: ISS })
    assert.ok(theirs.ok, `jose rejected ${alg}`)
    assert.deepEqual(ours, theirs, alg)
  }
})

test('HS256/384/512 with oct keys give the same payload as jose with the raw secret', async () => {
  // jose's createLocalJWKSet refuses HS algorithms (ERR_JOSE_NOT_SUPPORTED); edgejwt accepts
  // them only from oct keys the caller put in the set, so compare against jose with the secret.
  for (const alg of ['HS256', 'HS384', 'HS512']) {
    const secret = crypto.getRandomValues(new Uint8Array(64))
    const token = await new jose.SignJWT(base).setProtectedHeader({ alg }).sign(secret)
    const theirs = await jose.jwtVerify(token, secret, { currentDate })
    const ours = new Verifier({ keys: [{ kty: 'oct', k: jose.base64url.encode(secret) }] }, { currentDate }).verify(token)
    assert.deepEqual(ours.payload, theirs.payload, alg)
    // edgejwt's own rule: an HS token finds no key in a set without oct keys.
    assert.throws(() => new Verifier(jwks, { currentDate }).verify(token), { code: 'ERR_JWKS_NO_MATCHING_KEY' }, alg)
  }
})

test('bad tokens and options give the same error code, claim and reason as jose (shared table)', async () => {
  // tests/fixtures/crosscheck.json (made by tests/fixtures/crosscheck.mjs) is also read by the
  // Python tests: jose's recorded verdict is checked against jose here, then against edgejwt.
  const at = new Date(table.now * 1000)
  // Claim errors carry a payload too: tell results from errors by type.
  const outcome = (r) => (r instanceof Error ? { code: r.code, ...(r.claim !== undefined && { claim: r.claim }), ...(r.reason !== undefined && { reason: r.reason }) } : { ok: r.payload })
  // The cases edgejwt accepts; every other case must be a rejection (so the table tests
  // refusals, not only agreement).
  const accepted = new Set(['valid', 'expired within tolerance', 'issuer list', 'audience array in token', 'typ normalised', 'no kid, one key per alg'])
  let compared = 0
  for (const { name, token, options, jwks: set = table.jwks, jose: recorded } of table.cases) {
    let theirs
    try {
      theirs = await jose.jwtVerify(token, jose.createLocalJWKSet(set), { currentDate: at, ...options })
    } catch (e) {
      theirs = e
    }
    let ours
    try {
      ours = new Verifier(set, { currentDate: at, ...options }).verify(token)
    } catch (e) {
      ours = e
    }
    assert.deepEqual(outcome(theirs), recorded, `${name}: jose's verdict changed since the fixture was made`)
    assert.deepEqual(outcome(ours), recorded, name)
    assert.equal('ok' in recorded, accepted.has(name), `${name}: ${JSON.stringify(recorded)}`)
    compared++
  }
  assert.equal(compared, table.cases.length)
  assert.ok(compared >= 40)
})
