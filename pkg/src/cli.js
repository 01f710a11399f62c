// The command line's API (bin/edgejwt.js, bundled into dist/cli/node.mjs over the module built
// with the core's `doctor` feature): the Node entry, plus the doctor.
export * from './node.js'
export { doctor } from './doctor.js'
