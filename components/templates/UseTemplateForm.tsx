'use client'
// "Use template": a form generated from the version's parameter schema, one credential picker per slot and the new
// workflow's name. Values are checked as they would be on the server before sending; a 400's field problems are
// shown beside their fields. On success the new workflow opens in the designer.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { ArrowLeft } from 'lucide-react'
import { Button, EmptyState, Field, Input, Spinner } from '@/components/ui'
import { api, errorMessage } from '@/lib/client/api'
import type { CredentialSummary } from '@/lib/client/types'
import { templatesApi, type TemplateDetail } from './api'
import { CredentialSlotPicker } from './CredentialSlotPicker'
import { GraphPreview } from './GraphPreview'
import { ParamField } from './ParamField'
import { credentialRefOf, initialValues, paramsFromForm, placeErrors, type FormValues } from './form-values'
import { templateHref } from './paths'

const FORM_ID = 'use-template'

export function UseTemplateForm({ templateId, version }: { templateId: string; version?: number }) {
  const router = useRouter()
  const [tpl, setTpl] = useState<TemplateDetail | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [credentials, setCredentials] = useState<CredentialSummary[]>([])
  const [name, setName] = useState('')
  const [values, setValues] = useState<FormValues>({})
  const [chosen, setChosen] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const loadCredentials = useCallback(async () => {
    setCredentials((await api.credentials.list()).credentials)
  }, [])

  useEffect(() => {
    Promise.all([templatesApi.get(templateId, version), api.credentials.list()]).then(
      ([t, c]) => {
        setTpl(t)
        setCredentials(c.credentials)
        setName(t.name)
        setValues(initialValues(t.content.parameters))
        // A slot with exactly one credential of its kinds starts with it chosen.
        setChosen(Object.fromEntries(t.content.credentials.flatMap((s) => {
          const m = c.credentials.filter((x) => s.kinds.includes(x.kind))
          return m.length === 1 ? [[s.ref, m[0].id]] : []
        })))
      },
      (err) => setLoadError(errorMessage(err)),
    )
  }, [templateId, version])

  if (loadError) return <EmptyState title="Could not open this template" description={loadError} action={<Link href="/templates" className="text-sm text-accent hover:underline">Back to the gallery</Link>} />
  if (!tpl) return <p className="flex items-center gap-2 text-sm text-muted"><Spinner /> Opening template…</p>

  const { parameters, credentials: slots } = tpl.content
  const usedBy = (ref: string) => tpl.content.graph.nodes.filter((n) => Object.values(n.params).some((v) => credentialRefOf(v) === ref)).map((n) => n.name)

  function setValue(param: string, v: FormValues[string]) {
    setValues((vs) => ({ ...vs, [param]: v }))
    setErrors(({ [`params.${param}`]: _, ...rest }) => rest)
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!tpl) return
    const { params, errors: local } = paramsFromForm(parameters, values)
    for (const s of slots) if (s.required && !chosen[s.ref]) local[`credentials.${s.ref}`] = 'Choose a credential, or create one'
    if (!name.trim()) local.name = 'Give the workflow a name'
    setErrors(local)
    setFormError(null)
    if (Object.keys(local).length) return
    setBusy(true)
    try {
      const { workflowId } = await templatesApi.use(tpl.id, {
        name: name.trim(),
        ...(version ? { version } : {}),
        params,
        credentials: Object.fromEntries(Object.entries(chosen).filter(([, id]) => id)),
      })
      router.push(`/workflows/${workflowId}`)
    } catch (err) {
      const placed = placeErrors(err)
      setErrors(placed.fields)
      setFormError(placed.form ?? (Object.keys(placed.fields).length ? null : errorMessage(err)))
      setBusy(false)
    }
  }

  return (
    <>
      <Link href={templateHref(tpl.id)} className="flex w-fit items-center gap-1 text-sm text-muted hover:text-fg">
        <ArrowLeft className="size-4" /> {tpl.name}
      </Link>
      <div className="flex items-start gap-4">
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-semibold">Use “{tpl.name}”</h1>
          <p className="mt-1 text-sm text-muted">
            Version {tpl.version}. A new workflow is made with these values and opens in the designer; it remembers this version, so later versions can be
            offered as upgrades.
          </p>
        </div>
        <div className="hidden w-48 shrink-0 rounded-md border border-line bg-canvas p-2 text-muted sm:block">
          <GraphPreview graph={tpl.content.graph} className="h-20 w-full" />
        </div>
      </div>
      {/* The credential pickers hold a form of their own ("Create one"), so they sit outside this <form>: no nesting. */}
      <div className="flex flex-col gap-6" data-testid="use-template-form">
        <form id={FORM_ID} onSubmit={submit} noValidate className="flex flex-col gap-6">
          <Field label="Workflow name" error={errors.name}>
            {({ id, describedBy, invalid }) => <Input id={id} aria-describedby={describedBy} invalid={invalid} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
          {parameters.length > 0 && (
            <fieldset className="flex flex-col gap-4 rounded-lg border border-line p-4">
              <legend className="px-1 text-sm font-semibold">Parameters</legend>
              {parameters.map((p) => (
                <ParamField key={p.name} param={p} value={values[p.name] ?? ''} error={errors[`params.${p.name}`]} onChange={(v) => setValue(p.name, v)} />
              ))}
            </fieldset>
          )}
        </form>
        {slots.length > 0 && (
          <fieldset className="flex flex-col gap-4 rounded-lg border border-line p-4">
            <legend className="px-1 text-sm font-semibold">Credentials</legend>
            {slots.map((s) => (
              <CredentialSlotPicker
                key={s.ref}
                slot={s}
                usedBy={usedBy(s.ref)}
                credentials={credentials}
                value={chosen[s.ref] ?? ''}
                error={errors[`credentials.${s.ref}`]}
                onChange={(id) => {
                  setChosen((c) => ({ ...c, [s.ref]: id }))
                  setErrors(({ [`credentials.${s.ref}`]: _, ...rest }) => rest)
                }}
                onCreated={loadCredentials}
              />
            ))}
          </fieldset>
        )}
        {formError && <p role="alert" className="rounded-md bg-danger/10 px-3 py-2 text-sm text-danger">{formError}</p>}
        <div className="flex justify-end gap-2">
          <Link href={templateHref(tpl.id)} className="inline-flex h-9 items-center rounded-md border border-line bg-panel px-3.5 text-sm font-medium hover:bg-panel-2">Cancel</Link>
          <Button type="submit" form={FORM_ID} variant="primary" loading={busy}>Create workflow</Button>
        </div>
      </div>
    </>
  )
}
