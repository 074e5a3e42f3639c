// A readable summary of a GraphDiff.
import type { GraphDiff } from '@/lib/store/diff'
import { isEmptyDiff } from '@/lib/store/diff'

function Section({ title, tone, items }: { title: string; tone: string; items: string[] }) {
  if (!items.length) return null
  return (
    <div>
      <h4 className={`text-xs font-semibold ${tone}`}>{title} ({items.length})</h4>
      <ul className="ml-4 list-disc text-xs">
        {items.slice(0, 50).map((t, i) => <li key={i}>{t}</li>)}
        {items.length > 50 && <li className="text-muted">…and {items.length - 50} more</li>}
      </ul>
    </div>
  )
}

export function DiffView({ diff }: { diff: GraphDiff }) {
  if (isEmptyDiff(diff)) return <p className="text-sm text-muted">No differences in the graph.</p>
  return (
    <div className="flex flex-col gap-2" data-testid="diff-view">
      <Section title="Nodes added" tone="text-ok" items={diff.added.map((n) => n.name)} />
      <Section title="Nodes removed" tone="text-danger" items={diff.removed.map((n) => n.name)} />
      <Section title="Parameters changed" tone="text-warn" items={diff.changed.map((c) => `${c.name}: ${c.fields.join(', ')}`)} />
      <Section title="Renamed" tone="text-warn" items={diff.renamed.map((r) => `${r.from} → ${r.to}`)} />
      <Section title="Moved" tone="text-muted" items={diff.moved.map((n) => n.name)} />
      <Section title="Connections added" tone="text-ok" items={diff.edgesAdded} />
      <Section title="Connections removed" tone="text-danger" items={diff.edgesRemoved} />
    </div>
  )
}
