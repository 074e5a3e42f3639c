'use client'
// One template: its canvas (read-only), description, parameters, required credentials, versions with their
// changelogs (roll back, for workspace templates), export, test cases, and "Use template".
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { ArrowLeft, Download, Play, Trash2 } from 'lucide-react'
import { Badge, Button, Dialog, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { kindLabel } from '@/app/(studio)/settings/credentials/kind-fields'
import { errorMessage } from '@/lib/client/api'
import { templatesApi, type TemplateDetail } from './api'
import { TemplateCanvas } from './TemplateCanvas'
import { TemplateTestPanel } from './TemplateTestPanel'
import { TemplateVersions } from './TemplateVersions'
import { templateUseHref } from './paths'

export function TemplateDetailView({ templateId }: { templateId: string }) {
  const router = useRouter()
  const toast = useToast()
  const [version, setVersion] = useState<number | undefined>(undefined)
  const [tpl, setTpl] = useState<TemplateDetail | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setTpl(await templatesApi.get(templateId, version))
      setLoadError(null)
    } catch (err) {
      setLoadError(errorMessage(err))
    }
  }, [templateId, version])
  useEffect(() => void load(), [load])

  async function remove() {
    setBusy(true)
    try {
      await templatesApi.remove(templateId)
      toast.success(`Deleted “${tpl?.name ?? 'template'}”`)
      router.push('/templates')
    } catch (err) {
      toast.error(err, 'Could not delete the template')
      setBusy(false)
    }
  }

  if (loadError) {
    return <EmptyState title="Could not open this template" description={loadError} action={<Link href="/templates" className="text-sm text-accent hover:underline">Back to the gallery</Link>} />
  }
  if (!tpl) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted">
        <Spinner /> Opening template…
      </p>
    )
  }

  const { content } = tpl
  const workspace = tpl.source === 'workspace'
  return (
    <>
      <Link href="/templates" className="flex w-fit items-center gap-1 text-sm text-muted hover:text-fg">
        <ArrowLeft className="size-4" /> Templates
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold">{tpl.name}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs text-muted">
            <Badge tone={workspace ? 'neutral' : 'info'}>{workspace ? 'Workspace' : 'Built-in'}</Badge>
            <Badge tone="muted">{tpl.category}</Badge>
            {tpl.tags.map((t) => <span key={t}>#{t}</span>)}
            <span>
              · version {tpl.version}
              {tpl.version === tpl.currentVersion ? ' (current)' : ` (current is ${tpl.currentVersion})`}
            </span>
          </div>
        </div>
        <div className="flex items-center gap-2">
          {workspace && <Button variant="ghost" icon={<Trash2 className="size-4" />} onClick={() => setDeleting(true)}>Delete</Button>}
          <a href={templatesApi.exportUrl(tpl.id, tpl.version)} download className="inline-flex h-9 items-center gap-2 rounded-md border border-line bg-panel px-3.5 text-sm font-medium hover:bg-panel-2" data-testid="template-export">
            <Download className="size-4" /> Export
          </a>
          <Link href={templateUseHref(tpl.id, tpl.version === tpl.currentVersion ? undefined : tpl.version)} className="inline-flex h-9 items-center gap-2 rounded-md bg-accent px-3.5 text-sm font-medium text-accent-fg hover:opacity-90">
            <Play className="size-4" /> Use template
          </Link>
        </div>
      </div>

      <div className="h-80 overflow-hidden rounded-lg border border-line bg-canvas">
        <TemplateCanvas graph={content.graph} version={tpl.version} />
      </div>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="flex flex-col gap-6 lg:col-span-2">
          <section aria-labelledby="tpl-about" className="flex flex-col gap-2">
            <h2 id="tpl-about" className="text-sm font-semibold">About</h2>
            <p className="whitespace-pre-line text-sm text-muted">{content.description || tpl.description || 'No description.'}</p>
          </section>
          <section aria-labelledby="tpl-params" className="flex flex-col gap-2">
            <h2 id="tpl-params" className="text-sm font-semibold">Parameters <span className="font-normal text-muted">({content.parameters.length})</span></h2>
            {content.parameters.length === 0 ? (
              <p className="text-sm text-muted">None: the template is used as it is.</p>
            ) : (
              <Table>
                <THead>
                  <tr><Th>Name</Th><Th>Type</Th><Th>Default</Th><Th>Description</Th></tr>
                </THead>
                <TBody>
                  {content.parameters.map((p) => (
                    <Tr key={p.name}>
                      <Td>
                        <span className="font-medium">{p.label ?? p.name}</span>
                        {p.required && <span className="text-danger" title="Required"> *</span>}
                        {p.label && <span className="block font-mono text-[11px] text-muted">{p.name}</span>}
                      </Td>
                      <Td className="text-muted">{p.type}</Td>
                      <Td className="max-w-48 truncate font-mono text-xs text-muted">{p.default === undefined ? '—' : JSON.stringify(p.default)}</Td>
                      <Td className="text-muted">{p.description || '—'}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
          </section>
          <section aria-labelledby="tpl-creds" className="flex flex-col gap-2">
            <h2 id="tpl-creds" className="text-sm font-semibold">Credentials it needs <span className="font-normal text-muted">({content.credentials.length})</span></h2>
            {content.credentials.length === 0 ? (
              <p className="text-sm text-muted">None.</p>
            ) : (
              <ul className="flex flex-col gap-1 text-sm">
                {content.credentials.map((c) => (
                  <li key={c.ref}>
                    <span className="font-medium">{c.label ?? c.ref}</span>
                    <span className="text-muted"> — {c.kinds.map(kindLabel).join(' or ')}{c.required ? '' : ' (optional)'}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <TemplateTestPanel templateId={tpl.id} version={tpl.version} cases={content.testCases} />
        </div>
        <TemplateVersions template={tpl} onView={setVersion} onChanged={() => void load()} />
      </div>

      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete “${tpl.name}”?`}
        description="Its versions are deleted too. Workflows made from it keep working; they just no longer offer upgrades."
        footer={
          <>
            <Button onClick={() => setDeleting(false)}>Cancel</Button>
            <Button variant="danger" loading={busy} onClick={() => void remove()}>Delete template</Button>
          </>
        }
      />
    </>
  )
}
