'use client'
// The designer's template parts: the "Publish as template" toolbar button (with its dialog), and the banner of a
// workflow made from a template when a newer version exists ("Version n of <template> is available — Review upgrade").
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { ArrowUpCircle, LayoutTemplate } from 'lucide-react'
import { Button } from '@/components/ui'
import { useAppSelector } from '@/lib/store'
import { selectIsDirty } from '@/lib/store/selectors'
import { templatesApi, type LinkedTemplate } from './api'
import { templateHref } from './paths'
import { PublishTemplateDialog } from './PublishTemplateDialog'
import { UpgradeDialog } from './UpgradeDialog'

export function PublishTemplateButton({ workflowId }: { workflowId: string }) {
  const [open, setOpen] = useState(false)
  const viewing = useAppSelector((s) => s.ui.viewingVersion)
  return (
    <>
      {/* The toolbar is full at 1440 px: the words show on wide screens, the icon and its tooltip everywhere. */}
      <Button size="sm" variant="ghost" icon={<LayoutTemplate className="size-4" />} aria-label="Publish as template" title="Publish as template" disabled={viewing !== null} onClick={() => setOpen(true)} data-testid="publish-template-button">
        <span className="hidden 2xl:inline">Publish as template</span>
      </Button>
      <PublishTemplateDialog workflowId={workflowId} open={open} onClose={() => setOpen(false)} />
    </>
  )
}

/** Nothing unless the workflow came from a template that has a newer current version. `onUpgraded` reloads the designer. */
export function TemplateUpgradeBanner({ workflowId, onUpgraded }: { workflowId: string; onUpgraded: () => void }) {
  const [link, setLink] = useState<LinkedTemplate | null>(null)
  const [open, setOpen] = useState(false)
  const baseVersion = useAppSelector((s) => s.ui.baseVersion)
  const dirty = useAppSelector(selectIsDirty)

  const load = useCallback(() => {
    templatesApi.ofWorkflow(workflowId).then((l) => setLink(l.missing ? null : l), () => setLink(null))
  }, [workflowId])
  useEffect(load, [load])

  if (!link?.upgradeAvailable) return null
  return (
    <div className="flex items-center gap-3 border-b border-accent/30 bg-accent-soft px-4 py-1.5 text-sm" role="status" data-testid="template-upgrade-banner">
      <ArrowUpCircle className="size-4 shrink-0 text-accent" />
      <span>
        Version {link.currentVersion} of{' '}
        <Link href={templateHref(link.templateId)} className="font-medium hover:underline">{link.name}</Link> is available — this workflow was made from version {link.version}.
      </span>
      <Button size="sm" variant="primary" className="ml-auto" onClick={() => setOpen(true)}>Review upgrade</Button>
      <UpgradeDialog
        workflowId={workflowId}
        link={link}
        baseVersion={baseVersion}
        dirty={dirty}
        open={open}
        onClose={() => setOpen(false)}
        onUpgraded={() => {
          setOpen(false)
          load()
          onUpgraded()
        }}
      />
    </div>
  )
}
