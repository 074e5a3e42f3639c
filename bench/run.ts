// `npm run bench [name…]`: runs each bench module in its own process (so one's memory does not colour
// another's), prints one table and writes bench/results/latest.json (a run of some modules replaces theirs and keeps
// the others', each module with the time it ran). No bench asserts timings.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { BenchRow } from './types'

const root = path.resolve(import.meta.dirname, '..')
const MODULES = ['engine', 'nodes-rss', 'queue', 'webhook', 'studio', 'fairness', 'schedules', 'subworkflows', 'events', 'big-run', 'files', 'ai-router', 'canvas', 'browser', 'retrieval', 'sizing', 'retention', 'traces']
const wanted = process.argv.slice(2)
const selected = MODULES.filter((m) => (wanted.length ? wanted.includes(m) : true) && fs.existsSync(path.join(root, 'bench', `${m}.ts`)))

const results: Record<string, BenchRow[] | { error: string }> = {}
for (const name of selected) {
  const out = path.join(os.tmpdir(), `auterity-bench-${name}-${process.pid}.json`)
  console.log(`\n== ${name}`)
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'bench/run-one.ts'), name, out], { cwd: root, stdio: 'inherit', env: process.env })
  if (r.status === 0 && fs.existsSync(out)) {
    results[name] = JSON.parse(fs.readFileSync(out, 'utf8')) as BenchRow[]
    fs.rmSync(out)
  } else results[name] = { error: `exited with ${r.status ?? r.signal}` }
}

const rows: string[][] = [['bench', 'measure', 'value', 'unit', 'bar', 'met']]
for (const [name, res] of Object.entries(results)) {
  if ('error' in res) rows.push([name, 'FAILED', res.error, '', '', ''])
  else for (const row of res) rows.push([name, row.name, formatNumber(row.value), row.unit, row.bar ?? '', row.pass === undefined ? '' : row.pass ? 'yes' : 'NO'])
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
console.log('\n' + rows.map((r, j) => r.map((c, i) => c.padEnd(widths[i])).join('  ') + (j === 0 ? '\n' + widths.map((w) => '-'.repeat(w)).join('  ') : '')).join('\n'))

const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30) }
const latest = path.join(root, 'bench/results/latest.json')
const at = new Date().toISOString()
const previous = fs.existsSync(latest) ? (JSON.parse(fs.readFileSync(latest, 'utf8')) as { at?: string; ranAt?: Record<string, string>; results?: typeof results }) : {}
const ranAt = { ...Object.fromEntries(Object.keys(previous.results ?? {}).map((name) => [name, previous.ranAt?.[name] ?? previous.at ?? ''])), ...Object.fromEntries(selected.map((name) => [name, at])) }
fs.mkdirSync(path.dirname(latest), { recursive: true })
fs.writeFileSync(latest, JSON.stringify({ at, machine, ranAt, results: { ...previous.results, ...results } }, null, 2))
console.log('\nwritten: bench/results/latest.json')
process.exit(Object.values(results).some((r) => 'error' in r) ? 1 : 0)

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US')
  return n.toPrecision(3)
}
