// What bench/bench.mjs (Node) and bench/workerd.mjs verify: a Better Auth-like token per
// algorithm (the user fields Better Auth puts in its JWT, plus sub, iss, aud, iat, exp), signed
// by jose with a fresh key, and the public JWK the verifiers get.
import * as jose from 'jose'

export const ISS = 'http://localhost:3000'

const payload = {
  name: 'Ada Lovelace', email: 'ada@example.com', emailVerified: true, image: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  id: 'Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e', uuid: '7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11',
}

export const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)]
export const stats = (a) => ({ med: median(a), min: Math.min(...a), max: Math.max(...a) })

/**
 * A token for `alg` and its verification key: `jwk` (with kid and alg; `oct` for HS*), and for
 * the reference implementations the raw `secret` (HS*) or the `publicKey` (CryptoKey).
 */
export async function makeCase(alg) {
  let publicKey, privateKey, secret
  if (alg.startsWith('HS')) secret = crypto.getRandomValues(new Uint8Array(32))
  else ({ publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true }))
  const kid = `${alg.toLowerCase()}-1`
  const jwk = secret ? { kty: 'oct', k: jose.base64url.encode(secret), kid, alg } : { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' }
  const token = await new jose.SignJWT(payload).setProtectedHeader({ alg, kid }).setSubject(payload.id).setIssuer(ISS).setAudience(ISS).setIssuedAt().setExpirationTime('1h').sign(secret ?? privateKey)
  return { jwk, token, secret, publicKey, sub: payload.id, issuer: ISS }
}
