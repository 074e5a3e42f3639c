'use client'
// Try a search on the collection as a workflow step would run it: query, mode, top K, a metadata filter (JSON) and an
// optional re-rank model; the hits come back as cards saying why each ranked where it did.
import { useEffect, useState } from 'react'
import { Search } from 'lucide-react'
import { Button, EmptyState, Field, Input, Select, Textarea, type SelectOption } from '@/components/ui'
import { collectionsApi, type CollectionInfo, type SearchFilter, type SearchMode, type SearchResult } from '@/lib/client/collections'
import { formatDuration } from '@/lib/client/format'
import { FormProblem, useSubmit } from './form-errors'
import { HitCard } from './HitCard'
import { parseJsonObject } from './json-object'
import { deploymentOptions, loadRegistry } from './models'

const MODES: Array<{ value: SearchMode; label: string }> = [
  { value: 'hybrid', label: 'Hybrid: meaning + keywords (RRF)' },
  { value: 'vector', label: 'By meaning (vector)' },
  { value: 'keyword', label: 'By keywords (BM25)' },
]

const FIELDS = ['query', 'mode', 'topK', 'minScore', 'filter', 'rerank'] as const

function Summary({ result }: { result: SearchResult }) {
  const parts = [
    `${result.hits.length} hit${result.hits.length === 1 ? '' : 's'}`,
    MODES.find((m) => m.value === result.mode)?.label ?? result.mode,
    result.mode === 'keyword' ? null : result.usedIndex ? 'ANN index' : 'exact scan',
    formatDuration(result.tookMs),
    result.embedding ? `query embedded by ${result.embedding.deployment} (${result.embedding.tokens} tokens, $${Number(result.embedding.costUsd).toFixed(6)})` : null,
    result.rerank ? `re-ranked by ${result.rerank.deployment} (${result.rerank.tokens} tokens, $${Number(result.rerank.costUsd).toFixed(6)})` : null,
  ]
  return <p data-testid="query-summary" className="text-xs text-muted">{parts.filter(Boolean).join(' · ')}</p>
}

export function QueryTab({ collection }: { collection: CollectionInfo }) {
  const [form, setForm] = useState({ query: '', mode: 'hybrid' as SearchMode, topK: '5', minScore: '', filter: '', rerank: '' })
  const [chatModels, setChatModels] = useState<SelectOption[]>([])
  const [result, setResult] = useState<{ query: string; answer: SearchResult } | null>(null)
  const { fields: errors, other, busy, run, clear, refuse } = useSubmit(FIELDS)
  useEffect(() => {
    loadRegistry().then((r) => setChatModels(deploymentOptions(r, 'chat')), () => setChatModels([]))
  }, [])
  const set = (k: keyof typeof form, v: string) => {
    setForm((f) => ({ ...f, [k]: v }))
    clear(k)
  }
  const fields = Object.keys(collection.fields)

  const search = () => {
    const filter = parseJsonObject(form.filter, 'The filter')
    if (!filter.ok) return refuse('filter', filter.error)
    setResult(null)
    void run(async () => {
      const answer = await collectionsApi.query(collection.name, {
        query: form.query,
        mode: form.mode,
        topK: Number(form.topK),
        minScore: form.minScore.trim() === '' ? undefined : Number(form.minScore),
        filter: filter.value as SearchFilter | undefined,
        rerank: form.rerank ? { target: form.rerank } : undefined,
      })
      setResult({ query: form.query, answer })
    })
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        aria-label="Query"
        className="grid grid-cols-1 gap-3 rounded-lg border border-line bg-panel p-4 md:grid-cols-6"
        onSubmit={(e) => {
          e.preventDefault()
          search()
        }}
      >
        <Field label="Query" error={errors.query} className="md:col-span-6">
          {({ id, invalid }) => <Input id={id} invalid={invalid} placeholder="How do refunds work?" value={form.query} onChange={(e) => set('query', e.target.value)} />}
        </Field>
        <Field label="Mode" error={errors.mode} className="md:col-span-2">
          {({ id, invalid }) => <Select id={id} invalid={invalid} options={MODES} value={form.mode} onChange={(e) => set('mode', e.target.value)} />}
        </Field>
        <Field label="Top K" error={errors.topK}>
          {({ id, invalid }) => <Input id={id} invalid={invalid} type="number" min={1} max={100} value={form.topK} onChange={(e) => set('topK', e.target.value)} />}
        </Field>
        <Field label="Min score" error={errors.minScore} hint="Optional">
          {({ id, invalid, describedBy }) => <Input id={id} invalid={invalid} aria-describedby={describedBy} type="number" step="any" value={form.minScore} onChange={(e) => set('minScore', e.target.value)} />}
        </Field>
        <Field label="Re-rank with" error={errors.rerank} hint="Optional: an LLM re-orders the candidates" className="md:col-span-2">
          {({ id, invalid, describedBy }) => <Select id={id} invalid={invalid} aria-describedby={describedBy} placeholder="No re-rank" options={chatModels} value={form.rerank} onChange={(e) => set('rerank', e.target.value)} />}
        </Field>
        <Field
          label="Filter (JSON, optional)"
          error={errors.filter}
          hint={
            fields.length
              ? `Filterable: ${Object.entries(collection.fields).map(([k, t]) => `${k} (${t})`).join(', ')}. E.g. {"year": {"gte": 2020}}; operators eq, ne, in, gt, gte, lt, lte`
              : 'No metadata fields yet: documents added with metadata make them filterable'
          }
          className="md:col-span-5"
        >
          {({ id, invalid, describedBy }) => <Textarea id={id} invalid={invalid} aria-describedby={describedBy} rows={2} className="text-xs" placeholder='{"lang": "en"}' value={form.filter} onChange={(e) => set('filter', e.target.value)} />}
        </Field>
        <div className="flex items-end md:col-span-1">
          <Button type="submit" variant="primary" className="w-full" loading={busy} icon={<Search className="size-4" />}>
            Search
          </Button>
        </div>
      </form>
      <FormProblem message={other} />
      {result && <Summary result={result.answer} />}
      {result && result.answer.hits.length === 0 && <EmptyState title="Nothing found" description="No chunk matched: try other words, another mode, a looser filter or a lower min score." />}
      {result && result.answer.hits.length > 0 && (
        <ol aria-label="Results" className="flex flex-col gap-3">
          {result.answer.hits.map((hit, i) => (
            <li key={hit.chunkId}>
              <HitCard hit={hit} rank={i + 1} mode={result.answer.mode} query={result.query} />
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
