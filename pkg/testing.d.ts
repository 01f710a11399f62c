/**
 * `edgejwt/testing` (Node only): a local Better Auth for your tests, so they never run Better
 * Auth. It serves a Better Auth-shaped JWKS at a real URL on 127.0.0.1, mints tokens shaped like
 * the jwt plugin's for every algorithm it offers, rotates keys, takes the JWKS endpoint down, and
 * writes session cookies. node:crypto and node:http only; edge and browser bundles get a stub
 * that throws, and the verifying entries never import it.
 *
 * ```ts
 * import { createTestIssuer } from 'edgejwt/testing'
 *
 * const issuer = await createTestIssuer({ alg: 'EdDSA' })
 * const verifier = new Verifier(createRemoteJWKSet(new URL(issuer.jwksURL)), { issuer: issuer.baseURL, audience: issuer.baseURL })
 * await verifier.verifyAsync(issuer.token({ sub: 'user_1', role: 'admin' }))
 * await issuer.close()
 * ```
 *
 * @module
 */

/** The algorithms of Better Auth's jwt plugin (`keyPairConfig.alg`); `EdDSA` is its default. */
export type TestAlgorithm = 'EdDSA' | 'ES256' | 'ES512' | 'RS256' | 'PS256'
/** What {@link TestIssuer.outage} does to the JWKS endpoint: answer 500, never answer, or answer 200 with HTML. */
export type OutageMode = 'fail' | 'hang' | 'garbage'

/** The algorithms of Better Auth's jwt plugin. */
export declare const ALGORITHMS: readonly TestAlgorithm[]
/** The outage modes. */
export declare const OUTAGE_MODES: readonly OutageMode[]
/** The secret session cookies are signed with unless `createTestIssuer({ secret })` says otherwise. */
export declare const DEFAULT_SECRET: string
/** The body a `garbage` outage serves (status 200, `text/html`). */
export declare const GARBAGE_BODY: string

/** The `uuid` claim `token()` gives user `sub` by default (a version-5 UUID of the id; equal to Python's `edgejwt.testing.user_uuid`). */
export declare function userUuid(sub: string): string

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** The jwt plugin's `keyPairConfig.alg`. Default `"EdDSA"` (the plugin's default). */
  alg?: TestAlgorithm
  /** `BETTER_AUTH_SECRET`, for session cookies. Default {@link DEFAULT_SECRET}. */
  secret?: string
  /** Lifetime of tokens, seconds. Default 900 (the plugin's 15 minutes). */
  expiresIn?: number
  /** The first key's `kid`. Default: 32 random letters and digits, like Better Auth's. */
  kid?: string
}

/** One public JWK as `/api/auth/jwks` lists it. */
export interface TestJWK {
  kty: string
  kid: string
  alg: TestAlgorithm
  crv?: string
  x?: string
  y?: string
  n?: string
  e?: string
  [member: string]: unknown
}

/**
 * Claims of {@link TestIssuer.token}: replace or add any claim; `null` (or `undefined`) leaves a
 * claim out (`{ exp: null }`: a token without `exp`).
 */
export interface TestClaims {
  /** The user id. Default `"user_1"`; `null`: a token without `sub`, `id`, `email` and `uuid`. */
  sub?: string | null
  /** Default `userUuid(sub)`. */
  uuid?: string | null
  /** Default `` `${sub}@example.com` ``. */
  email?: string | null
  /** Default `"Test User"`. */
  name?: string | null
  iss?: string | null
  aud?: string | string[] | null
  iat?: number | null
  exp?: number | null
  [claim: string]: unknown
}

/** Options of {@link TestIssuer.token}. */
export interface TokenOptions {
  /** Seconds from now to `exp`; negative for a token that has already expired. Default: the issuer's `expiresIn`. */
  expiresIn?: number
  /**
   * Sign with this key (a rotated or removed one). A `kid` the issuer never had is written in
   * the header of a token signed with the current key.
   */
  kid?: string
  /** More header members (`{ typ: 'JWT' }`); `null` removes one. */
  header?: Record<string, unknown>
}

/** The session data Better Auth keeps in its cookie cache. */
export interface TestSessionData {
  session: { expiresAt: string; token: string; createdAt: string; updatedAt: string; ipAddress: string; userAgent: string; userId: string; id: string; [field: string]: unknown }
  user: { id: string; name: string; email: string; emailVerified: boolean; createdAt: string; updatedAt: string; [field: string]: unknown }
  updatedAt: number
  version: string
}

/** Options of {@link TestIssuer.sessionData}. */
export interface SessionDataOptions {
  /** A user id, or user fields over the defaults (`user_1`, `{id}@example.com`, `"Test User"`). */
  user?: string | Record<string, unknown>
  /** Session fields over the defaults (`expiresAt` in 7 days, random `token` and `id`). */
  session?: Record<string, unknown>
}

/** Options of {@link TestIssuer.sessionCookie}. */
export interface SessionCookieOptions extends SessionDataOptions {
  /** Better Auth's `session.cookieCache.strategy`. Default `"compact"`. */
  strategy?: 'compact' | 'jwt'
  /** `"jwks"` (with `strategy: "jwt"`): the jwt plugin's `sessionCookieCache: true` JWT, signed with the current key. Default `"secret"`. */
  signedBy?: 'secret' | 'jwks'
  /** The whole session data instead of `user` and `session`. */
  data?: TestSessionData | Record<string, unknown>
  /** The cookie cache's `maxAge`, seconds (negative: already expired). Default 300. */
  expiresIn?: number
  /** `advanced.cookiePrefix`. Default `"better-auth"`. */
  cookiePrefix?: string
  /** The `__Secure-` cookie names (an https base URL). Default `false`. */
  secure?: boolean
}

/** Options of {@link TestIssuer.rotate}. */
export interface RotateOptions {
  /** Seconds the previous keys stay in the JWKS. Default: until `removeKey` (Better Auth keeps them 30 days); `0`: removed at once. */
  gracePeriod?: number
  /** The new key's algorithm. Default: the issuer's. */
  alg?: TestAlgorithm
}

/** An outage in progress: `end()` brings the endpoint back (it is also `Symbol.dispose`, for `using`). */
export interface Outage {
  end(): void
}

/** A running local Better Auth stand-in. */
export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: what `BETTER_AUTH_URL` is; the tokens' `iss` and `aud`. */
  readonly baseURL: string
  /** `${baseURL}/api/auth/jwks`, served as Better Auth serves it. */
  readonly jwksURL: string
  /** The secret session cookies are signed with. */
  readonly secret: string
  /** The first key's algorithm. */
  readonly alg: TestAlgorithm
  /** The current signing key's `kid`. */
  readonly kid: string
  /** The kids the JWKS lists now, oldest first. */
  readonly kids: string[]
  /** JWKS requests received (failed ones too). */
  readonly requests: number
  /** The JWKS the endpoint serves now (newest key first). */
  jwks(): { keys: TestJWK[] }
  /**
   * A JWT as the jwt plugin issues it: header `{ alg, kid }` (no `typ`); payload `iat`, the user
   * (`id`, `createdAt`, `updatedAt`, `email`, `emailVerified`, `name`), `uuid`, your claims, then
   * `sub`, `exp`, `iss` and `aud` (both `baseURL`).
   */
  token(claims?: TestClaims, options?: TokenOptions): string
  /** `{ authorization: 'Bearer <token>' }`. */
  headers(claims?: TestClaims, options?: TokenOptions): { authorization: string }
  /** A new signing key (Better Auth's rotation); returns its `kid`. */
  rotate(options?: RotateOptions): string
  /** Takes a key out of the JWKS (tokens can still be signed with it). Throws `RangeError` for an unknown kid. */
  removeKey(kid: string): void
  /**
   * Takes the JWKS endpoint down: `"fail"` answers 500, `"hang"` never answers (until the
   * outage ends, then drops the connection), `"garbage"` answers 200 with HTML. With `fn`, the
   * outage lasts while `fn` runs; without, until `end()`.
   */
  outage<T>(mode: OutageMode, fn: () => T | Promise<T>): Promise<T>
  outage(mode?: OutageMode): Outage
  /** The session data Better Auth keeps in its cookie cache. */
  sessionData(options?: SessionDataOptions): TestSessionData
  /**
   * A `Cookie` header value as a signed-in browser sends it: `better-auth.session_token` and the
   * cookie cache `better-auth.session_data` (read by Better Auth's `getCookieCache` and by
   * edgejwt's `readSessionCookie`).
   */
  sessionCookie(options?: SessionCookieOptions): string
  /** Stops the server (requests hanging in an outage are dropped). */
  close(): Promise<void>
}

/** Starts a local Better Auth stand-in on 127.0.0.1 (an ephemeral port). Close it after the test. */
export declare function createTestIssuer(options?: TestIssuerOptions): Promise<TestIssuer>
