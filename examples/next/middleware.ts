// middleware.ts: Next.js middleware on the Edge runtime. Verifies `Authorization: Bearer <jwt>`
// against your Better Auth JWKS and passes the user id on to your routes.
import { NextResponse, type NextRequest } from 'next/server'
import { Verifier, errors, getBearerToken } from 'edgejwt'
import jwks from './jwks.json' // GET {BETTER_AUTH_URL}/api/auth/jwks, saved at deploy time

const issuer = process.env.BETTER_AUTH_URL ?? 'http://localhost:3000'
const verifier = new Verifier(jwks, { issuer, audience: issuer })

export function middleware(request: NextRequest) {
  try {
    const token = getBearerToken(request) // throws ERR_JWS_INVALID when absent or not "Bearer <token>"
    const { payload } = verifier.verify(token)
    const headers = new Headers(request.headers)
    headers.set('x-user-id', String(payload.sub))
    return NextResponse.next({ request: { headers } })
  } catch (err) {
    const code = err instanceof errors.JOSEError ? err.code : 'ERR_UNEXPECTED'
    return NextResponse.json({ error: code }, { status: 401 })
  }
}

export const config = { matcher: '/api/whoami' }
