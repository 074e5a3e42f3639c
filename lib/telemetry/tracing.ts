// Starting and stopping tracing in a process (server.ts, workers/worker.ts). With an OTLP endpoint configured, a
// NodeTracerProvider is registered with a BatchSpanProcessor exporting over OTLP/HTTP (JSON), the W3C trace-context
// propagator and the AsyncLocalStorage context manager; without one, nothing is registered at all: the API stays
// on its no-op tracer and ./spans.ts helpers return before touching it. See docs/traces-and-step-logs.md. The SDK
// packages are imported only when an endpoint is configured: a process without one never loads them.
import { context, propagation, trace } from '@opentelemetry/api'
import type { BufferConfig } from '@opentelemetry/sdk-trace-base'
import { tracingOn } from './spans'

export interface TracingConfig {
  /** Where spans are POSTed (…/v1/traces); unset: tracing is off. */
  tracesUrl?: string
  /** auterity-web, auterity-worker (OTEL_SERVICE_NAME overrides it, see lib/env). */
  serviceName: string
  serviceVersion?: string
  /** BatchSpanProcessor settings (tests export sooner). */
  batch?: BufferConfig
}

export interface Tracing {
  readonly enabled: boolean
  /** Exports the spans ended so far. */
  flush(): Promise<void>
  /** Flushes, then unregisters everything (the process is left on the no-op tracer). */
  stop(): Promise<void>
}

const OFF: Tracing = { enabled: false, flush: async () => {}, stop: async () => {} }

export async function startTracing(cfg: TracingConfig): Promise<Tracing> {
  if (!cfg.tracesUrl) return OFF
  if (tracingOn()) throw new Error('Tracing is already started in this process')
  const [{ W3CTraceContextPropagator }, { OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor }, { NodeTracerProvider }, { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION }] =
    await Promise.all([
      import('@opentelemetry/core'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/semantic-conventions'),
    ])
  // Checked again: another start may have registered a provider while these loaded.
  if (tracingOn()) throw new Error('Tracing is already started in this process')
  const exporter = new OTLPTraceExporter({ url: cfg.tracesUrl })
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: cfg.serviceName, ...(cfg.serviceVersion && { [ATTR_SERVICE_VERSION]: cfg.serviceVersion }) }),
    spanProcessors: [new BatchSpanProcessor(exporter, cfg.batch)],
  })
  // Only W3C trace context: the one format the queue's job data carries (baggage is not propagated).
  provider.register({ propagator: new W3CTraceContextPropagator() })
  let stopped = false
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    async stop() {
      if (stopped) return
      stopped = true
      try {
        await provider.shutdown()
      } finally {
        // Unregistered: tracingOn() is false again and the API is back on its no-op tracer.
        trace.disable()
        context.disable()
        propagation.disable()
      }
    },
  }
}
