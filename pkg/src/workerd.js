// Cloudflare Workers (workerd) entry: the bundler hands the .wasm over as a compiled
// WebAssembly.Module; instantiated synchronously on first use.
import wasm from '../dist/edgejwt_wasm_bg.wasm'
import { initSync } from '../dist/edgejwt_wasm.js'
import { setLoader } from './core.js'

setLoader(() => initSync({ module: wasm }))

export { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version, __internal } from './core.js'

/** Nothing to wait for in workerd: resolves at once. */
export const init = async () => {}
