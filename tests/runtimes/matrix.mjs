// The request matrix every runtime test answers: tokens signed now by jose (the reference),
// a JWKS, and what each request must get back. Writes $OUT/matrix.json and $OUT/jwks.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jose from 'jose'

export const ISSUER = 'http://localhost:3000'

export async function makeMatrix() {
  const keys = []
  const signers = {}
  for (const alg of ['EdDSA', 'ES256', 'RS256']) {
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true })
    const kid = `${alg.toLowerCase()}-2026`
    keys.push({ ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' })
    signers[alg] = { kid, privateKey }
  }
  const foreign = await jose.generateKeyPair('EdDSA')
  const claims = { name: 'Ada Lovelace', email: 'ada@example.com', uuid: '7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11' }
  const sign = (alg, { sub = 'user_123', exp = '15m', key, kid, iss = ISSUER } = {}) =>
    new jose.SignJWT(claims)
      .setProtectedHeader({ alg, kid: kid ?? signers[alg].kid })
      .setSubject(sub).setIssuer(iss).setAudience(ISSUER)
      .setIssuedAt().setExpirationTime(exp)
      .sign(key ?? signers[alg].privateKey)

  const valid = await sign('EdDSA')
  const [h, p, s] = valid.split('.')
  const tampered = `${h}.${jose.base64url.encode(JSON.stringify({ ...claims, sub: 'admin', iss: ISSUER, aud: ISSUER, exp: 4102444800 }))}.${s}`
  const cases = [
    { name: 'valid EdDSA', token: valid, status: 200, sub: 'user_123' },
    { name: 'valid ES256', token: await sign('ES256', { sub: 'user_es' }), status: 200, sub: 'user_es' },
    { name: 'valid RS256', token: await sign('RS256', { sub: 'user_rs' }), status: 200, sub: 'user_rs' },
    { name: 'expired', token: await sign('EdDSA', { exp: Math.floor(Date.now() / 1000) - 60 }), status: 401, code: 'ERR_JWT_EXPIRED' },
    { name: 'tampered payload', token: tampered, status: 401, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
    { name: 'tampered signature', token: `${h}.${p}.${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`, status: 401, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
    { name: 'foreign key, same kid', token: await sign('EdDSA', { key: foreign.privateKey }), status: 401, code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
    { name: 'rotated-away kid', token: await sign('EdDSA', { kid: 'eddsa-2025' }), status: 401, code: 'ERR_JWKS_NO_MATCHING_KEY' },
    { name: 'wrong issuer', token: await sign('EdDSA', { iss: 'https://evil.example' }), status: 401, code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
    { name: 'session token, not a JWT', token: 'Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e', status: 401, code: 'ERR_JWS_INVALID' },
    { name: 'no Authorization header', token: null, status: 401, code: 'ERR_JWS_INVALID' },
  ]
  return { issuer: ISSUER, jwks: { keys }, cases }
}

/** Sends every case to `url` and checks status, `sub` and error code. Returns failures. */
export async function runMatrix(url, cases, label) {
  let passed = 0
  const failures = []
  for (const c of cases) {
    const headers = c.token === null ? {} : { authorization: `Bearer ${c.token}` }
    let got
    try {
      const res = await fetch(url, { headers })
      const text = await res.text()
      let body
      try {
        body = JSON.parse(text)
      } catch {
        body = { raw: text.slice(0, 200) }
      }
      got = { status: res.status, sub: body.sub, code: body.error }
    } catch (e) {
      got = { error: String(e) }
    }
    const ok = got.status === c.status && (c.status === 200 ? got.sub === c.sub : got.code === c.code)
    if (ok) passed++
    else failures.push(`${label}: ${c.name}: expected ${JSON.stringify({ status: c.status, sub: c.sub, code: c.code })}, got ${JSON.stringify(got)}`)
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}: ${c.name} → ${got.status} ${got.sub ?? got.code ?? got.error ?? ''}`)
  }
  return { passed, failures }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.env.OUT ?? '.'
  mkdirSync(out, { recursive: true })
  const m = await makeMatrix()
  writeFileSync(join(out, 'matrix.json'), JSON.stringify(m, null, 2))
  writeFileSync(join(out, 'jwks.json'), JSON.stringify(m.jwks, null, 2))
  console.log(`matrix: ${m.cases.length} cases, ${m.jwks.keys.length} keys → ${out}`)
}
