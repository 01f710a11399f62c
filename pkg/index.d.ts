/**
 * edgejwt: synchronous JWT/JWKS verification in WebAssembly, with jose's API shape, options and
 * error codes. Keys are prepared once, when a {@link Verifier} is built.
 *
 * @packageDocumentation
 */

/** Recognised JWT Claims Set members; any other members are allowed. */
export interface JWTPayload {
  /** Issuer. Better Auth: the app's base URL. */
  iss?: string
  /** Subject. Better Auth: the user id. */
  sub?: string
  /** Audience. Better Auth: the app's base URL. */
  aud?: string | string[]
  /** JWT ID. */
  jti?: string
  /** Not before (seconds since the epoch). */
  nbf?: number
  /** Expiration time (seconds since the epoch). */
  exp?: number
  /** Issued at (seconds since the epoch). */
  iat?: number
  /** Any other claim (user fields, custom claims such as `uuid`). */
  [propName: string]: unknown
}

/** JWS protected header members; any other members are allowed. */
export interface JWSHeaderParameters {
  /** The signature algorithm, e.g. `"EdDSA"`. */
  alg: string
  /** The key id that selects the JWKS key. */
  kid?: string
  /** Media type of the token, e.g. `"JWT"`. */
  typ?: string
  /** Critical extensions (only `b64` is understood; others fail with ERR_JOSE_NOT_SUPPORTED). */
  crit?: string[]
  /** Any other header member (`jku`, `x5u`, `jwk` are never used to find keys). */
  [propName: string]: unknown
}

/** One JSON Web Key. */
export interface JWK {
  kty?: string
  kid?: string
  alg?: string
  use?: string
  key_ops?: string[]
  crv?: string
  x?: string
  y?: string
  n?: string
  e?: string
  /** `oct` keys only: the shared secret (base64url). */
  k?: string
  [propName: string]: unknown
}

/** A JSON Web Key Set, e.g. the body of Better Auth's `/api/auth/jwks`. */
export interface JSONWebKeySet {
  keys: JWK[]
}

// BEGIN GENERATED algorithms: edgejwt-gen writes this part, do not edit
/** A signature algorithm edgejwt verifies. */
export type Algorithm =
  | 'EdDSA'
  | 'Ed25519'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'HS256'
  | 'HS384'
  | 'HS512'
// END GENERATED algorithms

/** Options for {@link Verifier}; the meanings are those of jose's `jwtVerify` options. */
export interface VerifyOptions {
  /** Expected `iss`: the token's `iss` must equal this (or one of these). Compared exactly. */
  issuer?: string | string[]
  /** Expected audience: the token's `aud` (string or array) must contain this (or one of these). */
  audience?: string | string[]
  /**
   * Allowed `alg` values. A token with another `alg` fails with `ERR_JOSE_ALG_NOT_ALLOWED`.
   * Default: any algorithm for which the JWKS has a key of the right type.
   */
  algorithms?: (Algorithm | (string & {}))[]
  /** Leeway for `exp`, `nbf` and `maxTokenAge`: seconds, or a time span such as `"30s"`. */
  clockTolerance?: number | string
  /** Maximum age since `iat` (then required): seconds, or a time span such as `"1h"`. */
  maxTokenAge?: number | string
  /** Expected `sub`. */
  subject?: string
  /** Expected header `typ` (`"JWT"` matches `"application/jwt"`, case-insensitively). */
  typ?: string
  /** Claims that must be present, e.g. `["uuid"]`. */
  requiredClaims?: string[]
  /** The time to verify at. Default: the current time, read at each `verify` call. */
  currentDate?: Date
  /** Longest token accepted, in bytes (default 65536); longer ones fail with `ERR_JWS_INVALID`. */
  maxTokenLength?: number
}

/** Per-call options of {@link Verifier.verify}. */
export interface VerifyCallOptions {
  /** The time to verify at (overrides the verifier's `currentDate`). */
  currentDate?: Date
}

/** What a successful verification returns. */
export interface JWTVerifyResult<PayloadType = JWTPayload> {
  /** The JWT Claims Set. */
  payload: PayloadType & JWTPayload
  /** The protected header. */
  protectedHeader: JWSHeaderParameters
}

/** Description of one JWKS key, from {@link Verifier.keys}. */
export interface KeyInfo {
  kid: string | null
  kty: string | null
  alg: string | null
  crv: string | null
  use: string | null
  /** RSA modulus size, curve size, or secret length, in bits. */
  bits: number | null
  /** Whether a token could be verified with this key. */
  usable: boolean
  /** Why not, when it is not. */
  reason: string | null
  /**
   * What is wrong with the key (the core's checks, as the command line and the debugging page
   * show them): `unusable`, `use-not-sig`, `no-kid` (several keys, this one without a kid) or
   * `duplicate-kid`.
   */
  problems: { id: 'unusable' | 'use-not-sig' | 'no-kid' | 'duplicate-kid'; message: string }[]
}

/** How one key of the set fares for a token, in {@link SelectionReport}. */
export interface KeyVerdict {
  /**
   * `fits`; `fits_but_unusable` (selected, but malformed or too weak: `ERR_JWK_INVALID`); or the
   * rule the key fails: `kid_differs`, `kty_differs`, `alg_differs`, `use_not_sig`,
   * `key_ops_lack_verify`.
   */
  verdict: string
  /** The rule, or the unusable key's problem, in words (`null` for `fits`). */
  reason: string | null
}

/** From {@link Verifier.selection}: one verdict per key, in the order of {@link Verifier.keys}. */
export interface SelectionReport {
  /** Index of the key the token selects; `null` when none fits or several do. */
  selected: number | null
  keys: KeyVerdict[]
}

/**
 * Verifies JWTs against a JWKS that is parsed and prepared once, here. Verification is
 * synchronous and never re-imports a key.
 *
 * @example
 * ```js
 * const verifier = new Verifier(jwks, { issuer: 'http://localhost:3000', audience: 'http://localhost:3000' })
 * const { payload } = verifier.verify(token) // throws a coded error on failure
 * ```
 */
export declare class Verifier {
  /**
   * @param jwks The key set: an object `{ keys: [...] }` or its JSON text. Keys of unsupported
   *   kinds are skipped; a malformed key of a supported kind is kept as unusable and fails with
   *   `ERR_JWK_INVALID` only when a token selects it.
   * @param options Claim and algorithm checks, as jose's `jwtVerify` options.
   * @throws {errors.JWKSInvalid} when `jwks` is not an object with a `keys` array of objects.
   * @throws {TypeError} on an option of the wrong type.
   */
  constructor(jwks: JSONWebKeySet | string | RemoteJWKSet, options?: VerifyOptions)
  /**
   * Verifies `token`: structure, header, algorithm, key selection, signature, then claims, in
   * jose's order.
   *
   * @throws {errors.JOSEError} a subclass whose `code` says what failed.
   */
  verify<PayloadType = JWTPayload>(
    token: string | Uint8Array,
    options?: VerifyCallOptions,
  ): JWTVerifyResult<PayloadType>
  /**
   * For a verifier over a {@link RemoteJWKSet}: fetches the set when none is cached or it is older
   * than `cacheMaxAge`, verifies, and when the token's `kid` is unknown (key rotation) refetches
   * once, at most once per `cooldownDuration`, then verifies again. For a local JWKS it is
   * `verify` wrapped in a promise.
   */
  verifyAsync<PayloadType = JWTPayload>(
    token: string | Uint8Array,
    options?: VerifyCallOptions,
  ): Promise<JWTVerifyResult<PayloadType>>
  /** The JWKS's keys and whether each is usable (for diagnostics). */
  keys(): KeyInfo[]
  /**
   * Which key `token` would be verified with, and why each other key was passed over: the
   * selection rules `verify` applies, reported (the token is not verified).
   *
   * @throws {errors.JOSEError} when the token's header is malformed or its `alg` unknown.
   */
  selection(token: string | Uint8Array): SelectionReport
  /** Releases the prepared keys now (otherwise they are released when garbage-collected). */
  free(): void;
  /** Same as {@link Verifier.free}, for `using`. */
  [Symbol.dispose](): void
}

/** Options of {@link readSessionCookie} (names as Better Auth's `getCookieCache`). */
export interface ReadSessionCookieOptions {
  /** How the app's `session.cookieCache` writes the cookie. Default `"compact"`, as Better Auth. */
  strategy?: 'compact' | 'jwt' | 'jwe'
  /** The app's `BETTER_AUTH_SECRET`: needed by `compact`, `jwe`, and `jwt` without `jwks`. */
  secret?: string
  /** For `jwt` cookies signed by the jwt plugin (`sessionCookieCache: true`): its JWKS. */
  jwks?: JSONWebKeySet | string
  /** `advanced.cookiePrefix`. Default `"better-auth"`. */
  cookiePrefix?: string
  /** The cookie's name after the prefix. Default `"session_data"`. */
  cookieName?: string
  /** `true`: only the `__Secure-` name; `false`: only the plain name; unset: both are tried. */
  isSecure?: boolean
  /** `jwt` with `jwks`: expected `iss`. */
  issuer?: string | string[]
  /** `jwt` with `jwks`: expected `aud`. Default `"better-auth:session-cache"`. */
  audience?: string | string[]
  /** Expected `session.cookieCache.version` (a cookie without one is version `"1"`). */
  version?: string
  /** The time to check expiry at. Default: now. */
  currentDate?: Date
}

/** The session data in Better Auth's cookie cache. */
export interface SessionCookieData {
  session: { id: string; token: string; userId: string; expiresAt: string; [k: string]: unknown }
  user: { id: string; email: string; name: string; [k: string]: unknown }
  /** Absent from Better Auth 1.3's `compact` cookies (1.4 added it). */
  updatedAt?: number
  version?: string
  [k: string]: unknown
}

/**
 * Reads Better Auth's session cookie cache (`better-auth.session_data`, its `__Secure-` variant,
 * a custom prefix, chunked `.0`/`.1` cookies) from a `Cookie` header value, `Request`, `Headers`
 * or Node.js headers object. Returns what Better Auth's `getCookieCache` returns, `null` when the
 * cookie is absent, and throws a coded error when it is present but forged, tampered, expired,
 * written with another secret or for another version. Its errors never carry the session data
 * (no `payload`): it holds the live session token. Chunk names must be `NAME.0`, `NAME.1`, …
 * (plain decimal indices).
 */
export declare function readSessionCookie(
  input: Request | Headers | { headers: Headers } | Record<string, string | string[] | undefined> | string | null | undefined,
  options?: ReadSessionCookieOptions,
): SessionCookieData | null

/** Options of {@link createRemoteJWKSet} (jose's names and defaults). */
export interface RemoteJWKSetOptions {
  /**
   * How long a fetched set counts as fresh, in ms. Default 600000 (10 min). After that it is
   * still served, at once, while one background refresh runs (stale-while-revalidate).
   */
  cacheMaxAge?: number
  /**
   * Minimum time between the starts of two fetch attempts, in ms: refreshes of a stale set,
   * refetches for unknown `kid`s, and retries after a failure with nothing cached. Default 30000.
   */
  cooldownDuration?: number
  /**
   * Time limit of one fetch (headers and body together), and of any wait for one, in ms.
   * Default 5000; must be positive (a TypeError at first use otherwise). With nothing cached, a
   * timeout fails with `ERR_JWKS_TIMEOUT`.
   */
  timeoutDuration?: number
  /**
   * How long past `cacheMaxAge` a set is still served while refreshes fail, in ms (RFC 5861's
   * stale-if-error). Default 3600000 (1 hour). After that, a key removed from the JWKS is no
   * longer trusted: requests fail with the fetch's error until a refresh succeeds.
   */
  staleIfError?: number
  /**
   * Extra request headers (a record, a `Headers` object or `[name, value]` pairs). They are
   * sent only to `url`: redirects are not followed (a 3xx is a failed fetch).
   */
  headers?: Record<string, string> | Headers | [string, string][]
  /** A fetch implementation to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>
}

/**
 * A JWKS fetched from a URL and cached. Pass it to `new Verifier(remote, options)` and use
 * `verifier.verifyAsync(token)`: one fetch at first use, none per request, a background refresh
 * once the set is older than `cacheMaxAge`, one refetch when a token names an unknown `kid`,
 * at most one fetch attempt per `cooldownDuration`. A fetched set replaces the cached one only
 * if it is valid and has a key to verify with (an HTTP error, a redirect, a timeout, a body over
 * 1 MiB, a malformed set or one without a usable key keeps the last good set, for at most
 * `staleIfError` past `cacheMaxAge`). `oct` keys in a fetched set are never used. On Cloudflare Workers no request
 * waits for a fetch another request started; elsewhere concurrent requests share one fetch.
 */
export interface RemoteJWKSet {
  /** Whether a set is cached and younger than `cacheMaxAge`. */
  readonly fresh: boolean
  /** Bumps each time a fetched set is accepted. */
  readonly generation: number
  /** The cached set (undefined before the first fetch). */
  jwks(): JSONWebKeySet | undefined
  /**
   * Fetches now, whatever the cache policy says. Rejects with a coded error when the fetch
   * fails or the set is invalid; the last good set is kept then.
   */
  reload(): Promise<void>
}

/** Creates a {@link RemoteJWKSet}, e.g. for `${BETTER_AUTH_URL}/api/auth/jwks`. */
export declare function createRemoteJWKSet(url: string | URL, options?: RemoteJWKSetOptions): RemoteJWKSet

/**
 * Extracts the token from an `Authorization: Bearer <token>` header (scheme case-insensitive,
 * surrounding whitespace ignored).
 *
 * @param input A `Request`, a `Headers` object, a Node.js headers object (`req.headers`), or the
 *   header's value.
 * @throws {errors.JWSInvalid} when the header is absent or is not `Bearer <token>` (with a `hint`).
 */
export declare function getBearerToken(
  input: Request | Headers | { headers: Headers } | Record<string, string | string[] | undefined> | string | null | undefined,
): string

/** Decodes a JWT's payload **without verifying anything**. Never trust the result. */
export declare function decodeJwt<PayloadType = JWTPayload>(
  token: string | Uint8Array,
): PayloadType & JWTPayload

/** Decodes a JWS/JWT protected header **without verifying anything**. */
export declare function decodeProtectedHeader(token: string | Uint8Array): JWSHeaderParameters

/**
 * Loads the WebAssembly module. Required (once, awaited) in browsers before any other call;
 * resolves at once in Node, workerd and Next.js edge, where loading is synchronous.
 *
 * @param input Browsers only: where to get the `.wasm` (URL, Response, bytes or
 *   `WebAssembly.Module`); default: the file next to this package's modules.
 */
export declare function init(
  input?: URL | string | Response | BufferSource | WebAssembly.Module,
): Promise<void>

/** This package's version. */
export declare const version: string

// BEGIN GENERATED errors: edgejwt-gen writes this part, do not edit
/** Error classes, as jose's `errors` export. Each has a literal `code`. */
export declare namespace errors {
  /** A jose `code` string. */
  type JOSEErrorCode =
    | 'ERR_JOSE_GENERIC'
    | 'ERR_JWT_CLAIM_VALIDATION_FAILED'
    | 'ERR_JWT_EXPIRED'
    | 'ERR_JOSE_ALG_NOT_ALLOWED'
    | 'ERR_JOSE_NOT_SUPPORTED'
    | 'ERR_JWS_INVALID'
    | 'ERR_JWT_INVALID'
    | 'ERR_JWK_INVALID'
    | 'ERR_JWKS_INVALID'
    | 'ERR_JWKS_NO_MATCHING_KEY'
    | 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
    | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
    | 'ERR_JWKS_TIMEOUT'
    | 'ERR_JWE_INVALID'
    | 'ERR_JWE_DECRYPTION_FAILED'

  /** Why a claim failed: `check_failed`, `missing` or `invalid`. */
  type JWTClaimValidationReason = 'check_failed' | 'missing' | 'invalid' | 'unspecified' | (string & {})

  /** Base class of every edgejwt error. */
  class JOSEError extends Error {
    static code: JOSEErrorCode
    code: JOSEErrorCode
    /** A plain-language suggestion for the usual cause, when there is one. */
    hint?: string
    constructor(message?: string, options?: { cause?: unknown })
  }
  /** `nbf`, `iss`, `aud`, `sub`, `typ`, a required claim, or a non-numeric time claim failed. */
  class JWTClaimValidationFailed extends JOSEError {
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED'
    /** The claim that failed (`typ` for the header check). */
    claim: string
    reason: JWTClaimValidationReason
    /** The verified payload of the rejected token. Absent on errors thrown by {@link readSessionCookie}: the session data holds the live session token. */
    payload: JWTPayload
    constructor(message: string, payload: JWTPayload, claim?: string, reason?: JWTClaimValidationReason)
  }
  /** `exp` has passed (`claim: 'exp'`), or the token is older than `maxTokenAge` (`claim: 'iat'`). */
  class JWTExpired extends JOSEError {
    code: 'ERR_JWT_EXPIRED'
    /** The claim that failed (`typ` for the header check). */
    claim: string
    reason: JWTClaimValidationReason
    /** The verified payload of the rejected token. Absent on errors thrown by {@link readSessionCookie}: the session data holds the live session token. */
    payload: JWTPayload
    constructor(message: string, payload: JWTPayload, claim?: string, reason?: JWTClaimValidationReason)
  }
  /** The header `alg` is not in the `algorithms` option. */
  class JOSEAlgNotAllowed extends JOSEError {
    code: 'ERR_JOSE_ALG_NOT_ALLOWED'
  }
  /** An unknown algorithm (including `none`) or `crit` extension. */
  class JOSENotSupported extends JOSEError {
    code: 'ERR_JOSE_NOT_SUPPORTED'
  }
  /** Not a well-formed compact JWS. */
  class JWSInvalid extends JOSEError {
    code: 'ERR_JWS_INVALID'
  }
  /** Not a JWT: the payload is not a JSON object. */
  class JWTInvalid extends JOSEError {
    code: 'ERR_JWT_INVALID'
  }
  /** The key the token selects is malformed or unusable. */
  class JWKInvalid extends JOSEError {
    code: 'ERR_JWK_INVALID'
  }
  /** The JWKS is malformed or exceeds a limit. */
  class JWKSInvalid extends JOSEError {
    code: 'ERR_JWKS_INVALID'
  }
  /** No key fits the token's `alg` and `kid` (the message lists the JWKS's kids). */
  class JWKSNoMatchingKey extends JOSEError {
    code: 'ERR_JWKS_NO_MATCHING_KEY'
  }
  /** Several keys fit and the token has no `kid` to choose. */
  class JWKSMultipleMatchingKeys extends JOSEError {
    code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS'
  }
  /** The signature does not verify. */
  class JWSSignatureVerificationFailed extends JOSEError {
    code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  }
  /** Fetching a remote JWKS took longer than `timeoutDuration`. */
  class JWKSTimeout extends JOSEError {
    code: 'ERR_JWKS_TIMEOUT'
  }
  /** A malformed compact JWE (Better Auth's `jwe` cookie strategy). */
  class JWEInvalid extends JOSEError {
    code: 'ERR_JWE_INVALID'
  }
  /** A JWE cookie does not decrypt with the given secret. */
  class JWEDecryptionFailed extends JOSEError {
    code: 'ERR_JWE_DECRYPTION_FAILED'
  }
}
// END GENERATED errors
