// getBearerToken: the token out of an `Authorization: Bearer <token>` header.
import * as errors from './errors.js'

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
