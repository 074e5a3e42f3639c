// A file travelling with an item: the item holds this small reference, the bytes live in the file store
// (lib/files/service.ts). Browser-safe: the run view uses it to show previews and download links.

/** `$file` is the file's id; name, type and size are copied here so nodes and the run view need no lookup. */
export interface FileRef {
  $file: string
  name: string
  mimeType: string
  size: number
  /** SHA-256 of the content, hex. */
  sha256?: string
}

const ID = /^f_[A-Za-z0-9_-]{16,64}$/

export function isFileId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value)
}

export function isFileRef(value: unknown): value is FileRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const v = value as Record<string, unknown>
  return isFileId(v.$file) && typeof v.name === 'string' && typeof v.mimeType === 'string' && typeof v.size === 'number'
}

/** Every file reference inside a JSON value (items nest them anywhere), depth-first, at most `limit`. */
export function findFileRefs(value: unknown, limit = 100): FileRef[] {
  const out: FileRef[] = []
  const walk = (v: unknown, depth: number) => {
    if (out.length >= limit || depth > 32 || typeof v !== 'object' || v === null) return
    if (isFileRef(v)) {
      out.push(v)
      return
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child, depth + 1)
  }
  walk(value, 0)
  return out
}

/** What the run view may show inline (after fetching it as data; the studio never navigates to a file). */
export function previewKind(mimeType: string): 'image' | 'json' | 'text' | undefined {
  const type = mimeType.split(';')[0]!.trim().toLowerCase()
  // SVG is active content: offered as a download only.
  if (/^image\/(png|jpeg|gif|webp|avif|bmp)$/.test(type)) return 'image'
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type.startsWith('text/') || type === 'application/xml' || type === 'application/csv') return 'text'
  return undefined
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}
