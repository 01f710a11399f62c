// Serves the debugging page (www/) and the built package (pkg/) on 127.0.0.1, until stopped.
//   npm run www            (builds what is missing first; PORT=8788 by default)
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' }

/** Starts the server; `demo` (optional) is served once as /demo.json to prefill the page. */
export function serveWww({ port = Number(process.env.PORT ?? 8788), demo } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    if (path === '/demo.json' && demo) {
      res.setHeader('content-type', TYPES['.json'])
      res.setHeader('cache-control', 'no-store')
      return res.end(JSON.stringify(demo))
    }
    const rel = path === '/' ? 'www/index.html' : path.startsWith('/pkg/') ? path.slice(1) : `www${path}`
    const file = normalize(join(root, rel))
    const allowed = file.startsWith(join(root, 'www')) || file.startsWith(join(root, 'pkg/src')) || file.startsWith(join(root, 'pkg/dist'))
    if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404
      return res.end('not found')
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    res.setHeader('content-security-policy', "default-src 'self'; connect-src *; style-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-" + importMapHash() + "'")
    res.setHeader('referrer-policy', 'no-referrer')
    res.end(readFileSync(file))
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}

let hash
/** CSP hash of the page's inline import map (the only inline script). */
function importMapHash() {
  if (!hash) {
    const html = readFileSync(join(root, 'www/index.html'), 'utf8')
    const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1]
    hash = createHash('sha256').update(map).digest('base64')
  }
  return hash
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(join(root, 'pkg/dist/edgejwt_wasm_bg.wasm'))) {
    console.error('www: pkg/dist is missing: run `npm run www` (it builds first) or `npm run build`')
    process.exit(1)
  }
  const server = await serveWww()
  console.log(`edgejwt debugger: http://127.0.0.1:${server.address().port}/  (Ctrl-C to stop)`)
}
