// Test builders for designer store tests.
import type { NodeTypeInfo } from '@/lib/store/types'
import type { WorkflowGraphInput } from '@/lib/engine/graph-schema'

export const nodeType = (type: string, over: Partial<NodeTypeInfo> = {}): NodeTypeInfo => ({
  type, version: 1, label: type, description: '', icon: 'Box', category: 'core',
  inputs: [{ name: 'main' }], outputs: [{ name: 'main' }], params: { type: 'object', properties: {} }, ...over,
})

export const types: Record<string, NodeTypeInfo> = {
  manual: nodeType('manual', { trigger: { kind: 'manual' }, inputs: [], category: 'trigger' }),
  set: nodeType('set'),
  if: nodeType('if', { outputs: [{ name: 'true' }, { name: 'false' }] }),
  loop: nodeType('loop', { outputs: [{ name: 'done' }, { name: 'loop' }], loop: { bodyPort: 'loop', donePort: 'done' } }),
}

/** a(manual) → b(set) → c(set) */
export const chain = (): WorkflowGraphInput => ({
  nodes: [
    { id: 'a', type: 'manual', name: 'Start', position: { x: 0, y: 0 } },
    { id: 'b', type: 'set', name: 'Set', position: { x: 200, y: 0 }, params: { fields: { x: 1 } } },
    { id: 'c', type: 'set', name: 'Set 2', position: { x: 400, y: 0 } },
  ],
  edges: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }],
})
