// A local OTLP/HTTP trace receiver: accepts POST /v1/traces in the JSON encoding that
// @opentelemetry/exporter-trace-otlp-http sends (ExportTraceServiceRequest as protobuf JSON: hex ids, attributes as
// typed AnyValue), answers as a collector does, and keeps every span flattened for assertions.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: AnyValue[] } }
type KeyValue = { key: string; value: AnyValue }

export interface ReceivedSpan {
  service: string
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number
  attributes: Record<string, unknown>
  /** 0 unset, 1 ok, 2 error. */
  status: number
  events: { name: string; attributes: Record<string, unknown> }[]
  links: { traceId: string; spanId: string }[]
}

function value(v: AnyValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue
  if (v.intValue !== undefined) return Number(v.intValue)
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.boolValue !== undefined) return v.boolValue
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(value)
  return undefined
}

const attributes = (list: KeyValue[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]))

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = []
  let requests = 0
  const contentTypes: string[] = []
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      res.writeHead(404).end()
      return
    }
    requests++
    contentTypes.push(req.headers['content-type'] ?? '')
    const parsed = JSON.parse(await body(req)) as {
      resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: Record<string, any>[] }[] }[]
    }
    for (const rs of parsed.resourceSpans ?? []) {
      const service = String(attributes(rs.resource?.attributes)['service.name'])
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          spans.push({
            service,
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            name: s.name,
            kind: s.kind,
            attributes: attributes(s.attributes),
            status: s.status?.code ?? 0,
            events: (s.events ?? []).map((e: { name: string; attributes?: KeyValue[] }) => ({ name: e.name, attributes: attributes(e.attributes) })),
            links: (s.links ?? []).map((l: { traceId: string; spanId: string }) => ({ traceId: l.traceId, spanId: l.spanId })),
          })
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    tracesUrl: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    requests: () => requests,
    contentTypes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
