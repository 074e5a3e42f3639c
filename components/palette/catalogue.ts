// Palette grouping and search over the node-type catalogue.
import { categoryRank } from '@/lib/nodes/categories'
import type { NodeTypeInfo } from '@/lib/store/types'

export { CATEGORY_LABEL } from '@/lib/nodes/categories'

/** Matches label, type and description; label-prefix matches first. */
export function searchTypes(types: NodeTypeInfo[], query: string): NodeTypeInfo[] {
  const q = query.trim().toLowerCase()
  if (!q) return types
  const score = (t: NodeTypeInfo) => {
    const label = t.label.toLowerCase()
    if (label.startsWith(q)) return 0
    if (label.split(/\s+/).some((w) => w.startsWith(q))) return 1
    if (t.type.includes(q)) return 2
    if (t.description.toLowerCase().includes(q) || t.category.includes(q)) return 3
    return -1
  }
  return types
    .map((t) => [t, score(t)] as const)
    .filter(([, s]) => s >= 0)
    .sort((a, b) => a[1] - b[1] || a[0].label.localeCompare(b[0].label))
    .map(([t]) => t)
}

export function groupByCategory(types: NodeTypeInfo[]): [string, NodeTypeInfo[]][] {
  const by = new Map<string, NodeTypeInfo[]>()
  for (const t of types) by.set(t.category, [...(by.get(t.category) ?? []), t])
  return [...by.entries()].sort((a, b) => categoryRank(a[0]) - categoryRank(b[0]))
}
