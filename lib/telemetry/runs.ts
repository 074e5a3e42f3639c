// Spans of a run in the worker: one per delivery of an execution (a child of the span that enqueued it, read from
// the job), and one per step attempt through the engine's StepTracer hook (lib/engine stays free of OpenTelemetry).
// Attribute names are listed in docs/traces-and-step-logs.md.
import { SpanKind, SpanStatusCode, context, type Span } from '@opentelemetry/api'
import type { SerializedError, StepSpan, StepTracer } from '../engine/types'
import { extractTraceContext, type TraceCarrier } from './propagation'
import { failSpan, tracer, tracingOn, withSpan } from './spans'

export interface ExecutionSpanInfo {
  executionId: string
  /** The job's trace context (absent on jobs enqueued with tracing off, or by the reconciler). */
  trace?: TraceCarrier
  attempt: number
}

/** Runs one delivery of an execution inside its span (`run execution`, a consumer of the queue). */
export function traceExecution<T>(info: ExecutionSpanInfo, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn(undefined)
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.destination.name': 'executions',
    'messaging.operation.type': 'process',
    'auterity.execution.id': info.executionId,
    'auterity.execution.delivery': info.attempt,
  }
  return withSpan('run execution', { kind: SpanKind.CONSUMER, attributes, parent: info.trace ? extractTraceContext(info.trace) : undefined }, fn)
}

/** The run's outcome on its span: a failed run is an error span, named by its error (not a crash of the worker). */
export function markExecution(span: Span, status: string, error?: SerializedError): void {
  span.setAttribute('auterity.execution.status', status)
  if (!error || status !== 'failed') return
  span.setAttribute('error.type', error.code ?? error.name)
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message })
}

/** The engine's hook: a span per step attempt, the node's own spans (HTTP, LLM) as its children. Undefined when
 * tracing is off, so the engine runs its steps without calling anything. */
export function stepTracer(): StepTracer | undefined {
  return tracingOn() ? STEP_TRACER : undefined
}

const STEP_TRACER: StepTracer = {
  attempt(step, run) {
    const attributes = {
      'auterity.node.id': step.nodeId,
      'auterity.node.name': step.nodeName,
      'auterity.node.type': step.nodeType,
      'auterity.step.attempt': step.attempt,
      ...(step.iteration !== undefined && { 'auterity.step.iteration': step.iteration }),
    }
    return tracer().startActiveSpan(`step ${step.nodeType}`, { attributes }, async (span) => {
      try {
        return await run(stepSpan(span))
      } catch (err) {
        failSpan(span, err)
        throw err
      } finally {
        span.end()
      }
    })
  },
}

function stepSpan(span: Span): StepSpan {
  return {
    started: (inputCount) => void span.setAttribute('auterity.step.input_items', inputCount),
    settled(outcome) {
      span.setAttribute('auterity.step.status', outcome.status)
      if (outcome.outputCounts) {
        let total = 0
        for (const [port, n] of Object.entries(outcome.outputCounts)) {
          total += n
          span.setAttribute(`auterity.step.output_items.${port}`, n)
        }
        span.setAttribute('auterity.step.output_items', total)
      }
      if (outcome.logLines) span.setAttribute('auterity.step.log_lines', outcome.logLines)
      if (outcome.willRetry !== undefined) span.setAttribute('auterity.step.will_retry', outcome.willRetry)
      if (outcome.error) {
        span.recordException({ name: outcome.error.name, message: outcome.error.message, ...(outcome.error.code && { code: outcome.error.code }) })
        span.setAttribute('error.type', outcome.error.code ?? outcome.error.name)
        // A step that routed its failure to the error port (continueOnFail) succeeded: the error is an event only.
        if (outcome.status !== 'succeeded') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message })
      }
    },
  }
}
