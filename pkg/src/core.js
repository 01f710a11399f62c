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

const DEFAULT_MAX_TOKEN_LENGTH = 65536 // the core's DEFAULT_MAX_TOKEN_LENGTH

/**
 * The token as a string, refused before it is copied into wasm memory when it is longer than
 * `max` UTF-8 bytes (the core checks again). A string's UTF-8 length is at least its length in
 * UTF-16 units, so `length > max` never refuses a token the core would accept.
 */
function tokenText(token, max = DEFAULT_MAX_TOKEN_LENGTH) {
  const size = typeof token === 'string' ? token.length : token instanceof Uint8Array ? token.byteLength : -1
  if (size < 0) throw new errors.JWSInvalid('Compact JWS must be a string or Uint8Array')
  if (size > max) {
    throw new errors.JWSInvalid('Compact JWS exceeds the maximum token length (maxTokenLength)')
  }
  return typeof token === 'string' ? token : decoder.decode(token)
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
  #maxTokenLength
  #currentDate
  #inner
  #generation = -1
  #freed = false

  constructor(jwks, options = {}) {
    this.#options = toWasmOptions(options)
    this.#maxTokenLength = options?.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH
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
    this.#inner = this.#remote
      ? call(() => glue.WasmVerifier.remote(this.#jwks, this.#options))
      : call(() => new glue.WasmVerifier(this.#jwks, this.#options))
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
      this.#build() // the set was committed only after the core accepted it
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
      if (err?.code !== 'ERR_JWKS_NO_MATCHING_KEY' || !(await remote.refreshForUnknownKey(this.#remoteGeneration))) throw err
      return this.verify(token, options)
    }
  }

  verify(token, options) {
    const inner = this.#live()
    const date = options?.currentDate ?? this.#currentDate
    const now = date === undefined ? Math.floor(Date.now() / 1000) : epoch(date)
    const text = tokenText(token, this.#maxTokenLength)
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

let shareFetches = true

/**
 * Runtime entries where one request must never await a promise another request created
 * (Cloudflare Workers) call this with false: each request then waits only for its own fetches.
 */
export function setShareFetches(value) {
  shareFetches = value
}

/** Userinfo, query and fragment removed: what an error message may show of a URL. */
function redactUrl(url) {
  const u = new URL(url.href)
  u.username = ''
  u.password = ''
  u.search = ''
  u.hash = ''
  return u.href
}

/** Resolves after `ms` (the timer is cleared by the returned cancel function). */
function sleep(ms) {
  let timer
  const promise = new Promise((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

/** Waits for `promise` at most `ms`; always settles (resolves `undefined` on timeout). */
async function settleWithin(promise, ms) {
  const t = sleep(ms)
  try {
    return await Promise.race([promise.then((v) => v, () => undefined), t.promise])
  } finally {
    t.cancel()
  }
}

/**
 * Reads a response body with a byte cap, streaming: stops (and cancels the stream) as soon as
 * the cap is passed. Returns the bytes, or undefined when the body is too large.
 */
async function readCapped(res, max) {
  const declared = res.headers?.get?.('content-length')
  if (declared !== null && declared !== undefined && Number(declared) > max) {
    res.body?.cancel?.().catch(() => {})
    return undefined
  }
  if (!res.body || typeof res.body.getReader !== 'function') {
    const buf = new Uint8Array(await res.arrayBuffer())
    return buf.byteLength > max ? undefined : buf
  }
  const reader = res.body.getReader()
  const chunks = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

/**
 * A JWKS fetched from a URL and cached, for Verifier. Option names and defaults are jose's
 * createRemoteJWKSet's. Every decision (fetch now? serve the stale set? commit what came
 * back?) is made by the core's cache state machine (src/jwks_cache.rs); this class only
 * performs the fetches it asks for and reports how they ended.
 */
export class RemoteJWKSet {
  #url
  #redacted
  #fetch
  #headers
  #options
  #share
  #machine
  #machineGeneration = -1
  #pending = new Map() // fetch id → promise, only where fetches may be shared
  #fetchedAt = 0
  /** The committed set's JSON text (undefined before the first commit). */
  text
  /** Bumps with each committed set. */
  generation = 0

  constructor(url, options = {}) {
    this.#url = new URL(url)
    if (this.#url.protocol !== 'https:' && this.#url.protocol !== 'http:') {
      throw new TypeError('createRemoteJWKSet: url must be http: or https:')
    }
    this.#redacted = redactUrl(this.#url)
    const num = (name, dflt) => {
      const v = options[name] ?? dflt
      if (typeof v !== 'number' || !(v >= 0)) throw new TypeError(`"${name}" option must be a non-negative number (milliseconds)`)
      return v
    }
    this.#options = {
      cacheMaxAge: num('cacheMaxAge', 600_000),
      cooldown: num('cooldownDuration', 30_000),
      timeout: num('timeoutDuration', 5_000),
    }
    this.#share = shareFetches && globalThis.navigator?.userAgent !== 'Cloudflare-Workers'
    this.#fetch = options.fetch ?? ((...a) => globalThis.fetch(...a))
    this.#headers = options.headers ?? {}
  }

  /** The state machine, (re)created after a module reset with the committed set restored. */
  #m() {
    ensureReady()
    if (!this.#machine || this.#machineGeneration !== generation) {
      const { cacheMaxAge, cooldown, timeout } = this.#options
      const m = call(() => new glue.WasmJwksCache(this.#url.href, cacheMaxAge, cooldown, timeout, this.#share))
      if (this.text !== undefined) call(() => m.restore(this.text, this.#fetchedAt, this.generation))
      this.#machine = m
      this.#machineGeneration = generation
      this.#pending.clear()
    }
    return this.#machine
  }

  /** The core's JWKS size limit: bodies are read up to this many bytes. */
  get #maxBytes() {
    const m = this.#m()
    return call(() => m.max_body_bytes())
  }

  #ask(fn) {
    const m = this.#m()
    return JSON.parse(call(() => fn(m)))
  }

  /** Whether a set is cached and younger than cacheMaxAge. */
  get fresh() {
    const m = this.#m()
    return call(() => m.is_fresh(Date.now()))
  }

  /** The cached set, parsed (undefined before the first fetch). */
  jwks() {
    return this.text === undefined ? undefined : JSON.parse(this.text)
  }

  /** Fetches the set now. Rejects with a coded error when the fetch fails or the set is rejected (the last good set is kept). */
  async reload() {
    const m = this.#m()
    const id = call(() => m.force_fetch(Date.now()))
    const report = await this.#run(id)
    if (report?.result === 'rejected') throw fromInfo(report.error)
    if (report === undefined) throw this.#failure()
  }

  #failure() {
    const m = this.#m()
    return fromInfo(JSON.parse(call(() => m.failure())))
  }

  /**
   * Starts fetch `id` and resolves with the machine's report once it ended, or undefined when
   * it did not end within timeoutDuration (the machine then counts it as timed out). Never
   * rejects, always settles.
   */
  #run(id) {
    const machine = this.#machine
    const done = this.#load(id).then((outcome) => this.#report(machine, id, outcome))
    if (this.#share) {
      this.#pending.set(id, done)
      const forget = () => this.#pending.delete(id)
      done.then(forget, forget)
    }
    return settleWithin(done, this.#options.timeout)
  }

  /** Performs the fetch; resolves with what to report (never rejects). */
  async #load(id) {
    const signal = AbortSignal.timeout(this.#options.timeout)
    try {
      const res = await this.#fetch(this.#url.href, { headers: { accept: 'application/json', ...this.#headers }, signal, redirect: 'manual' })
      if (res.status !== 200) {
        res.body?.cancel?.().catch(() => {})
        return { status: res.status }
      }
      const body = await readCapped(res, this.#maxBytes)
      return body === undefined ? { kind: 'too_large' } : { body }
    } catch (e) {
      if (e?.name === 'TimeoutError' || signal.aborted) return { kind: 'timeout' }
      // The message must not show the URL's userinfo or query.
      const message = String(e?.message ?? e).split(this.#url.href).join(this.#redacted)
      return { kind: 'network', message }
    }
  }

  #report(machine, id, { body, status, kind, message }) {
    if (machine !== this.#machine || this.#machineGeneration !== generation) return undefined // from before a reset
    const now = Date.now()
    const report = JSON.parse(call(() => machine.on_fetched(id, now, body, status, kind, message)))
    if (report.result === 'committed') {
      this.text = machine.text()
      this.#fetchedAt = now
      this.generation = report.generation
    }
    return report
  }

  /** Before a verification: serves, refreshes in the background, fetches or fails as the policy says. */
  async ensureFresh() {
    const action = this.#ask((m) => m.on_request(Date.now()))
    switch (action.do) {
      case 'serve':
        return
      case 'serve_and_fetch':
        this.#run(action.id) // stale-while-revalidate: not awaited
        return
      case 'fetch':
        await this.#run(action.id)
        break
      case 'wait':
        await settleWithin(this.#pending.get(action.id) ?? Promise.resolve(), action.waitMs)
        break
      case 'fail':
        throw fromInfo(action.error)
    }
    if (this.text === undefined) throw this.#failure()
  }

  /**
   * After a token's kid matched no key of the set of generation `seen`: refetches when the
   * policy allows. Resolves whether a newer set is there to retry with.
   */
  async refreshForUnknownKey(seen = this.generation) {
    const action = this.#ask((m) => m.on_unknown_kid(Date.now(), seen))
    switch (action.do) {
      case 'serve':
        return true
      case 'fetch':
        await this.#run(action.id)
        break
      case 'wait':
        await settleWithin(this.#pending.get(action.id) ?? Promise.resolve(), action.waitMs)
        break
      default:
        return false
    }
    return this.generation !== seen
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

const CHUNK_INDEX = /^(0|[1-9][0-9]{0,5})$/

/** The cookie's value, joining chunked `NAME.0`, `NAME.1`, ... in index order. */
function cookieValue(cookies, name) {
  const whole = cookies.get(name)
  if (whole) return whole
  const chunks = []
  for (const [key, value] of cookies) {
    // Chunk indices are plain decimal numbers without leading zeros: `.01` is not chunk 1.
    const suffix = key.startsWith(`${name}.`) ? key.slice(name.length + 1) : ''
    if (CHUNK_INDEX.test(suffix)) chunks.push([Number(suffix), value])
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
  try {
    return readSessionCookieUnredacted(input, options)
  } catch (err) {
    throw withoutSessionData(err)
  }
}

/**
 * Session-cookie errors never carry the session data (it holds the live `session.token`):
 * the JWT errors of the `jwt` strategy lose `payload`, here and in `cause`.
 */
function withoutSessionData(err) {
  if (err && typeof err === 'object' && 'payload' in err) {
    delete err.payload
    if (err.cause && typeof err.cause === 'object' && 'payload' in err.cause) {
      const { payload, ...rest } = err.cause
      err.cause = rest
    }
  }
  return err
}

function readSessionCookieUnredacted(input, options) {
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
