// The span of one outbound request of the HTTP client (lib/net/http-client.ts): `<METHOD>`, a client span under
// the step that sent it. The URL is recorded without its query or user info (either may carry a key); headers and
// bodies are never recorded. The trace context is not sent to the called server: it is a third party.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { failSpan, tracer } from './spans'

export async function traceOutbound<T extends { status: number }>(method: string, rawUrl: string, send: () => Promise<T>): Promise<T> {
  const url = URL.parse(rawUrl)
  const attributes = {
    'http.request.method': method.toUpperCase(),
    ...(url && {
      'url.full': `${url.origin}${url.pathname}`,
      'url.scheme': url.protocol.replace(':', ''),
      'server.address': url.hostname,
      'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    }),
  }
  return tracer().startActiveSpan(method.toUpperCase(), { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const res = await send()
      span.setAttribute('http.response.status_code', res.status)
      if (res.status >= 400) {
        span.setAttribute('error.type', String(res.status))
        span.setStatus({ code: SpanStatusCode.ERROR })
      }
      return res
    } catch (err) {
      failSpan(span, err)
      throw err
    } finally {
      span.end()
    }
  })
}
