// Writes what one Better Auth release produces and how it judges it, for edgejwt's JS and Python
// conformance tests (conformance.test.mjs, test_conformance.py) to check edgejwt against:
//   node tests/better-auth/releases/corpus.mjs <minor> [<minor> ...]   → .tmp/better-auth-releases/<minor>.json
// Per release: JWTs from GET /api/auth/token and get-session's set-auth-jwt header for every
// algorithm its jwt() plugin offers, the server's JWKS, jose's verification result (payload,
// header) and jose's verdict on an expired, a tampered (signature byte, payload) and a
// wrong-issuer case; session cookie caches in every strategy it offers, its own getCookieCache
// result for them fresh, expired (its clock moved forward) and tampered, and its server's
// get-session verdict on the cached session alone (database sessions removed).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HERE, SECRET, atTime, loadRelease, startRelease } from './release.mjs'

export const OUT = join(HERE, '../../../.tmp/better-auth-releases')
export const NAME = 'Zoë "Q" Ñandú \\ 😀 <tab>\t'
const MAX_AGE = 300

const b64 = (s) => Buffer.from(s).toString('base64url')
const unb64 = (s) => Buffer.from(s, 'base64url').toString()
const plain = (v) => (v === null || v === undefined ? null : JSON.parse(JSON.stringify(v)))

/** jose's verdict: { payload, protectedHeader } or { code, claim }. */
async function joseVerdict(jose, token, jwks, options) {
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), options)
    return { payload, protectedHeader }
  } catch (e) {
    return { code: e.code ?? String(e), ...(e.claim ? { claim: e.claim } : {}) }
  }
}

/** The token with the last byte of its signature flipped. */
function flipSignature(token) {
  const [h, p, s] = token.split('.')
  const sig = Buffer.from(s, 'base64url')
  sig[sig.length - 1] ^= 1
  return `${h}.${p}.${sig.toString('base64url')}`
}

/** The token with its payload's `name` edited, the signature kept. */
function editPayload(token) {
  const [h, p, s] = token.split('.')
  const payload = JSON.parse(unb64(p))
  payload.name = `${payload.name}!`
  return `${h}.${b64(JSON.stringify(payload))}.${s}`
}

async function tokens(release, alg) {
  const ba = await startRelease(release, { alg })
  try {
    const { cookie, body } = await ba.signIn()
    const jwks = await ba.jwks()
    const fromEndpoint = await ba.token(cookie)
    const fromHeader = (await ba.api('/get-session', { cookie })).headers.get('set-auth-jwt')
    const opts = { issuer: ba.baseURL, audience: ba.baseURL }
    const { jose } = release
    const good = []
    for (const [source, token] of [['GET /api/auth/token', fromEndpoint], ['get-session set-auth-jwt', fromHeader]]) {
      good.push({ source, token, jose: await joseVerdict(jose, token, jwks, opts) })
    }
    const exp = jose.decodeJwt(fromEndpoint).exp
    const expiredAt = (exp + 1) * 1000
    const bad = [
      { case: 'expired', token: fromEndpoint, at: expiredAt, issuer: ba.baseURL, jose: await joseVerdict(jose, fromEndpoint, jwks, { ...opts, currentDate: new Date(expiredAt) }) },
      { case: 'signature byte flipped', token: flipSignature(fromEndpoint), issuer: ba.baseURL },
      { case: 'payload edited', token: editPayload(fromEndpoint), issuer: ba.baseURL },
      { case: 'wrong issuer', token: fromEndpoint, issuer: `${ba.baseURL}/` },
    ]
    for (const b of bad) b.jose ??= await joseVerdict(jose, b.token, jwks, { issuer: b.issuer, audience: ba.baseURL })
    return { alg, baseURL: ba.baseURL, userId: body.user.id, jwks, good, bad }
  } finally {
    await ba.close()
  }
}

/** One change to a cookie value of each kind (the signature or tag must catch it). */
const TAMPER = {
  compact: (value) => {
    const outer = JSON.parse(unb64(value))
    outer.session.user.name += '!'
    return b64(JSON.stringify(outer))
  },
  jwt: (value) => {
    const [h, p, s] = value.split('.')
    const payload = JSON.parse(unb64(p))
    payload.user.name += '!'
    return `${h}.${b64(JSON.stringify(payload))}.${s}`
  },
  jwe: (value) => {
    const parts = value.split('.')
    const ct = Buffer.from(parts[3], 'base64url')
    ct[0] ^= 1
    parts[3] = ct.toString('base64url')
    return parts.join('.')
  },
}

/**
 * A cookie cache in `strategy` (`plugin`: the jwt plugin's sessionCookieCache, 1.7): the cookie,
 * getCookieCache's reading of it fresh, expired and tampered, and the server's get-session
 * verdict from the cookie alone.
 */
async function cookie(release, strategy, plugin = false) {
  const { features } = release
  // 1.3 has no strategy option: its cookie cache is compact only.
  const cookieCache = { enabled: true, maxAge: MAX_AGE, ...(features.strategies.length > 1 ? { strategy } : {}) }
  const ba = await startRelease(release, { session: { cookieCache }, sessionCookieCache: plugin })
  try {
    const { cookie: header, setCookies } = await ba.signIn('zoe@example.com', NAME)
    const jwks = plugin ? await ba.jwks() : undefined
    const config = {
      secret: SECRET,
      isSecure: false,
      ...(features.strategies.length > 1 ? { strategy } : {}),
      ...(jwks ? { jwt: { jwks } } : {}),
    }
    const read = async (cookieHeader) => plain(await release.getCookieCache(new Headers({ cookie: cookieHeader }), config))
    const value = decodeURIComponent(/better-auth\.session_data=([^;]+)/.exec(header)?.[1] ?? '')
    const tampered = header.replace(/better-auth\.session_data=[^;]+/, `better-auth.session_data=${TAMPER[strategy](value)}`)
    const expiredAt = Date.now() + (MAX_AGE + 100) * 1000
    const out = {
      strategy,
      plugin,
      baseURL: ba.baseURL,
      header,
      cookieNames: setCookies.map((c) => c.split('=')[0]),
      ...(jwks ? { jwks } : {}),
      theirs: await read(header),
      expired: { at: expiredAt, theirs: await atTime(expiredAt, () => read(header)) },
      tampered: { header: tampered, theirs: await read(tampered) },
    }
    // The server itself, from the cookie cache alone: fresh it answers, expired it does not.
    ba.db.session.length = 0
    const getSession = async () => plain(await ba.auth.api.getSession({ headers: new Headers({ cookie: header }) }))
    out.server = {
      fresh: await getSession(),
      expired: await atTime(expiredAt, getSession),
    }
    return out
  } finally {
    await ba.close()
  }
}

export async function corpus(minor) {
  const release = await loadRelease(minor)
  const { features } = release
  const out = { release: minor, version: release.version, features, secret: SECRET, generatedAt: 0, tokens: [], cookies: [] }
  for (const alg of features.algs) out.tokens.push(await tokens(release, alg))
  for (const strategy of features.strategies) out.cookies.push(await cookie(release, strategy))
  if (features.pluginCookie) out.cookies.push(await cookie(release, 'jwt', true))
  // The time the tests check the fresh tokens and cookies at: after all were issued.
  out.generatedAt = Date.now()
  return out
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  mkdirSync(OUT, { recursive: true })
  for (const minor of process.argv.slice(2)) {
    const t0 = Date.now()
    const data = await corpus(minor)
    writeFileSync(join(OUT, `${minor}.json`), JSON.stringify(data, null, 1))
    console.log(`corpus ${minor} (better-auth ${data.version}): ${data.tokens.length} algorithms, ${data.cookies.length} cookie strategies, ${Date.now() - t0} ms`)
  }
}
