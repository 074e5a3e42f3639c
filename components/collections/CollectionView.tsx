'use client'
// One collection: its settings and counts in the header, then a Documents tab (browse, open a document's chunks, add
// and delete documents) and a Query tab (run a search and see why each hit ranked where it did).
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { ArrowLeft, Trash2 } from 'lucide-react'
import { Button, EmptyState, Spinner, Tabs, useToast } from '@/components/ui'
import { ApiError, errorMessage } from '@/lib/client/api'
import { collectionsApi, type CollectionInfo } from '@/lib/client/collections'
import { formatRelative } from '@/lib/client/format'
import { ConfirmDelete } from './ConfirmDelete'
import { DocumentsTab } from './DocumentsTab'
import { IndexBadge } from './IndexBadge'
import { QueryTab } from './QueryTab'

type Tab = 'documents' | 'query'

export function CollectionView({ name }: { name: string }) {
  const [info, setInfo] = useState<CollectionInfo | null>(null)
  const [error, setError] = useState<{ status: number; message: string } | null>(null)
  const [tab, setTab] = useState<Tab>('documents')
  const load = useCallback(() => {
    collectionsApi.get(name).then(
      (c) => (setInfo(c), setError(null)),
      (err) => setError({ status: err instanceof ApiError ? err.status : 0, message: errorMessage(err) }),
    )
  }, [name])
  useEffect(load, [load])

  if (error && !info) {
    return (
      <EmptyState
        title={error.status === 404 ? 'Collection not found' : 'Could not load the collection'}
        description={error.status === 404 ? `This workspace has no collection named “${name}”.` : error.message}
        action={<Link href="/collections" className="text-sm text-accent hover:underline">All collections</Link>}
      />
    )
  }
  if (!info) return <Spinner />
  return (
    <div className="flex flex-col gap-5">
      <CollectionHeader info={info} />
      <Tabs<Tab>
        label="Collection"
        value={tab}
        onChange={setTab}
        tabs={[
          { id: 'documents', label: `Documents (${info.documentCount.toLocaleString()})` },
          { id: 'query', label: 'Query' },
        ]}
      />
      <div role="tabpanel" aria-label={tab === 'documents' ? 'Documents' : 'Query'}>
        {tab === 'documents' ? <DocumentsTab collection={info} onChanged={load} /> : <QueryTab collection={info} />}
      </div>
    </div>
  )
}

function CollectionHeader({ info }: { info: CollectionInfo }) {
  const fields = Object.entries(info.fields)
  const facts: Array<[string, React.ReactNode]> = [
    ['Embedding model', <span key="e" className="font-mono">{info.embedding}</span>],
    ['Dimension', info.dimension],
    ['Chunking', `${info.chunkSize} tokens · ${info.chunkOverlap} overlap`],
    ['Documents', info.documentCount.toLocaleString()],
    ['Chunks', info.chunkCount.toLocaleString()],
    ['Search', <IndexBadge key="i" indexed={info.indexed} />],
    ['Filterable fields', fields.length ? fields.map(([k, t]) => `${k} (${t})`).join(', ') : '—'],
    ['Updated', formatRelative(info.updatedAt)],
  ]
  return (
    <header className="flex flex-col gap-3">
      <Link href="/collections" className="flex w-fit items-center gap-1 text-xs text-muted hover:text-fg">
        <ArrowLeft className="size-3.5" /> Collections
      </Link>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">{info.name}</h1>
          {info.description && <p className="mt-1 text-sm text-muted">{info.description}</p>}
        </div>
        <DeleteCollection name={info.name} />
      </div>
      <dl data-testid="collection-facts" className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-line bg-panel p-4 text-sm sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label} className="flex min-w-0 flex-col gap-0.5">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="truncate">{value}</dd>
          </div>
        ))}
      </dl>
    </header>
  )
}

function DeleteCollection({ name }: { name: string }) {
  const toast = useToast()
  const router = useRouter()
  const [open, setOpen] = useState(false)
  const remove = async () => {
    const gone = await collectionsApi.remove(name)
    toast.success(`Collection “${name}” deleted`, `${gone.documents} documents, ${gone.chunks} chunks`)
    router.push('/collections')
  }
  return (
    <>
      <Button variant="ghost" icon={<Trash2 className="size-4" />} onClick={() => setOpen(true)}>
        Delete collection
      </Button>
      <ConfirmDelete
        open={open}
        title={`Delete “${name}”?`}
        description="Its documents, chunks and vectors are removed for good. Workflows that search it will fail until it is created again."
        action="Delete collection"
        onClose={() => setOpen(false)}
        onConfirm={remove}
      />
    </>
  )
}
