// Better Auth's own reader on a Cookie header, for tests in other languages:
//   echo '{"cookie": "...", "secret": "...", "strategy": "compact", "jwks": {...}?}' | node tests/better-auth/get-cookie-cache.mjs
// prints getCookieCache's result as JSON (`null` when Better Auth refuses the cookie).
import { getCookieCache } from 'better-auth/cookies'

let input = ''
for await (const chunk of process.stdin) input += chunk
const { cookie, secret, strategy, jwks, cookiePrefix, isSecure = false } = JSON.parse(input)
const read = await getCookieCache(new Headers({ cookie }), {
  secret,
  strategy,
  isSecure,
  ...(cookiePrefix ? { cookiePrefix } : {}),
  ...(jwks ? { jwt: { jwks } } : {}),
})
// Better Auth returns Dates where the JSON has strings: print the JSON.
process.stdout.write(JSON.stringify(read ?? null) + '\n')
