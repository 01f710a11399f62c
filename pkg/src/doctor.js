// doctor: `edgejwt doctor`'s judging is the core's (src/doctor.rs); the command line fetches
// what a deployment serves, describes it as observations (the fields of `Observations`, in
// camelCase), and prints the checks that come back. Only in the command line's module.
import { call, ensureReady, glue } from './wasm.js'

export const doctor = {
  /** The checks for `observations`: `{ checks: [{ id, status, message, hint }] }`. */
  diagnose(observations) {
    ensureReady()
    const text = JSON.stringify(observations)
    return JSON.parse(call(() => glue.doctor(text, true)))
  },
  /** The same checks as the command line prints them (a line each, hints, a count). */
  report(observations) {
    ensureReady()
    const text = JSON.stringify(observations)
    return call(() => glue.doctor(text, false))
  },
  /** The JWKS paths tried under the base URL, Better Auth's first. */
  jwksPaths() {
    ensureReady()
    return call(() => glue.doctor_jwks_paths())
  },
}
