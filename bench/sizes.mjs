// Module size per build: the full build and slim builds made with cargo features, each through
// the same wasm-bindgen + wasm-opt steps as `npm run build`. Raw, gzip -9 and brotli bytes.
//   npm run bench:sizes
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { wasmBindgen } from '../scripts/prepare.mjs'
import { wasmBindgenArgs, wasmFileIn, wasmOptArgs } from '../scripts/wasm-steps.mjs'

const root = new URL('..', import.meta.url).pathname
const out = join(root, '.tmp/sizes')
const builds = {
  'full (default features)': 'wasm,eddsa,ecdsa,rsa,hmac,cookie',
  'Better Auth JWTs (EdDSA, ES256, ES512, RS256/PS256)': 'wasm,eddsa,es256,es512,rsa',
  'EdDSA only': 'wasm,eddsa',
}
console.log('| build | wasm raw | gzip -9 | brotli |\n|---|---|---|---|')
for (const [name, features] of Object.entries(builds)) {
  execFileSync('cargo', ['rustc', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--lib', '--no-default-features', '--features', features, '--crate-type', 'cdylib'], { cwd: root, stdio: 'inherit' })
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  execFileSync(wasmBindgen, wasmBindgenArgs(join(root, 'target/wasm32-unknown-unknown/release/edgejwt.wasm'), out))
  const wasm = wasmFileIn(out)
  execFileSync(join(root, 'node_modules/.bin/wasm-opt'), wasmOptArgs(wasm))
  const b = readFileSync(wasm)
  console.log(`| ${name} | ${b.length} | ${gzipSync(b, { level: 9 }).length} | ${brotliCompressSync(b).length} |`)
}
// Leave the default build in target/ as `npm run build` expects.
execFileSync('cargo', ['rustc', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '--lib', '--features', 'wasm', '--crate-type', 'cdylib'], { cwd: root, stdio: 'inherit' })
