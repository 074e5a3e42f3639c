// What the events API answers (docs/api.md, "Events"), as the studio reads it.
export type DeliveryStatus = 'pending' | 'running' | 'delivered' | 'dead' | 'discarded'

export interface EventSummary {
  id: string
  name: string
  publishedAt: string
  sourceExecutionId: string | null
  sourceWorkflowId: string | null
  deliveries: Partial<Record<DeliveryStatus, number>>
}

export interface DeliveryRun {
  id: string
  status: string
  createdAt: string | null
  startedAt: string | null
  finishedAt: string | null
}

export interface Delivery {
  id: string
  eventId: string
  workflowId: string
  workflowName: string | null
  nodeId: string
  status: DeliveryStatus
  attempts: number
  maxAttempts: number
  replays: number
  lastError: { name?: string; message?: string } | null
  nextAttemptAt: string
  updatedAt: string
}

export interface EventDetail extends Omit<EventSummary, 'deliveries'> {
  payload: unknown
  sourceWorkflowName: string | null
  deliveries: Array<Delivery & { runs: DeliveryRun[] }>
}

export interface DeadLetter extends Delivery {
  eventName: string
  publishedAt: string
}
