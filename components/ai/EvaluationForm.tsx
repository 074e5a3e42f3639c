'use client'
// Start an evaluation: one case per line ("prompt => expected answer"), deployments side by side.
import { useState } from 'react'
import { Button, Input, Select, Textarea, useToast } from '@/components/ui'
import { api } from '@/lib/client/api'

const SCORERS = [
  { value: 'contains', label: 'Answer contains the expected text' },
  { value: 'exact', label: 'Exact match' },
  { value: 'llm-judge', label: 'LLM as judge' },
]

export function parseCases(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [prompt, expected = ''] = l.split('=>').map((s) => s.trim())
      return { prompt, expected }
    })
}

export function EvaluationForm({ deployments, onDone }: { deployments: string[]; onDone: () => void }) {
  const toast = useToast()
  const [name, setName] = useState('')
  const [picked, setPicked] = useState<string[]>([])
  const [scorer, setScorer] = useState('contains')
  const [judge, setJudge] = useState('')
  const [cases, setCases] = useState('')
  const [running, setRunning] = useState(false)

  async function run(e: React.FormEvent) {
    e.preventDefault()
    setRunning(true)
    try {
      await api.request('/api/ai/evaluations', {
        method: 'POST',
        body: { name, deployments: picked, dataset: parseCases(cases), scorer: scorer === 'llm-judge' ? { type: scorer, judge } : { type: scorer } },
      })
      onDone()
    } catch (err) {
      toast.error(err, 'Evaluation failed')
    } finally {
      setRunning(false)
    }
  }

  return (
    <form onSubmit={run} className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
      <h2 className="font-medium">Run an evaluation</h2>
      <Input aria-label="Evaluation name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} required />
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 text-xs text-muted">Deployments to compare</legend>
        {deployments.map((d) => (
          <label key={d} className="flex items-center gap-1">
            <input type="checkbox" checked={picked.includes(d)} onChange={(e) => setPicked(e.target.checked ? [...picked, d] : picked.filter((x) => x !== d))} /> {d}
          </label>
        ))}
      </fieldset>
      <Select aria-label="Scorer" value={scorer} onChange={(e) => setScorer(e.target.value)} options={SCORERS} />
      {scorer === 'llm-judge' && <Select aria-label="Judge deployment" value={judge} onChange={(e) => setJudge(e.target.value)} placeholder="Judge deployment" options={deployments.map((d) => ({ value: d, label: d }))} required />}
      <Textarea aria-label="Cases" rows={5} placeholder={'One case per line: prompt => expected answer\nCapital of France? => Paris'} value={cases} onChange={(e) => setCases(e.target.value)} required />
      <Button type="submit" loading={running} disabled={!picked.length}>
        Run evaluation
      </Button>
    </form>
  )
}
