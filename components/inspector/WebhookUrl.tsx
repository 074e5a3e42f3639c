'use client'
// A webhook-trigger node's public URL, under AUTERITY_WEBHOOK_URL when the server has one.
import { useAppSelector } from '@/lib/store'
import { webhookUrl } from '@/lib/client/webhook-url'

export function WebhookUrl({ nodeId, params }: { nodeId: string; params: Record<string, unknown> }) {
  const base = useAppSelector((s) => s.ui.webhookBaseUrl)
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const url = base && workflowId ? webhookUrl(base, workflowId, nodeId, params.path) : null
  if (!url) return null
  return (
    <div className="mb-3 rounded-md border border-line bg-canvas p-2 text-xs" data-testid="webhook-url">
      <div className="mb-1 text-muted">{typeof params.method === 'string' ? params.method : 'POST'} · answers once saved</div>
      <div className="select-all break-all font-mono">{url}</div>
    </div>
  )
}
