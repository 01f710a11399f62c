// edgejwt/client: the browser half of the bridge. Gets a JWT from Better Auth's
// `GET /api/auth/token` (with the session cookie), keeps it in memory until shortly before it
// expires, shares one refresh among concurrent callers, sends it as `Authorization: Bearer`, and
// after a 401 `invalid_token` challenge refreshes once and retries once. Loads no wasm and
// verifies nothing (the API does): plain fetch, for browsers, server components and Node.

/** Base class of this module's errors; `code` says what happened. */
export class TokenClientError extends Error {
  /** @param {string} message @param {string} code @param {number | undefined} status @param {unknown} [cause] */
  constructor(message, code, status, cause) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'TokenClientError'
    this.code = code
    this.status = status
  }
}

/** No Better Auth session: the token endpoint answered 401, or no token. Sign the user in again. */
export class SignedOutError extends TokenClientError {
  /** @param {string} message @param {number | undefined} status */
  constructor(message, status) {
    super(message, 'ERR_SIGNED_OUT', status)
    this.name = 'SignedOutError'
  }
}

const DEFAULT_TOKEN_PATH = '/api/auth/token'
const MAX_MARGIN_MS = 10_000

/** The JSON payload of a JWT, unverified; `null` when it is not a JWT with a JSON object payload. */
function decodePayload(token) {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/')
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
    const payload = JSON.parse(json)
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : null
  } catch {
    return null
  }
}

/**
 * How long (ms, on this machine's clock) a token fetched at `receivedAt` may be used. The
 * lifetime is `exp - iat` as the server signed it, counted from when the token arrived, so a
 * wrong client clock neither keeps an expired token nor discards a fresh one; minus a margin of
 * 10% of the lifetime, at most 10 s (or `margin` when given).
 */
function usableUntil(payload, receivedAt, margin) {
  const { exp, iat } = payload
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return receivedAt // unknown lifetime: use once
  const lifetime = typeof iat === 'number' && Number.isFinite(iat) && iat <= exp ? (exp - iat) * 1000 : exp * 1000 - receivedAt
  const m = margin ?? Math.min(MAX_MARGIN_MS, lifetime / 10)
  return receivedAt + lifetime - m
}

/** Whether a 401's `WWW-Authenticate` is a Bearer challenge with `error="invalid_token"`. */
export function isInvalidTokenChallenge(response) {
  if (response.status !== 401) return false
  // The Bearer challenge among those listed (`Basic realm="x", Bearer error="invalid_token"`).
  const challenge = response.headers.get('www-authenticate') ?? ''
  const bearer = /(?:^|,)\s*bearer\b(.*)$/is.exec(challenge)
  return bearer !== null && /^(?:\s+|.*,\s*)error\s*=\s*"?invalid_token"?(?:[\s,]|$)/is.test(bearer[1])
}

/**
 * Creates a token client for a Better Auth app at `baseURL`. See client.d.ts for the options.
 * @param {{ baseURL?: string | URL, tokenPath?: string, fetch?: typeof fetch, headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>), refreshMargin?: number }} [options]
 */
export function createTokenClient(options = {}) {
  const { tokenPath = DEFAULT_TOKEN_PATH, headers: tokenHeaders, refreshMargin } = options
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = () => Date.now()
  const base = options.baseURL ?? globalThis.location?.origin
  if (base === undefined) throw new TypeError('createTokenClient: baseURL is required outside a browser (the Better Auth app\'s URL)')
  const tokenURL = new URL(tokenPath, String(base)).href
  if (refreshMargin !== undefined && !(refreshMargin >= 0)) throw new TypeError('createTokenClient: refreshMargin must be a number of milliseconds ≥ 0')

  /** @type {{ token: string, until: number } | null} */
  let current = null
  /** @type {Promise<string> | null} */
  let inflight = null
  let generation = 0 // bumped by clear(): a refresh started before it does not repopulate the cache

  async function requestToken() {
    const extra = typeof tokenHeaders === 'function' ? await tokenHeaders() : tokenHeaders
    const headers = new Headers(extra)
    if (!headers.has('accept')) headers.set('accept', 'application/json')
    let res
    try {
      res = await fetchImpl(tokenURL, { method: 'GET', credentials: 'include', headers })
    } catch (err) {
      throw new TokenClientError(`could not reach the token endpoint ${tokenURL}: ${err?.message ?? err}`, 'ERR_TOKEN_REQUEST_FAILED', undefined, err)
    }
    if (res.status === 401) {
      await res.body?.cancel().catch(() => {})
      throw new SignedOutError('not signed in: the token endpoint answered 401 (no Better Auth session)', 401)
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {})
      throw new TokenClientError(`the token endpoint ${tokenURL} answered ${res.status}`, 'ERR_TOKEN_REQUEST_FAILED', res.status)
    }
    let body
    try {
      body = await res.json()
    } catch (err) {
      throw new TokenClientError(`the token endpoint ${tokenURL} did not answer JSON`, 'ERR_TOKEN_INVALID', res.status, err)
    }
    const token = body?.token
    if (token === undefined || token === null || token === '') {
      throw new SignedOutError('not signed in: the token endpoint returned no token', res.status)
    }
    if (typeof token !== 'string' || decodePayload(token) === null) {
      throw new TokenClientError('the token endpoint did not return a JWT (is the jwt() plugin enabled?)', 'ERR_TOKEN_INVALID', res.status)
    }
    return token
  }

  function refresh() {
    if (inflight) return inflight
    const started = generation
    const p = requestToken().then(
      (token) => {
        if (started === generation) current = { token, until: usableUntil(decodePayload(token), now(), refreshMargin) }
        return token
      },
      (err) => {
        if (started === generation && err instanceof SignedOutError) current = null
        throw err
      },
    )
    inflight = p
    const done = () => {
      if (inflight === p) inflight = null
    }
    p.then(done, done)
    return p
  }

  /** A usable token: the cached one, or a fresh one (one request shared by concurrent callers). */
  async function getToken({ forceRefresh = false } = {}) {
    if (!forceRefresh && current && now() < current.until) return current.token
    if (forceRefresh && current) current = null
    return refresh()
  }

  /** `fetch` with `Authorization: Bearer <token>`; one refresh and one retry after `invalid_token`. */
  async function authorizedFetch(input, init) {
    const request = new Request(input, init)
    const send = (token) => {
      const attempt = request.clone()
      attempt.headers.set('authorization', `Bearer ${token}`)
      return fetchImpl(attempt)
    }
    const token = await getToken()
    const first = await send(token)
    if (!isInvalidTokenChallenge(first)) return first
    // The API rejected the token (expired early, a key it does not know yet, revoked): drop it
    // unless another caller already replaced it, get a new one, try once more.
    await first.body?.cancel().catch(() => {})
    if (current?.token === token) current = null
    return send(await getToken())
  }

  function clear() {
    generation++
    current = null
    inflight = null
  }

  return { getToken, fetch: authorizedFetch, clear }
}
