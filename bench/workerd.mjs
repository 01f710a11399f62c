// edgejwt vs jose inside Cloudflare's workerd (run locally through Miniflare), where the package
// runs in production and jose uses WebCrypto (crypto.subtle). Two measurements:
//
// 1. Verification, µs per token, per algorithm: one Worker (bench/workerd/verify.worker.js)
//    verifies a realistic Better Auth token (iss and aud checked, sub compared) n times in one
//    request. Timed from Node around the whole request, with µs resolution, then the cost of an
//    empty request (n = 0: HTTP round trip, routing, JSON response; measured in every round, its
//    median) is subtracted and the rest divided by n. This does not depend on the Worker's
//    clock: production workerd freezes Date.now()/performance.now() while a request runs
//    synchronously (Spectre mitigation; they advance only on I/O), and even where it does not
//    they tick in whole milliseconds. The Worker's own Date.now() reading around each batch is
//    still collected, and reported as a cross-check, with whether it advanced at all.
//    Implementations are interleaved in rounds after a warm-up, batches sized to ~60 ms for the
//    slowest one; we report the median of the per-round means and the spread (min–max), as
//    bench/bench.mjs does for Node. For reference, the same wasm in this Node process (the same
//    token and batch, interleaved in the same rounds) gives a column comparing the two engines.
// 2. Cold start: a new Miniflare instance per sample (so a new workerd process and a new
//    isolate, whose modules, wasm included, are compiled and evaluated at start), timed from
//    Node until the first response to a request that builds the verifier and verifies one
//    token. Workers: edgejwt, jose, and a no-op Worker (same request, no JWT library) whose
//    time is the baseline: workerd's and Miniflare's own start. Kinds alternate in rotation.
//    `mf.ready` resolves only once workerd has started the isolates and evaluated the modules
//    (a Worker whose top level runs for seconds delays it by as much), so "start → ready" holds
//    the isolate start and "first request" the verifier's build and first verify. The Worker's
//    clock reading of those two steps inside the first request is reported too.
// 3. The same per-isolate cost with less noise: one Miniflare instance with K copies of a
//    Worker (K isolates in one workerd process), timed until ready, then each copy's first
//    request; (ready − no-op's ready) / K is one isolate's start, with workerd's own process start
//    (~100–400 ms, most of the noise above) taken out K times less. Every copy's module bytes
//    differ (a comment in the JS, a custom section in the wasm), so V8's caches, keyed on the
//    bytes, cannot share compiled code between them: each isolate compiles its own, as
//    separate Workers would. (A no-op isolate alone costs tens of ms here: Miniflare adds
//    services per Worker; subtracting the no-op copies takes that out too.)
//
//   npm run bench:workerd [-- --quick] [-- --algs=EdDSA,ES256] [-- --no-cold] [-- --no-verify]
//                         [-- --cold-runs=20] [-- --cold-alg=EdDSA]
// (`node scripts/prepare.mjs bench` first installs bench/workerd's pinned Miniflare and builds
// pkg/dist when missing or stale.) Miniflare runs offline (cf: false) on 127.0.0.1, random ports.
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import { Verifier as NodeVerifier } from '../pkg/dist/node.mjs'
import { makeCase, median, stats } from './cases.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const here = join(root, 'bench/workerd')
const out = join(root, '.tmp/bench-workerd')
const { Miniflare } = await import(pathToFileURL(createRequire(join(here, 'package.json')).resolve('miniflare')).href)

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const quick = process.argv.includes('--quick')
const ROUNDS = quick ? 5 : 15
const COLD_RUNS = Number(arg('cold-runs') ?? (quick ? 5 : 20))
const COLD_ALG = arg('cold-alg') ?? 'EdDSA'
const COPIES = 8 // isolates per workerd in measurement 3
const COPY_RUNS = Number(arg('copy-runs') ?? (quick ? 3 : 10))
const ALGS = arg('algs')?.split(',') ?? ['EdDSA', 'ES256', 'RS256', 'ES512', 'PS256', 'HS256']
const COMPAT_DATE = '2026-01-01' // as tests/runtimes/run.mjs
const version = (dir, name) => JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version

// ---- bundle the Workers like wrangler does: `workerd` export condition, .wasm as a module ----
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'node_modules'), { recursive: true })
// `edgejwt` resolves to pkg/ through its package.json exports (the `workerd` condition picks
// src/workerd.js, which imports dist/edgejwt_wasm_bg.wasm), as an installed package would.
symlinkSync(join(root, 'pkg'), join(out, 'node_modules/edgejwt'), 'dir')
const WORKERS = ['verify', 'cold-edgejwt', 'cold-jose', 'cold-noop']
await Promise.all(
  WORKERS.map((w) =>
    esbuild.build({
      entryPoints: [join(here, `${w}.worker.js`)],
      outdir: join(out, w),
      bundle: true,
      format: 'esm',
      conditions: ['workerd', 'worker', 'browser'],
      loader: { '.wasm': 'copy' },
      nodePaths: [join(out, 'node_modules'), join(root, 'node_modules')],
      logLevel: 'warning',
    }),
  ),
)
/** Miniflare options for the bundled Worker `w`: offline, on 127.0.0.1, a free port. */
const workerOptions = (w, bindings) => ({
  modules: true,
  scriptPath: join(out, w, `${w}.worker.js`),
  modulesRoot: join(out, w),
  modulesRules: [
    { type: 'ESModule', include: ['**/*.js'] },
    { type: 'CompiledWasm', include: ['**/*.wasm'] },
  ],
  bindings,
  compatibilityDate: COMPAT_DATE,
  cf: false,
  host: '127.0.0.1',
  port: 0,
})

// ---- 1. verification, µs per token ----
const rows = []
let clockAdvanced = false
if (!process.argv.includes('--no-verify')) {
  const cases = {}
  for (const alg of ALGS) {
    // Only what the Worker needs, as JSON bindings.
    const { jwk, token, sub, issuer } = await makeCase(alg)
    cases[alg] = { jwk, token, sub, issuer }
  }
  const mf = new Miniflare(workerOptions('verify', { CASES: cases }))
  try {
    const base = await mf.ready
    const NODE = 'edgejwt in Node'
    const nodeVerifiers = {}
    /** One request: `impl` verifies `alg`'s token n times. → Node-side ms, Worker-side ms. */
    const call = async (alg, impl, n) => {
      if (impl === NODE) {
        // The reference: the same loop as the Worker's, in this process, no request.
        const c = cases[alg]
        const v = (nodeVerifiers[alg] ??= new NodeVerifier({ keys: [c.jwk] }, { issuer: c.issuer, audience: c.issuer }))
        let ok = 0
        const t0 = performance.now()
        for (let i = 0; i < n; i++) {
          const { payload } = await v.verify(c.token)
          if (payload.sub === c.sub) ok++
        }
        const ms = performance.now() - t0
        if (ok !== n) throw new Error(`${alg} ${impl}: ${ok} of ${n} verified`)
        return { ms, inner: ms }
      }
      const url = new URL(base)
      url.search = new URLSearchParams({ alg, impl, n: String(n) })
      const t0 = performance.now()
      const res = await fetch(url)
      const body = await res.json()
      const ms = performance.now() - t0
      // Never time failures: every verification must have returned the expected sub.
      if (res.status !== 200 || body.ok !== n) throw new Error(`${alg} ${impl}: ${res.status} ${JSON.stringify(body)} (expected ${n} verified)`)
      return { ms, inner: body.ms }
    }
    for (const alg of ALGS) {
      const names = ['edgejwt', ...(alg.startsWith('HS') ? [] : ['jose (JWKS)']), 'jose (CryptoKey)', NODE]
      // Warm-up: ~300 ms of requests per implementation, so V8's wasm (Liftoff → TurboFan) and
      // JS tiers have reached optimised code before anything is timed.
      for (const n of names) {
        const until = performance.now() + 300
        while (performance.now() < until) await call(alg, n, 20)
      }
      // Batch size: ≈ 60 ms of verifications for the slowest implementation, beyond the empty
      // request's cost, so that cost's jitter (a few ms on a loaded machine) stays small. The
      // fastest of three tries each, so one slow moment cannot shrink the batch.
      let emptyMs = Infinity
      for (let t = 0; t < 3; t++) emptyMs = Math.min(emptyMs, (await call(alg, 'edgejwt', 0)).ms)
      const per = {}
      for (const n of names) {
        const tries = []
        for (let t = 0; t < 3; t++) tries.push(((await call(alg, n, 40)).ms - (n === NODE ? 0 : emptyMs)) / 40)
        per[n] = Math.max(0.001, Math.min(...tries))
      }
      const batch = Math.max(5, Math.min(5000, Math.floor(60 / Math.max(...Object.values(per)))))
      const raw = Object.fromEntries(names.map((n) => [n, []]))
      const inner = Object.fromEntries(names.map((n) => [n, []]))
      const empty = []
      for (let r = 0; r < ROUNDS; r++) {
        empty.push((await call(alg, 'edgejwt', 0)).ms)
        for (const n of r % 2 ? names : names.slice().reverse()) {
          const { ms, inner: innerMs } = await call(alg, n, batch)
          raw[n].push(ms)
          inner[n].push(innerMs)
          if (innerMs > 0 && n !== NODE) clockAdvanced = true
        }
      }
      const overhead = median(empty)
      const r = { overhead, batch }
      for (const n of names) {
        r[n] = stats(raw[n].map((ms) => ((ms - (n === NODE ? 0 : overhead)) / batch) * 1000))
        r[n].inner = (median(inner[n]) / batch) * 1000
      }
      rows.push([alg, r])
      const j = r['jose (JWKS)'] ?? r['jose (CryptoKey)']
      console.error(`${alg}: edgejwt ${r.edgejwt.med.toFixed(1)} µs, jose ${j.med.toFixed(1)} µs (${(r.edgejwt.med / j.med).toFixed(2)}×); batch ${batch}, empty request ${overhead.toFixed(2)} ms`)
    }
  } finally {
    await mf.dispose()
  }
}

// ---- 2. cold start: new workerd process + isolate, first request verifies once ----
const cold = { 'no-op': [], edgejwt: [], jose: [] }
const copies = { 'no-op': [], edgejwt: [], jose: [] }
if (!process.argv.includes('--no-cold')) {
  const c = await makeCase(COLD_ALG)
  const COLD = { jwks: { keys: [c.jwk] }, issuer: c.issuer, sub: c.sub }
  const kinds = Object.keys(cold)
  const script = { 'no-op': 'cold-noop', edgejwt: 'cold-edgejwt', jose: 'cold-jose' }
  const ask = async (url) => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${c.token}` } })
    const body = await res.json()
    if (res.status !== 200 || body.sub !== c.sub) throw new Error(`cold start: ${res.status} ${JSON.stringify(body)}`)
    return body
  }
  // One unrecorded start of each kind first (the OS's file cache, Node's JIT for Miniflare).
  for (let i = -1; i < COLD_RUNS; i++) {
    // Rotate the order every sample so no kind always follows another.
    const order = kinds.map((_, k) => kinds[(k + i + 1) % kinds.length])
    for (const kind of order) {
      const t0 = performance.now()
      const mf = new Miniflare(workerOptions(script[kind], { COLD }))
      try {
        const url = await mf.ready
        const t1 = performance.now()
        const inside = await ask(url)
        const t2 = performance.now()
        await ask(url) // a second, warm request: what the first one cost beyond it is lazy setup
        const t3 = performance.now()
        if (i >= 0) cold[kind].push({ ready: t1 - t0, first: t2 - t1, total: t2 - t0, warm: t3 - t2, build: inside.build, verify: inside.verify })
      } finally {
        await mf.dispose()
      }
    }
  }

  // ---- 3. K isolates per workerd: each copy's bytes made unique ----
  const leb128 = (n) => {
    const b = []
    do {
      b.push((n & 127) | (n >= 128 ? 128 : 0))
      n >>>= 7
    } while (n)
    return b
  }
  for (const kind of kinds) {
    for (let k = 0; k < COPIES; k++) {
      const w = script[kind]
      const dir = join(out, 'copies', `${w}-${k}`)
      mkdirSync(dir, { recursive: true })
      for (const f of readdirSync(join(out, w))) {
        let bytes = readFileSync(join(out, w, f))
        if (f.endsWith('.js')) bytes = Buffer.concat([bytes, Buffer.from(`\n// copy ${k}\n`)])
        if (f.endsWith('.wasm')) {
          // A custom section (id 0): name length, name; ignored by the module, but it changes
          // the bytes V8 keys its compiled-module cache on.
          const name = Buffer.from(`edgejwt-bench-copy-${k}`)
          const body = Buffer.from([...leb128(name.length), ...name])
          bytes = Buffer.concat([bytes, Buffer.from([0, ...leb128(body.length)]), body])
        }
        writeFileSync(join(dir, f), bytes)
      }
    }
  }
  for (let i = -1; i < COPY_RUNS; i++) {
    for (const kind of kinds.map((_, k) => kinds[(k + i + 1) % kinds.length])) {
      const w = script[kind]
      const t0 = performance.now()
      const mf = new Miniflare({
        workers: Array.from({ length: COPIES }, (_, k) => {
          const o = workerOptions(w, { COLD })
          return { ...o, name: `copy${k}`, scriptPath: join(out, 'copies', `${w}-${k}`, `${w}.worker.js`), modulesRoot: join(out, 'copies', `${w}-${k}`), routes: [`copy${k}.bench/*`], cf: undefined, host: undefined, port: undefined }
        }),
        cf: false,
        host: '127.0.0.1',
        port: 0,
      })
      try {
        await mf.ready
        const ready = performance.now() - t0
        const firsts = []
        for (let k = 0; k < COPIES; k++) {
          const a = performance.now()
          const res = await mf.dispatchFetch(`http://copy${k}.bench/`, { headers: { authorization: `Bearer ${c.token}` } })
          const body = await res.json()
          if (res.status !== 200 || body.sub !== c.sub) throw new Error(`copy ${k} of ${kind}: ${res.status} ${JSON.stringify(body)}`)
          firsts.push(performance.now() - a)
        }
        if (i >= 0) copies[kind].push({ ready, first: median(firsts) })
      } finally {
        await mf.dispose()
      }
    }
  }
}

// ---- report ----
const wv = version(here, 'workerd')
const mv = version(here, 'miniflare')
const jv = version(root, 'jose')
const us = (x) => (x ? `${x.med < 10 ? x.med.toFixed(1) : x.med.toFixed(0)} (${x.min.toFixed(x.min < 10 ? 1 : 0)}–${x.max.toFixed(x.max < 10 ? 1 : 0)})` : '—')
if (rows.length) {
  console.log(`\n### workerd: verification, µs per token (median of ${ROUNDS} interleaved rounds, min–max)\n`)
  console.log(`| alg | edgejwt | jose (JWKS) | jose (CryptoKey) | edgejwt / jose | edgejwt in Node ${process.version} (reference) |`)
  console.log('|---|---|---|---|---|---|')
  for (const [alg, r] of rows) {
    const j = r['jose (JWKS)'] ?? r['jose (CryptoKey)']
    console.log(`| ${alg} | ${us(r.edgejwt)} | ${us(r['jose (JWKS)'])} | ${us(r['jose (CryptoKey)'])} | ${(r.edgejwt.med / j.med).toFixed(2)} | ${us(r['edgejwt in Node'])} |`)
  }
  console.log(`\nTimed from Node around one request of n verifications (n = ${rows.map(([a, r]) => `${r.batch} for ${a}`).join(', ')}), minus an empty request's median (${rows.map(([a, r]) => `${r.overhead.toFixed(2)}`).join(', ')} ms), divided by n. jose (JWKS) is createLocalJWKSet; HS256's ratio is against jose (CryptoKey).`)
  console.log(`The Worker's own Date.now() ${clockAdvanced ? 'did advance during the synchronous loops (1 ms resolution); per token by that clock' : 'stayed frozen during every batch, so only the Node-side time can be used; it read'}: ${rows.map(([a, r]) => `${a} ${r.edgejwt.inner.toFixed(1)} / ${(r['jose (JWKS)'] ?? r['jose (CryptoKey)']).inner.toFixed(1)} µs`).join(', ')} (edgejwt / jose).`)
}
if (cold.edgejwt.length) {
  const ms = (a) => `${median(a).toFixed(1)} (${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)})`
  const pick = (kind, k) => cold[kind].map((s) => s[k])
  // Per sample, the no-op start of the same rotation is subtracted (paired, so a slow moment
  // of the machine weighs on both); the median of those differences.
  const minusNoop = (kind) => cold[kind].map((s, i) => s.total - cold['no-op'][i].total)
  console.log(`\n### workerd cold start: new Miniflare (workerd process + isolate) → first response of a request that builds the verifier and verifies one ${COLD_ALG} token (ms, median of ${COLD_RUNS}, min–max)\n`)
  console.log('| Worker | start → ready | first request | total | total − no-op | second request |')
  console.log('|---|---|---|---|---|---|')
  for (const kind of Object.keys(cold)) {
    console.log(`| ${kind} | ${ms(pick(kind, 'ready'))} | ${ms(pick(kind, 'first'))} | ${ms(pick(kind, 'total'))} | ${kind === 'no-op' ? '—' : ms(minusNoop(kind))} | ${ms(pick(kind, 'warm'))} |`)
  }
  const ratio = (f) => (f('edgejwt') / f('jose')).toFixed(2)
  const beyond = (kind, k) => median(pick(kind, k)) - median(pick('no-op', k))
  console.log(`\nedgejwt / jose: total ${ratio((k) => median(pick(k, 'total')))}, total − no-op ${ratio((k) => median(minusNoop(k)))}, first request ${ratio((k) => median(pick(k, 'first')))}.`)
  console.log(`Beyond the no-op Worker (differences of medians): start → ready (isolate: compiling and evaluating the modules) edgejwt +${beyond('edgejwt', 'ready').toFixed(1)} ms, jose +${beyond('jose', 'ready').toFixed(1)} ms; first request (building the verifier, the first verify) edgejwt +${beyond('edgejwt', 'first').toFixed(1)} ms, jose +${beyond('jose', 'first').toFixed(1)} ms. "total − no-op" is the median of per-sample differences with the no-op start of the same rotation.`)
  console.log(`Inside the first request, by the Worker's clock (whole ms, medians): edgejwt builds the verifier (instantiating the wasm) in ${median(pick('edgejwt', 'build'))} ms and verifies in ${median(pick('edgejwt', 'verify'))} ms; jose builds its key set in ${median(pick('jose', 'build'))} ms and verifies (importing the key) in ${median(pick('jose', 'verify'))} ms.`)
}
if (copies.edgejwt.length) {
  const pick = (kind, k) => copies[kind].map((s) => s[k])
  const ms = (a) => `${median(a).toFixed(1)} (${Math.min(...a).toFixed(1)}–${Math.max(...a).toFixed(1)})`
  const isolate = (kind) => (median(pick(kind, 'ready')) - median(pick('no-op', 'ready'))) / COPIES
  const first = (kind) => median(pick(kind, 'first')) - median(pick('no-op', 'first'))
  console.log(`\n### workerd cold start, ${COPIES} isolates per workerd: one isolate's start and first request beyond the no-op Worker's (ms, from medians of ${COPY_RUNS} starts; raw columns median, min–max)\n`)
  console.log(`| Worker | ${COPIES} isolates: start → ready | first request (median of the ${COPIES}) | one isolate's start − no-op | first request − no-op | isolate start + first request − no-op |`)
  console.log('|---|---|---|---|---|---|')
  for (const kind of Object.keys(copies)) {
    const extra = kind === 'no-op' ? ['—', '—', '—'] : [isolate(kind).toFixed(1), first(kind).toFixed(1), (isolate(kind) + first(kind)).toFixed(1)]
    console.log(`| ${kind} | ${ms(pick(kind, 'ready'))} | ${ms(pick(kind, 'first'))} | ${extra.join(' | ')} |`)
  }
  console.log(`\nedgejwt / jose, isolate start + first request beyond the no-op Worker: ${((isolate('edgejwt') + first('edgejwt')) / (isolate('jose') + first('jose'))).toFixed(2)}.`)
}
console.log(`\nMeasured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0].model} (${cpus().length} cores), Node ${process.version}, workerd ${wv} (Miniflare ${mv}, compatibility date ${COMPAT_DATE}), jose ${jv}.`)
