import { createHash } from 'node:crypto'
import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { stableStringify } from '../conditions'
import { pageDigest } from '../page-state'
import { getPath, parsePath } from '../paths'
import type { RemoveDuplicatesParams } from './definition'

/** Keys longer than a hash are hashed, so the set of keys seen stays small whatever the items hold. */
const HASH_ABOVE = 44

function keyOf(item: Item, p: RemoveDuplicatesParams): string {
  const text = p.compare === 'allFields' ? stableStringify(item) : stableStringify(p.fields.map((path) => getPath(item, path) ?? null))
  return text.length <= HASH_ABOVE ? text : `#${createHash('sha256').update(text).digest('base64')}`
}

export const execute: NodeExecutor<RemoveDuplicatesParams> = async (ctx) => {
  const p = ctx.params
  if (p.compare === 'selectedFields') {
    if (p.fields.length === 0) throw new NodeError('Name at least one field to compare (or compare all fields)', { code: 'INVALID_PARAM', field: 'fields' })
    p.fields.forEach((path, i) => parsePath(path, `fields.${i}`))
  }
  const seen = pageDigest(ctx, 'remove-duplicates.seen', () => new Set<string>())
  const kept: Item[] = []
  for (const item of ctx.items) {
    const key = keyOf(item, p)
    if (seen.has(key)) continue
    seen.add(key)
    kept.push(item)
  }
  return { main: kept }
}
