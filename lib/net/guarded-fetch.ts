// A `fetch` for SDKs that call user-supplied base URLs (the AI SDK providers, `openai`, `@anthropic-ai/sdk`):
// the same guard as the HTTP node (connect-time address checks, redirect re-checks, no secret headers across
// origins), with fetch's streaming Response so server-sent events still stream.
import { Readable } from 'node:stream'
import { createOutboundGuard, findNodeError, type OutboundPolicy } from './guard'

export interface GuardedFetch {
  fetch: typeof globalThis.fetch
  close(): Promise<void>
}

const MAX_REDIRECTS = 5
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

export function createGuardedFetch(policy: OutboundPolicy): GuardedFetch {
  const guard = createOutboundGuard(policy)

  async function guardedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    // The platform Request normalizes every body type (FormData, streams, URLSearchParams) and its headers.
    const req = new Request(input, init)
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? new AbortController().signal
    const body = req.body ? new Uint8Array(await req.arrayBuffer()) : undefined
    const headers = Object.fromEntries(req.headers)
    // Bodies are handed on as sent; asking for identity keeps them readable without a decoder here.
    headers['accept-encoding'] = 'identity'
    try {
      const { res } = await guard.send(new URL(req.url), { method: req.method, headers, body, signal, maxRedirects: req.redirect === 'follow' ? MAX_REDIRECTS : 0 })
      const out = new Headers()
      for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one)
      if (NULL_BODY_STATUSES.has(res.statusCode) || req.method === 'HEAD') {
        await res.body.dump()
        return new Response(null, { status: res.statusCode, headers: out })
      }
      return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status: res.statusCode, headers: out })
    } catch (err) {
      const refused = findNodeError(err)
      if (refused) throw refused
      if (signal.aborted) throw abortError(signal)
      // What platform fetch rejects with, so SDKs report it as a connection failure.
      throw new TypeError('fetch failed', { cause: err })
    }
  }

  return { fetch: guardedFetch as typeof globalThis.fetch, close: () => guard.close() }
}
