// Verifier: a JWKS (local, or a RemoteJWKSet) prepared once in the core, and options.
import * as errors from './errors.js'
import { call, ensureReady, generation, glue } from './wasm.js'
import { DEFAULT_MAX_TOKEN_LENGTH, epoch, jwksText, toWasmOptions, tokenText } from './options.js'
import { RemoteJWKSet } from './remote.js'


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
