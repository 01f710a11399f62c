// Next.js Edge runtime (middleware, edge route handlers) entry.
// `next build` evaluates edge modules in Node while collecting page data, where this import is
// not a usable module: so nothing is instantiated at import time, only on first use. At run time
// the module may come from another realm (instanceof fails), so it is re-parented first.
import wasm from '../dist/edgejwt_wasm_bg.wasm?module'
import { initSync } from '../dist/edgejwt_wasm.js'
import { createApi } from './core.js'

/** `init`: nothing to wait for, the module loads on first use. */
export const { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version, init } = createApi({
  load: () => {
    if (!(wasm instanceof WebAssembly.Module)) Object.setPrototypeOf(wasm, WebAssembly.Module.prototype)
    initSync({ module: wasm })
  },
})
