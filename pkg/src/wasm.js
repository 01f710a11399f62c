// The wasm instance's lifecycle: loading it on first use (with the loader the runtime entry
// passed to createApi), replacing it after a trap, and turning what the glue throws into
// jose-style errors.
import * as glue from '../dist/edgejwt_wasm.js'
import * as errors from './errors.js'

export { glue }

let loader // () => void, from the runtime entry; loads the wasm synchronously
let loaded = false
/** Bumps when the instance is replaced after a trap (objects of older instances are rebuilt). */
export let generation = 0

/** Takes the runtime entry's synchronous loader (none for browsers, which load with init()). */
export function useLoader(fn) {
  loader = fn
}

/** Marks the module as loaded (after an asynchronous init). */
export function markLoaded() {
  loaded = true
}

export function isLoaded() {
  return loaded
}

export function ensureReady() {
  if (loaded) return
  if (!loader) {
    throw new errors.JOSEError(
      'edgejwt: the WebAssembly module is not loaded yet: call `await init()` first',
    )
  }
  loader()
  loaded = true
}

const byCode = {}
for (const C of Object.values(errors)) {
  byCode[C.code] = C
}

/** Builds the error for `{ code, message, claim?, reason?, payload?, hint? }` from the wasm side. */
export function fromInfo(info) {
  let err
  if (info.code === errors.JWTExpired.code) {
    err = new errors.JWTExpired(info.message, info.payload, info.claim, info.reason)
  } else if (info.code === errors.JWTClaimValidationFailed.code) {
    err = new errors.JWTClaimValidationFailed(info.message, info.payload, info.claim, info.reason)
  } else {
    const C = byCode[info.code] ?? errors.JOSEError
    err = new C(info.message)
  }
  if (info.hint !== undefined) err.hint = info.hint
  return err
}

/** Converts whatever the wasm glue threw into a jose-style error. */
function convert(e) {
  if (typeof e === 'string') {
    let info
    try {
      info = JSON.parse(e)
    } catch {
      return new errors.JOSEError(e)
    }
    return fromInfo(info)
  }
  // Anything else came from inside the module (a trap, a stack overflow): the instance may be
  // in an inconsistent state, so replace it before the next call.
  try {
    glue.__wbg_reset_state()
  } catch {}
  generation++
  const err = new errors.JOSEError(
    `edgejwt: internal error inside the WebAssembly module (${e && e.message}); the module was reset. This is a bug, please report it.`,
  )
  err.cause = e
  return err
}

export function call(fn) {
  ensureReady()
  try {
    return fn()
  } catch (e) {
    throw convert(e)
  }
}
