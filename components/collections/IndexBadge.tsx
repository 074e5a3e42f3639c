import { Badge } from '@/components/ui'

/** Whether vector searches use the ANN index (built past the index threshold) or scan every chunk exactly. */
export function IndexBadge({ indexed }: { indexed: boolean }) {
  return indexed ? (
    <Badge tone="success">ANN index</Badge>
  ) : (
    <Badge tone="muted">
      <span title="Small collections are searched exactly, chunk by chunk; the index is built once they grow past the threshold">exact scan</span>
    </Badge>
  )
}
