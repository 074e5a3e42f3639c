import type { Item, NodeExecutor } from '../../engine/types'
import type { WebhookTriggerParams } from './definition'

/** Keeps the documented shape even when a host hands over a partial request (e.g. "test this step"). */
function normalise(item: Item, params: WebhookTriggerParams): Item {
  return {
    ...item,
    body: item.body ?? null,
    headers: item.headers ?? {},
    query: item.query ?? {},
    method: item.method ?? params.method,
    path: item.path ?? params.path,
  }
}

export const execute: NodeExecutor<WebhookTriggerParams> = async (ctx) => ({
  main: (ctx.items.length > 0 ? ctx.items : [{}]).map((item) => normalise(item, ctx.params)),
})
