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

// edgejwt/testing (a Node test's local Better Auth).
import { createTestIssuer, userUuid, ALGORITHMS } from 'edgejwt/testing'
import type { TestIssuer, TestAlgorithm, Outage } from 'edgejwt/testing'

export async function testKit(): Promise<string> {
  const alg: TestAlgorithm = ALGORITHMS[0]
  const issuer: TestIssuer = await createTestIssuer({ alg, expiresIn: 60 })
  const token: string = issuer.token({ sub: 'user_1', uuid: null, role: 'admin' }, { expiresIn: -1, kid: issuer.kid, header: { typ: 'JWT' } })
  const kid: string = issuer.rotate({ gracePeriod: 0 })
  const outage: Outage = issuer.outage('hang')
  outage.end()
  const n: number = await issuer.outage('fail', async () => issuer.requests)
  const cookie: string = issuer.sessionCookie({ user: 'u', strategy: 'jwt', signedBy: 'jwks', expiresIn: 10 })
  // @ts-expect-error: HS256 is not one of the jwt plugin's algorithms
  await createTestIssuer({ alg: 'HS256' })
  // @ts-expect-error: not an outage mode
  issuer.outage('down')
  await issuer.close()
  return `${token}${kid}${n}${cookie}${userUuid('u')}${issuer.jwksURL}${issuer.jwks().keys[0].kty}`
}

// edgejwt/client (no wasm): the token client of a browser or server component.
import { createTokenClient, isInvalidTokenChallenge, SignedOutError, TokenClientError, type TokenClient, type TokenClientErrorCode } from 'edgejwt/client'

export async function callApi(): Promise<number> {
  const client: TokenClient = createTokenClient({ baseURL: 'http://localhost:3000', tokenPath: '/api/auth/token', refreshMargin: 5_000, headers: async () => ({ cookie: 'a=b' }) })
  try {
    const token: string = await client.getToken({ forceRefresh: false })
    const res: Response = await client.fetch(new URL('http://localhost:8000/tasks'), { method: 'POST', body: token.length.toString() })
    client.clear()
    return isInvalidTokenChallenge(res) ? 0 : res.status
  } catch (err) {
    if (err instanceof SignedOutError) {
      const code: 'ERR_SIGNED_OUT' = err.code
      return code.length
    }
    if (err instanceof TokenClientError) {
      const code: TokenClientErrorCode = err.code
      const status: number | undefined = err.status
      return status ?? code.length
    }
    throw err
  }
}
