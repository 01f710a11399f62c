// worker.js: a Cloudflare Worker (ES modules) verifying Better Auth JWTs.
import { Verifier, errors, getBearerToken } from 'edgejwt'
import jwks from './jwks.json' // GET {BETTER_AUTH_URL}/api/auth/jwks, saved at deploy time

let verifier // built once per isolate, on the first request (it needs env)

export default {
  fetch(request, env) {
    verifier ??= new Verifier(jwks, { issuer: env.BETTER_AUTH_URL, audience: env.BETTER_AUTH_URL })
    try {
      const token = getBearerToken(request) // throws ERR_JWS_INVALID when absent or not "Bearer <token>"
      const { payload } = verifier.verify(token)
      return Response.json({ sub: payload.sub })
    } catch (err) {
      const code = err instanceof errors.JOSEError ? err.code : 'ERR_UNEXPECTED'
      return Response.json({ error: code }, { status: 401 })
    }
  },
}
