// The JavaScript API, assembled for one runtime entry. Every verification rule lives in Rust;
// the modules here convert options, results and errors:
//   wasm.js      the instance's lifecycle (load on first use, reset after a trap), error conversion
//   options.js   option and token type checks and coercion
//   verifier.js  Verifier, decodeJwt, decodeProtectedHeader
//   remote.js    RemoteJWKSet, driving the core's JWKS cache state machine
//   cookie.js    readSessionCookie
//   bearer.js    getBearerToken
import * as errors from './errors.js'
import { version } from './version.js'
import { isLoaded, markLoaded, useLoader } from './wasm.js'
import { Verifier, decodeJwt, decodeProtectedHeader } from './verifier.js'
import { createRemoteJWKSet } from './remote.js'
import { readSessionCookie } from './cookie.js'
import { getBearerToken } from './bearer.js'

/**
 * The API for a runtime entry. `load`: loads the wasm synchronously on first use (Node,
 * workerd, edge-light). `loadAsync(input)`: loads it for `init(input)` instead (browsers).
 * `shareFetches: false` where one request must never await a promise another request created
 * (Cloudflare Workers): each request then waits only for its own JWKS fetches.
 */
export function createApi({ load, loadAsync, shareFetches = true }) {
  useLoader(load)
  let pending
  const init = loadAsync
    ? (input) => {
        if (isLoaded()) return Promise.resolve()
        pending ??= loadAsync(input).then(markLoaded, (e) => {
          pending = undefined
          throw e
        })
        return pending
      }
    : async () => {}
  return {
    Verifier,
    createRemoteJWKSet: (url, options) => createRemoteJWKSet(url, options, shareFetches),
    readSessionCookie,
    decodeJwt,
    decodeProtectedHeader,
    getBearerToken,
    errors,
    version,
    init,
  }
}
