// The wasm-bindgen and wasm-opt steps, shared by the build (scripts/build.mjs) and the size
// report (bench/sizes.mjs) so that the reported sizes are the shipped module's.
import { join } from 'node:path'

/** wasm-bindgen: ESM glue with `initSync`/`init`; reset-state lets the JS layer replace a trapped instance. */
export const wasmBindgenArgs = (input, outDir) => [
  '--target', 'web', '--experimental-reset-state-function', '--no-typescript',
  '--out-dir', outDir, '--out-name', 'edgejwt_wasm', input,
]

/** Where wasm-bindgen writes the module, given its `outDir`. */
export const wasmFileIn = (outDir) => join(outDir, 'edgejwt_wasm_bg.wasm')

/** wasm-opt (npm `binaryen`): -Oz measured as fast as -O3 here and 374 B gzip smaller.
 *  `--enable-simd`: the RSA arithmetic uses SIMD128 (`math/src/rsa/simd.rs`).
 *  `-ocimfs 2000`: functions with one caller are inlined only up to 2,000 bytes (wasm-opt's
 *  default has no limit): 0.7 KB gzip smaller, same speed (measured side by side in Node). */
export const wasmOptArgs = (file) => [
  '-Oz', '-ocimfs', '2000', '--strip-debug', '--strip-producers', '--enable-simd',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-multivalue', '--enable-reference-types',
  file, '-o', file,
]
