// Search Collection: one search per input item; hits out as items of their own, or in a list on the item.
import { NodeError, type Item } from '../../../engine/types'
import type { SearchHit } from '../../../vector/types'
import type { Executor } from '../../define'
import { searchRequest, vectorScope, withFields } from '../vectors'
import type { SearchParams } from './definition'

/** A hit as an item: the query and its 1-based rank first, then what the store says about it. */
export function hitItem(query: string, hit: SearchHit, index: number): Item {
  return { query, rank: index + 1, ...hit }
}

export const execute: Executor<SearchParams, 'vectors'> = async (ctx) => {
  const out: Item[] = []
  const scope = vectorScope(ctx)
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const query = p.query.trim()
    if (!query) throw new NodeError(`The query of item ${ctx.inputOffset + i} is empty`, { code: 'EMPTY_QUERY', field: 'query', details: { item: ctx.inputOffset + i } })
    const result = await withFields({ fields: { rerank: 'rerankModel', embedding: 'collection' }, fallback: 'collection' }, () => ctx.services.vectors.search(scope, p.collection, searchRequest(query, p)))
    const hits = result.hits.map((h, rank) => hitItem(query, h, rank))
    if (p.output === 'hits') out.push(...hits)
    else out.push({ ...ctx.items[i], hits, search: { mode: result.mode, usedIndex: result.usedIndex, embedding: result.embedding ?? null, rerank: result.rerank ?? null } })
  }
  return { main: out }
}
