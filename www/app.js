// The debugging page: every check is edgejwt's (the same wasm the edge runs); this file only
// reads the inputs, calls the verifier, and explains the outcome.
import { init, Verifier, decodeJwt, decodeProtectedHeader, readSessionCookie, errors, version } from 'edgejwt'
import { EXPLAIN } from './explain.js' // generated from the Rust code table (gen/)

const $ = (id) => document.getElementById(id)
const STORE = 'edgejwt-debugger'
const remembered = ['jwks', 'jwks-url', 'issuer', 'audience', 'algorithms', 'required', 'typ', 'tolerance', 'max-age', 'strategy', 'prefix']
let mode = 'token'

const CLAIMS = {
  iss: 'issuer: who made the token (Better Auth: BETTER_AUTH_URL)',
  sub: 'subject: the user id',
  aud: 'audience: who the token is for (Better Auth: BETTER_AUTH_URL)',
  exp: 'expires at',
  nbf: 'not valid before',
  iat: 'issued at',
  jti: 'token id',
  email: 'user email (Better Auth user field)',
  uuid: 'custom claim (added by the jwt plugin’s definePayload)',
}

const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean)
const text = (el, s) => {
  el.textContent = s
}

function options() {
  const o = {}
  if ($('issuer').value.trim()) o.issuer = $('issuer').value.trim()
  if ($('audience').value.trim()) o.audience = $('audience').value.trim()
  if (list($('algorithms').value).length) o.algorithms = list($('algorithms').value)
  if (list($('required').value).length) o.requiredClaims = list($('required').value)
  if ($('typ').value.trim()) o.typ = $('typ').value.trim()
  if ($('tolerance').value) o.clockTolerance = Number($('tolerance').value)
  if ($('max-age').value) o.maxTokenAge = Number($('max-age').value)
  return o
}

const now = () => ($('now').value ? new Date($('now').value) : new Date())

/** The JWKS to use: the pasted one, plus the HS secret as an oct key when given. */
function jwksInput() {
  const raw = $('jwks').value.trim()
  let jwks = { keys: [] }
  if (raw) jwks = JSON.parse(raw) // a syntax error is reported as ERR_JWKS_INVALID below
  const secret = $('secret').value
  if (secret && mode === 'token') {
    let bytes = '' // not String.fromCharCode(...all): a long secret overflows the argument list
    for (const b of new TextEncoder().encode(secret)) bytes += String.fromCharCode(b)
    const k = btoa(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    jwks = { keys: [...(jwks.keys ?? []), { kty: 'oct', k, kid: undefined }] }
  }
  return jwks
}

function setVerdict(ok, title, detail = '') {
  text($('error-code'), ok === false && title.startsWith('ERR_') ? title : 'none')
  const v = $('verdict')
  v.className = `verdict ${ok === null ? 'idle' : ok ? 'ok' : 'bad'}`
  v.textContent = detail ? `${title}: ${detail}` : title
}

/** A NumericDate (seconds) as an ISO date, or null when no JS Date holds it (|ms| > 8.64e15, Infinity). */
function isoDate(s) {
  const d = new Date(s * 1000)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
const notADate = (s) => `${s} (not representable as a date)`

function relative(s, at) {
  const d = Math.round(s - at / 1000)
  const a = Math.abs(d)
  const span = a < 120 ? `${a} s` : a < 7200 ? `${Math.round(a / 60)} min` : a < 172800 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} days`
  return d >= 0 ? `in ${span}` : `${span} ago`
}

function renderClaims(payload, at) {
  const body = $('claims').tBodies[0]
  body.replaceChildren()
  for (const [k, v] of Object.entries(payload ?? {})) {
    const tr = body.insertRow()
    text(tr.insertCell(), k)
    const time = ['iat', 'nbf', 'exp'].includes(k) && typeof v === 'number'
    const iso = time && isoDate(v)
    text(tr.insertCell(), !time ? JSON.stringify(v) : iso ? `${iso} (${relative(v, at)})` : notADate(v))
    text(tr.insertCell(), CLAIMS[k] ?? '')
  }
}

function renderTimeline(payload, at) {
  const el = $('timeline')
  el.replaceChildren()
  const tol = Number($('tolerance').value || 0)
  // Finite numbers only (1e400 in the token is Infinity here); far ones squeeze the others together.
  const marks = [['iat', payload?.iat], ['nbf', payload?.nbf], ['exp', payload?.exp], ['now', at / 1000]].filter(([, v]) => Number.isFinite(v))
  if (marks.length < 2) return
  const lo = Math.min(...marks.map((m) => m[1])) - tol
  const hi = Math.max(...marks.map((m) => m[1])) + tol
  const pos = (t) => `${(((t - lo) / (hi - lo || 1)) * 92 + 2).toFixed(2)}%`
  const start = payload.nbf ?? payload.iat
  if (Number.isFinite(start) && Number.isFinite(payload.exp)) {
    const bar = document.createElement('div')
    bar.className = 'valid'
    bar.style.left = pos(start)
    bar.style.width = `calc(${pos(payload.exp)} - ${pos(start)})`
    bar.title = 'valid window'
    el.append(bar)
    if (tol) {
      const t = document.createElement('div')
      t.className = 'tol'
      t.style.left = pos(payload.exp)
      t.style.width = `calc(${pos(payload.exp + tol)} - ${pos(payload.exp)})`
      t.title = `clock tolerance ${tol} s`
      el.append(t)
    }
  }
  for (const [name, t] of marks) {
    const m = document.createElement('div')
    m.className = 'mark'
    m.style.left = pos(t)
    m.style.top = name === 'now' ? '60%' : '0'
    m.textContent = name
    m.title = isoDate(t) ?? notADate(t)
    el.append(m)
  }
}

/** The keys table; with a token, the core's selection report marks the key it selects. */
function renderKeys(keys, selection) {
  const body = $('keys').tBodies[0]
  body.replaceChildren()
  for (const k of keys) {
    const tr = body.insertRow()
    for (const v of [k.kid ?? '(none)', k.kty, k.crv ?? '', k.alg ?? '', k.use ?? '', k.bits ?? '']) text(tr.insertCell(), String(v))
    // What is wrong with the key is the core's judgement (the command lines print the same).
    const problems = k.problems.map((p) => p.message)
    text(tr.insertCell(), problems.length ? `⚠ ${problems.join('; ')}` : '✓ usable')
    if (selection?.selected === keys.indexOf(k)) tr.setAttribute('aria-current', 'true')
  }
  if (selection) {
    const chosen = keys[selection.selected]
    const fitting = selection.keys.filter((v) => v.verdict.startsWith('fits')).length
    const why = keys.map((k, i) => `kid=${k.kid ?? '(none)'}: ${selection.keys[i].reason ?? selection.keys[i].verdict}`)
    text(
      $('key-match'),
      chosen
        ? `Matched kid=${chosen.kid ?? '(none)'} kty=${chosen.kty} alg=${chosen.alg ?? '-'} crv=${chosen.crv ?? '-'}`
        : fitting > 1
          ? `${fitting} keys fit (the token has no kid to choose).`
          : `No key fits the token. ${why.join('; ') || 'The JWKS has no keys'}.`,
    )
  }
}

function showError(err) {
  const code = err instanceof errors.JOSEError ? err.code : 'ERROR'
  setVerdict(false, code, err.message)
  text($('hint'), [EXPLAIN[code], err.claim ? `Claim: ${err.claim} (${err.reason}).` : '', err.hint ? `Hint: ${err.hint}.` : ''].filter(Boolean).join(' '))
}

/** The token's header, payload, claims and timeline (empty without a token). */
function showToken(token, at) {
  let header, payload
  try {
    header = decodeProtectedHeader(token)
    payload = decodeJwt(token)
  } catch {} // a malformed token: the verdict says why
  text($('header'), header ? JSON.stringify(header, null, 2) : '')
  text($('payload'), payload ? JSON.stringify(payload, null, 2) : '')
  renderClaims(payload, at)
  renderTimeline(payload, at)
}

function update() {
  const at = now()
  // Nothing from the previous input may stay on screen, whatever happens below.
  setVerdict(null, 'Checking…')
  text($('hint'), '')
  text($('key-match'), '')
  const token = $('token').value.trim()
  if (mode === 'token') showToken(token, at)
  let jwks, verifier
  try {
    jwks = jwksInput()
    verifier = new Verifier(jwks, { ...options(), currentDate: at })
    renderKeys(verifier.keys(), null)
  } catch (err) {
    $('keys').tBodies[0].replaceChildren()
    if (err instanceof SyntaxError) err = new errors.JWKSInvalid(`the JWKS is not JSON: ${err.message}`)
    if (mode === 'token' && !token) return setVerdict(null, 'Paste a token.')
    if (!(err instanceof errors.JOSEError || err instanceof TypeError)) throw err
    return showError(err)
  }
  try {
    if (mode === 'cookie') return updateCookie(jwks, at)
    if (!token) return setVerdict(null, 'Paste a token.')
    let selection
    try {
      selection = verifier.selection(token)
    } catch {} // a malformed header: the verdict below says why
    renderKeys(verifier.keys(), selection)
    try {
      const r = verifier.verify(token)
      setVerdict(true, 'VALID', `${r.protectedHeader.alg} signature verified, all checks passed`)
    } catch (err) {
      showError(err)
    }
  } finally {
    verifier.free()
  }
}

function updateCookie(jwks, at) {
  const value = $('cookie').value.trim()
  if (!value) return setVerdict(null, 'Paste a Cookie header or a session_data value.')
  const prefix = $('prefix').value.trim() || 'better-auth'
  const header = value.includes('=') ? value : `${prefix}.session_data=${value}`
  const strategy = $('strategy').value
  try {
    const data = readSessionCookie(header, {
      strategy,
      secret: $('secret').value || undefined,
      jwks: strategy === 'jwt' && jwks.keys?.length ? jwks : undefined,
      cookiePrefix: prefix,
      currentDate: at,
    })
    if (!data) return setVerdict(false, 'NO COOKIE', `no ${prefix}.session_data cookie in the input`)
    text($('payload'), JSON.stringify(data, null, 2))
    text($('header'), '')
    setVerdict(true, 'VALID', `session of ${data.user?.email ?? data.user?.id} (${strategy})`)
  } catch (err) {
    if (err instanceof TypeError) return setVerdict(false, 'MISSING INPUT', err.message)
    showError(err)
  }
}

/** update(), and a verdict even when the page itself fails: never the previous input's. */
function refresh() {
  try {
    update()
  } catch (err) {
    setVerdict(false, 'PAGE ERROR', `this page failed to show the result (${err?.message ?? err}); the input was not judged`)
  }
}

let timer
const schedule = () => {
  clearTimeout(timer)
  document.body.dataset.busy = 'true'
  timer = setTimeout(() => {
    try {
      try {
        save()
      } catch {} // storage full or disabled: the verdict matters more
      refresh()
    } finally {
      document.body.dataset.busy = 'false'
    }
  }, 120)
}

// "Remember" keeps public keys only: the members below, for RSA, EC and OKP keys. Everything else
// is left out: oct keys (k is the secret), private members (d, p, q, dp, dq, qi, oth) and any
// member not listed (who knows what it holds), and the whole text while it is not JSON.
const PUBLIC_MEMBERS = ['kty', 'kid', 'use', 'key_ops', 'alg', 'x5c', 'x5t', 'x5t#S256', 'x5u']
const PUBLIC_BY_KTY = new Map([['RSA', ['n', 'e']], ['EC', ['crv', 'x', 'y']], ['OKP', ['crv', 'x']]])
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The JWKS text reduced to what may be stored, and a sentence saying what was left out. */
function publicJwks(raw) {
  if (!raw.trim()) return { text: '', note: 'Remembered the options (the JWKS is empty).' }
  let set
  try {
    set = JSON.parse(raw)
  } catch {}
  if (!Array.isArray(set?.keys)) return { text: '', note: 'Remembered the options; the JWKS is not stored until it is valid JSON with a "keys" array.' }
  const keys = []
  let dropped = 0
  let stripped = 0
  for (const key of set.keys) {
    const own = key && typeof key === 'object' && PUBLIC_BY_KTY.get(key.kty)
    if (!own) {
      dropped++
      continue
    }
    const pub = {}
    for (const m of [...PUBLIC_MEMBERS, ...own]) if (Object.hasOwn(key, m)) pub[m] = key[m]
    if (Object.keys(key).length > Object.keys(pub).length) stripped++
    keys.push(pub)
  }
  const out = []
  if (dropped) out.push(`${plural(dropped, 'key')} that ${dropped === 1 ? 'is' : 'are'} not an RSA, EC or OKP public key (oct keys are secrets)`)
  if (stripped) out.push(`the private (or unrecognised) members of ${plural(stripped, 'key')}`)
  const note = `Remembered the options and ${plural(keys.length, 'public key')}${out.length ? `; left out ${out.join(' and ')}` : ''}.`
  return { text: JSON.stringify({ keys }, null, 2), note }
}

/** A URL without userinfo, query or fragment (they can hold credentials): what is remembered. */
function withoutCredentials(value) {
  try {
    const u = new URL(value.trim())
    u.username = ''
    u.password = ''
    u.search = ''
    u.hash = ''
    return u.href
  } catch {
    return '' // not a URL: nothing worth remembering, and nothing to leak
  }
}

function save() {
  if (!$('remember').checked) return text($('remember-status'), '')
  const values = Object.fromEntries(remembered.map((id) => [id, $(id).value]))
  const jwks = publicJwks(values.jwks)
  values.jwks = jwks.text
  values['jwks-url'] = withoutCredentials(values['jwks-url'])
  localStorage.setItem(STORE, JSON.stringify(values))
  text($('remember-status'), jwks.note)
}

function restore() {
  let saved
  try {
    saved = JSON.parse(localStorage.getItem(STORE))
  } catch {}
  if (!saved || typeof saved !== 'object') return
  $('remember').checked = true
  for (const id of remembered) if (typeof saved[id] === 'string') $(id).value = id === 'jwks' ? publicJwks(saved[id]).text : saved[id]
  save() // an older page stored the JWKS text as typed: store it reduced
}

async function fetchJwks() {
  const url = $('jwks-url').value.trim()
  const status = $('fetch-status')
  if (!url) return text(status, 'Enter the JWKS URL, e.g. http://localhost:3000/api/auth/jwks')
  text(status, 'Fetching…')
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } })
    if (!res.ok) return text(status, `The server answered HTTP ${res.status}.`)
    $('jwks').value = JSON.stringify(await res.json(), null, 2)
    text(status, `Fetched ${url}.`)
    schedule()
  } catch {
    text(status, `Could not fetch ${url}: the server is down or does not allow this page’s origin (CORS). Open the URL in a tab and paste the JSON instead.`)
  }
}

function selectTab(next) {
  mode = next
  for (const [tab, panel] of [['tab-token', 'panel-token'], ['tab-cookie', 'panel-cookie']]) {
    const on = tab === `tab-${next}`
    $(tab).setAttribute('aria-selected', String(on))
    $(panel).hidden = !on
  }
  schedule()
}

await init()
text($('version'), version)
restore()
for (const el of document.querySelectorAll('textarea, input, select')) el.addEventListener('input', schedule)
$('remember').addEventListener('change', () => {
  if ($('remember').checked) return save()
  localStorage.removeItem(STORE)
  text($('remember-status'), '')
})
$('fetch-jwks').addEventListener('click', fetchJwks)
$('tab-token').addEventListener('click', () => selectTab('token'))
$('tab-cookie').addEventListener('click', () => selectTab('cookie'))
// A token handed over by the demo (one time, never in the URL): /demo.json when served by it.
try {
  const demo = await fetch('demo.json').then((r) => (r.ok ? r.json() : null))
  if (demo && !$('token').value) {
    $('token').value = demo.token
    $('jwks').value = JSON.stringify(demo.jwks, null, 2)
    $('issuer').value = demo.issuer
    $('audience').value = demo.issuer
  }
} catch {}
refresh()
const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0) + (performance.getEntriesByType('navigation')[0]?.encodedBodySize ?? 0)
text($('weight'), `${(bytes / 1024).toFixed(0)} KiB loaded`)
document.body.dataset.ready = 'true'
