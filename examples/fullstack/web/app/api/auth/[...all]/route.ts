// Better Auth's endpoints: /api/auth/sign-up/email, /sign-in/email, /sign-out, /get-session,
// /token (a JWT for the API) and /jwks (the public keys the API verifies with).
import { toNextJsHandler } from 'better-auth/next-js'
import { auth } from '../../../../lib/auth'
import { countJwksRequest } from '../../../../lib/jwks-requests'

const handler = toNextJsHandler(auth)

export async function GET(request: Request) {
  if (new URL(request.url).pathname === '/api/auth/jwks') countJwksRequest(request)
  return handler.GET(request)
}

export const POST = handler.POST
