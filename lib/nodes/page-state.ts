// Batch nodes that need all their input but only a digest of it (groups, keys seen) keep the digest in
// ExecuteContext.pageState, which lives for one attempt of the step, and finish on the last page.
import type { ExecuteContext } from '../engine/types'

/** The digest under `key`, created on the step's first page. */
export function pageDigest<T>(ctx: ExecuteContext<unknown>, key: string, create: () => T): T {
  if (!ctx.pageState.has(key)) ctx.pageState.set(key, create())
  return ctx.pageState.get(key) as T
}

/** True on the page that completes the step's input (also when there is no input at all). */
export function isLastPage(ctx: ExecuteContext<unknown>): boolean {
  return ctx.inputOffset + ctx.items.length >= ctx.inputCount
}
