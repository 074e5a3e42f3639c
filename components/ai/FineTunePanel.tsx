'use client'
// OpenAI fine-tuning: start a job from chat examples (JSONL), follow its status; the result is registered as a
// draft deployment, ready to evaluate.
import { useCallback, useEffect, useState } from 'react'
import { Badge, Button, Table, TBody, Td, Textarea, Th, THead, Tr, useToast } from '@/components/ui'
import { ModelPicker } from '@/components/pickers'
import { api } from '@/lib/client/api'

interface Job {
  id: string
  providerJobId: string
  status: string
  fineTunedModel: string | null
  registeredDeploymentId: string | null
  error: string | null
  createdAt: string
}

export function FineTunePanel({ onRegistered }: { onRegistered: () => void }) {
  const toast = useToast()
  const [jobs, setJobs] = useState<Job[]>([])
  const [base, setBase] = useState('')
  const [jsonl, setJsonl] = useState('')
  const [busy, setBusy] = useState(false)

  const load = useCallback(() => {
    api.request<{ jobs: Job[] }>('/api/ai/fine-tunes').then((r) => setJobs(r.jobs), (e) => toast.error(e, 'Could not load fine-tuning jobs'))
  }, [toast])
  useEffect(load, [load])

  async function start(e: React.FormEvent) {
    e.preventDefault()
    setBusy(true)
    try {
      const examples = jsonl.split('\n').filter((l) => l.trim()).map((l, i) => {
        try {
          return JSON.parse(l)
        } catch {
          throw new Error(`Line ${i + 1} is not valid JSON`)
        }
      })
      await api.request('/api/ai/fine-tunes', { method: 'POST', body: { baseDeployment: base, examples } })
      setJsonl('')
      load()
    } catch (err) {
      toast.error(err, 'Fine-tuning not started')
    } finally {
      setBusy(false)
    }
  }

  async function refresh(id: string) {
    try {
      const job = await api.request<Job>(`/api/ai/fine-tunes/${encodeURIComponent(id)}`, { method: 'POST' })
      if (job.registeredDeploymentId) onRegistered()
      load()
    } catch (err) {
      toast.error(err, 'Could not refresh the job')
    }
  }

  return (
    <section className="flex flex-col gap-2">
      <h2 className="font-medium">Fine-tuning</h2>
      {jobs.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>Job</Th>
              <Th>Status</Th>
              <Th>Model</Th>
              <Th />
            </Tr>
          </THead>
          <TBody>
            {jobs.map((j) => (
              <Tr key={j.id}>
                <Td className="font-mono text-xs">{j.providerJobId}</Td>
                <Td>
                  <Badge tone={j.status === 'succeeded' ? 'success' : j.status === 'failed' || j.status === 'cancelled' ? 'danger' : 'info'}>{j.status}</Badge>
                  {j.error && <span className="ml-2 text-xs text-danger">{j.error}</span>}
                </Td>
                <Td className="text-xs">{j.fineTunedModel ?? '—'}{j.registeredDeploymentId && ' · registered as a draft deployment'}</Td>
                <Td className="text-right">
                  <Button size="sm" variant="secondary" onClick={() => refresh(j.id)}>
                    Refresh
                  </Button>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <form onSubmit={start} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
        <ModelPicker label="Base deployment" provider="openai" routes={false} value={base} onChange={(v) => setBase(v ?? '')} emptyLabel="Base deployment (an OpenAI deployment)" />
        <Textarea
          aria-label="Training examples (JSONL)"
          rows={4}
          placeholder={'At least 10 lines like {"messages":[{"role":"user","content":"…"},{"role":"assistant","content":"…"}]}'}
          value={jsonl}
          onChange={(e) => setJsonl(e.target.value)}
          required
        />
        <Button type="submit" loading={busy}>
          Start fine-tuning
        </Button>
      </form>
    </section>
  )
}
