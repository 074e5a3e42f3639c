'use client'
// The workspace's collections: what each holds (documents, chunks), how it embeds (model, dimension), whether its
// ANN index is built, and "New collection". Empty, it says what collections are for and how workflows use them.
import { useCallback, useEffect, useState } from 'react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { Library, Plus } from 'lucide-react'
import { PageHeader } from '@/components/shell/PageHeader'
import { Button, EmptyState, Spinner, Table, TBody, Td, Th, THead, Tr } from '@/components/ui'
import { collectionsApi, type CollectionInfo } from '@/lib/client/collections'
import { errorMessage } from '@/lib/client/api'
import { formatRelative } from '@/lib/client/format'
import { IndexBadge } from './IndexBadge'
import { NewCollectionDialog } from './NewCollectionDialog'
import { collectionHref } from './paths'

export function CollectionList() {
  const router = useRouter()
  const [rows, setRows] = useState<CollectionInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)

  const load = useCallback(() => {
    collectionsApi.list().then((r) => (setRows(r.collections), setError(null)), (err) => setError(errorMessage(err)))
  }, [])
  useEffect(load, [load])

  const newButton = (
    <Button variant="primary" icon={<Plus className="size-4" />} onClick={() => setCreating(true)}>
      New collection
    </Button>
  )
  return (
    <div className="flex flex-col gap-5">
      <PageHeader title="Collections" description="Documents split into chunks and embedded, for workflows to search by meaning, by keywords or both." actions={newButton} />
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {!rows && !error && (
        <p className="flex items-center gap-2 text-sm text-muted">
          <Spinner /> Loading collections…
        </p>
      )}
      {rows && rows.length === 0 && (
        <EmptyState
          icon={<Library />}
          title="No collections yet"
          description="A collection holds documents (text, Markdown, HTML, PDF) cut into chunks, each with an embedding from one of your embedding models. Workflows add documents with the Ingest Documents step and find passages with Search Collection, Answer with Sources or an Agent's retrieval tool; here you can browse what a collection holds and try queries."
          action={newButton}
        />
      )}
      {rows && rows.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th className="text-right">Documents</Th>
              <Th className="text-right">Chunks</Th>
              <Th className="text-right">Dimension</Th>
              <Th>Embedding model</Th>
              <Th>Search</Th>
              <Th>Updated</Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((c) => (
              <Tr key={c.id} data-testid="collection-row" onClick={() => router.push(collectionHref(c.name))}>
                <Td>
                  <Link href={collectionHref(c.name)} className="font-medium text-accent hover:underline" onClick={(e) => e.stopPropagation()}>
                    {c.name}
                  </Link>
                  {c.description && <p className="max-w-sm truncate text-xs text-muted">{c.description}</p>}
                </Td>
                <Td className="text-right tabular-nums">{c.documentCount.toLocaleString()}</Td>
                <Td className="text-right tabular-nums">{c.chunkCount.toLocaleString()}</Td>
                <Td className="text-right tabular-nums">{c.dimension}</Td>
                <Td className="font-mono text-xs">{c.embedding}</Td>
                <Td>
                  <IndexBadge indexed={c.indexed} />
                </Td>
                <Td className="whitespace-nowrap text-xs text-muted">{formatRelative(c.updatedAt)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <NewCollectionDialog open={creating} onClose={() => setCreating(false)} onCreated={(c) => router.push(collectionHref(c.name))} />
    </div>
  )
}
