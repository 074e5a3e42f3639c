// The order an execution's steps are listed in: the order they ran. Start times have millisecond precision, and
// fast steps (a Set, an If) often start within the same millisecond as the step before them; ties are broken by the
// node's place in the graph's flow (upstream first), then loop iteration, then attempt — never by node id or by the
// order rows happened to be written. Pure: unit-tested without a database.

export interface OrderableStep {
  nodeId: string
  attempt: number
  iteration: number | null
  startedAt: Date | string | null
}

/**
 * Rank of each node in the flow: Kahn's topological order, sources in graph order first. A loop's back edge makes a
 * cycle; when no node is free, the waiting node with the fewest unmet inputs (the loop's entry) goes next.
 */
export function flowRank(nodeIds: string[], edges: Array<{ source: string; target: string }>): Map<string, number> {
  const known = new Set(nodeIds)
  const waiting = new Map(nodeIds.map((id) => [id, 0]))
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]))
  for (const e of edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue
    next.get(e.source)!.push(e.target)
    waiting.set(e.target, waiting.get(e.target)! + 1)
  }
  const rank = new Map<string, number>()
  const ready = nodeIds.filter((id) => waiting.get(id) === 0)
  while (rank.size < nodeIds.length) {
    if (ready.length === 0) {
      let pick: string | undefined
      for (const id of nodeIds) if (!rank.has(id) && (pick === undefined || waiting.get(id)! < waiting.get(pick)!)) pick = id
      ready.push(pick!)
    }
    const id = ready.shift()!
    if (rank.has(id)) continue
    rank.set(id, rank.size)
    for (const to of next.get(id)!) {
      waiting.set(to, waiting.get(to)! - 1)
      if (waiting.get(to) === 0 && !rank.has(to)) ready.push(to)
    }
  }
  return rank
}

const time = (t: Date | string | null) => (t === null ? Infinity : typeof t === 'string' ? Date.parse(t) : t.getTime())

/** Steps in run order (a new array). Nodes the graph no longer has sort after those it has, at the same time. */
export function inRunOrder<S extends OrderableStep>(steps: S[], rank: Map<string, number>): S[] {
  const r = (id: string) => rank.get(id) ?? Number.MAX_SAFE_INTEGER
  return [...steps].sort(
    (a, b) => time(a.startedAt) - time(b.startedAt) || r(a.nodeId) - r(b.nodeId) || (a.iteration ?? 0) - (b.iteration ?? 0) || a.attempt - b.attempt,
  )
}
