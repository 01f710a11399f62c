// app/api/edge/route.ts: an Edge route handler that verifies the token itself.
import { Verifier, errors, getBearerToken } from 'edgejwt'
import jwks from '../../../jwks.json'

export const runtime = 'edge'

const issuer = process.env.BETTER_AUTH_URL ?? 'http://localhost:3000'
const verifier = new Verifier(jwks, { issuer, audience: issuer })

export function GET(request: Request) {
  try {
    const token = getBearerToken(request) // throws ERR_JWS_INVALID when absent or not "Bearer <token>"
    return Response.json({ sub: verifier.verify(token).payload.sub })
  } catch (err) {
    const code = err instanceof errors.JOSEError ? err.code : 'ERR_UNEXPECTED'
    return Response.json({ error: code }, { status: 401 })
  }
}
