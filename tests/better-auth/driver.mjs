// A real Better Auth server (server.mjs) for the Python tests (tests/python/test_better_auth.py),
// which start this file as a subprocess and stop it by PID:
//   node tests/better-auth/driver.mjs '<startBetterAuth options as JSON>'
// Prints one JSON line when ready: { baseURL, pid, token, cookie, setCookies, jwks, cookieCache }
// (cookieCache: Better Auth's own getCookieCache for the signed-in request, when the options
// enable the cookie cache). Then answers one JSON line per command line on stdin:
//   {"cmd":"token"}  → { token }   a fresh JWT for the signed-in user (a rotated key, if due)
//   {"cmd":"jwks"}   → { jwks }
//   {"cmd":"signIn","email":…,"name":…,"extra":{…}} → { cookie, setCookies, cookieCache }
// Exits when stdin closes or on SIGTERM.
import { getCookieCache } from 'better-auth/cookies'
import { startBetterAuth, SECRET } from './server.mjs'
import { answerCommands, out } from './commands.mjs'

const options = JSON.parse(process.argv[2] ?? '{}')
const ba = await startBetterAuth(options)
const cache = options.session?.cookieCache
const prefix = options.advanced?.cookiePrefix

async function signIn(email, name, extra) {
  const { cookie, setCookies } = await ba.signIn(email, name, extra)
  let cookieCache = null
  if (cache?.enabled) {
    const headers = new Headers({ cookie })
    const jwks = options.sessionCookieCache ? await (await ba.api('/jwks')).json() : undefined
    const read = await getCookieCache(headers, {
      secret: SECRET,
      strategy: cache.strategy,
      isSecure: false,
      ...(prefix ? { cookiePrefix: prefix } : {}),
      ...(jwks ? { jwt: { jwks } } : {}),
    })
    // Better Auth returns Dates where the JSON has strings: the JSON both sides print.
    cookieCache = read === null ? null : JSON.parse(JSON.stringify(read))
  }
  return { cookie, setCookies, cookieCache }
}

const tokenFor = async (cookie) => (await (await ba.api('/token', { cookie })).json()).token
const jwks = async () => (await ba.api('/jwks')).json()

const first = await signIn()
out({ baseURL: ba.baseURL, pid: process.pid, secret: SECRET, token: await tokenFor(first.cookie), jwks: await jwks(), ...first })

answerCommands(
  {
    token: async () => ({ token: await tokenFor(first.cookie) }),
    jwks: async () => ({ jwks: await jwks() }),
    signIn: ({ email, name, extra }) => signIn(email, name, extra),
  },
  () => ba.close(),
)
