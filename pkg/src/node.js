// Node.js entry (ESM; the CommonJS build dist/node.cjs is bundled from this file).
// The wasm is read from disk and compiled once, at import: the API is synchronous right away.
import { readFileSync } from './node-fs.js'
import { initSync } from '../dist/edgejwt_wasm.js'
import { createApi } from './core.js'

const wasmModule = new WebAssembly.Module(readFileSync(new URL('../dist/edgejwt_wasm_bg.wasm', import.meta.url)))

/** `init`: already loaded in Node, resolves at once (present so one import works everywhere). */
export const { Verifier, createRemoteJWKSet, readSessionCookie, decodeJwt, decodeProtectedHeader, getBearerToken, errors, version, init } = createApi({
  load: () => initSync({ module: wasmModule }),
})
