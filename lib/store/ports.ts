// Which ports a node shows (the canvas draws them, placement lays out branches by them). Static ports come from the
// catalogue; dynamic ones (Switch) follow its params; ports used by existing edges always stay visible so no edge is left dangling.
import type { EditorNode, NodeTypeInfo } from './types'
import { ERROR_PORT } from '@/lib/engine/graph-schema'

export interface Port {
  name: string
  label?: string
}

function dynamicOutputs(t: NodeTypeInfo, params: Record<string, unknown>): Port[] {
  const mode = params.mode ?? 'rules'
  if (mode === 'rules' && Array.isArray(params.rules)) {
    const rules = params.rules as { label?: string }[]
    return [...rules.map((r, i) => ({ name: `out${i}`, label: r?.label || `Rule ${i + 1}` })), { name: 'fallback', label: 'Fallback' }]
  }
  if (mode === 'expression') {
    const n = Math.max(1, Math.trunc(Number(params.outputCount ?? 2)) || 2)
    return [...Array.from({ length: n }, (_, i) => ({ name: `out${i}`, label: `Output ${i}` })), { name: 'fallback', label: 'Fallback' }]
  }
  return t.outputs
}

/** `usedPorts`: source ports of this node's existing edges (selectSourcePorts). */
export function outputPorts(node: EditorNode, t: NodeTypeInfo | undefined, usedPorts: readonly string[] = []): Port[] {
  const ports: Port[] = t ? (t.dynamicOutputs ? dynamicOutputs(t, node.params) : [...t.outputs]) : [{ name: 'main' }]
  if (node.settings.continueOnFail && !ports.some((p) => p.name === ERROR_PORT)) ports.push({ name: ERROR_PORT, label: 'Error' })
  for (const name of usedPorts) if (!ports.some((p) => p.name === name)) ports.push({ name })
  return ports
}

export function inputPorts(t: NodeTypeInfo | undefined): Port[] {
  if (!t) return [{ name: 'main' }]
  return t.trigger ? [] : t.inputs
}
