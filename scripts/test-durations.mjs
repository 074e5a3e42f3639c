// Rewrites tests/helpers/test-durations.json from a vitest JSON report (`vitest run --reporter=json
// --outputFile.json=report.json`): seconds per test file of 3 s or more, for tests/helpers/sequencer.mjs.
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
/** @type {Record<string, number>} */
const out = {}
for (const file of report.testResults) {
  const seconds = Math.round((file.endTime - file.startTime) / 1000)
  const rel = path.relative(root, file.name)
  const project = rel.startsWith('tests/integration/') ? 'integration' : 'unit'
  if (seconds >= 3) out[`${project}:${rel}`] = seconds
}
const sorted = Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]))
fs.writeFileSync(path.join(root, 'tests/helpers/test-durations.json'), `${JSON.stringify(sorted, null, 1)}\n`)
console.log(`${Object.keys(sorted).length} files written`)
