'use client'
// Settings → Workspace: download the whole workspace as one file, or import such a file. An import is first a dry
// run: the plan (what is created, names that exist here, credentials mapped or missing, what cannot come across) is
// shown with a choice per name conflict, and nothing is written until "Import" (docs/workspace-transfer.md).
import { useState, type ChangeEvent } from 'react'
import { Download, Upload } from 'lucide-react'
import { Button, Field } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import type { Resolution } from '@/lib/services/workspace-file'
import type { WorkspaceImportReport } from '@/lib/services/workspace-transfer'
import { ImportPlanView, ImportOutcomeView, type Choices } from './ImportPlanView'

const EXPORT_URL = '/api/workspace/export'

/** The file as JSON when it parses (its text would be escaped again inside the body), else as text: the server names what is wrong. */
function fileBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function resolutions(choices: Choices) {
  const pick = (type: 'workflow' | 'template') =>
    Object.fromEntries(Object.entries(choices).filter(([key]) => key.startsWith(`${type}:`)).map(([key, value]) => [key.slice(type.length + 1), value]))
  return { workflows: pick('workflow'), templates: pick('template') }
}

export function WorkspaceTransfer() {
  const [fileName, setFileName] = useState<string | null>(null)
  const [file, setFile] = useState<unknown>(undefined)
  const [plan, setPlan] = useState<WorkspaceImportReport | null>(null)
  const [choices, setChoices] = useState<Choices>({})
  const [outcome, setOutcome] = useState<WorkspaceImportReport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const importWorkspace = (body: Record<string, unknown>) => api.request<WorkspaceImportReport>('/api/workspace/import', { method: 'POST', body: { file, ...body } })

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const picked = e.target.files?.[0]
    e.target.value = ''
    if (!picked) return
    setFileName(picked.name)
    setPlan(null)
    setOutcome(null)
    setChoices({})
    setError(null)
    setBusy(true)
    try {
      const body = fileBody(await picked.text())
      setFile(body)
      setPlan(await api.request<WorkspaceImportReport>('/api/workspace/import', { method: 'POST', body: { file: body, dryRun: true } }))
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  async function runImport() {
    setBusy(true)
    setError(null)
    try {
      setOutcome(await importWorkspace({ resolutions: resolutions(choices) }))
      setPlan(null)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const unresolved = plan?.conflicts.filter((c) => !choices[`${c.type}:${c.name}`]).length ?? 0
  return (
    <>
      <PageHeader title="Workspace" description="Move this workspace to another one or to another instance: its workflows with their history, its templates, and which credentials they use (never their secrets)." />
      <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4" aria-labelledby="export-heading">
        <h2 id="export-heading" className="font-medium">Export workspace</h2>
        <p className="text-sm text-muted">One file with every workflow and all its versions, every template version, and the name and type of each credential. Runs are not included.</p>
        <div>
          <a href={EXPORT_URL} download className="inline-flex h-9 items-center gap-2 rounded-md border border-line bg-panel px-3.5 text-sm font-medium hover:bg-panel-2" data-testid="export-workspace">
            <Download className="size-4" /> Export workspace
          </a>
        </div>
      </section>
      <section className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4" aria-labelledby="import-heading">
        <h2 id="import-heading" className="font-medium">Import workspace</h2>
        <p className="text-sm text-muted">
          Choose a file exported from a workspace. You see what it would create and decide about names that already exist here before anything is saved. Imported workflows are inactive.
        </p>
        <Field label="Workspace file" hint={busy && !plan ? 'Checking the file…' : fileName ? `Read ${fileName}` : undefined}>
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="file" accept=".json,application/json" onChange={(e) => void pick(e)} disabled={busy} className="text-sm text-muted file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-sm file:text-fg" />
          )}
        </Field>
        {error && <p role="alert" className="text-sm text-danger">{error}</p>}
        {plan && (
          <>
            <ImportPlanView report={plan} choices={choices} onChoose={(key, value: Resolution) => setChoices((c) => ({ ...c, [key]: value }))} />
            <div className="flex items-center justify-end gap-3">
              {unresolved > 0 && <p className="text-sm text-muted">Choose what to do with {unresolved === 1 ? 'the name' : `${unresolved} names`} that already exist here.</p>}
              <Button onClick={() => { setPlan(null); setFileName(null) }}>Cancel</Button>
              <Button variant="primary" icon={<Upload className="size-4" />} loading={busy} disabled={unresolved > 0} onClick={() => void runImport()}>
                Import
              </Button>
            </div>
          </>
        )}
        {outcome && <ImportOutcomeView report={outcome} />}
      </section>
    </>
  )
}
