// Signs tokens with jose for every algorithm, verifies them with the built edgejwt package, and
// shows a few rejections with their codes. Run through `npm run demo`, which installs and builds what is missing first (scripts/prepare.mjs).
import * as jose from 'jose'
import { Verifier, createRemoteJWKSet, readSessionCookie, getBearerToken, errors } from '../pkg/src/node.js'
import { startBetterAuth, SECRET } from '../tests/better-auth/server.mjs'

const ISSUER = 'http://localhost:3000'
const algs = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
const keys = []
const tokens = {}
const payload = {
  name: 'Ada Lovelace', email: 'ada@example.com', emailVerified: true,
  uuid: '7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11',
}

for (const alg of algs) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true })
  const kid = `demo-${alg.toLowerCase()}`
  keys.push({ ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' })
  tokens[alg] = await new jose.SignJWT(payload)
    .setProtectedHeader({ alg, kid })
    .setSubject('user_123').setIssuer(ISSUER).setAudience(ISSUER)
    .setIssuedAt().setExpirationTime('15m')
    .sign(privateKey)
}
const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!')
keys.push({ kty: 'oct', k: jose.base64url.encode(secret), kid: 'demo-hs256', alg: 'HS256' })
tokens.HS256 = await new jose.SignJWT(payload)
  .setProtectedHeader({ alg: 'HS256', kid: 'demo-hs256' })
  .setSubject('user_123').setIssuer(ISSUER).setAudience(ISSUER)
  .setIssuedAt().setExpirationTime('15m').sign(secret)

const jwks = { keys }
const verifier = new Verifier(jwks, { issuer: ISSUER, audience: ISSUER, requiredClaims: ['uuid'] })

console.log(`edgejwt demo: ${Object.keys(tokens).length} tokens signed by jose, verified by edgejwt (wasm)\n`)
for (const [alg, token] of Object.entries(tokens)) {
  const { payload: p, protectedHeader } = verifier.verify(token)
  console.log(`  ✓ ${alg.padEnd(6)} kid=${protectedHeader.kid.padEnd(12)} sub=${p.sub} email=${p.email} exp=${new Date(p.exp * 1000).toISOString()}`)
}

const show = (label, fn) => {
  try {
    fn()
    console.log(`  ✗ ${label}: unexpectedly verified`)
    process.exitCode = 1
  } catch (err) {
    if (!(err instanceof errors.JOSEError)) throw err
    const extra = err.claim ? ` (claim ${err.claim}, ${err.reason})` : ''
    console.log(`  ✗ ${label.padEnd(34)} ${err.code}${extra}: ${err.message}`)
    if (err.hint) console.log(`      hint: ${err.hint}`)
  }
}

console.log('\nRejections:')
const t = tokens.EdDSA
const [h, p, s] = t.split('.')
const later = new Date(Date.now() + 16 * 60 * 1000)
show('expired (16 minutes later)', () => verifier.verify(t, { currentDate: later }))
show('tampered payload', () => verifier.verify(`${h}.${jose.base64url.encode(JSON.stringify({ sub: 'admin' }))}.${s}`))
show('tampered signature', () => verifier.verify(`${h}.${p}.${s.slice(0, -4)}AAAA`))
show('wrong issuer (trailing slash)', () => new Verifier(jwks, { issuer: `${ISSUER}/` }).verify(t))
show('key rotated away (kid unknown)', () => new Verifier({ keys: keys.filter((k) => k.kid !== 'demo-eddsa') }).verify(t))
show('alg not allowed', () => new Verifier(jwks, { algorithms: ['ES256'] }).verify(t))
show('alg none', () => verifier.verify(`${jose.base64url.encode('{"alg":"none"}')}.${p}.`))
show('a session token, not a JWT', () => verifier.verify('Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e'))
verifier.free()

// ---- A real Better Auth server ----
const ba = await startBetterAuth({ alg: 'EdDSA', session: { cookieCache: { enabled: true, maxAge: 300 } } })
try {
  console.log(`\nBetter Auth ${(await import('../tests/better-auth/node_modules/better-auth/package.json', { with: { type: 'json' } })).default.version} running at ${ba.baseURL} (in-memory, jwt() plugin, cookie cache on)`)
  const { cookie } = await ba.signIn('ada@example.com', 'Ada Lovelace')
  const { token } = await (await ba.api('/token', { cookie })).json()
  console.log(`  signed in ada@example.com; GET /api/auth/token → ${token.slice(0, 40)}…`)
  const remote = createRemoteJWKSet(`${ba.baseURL}/api/auth/jwks`)
  const live = new Verifier(remote, { issuer: ba.baseURL, audience: ba.baseURL, requiredClaims: ['uuid'] })
  const request = new Request(`${ba.baseURL}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  const { payload, protectedHeader } = await live.verifyAsync(getBearerToken(request))
  console.log(`  ✓ verified with the JWKS from /api/auth/jwks: alg=${protectedHeader.alg} kid=${protectedHeader.kid.slice(0, 12)}… sub=${payload.sub} email=${payload.email} uuid=${payload.uuid}`)
  const session = readSessionCookie(cookie, { secret: SECRET })
  console.log(`  ✓ session cookie cache (compact): user=${session.user.email} session expires ${session.session.expiresAt}`)
  show('session cookie with a wrong secret', () => readSessionCookie(cookie, { secret: 'not-the-app-secret-0123456789abcdef' }))
  show('the session token instead of a JWT', () => live.verify(/better-auth\.session_token=([^.;]+)/.exec(cookie)[1]))
  // The debugging page, prefilled with this server's token and JWKS (handed over once through
  // /demo.json, never in the URL). Interactive runs keep serving until Ctrl-C.
  const { serveWww } = await import('./www.mjs')
  const jwks = await (await ba.api('/jwks')).json()
  if (process.stdout.isTTY && !process.env.CI) {
    const www = await serveWww({ demo: { token, jwks, issuer: ba.baseURL } })
    console.log(`\nDebugging page: http://127.0.0.1:${www.address().port}/  (prefilled with the token above; Ctrl-C to stop)`)
    await new Promise((resolve) => process.once('SIGINT', resolve))
    www.close()
  } else {
    console.log('\nDebugging page: `npm run www` serves it on http://127.0.0.1:8788/ (the demo serves it prefilled when run in a terminal)')
  }
} finally {
  await ba.close()
}
