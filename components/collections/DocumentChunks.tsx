'use client'
// One document's chunks in a side drawer: each chunk's text as it was embedded, with its index and token count.
import { useEffect, useState } from 'react'
import { X } from 'lucide-react'
import { Spinner } from '@/components/ui'
import { errorMessage } from '@/lib/client/api'
import { collectionsApi, type ChunkInfo, type DocumentInfo } from '@/lib/client/collections'
import { MetadataText, typeLabel } from './MetadataText'

export function DocumentChunks({ collection, document, onClose }: { collection: string; document: DocumentInfo | null; onClose: () => void }) {
  const [chunks, setChunks] = useState<ChunkInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!document) return
    let live = true
    setChunks(null)
    setError(null)
    collectionsApi.chunks(collection, document.key).then((r) => live && setChunks(r.chunks), (err) => live && setError(errorMessage(err)))
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => {
      live = false
      window.removeEventListener('keydown', onKey)
    }
  }, [collection, document, onClose])
  if (!document) return null
  return (
    <aside role="dialog" aria-label="Document chunks" className="fixed inset-y-0 right-0 z-40 flex w-[min(40rem,100vw)] flex-col gap-4 overflow-y-auto border-l border-line bg-panel p-5 shadow-xl">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold">{document.title || document.key}</h2>
          <p className="truncate font-mono text-xs text-muted">{document.key}</p>
        </div>
        <button type="button" aria-label="Close" onClick={onClose} className="rounded p-1 text-muted hover:bg-panel-2">
          <X className="size-4" />
        </button>
      </div>
      <p className="text-xs text-muted">
        {typeLabel(document.mimeType)} · {document.chunkCount} chunks · {document.tokenCount.toLocaleString()} tokens
      </p>
      <MetadataText metadata={document.metadata} />
      {error && <p role="alert" className="text-sm text-danger">{error}</p>}
      {!chunks && !error && <Spinner />}
      {chunks && (
        <ol className="flex flex-col gap-3">
          {chunks.map((c) => (
            <li key={c.chunkId} data-testid="chunk" className="rounded-md border border-line bg-panel-2/40 p-3">
              <p className="mb-1.5 flex justify-between text-xs text-muted">
                <span>Chunk {c.chunkIndex + 1}</span>
                <span className="tabular-nums">{c.tokens} tokens</span>
              </p>
              <p className="whitespace-pre-wrap break-words text-sm">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}
