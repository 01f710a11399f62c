// Copies each examples/ file into README.md between its markers:
//   <!-- example: examples/x/y.ts --> ... <!-- /example -->
// The runtime tests check that README shows every example verbatim.
//   node scripts/readme-examples.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const readmeUrl = new URL('../README.md', import.meta.url)
const lang = { mjs: 'js', js: 'js', ts: 'ts', html: 'html', py: 'python' }
const readme = readFileSync(readmeUrl, 'utf8').replace(
  /<!-- example: (\S+) -->\n[\s\S]*?<!-- \/example -->/g,
  (_, path) => {
    const code = readFileSync(new URL(`../${path}`, import.meta.url), 'utf8').trim()
    return `<!-- example: ${path} -->\n\`\`\`${lang[path.split('.').pop()]}\n${code}\n\`\`\`\n<!-- /example -->`
  },
)
writeFileSync(readmeUrl, readme)
