'use client'
// A file an item holds (a FileRef): its name, type and size, a download link and a preview. The studio never points
// the page at a file to render it: downloads come as attachments (GET /api/files/:id), and a preview fetches the
// bytes as data — an image into a blob: URL for an <img>, text and JSON (the first 64 KB, by Range) into a <pre>.
// SVG and HTML are never previewed as what they are (lib/files/ref.ts previewKind).
import { useEffect, useState } from 'react'
import { Download, Eye, EyeOff, File, FileImage, FileJson, FileText } from 'lucide-react'
import { findFileRefs, formatBytes, previewKind, type FileRef } from '@/lib/files/ref'
import { cn } from './cn'

/** Bytes of text shown in a preview (one Range request). */
export const TEXT_PREVIEW_BYTES = 64 * 1024
/** Larger images are offered as downloads only (the preview holds the whole image in the page). */
export const IMAGE_PREVIEW_MAX_BYTES = 20 * 1024 * 1024

export const fileUrl = (ref: FileRef) => `/api/files/${encodeURIComponent(ref.$file)}`

const ICONS = { image: FileImage, json: FileJson, text: FileText } as const

/** A step's first few images preview without a click (screenshots, charts), if they are small enough. */
export const AUTO_PREVIEW_IMAGES = 4
export const AUTO_PREVIEW_MAX_BYTES = 5 * 1024 * 1024

export function FileChip({ file, className, autoPreview = false }: { file: FileRef; className?: string; autoPreview?: boolean }) {
  const kind = previewKind(file.mimeType)
  const previewable = kind !== undefined && !(kind === 'image' && file.size > IMAGE_PREVIEW_MAX_BYTES)
  const [open, setOpen] = useState(autoPreview && kind === 'image' && previewable && file.size <= AUTO_PREVIEW_MAX_BYTES)
  const Icon = kind ? ICONS[kind] : File
  return (
    <div className={cn('inline-flex max-w-full flex-col gap-1 align-top', className)} data-testid="file-chip" data-file-id={file.$file}>
      <div className="inline-flex max-w-full items-center gap-1.5 rounded-md border border-line bg-panel px-2 py-1 font-sans text-xs">
        <Icon className="size-3.5 shrink-0 text-muted" aria-hidden />
        <span className="truncate font-medium" title={file.name}>{file.name}</span>
        <span className="shrink-0 text-muted">{file.mimeType.split(';')[0]} · {formatBytes(file.size)}</span>
        <a
          href={fileUrl(file)}
          download={file.name}
          className="inline-flex shrink-0 items-center gap-0.5 rounded px-1 text-accent hover:bg-panel-2"
          aria-label={`Download ${file.name}`}
        >
          <Download className="size-3.5" aria-hidden /> Download
        </a>
        {previewable && (
          <button
            type="button"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            className="inline-flex shrink-0 items-center gap-0.5 rounded px-1 text-accent hover:bg-panel-2"
          >
            {open ? <EyeOff className="size-3.5" aria-hidden /> : <Eye className="size-3.5" aria-hidden />} {open ? 'Hide' : 'Preview'}
          </button>
        )}
      </div>
      {open && kind && <FilePreview file={file} kind={kind} />}
    </div>
  )
}

type Preview = { state: 'loading' } | { state: 'error'; message: string } | { state: 'image'; url: string } | { state: 'text'; text: string; truncated: boolean }

function FilePreview({ file, kind }: { file: FileRef; kind: 'image' | 'json' | 'text' }) {
  const [preview, setPreview] = useState<Preview>({ state: 'loading' })
  useEffect(() => {
    const ctl = new AbortController()
    let url: string | undefined
    loadPreview(file, kind, ctl.signal).then(
      (p) => {
        if (p.state === 'image') url = p.url
        if (ctl.signal.aborted) return url && URL.revokeObjectURL(url)
        setPreview(p)
      },
      (err: Error) => !ctl.signal.aborted && setPreview({ state: 'error', message: err.message }),
    )
    return () => {
      ctl.abort()
      if (url) URL.revokeObjectURL(url)
    }
  }, [file, kind])

  if (preview.state === 'loading') return <p className="text-xs text-muted">Loading preview…</p>
  if (preview.state === 'error') return <p className="text-xs text-danger">Preview failed: {preview.message}</p>
  if (preview.state === 'image') {
    return <img src={preview.url} alt={`Preview of ${file.name}`} className="max-h-64 max-w-full self-start rounded border border-line bg-panel-2 object-contain" data-testid="file-preview-image" />
  }
  return (
    <div data-testid="file-preview-text">
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded border border-line bg-panel-2 p-2 font-mono text-xs">{preview.text}</pre>
      {preview.truncated && <p className="text-[11px] text-muted">Showing the first {formatBytes(TEXT_PREVIEW_BYTES)} of {formatBytes(file.size)}; download the file for all of it.</p>}
    </div>
  )
}

async function loadPreview(file: FileRef, kind: 'image' | 'json' | 'text', signal: AbortSignal): Promise<Preview> {
  const partial = kind !== 'image' && file.size > TEXT_PREVIEW_BYTES
  const res = await fetch(fileUrl(file), { signal, headers: partial ? { range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } : {} })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`)
  }
  if (kind === 'image') {
    // The blob gets the ref's raster type (previewKind allows no SVG), whatever the answer said.
    const bytes = await res.arrayBuffer()
    return { state: 'image', url: URL.createObjectURL(new Blob([bytes], { type: file.mimeType })) }
  }
  const text = await res.text()
  const truncated = partial && res.status === 206
  if (kind === 'json' && !truncated) {
    try {
      return { state: 'text', text: JSON.stringify(JSON.parse(text), null, 2), truncated }
    } catch {
      // Not valid JSON after all: shown as it is.
    }
  }
  return { state: 'text', text, truncated }
}

/** Every file the items hold (at any depth), as chips; nothing when they hold none. */
export function FileList({ items, className }: { items: unknown; className?: string }) {
  const refs = findFileRefs(items)
  if (refs.length === 0) return null
  // The first few images open at once: a screenshot is what one looks at a step for.
  const autoOpen = new Set(refs.filter((r) => previewKind(r.mimeType) === 'image').slice(0, AUTO_PREVIEW_IMAGES).map((r) => r.$file))
  return (
    <section className={cn('flex flex-col gap-1.5', className)} data-testid="file-list" aria-label="Files">
      <h4 className="text-xs font-semibold">Files <span className="font-normal text-muted">({refs.length}{refs.length === 100 ? '+' : ''})</span></h4>
      <div className="flex flex-col items-start gap-1.5">
        {refs.map((ref, i) => (
          <FileChip key={`${ref.$file}-${i}`} file={ref} autoPreview={autoOpen.has(ref.$file)} />
        ))}
      </div>
    </section>
  )
}
