// A strict TypeScript consumer of the published types: it must type-check (tsc --noEmit).
import { Verifier, decodeJwt, decodeProtectedHeader, errors, init, version } from 'edgejwt'
import type { JWTPayload, JWTVerifyResult, KeyInfo, VerifyOptions, JSONWebKeySet } from 'edgejwt'

interface BetterAuthClaims {
  email: string
  uuid: string
}

const jwks: JSONWebKeySet = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'x', kid: 'k1' }] }
const options: VerifyOptions = {
  issuer: 'http://localhost:3000',
  audience: ['http://localhost:3000'],
  algorithms: ['EdDSA', 'ES256'],
  clockTolerance: '5s',
  maxTokenAge: 900,
  requiredClaims: ['uuid'],
  currentDate: new Date(),
}

export async function check(token: string): Promise<string> {
  await init()
  const verifier = new Verifier(jwks, options)
  try {
    const result: JWTVerifyResult<BetterAuthClaims> = verifier.verify<BetterAuthClaims>(token, { currentDate: new Date() })
    const email: string = result.payload.email
    const sub: string | undefined = result.payload.sub
    const alg: string = result.protectedHeader.alg
    const keys: KeyInfo[] = verifier.keys()
    return `${email} ${sub} ${alg} ${keys.length} ${version}`
  } catch (err) {
    if (err instanceof errors.JWTExpired) {
      const claim: string = err.claim
      const code: 'ERR_JWT_EXPIRED' = err.code
      return `${code} ${claim}`
    }
    if (err instanceof errors.JOSEError) {
      // code narrowing on the union of literal codes
      switch (err.code) {
        case 'ERR_JWKS_NO_MATCHING_KEY':
          return 'refetch the JWKS'
        case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
          return err.hint ?? 'claims'
        default:
          return err.code
      }
    }
    throw err
  } finally {
    verifier.free()
  }
}

const payload: JWTPayload = decodeJwt('a.b.c')
const header = decodeProtectedHeader('a.b.c')
export const summary = [payload.iss, header.kid]

// @ts-expect-error: issuer must be a string or string[]
new Verifier(jwks, { issuer: 42 })

// The Better Auth helpers.
import { createRemoteJWKSet, getBearerToken, readSessionCookie } from 'edgejwt'
import type { SessionCookieData, RemoteJWKSet } from 'edgejwt'

export async function betterAuth(request: Request): Promise<string> {
  const remote: RemoteJWKSet = createRemoteJWKSet(new URL('http://localhost:3000/api/auth/jwks'), { cooldownDuration: 30_000 })
  const verifier = new Verifier(remote, { issuer: 'http://localhost:3000' })
  const { payload } = await verifier.verifyAsync<BetterAuthClaims>(getBearerToken(request))
  const data: SessionCookieData | null = readSessionCookie(request, { secret: 's', strategy: 'jwe', version: '1' })
  return `${payload.uuid} ${data?.user.email ?? ''}`
}
