// One child run with every item, or one per item in order; the host starts (and records, and caps the nesting of)
// each child run.
import type { Item } from '../../engine/types'
import type { Executor } from '../define'
import { SUB_EXECUTION_FIELD, type ExecuteWorkflowParams } from './definition'

export const execute: Executor<ExecuteWorkflowParams, 'executeWorkflow'> = async (ctx) => {
  const { version, mode, runFor } = ctx.params
  if (ctx.items.length === 0) return { main: [] }
  const batches = runFor === 'eachItem' ? ctx.items.map((item) => [item]) : [ctx.items]
  const out: Item[] = []
  for (const [i, items] of batches.entries()) {
    // One run per item: the workflow may be an expression of the item.
    const { workflowId } = runFor === 'eachItem' ? await ctx.paramsFor(i) : ctx.params
    const child = await ctx.services.executeWorkflow({
      tenantId: ctx.tenantId,
      parentExecutionId: ctx.executionId,
      parentNodeId: ctx.node.id,
      workflowId,
      version,
      wait: mode === 'wait',
      items,
      signal: ctx.signal,
    })
    if (mode === 'wait') out.push(...(child.items ?? []))
    else out.push(...items.map((item) => ({ ...item, [SUB_EXECUTION_FIELD]: child.executionId })))
  }
  return { main: out }
}
