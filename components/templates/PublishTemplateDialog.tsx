'use client'
// "Publish as template" in the designer: the saved workflow becomes a workspace template (name, description,
// category, tags), or a new version of one (with a changelog). Each node param value (strings, numbers, booleans at
// the top level and one level down) can be ticked to become a parameter, with its name, type and whether it is required.
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import Link from 'next/link'
import { Badge, Button, Dialog, Field, Input, Select, Textarea } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import { useAppSelector } from '@/lib/store'
import { selectIsDirty } from '@/lib/store/selectors'
import { TEMPLATE_CATEGORIES, TEMPLATE_PARAM_TYPES, type TemplateParameter, type TemplateParamType } from '@/lib/templates/types'
import { templatesApi, type TemplateSummary } from './api'
import { templateHref } from './paths'
import { choiceKey, initialChoices, paramCandidates, prefillFromTemplate, publishPayload, type CandidateChoice } from './publish'

const NEW = ''

export function PublishTemplateDialog({ workflowId, open, onClose }: { workflowId: string; open: boolean; onClose: () => void }) {
  const graph = useAppSelector((s) => s.graph)
  const nodeTypes = useAppSelector((s) => s.ui.nodeTypes)
  const workflowName = useAppSelector((s) => s.ui.name)
  const dirty = useAppSelector(selectIsDirty)
  const [mine, setMine] = useState<TemplateSummary[]>([])
  const [target, setTarget] = useState(NEW)
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [category, setCategory] = useState<string>('other')
  const [tags, setTags] = useState('')
  const [changelog, setChangelog] = useState('')
  const [choices, setChoices] = useState<CandidateChoice[]>([])
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [published, setPublished] = useState<{ id: string; version: number } | null>(null)
  /** The parameters of the template a new version is for (their labels, descriptions and options carry over). */
  const [known, setKnown] = useState<TemplateParameter[]>([])

  const candidates = useMemo(
    () => paramCandidates(graph.nodeIds.map((id) => graph.nodes[id]), (type) => nodeTypes[type]?.credential?.param),
    [graph, nodeTypes],
  )

  useEffect(() => {
    if (!open) return
    setName(workflowName)
    setDescription('')
    setCategory('other')
    setTags('')
    setChangelog('')
    setErrors({})
    setFormError(null)
    setPublished(null)
    setChoices(initialChoices(candidates))
    setTarget(NEW)
    // A workflow made from (or published as) a workspace template offers "new version" of it first.
    void Promise.all([templatesApi.list({ source: 'workspace' }), templatesApi.ofWorkflow(workflowId).catch(() => null)]).then(
      ([list, link]) => {
        setMine(list.templates)
        if (link && list.templates.some((t) => t.id === link.templateId)) setTarget(link.templateId)
      },
      () => setMine([]),
    )
    // Only when it opens: the candidates are read from the graph as it is then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, workflowId])

  // A new version starts with the values ticked that are parameters of the template's current version.
  useEffect(() => {
    if (!open) return
    if (target === NEW) {
      setKnown([])
      setChoices(initialChoices(candidates))
      return
    }
    let live = true
    templatesApi.get(target).then(
      (t) => {
        if (!live) return
        setKnown(t.content.parameters)
        setChoices(prefillFromTemplate(initialChoices(candidates), graph.nodeIds.map((id) => graph.nodes[id]), t.content))
      },
      () => {},
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, target])

  const update = (key: string, patch: Partial<CandidateChoice>) => {
    setChoices((cs) => cs.map((c) => (choiceKey(c) === key ? { ...c, ...patch } : c)))
    setErrors(({ [key]: _, ...rest }) => rest)
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    const { parameters, bindings, errors: rowErrors } = publishPayload(choices, known)
    const local: Record<string, string> = { ...rowErrors }
    if (target === NEW && !name.trim()) local.name = 'Give the template a name'
    setErrors(local)
    setFormError(null)
    if (Object.keys(local).length) return
    setBusy(true)
    try {
      const res = target === NEW
        ? await templatesApi.publish({ workflowId, name: name.trim(), description, category, tags: tags.split(',').map((t) => t.trim()).filter(Boolean), parameters, bindings })
        : await templatesApi.publishVersion(target, { workflowId, changelog, parameters, bindings })
      setPublished(res)
    } catch (err) {
      setErrors(placePublishErrors(err instanceof ApiError ? err.fields ?? {} : {}, bindings, parameters))
      setFormError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (published) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        title="Published"
        description={`Version ${published.version} is in the gallery.`}
        footer={
          <>
            <Button onClick={onClose}>Close</Button>
            <Link href={templateHref(published.id)} className="inline-flex h-9 items-center rounded-md bg-accent px-3.5 text-sm font-medium text-accent-fg hover:opacity-90">Open template</Link>
          </>
        }
      />
    )
  }

  const checked = choices.filter((c) => c.checked).length
  return (
    <Dialog open={open} onClose={onClose} title="Publish as template" description="The saved version of this workflow becomes a template of this workspace. Credentials become slots: whoever uses it picks their own." className="w-[min(56rem,calc(100vw-2rem))]">
      <form onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="publish-template-form">
        {dirty && <p role="status" className="rounded-md bg-warn/10 px-3 py-2 text-sm text-warn">This workflow has unsaved changes: save first, or they are not published.</p>}
        <Field label="Publish">
          {({ id }) => (
            <Select id={id} value={target} onChange={(e) => setTarget(e.target.value)} options={[{ value: NEW, label: 'As a new template' }, ...mine.map((t) => ({ value: t.id, label: `New version of “${t.name}” (now v${t.latestVersion})` }))]} />
          )}
        </Field>
        {target === NEW ? (
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Field label="Name" error={errors.name}>
              {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <Field label="Category" error={errors.category}>
              {({ id, describedBy, invalid }) => <Select id={id} aria-describedby={describedBy} invalid={invalid} value={category} onChange={(e) => setCategory(e.target.value)} options={TEMPLATE_CATEGORIES.map((c) => ({ value: c, label: c }))} />}
            </Field>
            <Field label="Description" error={errors.description} className="sm:col-span-2">
              {({ id, describedBy, invalid }) => <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={2} className="font-sans" value={description} onChange={(e) => setDescription(e.target.value)} />}
            </Field>
            <Field label="Tags" hint="Comma-separated" error={errors.tags} className="sm:col-span-2">
              {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={tags} placeholder="e.g. crm, leads" onChange={(e) => setTags(e.target.value)} />}
            </Field>
          </div>
        ) : (
          <Field label="Changelog" hint="What changed since the last version; shown to people upgrading." error={errors.changelog}>
            {({ id, describedBy, invalid }) => <Textarea id={id} aria-describedby={describedBy} invalid={invalid} rows={2} className="font-sans" value={changelog} onChange={(e) => setChangelog(e.target.value)} />}
          </Field>
        )}
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-semibold">
            Parameters <span className="font-normal text-muted">— tick the values people fill in when they use it ({checked} chosen)</span>
          </legend>
          {choices.length === 0 ? (
            <p className="text-sm text-muted">No node holds a plain value that could become a parameter.</p>
          ) : (
            <div className="max-h-[40vh] overflow-y-auto rounded-md border border-line">
              <table className="w-full text-sm">
                <thead className="sticky top-0 bg-panel-2 text-left text-xs text-muted">
                  <tr>
                    <th className="px-2 py-1.5 font-medium">Make a parameter</th>
                    <th className="px-2 py-1.5 font-medium">Value</th>
                    <th className="px-2 py-1.5 font-medium">Parameter name</th>
                    <th className="px-2 py-1.5 font-medium">Type</th>
                    <th className="px-2 py-1.5 font-medium">Required</th>
                  </tr>
                </thead>
                <tbody>
                  {choices.map((c) => <ChoiceRow key={choiceKey(c)} choice={c} error={errors[choiceKey(c)]} onChange={(patch) => update(choiceKey(c), patch)} />)}
                </tbody>
              </table>
            </div>
          )}
        </fieldset>
        {formError && <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm whitespace-pre-line text-danger">{formError}</p>}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" loading={busy}>{target === NEW ? 'Publish template' : 'Publish new version'}</Button>
        </div>
      </form>
    </Dialog>
  )
}

/** The server's field problems beside the fields, and `bindings.<i>` / `parameters.<i>` beside the row they came from. */
function placePublishErrors(fields: Record<string, string>, bindings: ReturnType<typeof publishPayload>['bindings'], parameters: ReturnType<typeof publishPayload>['parameters']) {
  const placed: Record<string, string> = {}
  for (const [path, message] of Object.entries(fields)) {
    const [head, index] = path.split('.')
    const binding = head === 'bindings' ? bindings[Number(index)] : head === 'parameters' ? bindings.find((b) => b.param === parameters[Number(index)]?.name) : undefined
    if (binding) placed[choiceKey(binding)] = message
    else if (['name', 'description', 'category', 'tags', 'changelog'].includes(head)) placed[head] = message
  }
  return placed
}

const ALL_TYPES = TEMPLATE_PARAM_TYPES.map((t) => ({ value: t, label: t }))
/** A select needs its options, which only a parameter the template already has brings. */
const TYPE_OPTIONS = ALL_TYPES.filter((t) => t.value !== 'select')

function ChoiceRow({ choice: c, error, onChange }: { choice: CandidateChoice; error?: string; onChange: (patch: Partial<CandidateChoice>) => void }) {
  const where = `${c.nodeName} › ${c.path}`
  return (
    <tr className="border-t border-line align-top" data-testid="param-choice" data-path={`${c.nodeName}.${c.path}`}>
      <td className="px-2 py-1.5">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={c.checked} onChange={(e) => onChange({ checked: e.target.checked })} className="size-4 accent-[var(--accent)]" aria-label={`Make ${where} a parameter`} />
          <span className="flex flex-col">
            <span className="font-medium">{c.nodeName}</span>
            <span className="font-mono text-[11px] text-muted">{c.path}</span>
          </span>
        </label>
      </td>
      <td className="max-w-56 px-2 py-1.5">
        <span className="line-clamp-2 font-mono text-xs break-all text-muted" title={String(c.value)}>{JSON.stringify(c.value)}</span>
      </td>
      <td className="px-2 py-1.5">
        <Input aria-label={`Parameter name for ${where}`} disabled={!c.checked} invalid={!!error} value={c.name} onChange={(e) => onChange({ name: e.target.value })} className="h-7 w-44 font-mono text-xs" />
        {error && <p role="alert" className="mt-0.5 text-xs text-danger">{error}</p>}
      </td>
      <td className="px-2 py-1.5">
        <Select aria-label={`Parameter type for ${where}`} disabled={!c.checked} value={c.type} onChange={(e) => onChange({ type: e.target.value as TemplateParamType })} options={c.type === 'select' ? ALL_TYPES : TYPE_OPTIONS} className="h-7 w-24 text-xs" />
      </td>
      <td className="px-2 py-1.5">
        {c.checked ? (
          <input type="checkbox" checked={c.required} onChange={(e) => onChange({ required: e.target.checked })} className="size-4 accent-[var(--accent)]" aria-label={`${where} is required`} />
        ) : (
          <Badge tone="muted">—</Badge>
        )}
      </td>
    </tr>
  )
}
