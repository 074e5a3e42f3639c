// Building a NodeRegistry and looking definitions up for graph nodes.
import type { NodeDefinition, NodeRegistry } from './types'

/** One definition per type; a second definition of the same type is a programming error. */
export function createRegistry<S extends object>(defs: readonly NodeDefinition<any, S>[]): NodeRegistry<S> {
  const map = new Map<string, NodeDefinition<any, S>>()
  for (const def of defs) {
    if (map.has(def.type)) throw new Error(`Node type "${def.type}" is registered twice`)
    map.set(def.type, def)
  }
  return map
}

export type Lookup =
  | { ok: true; def: NodeDefinition }
  | { ok: false; reason: 'unknown-type' | 'unknown-version' }

/**
 * A node saved with typeVersion V runs on a definition whose version is >= V: definitions stay backward
 * compatible within a type (a breaking change is a new type). A node from a newer build (V > version) is refused.
 */
export function lookupDefinition(registry: NodeRegistry, type: string, typeVersion: number): Lookup {
  const def = registry.get(type)
  if (!def) return { ok: false, reason: 'unknown-type' }
  if (typeVersion > def.version) return { ok: false, reason: 'unknown-version' }
  return { ok: true, def }
}
