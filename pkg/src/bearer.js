// getBearerToken: the token out of an `Authorization: Bearer <token>` header. Which headers are
// accepted, and the errors and hints for the others, are the core's (`bearer_token`); this file
// only takes the header's value out of the request types JavaScript has.
import { call, glue } from './wasm.js'

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
  if (value !== null && value !== undefined && typeof value !== 'string') {
    throw new TypeError('getBearerToken expects a Request, Headers, a headers object or a string')
  }
  return call(() => glue.bearer_token(value ?? undefined))
}
