// Response shapes of the REST API as the browser sees them (docs/api.md is the source of truth). Dates are ISO strings.
import type { NodeCatalogueEntry } from '../nodes/catalogue'
import type { ExecutionStatus, SerializedError, StepLogLine, StepStatus } from '../engine/types'

export type { ExecutionStatus, SerializedError, StepStatus }

export interface WorkflowSummary {
  id: string
  name: string
  description: string | null
  /** Production triggers listen only while active, and run publishedVersion. */
  active: boolean
  currentVersion: number
  /** The version production runs; null until first published. */
  publishedVersion: number | null
  createdAt: string
  updatedAt: string
  /** Workflow settings (not versioned). */
  settings?: WorkflowSettings
  tags?: string[]
  folderId?: string | null
  folderName?: string | null
}

export interface WorkflowSettings {
  /** Started when a run of this workflow fails (PUT settings.errorWorkflowId; null clears). */
  errorWorkflowId?: string
  /** Runs of this workflow at once across all workers (absent: no limit). */
  maxConcurrency?: number
  [key: string]: unknown
}

/** PUT /api/workflows/:id `settings`: keys not given are kept, null clears. */
export interface WorkflowSettingsInput {
  errorWorkflowId?: string | null
  maxConcurrency?: number | null
}

export interface WorkflowVersionInfo {
  number: number
  message: string | null
  authorId: string | null
  createdAt: string
}

export interface WorkflowVersion extends WorkflowVersionInfo {
  /** The graph as stored (lib/engine/graph-schema.ts); kept loose here so this file stays browser-light. */
  graph: unknown
}

export interface WorkflowWebhook {
  nodeId: string
  method: string
  path: string
  /** Where callers send requests: under AUTERITY_WEBHOOK_URL when set, else the studio's own URL. */
  url: string
  /** The designer's test URL for the same path (runs the draft once while listening). */
  testUrl: string
}

/** POST /api/workflows/:id/publish | activate | deactivate. */
export interface LiveState {
  id: string
  active: boolean
  publishedVersion: number | null
  currentVersion: number
}

export interface WorkflowDetail extends WorkflowSummary {
  version: WorkflowVersion
  /** The designer's autosaved edits since `version` (GET /api/workflows/:id), null when there are none. */
  draft: { graph: unknown; updatedAt: string; baseVersion: number } | null
  /** The webhook triggers answering in production (the published version's, while active). */
  webhooks: WorkflowWebhook[]
  /** The origin webhook URLs are announced under (the designer shows an edited trigger's URL with it). */
  webhookBaseUrl: string
  /** Where providers' hooks live (the studio's public URL). */
  hookBaseUrl: string
}

export interface ValidationProblem {
  path: string
  nodeId?: string
  field?: string
  code: string
  message: string
}

export interface ExecutionSummary {
  id: string
  workflowId: string
  workflowName: string
  versionNumber: number
  mode: string
  status: ExecutionStatus
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  error: SerializedError | null
  /** What the run's AI calls cost, USD with 12 decimals (the ledger's); null: no AI call. */
  aiCostUsd: string | null
}

export interface StepRecord {
  id: string
  nodeId: string
  nodeName: string
  nodeType: string
  attempt: number
  /** In a loop's body: the iteration of this attempt; on a loop node: the iterations it ran (null outside loops). */
  iteration: number | null
  status: StepStatus | 'retrying'
  input: unknown
  inputCount: number
  output: Record<string, Array<Record<string, unknown>>> | null
  outputCounts: Record<string, number>
  error: SerializedError | null
  /** What the node logged during this attempt (at most 200 lines, 64 KB); null when nothing. */
  logs?: StepLogLine[] | null
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
}

export interface ExecutionDetail extends ExecutionSummary {
  /** Steps in run order (start time, then the node's place in the flow, then iteration and attempt). */
  steps: StepRecord[]
  /** The server's clock when it answered: running durations are measured against it (lib/client/server-clock.ts). */
  serverTime: string
  /** The run that started this one (sub-workflow, error workflow), and the node there that did. */
  parent: { id: string; workflowName: string; nodeId: string | null } | null
  /** Runs this one started, newest first: sub-workflows (with the node that started each) and error workflows. */
  children: ChildExecution[]
  /** AI cost per node id (all attempts and iterations of the node); absent: the node made no AI call. */
  aiCostByNode: Record<string, string>
}

export interface ChildExecution {
  id: string
  workflowId: string
  workflowName: string
  status: ExecutionStatus
  mode: string
  nodeId: string | null
  createdAt: string
}

export interface ExecutionStats {
  running: number
  queued: number
  succeeded24h: number
  failed24h: number
}

export interface ItemsPage {
  items: Array<Record<string, unknown>>
  page: number
  pageSize: number
  total: number
}

export interface ExecutionFilters {
  workflowId?: string
  status?: ExecutionStatus
  since?: string
  until?: string
  cursor?: string
  limit?: number
}

export interface TestStepResult {
  status: StepStatus
  output: Record<string, Array<Record<string, unknown>>> | null
  error?: SerializedError
  durationMs: number
}

/** GET /api/node-types entries: the catalogue's own type (type-only import, nothing server-side is bundled). */
export type NodeTypeInfo = NodeCatalogueEntry

export interface CredentialSummary {
  id: string
  name: string
  kind: string
  createdAt: string
  updatedAt: string
}
