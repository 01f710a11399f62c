// One Better Auth release (tests/better-auth/releases/<minor>/, installed from its own lock file)
// loaded in-process: its modules come from that folder's node_modules, whatever the importing
// file is. startRelease() serves it with the memory adapter on 127.0.0.1 only.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const HERE = dirname(fileURLToPath(import.meta.url))
export const RELEASES = ['1.3', '1.4', '1.5', '1.6', '1.7']
export const SECRET = 'edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz'
export const ALL_ALGS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256']

/** The file a package's `exports` entry resolves to for `import` in Node. */
function resolveExport(entry) {
  if (typeof entry === 'string') return entry
  for (const condition of ['node', 'import', 'default']) {
    if (entry?.[condition] !== undefined) {
      const file = resolveExport(entry[condition])
      if (file) return file
    }
  }
  return undefined
}

async function importFrom(dir, pkgName, subpath = '.') {
  const pkgDir = join(dir, 'node_modules', pkgName)
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  const file = resolveExport(pkg.exports?.[subpath]) ?? (subpath === '.' ? pkg.module ?? pkg.main : undefined)
  if (!file) throw new Error(`${pkgName}: no export ${subpath}`)
  return import(pathToFileURL(join(pkgDir, file)).href)
}

/**
 * The release installed in releases/<minor>: its version, its modules, and what it offers, as
 * read from its dist (type declarations and code), not assumed from the minor.
 */
export async function loadRelease(minor) {
  const dir = join(HERE, minor)
  const pkgDir = join(dir, 'node_modules/better-auth')
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version
  const [main, memory, node, plugins, cookies, jose] = await Promise.all([
    importFrom(dir, 'better-auth'),
    importFrom(dir, 'better-auth', './adapters/memory'),
    importFrom(dir, 'better-auth', './node'),
    importFrom(dir, 'better-auth', './plugins'),
    importFrom(dir, 'better-auth', './cookies'),
    importFrom(dir, 'jose'),
  ])
  return {
    minor,
    version,
    betterAuth: main.betterAuth,
    memoryAdapter: memory.memoryAdapter,
    toNodeHandler: node.toNodeHandler,
    jwt: plugins.jwt,
    getCookieCache: cookies.getCookieCache,
    jose,
    features: features(pkgDir),
  }
}

/** What the release's dist declares: jwt() algorithms, rotation, cookie strategies. */
function features(pkgDir) {
  const grep = (pattern, include) => {
    // A recursive search of dist without a dependency: grep is on every test machine.
    try {
      return execFileSync('grep', ['-rhoE', pattern, join(pkgDir, 'dist'), `--include=${include}`], { encoding: 'utf8', maxBuffer: 64 << 20 })
    } catch (e) {
      if (e.status === 1) return ''
      throw e
    }
  }
  const declared = grep('alg: "(EdDSA|ES256|ES384|ES512|RS256|RS384|RS512|PS256|PS384|PS512)"', '*.d.*ts')
  const algs = ALL_ALGS.filter((a) => declared.includes(`alg: "${a}"`))
  const rotation = grep('rotationInterval\\??:', '*.d.*ts') !== ''
  const pluginCookie = grep('sessionCookieCache\\??:', '*.d.*ts') !== ''
  const strategyCode = grep('strategy === "(jwt|jwe)"', '*.mjs')
  const strategies = ['compact', ...['jwt', 'jwe'].filter((s) => strategyCode.includes(`"${s}"`))]
  return { algs, rotation, strategies, pluginCookie }
}

/**
 * Starts the release on 127.0.0.1 (in this process). `alg`: the jwt plugin's key type; `jwks`
 * and `session` go to the plugin's `jwks` and Better Auth's `session` options;
 * `sessionCookieCache`: the jwt plugin's option (1.7). Counts the requests to /api/auth/jwks.
 */
export async function startRelease(release, { alg = 'EdDSA', jwks = {}, session, sessionCookieCache } = {}) {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${server.address().port}`
  const db = { user: [], session: [], account: [], verification: [], jwks: [] }
  const keyPairConfig = alg.startsWith('RS') || alg.startsWith('PS') ? { alg, modulusLength: 2048 } : { alg }
  const auth = release.betterAuth({
    baseURL,
    secret: SECRET,
    database: release.memoryAdapter(db),
    emailAndPassword: { enabled: true },
    session,
    logger: { disabled: true },
    telemetry: { enabled: false },
    plugins: [
      release.jwt({
        jwks: { keyPairConfig, ...jwks },
        jwt: { definePayload: ({ user }) => ({ ...user, uuid: `uuid-${user.id}`, role: 'member' }) },
        ...(sessionCookieCache ? { sessionCookieCache: true } : {}),
      }),
    ],
  })
  const handler = release.toNodeHandler(auth)
  const hits = { jwks: 0 }
  server.on('request', (req, res) => {
    if (req.url.split('?')[0] === '/api/auth/jwks') hits.jwks++
    handler(req, res)
  })

  const api = (path, { method = 'GET', body, cookie } = {}) => fetch(`${baseURL}/api/auth${path}`, {
    method,
    headers: { 'content-type': 'application/json', origin: baseURL, ...(cookie ? { cookie } : {}) },
    body: body && JSON.stringify(body),
  })

  /** Signs up and in; the cookie header to send back and the Set-Cookie lines. */
  const signIn = async (email = 'ada@example.com', name = 'Ada Lovelace') => {
    const password = 'correct horse battery staple'
    const up = await api('/sign-up/email', { method: 'POST', body: { email, password, name } })
    if (!up.ok) throw new Error(`sign-up failed: ${up.status} ${await up.text()}`)
    const res = await api('/sign-in/email', { method: 'POST', body: { email, password } })
    if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
    const setCookies = res.headers.getSetCookie()
    return { cookie: setCookies.map((c) => c.split(';')[0]).join('; '), setCookies, body: await res.json() }
  }
  const token = async (cookie) => {
    const res = await api('/token', { cookie })
    if (!res.ok) throw new Error(`/token: ${res.status} ${await res.text()}`)
    return (await res.json()).token
  }
  const getJwks = async () => (await api('/jwks')).json()

  const close = () => new Promise((resolve) => {
    server.closeAllConnections?.()
    server.close(resolve)
  })
  return { auth, baseURL, api, signIn, token, jwks: getJwks, close, db, hits }
}

const RealDate = Date
/**
 * Runs `fn` with the clock at `ms` (Date.now() and `new Date()`), for Better Auth's own readers,
 * which take no time option. Nothing else runs in this process meanwhile (no request is served).
 */
export async function atTime(ms, fn) {
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms)
      else super(...args)
    }
    static now() {
      return ms
    }
    static [Symbol.hasInstance](v) {
      return v instanceof RealDate
    }
  }
  globalThis.Date = FakeDate
  try {
    return await fn()
  } finally {
    globalThis.Date = RealDate
  }
}
