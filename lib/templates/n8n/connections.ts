// n8n connections → our edges, and n8n node settings → ours. n8n: `connections[source][type][outputIndex] =
// [{ node, type, index }]`, where `index` is the target's input. Output and input indexes become our port names
// through each mapper (If 0/1 → true/false, Merge input 1 → input2, …); with `onError: continueErrorOutput` the
// output after the node's last one is our `error` port.
import type { GraphEdge, NodeSettings } from '../../engine/graph-schema'
import { isRecord, preview, type N8nNode } from './context'
import type { ImportedNode, NodeImportEntry, UnmappedEntry } from './types'

/** `outputs` is how many outputs the n8n connections list: a placeholder's error output is the last of them. */
function outputPorts(src: ImportedNode, index: number, outputs: number): string[] {
  const errorOutput = src.n8n.onError === 'continueErrorOutput'
  if (!src.mapped) {
    if (errorOutput && index > 0 && index === outputs - 1) return ['error']
    if (index > 0) src.entry.notes.push(`output ${index} is connected from the placeholder's only output`)
    return ['main']
  }
  if (errorOutput && index === (src.mapped.outputCount ?? 1)) return ['error']
  return src.mapped.outputPorts ? src.mapped.outputPorts(index) : index === 0 ? ['main'] : []
}

function inputPort(target: ImportedNode, index: number): string | undefined {
  if (!target.mapped) return 'main'
  return target.mapped.inputPort ? target.mapped.inputPort(index) : index === 0 ? 'main' : undefined
}

export function connectionsOf(
  connections: Record<string, unknown>,
  nodes: ReadonlyMap<string, ImportedNode>,
  workflow: UnmappedEntry[],
  folded: ReadonlySet<string>,
): GraphEdge[] {
  const edges: GraphEdge[] = []
  const seen = new Set<string>()
  for (const [sourceName, byType] of Object.entries(connections)) {
    const src = nodes.get(sourceName)
    if (!isRecord(byType)) {
      workflow.push({ path: `connections.${sourceName}`, reason: 'not an object of connection types: left out', original: preview(byType) })
      continue
    }
    for (const [kind, outputs] of Object.entries(byType)) {
      const path = `connections.${sourceName}.${kind}`
      if (folded.has(sourceName) && kind.startsWith('ai_')) continue
      if (!src) {
        workflow.push({ path, reason: `"${sourceName}" is not a node of the workflow: its connections were left out` })
        break
      }
      if (kind !== 'main') {
        src.entry.unmapped.push({ path: `connections.${kind}`, reason: `${kind} connections have no equivalent here: left out` })
        continue
      }
      if (!Array.isArray(outputs)) {
        workflow.push({ path, reason: 'not a list of outputs: left out', original: preview(outputs) })
        continue
      }
      outputs.forEach((targets, outIndex) => {
        if (targets === null || targets === undefined) return
        if (!Array.isArray(targets)) return void workflow.push({ path: `${path}.${outIndex}`, reason: 'not a list of targets: left out', original: preview(targets) })
        targets.forEach((t, k) => {
          const at = `${path}.${outIndex}.${k}`
          if (!isRecord(t) || typeof t.node !== 'string') return void workflow.push({ path: at, reason: 'not a { node, type, index } target: left out', original: preview(t) })
          const target = nodes.get(t.node)
          if (!target) return void workflow.push({ path: at, reason: `"${t.node}" is not a node of the workflow: the connection was left out` })
          const sourcePorts = outputPorts(src, outIndex, outputs.length)
          const targetIndex = typeof t.index === 'number' ? t.index : 0
          const targetPort = inputPort(target, targetIndex)
          if (sourcePorts.length === 0) src.entry.unmapped.push({ path: `connections.main.${outIndex}`, reason: `output ${outIndex} has no equivalent port here: its connection to "${t.node}" was left out` })
          if (!targetPort) target.entry.unmapped.push({ path: `inputs.${targetIndex}`, reason: `input ${targetIndex} has no equivalent port here: the connection from "${sourceName}" was left out` })
          if (!targetPort) return
          for (const sourcePort of sourcePorts) {
            const key = `${src.node.id}:${sourcePort}>${target.node.id}:${targetPort}`
            if (seen.has(key)) continue
            seen.add(key)
            edges.push({ source: src.node.id, sourcePort, target: target.node.id, targetPort })
          }
        })
      })
    }
  }
  return edges
}

/** n8n's per-node settings (they sit beside `parameters`) → our node settings. */
export function mapSettings(n: N8nNode, entry: NodeImportEntry): Partial<NodeSettings> {
  const settings: Partial<NodeSettings> = {}
  const unmapped = (path: string, reason: string) => entry.unmapped.push({ path, reason, original: preview(n[path]) })
  if (n.disabled === true) settings.disabled = true
  if (n.retryOnFail === true) {
    settings.maxAttempts = Math.min(10, Math.max(1, typeof n.maxTries === 'number' ? n.maxTries : 3))
    settings.backoffMs = Math.min(3_600_000, Math.max(0, typeof n.waitBetweenTries === 'number' ? n.waitBetweenTries : 1000))
    entry.notes.push('retries wait waitBetweenTries first, then twice as long each time (n8n waits the same time between tries)')
  }
  if (n.onError === 'continueErrorOutput') settings.continueOnFail = true
  else if (n.onError === 'continueRegularOutput' || n.continueOnFail === true) {
    settings.continueOnFail = true
    unmapped(n.onError ? 'onError' : 'continueOnFail', 'failed items go to a separate error output here, not on with the others: connect the error output where they should go')
  }
  if (n.alwaysOutputData === true) unmapped('alwaysOutputData', 'not supported here: a node that outputs nothing passes on nothing')
  if (n.executeOnce === true) unmapped('executeOnce', 'not supported here: the node runs for every item; put a Limit (1) before it')
  if (typeof n.notes === 'string' && n.notes) settings.notes = n.notes.slice(0, 10_000)
  if (isRecord(n.credentials)) {
    for (const [kind, cred] of Object.entries(n.credentials)) {
      const name = isRecord(cred) && typeof cred.name === 'string' ? cred.name : kind
      entry.unmapped.push({ path: `credentials.${kind}`, reason: `credentials are not imported: create or pick one of ours for "${name}" on the node` })
    }
  }
  return settings
}
