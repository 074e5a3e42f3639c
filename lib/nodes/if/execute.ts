import type { Item, NodeExecutor } from '../../engine/types'
import { evaluateConditions } from '../conditions'
import { sandboxRegexTester } from '../regex-tester'
import type { IfParams } from './definition'

export const execute: NodeExecutor<IfParams> = async (ctx) => {
  const yes: Item[] = []
  const no: Item[] = []
  const testRegex = sandboxRegexTester(ctx, 'conditions')
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    ;((await evaluateConditions(p.conditions, p.combine, testRegex)) ? yes : no).push(ctx.items[i])
  }
  return { true: yes, false: no }
}
