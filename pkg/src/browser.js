// Browser (and default) entry: `await init()` fetches and instantiates the wasm once; after
// that the API is synchronous. Bundlers that understand `new URL(..., import.meta.url)` copy
// the .wasm along.
import initWasm from '../dist/edgejwt_wasm.js'
import { isLoaded, markLoaded } from './core.js'

export { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version } from './core.js'

let pending

/**
 * Loads the WebAssembly module. `input` may be a URL, a Response, bytes or a
 * WebAssembly.Module; by default the .wasm next to this package's files is fetched.
 */
export function init(input) {
  if (isLoaded()) return Promise.resolve()
  pending ??= initWasm({
    module_or_path: input ?? new URL('../dist/edgejwt_wasm_bg.wasm', import.meta.url),
  }).then(
    () => markLoaded(),
    (e) => {
      pending = undefined
      throw e
    },
  )
  return pending
}
