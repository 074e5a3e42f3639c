// `npm test`: unit + integration (vitest, real PostgreSQL and Redis), then end-to-end (Playwright,
// real Chromium against the real studio). Ends with one line: "tests: N passed, N failed, N skipped".
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { e2eBuildCommand, isBuildFresh } from '../lib/infra/build'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.join(root, 'node_modules/.bin', name)
const args = process.argv.slice(2)
const skipE2e = args.includes('--no-e2e') || process.env.AUTERITY_SKIP_E2E === '1'
const totals = { passed: 0, failed: 0, skipped: 0 }
let exitCode = 0

function run(cmd: string, cmdArgs: string[], env: Record<string, string> = {}) {
  console.log(`\n$ ${path.basename(cmd)} ${cmdArgs.join(' ')}`)
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) exitCode = r.status ?? 1
  return r.status
}

// The e2e suite's UI build starts now and runs beside vitest, niced so the tests come first: the integration tests
// spend most of their time waiting on servers, and that idle CPU builds the UI (2–3 minutes less on a 2-core CI
// machine). Its output goes to a log, printed only if it fails; the e2e global setup then finds the build fresh.
const hasE2e = !skipE2e && fs.existsSync(path.join(root, 'playwright.config.ts'))
let build: Promise<number | null> | undefined
const buildLog = path.join(root, 'test-results', 'next-build.log')
if (hasE2e && !isBuildFresh(root)) {
  fs.mkdirSync(path.dirname(buildLog), { recursive: true })
  const out = fs.openSync(buildLog, 'w')
  const b = e2eBuildCommand(root)
  console.log(`\n$ next build (for the e2e suite, beside the tests; log: ${path.relative(root, buildLog)})`)
  const child = spawn('nice', ['-n', '10', b.cmd, ...b.args], { cwd: root, stdio: ['ignore', out, out], env: b.env })
  build = new Promise((resolve) => {
    child.on('exit', (code) => resolve(code))
    child.on('error', () => resolve(1))
  })
}

// Unit + integration.
const vitestReport = path.join(os.tmpdir(), `auterity-vitest-${process.pid}.json`)
run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`])
if (fs.existsSync(vitestReport)) {
  const r = JSON.parse(fs.readFileSync(vitestReport, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  totals.passed += r.numPassedTests
  totals.failed += r.numFailedTests
  totals.skipped += r.numPendingTests + r.numTodoTests
  fs.rmSync(vitestReport)
} else {
  totals.failed += 1
}

// End to end.
const buildCode = build ? await build : 0
if (buildCode !== 0) {
  // The e2e global setup builds again and shows the error; the log of the first attempt is printed here.
  console.log(`\n[e2e] the build beside the tests failed (exit ${buildCode}):\n${fs.readFileSync(buildLog, 'utf8').slice(-4000)}`)
}
if (hasE2e) {
  const pwReport = path.join(os.tmpdir(), `auterity-pw-${process.pid}.json`)
  run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwReport })
  if (fs.existsSync(pwReport)) {
    const r = JSON.parse(fs.readFileSync(pwReport, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number }
      errors?: unknown[]
    }
    totals.passed += r.stats.expected + r.stats.flaky
    // Errors outside tests (global setup, a crashed worker) fail the run without failing a test.
    totals.failed += r.stats.unexpected + (r.errors?.length ?? 0)
    totals.skipped += r.stats.skipped
    fs.rmSync(pwReport)
  } else {
    totals.failed += 1
  }
}

if (totals.failed && !exitCode) exitCode = 1
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`)
process.exit(exitCode)
