'use client'
// A template's versions, newest first, with their changelogs. Any version can be viewed; a workspace template can be
// rolled back: "Use template" and upgrades then take that version (the newer ones stay, and can be returned to).
import { useState } from 'react'
import { Badge, Button, Dialog, useToast } from '@/components/ui'
import { formatRelative } from '@/lib/client/format'
import { templatesApi, type TemplateDetail, type TemplateVersionInfo } from './api'

export function TemplateVersions({ template, onView, onChanged }: { template: TemplateDetail; onView: (version: number) => void; onChanged: () => void }) {
  const toast = useToast()
  const [rollingBack, setRollingBack] = useState<TemplateVersionInfo | null>(null)
  const [busy, setBusy] = useState(false)
  const versions = [...template.versions].sort((a, b) => b.number - a.number)

  async function rollback() {
    if (!rollingBack) return
    setBusy(true)
    try {
      await templatesApi.rollback(template.id, rollingBack.number)
      toast.success(`Version ${rollingBack.number} is current again`)
      setRollingBack(null)
      onChanged()
    } catch (err) {
      toast.error(err, 'Could not roll back')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="tpl-versions" className="flex flex-col gap-2" data-testid="template-versions">
      <h2 id="tpl-versions" className="text-sm font-semibold">Versions</h2>
      <ol className="flex flex-col gap-2">
        {versions.map((v) => (
          <li key={v.number} className={`rounded-md border p-3 text-sm ${v.number === template.version ? 'border-accent' : 'border-line'}`} aria-label={`Version ${v.number}`}>
            <div className="flex items-center gap-2">
              <span className="font-medium">v{v.number}</span>
              {v.current && <Badge tone="success">current</Badge>}
              <span className="ml-auto text-xs text-muted" title={v.createdAt ?? undefined}>{v.createdAt ? formatRelative(v.createdAt) : 'built in'}</span>
            </div>
            <p className="mt-1 whitespace-pre-line text-muted">{v.changelog || 'No changelog.'}</p>
            <div className="mt-2 flex items-center gap-1">
              {v.number !== template.version && <Button size="sm" variant="ghost" onClick={() => onView(v.number)}>View</Button>}
              {template.source === 'workspace' && !v.current && (
                <Button size="sm" variant="secondary" onClick={() => setRollingBack(v)}>
                  {v.number < template.currentVersion ? 'Roll back to this' : 'Make current'}
                </Button>
              )}
            </div>
          </li>
        ))}
      </ol>
      <Dialog
        open={rollingBack !== null}
        onClose={() => setRollingBack(null)}
        title={`Make version ${rollingBack?.number ?? ''} current?`}
        description="New workflows are made from it, and workflows made from other versions are offered to move to it. No version is deleted."
        footer={
          <>
            <Button onClick={() => setRollingBack(null)}>Cancel</Button>
            <Button variant="primary" loading={busy} onClick={() => void rollback()}>Make current</Button>
          </>
        }
      />
    </section>
  )
}
