// The app is its own project (its own lock file); keep Turbopack's root here, not at the
// repository root that also has a package-lock.json.
const root = import.meta.dirname

export default {
  turbopack: { root },
  outputFileTracingRoot: root,
}
