// edgejwt against jose, the reference: same payloads for fresh tokens of every algorithm, and the
// same error code (and claim/reason) for a table of bad tokens and options.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jose from 'jose'
import { Verifier } from 'edgejwt'

const ISS = 'http://localhost:3000'
const now = Math.floor(Date.now() / 1000)
const currentDate = new Date(now * 1000)
const b64 = (v) => jose.base64url.encode(typeof v === 'string' ? v : JSON.stringify(v))

const ALGS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const keys = {}
const jwks = { keys: [] }
for (const alg of ALGS) {
  const pair = await jose.generateKeyPair(alg, { extractable: true })
  keys[alg] = pair
  jwks.keys.push({ ...(await jose.exportJWK(pair.publicKey)), kid: `k-${alg}`, alg, use: 'sig' })
}
const foreign = await jose.generateKeyPair('ES256', { extractable: true })

const sign = (alg, payload, header = {}) =>
  new jose.SignJWT(payload).setProtectedHeader({ alg, kid: `k-${alg}`, ...header }).sign((header.key ?? keys[alg]).privateKey)

/** Signs any header with the ES256 key via WebCrypto (P1363 r||s, as JWS wants). */
async function rawSign(header, payload) {
  const input = `${b64(header)}.${b64(payload)}`
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.ES256.privateKey, new TextEncoder().encode(input))
  return `${input}.${jose.base64url.encode(new Uint8Array(sig))}`
}

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

test('bad tokens and options give the same error code, claim and reason as jose', async () => {
  const good = await sign('ES256', base)
  const [h, p, s] = good.split('.')
  const ed = await sign('EdDSA', base)
  const cases = {
    expired: [await sign('ES256', { ...base, exp: now - 1 })],
    'expired exactly now': [await sign('ES256', { ...base, exp: now })],
    'expired within tolerance': [await sign('ES256', { ...base, exp: now - 5 }), { clockTolerance: 10 }],
    'nbf in the future': [await sign('ES256', { ...base, nbf: now + 60 })],
    'wrong issuer': [good, { issuer: 'https://other.example' }],
    'issuer with trailing slash': [good, { issuer: `${ISS}/` }],
    'issuer list': [good, { issuer: ['x', ISS] }],
    'wrong audience': [good, { audience: 'api' }],
    'audience array in token': [await sign('ES256', { ...base, aud: ['a', ISS] }), { audience: ISS }],
    'missing required claim': [good, { requiredClaims: ['role'] }],
    'missing iss with issuer option': [await sign('ES256', { sub: 'u', exp: now + 60 }), { issuer: ISS }],
    'required claims order': [await sign('ES256', { exp: now + 60 }), { requiredClaims: ['a', 'b'], subject: 's' }],
    'wrong subject': [good, { subject: 'someone-else' }],
    'wrong typ': [good, { typ: 'at+jwt' }],
    'typ normalised': [await sign('ES256', base, { typ: 'JWT' }), { typ: 'application/jwt' }],
    'max token age exceeded': [await sign('ES256', { ...base, iat: now - 7200 }), { maxTokenAge: 3600 }],
    'iat in the future with maxTokenAge': [await sign('ES256', { ...base, iat: now + 600 }), { maxTokenAge: 3600 }],
    'maxTokenAge without iat': [await sign('ES256', { sub: 'u' }), { maxTokenAge: 60 }],
    'non-numeric exp': [await sign('ES256', { ...base, exp: String(now + 60) })],
    'non-numeric nbf': [await sign('ES256', { ...base, nbf: true })],
    'tampered payload': [`${h}.${b64({ ...base, sub: 'admin' })}.${s}`],
    'tampered signature': [`${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`],
    'foreign key with the same kid': [await sign('ES256', base, { key: foreign })],
    'unknown kid': [await sign('ES256', base, { kid: 'rotated-away' })],
    'no kid, one key per alg': [await new jose.SignJWT(base).setProtectedHeader({ alg: 'ES256' }).sign(keys.ES256.privateKey)],
    'alg not in allowlist': [good, { algorithms: ['EdDSA', 'RS256'] }],
    'alg none': [`${b64({ alg: 'none' })}.${p}.`],
    'alg none with allowlist': [`${b64({ alg: 'none' })}.${p}.`, { algorithms: ['ES256'] }],
    // jose will not sign an unknown crit, so this one is signed with WebCrypto directly.
    'unknown crit': [await rawSign({ alg: 'ES256', kid: 'k-ES256', crit: ['exp'], exp: 1 }, base)],
    'two segments': [`${h}.${p}`],
    'four segments': [`${good}.${s}`],
    'bad base64 in header': [`${h}!.${p}.${s}`],
    'header not JSON': [`${b64('not json')}.${p}.${s}`],
    'header without alg': [`${b64({ kid: 'k-ES256' })}.${p}.${s}`],
    'payload not an object': [await new jose.CompactSign(new TextEncoder().encode('[1,2]')).setProtectedHeader({ alg: 'ES256', kid: 'k-ES256' }).sign(keys.ES256.privateKey)],
    'EdDSA token checked against ES key kid': [`${b64({ alg: 'EdDSA', kid: 'k-ES256' })}.${ed.split('.')[1]}.${ed.split('.')[2]}`],
    'multiple matching keys': [await new jose.SignJWT(base).setProtectedHeader({ alg: 'ES256' }).sign(keys.ES256.privateKey), {}, { keys: [{ ...jwks.keys[2], kid: 'a' }, { ...jwks.keys[2], kid: 'b' }] }],
    'key with use enc': [good, {}, { keys: [{ ...jwks.keys[2], use: 'enc' }] }],
    'key_ops without verify': [good, {}, { keys: [{ ...jwks.keys[2], key_ops: ['sign'] }] }],
    'JWKS not a set': [good, {}, { nokeys: [] }],
  }
  // The cases edgejwt accepts; every other case must be a rejection (so the table tests
  // refusals, not only agreement).
  const accepted = new Set(['expired within tolerance', 'issuer list', 'audience array in token', 'typ normalised', 'no kid, one key per alg'])
  for (const [name, [token, options, set]] of Object.entries(cases)) {
    const [ours, theirs] = await both(token, options, set)
    assert.deepEqual(ours, theirs, name)
    assert.equal('ok' in ours, accepted.has(name), `${name}: ${JSON.stringify(ours)}`)
  }
})
