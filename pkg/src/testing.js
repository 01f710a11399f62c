// edgejwt/testing (Node only): a local Better Auth for tests. Serves a Better Auth-shaped JWKS at
// a real URL on 127.0.0.1, mints tokens like the jwt plugin's (every algorithm it offers), rotates
// keys, simulates JWKS outages, and writes session cookies (compact, jwt, the plugin's JWKS-signed
// jwt). node:crypto and node:http only: no dependency, no WebAssembly, never imported by the
// package's verifying entries (edge and browser bundles resolve `edgejwt/testing` to a stub).
import { createHash, createHmac, generateKeyPairSync, randomInt, sign as cryptoSign, constants } from 'node:crypto'
import { createServer } from 'node:http'

/** The algorithms of Better Auth's jwt plugin (`keyPairConfig.alg`); `EdDSA` is its default. */
export const ALGORITHMS = Object.freeze(['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'])
/** What {@link TestIssuer.outage} can do to the JWKS endpoint. */
export const OUTAGE_MODES = Object.freeze(['fail', 'hang', 'garbage'])
/** The secret session cookies are signed with by default (Better Auth's `BETTER_AUTH_SECRET`). */
export const DEFAULT_SECRET = 'edgejwt-testing-secret-0123456789abcdefghij'
/** The body of a `garbage` outage: a proxy's error page, served with status 200. */
export const GARBAGE_BODY = '<!doctype html><title>502 Bad Gateway</title><h1>upstream unavailable</h1>'

const JWKS_PATH = '/api/auth/jwks'
const SESSION_CACHE_TYP = 'better-auth.session-cache+jwt'
const SESSION_CACHE_AUDIENCE = 'better-auth:session-cache'
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** An id like Better Auth's `generateId()`: 32 random letters and digits. */
const randomId = (length = 32) => Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')
const b64url = (bytes) => Buffer.from(bytes).toString('base64url')
const seconds = (ms) => Math.floor(ms / 1000)

/**
 * The `uuid` claim `token()` gives user `sub` by default: a version-5 UUID of the id (the same
 * in every run, and the same as Python's `edgejwt.testing.user_uuid`).
 * @param {string} sub
 */
export function userUuid(sub) {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex') // RFC 4122 NAMESPACE_URL
  const hash = createHash('sha1').update(namespace).update(`better-auth-user:${sub}`, 'utf8').digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A key pair of one of Better Auth's algorithms, its public JWK and kid. */
function makeKey(alg, kid = randomId()) {
  if (!ALGORITHMS.includes(alg)) {
    throw new TypeError(`alg must be one of ${ALGORITHMS.join(', ')} (Better Auth's jwt plugin), not ${JSON.stringify(alg)}`)
  }
  let pair
  let signWith
  if (alg === 'EdDSA') {
    pair = generateKeyPairSync('ed25519')
    signWith = (data) => cryptoSign(null, data, pair.privateKey)
  } else if (alg === 'ES256' || alg === 'ES512') {
    pair = generateKeyPairSync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-521' })
    const hash = alg === 'ES256' ? 'sha256' : 'sha512'
    signWith = (data) => cryptoSign(hash, data, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
  } else {
    pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
    signWith = alg === 'RS256'
      ? (data) => cryptoSign('sha256', data, pair.privateKey)
      : (data) => cryptoSign('sha256', data, { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
  }
  const jwk = { alg, ...pair.publicKey.export({ format: 'jwk' }), kid }
  return { alg, kid, jwk, sign: signWith, listed: true, removeAt: undefined }
}

/** A compact JWS of `header` and `payload`, as jose's `SignJWT` writes it. */
function encodeJws(header, payload, sign) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
  return `${input}.${b64url(sign(Buffer.from(input, 'ascii')))}`
}

const hs256 = (secret) => (data) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(data).digest()

/** Leaves out members whose value is `undefined` or `null` (a way to remove a default). */
const dropEmpty = (object) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null))

/**
 * Starts a local Better Auth stand-in on 127.0.0.1 (an ephemeral port). See testing.d.ts.
 * @param {{ alg?: string, secret?: string, expiresIn?: number, kid?: string }} [options]
 */
export async function createTestIssuer({ alg = 'EdDSA', secret = DEFAULT_SECRET, expiresIn = 900, kid } = {}) {
  const keys = [makeKey(alg, kid)]
  let mode = null
  let requests = 0
  /** Requests held by a `hang` outage: ended when it ends. */
  const hanging = new Set()

  const listed = () => {
    const now = Date.now()
    return keys.filter((k) => k.listed && (k.removeAt === undefined || now < k.removeAt))
  }
  const jwks = () => ({ keys: listed().reverse().map((k) => ({ ...k.jwk })) })
  const current = () => keys[keys.length - 1]

  const server = createServer((req, res) => {
    const send = (status, body, type) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }
    if (req.method !== 'GET' || new URL(req.url, 'http://x').pathname !== JWKS_PATH) {
      send(404, '{"error":"not found"}', 'application/json')
      return
    }
    requests++
    if (mode === 'hang') {
      hanging.add(res)
      res.on('close', () => hanging.delete(res))
      return
    }
    if (mode === 'fail') send(500, '{"message":"Internal Server Error"}', 'application/json')
    else if (mode === 'garbage') send(200, GARBAGE_BODY, 'text/html')
    else send(200, JSON.stringify(jwks()), 'application/json')
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const baseURL = `http://127.0.0.1:${server.address().port}`

  const endHang = () => {
    for (const res of hanging) res.destroy()
    hanging.clear()
  }
  const setMode = (next) => {
    if (mode === 'hang' && next !== 'hang') endHang()
    mode = next
  }

  const keyFor = (wanted) => (wanted === undefined ? current() : keys.find((k) => k.kid === wanted) ?? current())

  function token(claims = {}, { expiresIn: lifetime = expiresIn, kid: wanted, header = {} } = {}) {
    const key = keyFor(wanted)
    const now = seconds(Date.now())
    // `sub: null` makes a token without `sub` (and without the defaults derived from it).
    const sub = claims.sub === null ? null : claims.sub ?? 'user_1'
    const created = new Date().toISOString()
    const { sub: _sub, exp, iss, aud, ...rest } = claims
    const payload = {
      iat: now,
      id: sub,
      createdAt: created,
      updatedAt: created,
      email: sub === null ? null : `${sub}@example.com`,
      emailVerified: false,
      name: 'Test User',
      uuid: sub === null ? null : userUuid(sub),
      ...rest,
      sub,
      exp: 'exp' in claims ? exp : now + Math.trunc(lifetime),
      iss: 'iss' in claims ? iss : baseURL,
      aud: 'aud' in claims ? aud : baseURL,
    }
    const head = dropEmpty({ alg: key.alg, kid: wanted ?? key.kid, ...header })
    return encodeJws(head, dropEmpty(payload), key.sign)
  }

  function sessionData({ user, session } = {}) {
    const fields = typeof user === 'string' ? { id: user } : { ...(user ?? {}) }
    const userId = String(fields.id ?? 'user_1')
    delete fields.id
    const now = new Date()
    const created = now.toISOString()
    return {
      session: {
        expiresAt: new Date(now.getTime() + 7 * 24 * 3600 * 1000).toISOString(),
        token: randomId(),
        createdAt: created,
        updatedAt: created,
        ipAddress: '',
        userAgent: '',
        userId,
        id: randomId(),
        ...session,
      },
      user: { name: 'Test User', email: `${userId}@example.com`, emailVerified: false, createdAt: created, updatedAt: created, ...fields, id: userId },
      updatedAt: now.getTime(),
      version: '1',
    }
  }

  function sessionCookie({ user, session, data, strategy = 'compact', signedBy = 'secret', expiresIn: maxAge = 300, cookiePrefix = 'better-auth', secure = false } = {}) {
    if (strategy !== 'compact' && strategy !== 'jwt') throw new TypeError(`strategy must be "compact" or "jwt", not ${JSON.stringify(strategy)}`)
    if (signedBy !== 'secret' && signedBy !== 'jwks') throw new TypeError('signedBy must be "secret" or "jwks"')
    if (signedBy === 'jwks' && strategy !== 'jwt') throw new TypeError('signedBy: "jwks" is the jwt plugin\'s session-cache JWT: use it with strategy: "jwt"')
    // Through JSON, as Better Auth's object would be: Dates become strings.
    const payload = JSON.parse(JSON.stringify(data ?? sessionData({ user, session })))
    const nowMs = Date.now()
    let value
    if (strategy === 'compact') {
      const expiresAt = nowMs + Math.trunc(maxAge * 1000)
      const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(JSON.stringify({ ...payload, expiresAt })).digest('base64url')
      value = b64url(JSON.stringify({ session: payload, expiresAt, signature }))
    } else if (signedBy === 'secret') {
      const now = seconds(nowMs)
      value = encodeJws({ alg: 'HS256' }, { ...payload, iat: now, exp: now + Math.trunc(maxAge) }, hs256(secret))
    } else {
      const key = current()
      const now = seconds(nowMs)
      const claims = { ...payload, sid: payload.session.token, iat: now, exp: now + Math.trunc(maxAge), iss: baseURL, aud: SESSION_CACHE_AUDIENCE, sub: payload.user.id }
      value = encodeJws({ alg: key.alg, kid: key.kid, typ: SESSION_CACHE_TYP }, claims, key.sign)
    }
    const prefix = secure ? '__Secure-' : ''
    const sessionToken = String(payload.session.token ?? '')
    const mac = createHmac('sha256', Buffer.from(secret, 'utf8')).update(sessionToken).digest('base64')
    return `${prefix}${cookiePrefix}.session_token=${encodeURIComponent(`${sessionToken}.${mac}`)}; ${prefix}${cookiePrefix}.session_data=${value}`
  }

  let closed = false
  return {
    baseURL,
    jwksURL: `${baseURL}${JWKS_PATH}`,
    secret,
    alg,
    get kid() {
      return current().kid
    },
    get kids() {
      return listed().map((k) => k.kid)
    },
    get requests() {
      return requests
    },
    jwks,
    token,
    headers: (claims, options) => ({ authorization: `Bearer ${token(claims, options)}` }),
    rotate({ gracePeriod, alg: nextAlg = alg } = {}) {
      const key = makeKey(nextAlg)
      if (gracePeriod !== undefined) {
        const until = Date.now() + gracePeriod * 1000
        for (const old of keys) if (old.removeAt === undefined || old.removeAt > until) old.removeAt = until
      }
      keys.push(key)
      return key.kid
    },
    removeKey(wanted) {
      const key = keys.find((k) => k.kid === wanted)
      if (!key) throw new RangeError(`no key ${JSON.stringify(wanted)}`)
      key.listed = false
    },
    outage(outageMode = 'fail', fn) {
      if (!OUTAGE_MODES.includes(outageMode)) throw new TypeError(`outage mode must be one of ${OUTAGE_MODES.join(', ')}, not ${JSON.stringify(outageMode)}`)
      const previous = mode
      setMode(outageMode)
      let ended = false
      const end = () => {
        if (!ended) {
          ended = true
          setMode(previous)
        }
      }
      if (fn) {
        return (async () => {
          try {
            return await fn()
          } finally {
            end()
          }
        })()
      }
      return { end, [Symbol.dispose ?? Symbol.for('Symbol.dispose')]: end }
    },
    sessionData,
    sessionCookie,
    async close() {
      if (closed) return
      closed = true
      endHang()
      server.closeAllConnections?.()
      await new Promise((resolve) => server.close(() => resolve()))
    },
    [Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')]() {
      return this.close()
    },
  }
}
