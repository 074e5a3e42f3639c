// `npm test`: unit + integration (vitest, real PostgreSQL and Redis), then end-to-end (Playwright,
// real Chromium against the real studio). Ends with one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

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
if (!skipE2e && fs.existsSync(path.join(root, 'playwright.config.ts'))) {
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
