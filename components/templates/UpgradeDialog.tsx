'use client'
// Upgrading a workflow made from a template: the node-level diff between the version it came from and the target
// version. Changes that do not touch this workflow's own edits are taken; a conflict (both sides changed the same
// node) shows the three values and asks which to keep. Applying saves a new workflow version.
import { useEffect, useRef, useState } from 'react'
import { ArrowUpCircle } from 'lucide-react'
import { Badge, Button, Dialog, Select, Spinner, type BadgeTone } from '@/components/ui'
import { api, errorMessage } from '@/lib/client/api'
import type { CredentialSummary } from '@/lib/client/types'
import type { TemplateCredentialSlot, TemplateParameter } from '@/lib/templates/types'
import { templatesApi, type LinkedTemplate, type UpgradeChange, type UpgradeChoice } from './api'
import { CredentialSlotPicker } from './CredentialSlotPicker'
import { initialValues, paramsFromForm, placeErrors, type FormValues } from './form-values'
import { ParamField } from './ParamField'

/** What each kind of change means to the person upgrading; `unchanged` nodes are not listed. */
const KIND: Record<UpgradeChange['kind'], { label: string; tone: BadgeTone }> = {
  'unchanged': { label: 'unchanged', tone: 'muted' },
  'template-changed': { label: 'changed by the template', tone: 'info' },
  'workflow-edited': { label: 'your edit, kept', tone: 'muted' },
  'both-changed': { label: 'changed by both', tone: 'warning' },
  'added-by-template': { label: 'added by the template', tone: 'success' },
  'removed-by-template': { label: 'removed by the template', tone: 'danger' },
  'added-by-workflow': { label: 'your node, kept', tone: 'muted' },
  'removed-by-workflow': { label: 'you removed it, stays removed', tone: 'muted' },
}

export function UpgradeDialog({ workflowId, link, baseVersion, dirty, open, onClose, onUpgraded }: {
  workflowId: string
  link: LinkedTemplate
  /** The workflow's saved version the upgrade builds on (a newer save meanwhile is a 409). */
  baseVersion: number
  dirty: boolean
  open: boolean
  onClose: () => void
  onUpgraded: () => void
}) {
  const targets = [...link.newer].sort((a, b) => b.number - a.number)
  const [to, setTo] = useState(link.currentVersion)
  const [changes, setChanges] = useState<UpgradeChange[] | null>(null)
  const [choices, setChoices] = useState<Record<string, UpgradeChoice>>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Parameters and credential slots the target version adds (the preview's inputsNeeded): no values for them yet.
  const [added, setAdded] = useState<{ parameters: TemplateParameter[]; slots: TemplateCredentialSlot[] }>({ parameters: [], slots: [] })
  const [values, setValues] = useState<FormValues>({})
  const [chosen, setChosen] = useState<Record<string, string>>({})
  const [credentials, setCredentials] = useState<CredentialSummary[]>([])
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})

  useEffect(() => {
    if (!open) return
    setChanges(null)
    setError(null)
    setFieldErrors({})
    templatesApi.upgradePreview(workflowId, to).then(
      (r) => {
        setChanges(r.changes.filter((c) => c.kind !== 'unchanged'))
        setChoices({})
        setAdded({ parameters: r.inputsNeeded.params, slots: r.inputsNeeded.credentials })
        setValues(initialValues(r.inputsNeeded.params))
        setChosen({})
        if (r.inputsNeeded.credentials.length) void api.credentials.list().then((c) => setCredentials(c.credentials), () => {})
      },
      (err) => setError(errorMessage(err)),
    )
  }, [open, workflowId, to])

  const conflicts = changes?.filter((c) => c.conflict) ?? []
  const unresolved = conflicts.filter((c) => !choices[c.nodeId]).length

  async function apply() {
    const { params, errors: local } = paramsFromForm(added.parameters, values)
    for (const s of added.slots) if (s.required && !chosen[s.ref]) local[`credentials.${s.ref}`] = 'Choose a credential, or create one'
    setFieldErrors(local)
    if (Object.keys(local).length) return
    setBusy(true)
    setError(null)
    try {
      await templatesApi.upgrade(workflowId, { to, baseVersion, resolutions: choices, params, credentials: chosen })
      onUpgraded()
    } catch (err) {
      const placed = placeErrors(err)
      setFieldErrors(placed.fields)
      setError(placed.form ?? (Object.keys(placed.fields).length ? null : errorMessage(err)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Upgrade to version ${to} of “${link.name}”`}
      description={`Made from version ${link.version}. Your own edits are kept where the template did not change the same node.`}
      className="w-[min(56rem,calc(100vw-2rem))]"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" icon={<ArrowUpCircle className="size-4" />} loading={busy} disabled={!changes || unresolved > 0 || dirty} onClick={() => void apply()}>
            {unresolved > 0 ? `Choose for ${unresolved} conflict${unresolved === 1 ? '' : 's'}` : 'Upgrade'}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3 text-sm" data-testid="upgrade-dialog">
        {dirty && <p role="status" className="rounded-md bg-warn/10 px-3 py-2 text-warn">Save your changes first: the upgrade builds on the saved version.</p>}
        {targets.length > 1 && (
          <label className="flex items-center gap-2">
            <span className="text-muted">Upgrade to</span>
            <Select aria-label="Target version" className="w-40" value={String(to)} onChange={(e) => setTo(Number(e.target.value))} options={targets.map((t) => ({ value: String(t.number), label: `Version ${t.number}` }))} />
          </label>
        )}
        <ul className="flex flex-col gap-1 rounded-md bg-panel-2 p-3" aria-label="Changelog">
          {targets.filter((t) => t.number <= to).map((t) => (
            <li key={t.number}>
              <span className="font-medium">v{t.number}</span> <span className="whitespace-pre-line text-muted">{t.changelog || 'No changelog.'}</span>
            </li>
          ))}
        </ul>
        {(added.parameters.length > 0 || added.slots.length > 0) && (
          <fieldset className="flex flex-col gap-3 rounded-md border border-line p-3" data-testid="upgrade-inputs">
            <legend className="px-1 font-medium">New in version {to}: fill these in</legend>
            {added.parameters.map((p) => (
              <ParamField key={p.name} param={p} value={values[p.name] ?? ''} error={fieldErrors[`params.${p.name}`]} onChange={(v) => setValues((vs) => ({ ...vs, [p.name]: v }))} />
            ))}
            {added.slots.map((slot) => (
              <CredentialSlotPicker
                key={slot.ref}
                slot={slot}
                credentials={credentials}
                value={chosen[slot.ref] ?? ''}
                error={fieldErrors[`credentials.${slot.ref}`]}
                onChange={(id) => setChosen((c) => ({ ...c, [slot.ref]: id }))}
                onCreated={async () => setCredentials((await api.credentials.list()).credentials)}
              />
            ))}
          </fieldset>
        )}
        {error && <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-danger">{error}</p>}
        {changes === null && !error ? (
          <p className="flex items-center gap-2 text-muted"><Spinner /> Comparing versions…</p>
        ) : changes && changes.length === 0 ? (
          <p className="text-muted">No node changes: the upgrade only records the new version.</p>
        ) : (
          <ol className="flex max-h-[45vh] flex-col gap-2 overflow-y-auto" aria-label="Node changes">
            {changes?.map((c) => (
              <li key={c.nodeId} className={`rounded-md border p-3 ${c.conflict ? 'border-warn' : 'border-line'}`} data-testid="upgrade-change" data-conflict={c.conflict || undefined}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{c.name}</span>
                  <Badge tone={KIND[c.kind]?.tone ?? 'neutral'}>{KIND[c.kind]?.label ?? c.kind}</Badge>
                  {c.conflict && <Badge tone="warning">conflict</Badge>}
                  {c.paramsChanged.length > 0 && c.kind !== 'added-by-template' && <span className="text-xs text-muted">template: {c.paramsChanged.join(', ')}</span>}
                  {c.workflowChanged.length > 0 && <span className="text-xs text-muted">yours: {c.workflowChanged.join(', ')}</span>}
                </div>
                {c.conflict && (
                  <>
                    <div className="mt-2 grid grid-cols-1 gap-2 md:grid-cols-3">
                      <Side title={`Version ${link.version}`} value={pick(c.base, c.conflictKeys)} />
                      <Side title={`Template v${to}`} value={pick(c.theirs, c.conflictKeys)} base={pick(c.base, c.conflictKeys)} />
                      <Side title="Your workflow" value={pick(c.ours, c.conflictKeys)} base={pick(c.base, c.conflictKeys)} />
                    </div>
                    <fieldset className="mt-2 flex flex-wrap gap-4">
                      <legend className="sr-only">Keep for {c.name}</legend>
                      {(['template', 'workflow'] as const).map((choice) => (
                        <label key={choice} className="flex items-center gap-1.5">
                          <input type="radio" name={`resolve-${c.nodeId}`} checked={choices[c.nodeId] === choice} onChange={() => setChoices((s) => ({ ...s, [c.nodeId]: choice }))} className="accent-[var(--accent)]" />
                          {choice === 'template' ? 'Take the template’s' : 'Keep mine'}
                        </label>
                      ))}
                    </fieldset>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </Dialog>
  )
}

/** What a change names besides param keys (lib/templates/upgrade.ts); every other key is a param's. */
const NODE_FIELDS = new Set(['name', 'type', 'typeVersion', 'settings'])

/** A side's values of the conflicting keys, or its whole node (a removal against an edit). */
function pick(node: UpgradeChange['base'], keys: string[]): unknown {
  if (!node) return null
  if (!keys.length) return { name: node.name, type: node.type, params: node.params }
  return Object.fromEntries(keys.map((k) => [k, NODE_FIELDS.has(k) ? node[k as keyof typeof node] : node.params[k]]))
}

/** One side of a conflict as JSON, its lines that differ from the version it was made from marked (and scrolled to). */
function Side({ title, value, base }: { title: string; value: unknown; base?: unknown }) {
  const pre = useRef<HTMLPreElement>(null)
  const text = value === null ? '(none)' : JSON.stringify(value, null, 2)
  const baseLines = base === undefined ? null : new Set((base === null ? '' : JSON.stringify(base, null, 2)).split('\n'))
  const lines = text.split('\n')
  const first = baseLines ? lines.findIndex((l) => !baseLines.has(l)) : -1
  useEffect(() => {
    const el = pre.current
    const mark = el?.querySelector<HTMLElement>('[data-changed]')
    // The <pre> is positioned, so a line's offsetTop is measured from it.
    if (el && mark) el.scrollTop = Math.max(0, mark.offsetTop - 24)
  }, [text, first])
  return (
    <div className="min-w-0 rounded-md bg-panel-2 p-2">
      <p className="text-xs font-medium text-muted">{title}</p>
      <pre ref={pre} className="relative mt-1 max-h-40 overflow-auto font-mono text-[11px] whitespace-pre-wrap break-all">
        {lines.map((line, i) => {
          const changed = baseLines !== null && !baseLines.has(line)
          return (
            <span key={i} data-changed={changed || undefined} className={changed ? 'block bg-warn/20' : 'block'}>
              {line}
            </span>
          )
        })}
      </pre>
    </div>
  )
}
