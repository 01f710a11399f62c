// Browser (and default) entry: `await init()` fetches and instantiates the wasm once; after
// that the API is synchronous. Bundlers that understand `new URL(..., import.meta.url)` copy
// the .wasm along.
import initWasm from '../dist/edgejwt_wasm.js'
import { createApi } from './core.js'

/**
 * `init(input)` loads the WebAssembly module. `input` may be a URL, a Response, bytes or a
 * WebAssembly.Module; by default the .wasm next to this package's files is fetched.
 */
export const { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version, init } = createApi({
  loadAsync: (input) => initWasm({ module_or_path: input ?? new URL('../dist/edgejwt_wasm_bg.wasm', import.meta.url) }),
})
