import type { Item, NodeExecutor, NodeOutput } from '../../engine/types'
import { evaluateConditions } from '../conditions'
import { sandboxRegexTester } from '../regex-tester'
import { DISCARDED_PORT, type FilterParams } from './definition'

export const execute: NodeExecutor<FilterParams> = async (ctx) => {
  const kept: Item[] = []
  const discarded: Item[] = []
  const testRegex = sandboxRegexTester(ctx, 'conditions')
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    ;((await evaluateConditions(p.conditions, p.combine, testRegex)) ? kept : discarded).push(ctx.items[i])
  }
  const out: NodeOutput = { main: kept }
  if (ctx.params.keepDiscarded) out[DISCARDED_PORT] = discarded
  return out
}
