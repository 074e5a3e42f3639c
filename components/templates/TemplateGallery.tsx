'use client'
// The template gallery: search and filters (category, node type used, built-in or workspace) over the cards. Filters
// live in the address (`/templates?q=…&category=…`) so a filtered gallery can be linked and survives a reload.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { LayoutTemplate, Search, Upload } from 'lucide-react'
import { Button, EmptyState, Input, Select, Spinner } from '@/components/ui'
import { PageHeader } from '@/components/shell/PageHeader'
import { api, errorMessage } from '@/lib/client/api'
import type { NodeTypeInfo } from '@/lib/client/types'
import { templatesApi, type TemplateFilters, type TemplateList } from './api'
import { ImportTemplateDialog } from './ImportTemplateDialog'
import { TemplateCard } from './TemplateCard'

const SEARCH_DEBOUNCE_MS = 250
const FILTER_KEYS = ['q', 'category', 'nodeType', 'source'] as const

function filtersOf(params: URLSearchParams): TemplateFilters {
  const source = params.get('source')
  return {
    q: params.get('q') ?? '',
    category: params.get('category') ?? '',
    nodeType: params.get('nodeType') ?? '',
    source: source === 'builtin' || source === 'workspace' ? source : '',
  }
}

export function TemplateGallery() {
  const router = useRouter()
  const pathname = usePathname()
  const params = useSearchParams()
  const query = params.toString()
  const filters = useMemo(() => filtersOf(new URLSearchParams(query)), [query])
  const [search, setSearch] = useState(filters.q ?? '')
  const [list, setList] = useState<TemplateList | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [nodeTypes, setNodeTypes] = useState<Record<string, NodeTypeInfo>>({})
  const [importing, setImporting] = useState(false)

  const setFilter = useCallback(
    (patch: Partial<TemplateFilters>) => {
      const next = new URLSearchParams()
      const merged = { ...filters, ...patch }
      for (const k of FILTER_KEYS) if (merged[k]) next.set(k, String(merged[k]))
      const qs = next.toString()
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false })
    },
    [filters, pathname, router],
  )

  useEffect(() => {
    if (search.trim() === (filters.q ?? '')) return
    const t = setTimeout(() => setFilter({ q: search.trim() }), SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [search, filters.q, setFilter])

  const load = useCallback(async (signal?: AbortSignal) => {
    setLoading(true)
    try {
      setList(await templatesApi.list(filters, signal))
      setLoadError(null)
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return
      setLoadError(errorMessage(err))
    } finally {
      if (!signal?.aborted) setLoading(false)
    }
  }, [filters])
  useEffect(() => {
    const ctl = new AbortController()
    void load(ctl.signal)
    return () => ctl.abort()
  }, [load])

  useEffect(() => {
    api.nodeTypes.list().then((r) => setNodeTypes(Object.fromEntries(r.nodeTypes.map((t) => [t.type, t]))), () => {})
  }, [])

  const filtered = !!(filters.q || filters.category || filters.nodeType || filters.source)
  const categoryOptions = (list?.categories ?? []).map((c) => ({ value: c.name, label: `${c.name} (${c.count})` }))
  const nodeTypeOptions = (list?.nodeTypes ?? []).map((n) => ({ value: n.type, label: `${n.label} (${n.count})` }))
  // A filter set through the address keeps its option even when no template matches any more.
  if (filters.category && !categoryOptions.some((o) => o.value === filters.category)) categoryOptions.push({ value: filters.category, label: filters.category })
  if (filters.nodeType && !nodeTypeOptions.some((o) => o.value === filters.nodeType)) nodeTypeOptions.push({ value: filters.nodeType, label: filters.nodeType })

  return (
    <>
      <PageHeader
        title="Templates"
        description="Start from a tested workflow: pick one, fill in its parameters and credentials, and it opens in the designer."
        actions={
          <Button icon={<Upload className="size-4" />} onClick={() => setImporting(true)}>
            Import template
          </Button>
        }
      />
      <div className="flex flex-wrap items-end gap-3" role="search" aria-label="Templates">
        <div className="relative min-w-64 flex-1">
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted" aria-hidden />
          <Input aria-label="Search templates" type="search" placeholder="Search by name, description or tag" value={search} onChange={(e) => setSearch(e.target.value)} className="pl-8" />
        </div>
        <Select aria-label="Category" className="w-48" placeholder="All categories" options={categoryOptions} value={filters.category} onChange={(e) => setFilter({ category: e.target.value })} />
        <Select aria-label="Node type" className="w-56" placeholder="Any node type" options={nodeTypeOptions} value={filters.nodeType} onChange={(e) => setFilter({ nodeType: e.target.value })} />
        <Select
          aria-label="Source"
          className="w-40"
          placeholder="All sources"
          options={[{ value: 'builtin', label: 'Built-in' }, { value: 'workspace', label: 'This workspace' }]}
          value={filters.source}
          onChange={(e) => setFilter({ source: e.target.value as TemplateFilters['source'] })}
        />
        {loading && list && <Spinner className="mb-3 text-muted" />}
      </div>
      {loadError ? (
        <EmptyState title="Could not load templates" description={loadError} action={<Button onClick={() => void load()}>Try again</Button>} />
      ) : list === null ? (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading templates…
        </p>
      ) : list.templates.length === 0 ? (
        <EmptyState
          icon={<LayoutTemplate />}
          title={filtered ? 'No template matches' : 'No templates yet'}
          description={filtered ? 'Try other words or clear the filters.' : 'Publish a workflow as a template from the designer, or import a template file.'}
          action={filtered ? <Button onClick={() => { setSearch(''); setFilter({ q: '', category: '', nodeType: '', source: '' }) }}>Clear filters</Button> : undefined}
        />
      ) : (
        <>
          <p className="text-xs text-muted" aria-live="polite">
            {list.templates.length} template{list.templates.length === 1 ? '' : 's'}
          </p>
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="template-grid">
            {list.templates.map((t) => (
              <TemplateCard key={t.id} template={t} nodeTypes={nodeTypes} />
            ))}
          </div>
        </>
      )}
      <ImportTemplateDialog open={importing} onClose={() => setImporting(false)} />
    </>
  )
}
