'use client'
// "Test": runs the version's test cases on a worker through the real engine and shows each case's outcome, with
// what differed at which node.
import { useState } from 'react'
import { CheckCircle2, FlaskConical, XCircle } from 'lucide-react'
import { Badge, Button, JsonView } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { formatDuration } from '@/lib/client/format'
import type { TemplateCaseResult, TemplateTestCase } from '@/lib/templates/types'
import { templatesApi, type TestRunResult } from './api'

const TONE = { passed: 'success', failed: 'danger', error: 'danger' } as const
/** After the server's own wait (it answers 202 with the run still going), how often to look again. */
const POLL_MS = 1500
const MAX_POLLS = 200

/** The run once a worker has finished it. */
async function finished(templateId: string, run: TestRunResult): Promise<TestRunResult> {
  let current = run
  for (let i = 0; !current.finishedAt; i++) {
    if (i === MAX_POLLS) throw new Error('The test run is still going: a worker may be busy or stopped. Press Test again later.')
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    current = (await templatesApi.testRuns(templateId)).runs.find((r) => r.id === run.id) ?? current
  }
  return current
}

export function TemplateTestPanel({ templateId, version, cases }: { templateId: string; version: number; cases: TemplateTestCase[] }) {
  const [run, setRun] = useState<TestRunResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function test() {
    setBusy(true)
    setError(null)
    setRun(null)
    try {
      setRun(await finished(templateId, await templatesApi.test(templateId, version)))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="flex flex-col gap-3" aria-labelledby="tpl-tests" data-testid="template-tests">
      <div className="flex items-center justify-between gap-2">
        <h2 id="tpl-tests" className="text-sm font-semibold">
          Test cases <span className="font-normal text-muted">({cases.length})</span>
        </h2>
        <Button size="sm" icon={<FlaskConical className="size-4" />} loading={busy} disabled={cases.length === 0} onClick={() => void test()}>
          Test
        </Button>
      </div>
      {cases.length === 0 && <p className="text-sm text-muted">This version has no test cases.</p>}
      {!run && cases.length > 0 && (
        <ul className="flex flex-col gap-1 text-sm">
          {cases.map((c) => (
            <li key={c.name} className="text-muted">
              {c.name} <span className="text-xs">· checks {c.expect.map((e) => e.node).join(', ')}</span>
            </li>
          ))}
        </ul>
      )}
      {error && <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">{error}</p>}
      {run && (
        <div className="flex flex-col gap-2" data-testid="test-results" data-status={run.status}>
          <p className="text-sm">
            {(run.results ?? []).filter((r) => r.status === 'passed').length} of {(run.results ?? []).length} passed
            {run.error && <span className="text-danger"> · {run.error}</span>}
          </p>
          {(run.results ?? []).map((r) => <CaseResult key={r.name} result={r} />)}
        </div>
      )}
    </section>
  )
}

function CaseResult({ result: r }: { result: TemplateCaseResult }) {
  return (
    <div className="rounded-md border border-line bg-panel-2 p-3 text-sm" role="group" aria-label={r.name} data-status={r.status}>
      <div className="flex items-center gap-2">
        {r.status === 'passed' ? <CheckCircle2 className="size-4 text-ok" /> : <XCircle className="size-4 text-danger" />}
        <span className="font-medium">{r.name}</span>
        <Badge tone={TONE[r.status]}>{r.status}</Badge>
        <span className="ml-auto text-xs text-muted">{formatDuration(r.durationMs)}</span>
      </div>
      {r.error && <p className="mt-1 text-danger">{r.error}</p>}
      {r.checks.length > 0 && (
        <ul className="mt-2 flex flex-col gap-1">
          {r.checks.map((c, i) => (
            <li key={`${c.node}-${c.port}-${i}`} className="flex flex-col gap-1">
              <span className={c.passed ? 'text-muted' : 'text-danger'}>
                {c.passed ? '✓' : '✗'} {c.node}
                {c.port !== 'main' ? ` (${c.port})` : ''}
                {c.message ? ` — ${c.message}` : ''}
              </span>
              {!c.passed && c.actual !== undefined && <JsonView value={c.actual} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
