// How a trace crosses the queue: the producer writes the active span's W3C trace context (`traceparent`, and
// `tracestate` when set) into the job's data; the worker reads it back as the parent of the run's span. Only these
// two short strings travel; with tracing off nothing is written and nothing is read.
import { context, propagation, type Context } from '@opentelemetry/api'
import { tracingOn } from './spans'

/** W3C trace context as job data carries it. */
export interface TraceCarrier {
  traceparent: string
  tracestate?: string
}

/** The active trace context, or undefined when tracing is off or no span is active. */
export function injectTraceContext(): TraceCarrier | undefined {
  if (!tracingOn()) return undefined
  const carrier: Record<string, string> = {}
  propagation.inject(context.active(), carrier)
  if (!carrier.traceparent) return undefined
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent }
}

/** The context a carrier names (the root context when there is none or it does not parse). */
export function extractTraceContext(carrier: Partial<TraceCarrier> | Record<string, string | string[] | undefined> | undefined): Context {
  if (!carrier) return context.active()
  return propagation.extract(context.active(), carrier, {
    get: (c, key) => {
      const v = (c as Record<string, unknown>)[key]
      return typeof v === 'string' || Array.isArray(v) ? (v as string | string[]) : undefined
    },
    keys: (c) => Object.keys(c),
  })
}
