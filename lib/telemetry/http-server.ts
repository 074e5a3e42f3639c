// The span of an incoming request (route handlers, the webhook listener): `<METHOD> <route>`, a server span that
// continues the caller's W3C trace context when the request carries one and nothing in this process is tracing it
// already (Next.js opens its own request span when a tracer provider is registered: ours then nests under it).
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api'
import { extractTraceContext } from './propagation'
import { failSpan, tracer } from './spans'

/** `/api/workflows/abc/run` with `{ id: 'abc' }` → `/api/workflows/[id]/run`: a span name without ids in it. */
export function routeTemplate(pathname: string, params: Record<string, string | string[]> | undefined): string {
  if (!params) return pathname
  const segments = pathname.split('/')
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      // A catch-all ([...path]): its segments are the tail of the path.
      const at = segments.length - value.length
      if (value.length > 0 && value.every((v, i) => safeDecode(segments[at + i]) === v)) segments.splice(at, value.length, `[...${name}]`)
      continue
    }
    const i = segments.findIndex((s) => s !== '' && safeDecode(s) === value)
    if (i >= 0) segments[i] = `[${name}]`
  }
  return segments.join('/')
}

function safeDecode(s: string | undefined): string | undefined {
  if (s === undefined) return undefined
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** Runs a request's handling inside its span; the answer's status is recorded, a 5xx marks the span failed. */
export async function traceRequest(
  req: { method: string; url: string; headers: Headers | Record<string, string | string[] | undefined> },
  params: Record<string, string | string[]> | undefined,
  handle: () => Promise<Response | { status: number }>,
): Promise<Response | { status: number }> {
  const url = new URL(req.url, 'http://localhost')
  const route = routeTemplate(url.pathname, params)
  const headers = req.headers instanceof Headers ? Object.fromEntries(req.headers) : req.headers
  const active = context.active()
  const parent = trace.getSpan(active) ? active : extractTraceContext(headers)
  // No url.path or query: a webhook's path is its secret, and the route names the handler well enough.
  const attributes = { 'http.request.method': req.method, 'url.scheme': url.protocol.replace(':', ''), 'http.route': route }
  return tracer().startActiveSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    try {
      const res = await handle()
      span.setAttribute('http.response.status_code', res.status)
      if (res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
      return res
    } catch (err) {
      failSpan(span, err)
      throw err
    } finally {
      span.end()
    }
  })
}
