/**
 * `edgejwt/client`: the browser half of a Better Auth → API bridge. It loads no WebAssembly and
 * verifies nothing (your API does, e.g. with `edgejwt` or `edgejwt.fastapi`): it gets a JWT from
 * Better Auth's `GET /api/auth/token` with the session cookie, keeps it **in memory only** until
 * shortly before it expires, and sends it as `Authorization: Bearer`.
 *
 * ```ts
 * import { createTokenClient, SignedOutError } from 'edgejwt/client'
 *
 * const api = createTokenClient({ baseURL: 'http://localhost:3000' }) // your Better Auth app
 * try {
 *   const res = await api.fetch(`${process.env.NEXT_PUBLIC_API_URL}/tasks`)
 * } catch (err) {
 *   if (err instanceof SignedOutError) router.push('/sign-in')
 * }
 * // after authClient.signOut(): api.clear()
 * ```
 *
 * @module
 */

/** Options of {@link createTokenClient}. */
export interface TokenClientOptions {
  /**
   * The Better Auth app's URL (its `baseURL`, e.g. `BETTER_AUTH_URL`). Default in a browser:
   * the page's origin. Required elsewhere.
   */
  baseURL?: string | URL
  /** Path of the jwt plugin's token endpoint, relative to `baseURL`. Default `"/api/auth/token"`. */
  tokenPath?: string
  /**
   * The `fetch` used for the token endpoint and for {@link TokenClient.fetch}. Default:
   * `globalThis.fetch`. The token request is sent with `credentials: "include"` so that the
   * browser attaches the session cookie.
   */
  fetch?: (input: Request | string | URL, init?: RequestInit) => Promise<Response>
  /**
   * Extra headers for the token request only, e.g. in a server component, where there is no
   * cookie jar: `headers: async () => ({ cookie: (await headers()).get('cookie') ?? '' })`.
   * (There, create one client per request: a client holds one user's token.)
   */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>)
  /**
   * How long before the token's end of life to fetch a new one, in milliseconds. Default: 10% of
   * its lifetime, at most 10 s (1.5 s for a 15-second token, 10 s for Better Auth's 15 minutes).
   */
  refreshMargin?: number
}

/** What {@link createTokenClient} returns. Independent of Better Auth's `authClient`: use both. */
export interface TokenClient {
  /**
   * A JWT for the signed-in user: the one in memory while it is usable, otherwise a new one from
   * the token endpoint; concurrent callers share one request. The lifetime is the token's
   * `exp - iat` counted from when it arrived (the payload is decoded, not verified), so a wrong
   * clock on this machine does not matter. `forceRefresh` skips the one in memory.
   *
   * @throws {SignedOutError} when there is no session (the endpoint answered 401, or no token).
   * @throws {TokenClientError} `ERR_TOKEN_REQUEST_FAILED` (network error, other status) or
   *   `ERR_TOKEN_INVALID` (the answer holds no JWT: is the `jwt()` plugin enabled?).
   */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>
  /**
   * `fetch(input, init)` with `Authorization: Bearer <token>`. When the answer is a 401 whose
   * `WWW-Authenticate` is a Bearer challenge with `error="invalid_token"` (what
   * `edgejwt.fastapi` and RFC 6750 servers send for an expired, unknown-key or revoked token),
   * it fetches a new token and retries once; any other answer (403, 400, 503, a bare `Bearer`
   * challenge, a second 401) is returned as it is. A cross-origin API must expose
   * `WWW-Authenticate` (`Access-Control-Expose-Headers`) for the retry to see it. Request bodies
   * are buffered by the `Request` so that the retry can resend them.
   *
   * @throws {SignedOutError} when there is no session. Whatever `fetch` throws.
   */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>
  /** Forgets the token (call it on sign-out); a refresh already running is not kept. */
  clear(): void
}

/** Creates a {@link TokenClient} for the Better Auth app at `options.baseURL`. */
export declare function createTokenClient(options?: TokenClientOptions): TokenClient

/**
 * Whether `response` is a 401 with a `WWW-Authenticate: Bearer error="invalid_token"` challenge
 * (the only answer after which {@link TokenClient.fetch} refreshes and retries).
 */
export declare function isInvalidTokenChallenge(response: Response): boolean

/** The error codes of this module. */
export type TokenClientErrorCode = 'ERR_SIGNED_OUT' | 'ERR_TOKEN_REQUEST_FAILED' | 'ERR_TOKEN_INVALID'

/** Base class of this module's errors. */
export declare class TokenClientError extends Error {
  /** What happened: `ERR_SIGNED_OUT`, `ERR_TOKEN_REQUEST_FAILED` or `ERR_TOKEN_INVALID`. */
  readonly code: TokenClientErrorCode
  /** The token endpoint's HTTP status, when it answered. */
  readonly status: number | undefined
  constructor(message: string, code: TokenClientErrorCode, status?: number, cause?: unknown)
}

/**
 * There is no Better Auth session (`code` `"ERR_SIGNED_OUT"`): the token endpoint answered 401
 * or returned no token. Send the user to sign in.
 */
export declare class SignedOutError extends TokenClientError {
  readonly code: 'ERR_SIGNED_OUT'
  constructor(message: string, status?: number)
}
