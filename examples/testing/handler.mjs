// handler.mjs: edge code to test: a fetch handler (a Next.js route, a Worker) that verifies
// Better Auth JWTs with a remote JWKS and keeps each user to their own tasks.
import { Verifier, createRemoteJWKSet, getBearerToken, errors } from 'edgejwt'

// The key set could not be had (endpoint down, no answer in time, not a key set): the server's
// problem, not the client's.
const UNAVAILABLE = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID'])

export function createHandler(betterAuthURL, jwksOptions = {}) {
  const jwks = createRemoteJWKSet(new URL('/api/auth/jwks', betterAuthURL), jwksOptions)
  const verifier = new Verifier(jwks, { issuer: betterAuthURL, audience: betterAuthURL, requiredClaims: ['uuid'] })

  return async function handle(request) {
    let payload
    try {
      ({ payload } = await verifier.verifyAsync(getBearerToken(request)))
    } catch (err) {
      if (!(err instanceof errors.JOSEError)) throw err
      return Response.json({ error: err.code }, { status: UNAVAILABLE.has(err.code) ? 503 : 401 })
    }
    const owner = /^\/users\/([^/]+)\/tasks$/.exec(new URL(request.url).pathname)?.[1]
    if (owner !== undefined && owner !== payload.sub) return Response.json({ error: 'forbidden' }, { status: 403 })
    return Response.json({ id: payload.sub, uuid: payload.uuid })
  }
}
