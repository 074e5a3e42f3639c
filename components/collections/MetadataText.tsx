// A document's or hit's metadata on one line ("lang: en · year: 2024"), the whole JSON in its tooltip.

const TYPES: Record<string, string> = { 'text/plain': 'Text', 'text/markdown': 'Markdown', 'text/html': 'HTML', 'application/pdf': 'PDF' }

/** "Markdown" for text/markdown; other types as they are. */
export const typeLabel = (mimeType: string) => TYPES[mimeType] ?? mimeType

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

export function MetadataText({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata)
  if (entries.length === 0) return <span className="text-xs text-muted">—</span>
  return (
    <p className="truncate font-mono text-xs" title={JSON.stringify(metadata, null, 2)}>
      {entries.map(([k, v], i) => (
        <span key={k}>
          {i > 0 && <span className="text-muted"> · </span>}
          <span className="text-muted">{k}:</span> {show(v)}
        </span>
      ))}
    </p>
  )
}
