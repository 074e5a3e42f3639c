// The light half of tracing, safe to import anywhere (route handlers, the HTTP client, the AI router): only
// @opentelemetry/api. Every helper first asks `tracingOn()` (is a tracer provider registered?), so a process without
// an OTLP endpoint pays nothing else: no tracer, no span object, no context, no attribute record on the hot path.
import { ProxyTracerProvider, SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api'

/** The API's own no-op provider: what an unregistered process's tracer provider delegates to. */
const NOOP_DELEGATE = new ProxyTracerProvider().getDelegate()

/**
 * On when a tracer provider is registered with the OpenTelemetry API (startTracing does that, ./tracing.ts). The API
 * keeps its registration in one process-wide slot that every copy of it shares, so route handlers bundled by Next.js
 * apart from server.ts see the same answer; it costs a property lookup or two, and nothing is allocated.
 */
export function tracingOn(): boolean {
  const provider = trace.getTracerProvider()
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider
  return delegate !== NOOP_DELEGATE
}

export const TRACER_NAME = 'auterity'

export function tracer() {
  return trace.getTracer(TRACER_NAME)
}

export { SpanKind }

export interface SpanOptions {
  kind?: SpanKind
  attributes?: Attributes
  /** Start from this context instead of the active one (a job's extracted trace context). */
  parent?: Context
  /** A new trace (a schedule's tick, an event's delivery); `links` may point at what caused it. */
  root?: boolean
  links?: { context: ReturnType<Span['spanContext']> }[]
}

/**
 * Runs `fn` inside a new active span (its child spans and outgoing trace context hang off it) and ends the span when
 * `fn` settles, recording a thrown error. With tracing off, `fn` runs as it is, with `undefined` for the span.
 */
export async function withSpan<T>(name: string, opts: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn(undefined)
  const parent = opts.parent ?? context.active()
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes, root: opts.root, links: opts.links }, parent, async (span) => {
    try {
      return await fn(span)
    } catch (err) {
      failSpan(span, err)
      throw err
    } finally {
      span.end()
    }
  })
}

/** Marks the span failed with the error's name and message (never its details: they may hold a response body). */
export function failSpan(span: Span, err: unknown, message?: string): void {
  const e = err instanceof Error ? err : new Error(String(err))
  span.recordException({ name: e.name, message: e.message, ...((e as { code?: unknown }).code !== undefined && { code: String((e as { code?: unknown }).code) }) })
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? e.message })
  const code = (e as { code?: unknown }).code
  span.setAttribute('error.type', typeof code === 'string' ? code : e.name)
}

/** A link to the active span (what caused a new trace: the step that published an event), when there is one. */
export function linkToActive(): SpanOptions['links'] {
  if (!tracingOn()) return undefined
  const span = trace.getSpan(context.active())
  return span ? [{ context: span.spanContext() }] : undefined
}
