// The server side of the `regex` operator: user patterns run inside the sandbox with a time limit.
import { NodeError, type ExecuteContext } from '../engine/types'
import type { RegexTester } from './conditions'

export function sandboxRegexTester(ctx: ExecuteContext<unknown>, field: string): RegexTester {
  return async (pattern, flags, value) => {
    try {
      const hit = await ctx.services.sandbox.evaluateExpression('new RegExp(pattern, flags).test(value)', { pattern, flags, value }, { timeoutMs: 1000 })
      return hit === true
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new NodeError(`Regular expression /${pattern}/${flags} failed: ${reason}`, { code: 'INVALID_REGEX', field, cause: err })
    }
  }
}
