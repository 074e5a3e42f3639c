import { NodeError, type NodeExecutor, type WebhookResponse } from '../../engine/types'
import { kvToRecord } from '../params'
import type { RespondParams } from './definition'

function withDefaultContentType(headers: Record<string, string>, contentType: string): Record<string, string> {
  return Object.keys(headers).some((k) => k.toLowerCase() === 'content-type') ? headers : { ...headers, 'content-type': contentType }
}

function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value)
  } catch (err) {
    throw new NodeError(`json is not valid JSON: ${(err as Error).message}`, { code: 'INVALID_PARAM', field: 'json' })
  }
}

export function buildWebhookResponse(p: RespondParams, items: Record<string, unknown>[]): WebhookResponse {
  const headers = kvToRecord(p.headers)
  const json = 'application/json; charset=utf-8'
  switch (p.respondWith) {
    case 'firstItem':
      return { status: p.statusCode, headers: withDefaultContentType(headers, json), body: items[0] ?? {} }
    case 'allItems':
      return { status: p.statusCode, headers: withDefaultContentType(headers, json), body: items }
    case 'text':
      return { status: p.statusCode, headers: withDefaultContentType(headers, 'text/plain; charset=utf-8'), body: p.text ?? '' }
    case 'json':
      return { status: p.statusCode, headers: withDefaultContentType(headers, json), body: jsonValue(p.json) }
    case 'noData':
      return { status: p.statusCode, headers, body: null }
  }
}

export const execute: NodeExecutor<RespondParams> = async (ctx) => {
  const response = buildWebhookResponse(ctx.params, ctx.items)
  if (ctx.services.respond) await ctx.services.respond(response)
  else ctx.log.info('Respond to webhook: this run was not started by a webhook waiting for an answer; nothing sent', { status: response.status })
  return { main: ctx.items }
}
