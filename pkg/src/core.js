// The JavaScript API over the wasm-bindgen glue. Every verification rule lives in Rust; this
// file converts options, results and errors, and keeps the module usable after a trap.
import * as glue from '../dist/edgejwt_wasm.js'
import * as errors from './errors.js'

export { errors }
export { version } from './version.js'

let loader // () => void, set by the runtime entry; loads the wasm synchronously
let loaded = false
let generation = 0 // bumps when the instance is replaced after a trap

/** Runtime entries call this with a synchronous loader (or none, for browsers before init()). */
export function setLoader(fn) {
  loader = fn
}

/** Marks the module as loaded (browser entry, after its async init). */
export function markLoaded() {
  loaded = true
}

export function isLoaded() {
  return loaded
}

function ensureReady() {
  if (loaded) return
  if (!loader) {
    throw new errors.JOSEError(
      'edgejwt: the WebAssembly module is not loaded yet: call `await init()` first',
    )
  }
  loader()
  loaded = true
}

const byCode = {}
for (const C of Object.values(errors)) {
  byCode[C.code] = C
}

/** Builds the error for `{ code, message, claim?, reason?, payload?, hint? }` from the wasm side. */
function fromInfo(info) {
  let err
  if (info.code === errors.JWTExpired.code) {
    err = new errors.JWTExpired(info.message, info.payload, info.claim, info.reason)
  } else if (info.code === errors.JWTClaimValidationFailed.code) {
    err = new errors.JWTClaimValidationFailed(info.message, info.payload, info.claim, info.reason)
  } else {
    const C = byCode[info.code] ?? errors.JOSEError
    err = new C(info.message)
  }
  if (info.hint !== undefined) err.hint = info.hint
  return err
}

/** Converts whatever the wasm glue threw into a jose-style error. */
function convert(e) {
  if (typeof e === 'string') {
    let info
    try {
      info = JSON.parse(e)
    } catch {
      return new errors.JOSEError(e)
    }
    return fromInfo(info)
  }
  // Anything else came from inside the module (a trap, a stack overflow): the instance may be
  // in an inconsistent state, so replace it before the next call.
  try {
    glue.__wbg_reset_state()
  } catch {}
  generation++
  const err = new errors.JOSEError(
    `edgejwt: internal error inside the WebAssembly module (${e && e.message}); the module was reset. This is a bug, please report it.`,
  )
  err.cause = e
  return err
}

function call(fn) {
  ensureReady()
  try {
    return fn()
  } catch (e) {
    throw convert(e)
  }
}

// ---- options (validated like jose's jwtVerify) ----

const REGEX =
  /^(\+|\-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i
const multipliers = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31557600 }

/** jose's time-span parser: "30s", "2 minutes", "1h", ... → seconds. */
export function secs(str) {
  const matched = typeof str === 'string' ? REGEX.exec(str) : null
  if (!matched || (matched[4] && matched[1])) throw new TypeError('Invalid time period format')
  const value = parseFloat(matched[2])
  const n = Math.round(value * multipliers[matched[3][0].toLowerCase()])
  if (!Number.isFinite(n)) throw new TypeError('Invalid time period format')
  return matched[1] === '-' || matched[4] === 'ago' ? -n : n
}

const isStringArray = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string')

function stringOrArray(name, v) {
  if (typeof v === 'string') return [v]
  if (isStringArray(v)) return [...v]
  throw new TypeError(`"${name}" option must be a string or an array of strings`)
}

function duration(name, v) {
  if (typeof v === 'string') return secs(v)
  if (typeof v === 'number' && Number.isFinite(v)) return v
  throw new TypeError(`Invalid ${name} option type`)
}

function epoch(date, name = 'currentDate') {
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
    throw new TypeError(`Invalid ${name} option`)
  }
  return Math.floor(date.getTime() / 1000)
}

function toWasmOptions(options) {
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object') throw new TypeError('options must be an object')
  const o = {}
  if (options.issuer !== undefined) o.issuer = stringOrArray('issuer', options.issuer)
  if (options.audience !== undefined) o.audience = stringOrArray('audience', options.audience)
  if (options.algorithms !== undefined) {
    if (!isStringArray(options.algorithms)) {
      throw new TypeError('"algorithms" option must be an array of strings')
    }
    o.algorithms = [...options.algorithms]
  }
  if (options.clockTolerance !== undefined) {
    o.clockTolerance = duration('clockTolerance', options.clockTolerance)
  }
  if (options.maxTokenAge !== undefined) {
    o.maxTokenAge = duration('maxTokenAge', options.maxTokenAge)
  }
  for (const name of ['subject', 'typ']) {
    if (options[name] !== undefined) {
      if (typeof options[name] !== 'string') throw new TypeError(`"${name}" option must be a string`)
      o[name] = options[name]
    }
  }
  if (options.requiredClaims !== undefined) {
    if (!isStringArray(options.requiredClaims)) {
      throw new TypeError('"requiredClaims" option must be an array of strings')
    }
    o.requiredClaims = [...options.requiredClaims]
  }
  if (options.maxTokenLength !== undefined) {
    const n = options.maxTokenLength
    if (!Number.isSafeInteger(n) || n <= 0) {
      throw new TypeError('"maxTokenLength" option must be a positive integer')
    }
    o.maxTokenLength = n
  }
  if (options.currentDate !== undefined) epoch(options.currentDate)
  return JSON.stringify(o)
}

function jwksText(jwks) {
  if (typeof jwks === 'string') return jwks
  if (jwks === null || typeof jwks !== 'object') {
    throw new errors.JWKSInvalid('JSON Web Key Set malformed')
  }
  try {
    return JSON.stringify(jwks)
  } catch {
    throw new errors.JWKSInvalid('JSON Web Key Set malformed')
  }
}

const decoder = new TextDecoder()

function tokenText(token) {
  if (typeof token === 'string') return token
  if (token instanceof Uint8Array) return decoder.decode(token)
  throw new errors.JWSInvalid('Compact JWS must be a string or Uint8Array')
}

// ---- the API ----

/**
 * Verifies tokens against a JWKS prepared once. See index.d.ts for the documentation.
 */
export class Verifier {
  #jwks
  #remote
  #remoteGeneration = -1
  #options
  #currentDate
  #inner
  #generation = -1
  #freed = false

  constructor(jwks, options = {}) {
    this.#options = toWasmOptions(options)
    this.#currentDate = options?.currentDate
    if (jwks instanceof RemoteJWKSet) {
      // Keys arrive later: built on first use, rebuilt whenever the set is refetched.
      this.#remote = jwks
      return
    }
    this.#jwks = jwksText(jwks)
    this.#build()
  }

  #build() {
    this.#inner = call(() => new glue.WasmVerifier(this.#jwks, this.#options))
    this.#generation = generation
  }

  #live() {
    if (this.#freed) throw new TypeError('edgejwt: this Verifier was freed')
    ensureReady()
    if (this.#remote && this.#remoteGeneration !== this.#remote.generation) {
      const text = this.#remote.text
      if (text === undefined) {
        throw new errors.JWKSNoMatchingKey('the remote JSON Web Key Set has not been fetched yet: use verifyAsync() or await remote.reload() first')
      }
      this.#release()
      this.#jwks = text
      this.#build() // if the module rejects the new set, the next call tries again (same error)
      this.#remoteGeneration = this.#remote.generation
    }
    // After the module was reset, rebuild from the JWKS and options we kept.
    if (this.#generation !== generation || !this.#inner) this.#build()
    return this.#inner
  }

  /**
   * Like verify(), for a Verifier over a remote JWKS: fetches the set when it has none or it is
   * older than cacheMaxAge, and refetches once (cooldown permitting) when the token's kid is
   * unknown, e.g. after key rotation. Never fetches per request otherwise.
   */
  async verifyAsync(token, options) {
    const remote = this.#remote
    if (!remote) return this.verify(token, options)
    await remote.ensureFresh()
    try {
      return this.verify(token, options)
    } catch (err) {
      if (err?.code !== 'ERR_JWKS_NO_MATCHING_KEY' || !(await remote.refreshForUnknownKey())) throw err
      return this.verify(token, options)
    }
  }

  verify(token, options) {
    const inner = this.#live()
    const date = options?.currentDate ?? this.#currentDate
    const now = date === undefined ? Math.floor(Date.now() / 1000) : epoch(date)
    const text = tokenText(token)
    return JSON.parse(call(() => inner.verify(text, now)))
  }

  keys() {
    const inner = this.#live()
    return JSON.parse(call(() => inner.keys()))
  }

  /** Which key `token` selects and why each other key was passed over (the core's report). */
  selection(token) {
    const inner = this.#live()
    const text = tokenText(token)
    return JSON.parse(call(() => inner.selection(text)))
  }

  free() {
    if (this.#freed) return
    this.#freed = true
    this.#release()
  }

  // Frees the inner verifier only if it belongs to the current instance: the glue's free() does
  // not check, and a pointer from a trapped instance would free an unrelated allocation of its
  // replacement (whose finalizers already ignore objects of earlier instances).
  #release() {
    if (this.#inner && this.#generation === generation) {
      try {
        this.#inner.free()
      } catch {}
    }
    this.#inner = undefined
  }

  [Symbol.dispose]() {
    this.free()
  }
}

/**
 * A JWKS fetched from a URL and cached, for Verifier. Option names and defaults are jose's
 * createRemoteJWKSet's.
 */
export class RemoteJWKSet {
  #url
  #fetch
  #headers
  #cacheMaxAge
  #cooldown
  #timeout
  #pending
  #fetchedAt = -Infinity
  #lastAttempt = -Infinity
  text
  generation = 0

  constructor(url, options = {}) {
    this.#url = new URL(url)
    if (this.#url.protocol !== 'https:' && this.#url.protocol !== 'http:') {
      throw new TypeError('createRemoteJWKSet: url must be http: or https:')
    }
    const num = (name, dflt) => {
      const v = options[name] ?? dflt
      if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`"${name}" option must be a non-negative number (milliseconds)`)
      return v
    }
    this.#cacheMaxAge = num('cacheMaxAge', 600_000)
    this.#cooldown = num('cooldownDuration', 30_000)
    this.#timeout = num('timeoutDuration', 5_000)
    this.#fetch = options.fetch ?? ((...a) => globalThis.fetch(...a))
    this.#headers = options.headers ?? {}
  }

  /** Whether a set is cached and younger than cacheMaxAge. */
  get fresh() {
    return this.text !== undefined && Date.now() - this.#fetchedAt < this.#cacheMaxAge
  }

  /** The cached set, parsed (undefined before the first fetch). */
  jwks() {
    return this.text === undefined ? undefined : JSON.parse(this.text)
  }

  /** Fetches the set now; concurrent callers share one request. Keeps the last good set on failure. */
  reload() {
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  async #load() {
    this.#lastAttempt = Date.now()
    const signal = AbortSignal.timeout(this.#timeout)
    let res
    try {
      res = await this.#fetch(this.#url.href, { headers: { accept: 'application/json', ...this.#headers }, signal, redirect: 'manual' })
    } catch (e) {
      if (e?.name === 'TimeoutError' || signal.aborted) throw new errors.JWKSTimeout(`fetching ${this.#url.href} timed out after ${this.#timeout} ms`)
      throw new errors.JOSEError(`fetching ${this.#url.href} failed: ${e?.message ?? e}`, { cause: e })
    }
    if (res.status !== 200) throw new errors.JOSEError(`fetching ${this.#url.href} failed: HTTP ${res.status}`)
    let body
    try {
      body = await res.json()
    } catch (e) {
      throw e?.name === 'TimeoutError' ? new errors.JWKSTimeout(`fetching ${this.#url.href} timed out`) : new errors.JWKSInvalid('JSON Web Key Set malformed')
    }
    if (!body || typeof body !== 'object' || !Array.isArray(body.keys)) throw new errors.JWKSInvalid('JSON Web Key Set malformed')
    this.text = JSON.stringify(body)
    this.#fetchedAt = Date.now()
    this.generation++
  }

  /** Fetches when nothing is cached or the cache is older than cacheMaxAge (keeping the old set if that fails). */
  async ensureFresh() {
    if (this.fresh) return
    try {
      await this.reload()
    } catch (err) {
      if (this.text === undefined) throw err
    }
  }

  /** Refetches for an unknown kid, at most once per cooldownDuration. Resolves whether the set changed. */
  async refreshForUnknownKey() {
    if (this.#pending) {
      const before = this.generation
      await this.#pending.catch(() => {})
      return this.generation !== before
    }
    if (Date.now() - this.#lastAttempt < this.#cooldown) return false
    const before = this.generation
    try {
      await this.reload()
    } catch {
      return false
    }
    return this.generation !== before
  }
}

/** A JWKS fetched from `url` and cached (jose's createRemoteJWKSet options and defaults). */
export function createRemoteJWKSet(url, options) {
  return new RemoteJWKSet(url, options)
}

// ---- Better Auth session cookie cache ----

function cookieHeaderOf(input) {
  if (input === null || input === undefined) return null
  if (typeof input === 'string') return input
  const headers = 'headers' in input && input.headers ? input.headers : input
  if (typeof headers.get === 'function') return headers.get('cookie')
  const v = headers.cookie ?? headers.Cookie
  return Array.isArray(v) ? v.join('; ') : (v ?? null)
}

/** Better Auth's parseCookies: `;`-separated, trimmed, unquoted, percent-decoded when needed. */
function parseCookies(header) {
  const map = new Map()
  for (const chunk of header.split(';')) {
    const eq = chunk.indexOf('=')
    if (eq === -1) continue
    const key = chunk.slice(0, eq).trim()
    let val = chunk.slice(eq + 1).trim()
    if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1)
    if (val.includes('%')) {
      try {
        val = decodeURIComponent(val)
      } catch {}
    }
    if (!map.has(key)) map.set(key, val)
  }
  return map
}

/** The cookie's value, joining chunked `NAME.0`, `NAME.1`, ... in index order. */
function cookieValue(cookies, name) {
  const whole = cookies.get(name)
  if (whole) return whole
  const chunks = []
  for (const [key, value] of cookies) {
    if (key.startsWith(`${name}.`)) {
      const index = Number.parseInt(key.slice(name.length + 1), 10)
      if (Number.isInteger(index)) chunks.push([index, value])
    }
  }
  return chunks.length ? chunks.sort((a, b) => a[0] - b[0]).map((c) => c[1]).join('') : null
}

const cookieVerifiers = new Map()
function cachedVerifier(key, make) {
  let v = cookieVerifiers.get(key)
  if (!v) {
    if (cookieVerifiers.size >= 32) cookieVerifiers.clear()
    v = make()
    cookieVerifiers.set(key, v)
  }
  return v
}

/**
 * Reads Better Auth's session cookie cache from a Cookie header, Request or Headers. Returns the
 * session data (as Better Auth's getCookieCache), null when there is no such cookie, and throws
 * a coded error when the cookie is present but forged, tampered, expired or unreadable.
 */
export function readSessionCookie(input, options = {}) {
  const { strategy = 'compact', secret, jwks, cookiePrefix = 'better-auth', cookieName = 'session_data', isSecure, issuer, audience, version, currentDate } = options
  if (version !== undefined && typeof version !== 'string') throw new TypeError('"version" option must be a string')
  if (!['compact', 'jwt', 'jwe'].includes(strategy)) throw new TypeError('"strategy" must be "compact", "jwt" or "jwe"')
  const header = cookieHeaderOf(input)
  if (!header) return null
  const cookies = parseCookies(header)
  const base = `${cookiePrefix}.${cookieName}`
  const names = isSecure === undefined ? [`__Secure-${base}`, base] : [isSecure ? `__Secure-${base}` : base]
  let value = null
  for (const name of names) {
    value = cookieValue(cookies, name)
    if (value) break
  }
  if (!value) return null
  const nowMs = currentDate === undefined ? Date.now() : (epoch(currentDate), currentDate.getTime())
  const needSecret = () => {
    if (typeof secret !== 'string' || !secret) throw new TypeError(`readSessionCookie: the "${strategy}" strategy needs the app's secret (BETTER_AUTH_SECRET)`)
    return secret
  }
  if (strategy === 'compact' || strategy === 'jwe') {
    const s = needSecret()
    return JSON.parse(call(() => glue.read_session_cookie(strategy, value, s, nowMs, version)))
  }
  // jwt: signed by the jwt plugin's keys (JWKS), or HS256 with the secret.
  const at = { currentDate: new Date(nowMs) }
  let payload
  if (jwks) {
    const opts = { typ: 'better-auth.session-cache+jwt', audience: audience ?? 'better-auth:session-cache', clockTolerance: 15, ...(issuer ? { issuer } : {}) }
    const text = jwksText(jwks)
    payload = cachedVerifier(`jwks:${text}:${JSON.stringify(opts)}`, () => new Verifier(text, opts)).verify(value, at).payload
  } else {
    const s = needSecret()
    const k = bytesToBase64url(new TextEncoder().encode(s))
    payload = cachedVerifier(`secret:${s}`, () => new Verifier({ keys: [{ kty: 'oct', k }] })).verify(value, at).payload
  }
  call(() => glue.check_session_data(JSON.stringify(payload), nowMs, version, Boolean(jwks)))
  return payload
}

function bytesToBase64url(bytes) {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const BEARER = /^\s*bearer\s+([^\s]+)\s*$/i

/**
 * Extracts the token from an `Authorization: Bearer <token>` header. Accepts a Request, a
 * Headers object, a Node.js headers object (`req.headers`) or the header value itself.
 */
export function getBearerToken(input) {
  let value = input
  if (input && typeof input === 'object') {
    const headers = 'headers' in input && input.headers ? input.headers : input
    value = typeof headers.get === 'function' ? headers.get('authorization') : (headers.authorization ?? headers.Authorization)
    if (Array.isArray(value)) value = value[0]
  }
  if (value === null || value === undefined || value === '') {
    const err = new errors.JWSInvalid('no Authorization header: expected "Authorization: Bearer <token>"')
    err.hint = 'send the JWT (not the session cookie) as "Authorization: Bearer <token>"; with Better Auth get it from /api/auth/token or the set-auth-jwt header'
    throw err
  }
  if (typeof value !== 'string') throw new TypeError('getBearerToken expects a Request, Headers, a headers object or a string')
  const m = BEARER.exec(value)
  if (!m) {
    const err = new errors.JWSInvalid('malformed Authorization header: expected "Bearer <token>"')
    err.hint = 'the header must be the word Bearer, one space, then the token'
    throw err
  }
  return m[1]
}

/** Decodes a JWT's payload without verifying anything. */
export function decodeJwt(token) {
  const text = tokenText(token)
  return JSON.parse(call(() => glue.decode(text))).payload
}

/** Decodes a JWS/JWT protected header without verifying anything. */
export function decodeProtectedHeader(token) {
  const text = tokenText(token)
  return JSON.parse(call(() => glue.decode_protected_header(text)))
}

/** Testing hooks (not part of the public API). */
export const __internal = {
  memoryBytes() {
    ensureReady()
    return glue.initSync().memory.buffer.byteLength
  },
  trap() {
    return call(() => glue.__trap())
  },
  get generation() {
    return generation
  },
}
