// End-to-end runtime tests: the packed edgejwt tarball, installed like a user would, in real
// runtimes: Node (ESM server example), Deno, Bun, Cloudflare workerd (Miniflare), Next.js
// (`next build` + `next start`, middleware.ts on Edge and proxy.ts on Node, an Edge route) and
// headless Chromium. Every runtime answers the same request matrix (matrix.mjs). Also: publint,
// @arethetypeswrong/cli, a strict TypeScript consumer, and the README's snippets = examples/.
//
//   node tests/runtimes/run.mjs            (after `npm run build`; scripts/test.sh runs it)
//   RUNTIMES=workerd,next node tests/runtimes/run.mjs   (a subset)
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { basename, dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../ports.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const build = join(here, '.build')
const bin = (name) => join(here, 'node_modules/.bin', name)
const only = process.env.RUNTIMES?.split(',')
const want = (name) => !only || only.includes(name)
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', BETTER_AUTH_URL: 'http://localhost:3000' }

const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { cwd: here, stdio: 'inherit', env, ...opts })

// ---- install: runtimes from the lock file, edgejwt from the packed tarball ----
const lockStamp = join(here, 'node_modules/.package-lock.json')
if (!existsSync(lockStamp) || statSync(join(here, 'package-lock.json')).mtimeMs > statSync(lockStamp).mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund'])
}
rmSync(build, { recursive: true, force: true })
mkdirSync(build, { recursive: true })
// EDGEJWT_TARBALL: a tarball already packed (npm run release:check passes release/edgejwt-<v>.tgz);
// publint and attw then lint that tarball instead of packing pkg/.
const given = process.env.EDGEJWT_TARBALL
if (given) cpSync(given, join(build, basename(given)))
const tarball = given ? basename(given) : execFileSync('npm', ['pack', '--silent', '--pack-destination', build], { cwd: join(root, 'pkg'), encoding: 'utf8' }).trim().split('\n').pop()
run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', join(build, tarball)])

const { makeMatrix, runMatrix } = await import('./matrix.mjs')
const matrix = await makeMatrix()
writeFileSync(join(build, 'jwks.json'), JSON.stringify(matrix.jwks))

const results = []
const record = (runtime, version, r) => {
  results.push({ runtime, version, ...r })
}

/** A port the OS has just handed out and released (ports picked at random collide with the
 * ephemeral ports of this machine's own outgoing connections). */
/** Starts the server process `spawnAt(port)` describes, waits for its `url` to answer, runs
 * `fn(port)`, always stops the process. A port taken between `freePort` and the server's
 * `listen` is retried with another one (twice). */
async function withServer(spawnAt, fn, attempts = 3) {
  const port = await freePort()
  const { cmd, args, opts, url } = spawnAt(port)
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...opts })
  let log = ''
  child.stdout.on('data', (d) => (log += d))
  child.stderr.on('data', (d) => (log += d))
  let retry = false
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      if (child.exitCode !== null) {
        if (attempts > 1 && log.includes('EADDRINUSE')) {
          console.log(`  port ${port} was taken; retrying with another`)
          retry = true
          break
        }
        throw new Error(`${cmd} exited: ${log.slice(-2000)}`)
      }
      try {
        await fetch(url, { signal: AbortSignal.timeout(5_000) })
        break
      } catch {
        if (Date.now() > deadline) throw new Error(`${url} never answered: ${log.slice(-2000)}`)
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    if (!retry) return await fn(port)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)))
  }
  return withServer(spawnAt, fn, attempts - 1)
}

async function guarded(runtime, version, fn) {
  const t0 = Date.now()
  try {
    const r = await fn()
    record(runtime, version, { ...r, seconds: (Date.now() - t0) / 1000 })
  } catch (e) {
    console.log(`  FAIL ${runtime}: ${e.stack ?? e}`)
    record(runtime, version, { passed: 0, failures: [`${runtime}: ${e.message}`], seconds: (Date.now() - t0) / 1000 })
  }
}

// ---- Node, Deno, Bun: the Node server example, unchanged ----
const serverDir = join(build, 'server')
mkdirSync(serverDir)
cpSync(join(root, 'examples/node/server.mjs'), join(serverDir, 'server.mjs'))
cpSync(join(build, 'jwks.json'), join(serverDir, 'jwks.json'))
const serverRuntimes = [
  ['node', process.execPath, ['server.mjs'], process.version],
  ['deno', join(here, 'node_modules/@deno/linux-x64-glibc/deno'), ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'server.mjs'], null],
  ['bun', bin('bun'), ['server.mjs'], null],
]
for (const [name, cmd, args] of serverRuntimes) {
  if (!want(name)) continue
  const version = execFileSync(cmd, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim()
  console.log(`\n--- ${name} ${version}: examples/node/server.mjs`)
  await guarded(name, version, () =>
    withServer(
      (p) => ({ cmd, args, opts: { cwd: serverDir, env: { ...env, PORT: String(p) } }, url: `http://127.0.0.1:${p}/` }),
      (p) => runMatrix(`http://127.0.0.1:${p}/`, matrix.cases, name),
    ),
  )
}

// ---- Cloudflare workerd through Miniflare: examples/worker/worker.js bundled like wrangler ----
if (want('workerd')) {
  const dir = join(build, 'worker')
  mkdirSync(dir)
  cpSync(join(root, 'examples/worker/worker.js'), join(dir, 'worker.js'))
  cpSync(join(build, 'jwks.json'), join(dir, 'jwks.json'))
  const { Miniflare } = await import('miniflare')
  const version = `workerd ${JSON.parse(readFileSync(join(here, 'node_modules/workerd/package.json'), 'utf8')).version}, miniflare ${JSON.parse(readFileSync(join(here, 'node_modules/miniflare/package.json'), 'utf8')).version}`
  console.log(`\n--- ${version}: examples/worker/worker.js`)
  await guarded('workerd', version, async () => {
    const esbuild = await import('esbuild')
    await esbuild.build({
      entryPoints: [join(dir, 'worker.js')],
      outdir: join(dir, 'dist'),
      bundle: true,
      format: 'esm',
      conditions: ['workerd', 'worker', 'browser'],
      loader: { '.wasm': 'copy' },
      nodePaths: [join(here, 'node_modules')],
      logLevel: 'warning',
    })
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'dist/worker.js'),
      modulesRoot: join(dir, 'dist'),
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
      bindings: { BETTER_AUTH_URL: matrix.issuer },
      compatibilityDate: '2026-01-01',
      cf: false,
      host: '127.0.0.1',
      port: 0,
    })
    try {
      const url = await mf.ready
      return await runMatrix(url.href, matrix.cases, 'workerd')
    } finally {
      await mf.dispose()
    }
  })
}

// ---- Cloudflare workerd: createRemoteJWKSet under concurrency, a slow and a failing endpoint,
// and key rotation. The worker's outbound fetches reach a handler in this process (Miniflare's
// outboundService), which counts them and plays the endpoint's part. (A request cancelled by
// its client keeps running locally, so what production cancellation does cannot be shown
// here: the package is built so that no request awaits another request's fetch on workerd.)
if (want('workerd')) {
  const dir = join(build, 'worker-remote')
  mkdirSync(dir)
  writeFileSync(
    join(dir, 'worker.js'),
    `import { Verifier, createRemoteJWKSet } from 'edgejwt'
const verifiers = new Map()
export default {
  async fetch(request) {
    const url = new URL(request.url)
    const s = url.searchParams.get('s')
    let v = verifiers.get(s)
    if (!v) {
      const options = JSON.parse(url.searchParams.get('o') ?? '{}')
      v = new Verifier(createRemoteJWKSet('https://jwks.test/' + s, options), { issuer: ${JSON.stringify(matrix.issuer)}, audience: ${JSON.stringify(matrix.issuer)} })
      verifiers.set(s, v)
    }
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
    const t0 = Date.now()
    try {
      const { payload } = await v.verifyAsync(token)
      return Response.json({ sub: payload.sub, ms: Date.now() - t0 })
    } catch (err) {
      return Response.json({ error: err.code ?? String(err), message: err.message, ms: Date.now() - t0 }, { status: 401 })
    }
  },
}
`,
  )
  const { Miniflare, Response: MfResponse } = await import('miniflare')
  const jose = await import('jose')
  const keyPair = async (kid) => {
    const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true })
    const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }
    const sign = (sub) => new jose.SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid }).setSubject(sub).setIssuer(matrix.issuer).setAudience(matrix.issuer).setIssuedAt().setExpirationTime('15m').sign(privateKey)
    return { jwk, sign }
  }
  const a = await keyPair('key-a')
  const b = await keyPair('key-b')
  const endpoint = { calls: {}, mode: {}, keys: {} }
  const pause = (ms) => new Promise((r) => setTimeout(r, ms))
  console.log('\n--- workerd: createRemoteJWKSet (concurrency, slow and failing endpoint, rotation)')
  await guarded('workerd remote JWKS', 'miniflare outboundService', async () => {
    const esbuild = await import('esbuild')
    await esbuild.build({
      entryPoints: [join(dir, 'worker.js')],
      outdir: join(dir, 'dist'),
      bundle: true,
      format: 'esm',
      conditions: ['workerd', 'worker', 'browser'],
      loader: { '.wasm': 'copy' },
      nodePaths: [join(here, 'node_modules')],
      logLevel: 'warning',
    })
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, 'dist/worker.js'),
      modulesRoot: join(dir, 'dist'),
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
      compatibilityDate: '2026-01-01',
      cf: false,
      outboundService: async (request) => {
        const s = new URL(request.url).pathname.slice(1)
        endpoint.calls[s] = (endpoint.calls[s] ?? 0) + 1
        const mode = endpoint.mode[s] ?? 'ok'
        if (mode === '500') return new MfResponse('down', { status: 500 })
        if (mode === 'slow') await pause(1500)
        return new MfResponse(JSON.stringify({ keys: endpoint.keys[s] ?? [a.jwk] }), { headers: { 'content-type': 'application/json' } })
      },
    })
    let passed = 0
    const failures = []
    const check = (name, ok, detail) => {
      console.log(`  ${ok ? 'ok  ' : 'FAIL'} workerd remote JWKS: ${name}${ok ? '' : ` (${detail})`}`)
      if (ok) passed++
      else failures.push(`workerd remote JWKS: ${name}: ${detail}`)
    }
    try {
      const base = await mf.ready
      const ask = async (s, options, token) => {
        const url = new URL(base)
        url.searchParams.set('s', s)
        url.searchParams.set('o', JSON.stringify(options))
        const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
        return { status: res.status, ...(await res.json()) }
      }
      const tokenA = await a.sign('user_a')
      const tokenB = await b.sign('user_b')

      // Concurrent cold requests: all verify; then no fetch per request.
      const cold = await Promise.all(Array.from({ length: 20 }, () => ask('concurrent', {}, tokenA)))
      check('20 concurrent cold requests verify', cold.every((r) => r.status === 200 && r.sub === 'user_a'), JSON.stringify(cold.find((r) => r.status !== 200)))
      const coldCalls = endpoint.calls.concurrent
      check(`each cold request fetched at most once (${coldCalls} fetches: no request awaits another's)`, coldCalls >= 1 && coldCalls <= 20, `${coldCalls} fetches`)
      for (let i = 0; i < 20; i++) await ask('concurrent', {}, tokenA)
      check('no fetch per request once cached', endpoint.calls.concurrent === coldCalls, `${endpoint.calls.concurrent - coldCalls} more fetches`)

      // A slow endpoint with nothing cached: ERR_JWKS_TIMEOUT after timeoutDuration, then recovery.
      endpoint.mode.slow = 'slow'
      const slow = await ask('slow', { timeoutDuration: 300, cooldownDuration: 0 }, tokenA)
      check('a slow endpoint times out with ERR_JWKS_TIMEOUT', slow.status === 401 && slow.error === 'ERR_JWKS_TIMEOUT' && slow.ms < 1400, JSON.stringify(slow))
      endpoint.mode.slow = 'ok'
      const recovered = await ask('slow', { timeoutDuration: 300, cooldownDuration: 0 }, tokenA)
      check('the next request after the endpoint recovers verifies', recovered.status === 200, JSON.stringify(recovered))

      // A failing endpoint with a stale set: served at once, one attempt per cooldown.
      const failing = { cacheMaxAge: 200, cooldownDuration: 1_500 }
      await ask('failing', failing, tokenA)
      await pause(1_600) // stale, and the first fetch's cooldown is over
      endpoint.mode.failing = '500'
      const stale = []
      for (let i = 0; i < 10; i++) stale.push(await ask('failing', failing, tokenA))
      check('a stale set keeps verifying while the endpoint fails', stale.every((r) => r.status === 200), JSON.stringify(stale.find((r) => r.status !== 200)))
      check('one refresh attempt for ten requests', endpoint.calls.failing === 2, `${endpoint.calls.failing} fetches`)
      endpoint.mode.failing = 'slow'
      const t0 = Date.now()
      const slowStale = await ask('failing', failing, tokenA)
      check('a hanging endpoint does not delay requests served from the stale set', slowStale.status === 200 && Date.now() - t0 < 1000, JSON.stringify(slowStale))

      // Rotation: a token with a new kid triggers one refetch; concurrent ones share the result.
      await ask('rotation', { cooldownDuration: 0 }, tokenA)
      endpoint.keys.rotation = [a.jwk, b.jwk]
      const rotated = await ask('rotation', { cooldownDuration: 0 }, tokenB)
      check('a rotated key verifies after one refetch', rotated.status === 200 && rotated.sub === 'user_b' && endpoint.calls.rotation === 2, `${JSON.stringify(rotated)}, ${endpoint.calls.rotation} fetches`)
      const after = await Promise.all(Array.from({ length: 10 }, (_, i) => ask('rotation', { cooldownDuration: 0 }, i % 2 ? tokenA : tokenB)))
      check('old and new keys both verify, no further fetch', after.every((r) => r.status === 200) && endpoint.calls.rotation === 2, `${JSON.stringify(after.find((r) => r.status !== 200))}, ${endpoint.calls.rotation} fetches`)
      return { passed, failures }
    } finally {
      await mf.dispose()
    }
  })
}

// ---- Next.js: next build + next start, middleware.ts (Edge) and proxy.ts (Node) ----
for (const variant of ['middleware', 'proxy']) {
  if (!want('next')) continue
  const dir = join(build, `next-${variant}`)
  mkdirSync(join(dir, 'app/api/whoami'), { recursive: true })
  mkdirSync(join(dir, 'app/api/edge'), { recursive: true })
  // proxy.ts is the middleware example with the Next 16 name, as the README says.
  const middleware = readFileSync(join(root, 'examples/next/middleware.ts'), 'utf8')
  writeFileSync(join(dir, `${variant}.ts`), variant === 'proxy' ? middleware.replace('export function middleware(', 'export function proxy(') : middleware)
  cpSync(join(root, 'examples/next/route.ts'), join(dir, 'app/api/edge/route.ts'))
  cpSync(join(build, 'jwks.json'), join(dir, 'jwks.json'))
  writeFileSync(
    join(dir, 'app/api/whoami/route.ts'),
    "export function GET(request: Request) {\n  return Response.json({ sub: request.headers.get('x-user-id') })\n}\n",
  )
  writeFileSync(join(dir, 'next.config.mjs'), `export default { turbopack: { root: ${JSON.stringify(here)} } }\n`)
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['dom', 'esnext'], strict: true, noEmit: true, module: 'esnext',
        moduleResolution: 'bundler', resolveJsonModule: true, isolatedModules: true, jsx: 'react-jsx',
        esModuleInterop: true, skipLibCheck: true, plugins: [{ name: 'next' }],
      },
      include: ['**/*.ts', 'next-env.d.ts'],
    }),
  )
  const version = `next ${JSON.parse(readFileSync(join(here, 'node_modules/next/package.json'), 'utf8')).version}`
  console.log(`\n--- ${version}: ${variant}.ts`)
  await guarded(`next ${variant}.ts`, version, async () => {
    const t0 = Date.now()
    run(bin('next'), ['build'], { cwd: dir })
    const buildSeconds = (Date.now() - t0) / 1000
    console.log(`  next build (${variant}.ts): ${buildSeconds.toFixed(1)} s`)
    // Where Next put each piece: middleware.ts and the route on Edge (with the wasm), proxy.ts on Node.
    const manifest = JSON.parse(readFileSync(join(dir, '.next/server/middleware-manifest.json'), 'utf8'))
    const edgeMiddleware = Object.keys(manifest.middleware).length > 0
    if (edgeMiddleware !== (variant === 'middleware')) throw new Error(`${variant}.ts: edge middleware in manifest = ${edgeMiddleware}`)
    if (!manifest.functions['/api/edge/route']?.wasm?.length) throw new Error('the edge route is not an Edge function with wasm')
    console.log(`  ok   ${variant}.ts runs on ${edgeMiddleware ? 'Edge' : 'Node.js'}; /api/edge is an Edge function with the wasm`)
    const spawnAt = (p) => ({ cmd: bin('next'), args: ['start', '-H', '127.0.0.1', '-p', String(p)], opts: { cwd: dir }, url: `http://127.0.0.1:${p}/api/edge` })
    const r = await withServer(spawnAt, async (p) => {
      const a = await runMatrix(`http://127.0.0.1:${p}/api/whoami`, matrix.cases, `${variant}.ts`)
      const b = await runMatrix(`http://127.0.0.1:${p}/api/edge`, matrix.cases, 'edge route')
      return { passed: a.passed + b.passed, failures: [...a.failures, ...b.failures] }
    })
    return { ...r, buildSeconds }
  })
}

// ---- Chromium: the browser example served on 127.0.0.1, driven by playwright-core ----
if (want('chromium')) {
  const chromium = '/usr/bin/chromium'
  const version = existsSync(chromium) ? execFileSync(chromium, ['--version'], { encoding: 'utf8' }).trim() : 'missing'
  console.log(`\n--- ${version}: examples/browser/index.html`)
  await guarded('chromium', version, async () => {
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' }
    const files = {
      '/index.html': join(root, 'examples/browser/index.html'),
      '/jwks.json': join(build, 'jwks.json'),
    }
    const server = createServer((req, res) => {
      const path = new URL(req.url, 'http://x').pathname
      const file = files[path] ?? (path.startsWith('/node_modules/edgejwt/') ? join(here, path) : null)
      if (!file || !existsSync(file)) {
        res.statusCode = 404
        return res.end()
      }
      res.setHeader('content-type', types[extname(file)] ?? 'application/octet-stream')
      res.end(readFileSync(file))
    })
    await new Promise((r) => server.listen(0, '127.0.0.1', r))
    const { chromium: pw } = await import('playwright-core')
    const browser = await pw.launch({
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage()
      const consoleLines = []
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`))
      page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`))
      page.on('requestfailed', (r) => consoleLines.push(`requestfailed: ${r.url()}`))
      let passed = 0
      const failures = []
      for (const c of matrix.cases) {
        const hash = c.token === null ? '' : `#token=${encodeURIComponent(c.token)}`
        await page.goto(`http://127.0.0.1:${server.address().port}/index.html?${passed}${hash}`)
        const result = await page
          .waitForFunction(() => window.edgejwtResult, null, { timeout: 10_000 })
          .then((h) => h.jsonValue())
          .catch((e) => {
            throw new Error(`${e.message}\n${consoleLines.join('\n')}`)
          })
        const ok = c.status === 200 ? result.sub === c.sub : result.error === c.code
        console.log(`  ${ok ? 'ok  ' : 'FAIL'} chromium: ${c.name} → ${JSON.stringify(result)}`)
        if (ok) passed++
        else failures.push(`chromium: ${c.name}: got ${JSON.stringify(result)}`)
      }
      return { passed, failures }
    } finally {
      await browser.close()
      server.close()
    }
  })
}

// ---- Packaging: publint, attw, a strict TypeScript consumer ----
if (want('packaging')) {
  console.log('\n--- packaging')
  await guarded('publint', 'publint 0.3.25', async () => {
    const out = execFileSync(bin('publint'), ['--strict', given ? join(build, tarball) : join(root, 'pkg')], { cwd: here, encoding: 'utf8', env })
    console.log(out.trim())
    return { passed: 1, failures: [] }
  })
  await guarded('attw', '@arethetypeswrong/cli 0.18.5', async () => {
    const out = execFileSync(bin('attw'), [...(given ? [join(build, tarball)] : ['--pack', join(root, 'pkg')]), '--format', 'table-flipped'], { cwd: here, encoding: 'utf8', env })
    console.log(out.trim())
    return { passed: 1, failures: [] }
  })
  await guarded('tsc consumer', `typescript ${JSON.parse(readFileSync(join(here, 'node_modules/typescript/package.json'), 'utf8')).version}`, async () => {
    const dir = join(build, 'tsc')
    mkdirSync(dir)
    cpSync(join(here, 'consumer.ts'), join(dir, 'consumer.ts'))
    for (const resolution of ['nodenext', 'bundler']) {
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM', 'esnext.disposable'], module: resolution === 'bundler' ? 'esnext' : 'nodenext', moduleResolution: resolution, skipLibCheck: false, types: [] },
          files: ['consumer.ts'],
        }),
      )
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
      run(bin('tsc'), ['-p', dir])
      console.log(`  ok   tsc --noEmit (strict, moduleResolution ${resolution})`)
    }
    return { passed: 2, failures: [] }
  })
}

// ---- README shows the examples verbatim ----
if (want('readme')) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const examples = ['examples/node/server.mjs', 'examples/next/middleware.ts', 'examples/next/route.ts', 'examples/worker/worker.js', 'examples/browser/index.html']
  const failures = examples.filter((f) => !readme.includes(readFileSync(join(root, f), 'utf8').trim())).map((f) => `README does not include ${f} verbatim`)
  for (const f of examples) console.log(`  ${failures.some((x) => x.includes(f)) ? 'FAIL' : 'ok  '} README includes ${f}`)
  record('README snippets', '', { passed: examples.length - failures.length, failures })
}

// ---- summary ----
console.log('\nruntime            version                                         passed  failed')
let passed = 0
let failed = 0
for (const r of results) {
  passed += r.passed
  failed += r.failures.length
  const extra = r.buildSeconds ? ` (next build ${r.buildSeconds.toFixed(1)} s)` : ''
  console.log(`${r.runtime.padEnd(18)} ${String(r.version).slice(0, 46).padEnd(47)} ${String(r.passed).padStart(6)}  ${String(r.failures.length).padStart(6)}${extra}`)
}
for (const r of results) for (const f of r.failures) console.log(`FAILED ${f}`)
console.log(`runtimes: ${passed} passed, ${failed} failed`)
process.exitCode = failed || !results.length ? 1 : 0
