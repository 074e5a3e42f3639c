// A step's recorded input. When a step's only input is the output of the one node feeding it (a chain: the common
// case), the row stores a reference `{ "$from": { "node", "port" } }` instead of a second copy of those items;
// readers resolve it against the same execution's rows. Anything else is stored as the items themselves.
import type { Item } from '../engine/types'
import type { PrismaClient } from '../db/generated/client'

export interface InputRef {
  $from: { node: string; port: string }
}

export function isInputRef(v: unknown): v is InputRef {
  const from = (v as InputRef | null)?.$from
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof from?.node === 'string' && typeof from?.port === 'string'
}

/** The same items, element for element (the engine hands a step the very objects its upstream produced). */
export function sameItems(a: readonly unknown[], b: readonly unknown[] | undefined): boolean {
  if (!b || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

interface StepLike {
  nodeId: string
  attempt: number
  status: string
  input: unknown
  output: unknown
}

/** Replaces references in `steps` (rows of one execution) with the referenced step's output items. */
export function resolveInputs<T extends StepLike>(steps: T[]): T[] {
  if (!steps.some((s) => isInputRef(s.input))) return steps
  const latest = new Map<string, T>()
  for (const s of steps) if (s.status === 'succeeded' && (latest.get(s.nodeId)?.attempt ?? 0) < s.attempt) latest.set(s.nodeId, s)
  return steps.map((s) => {
    if (!isInputRef(s.input)) return s
    const { node, port } = s.input.$from
    const out = (latest.get(node)?.output as Record<string, Item[]> | null | undefined)?.[port]
    return { ...s, input: Array.isArray(out) ? out : [] }
  })
}

/** The output preview on a node's latest succeeded step row for one port, with the port's full count. */
export async function recordedOutput(prisma: PrismaClient, executionId: string, nodeId: string, port: string): Promise<{ items: Item[]; count: number } | null> {
  const row = await prisma.stepRun.findFirst({
    where: { executionId, nodeId, status: 'succeeded' },
    orderBy: { attempt: 'desc' },
    select: { output: true, outputCounts: true },
  })
  if (!row) return null
  const out = (row.output as Record<string, Item[]> | null)?.[port]
  const items = Array.isArray(out) ? out : []
  return { items, count: (row.outputCounts as Record<string, number> | null)?.[port] ?? items.length }
}

/** One step row's input, resolved (a second read only for a reference). */
export async function resolveInput(prisma: PrismaClient, executionId: string, input: unknown): Promise<unknown> {
  if (!isInputRef(input)) return input
  return (await recordedOutput(prisma, executionId, input.$from.node, input.$from.port))?.items ?? []
}
