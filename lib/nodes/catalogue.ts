// What GET /api/node-types returns: every node type described as data (JSON Schema params), browser-safe.
import { z } from 'zod'
import type { NodeDefinition, NodeDocs, PortDef } from '../engine/types'
import type { NodeCategory, OutputSample, RegisteredNodeType } from './define'
import type { NodeIcon } from './icons'
import { nodeDefinitions } from './registry'

export interface NodeCatalogueEntry {
  type: string
  version: number
  label: string
  description: string
  icon: NodeIcon
  category: NodeCategory
  docs?: NodeDocs
  trigger?: NodeDefinition['trigger']
  mode: 'all' | 'batch' | 'stream'
  inputs: PortDef[]
  /** For nodes whose outputs depend on params: the ports for default params, with dynamicOutputs set. */
  outputs: PortDef[]
  dynamicOutputs?: true
  /** A loop node: the canvas lets an edge from its body back into it close a cycle. */
  loop?: { bodyPort: string; donePort: string }
  credential?: RegisteredNodeType['credential']
  /** Triggers a provider calls: the hook path to give it (lib/nodes/define.ts ProviderHook). */
  hook?: RegisteredNodeType['hook']
  /** A declared output item (expression completion before a run). */
  outputSample?: OutputSample
  /** Host services the node type uses (e.g. 'ai'). */
  services?: string[]
  /** JSON Schema of the params; `ui` hints (code, json, keyValue, expression, credential, textarea) ride along. */
  params: Record<string, unknown>
  /** Params a freshly dropped node starts with. */
  defaults: Record<string, unknown>
}

function defaultParams(def: NodeDefinition): Record<string, unknown> {
  const parsed = def.params.safeParse({})
  if (parsed.success) return parsed.data as Record<string, unknown>
  // Required fields without defaults (e.g. a webhook path) stay unset; take every default the schema has.
  const shape = (def.params as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(shape)) {
    const one = field.safeParse(undefined)
    if (one.success && one.data !== undefined) out[key] = one.data
  }
  return out
}

export function catalogueEntry(def: RegisteredNodeType): NodeCatalogueEntry {
  const defaults = defaultParams(def)
  const dynamic = typeof def.outputs === 'function'
  return {
    type: def.type,
    version: def.version,
    label: def.label,
    description: def.description,
    icon: def.icon,
    category: def.category,
    ...(def.docs ? { docs: def.docs } : {}),
    ...(def.trigger ? { trigger: def.trigger } : {}),
    mode: def.mode ?? 'all',
    inputs: def.inputs,
    outputs: typeof def.outputs === 'function' ? def.outputs(defaults) : def.outputs,
    ...(dynamic ? { dynamicOutputs: true as const } : {}),
    ...(def.loop ? { loop: { bodyPort: def.loop.bodyPort, donePort: def.loop.donePort } } : {}),
    ...(def.credential ? { credential: def.credential } : {}),
    ...(def.hook ? { hook: def.hook } : {}),
    ...(def.outputSample ? { outputSample: def.outputSample } : {}),
    ...(def.services?.length ? { services: [...def.services] } : {}),
    params: z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults,
  }
}

export function nodeCatalogue(definitions: readonly RegisteredNodeType[] = nodeDefinitions): NodeCatalogueEntry[] {
  return definitions.map(catalogueEntry)
}
