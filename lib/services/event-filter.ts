// An Event trigger's filter, evaluated once when an event is published: the conditions of its registration's
// config (the node's parsed params) with `$json` = the payload. Plain paths ({{ $json.total }}) are read directly;
// other expressions and regex conditions run in the sandbox given, with its limits. A condition that cannot be
// evaluated means "no match": a broken filter never fails the publisher.
import { resolveValue, type ExpressionData } from '../engine/expressions'
import type { CodeRunner, Item } from '../engine/types'
import { evaluateConditions, type Condition } from '../nodes/conditions'
import type { EventTriggerParams } from '../nodes/event-trigger/definition'
import { ValidationError } from '../errors'
import type { RegistrationSpec, TriggerKindHandler } from './trigger-kinds'

type Filter = Pick<EventTriggerParams, 'conditions' | 'combine'>

/** A run's context means nothing when an event is published: no other node, no input list, no trigger item. */
const RUN_ONLY = /\$node\b|\$\(|\$input\b|\$trigger\b|\$execution\b/

export function filterNeedsSandbox(filter: Filter): boolean {
  return filter.conditions.some((c) => c.operator === 'regex' || [c.left, c.right].some((v) => typeof v === 'string' && v.includes('{{') && !/^\{\{\s*\$json(\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^'\\]*'\]|\["[^"\\]*"\])*\s*\}\}$/.test(v)))
}

export async function payloadMatches(filter: Filter, payload: unknown, sandbox: () => CodeRunner): Promise<boolean> {
  if (filter.conditions.length === 0) return true
  const runner = filterNeedsSandbox(filter) ? sandbox() : refusingRunner
  const data: ExpressionData = {
    item: payload as Item,
    itemIndex: 0,
    inputItems: () => [payload as Item],
    trigger: async () => undefined,
    nodeOutput: async (name) => {
      throw new Error(`No node "${name}" when an event is published`)
    },
    allNodeOutputs: async () => ({}),
    execution: { id: '', workflowId: '' },
    sandbox: runner,
  }
  try {
    const conditions = (await resolveValue(filter.conditions, data, 'params.conditions')) as Condition[]
    return await evaluateConditions(conditions, filter.combine, async (pattern, flags, value) => {
      const hit = await runner.evaluateExpression('new RegExp(pattern, flags).test(value)', { pattern, flags, value }, { timeoutMs: 1000 })
      return hit === true
    })
  } catch {
    return false
  }
}

const refusingRunner: CodeRunner = {
  evaluateExpression: () => Promise.reject(new Error('no sandbox needed')),
  runCode: () => Promise.reject(new Error('no code in an event filter')),
}

/** Activation refuses filters that read what only a run has ($node, $input…), naming the condition. */
export const eventTriggerKind: TriggerKindHandler = {
  check(spec: RegistrationSpec) {
    const conditions = (spec.config.conditions ?? []) as Condition[]
    conditions.forEach((c, i) => {
      for (const side of ['left', 'right'] as const) {
        const v = c[side]
        if (typeof v === 'string' && v.includes('{{') && RUN_ONLY.test(v)) {
          const path = `graph.nodes.${spec.nodeIndex}.params.conditions.${i}.${side}`
          const message = 'An event filter sees only the payload ($json): $node, $input, $trigger and $execution are not there when the event is published'
          throw new ValidationError(`${path}: ${message}`, { [path]: message })
        }
      }
    })
  },
}
