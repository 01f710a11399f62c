// Option coercion: what users pass (jose's jwtVerify options, Dates, token strings or bytes)
// checked for type and converted to what the core takes. No rules beyond types live here.
import * as errors from './errors.js'

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

export function stringOrArray(name, v) {
  if (typeof v === 'string') return [v]
  if (isStringArray(v)) return [...v]
  throw new TypeError(`"${name}" option must be a string or an array of strings`)
}

function duration(name, v) {
  if (typeof v === 'string') return secs(v)
  if (typeof v === 'number' && Number.isFinite(v)) return v
  throw new TypeError(`Invalid ${name} option type`)
}

export function epoch(date, name = 'currentDate') {
  if (!(date instanceof Date) || !Number.isFinite(date.getTime())) {
    throw new TypeError(`Invalid ${name} option`)
  }
  return Math.floor(date.getTime() / 1000)
}

export function toWasmOptions(options) {
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

export function jwksText(jwks) {
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

export const DEFAULT_MAX_TOKEN_LENGTH = 65536 // the core's DEFAULT_MAX_TOKEN_LENGTH

/**
 * The token as a string, refused before it is copied into wasm memory when it is longer than
 * `max` UTF-8 bytes (the core checks again). A string's UTF-8 length is at least its length in
 * UTF-16 units, so `length > max` never refuses a token the core would accept.
 */
export function tokenText(token, max = DEFAULT_MAX_TOKEN_LENGTH) {
  const size = typeof token === 'string' ? token.length : token instanceof Uint8Array ? token.byteLength : -1
  if (size < 0) throw new errors.JWSInvalid('Compact JWS must be a string or Uint8Array')
  if (size > max) {
    throw new errors.JWSInvalid('Compact JWS exceeds the maximum token length (maxTokenLength)')
  }
  return typeof token === 'string' ? token : decoder.decode(token)
}
