// RemoteJWKSet: fetches a JWKS for the core's cache state machine (src/jwks_cache.rs), which
// makes every decision; this file performs the fetches it asks for and reports how they ended.
import { call, ensureReady, fromInfo, generation, glue } from './wasm.js'

const warned = new Set()

/** console.warn once per process for each of the core's warnings about a remote set. */
function warnOnce(message, url) {
  if (warned.has(message)) return
  warned.add(message)
  console.warn(`edgejwt: ${message} (${url})`)
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

  constructor(url, options = {}, share = true) {
    this.#url = new URL(url)
    if (this.#url.protocol !== 'https:' && this.#url.protocol !== 'http:') {
      throw new TypeError('createRemoteJWKSet: url must be http: or https:')
    }
    const num = (name) => {
      const v = options[name]
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) throw new TypeError(`"${name}" option must be a non-negative number (milliseconds)`)
      return v
    }
    // Defaults come from the core (CachePolicy) on first use: the module is not loaded here,
    // so that a set created at import time never initialises wasm (Next.js builds).
    this.#options = {
      cacheMaxAge: num('cacheMaxAge'),
      cooldown: num('cooldownDuration'),
      timeout: num('timeoutDuration'),
      staleIfError: num('staleIfError'),
    }
    this.#share = share && globalThis.navigator?.userAgent !== 'Cloudflare-Workers'
    this.#fetch = options.fetch ?? ((...a) => globalThis.fetch(...a))
    // A Headers object, an array of pairs or a record, as fetch takes them.
    this.#headers = new Headers(options.headers ?? {})
    if (!this.#headers.has('accept')) this.#headers.set('accept', 'application/json')
  }

  /** The URL without userinfo, query or fragment: what messages may show (the core's rule). */
  #redacted() {
    ensureReady()
    return call(() => glue.WasmJwksCache.redact_url(this.#url.href))
  }

  /** The timings with the core's defaults filled in, checked by the core (first use). */
  #policy() {
    const o = this.#options
    if (o.resolved) return o
    const [cacheMaxAge, cooldown, timeout, staleIfError] = glue.WasmJwksCache.policy_defaults()
    o.cacheMaxAge ??= cacheMaxAge
    o.cooldown ??= cooldown
    o.timeout ??= timeout
    o.staleIfError ??= staleIfError
    const problem = glue.WasmJwksCache.policy_problem(o.cacheMaxAge, o.cooldown, o.timeout, o.staleIfError)
    if (problem !== undefined) throw new TypeError(`createRemoteJWKSet: ${problem}`)
    for (const w of glue.WasmJwksCache.policy_warnings(this.#url.href, o.cooldown)) warnOnce(w, this.#redacted())
    o.resolved = true
    return o
  }

  /** The state machine, (re)created after a module reset with the committed set restored. */
  #m() {
    ensureReady()
    if (!this.#machine || this.#machineGeneration !== generation) {
      const { cacheMaxAge, cooldown, timeout, staleIfError } = this.#policy()
      const m = call(() => new glue.WasmJwksCache(this.#url.href, cacheMaxAge, cooldown, timeout, staleIfError, this.#share))
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
    return settleWithin(done, this.#policy().timeout)
  }

  /** Performs the fetch; resolves with what to report (never rejects). */
  async #load(id) {
    const signal = AbortSignal.timeout(this.#policy().timeout)
    try {
      // redirect: 'manual': a 3xx is a failed fetch (the last good set stays), and the
      // headers never reach another origin.
      const res = await this.#fetch(this.#url.href, { headers: new Headers(this.#headers), signal, redirect: 'manual' })
      if (res.status !== 200) {
        res.body?.cancel?.().catch(() => {})
        return { status: res.status }
      }
      const body = await readCapped(res, this.#maxBytes)
      return body === undefined ? { kind: 'too_large' } : { body }
    } catch (e) {
      if (e?.name === 'TimeoutError' || signal.aborted) return { kind: 'timeout' }
      // The message must not show the URL's userinfo or query.
      const message = String(e?.message ?? e).split(this.#url.href).join(this.#redacted())
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
      case 'wait':
        await this.#fetched(action)
        break
      case 'fail':
        throw fromInfo(action.error)
    }
    const m = this.#m()
    if (!call(() => m.servable(Date.now()))) throw this.#failure()
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
      case 'wait':
        await this.#fetched(action)
        break
      default:
        return false
    }
    return this.generation !== seen
  }

  /** Carries out a `fetch` (runs it) or a `wait` (for another caller's fetch, at most `waitMs`). */
  async #fetched(action) {
    if (action.do === 'fetch') await this.#run(action.id)
    else await settleWithin(this.#pending.get(action.id) ?? Promise.resolve(), action.waitMs)
  }
}


/**
 * A JWKS fetched from `url` and cached (jose's createRemoteJWKSet options and defaults).
 * `share`: whether concurrent requests may await one fetch; runtime entries where one request
 * must never await a promise another request created (Cloudflare Workers) pass false.
 */
export function createRemoteJWKSet(url, options, share = true) {
  return new RemoteJWKSet(url, options, share)
}
