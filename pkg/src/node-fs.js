// `readFileSync` for the Node entry, without `import 'node:fs'`: that import builds the ESM facade
// of `fs`, which loads ~30 more internal modules (streams, fs/promises, readline: ~4 ms of a cold
// start, measured). `process.getBuiltinModule` (Node ≥ 20.16) returns the `fs` Node has already
// loaded. Older Node falls back to the import. (The CommonJS build swaps this file for a plain
// `require`; see scripts/build.mjs.)
export const { readFileSync } = globalThis.process.getBuiltinModule?.('fs') ?? (await import('node:fs'))
