// Better Auth: email and password, the jwt() plugin (EdDSA by default) signing both the JWTs the
// browser sends to the API and the session cookie cache (read by proxy.ts with edgejwt, no
// database call), on SQLite. Every setting comes from the environment at server start, so one
// `next build` serves any port, token lifetime or rotation interval.
import Database from 'better-sqlite3'
import { betterAuth } from 'better-auth'
import { getMigrations } from 'better-auth/db/migration'
import { nextCookies } from 'better-auth/next-js'
import { jwt } from 'better-auth/plugins'

/** A whole number of seconds from the environment, or `fallback`. */
function seconds(name: string, fallback?: number): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a whole number of seconds > 0, got ${JSON.stringify(raw)}`)
  return n
}

const ALGS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'] as const
type Alg = (typeof ALGS)[number]
const alg = (process.env.JWT_ALG ?? 'EdDSA') as Alg
if (!ALGS.includes(alg)) throw new Error(`JWT_ALG must be one of ${ALGS.join(', ')}, got ${alg}`)

/** The app's public URL: Better Auth signs `iss` and `aud` with it; the API checks both. */
export const BETTER_AUTH_URL = process.env.BETTER_AUTH_URL ?? 'http://127.0.0.1:3000'
const expiresIn = seconds('JWT_EXPIRES_IN', 15 * 60)!
const rotationInterval = seconds('JWKS_ROTATION_INTERVAL')
// `next build` loads this module to collect page data: give it a throwaway database.
const building = process.env.NEXT_PHASE === 'phase-production-build'
const database = new Database(building ? ':memory:' : (process.env.DATABASE_PATH ?? 'web.db'))
database.pragma('journal_mode = WAL')

export const auth = betterAuth({
  baseURL: BETTER_AUTH_URL,
  // Sessions and the cookie cache are signed with it; scripts/example.mjs makes one per data folder.
  secret: building ? 'next-build-only-never-signs-anything-0123456789' : process.env.BETTER_AUTH_SECRET,
  database,
  emailAndPassword: { enabled: true },
  session: {
    // The session's signed copy in a cookie (`better-auth.session_data`), as a JWT signed with
    // the JWKS keys (the plugin's sessionCookieCache below): proxy.ts verifies it locally.
    cookieCache: { enabled: true, strategy: 'jwt', maxAge: 5 * 60 },
  },
  plugins: [
    jwt({
      jwks: { keyPairConfig: alg === 'RS256' || alg === 'PS256' ? { alg, modulusLength: 2048 } : { alg }, rotationInterval },
      jwt: { expirationTime: `${expiresIn}s` },
      sessionCookieCache: true,
    }),
    nextCookies(),
  ],
  telemetry: { enabled: false },
})

/** Creates or updates Better Auth's tables (instrumentation.ts, at server start). */
export async function migrate() {
  const { runMigrations } = await getMigrations(auth.options)
  await runMigrations()
}
