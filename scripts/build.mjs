// Builds the npm package in pkg/: wasm (release, LTO) → wasm-bindgen → wasm-opt → CJS bundle.
// The one way to build: `npm run build` (installs what it lacks first).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync, brotliCompressSync } from 'node:zlib'
import { prepare, wasmBindgen } from './prepare.mjs'
import { wasmBindgenArgs, wasmFileIn, wasmOptArgs } from './wasm-steps.mjs'

// 1. What the build needs: the wasm32 Rust target, npm dev dependencies (esbuild, binaryen) and
//    wasm-bindgen-cli pinned to Cargo.lock's wasm-bindgen (scripts/prepare.mjs).
await prepare('build')
const esbuild = await import('esbuild')

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'pkg/dist')
const run = (cmd, args) => {
  console.log(`build: ${cmd} ${args.join(' ')}`)
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' })
  } catch (err) {
    console.error(`build: failed (${cmd} exited with ${err.status ?? err.signal ?? err.message})`)
    process.exit(1)
  }
}

// 2. The wasm module (crate stays an rlib; the cdylib is built here only).
run('cargo', [
  'rustc', '--release', '--target', 'wasm32-unknown-unknown', '--lib',
  '--features', 'wasm', '--crate-type', 'cdylib',
])

// 3. JS glue, then 4. wasm-opt from the npm `binaryen` package (scripts/wasm-steps.mjs).
rmSync(dist, { recursive: true, force: true })
mkdirSync(dist, { recursive: true })
run(wasmBindgen, wasmBindgenArgs(join(root, 'target/wasm32-unknown-unknown/release/edgejwt.wasm'), dist))
const wasmFile = wasmFileIn(dist)
run(join(root, 'node_modules/.bin/wasm-opt'), wasmOptArgs(wasmFile))

// 4b. The command line's module (bin/edgejwt.js): the same crate with the `doctor` feature
//     (src/doctor.rs), which stays out of the module edge code loads. Its own target dir, so the
//     two builds never overwrite each other's artefacts.
const cliDist = join(dist, 'cli')
mkdirSync(cliDist, { recursive: true })
run('cargo', [
  'rustc', '--release', '--target', 'wasm32-unknown-unknown', '--lib',
  '--features', 'wasm,doctor', '--crate-type', 'cdylib', '--target-dir', 'target/cli',
])
run(wasmBindgen, wasmBindgenArgs(join(root, 'target/cli/wasm32-unknown-unknown/release/edgejwt.wasm'), cliDist))
run(join(root, 'node_modules/.bin/wasm-opt'), wasmOptArgs(wasmFileIn(cliDist)))

// 5. Node builds. ESM for `import`: src/node.js and the API modules it imports as one file next to the
//    wasm-bindgen glue (kept a module of its own, shared with tests), which cuts the modules a
//    cold start loads from four to two. CommonJS for `require`: everything in one file.
const nodeBuild = {
  entryPoints: [join(root, 'pkg/src/node.js')],
  bundle: true,
  platform: 'node',
  target: 'node18',
  logLevel: 'warning',
}
await esbuild.build({
  ...nodeBuild,
  outfile: join(dist, 'node.mjs'),
  format: 'esm',
  external: ['../dist/edgejwt_wasm.js'],
})
await esbuild.build({
  ...nodeBuild,
  outfile: join(dist, 'node.cjs'),
  format: 'cjs',
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
  // CommonJS has no top-level await, and `require('node:fs')` is cheap there.
  plugins: [{
    name: 'node-fs-require',
    setup(b) {
      b.onResolve({ filter: /^\.\/node-fs\.js$/ }, () => ({ path: 'node-fs', namespace: 'node-fs' }))
      b.onLoad({ filter: /.*/, namespace: 'node-fs' }, () => ({ contents: "export { readFileSync } from 'node:fs'", resolveDir: root }))
    },
  }],
})

// edgejwt/client (no wasm): ESM as written in src/client.js; CommonJS for `require`.
await esbuild.build({
  entryPoints: [join(root, 'pkg/src/client.js')],
  outfile: join(dist, 'client.cjs'),
  bundle: true,
  platform: 'neutral',
  format: 'cjs',
  target: 'es2020',
  logLevel: 'warning',
})

// edgejwt/testing (Node only, no wasm): ESM as written in src/testing.js; CommonJS for `require`.
await esbuild.build({
  entryPoints: [join(root, 'pkg/src/testing.js')],
  outfile: join(dist, 'testing.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  logLevel: 'warning',
})

// The command line's API: src/cli.js (the Node entry and the doctor) over dist/cli/'s glue and
// module (ESM, for bin/ only).
await esbuild.build({
  ...nodeBuild,
  entryPoints: [join(root, 'pkg/src/cli.js')],
  outfile: join(cliDist, 'node.mjs'),
  format: 'esm',
  plugins: [{
    name: 'cli-module',
    setup(b) {
      b.onResolve({ filter: /edgejwt_wasm\.js$/ }, () => ({ path: './edgejwt_wasm.js', external: true }))
      b.onLoad({ filter: /[\\/]src[\\/]node\.js$/ }, (a) => ({
        contents: readFileSync(a.path, 'utf8').replace("'../dist/edgejwt_wasm_bg.wasm'", "'./edgejwt_wasm_bg.wasm'"),
        resolveDir: join(root, 'pkg/src'),
      }))
    },
  }],
})

// 6. Types for the require condition; the licence travels with the package.
copyFileSync(join(root, 'pkg/index.d.ts'), join(dist, 'index.d.cts'))
copyFileSync(join(root, 'pkg/client.d.ts'), join(dist, 'client.d.cts'))
copyFileSync(join(root, 'pkg/testing.d.ts'), join(dist, 'testing.d.cts'))
copyFileSync(join(root, 'LICENSE'), join(root, 'pkg/LICENSE'))

// 7. Sizes.
const sizes = {}
for (const f of ['edgejwt_wasm_bg.wasm', 'edgejwt_wasm.js', 'node.cjs']) {
  const buf = readFileSync(join(dist, f))
  sizes[f] = { raw: statSync(join(dist, f)).size, gzip: gzipSync(buf, { level: 9 }).length, brotli: brotliCompressSync(buf).length }
}
writeFileSync(join(dist, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n')
for (const [f, s] of Object.entries(sizes)) {
  console.log(`build: ${f.padEnd(22)} ${String(s.raw).padStart(7)} B raw  ${String(s.gzip).padStart(7)} B gzip  ${String(s.brotli).padStart(7)} B brotli`)
}
