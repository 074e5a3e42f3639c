// Loads the n8n workflow fixtures (tests/fixtures/n8n) and imports them, with lookups by n8n node name.
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { workflowGraphSchema, type GraphNode } from '@/lib/engine/graph-schema'
import { nodeRegistry } from '@/lib/nodes/registry'
import { assertValidGraph } from '@/lib/services/validation'
import { importN8nWorkflow } from '@/lib/templates/n8n/import'
import type { NodeImportEntry } from '@/lib/templates/n8n/types'

/** The report's reason for a node kept as a no-op because its configuration has no equivalent. */
export const PLACEHOLDER = 'this configuration has no equivalent here (see the entries below): kept as a No-op placeholder; replace it'

export const fixturePath = (name: string) => path.join(import.meta.dirname, '../../../fixtures/n8n', name)
export const readFixture = (name: string): string => fs.readFileSync(fixturePath(name), 'utf8')

export function importFixture(name: string) {
  const result = importN8nWorkflow(readFixture(name))
  const entry = (n8nName: string): NodeImportEntry => {
    const e = result.report.nodes.find((n) => n.n8nName === n8nName)
    if (!e) throw new Error(`no report entry for ${n8nName}`)
    return e
  }
  const node = (n8nName: string): GraphNode => {
    const id = entry(n8nName).nodeId
    const n = result.graph.nodes.find((x) => x.id === id)
    if (!n) throw new Error(`no node for ${n8nName}`)
    return n as GraphNode
  }
  /** Edges as "source name:port -> target name:port". */
  const edges = () =>
    (result.graph.edges ?? []).map((e) => {
      const name = (id: string) => result.graph.nodes.find((n) => n.id === id)?.name
      return `${name(e.source)}:${e.sourcePort} -> ${name(e.target)}:${e.targetPort}`
    })
  /** [path, reason] of every report entry of a node. */
  const reasons = (n8nName: string) => entry(n8nName).unmapped.map((u) => [u.path, u.reason])
  return { ...result, entry, node, edges, reasons }
}

/** The graph parses, passes the API's validation and every node's params pass its own schema. */
export function expectValidGraph(graph: unknown): void {
  const parsed = workflowGraphSchema.parse(graph)
  expect(() => assertValidGraph(graph)).not.toThrow()
  for (const n of parsed.nodes) {
    const def = nodeRegistry.get(n.type)
    if (!def) throw new Error(`unknown type ${n.type}`)
    const result = def.params.safeParse(n.params)
    // Strings holding {{ … }} are expressions: their type is only known when they run (as validateGraph does).
    const realIssues = result.success ? [] : result.error.issues.filter((i) => !String(pathValue(n.params, i.path)).includes('{{'))
    expect(realIssues, `${n.name}: ${JSON.stringify(realIssues)}`).toEqual([])
  }
}

function pathValue(obj: unknown, keys: PropertyKey[]): unknown {
  let cur = obj
  for (const k of keys) cur = cur && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[k] : undefined
  return cur
}
