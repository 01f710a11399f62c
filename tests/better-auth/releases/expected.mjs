// expected.json for the JS tests (the Python tests read the same file).
import { readFileSync } from 'node:fs'

const data = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8'))
export const EXPECTED = data.releases
export const TOKEN_ERRORS = data.tokenErrors
export const COOKIE_ERRORS = data.cookieErrors
/** A corpus cookie's name in expected.json: its strategy, or "jwt-plugin" for the jwt plugin's signed cookie. */
export const cookieLabel = (k) => (k.plugin ? 'jwt-plugin' : k.strategy)
