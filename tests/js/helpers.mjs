// Shared by the JS tests. They run in a temporary project where the packed tarball of
// pkg/ is installed (scripts/test-js.sh), so `edgejwt` resolves like it does for users.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.env.EDGEJWT_FIXTURES
if (!dir) throw new Error('EDGEJWT_FIXTURES is not set (run through scripts/test-js.sh)')

export const fixtures = JSON.parse(readFileSync(join(dir, 'jose.json'), 'utf8'))
export const at = (seconds) => new Date(seconds * 1000)
export const NOW = at(fixtures.now)
/** The Rust tables (algorithms, error codes, version) as data: gen/tables.json. */
export const tables = JSON.parse(readFileSync(join(dir, '../../gen/tables.json'), 'utf8'))
export const keySetFor = (alg) => (alg.startsWith('HS') ? fixtures.secret_jwks : fixtures.jwks)
