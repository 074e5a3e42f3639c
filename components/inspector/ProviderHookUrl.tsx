'use client'
// The URL a provider (Twilio, Meta) must call for a messaging trigger (On SMS received, On call received, WhatsApp
// trigger): the studio's public URL + the node type's hook path, and where in the provider's console it goes. It
// answers only while the workflow is active (the published version's trigger).
import { Check, Copy } from 'lucide-react'
import { useState } from 'react'
import { useAppSelector } from '@/lib/store'

export function ProviderHookUrl({ nodeId, hook }: { nodeId: string; hook: { path: string; where: string } }) {
  const base = useAppSelector((s) => s.ui.hookBaseUrl)
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const active = useAppSelector((s) => s.ui.active)
  const [copied, setCopied] = useState(false)
  if (!base || !workflowId) return null
  const url = `${base}${hook.path.replace('{workflowId}', encodeURIComponent(workflowId)).replace('{nodeId}', encodeURIComponent(nodeId))}`
  return (
    <div className="mb-3 rounded border border-line bg-panel-2 p-2 text-xs" data-testid="provider-hook-url">
      <div className="mb-0.5 flex items-center justify-between text-muted">
        <span className="font-medium text-fg">Callback URL</span>
        <span>{active ? 'answers now (the published version)' : 'answers once the workflow is active'}</span>
      </div>
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1 select-all break-all font-mono">{url}</div>
        <button
          type="button"
          aria-label="Copy callback URL"
          title="Copy callback URL"
          className="shrink-0 rounded p-1 text-muted hover:bg-panel hover:text-fg"
          onClick={() => void navigator.clipboard?.writeText(url).then(() => { setCopied(true); setTimeout(() => setCopied(false), 1500) })}
        >
          {copied ? <Check className="size-3.5" /> : <Copy className="size-3.5" />}
        </button>
      </div>
      <p className="mt-1 text-muted">Paste it in: {hook.where}. Requests without the provider&apos;s valid signature are refused.</p>
    </div>
  )
}
