// The `events` host service (lib/nodes/host-services.ts): what a Publish Event step publishes through. Browser-safe
// (types and the "test this step" stand-in); the PostgreSQL + BullMQ implementation is lib/services/events.ts.
import { NodeError } from '../../engine/types'

export interface PublishRequest {
  name: string
  payload: unknown
  /** Stable across the step's retries and re-deliveries: the same key finds the event already published. */
  dedupeKey: string
}

export interface PublishedEvent {
  eventId: string
  /** Deliveries the event got: the active Event triggers of the workspace whose name and filter matched. */
  subscribers: number
}

export interface EventPublisher {
  /** Publishes every event of the list, in order, in one transaction. */
  publish(events: PublishRequest[]): Promise<PublishedEvent[]>
}

export interface EventHost {
  /** A publisher for the run's workspace, recording the run as the events' source. */
  forRun(run: { tenantId: string; executionId: string; workflowId: string }): EventPublisher
}

/** For hosts that must not publish ("test this step": a tested step would start real runs of other workflows). */
export const unavailableEvents: EventHost = {
  forRun: () => ({
    publish: () =>
      Promise.reject(new NodeError('Events are published only when the workflow runs, not when one step is tested', { code: 'EVENTS_UNAVAILABLE', field: 'name' })),
  }),
}
