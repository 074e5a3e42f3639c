'use client'
// Import a workflow file (`*.auterity.json`, from Export): choose a file or paste its JSON, optionally rename it.
// The server judges the file; what it could not carry over (credentials, node types, sub-workflows, settings) is
// listed before the new workflow is opened. A clean import opens it at once. An n8n workflow (its JSON has `nodes`
// and `connections`, no `format`) is previewed first: the report of every node and parameter that did not come
// across is shown, and nothing is saved until the person says so. A file of several workflows (the workflow list's
// bulk Export, format `auterity.workflows`) imports each one in turn and lists what came in.
import { useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { AlertTriangle, CheckCircle2 } from 'lucide-react'
import { Button, Dialog, Field, Input, JsonFileField } from '@/components/ui'
import { api, ApiError, errorMessage } from '@/lib/client/api'
import type { ImportReport, ImportResult } from '@/lib/services/workflow-transfer'
import type { N8nImportResult } from '@/lib/services/n8n-import'
import { N8nReportView } from './N8nReportView'

export function ImportWorkflowDialog({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported?: () => void }) {
  const router = useRouter()
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [error, setError] = useState<{ field: 'file' | 'name'; message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [preview, setPreview] = useState<N8nImportResult | null>(null)
  const [bundle, setBundle] = useState<BundleEntry[] | null>(null)

  function close() {
    setText('')
    setFileName(null)
    setName('')
    setError(null)
    setResult(null)
    setPreview(null)
    setBundle(null)
    onClose()
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!text.trim()) return setError({ field: 'file', message: 'Choose a file or paste the exported JSON.' })
    setBusy(true)
    setError(null)
    try {
      if (isN8n(text)) {
        setPreview(await api.workflows.importN8n({ file: text, ...(name.trim() ? { name: name.trim() } : {}) }))
        return
      }
      const files = bundledFiles(text)
      if (files) {
        if (files.length === 0) return setError({ field: 'file', message: 'This file holds no workflows.' })
        const entries: BundleEntry[] = []
        // One at a time, each through the single import: one that fails is listed and the others still come in.
        for (const [i, file] of files.entries()) {
          const label = workflowNameOf(file) ?? `Workflow ${i + 1}`
          try {
            const res = await api.workflows.import({ file })
            entries.push({ name: label, result: res })
          } catch (err) {
            entries.push({ name: label, error: errorMessage(err) })
          }
        }
        onImported?.()
        setBundle(entries)
        return
      }
      const res = await api.workflows.import({ file: text, ...(name.trim() ? { name: name.trim() } : {}) })
      onImported?.()
      if (isClean(res.report)) router.push(`/workflows/${res.id}`)
      else setResult(res)
    } catch (err) {
      const onName = err instanceof ApiError && err.fields && Object.keys(err.fields).some((k) => k === 'name')
      setError({ field: onName ? 'name' : 'file', message: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  async function saveN8n() {
    setBusy(true)
    setError(null)
    try {
      const saved = await api.workflows.importN8n({ file: text, name: preview!.name, save: true })
      onImported?.()
      router.push(`/workflows/${saved.id}`)
    } catch (err) {
      setError({ field: 'file', message: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  if (preview) {
    const { summary } = preview.report
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Import from n8n"
        description={`“${preview.name}”: ${summary.mapped} of ${summary.nodes - summary.stickyNotes} nodes mapped${summary.placeholders ? `, ${summary.placeholders} kept as placeholders` : ''}. Nothing is saved yet.`}
        className="w-[min(48rem,calc(100vw-2rem))]"
        footer={
          <>
            <Button onClick={() => setPreview(null)}>Back</Button>
            <Button variant="primary" loading={busy} onClick={() => void saveN8n()}>
              Import as new workflow
            </Button>
          </>
        }
      >
        {error && <p role="alert" className="mb-3 text-sm text-danger">{error.message}</p>}
        <N8nReportView report={preview.report} />
      </Dialog>
    )
  }

  if (bundle) {
    const ok = bundle.filter((b) => b.result).length
    return (
      <Dialog
        open={open}
        onClose={close}
        title={`Imported ${ok} of ${bundle.length} workflows`}
        className="w-[min(40rem,calc(100vw-2rem))]"
        footer={<Button variant="primary" onClick={close} data-testid="import-bundle-close">Done</Button>}
      >
        <ul className="flex flex-col gap-2 text-sm" data-testid="import-bundle">
          {bundle.map((b, i) => (
            <li key={i} className="flex items-start gap-2">
              {b.result && isClean(b.result.report) ? (
                <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-ok" />
              ) : (
                <AlertTriangle className="mt-0.5 size-4 shrink-0 text-warn" />
              )}
              <div className="min-w-0">
                {b.result ? (
                  <a className="font-medium hover:text-accent" href={`/workflows/${b.result.id}`}>{b.name}</a>
                ) : (
                  <span className="font-medium">{b.name}</span>
                )}
                {b.error && <p className="text-xs text-danger">{b.error}</p>}
                {b.result && !isClean(b.result.report) && <ImportReportView report={b.result.report} />}
              </div>
            </li>
          ))}
        </ul>
      </Dialog>
    )
  }

  if (result) {
    return (
      <Dialog
        open={open}
        onClose={close}
        title="Imported, with things to check"
        description="The workflow was created. Fix these before it runs:"
        className="w-[min(40rem,calc(100vw-2rem))]"
        footer={
          <>
            <Button onClick={close}>Close</Button>
            <Button variant="primary" onClick={() => router.push(`/workflows/${result.id}`)}>
              Open workflow
            </Button>
          </>
        }
      >
        <ImportReportView report={result.report} />
      </Dialog>
    )
  }

  return (
    <Dialog open={open} onClose={close} title="Import workflow" description="A file exported from Auterity Studio (.auterity.json; credentials are matched by type and name) or an n8n workflow's JSON (previewed with a report before it is saved).">
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="import-form">
        <JsonFileField
          text={text}
          fileName={fileName}
          onChange={(next, file) => {
            setText(next)
            setFileName(file)
            setError(null)
          }}
          error={error?.field === 'file' ? error.message : undefined}
          placeholder='{ "format": "auterity.workflow", … }'
        />
        <Field label="Name (optional)" hint="Empty: the name in the file." error={error?.field === 'name' ? error.message : undefined}>
          {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>
            Import
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

type BundleEntry = { name: string; result?: ImportResult; error?: string }

/** The workflow list's bulk export: `{ format: 'auterity.workflows', workflows: [<one export file each>] }`. */
function bundledFiles(text: string): unknown[] | null {
  try {
    const raw = JSON.parse(text) as { format?: unknown; workflows?: unknown }
    return raw && raw.format === 'auterity.workflows' && Array.isArray(raw.workflows) ? raw.workflows : null
  } catch {
    return null
  }
}

const workflowNameOf = (file: unknown): string | undefined => {
  const name = (file as { workflow?: { name?: unknown } } | null)?.workflow?.name
  return typeof name === 'string' ? name : undefined
}

/** n8n's export (and what its canvas copies): nodes and connections, and none of our file's envelope. */
function isN8n(text: string): boolean {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>
    return !!raw && typeof raw === 'object' && Array.isArray(raw.nodes) && !!raw.connections && typeof raw.connections === 'object' && !('format' in raw)
  } catch {
    return false
  }
}

const isClean = (r: ImportReport) =>
  r.missingCredentials.length + r.unknownNodeTypes.length + r.missingWorkflows.length + r.droppedSettings.length === 0

const nodeNames = (nodes: Array<{ name: string }>) => nodes.map((n) => n.name).join(', ')

/** Every line is text: names come from the file and React escapes them. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const sections: Array<{ title: string; hint: string; lines: string[] }> = [
    {
      title: 'Missing credentials',
      hint: 'Create them in Settings → Credentials, then choose them in these nodes.',
      lines: report.missingCredentials.map((c) =>
        `${c.name ?? 'A credential'} (${c.kind ?? 'kind unknown'})${c.reason === 'ambiguous' ? ' — several match; choose one' : ''} — used by ${nodeNames(c.nodes)}`),
    },
    {
      title: 'Unknown node types',
      hint: 'Kept as they are; the workflow cannot run until they are replaced or removed.',
      lines: report.unknownNodeTypes.map((u) => `${u.type}${u.reason === 'unknown-version' ? ` v${u.typeVersion} (newer than this studio)` : ''} — ${nodeNames(u.nodes)}`),
    },
    {
      title: 'Sub-workflows not in this workspace',
      hint: 'Pick the workflow to run in these Execute Workflow nodes.',
      lines: report.missingWorkflows.map((w) => `${w.workflowId} — ${nodeNames(w.nodes)}`),
    },
    {
      title: 'Settings left out',
      hint: 'Set them again in the workflow settings.',
      lines: report.droppedSettings.map((s) => `${s.key}: ${s.reason}`),
    },
  ]
  return (
    <div className="flex max-h-[50vh] flex-col gap-3 overflow-y-auto text-sm" data-testid="import-report">
      {report.renamed && (
        <p className="flex items-start gap-2 text-muted">
          <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-ok" />
          <span>
            Named <span className="font-medium text-fg">{report.renamed.to}</span> (the file says “{report.renamed.from}”).
          </span>
        </p>
      )}
      {sections.filter((s) => s.lines.length > 0).map((s) => (
        <section key={s.title} className="rounded-md border border-line bg-panel-2 p-3" aria-label={s.title}>
          <h3 className="flex items-center gap-2 font-medium text-warn">
            <AlertTriangle className="size-4" /> {s.title} ({s.lines.length})
          </h3>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {s.lines.map((line) => <li key={line} className="break-words">{line}</li>)}
          </ul>
          <p className="mt-2 text-xs text-muted">{s.hint}</p>
        </section>
      ))}
    </div>
  )
}
