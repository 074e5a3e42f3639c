'use client'
// A webhook-trigger node's two URLs, under AUTERITY_WEBHOOK_URL when the server has one: production (answers while
// the workflow is active, with its published version) and test (answers once, with the saved draft, while the
// designer listens; the run then shows live on the canvas, as n8n does).
import { useEffect, useState } from 'react'
import { Check, Copy, Radio, Square } from 'lucide-react'
import { Button, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'
import { useRealtime } from '@/lib/client/socket'
import { runStarted, useAppDispatch, useAppSelector } from '@/lib/store'
import { selectIsDirty } from '@/lib/store/selectors'
import { webhookUrl } from '@/lib/client/webhook-url'

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <button
      type="button"
      aria-label={`Copy ${label}`}
      title={`Copy ${label}`}
      className="shrink-0 rounded p-1 text-muted hover:bg-panel-2 hover:text-fg"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true)
          setTimeout(() => setCopied(false), 1500)
        })
      }}
    >
      {copied ? <Check className="size-3.5" /> : <Copy className="size-3.5" />}
    </button>
  )
}

function UrlRow({ label, url, note, testId }: { label: string; url: string; note: string; testId: string }) {
  return (
    <div className="mb-2" data-testid={testId}>
      <div className="mb-0.5 flex items-center justify-between text-muted">
        <span className="font-medium text-fg">{label}</span>
        <span>{note}</span>
      </div>
      <div className="flex items-start gap-1">
        <div className="min-w-0 flex-1 select-all break-all font-mono">{url}</div>
        <CopyButton text={url} label={`${label.toLowerCase()}`} />
      </div>
    </div>
  )
}

export function WebhookUrl({ nodeId, params }: { nodeId: string; params: Record<string, unknown> }) {
  const dispatch = useAppDispatch()
  const toast = useToast()
  const base = useAppSelector((s) => s.ui.webhookBaseUrl)
  const workflowId = useAppSelector((s) => s.ui.workflowId)
  const active = useAppSelector((s) => s.ui.active)
  const published = useAppSelector((s) => s.ui.publishedVersion)
  const dirty = useAppSelector(selectIsDirty)
  const [until, setUntil] = useState<number | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const url = base && workflowId ? webhookUrl(base, workflowId, nodeId, params.path) : null
  const listening = until !== null && until > now

  useEffect(() => {
    if (until === null) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [until])

  // While listening, the first test run of this workflow is followed on the canvas.
  useRealtime(listening && workflowId ? `workflow:${workflowId}` : null, {
    'execution.updated': (p) => {
      if (p.mode !== 'webhook-test') return
      setUntil(null)
      dispatch(runStarted({ executionId: p.executionId }))
    },
  })

  if (!url || !workflowId) return null
  const testUrl = url.replace('/api/webhooks/', '/api/webhooks-test/')
  const method = typeof params.method === 'string' ? params.method : 'POST'

  const listen = async () => {
    try {
      const r = await api.workflows.listenTestWebhook(workflowId, nodeId)
      setNow(Date.now())
      setUntil(Date.parse(r.expiresAt))
    } catch (e) {
      toast.error(e, 'Could not listen for a test event')
    }
  }
  const stop = async () => {
    setUntil(null)
    await api.workflows.stopTestWebhook(workflowId, nodeId).catch(() => undefined)
  }

  return (
    <div className="mb-3 rounded-md border border-line bg-canvas p-2 text-xs" data-testid="webhook-url">
      <UrlRow
        label="Production URL"
        url={url}
        testId="webhook-production-url"
        note={active ? `${method} · live on v${published}` : `${method} · answers once activated`}
      />
      <UrlRow label="Test URL" url={testUrl} testId="webhook-test-url" note={`${method} · runs the saved draft once`} />
      {listening ? (
        <div className="flex items-center justify-between gap-2 rounded bg-accent-soft px-2 py-1" data-testid="webhook-listening">
          <span className="flex items-center gap-1.5">
            <Radio className="size-3.5 animate-pulse text-accent" /> Waiting for a request… {Math.max(0, Math.ceil((until! - now) / 1000))} s
          </span>
          <Button size="sm" variant="ghost" icon={<Square className="size-3.5" />} onClick={() => void stop()}>
            Stop
          </Button>
        </div>
      ) : (
        <Button
          size="sm"
          variant="secondary"
          icon={<Radio className="size-3.5" />}
          disabled={dirty}
          title={dirty ? 'Save the workflow first: the test URL runs the saved draft' : 'Listen on the test URL for 2 minutes'}
          onClick={() => void listen()}
          data-testid="webhook-listen"
        >
          Listen for test event
        </Button>
      )}
    </div>
  )
}
