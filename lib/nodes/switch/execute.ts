import { NodeError, type Item, type NodeExecutor, type NodeOutput } from '../../engine/types'
import { evaluateCondition } from '../conditions'
import { sandboxRegexTester } from '../regex-tester'
import { FALLBACK_PORT, switchOutputs, type SwitchParams } from './definition'

function expressionIndex(p: SwitchParams, index: number): number | undefined {
  const raw = p.outputIndex
  if (raw === undefined || raw === null || raw === '') return undefined
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN
  if (!Number.isInteger(n)) {
    throw new NodeError(`outputIndex for item ${index} is ${JSON.stringify(raw)}, not a whole number`, { code: 'INVALID_VALUE', field: 'outputIndex' })
  }
  return n >= 0 && n < p.outputCount ? n : undefined
}

export const execute: NodeExecutor<SwitchParams> = async (ctx) => {
  const out: NodeOutput = Object.fromEntries(switchOutputs(ctx.params).map((port) => [port.name, [] as Item[]]))
  const testRegex = sandboxRegexTester(ctx, 'rules')
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const item = ctx.items[i]
    const targets: number[] = []
    if (p.mode === 'expression') {
      const n = expressionIndex(p, i)
      if (n !== undefined) targets.push(n)
    } else {
      for (let r = 0; r < p.rules.length; r++) {
        if (!(await evaluateCondition(p.rules[r], testRegex))) continue
        targets.push(r)
        if (p.matching === 'firstMatch') break
      }
    }
    if (targets.length === 0) out[FALLBACK_PORT].push(item)
    for (const t of targets) (out[`out${t}`] ??= []).push(item)
  }
  return out
}
