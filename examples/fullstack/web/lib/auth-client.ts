// Better Auth's React client (sign-up, sign-in, sign-out) and, beside it, edgejwt's token client:
// a JWT from /api/auth/token, kept in memory, sent to the API as `Authorization: Bearer`.
import { createAuthClient } from 'better-auth/react'
import { createTokenClient, type TokenClient } from 'edgejwt/client'

export const authClient = createAuthClient()

let tokenClient: TokenClient | undefined
/** The browser's one token client (created on first use: never during server rendering). */
export function tokens(): TokenClient {
  tokenClient ??= createTokenClient({ baseURL: window.location.origin })
  return tokenClient
}
