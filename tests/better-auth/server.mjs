// A real Better Auth instance (in-memory adapter, email+password, the jwt() plugin) served on
// 127.0.0.1 for the tests and the demo. Everything it returns comes from the installed package.
import { createServer } from 'node:http'
import { betterAuth } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { toNodeHandler } from 'better-auth/node'
import { jwt } from 'better-auth/plugins'

export const SECRET = 'edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * Starts Better Auth. `alg` picks the jwt plugin's key type; `jwks` and `session` pass through
 * to the plugin's `jwks` option and Better Auth's `session` option.
 */
export async function startBetterAuth({ alg = 'EdDSA', jwks = {}, session, jwtOptions = {}, definePayload, sessionCookieCache, advanced, userFields, secret = SECRET, db: existingDb, port = 0, headers } = {}) {
  const server = createServer()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${server.address().port}`
  // `db`: another server's memory database (a restart with other options keeps the data).
  const db = existingDb ?? { user: [], session: [], account: [], verification: [], jwks: [] }
  const keyPairConfig = alg.startsWith('RS') || alg.startsWith('PS') ? { alg, modulusLength: 2048 } : { alg }
  const auth = betterAuth({
    baseURL,
    secret,
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    session,
    advanced,
    user: userFields ? { additionalFields: userFields } : undefined,
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [
      jwt({
        jwks: { keyPairConfig, ...jwks },
        jwt: {
          // A custom claim, as apps add for backends (user isolation by uuid).
          definePayload: definePayload ?? (({ user }) => ({ ...user, uuid: `uuid-${user.id}`, role: 'member' })),
          ...jwtOptions,
        },
        ...(sessionCookieCache ? { sessionCookieCache: true } : {}),
      }),
    ],
  })
  const handler = toNodeHandler(auth)
  // `headers(req)`: headers a proxy in front would add or replace (CORS, Date, Cache-Control).
  server.on('request', (req, res) => {
    if (headers) {
      const writeHead = res.writeHead
      res.writeHead = function (...args) {
        for (const [k, v] of Object.entries(headers(req))) this.setHeader(k, v)
        return writeHead.apply(this, args)
      }
    }
    return handler(req, res)
  })

  const api = async (path, { method = 'GET', body, cookie } = {}) => {
    const res = await fetch(`${baseURL}/api/auth${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: baseURL, ...(cookie ? { cookie } : {}) },
      body: body && JSON.stringify(body),
    })
    return res
  }

  /** Signs up (once) and signs in a user; returns the session cookie header to send back. */
  const signIn = async (email = 'ada@example.com', name = 'Ada Lovelace', extra = {}) => {
    const password = 'correct horse battery staple'
    await api('/sign-up/email', { method: 'POST', body: { email, password, name, ...extra } })
    const res = await api('/sign-in/email', { method: 'POST', body: { email, password } })
    if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
    const setCookies = res.headers.getSetCookie()
    const cookie = setCookies.map((c) => c.split(';')[0]).join('; ')
    return { cookie, setCookies, body: await res.json() }
  }

  const close = () => new Promise((resolve) => {
    server.closeAllConnections?.()
    server.close(resolve)
  })

  return { auth, baseURL, api, signIn, close, db }
}
