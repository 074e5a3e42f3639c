'use client'
// A collection's documents: a search over keys and titles, pages of 25 (by the API's cursor), each row opening the
// document's chunks; "Add documents" (pasted text or files) and deleting a document.
import { useCallback, useEffect, useState } from 'react'
import { ChevronLeft, ChevronRight, FilePlus2, Trash2 } from 'lucide-react'
import { Button, EmptyState, Input, Spinner, Table, TBody, Td, Th, THead, Tr, useToast } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { collectionsApi, type CollectionInfo, type DocumentInfo } from '@/lib/client/collections'
import { formatRelative } from '@/lib/client/format'
import { AddDocumentsDialog } from './AddDocumentsDialog'
import { ConfirmDelete } from './ConfirmDelete'
import { DocumentChunks } from './DocumentChunks'
import { MetadataText, typeLabel } from './MetadataText'

const PAGE = 25

export function DocumentsTab({ collection, onChanged }: { collection: CollectionInfo; onChanged: () => void }) {
  const name = collection.name
  const [search, setSearch] = useState('')
  const [applied, setApplied] = useState('')
  /** The cursor of each page seen so far (the first page's is null). */
  const [cursors, setCursors] = useState<Array<string | null>>([null])
  const [page, setPage] = useState(0)
  const [rows, setRows] = useState<DocumentInfo[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<DocumentInfo | null>(null)
  const [adding, setAdding] = useState(false)
  const [deleting, setDeleting] = useState<DocumentInfo | null>(null)

  const load = useCallback(() => {
    let live = true
    setRows(null)
    collectionsApi
      .documents(name, { cursor: cursors[page], limit: PAGE, search: applied })
      .then((r) => live && (setRows(r.documents), setNext(r.nextCursor), setError(null)))
      .catch((err) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [name, cursors, page, applied])
  useEffect(load, [load])

  const restart = () => (setCursors([null]), setPage(0))
  // A new cursor list reloads the first page (the effect above), whatever page was showing.
  const changed = () => {
    restart()
    onChanged()
  }
  const goNext = () => {
    if (!next) return
    setCursors((c) => [...c.slice(0, page + 1), next])
    setPage(page + 1)
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <form
          className="flex items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault()
            setApplied(search.trim())
            restart()
          }}
        >
          <Input aria-label="Search documents" className="w-72" placeholder="Search keys and titles…" value={search} onChange={(e) => setSearch(e.target.value)} />
          <Button type="submit">Search</Button>
        </form>
        <Button className="ml-auto" variant="primary" icon={<FilePlus2 className="size-4" />} onClick={() => setAdding(true)}>
          Add documents
        </Button>
      </div>
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {!rows && !error && <Spinner />}
      {rows && rows.length === 0 && (
        <EmptyState
          title={applied ? `No document matches “${applied}”` : 'No documents yet'}
          description={applied ? 'The search looks at keys and titles.' : 'Paste text or upload files (PDF, Markdown, HTML, text) with “Add documents”, or run a workflow with an Ingest Documents step.'}
        />
      )}
      {rows && rows.length > 0 && (
        <Table>
          <THead>
            <Tr>
              <Th>Key</Th>
              <Th>Title</Th>
              <Th>Type</Th>
              <Th className="text-right">Chunks</Th>
              <Th className="text-right">Tokens</Th>
              <Th>Metadata</Th>
              <Th>Updated</Th>
              <Th className="w-10"><span className="sr-only">Actions</span></Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((d) => (
              <Tr key={d.id} data-testid="document-row" onClick={() => setOpen(d)}>
                <Td className="max-w-xs truncate font-mono text-xs">{d.key}</Td>
                <Td className="max-w-xs truncate">{d.title || <span className="text-muted">—</span>}</Td>
                <Td className="whitespace-nowrap text-xs">{typeLabel(d.mimeType)}</Td>
                <Td className="text-right tabular-nums">{d.chunkCount}</Td>
                <Td className="text-right tabular-nums">{d.tokenCount.toLocaleString()}</Td>
                <Td className="max-w-xs">
                  <MetadataText metadata={d.metadata} />
                </Td>
                <Td className="whitespace-nowrap text-xs text-muted">{formatRelative(d.updatedAt)}</Td>
                <Td onClick={(e) => e.stopPropagation()}>
                  <Button size="sm" variant="ghost" aria-label={`Delete ${d.key}`} icon={<Trash2 className="size-3.5" />} onClick={() => setDeleting(d)} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {(page > 0 || next) && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-xs text-muted">
          <span>Page {page + 1}</span>
          <Button size="sm" variant="ghost" aria-label="Previous page" disabled={page === 0} onClick={() => setPage(page - 1)} icon={<ChevronLeft className="size-3.5" />} />
          <Button size="sm" variant="ghost" aria-label="Next page" disabled={!next} onClick={goNext} icon={<ChevronRight className="size-3.5" />} />
        </nav>
      )}
      <DocumentChunks collection={name} document={open} onClose={() => setOpen(null)} />
      <AddDocumentsDialog collection={name} open={adding} onClose={() => setAdding(false)} onAdded={changed} />
      <DeleteDocument collection={name} document={deleting} onClose={() => setDeleting(null)} onDeleted={changed} />
    </div>
  )
}

function DeleteDocument({ collection, document, onClose, onDeleted }: { collection: string; document: DocumentInfo | null; onClose: () => void; onDeleted: () => void }) {
  const toast = useToast()
  const remove = async () => {
    if (!document) return
    const gone = await collectionsApi.deleteDocuments(collection, { keys: [document.key] })
    toast.success(`“${document.key}” deleted`, `${gone.chunks} chunks removed`)
    onClose()
    onDeleted()
  }
  return (
    <ConfirmDelete
      open={document !== null}
      title="Delete this document?"
      description={document ? `“${document.key}” and its ${document.chunkCount} chunks leave the collection; searches no longer find them.` : undefined}
      action="Delete document"
      onClose={onClose}
      onConfirm={remove}
    />
  )
}
