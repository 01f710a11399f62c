// proxy.ts (Next.js 16, Node.js runtime): /tasks only for signed-in users. The session comes
// from Better Auth's cookie cache, a JWT signed with the app's JWKS (`sessionCookieCache: true`),
// verified here by edgejwt: no database call per request. The JWKS is fetched once from the app
// itself and again only when a cookie names a key it does not have (key rotation).
import { NextResponse, type NextRequest } from 'next/server'
import { errors, readSessionCookie, type JSONWebKeySet } from 'edgejwt'

const BETTER_AUTH_URL = process.env.BETTER_AUTH_URL ?? 'http://127.0.0.1:3000'
const COOKIE_PREFIX = 'better-auth'

let jwks: Promise<JSONWebKeySet> | undefined
let fetchedAt = 0
function keySet(refetch = false): Promise<JSONWebKeySet> {
  if (!jwks || (refetch && Date.now() - fetchedAt > 1_000)) {
    fetchedAt = Date.now()
    const pending: Promise<JSONWebKeySet> = fetch(new URL('/api/auth/jwks', BETTER_AUTH_URL), {
      headers: { 'user-agent': 'example-web-proxy' },
      signal: AbortSignal.timeout(5_000),
    }).then((res) => {
      if (!res.ok) throw new Error(`GET /api/auth/jwks: ${res.status}`)
      return res.json()
    })
    pending.catch(() => {
      if (jwks === pending) jwks = undefined
    })
    jwks = pending
  }
  return jwks
}

type SignedInUser = { id: string; email: string }

/** The user of a valid cookie cache; null when it is absent, expired or not verifiable. */
async function fromCookieCache(request: NextRequest): Promise<SignedInUser | null> {
  if (!request.cookies.getAll().some((c) => c.name.startsWith(`${COOKIE_PREFIX}.session_data`))) return null
  const read = async (refetch: boolean) =>
    readSessionCookie(request, { strategy: 'jwt', jwks: await keySet(refetch), issuer: BETTER_AUTH_URL, cookiePrefix: COOKIE_PREFIX })
  try {
    const data = await read(false).catch((err) => {
      if (err instanceof errors.JOSEError && err.code === 'ERR_JWKS_NO_MATCHING_KEY') return read(true)
      throw err
    })
    return data && { id: data.user.id, email: data.user.email }
  } catch {
    return null // forged, expired (every 5 minutes), or signed by a key no longer published
  }
}

export async function proxy(request: NextRequest) {
  let user = await fromCookieCache(request)
  let refreshed: string[] = []
  if (!user && request.cookies.has(`${COOKIE_PREFIX}.session_token`)) {
    // The cookie cache has expired (maxAge) but there is a session: ask Better Auth once (one
    // database read), which also writes a new cookie cache for the next requests.
    const res = await fetch(new URL('/api/auth/get-session', BETTER_AUTH_URL), {
      headers: { cookie: request.headers.get('cookie') ?? '' },
      signal: AbortSignal.timeout(5_000),
    }).catch(() => null)
    const body = res?.ok ? await res.json().catch(() => null) : null
    if (body?.user) {
      user = { id: body.user.id, email: body.user.email }
      refreshed = res!.headers.getSetCookie()
    }
  }
  if (!user) return NextResponse.redirect(new URL('/sign-in', request.url))
  // The page reads who is signed in from these (set here, never taken from the client).
  const headers = new Headers(request.headers)
  headers.set('x-user-id', user.id)
  headers.set('x-user-email', user.email)
  const response = NextResponse.next({ request: { headers } })
  for (const cookie of refreshed) response.headers.append('set-cookie', cookie)
  return response
}

export const config = { matcher: ['/tasks', '/tasks/:path*'] }
