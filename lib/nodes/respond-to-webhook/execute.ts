import { NodeError, type NodeExecutor, type WebhookResponse } from '../../engine/types'
import { isSignInCookie } from '../../auth/cookies'
import { cookieName } from '../../http/webhook-headers'
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

/** The webhook server would drop it anyway; failing says why instead of a cookie silently not being set. */
function refuseSignInCookie(headers: Record<string, string>): void {
  for (const name in headers) {
    if (name.toLowerCase() === 'set-cookie' && isSignInCookie(cookieName(headers[name]))) {
      throw new NodeError(`headers: Set-Cookie may not set the studio's sign-in cookie "${cookieName(headers[name])}"`, { code: 'INVALID_PARAM', field: 'headers' })
    }
  }
}

export function buildWebhookResponse(p: RespondParams, items: Record<string, unknown>[]): WebhookResponse {
  const headers = kvToRecord(p.headers)
  refuseSignInCookie(headers)
  const answer = answerFor(p, items, headers)
  return p.allowInline ? { ...answer, allowInline: true } : answer
}

function answerFor(p: RespondParams, items: Record<string, unknown>[], headers: Record<string, string>): WebhookResponse {
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
