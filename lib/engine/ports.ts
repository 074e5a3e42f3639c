// Port names of a node: inputs from its definition, outputs from its definition (possibly derived from
// params) plus the `error` port when continueOnFail is on.
import { ERROR_PORT, type NodeSettings } from './graph-schema'
import type { NodeDefinition } from './types'

export function inputPortNames(def: NodeDefinition): string[] {
  return def.inputs.map((p) => p.name)
}

/** Returns null when the definition derives its outputs from params and cannot do so for these params. */
export function outputPortNames(def: NodeDefinition, params: unknown, settings: Partial<NodeSettings>): string[] | null {
  let ports: string[]
  if (typeof def.outputs === 'function') {
    try {
      ports = def.outputs(params as never).map((p) => p.name)
    } catch {
      return null
    }
  } else {
    ports = def.outputs.map((p) => p.name)
  }
  if (settings.continueOnFail && !ports.includes(ERROR_PORT)) ports.push(ERROR_PORT)
  return ports
}
