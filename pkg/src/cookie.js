// Better Auth's session cookie cache. The core finds the cookie in the Cookie header and reads
// it for every strategy (src/cookie/); this file takes the header out of a Request, Headers or
// headers object, checks option types, and keeps one core reader per set of options.
import { call, ensureReady, generation, glue } from './wasm.js'
import { epoch, jwksText, stringOrArray } from './options.js'

function cookieHeaderOf(input) {
  if (input === null || input === undefined) return null
  if (typeof input === 'string') return input
  const headers = 'headers' in input && input.headers ? input.headers : input
  if (typeof headers.get === 'function') return headers.get('cookie')
  const v = headers.cookie ?? headers.Cookie
  return Array.isArray(v) ? v.join('; ') : (v ?? null)
}

/** The core's reader options (JSON text) for readSessionCookie's options. */
function readerOptions(options) {
  const { strategy = 'compact', secret, jwks, cookiePrefix = 'better-auth', cookieName = 'session_data', isSecure, issuer, audience, version } = options
  const o = { strategy, cookiePrefix: `${cookiePrefix}`, cookieName: `${cookieName}`, version }
  if (isSecure !== undefined) o.isSecure = Boolean(isSecure)
  if (strategy === 'jwt' && jwks) {
    o.jwks = jwksText(jwks)
    if (issuer) o.issuer = stringOrArray('issuer', issuer)
    if (audience !== undefined && audience !== null) o.audience = stringOrArray('audience', audience)
  } else if (secret !== undefined && secret !== null && secret !== '') {
    if (typeof secret !== 'string') throw new TypeError(`readSessionCookie: the "${strategy}" strategy needs the app's secret (BETTER_AUTH_SECRET)`)
    o.secret = secret
  }
  return JSON.stringify(o)
}

const readers = new Map() // options JSON → { reader, generation }
function readerFor(key) {
  ensureReady()
  let entry = readers.get(key)
  if (!entry || entry.generation !== generation) {
    if (readers.size >= 32) {
      for (const old of readers.values()) if (old.generation === generation) old.reader.free()
      readers.clear()
    }
    entry = { reader: call(() => new glue.WasmSessionCookieReader(key)), generation }
    readers.set(key, entry)
  }
  return entry.reader
}

/**
 * Reads Better Auth's session cookie cache from a Cookie header, Request or Headers. Returns the
 * session data (as Better Auth's getCookieCache), null when there is no such cookie, and throws
 * a coded error when the cookie is present but forged, tampered, expired or unreadable.
 */
export function readSessionCookie(input, options = {}) {
  const { strategy = 'compact', version, currentDate } = options
  if (version !== undefined && typeof version !== 'string') throw new TypeError('"version" option must be a string')
  if (!['compact', 'jwt', 'jwe'].includes(strategy)) throw new TypeError('"strategy" must be "compact", "jwt" or "jwe"')
  const header = cookieHeaderOf(input)
  if (!header) return null
  const key = readerOptions(options)
  const nowMs = currentDate === undefined ? Date.now() : (epoch(currentDate), currentDate.getTime())
  try {
    const reader = readerFor(key)
    const data = call(() => reader.read(header, nowMs))
    return data === undefined ? null : JSON.parse(data)
  } catch (err) {
    throw withoutSessionData(err)
  }
}

/**
 * Session-cookie errors never carry the session data (it holds the live `session.token`): the
 * core sends none, and the claim error classes' `payload` property (undefined) is removed,
 * here and in `cause`.
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
