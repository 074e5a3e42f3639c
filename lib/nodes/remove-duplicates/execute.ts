import { createHash } from 'node:crypto'
import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import { stableStringify } from '../conditions'
import { isLastPage, pageDigest } from '../page-state'
import { getPath, parsePath } from '../paths'
import type { RemoveDuplicatesParams } from './definition'

/** Keys longer than a hash are hashed, so the set of keys seen stays small whatever the items hold. */
const HASH_ABOVE = 44

const hash = (text: string) => createHash('sha256').update(text).digest('base64')

/** Keys stored across runs are always hashes: the table holds no item data. */
function keyOf(item: Item, p: RemoveDuplicatesParams): string {
  const text = p.compare === 'allFields' ? stableStringify(item) : stableStringify(p.fields.map((path) => getPath(item, path) ?? null))
  if (p.history === 'workflow') return hash(text)
  return text.length <= HASH_ABOVE ? text : `#${hash(text)}`
}

export const execute: Executor<RemoveDuplicatesParams, 'dedupeHistory'> = async (ctx) => {
  const p = ctx.params
  if (p.compare === 'selectedFields') {
    if (p.fields.length === 0) throw new NodeError('Name at least one field to compare (or compare all fields)', { code: 'INVALID_PARAM', field: 'fields' })
    p.fields.forEach((path, i) => parsePath(path, `fields.${i}`))
  }
  const history = p.history === 'workflow' ? ctx.services.dedupeHistory : undefined
  const seen = pageDigest(ctx, 'remove-duplicates.seen', () => new Set<string>())
  const kept: { item: Item; key: string }[] = []
  for (const item of ctx.items) {
    const key = keyOf(item, p)
    if (seen.has(key)) continue
    seen.add(key)
    kept.push({ item, key })
  }
  if (!history) return { main: kept.map((k) => k.item) }
  const scope = `${ctx.workflowId}:${ctx.node.id}`
  const fresh = await history.claim({ tenantId: ctx.tenantId, scope, executionId: ctx.executionId, hashes: kept.map((k) => k.key) })
  if (isLastPage(ctx)) await history.trim({ tenantId: ctx.tenantId, scope, keep: p.historySize })
  return { main: kept.filter((k) => fresh.has(k.key)).map((k) => k.item) }
}
