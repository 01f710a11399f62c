// Cloudflare Workers (workerd) entry: the bundler hands the .wasm over as a compiled
// WebAssembly.Module; instantiated synchronously on first use.
import wasm from '../dist/edgejwt_wasm_bg.wasm'
import { initSync } from '../dist/edgejwt_wasm.js'
import { createApi } from './core.js'

/** `init`: nothing to wait for in workerd, resolves at once. */
export const { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version, init } = createApi({
  load: () => initSync({ module: wasm }),
  // A promise one request created must not be awaited by another here (a cancelled request
  // would leave it unsettled).
  shareFetches: false,
})
