'use client'
// "Test" beside a deployment: asks the provider for the model (no tokens spent), or for an embedding deployment
// embeds a short text, and shows what came back.
import { useState } from 'react'
import { Button } from '@/components/ui'
import { api, errorMessage } from '@/lib/client/api'

interface Result {
  ok: boolean
  latencyMs: number
  error?: string
  /** Embedding deployments: the vector length the provider answered. */
  dimensions?: number
}

export function ConnectionCheck({ deploymentId }: { deploymentId: string }) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<Result | null>(null)

  async function check() {
    setBusy(true)
    try {
      setResult(await api.request<Result>(`/api/ai/deployments/${deploymentId}/test`, { method: 'POST' }))
    } catch (err) {
      setResult({ ok: false, latencyMs: 0, error: errorMessage(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <span className="ml-2 inline-flex items-center gap-2">
      <Button size="sm" onClick={check} loading={busy} aria-label="Test the connection to this deployment">
        Test
      </Button>
      {result && (
        <span role="status" className={result.ok ? 'text-ok' : 'text-danger'}>
          {result.ok ? `✓ reachable · ${result.latencyMs} ms${result.dimensions ? ` · ${result.dimensions} dimensions` : ''}` : `✗ ${result.error}`}
        </span>
      )}
    </span>
  )
}
