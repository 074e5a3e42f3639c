// The light half of tracing, safe to import anywhere (route handlers, the HTTP client, the AI router): only
// @opentelemetry/api. Every helper first asks `tracingOn()`, a read of one global, so a process without an OTLP
// endpoint pays nothing else: no tracer, no span object, no context, no attribute record on the hot path.
import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Context, type Span } from '@opentelemetry/api'

/** Set by startTracing (./tracing.ts). A global rather than module state: Next.js bundles route handlers apart from
 * server.ts and the worker, and they must all see the one switch (as they see the one OpenTelemetry API global). */
const SWITCH = Symbol.for('auterity.tracing.on')
type Switchboard = { [SWITCH]?: boolean }

export function tracingOn(): boolean {
  return (globalThis as Switchboard)[SWITCH] === true
}

export function setTracingOn(on: boolean): void {
  ;(globalThis as Switchboard)[SWITCH] = on
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
