#!/usr/bin/env node
// edgejwt command line: verify a token, inspect a JWKS, decode a token. Everything runs locally
// with the same wasm verifier the edge uses; a JWKS URL is the only thing ever fetched.
import { readFileSync } from 'node:fs'
// The command line's own module: the package's, plus the core's doctor (kept out of edge builds).
import { Verifier, decodeJwt, decodeProtectedHeader, doctor, errors } from '../dist/cli/node.mjs'

const USAGE = `usage:
  edgejwt verify <token|-> --jwks <file|url> [--issuer I] [--audience A] [--alg ALG]...
                 [--required-claim C]... [--clock-tolerance S] [--max-token-age S] [--now ISO|SECONDS] [--json]
  edgejwt jwks <file|url> [--json]
  edgejwt decode <token|-> [--json]
  edgejwt doctor <BETTER_AUTH_URL> [--jwks-url U] [--issuer I] [--audience A]
                 [--token T | --cookie 'Cookie header' | --email E --password P]
                 [--origin FRONTEND_ORIGIN] [--secret S] [--required-claim C]... [--json]

exit status: 0 valid / listed / decoded / no check failed, 1 invalid token, unusable input or a
failed check, 2 usage error`

function parseArgs(argv) {
  const args = { _: [], alg: [], requiredClaim: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) {
      args._.push(a)
      continue
    }
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    if (key === 'json' || key === 'help') {
      args[key] = true
      continue
    }
    const value = argv[++i]
    if (value === undefined) throw new UsageError(`${a} needs a value`)
    if (Array.isArray(args[key])) args[key].push(value)
    else args[key] = value
  }
  return args
}

class UsageError extends Error {}

const readStdin = () => readFileSync(0, 'utf8').trim()
const tokenArg = (t) => (t === '-' ? readStdin() : t)

async function loadJwks(source) {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json' } })
    if (!res.ok) throw new errors.JWKSInvalid(`fetching ${source} failed: HTTP ${res.status}`)
    return res.text()
  }
  return readFileSync(source, 'utf8')
}

function parseNow(v) {
  if (v === undefined) return undefined
  const d = /^\d+$/.test(v) ? new Date(Number(v) * 1000) : new Date(v)
  if (Number.isNaN(d.getTime())) throw new UsageError(`--now: not a date or epoch seconds: ${v}`)
  return d
}

const when = (s) => (typeof s === 'number' ? `${new Date(s * 1000).toISOString()} (${relative(s)})` : String(s))
function relative(s) {
  const d = Math.round(s - Date.now() / 1000)
  const abs = Math.abs(d)
  const span = abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : abs < 172800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} days`
  return d >= 0 ? `in ${span}` : `${span} ago`
}

async function verify(args, out) {
  const token = tokenArg(args._[1] ?? '')
  if (!args.jwks) throw new UsageError('verify needs --jwks <file|url>')
  const jwksText = await loadJwks(args.jwks)
  const options = {}
  if (args.issuer) options.issuer = args.issuer
  if (args.audience) options.audience = args.audience
  if (args.alg.length) options.algorithms = args.alg
  if (args.requiredClaim.length) options.requiredClaims = args.requiredClaim
  if (args.clockTolerance) options.clockTolerance = /^\d+(\.\d+)?$/.test(args.clockTolerance) ? Number(args.clockTolerance) : args.clockTolerance
  if (args.maxTokenAge) options.maxTokenAge = /^\d+(\.\d+)?$/.test(args.maxTokenAge) ? Number(args.maxTokenAge) : args.maxTokenAge
  const currentDate = parseNow(args.now)
  const verifier = new Verifier(jwksText, options)
  let header, payload
  try {
    header = decodeProtectedHeader(token)
  } catch {}
  try {
    payload = decodeJwt(token)
  } catch {}
  const keys = verifier.keys()
  // The core's key selection, reported: which key the token selects, why each other did not fit.
  let selection
  try {
    selection = verifier.selection(token)
  } catch {}
  try {
    const result = verifier.verify(token, { currentDate })
    const key = keys[selection.selected]
    out({ valid: true, protectedHeader: result.protectedHeader, payload: result.payload, key: key ?? null }, () => {
      console.log(`VALID  ${result.protectedHeader.alg} token, kid ${result.protectedHeader.kid ?? '(none)'}`)
      if (key) console.log(`key    kid=${key.kid} kty=${key.kty} alg=${key.alg ?? '-'} crv=${key.crv ?? '-'} ${key.bits ?? '?'} bits`)
      printClaims(result.payload)
    })
    return 0
  } catch (err) {
    if (!(err instanceof errors.JOSEError)) throw err
    const report = selection && keys.map((k, i) => ({ kid: k.kid, ...selection.keys[i] }))
    // Absent members are null, as in python -m edgejwt's output (the two are compared in tests).
    const info = { valid: false, code: err.code, message: err.message, claim: err.claim ?? null, reason: err.reason ?? null, hint: err.hint ?? null, protectedHeader: header ?? null, payload: payload ?? null, selection: report ?? null }
    out(info, () => {
      console.log(`INVALID  ${err.code}${err.claim ? ` (claim ${err.claim}, ${err.reason})` : ''}`)
      console.log(`reason   ${err.message}`)
      if (err.hint) console.log(`hint     ${err.hint}`)
      if (header) console.log(`header   ${JSON.stringify(header)}`)
      if (report && selection.selected === null) {
        console.log(report.length ? 'keys' : 'keys     (the JWKS has none)')
        for (const k of report) console.log(`  kid=${k.kid ?? '(none)'}  ${k.verdict}${k.reason ? `: ${k.reason}` : ''}`)
      }
      if (payload) printClaims(payload)
    })
    return 1
  }
}

function printClaims(payload) {
  for (const [k, v] of Object.entries(payload)) {
    const shown = ['iat', 'nbf', 'exp'].includes(k) ? when(v) : JSON.stringify(v)
    console.log(`  ${k.padEnd(14)} ${shown}`)
  }
}

async function jwks(args, out) {
  const source = args._[1]
  if (!source) throw new UsageError('jwks needs a file or URL')
  const text = await loadJwks(source)
  const keys = new Verifier(text).keys()
  // What is wrong with each key is the core's judgement (Jwks::key_problems).
  const problems = keys.map((k) => k.problems.map((p) => p.message))
  out({ keys }, () => {
    console.log(`${keys.length} key${keys.length === 1 ? '' : 's'}`)
    keys.forEach((k, i) => {
      console.log(`${problems[i].length ? 'WARN' : 'ok  '}  kid=${k.kid ?? '(none)'} kty=${k.kty} alg=${k.alg ?? '-'} crv=${k.crv ?? '-'} use=${k.use ?? '-'} ${k.bits ?? '?'} bits`)
      for (const p of problems[i]) console.log(`      ${p}`)
    })
  })
  return problems.some((p) => p.length) ? 1 : 0
}

/** One HTTP exchange for `doctor`, as the core's observations describe it (no redirects followed). */
async function exchange(url, { method = 'GET', headers = {}, body, readBody = false } = {}) {
  const t0 = performance.now()
  try {
    const res = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) })
    const text = readBody && res.status === 200 ? await res.text() : (await res.arrayBuffer(), undefined)
    const h = (name) => res.headers.get(name) ?? undefined
    return {
      seen: { url, status: res.status, contentType: h('content-type'), cacheControl: h('cache-control'), date: h('date'), elapsedMs: performance.now() - t0, body: text },
      res,
    }
  } catch (e) {
    return { seen: { url, status: null, error: e?.cause?.code ?? e?.name ?? 'error', elapsedMs: performance.now() - t0 } }
  }
}

/** `doctor`: fetches what the deployment serves; the core judges it (src/doctor.rs). */
async function doctorCommand(args) {
  const baseUrl = args._[1]
  if (!baseUrl || !/^https?:\/\//.test(baseUrl)) throw new UsageError('doctor needs the app\'s base URL (BETTER_AUTH_URL), http:// or https://')
  const root = baseUrl.replace(/\/+$/, '')
  const origin = new URL(baseUrl).origin
  const paths = doctor.jwksPaths()
  const observations = { baseUrl, issuer: args.issuer, audience: args.audience, requiredClaims: args.requiredClaim, nowMs: Date.now() }
  observations.jwks = (await exchange(args.jwksUrl ?? root + paths[0], { readBody: true })).seen
  observations.tried = []
  if (observations.jwks.status === 404) {
    for (const p of paths) {
      const url = root + p
      if (url !== observations.jwks.url) observations.tried.push((await exchange(url)).seen)
    }
  }
  let cookie = args.cookie
  if (args.email !== undefined || args.password !== undefined) {
    if (args.email === undefined || args.password === undefined) throw new UsageError('--email and --password go together')
    const signIn = await exchange(`${root}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ email: args.email, password: args.password }),
    })
    if (signIn.seen.status === 200) cookie = signIn.res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    else observations.token = { via: '--email', failed: signIn.seen }
  }
  if (args.token !== undefined) observations.token = { via: '--token', token: tokenArg(args.token) }
  else if (cookie !== undefined && observations.token === undefined) {
    const via = args.cookie !== undefined ? '--cookie' : '--email'
    const got = await exchange(`${root}/api/auth/token`, { headers: { cookie }, readBody: true })
    let token
    try {
      token = JSON.parse(got.seen.body).token
    } catch {}
    delete got.seen.body // the token: never part of what is reported
    observations.token = typeof token === 'string' ? { via, token } : { via, failed: got.seen }
  }
  if (args.origin !== undefined) {
    const got = await exchange(`${root}/api/auth/get-session`, { headers: { origin: args.origin, ...(cookie ? { cookie } : {}) } })
    const h = (name) => got.res?.headers.get(name) ?? undefined
    observations.cors = {
      origin: args.origin,
      exchange: got.seen,
      allowOrigin: h('access-control-allow-origin'),
      allowCredentials: h('access-control-allow-credentials'),
      exposeHeaders: h('access-control-expose-headers'),
      jwtHeader: h('set-auth-jwt') !== undefined,
    }
  }
  if (cookie !== undefined) observations.cookie = cookie
  observations.secret = args.secret ?? process.env.BETTER_AUTH_SECRET
  const result = doctor.diagnose(observations)
  if (args.json) console.log(JSON.stringify(result, null, 2))
  else process.stdout.write(`edgejwt doctor ${baseUrl}\n${doctor.report(observations)}`)
  return result.checks.some((c) => c.status === 'fail') ? 1 : 0
}

function decode(args, out) {
  const token = tokenArg(args._[1] ?? '')
  const header = decodeProtectedHeader(token)
  const payload = decodeJwt(token)
  out({ protectedHeader: header, payload }, () => {
    console.log('UNVERIFIED: decoded only, nothing was checked')
    console.log(`header   ${JSON.stringify(header)}`)
    printClaims(payload)
  })
  return 0
}

async function main(argv) {
  let args
  try {
    args = parseArgs(argv)
    const out = (data, human) => (args.json ? console.log(JSON.stringify(data, null, 2)) : human())
    switch (args._[0]) {
      case 'verify':
        return await verify(args, out)
      case 'jwks':
        return await jwks(args, out)
      case 'decode':
        return decode(args, out)
      case 'doctor':
        return await doctorCommand(args)
      default:
        console.log(USAGE)
        return args.help ? 0 : 2
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`edgejwt: ${err.message}\n\n${USAGE}`)
      return 2
    }
    if (err instanceof errors.JOSEError || err?.code === 'ENOENT') {
      const info = { error: err.code, message: err.message, hint: err.hint }
      if (args?.json) console.log(JSON.stringify(info, null, 2))
      else console.error(`edgejwt: ${err.code}: ${err.message}${err.hint ? `\nhint: ${err.hint}` : ''}`)
      return 1
    }
    throw err
  }
}

process.exitCode = await main(process.argv.slice(2))
