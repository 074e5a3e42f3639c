// Delete Documents: the items' requests merged (one call per collection and operation, keys pooled), then sent.
import type { Item } from '../../../engine/types'
import type { DeleteRequest } from '../../../vector/types'
import { stableStringify } from '../../conditions'
import type { Executor } from '../../define'
import { vectorScope, withFields } from '../vectors'
import type { DeleteParams } from './definition'

interface Call {
  collection: string
  operation: DeleteParams['operation']
  request: DeleteRequest
  keys: Set<string>
}

function requestOf(p: DeleteParams): DeleteRequest {
  if (p.operation === 'filter') return { filter: p.filter }
  if (p.operation === 'all') return { all: true }
  if (p.operation === 'drop') return { dropCollection: true }
  return {}
}

export const execute: Executor<DeleteParams, 'vectors'> = async (ctx) => {
  const calls = new Map<string, Call>()
  const count = Math.max(1, ctx.items.length)
  for (let i = 0; i < count; i++) {
    const p = ctx.items.length ? await ctx.paramsFor(i) : ctx.params
    const request = requestOf(p)
    const id = stableStringify([p.collection, p.operation, request])
    let call = calls.get(id)
    if (!call) calls.set(id, (call = { collection: p.collection, operation: p.operation, request, keys: new Set() }))
    if (p.operation === 'keys') for (const k of p.keys) call.keys.add(k)
  }
  const scope = vectorScope(ctx)
  const out: Item[] = []
  for (const call of calls.values()) {
    const keys = call.operation === 'keys' ? [...call.keys] : undefined
    const request = keys ? { keys } : call.request
    const deleted = await withFields({ fields: { keys: 'keys', filter: 'filter' }, fallback: 'collection' }, () => ctx.services.vectors.delete(scope, call.collection, request))
    out.push({ collection: call.collection, operation: call.operation, ...(keys ? { keys } : {}), ...(call.request.filter ? { filter: call.request.filter } : {}), documents: deleted.documents, chunks: deleted.chunks })
  }
  return { main: out }
}
