// The services a host may give node types beyond the engine's NodeServices (HTTP, sandbox, sleep), by key.
// A node type declares the keys it uses (`services: ['ai']`), its executor sees exactly those, typed, and a host
// running a registry must provide what its node types declare or fail to compile. Types only: browser-safe.
// Adding a service = a key here, the node types that declare it, and every host providing it (tsc lists them).
import type { ConversationStore } from '../ai/memory'
import type { AiRouter } from '../ai/router'
import type { BrowserHost } from '../browser/types'
import type { Item } from '../engine/types'
import type { FileHost } from '../files/types'
import type { MessagingHost } from '../messaging/types'
import type { TcpGuard } from '../net/tcp-guard'
import type { VectorHost } from '../vector/types'
import type { DedupeHistory } from './remove-duplicates/history'
import type { EventHost } from './publish-event/host'

/** Runs a saved workflow with these input items and returns its final items. */
export type RunWorkflow = (workflowId: string, items: Item[], opts: { tenantId: string; signal: AbortSignal; parentExecutionId: string }) => Promise<Item[]>

/** What an Execute Workflow step asks the host for: one child run of a saved workflow, started at its Execute
 * Workflow Trigger. `wait`: run it now and return its last step's items; else queue it and return at once. */
export interface ExecuteWorkflowRequest {
  tenantId: string
  parentExecutionId: string
  /** The Execute Workflow node that starts the child (shown with the child run). */
  parentNodeId: string
  workflowId: string
  version: 'published' | 'current'
  wait: boolean
  items: Item[]
  signal: AbortSignal
}

/** Starts (and, when asked, waits for) a child run; `items` only when it waited. */
export type ExecuteWorkflow = (req: ExecuteWorkflowRequest) => Promise<{ executionId: string; items?: Item[] }>

export interface HostServices {
  /** The AI router (lib/ai): model calls with failover, budgets and the usage ledger. */
  ai: AiRouter
  /** Chat history per session key (Conversation memory). */
  aiMemory: ConversationStore
  /** Sub-workflows: the Agent's workflow tools. */
  runWorkflow: RunWorkflow
  /** Sub-workflows: the Execute Workflow node (child runs recorded and linked to their parent, nesting capped). */
  executeWorkflow: ExecuteWorkflow
  /** Keys Remove Duplicates remembers across runs ("history: workflow"). */
  dedupeHistory: DedupeHistory
  /** Files as data (lib/files): items carry FileRefs, bytes stream through the store (`files.forRun(ctx)`). */
  files: FileHost
  /** Raw TCP to user-given hosts (Redis, SMTP): vets host:port against the outbound policy HTTP uses. */
  network: TcpGuard
  /** The event bus (Publish Event): events published in the run's workspace, delivered to Event triggers. */
  events: EventHost
  /** Messaging (lib/messaging): the record of every SMS, WhatsApp message and call, opt-outs, sender rate limits. */
  messaging: MessagingHost
  /** Browsers (lib/browser): pages from the worker's pool, a context per run, every request through the outbound guard. */
  browser: BrowserHost
  /** Retrieval (lib/vector): the workspace's collections, ingest and search (embeddings through the AI router). */
  vectors: VectorHost
}

export type HostServiceKey = keyof HostServices
