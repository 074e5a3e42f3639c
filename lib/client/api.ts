// Typed fetch wrapper for the studio's REST API (docs/api.md). Every failure becomes an ApiError carrying
// the server's { code, message, fields }, so pages can show a message a person can act on.
import type {
  CredentialSummary,
  ExecutionDetail,
  ExecutionFilters,
  ExecutionStats,
  ExecutionSummary,
  ItemsPage,
  LiveState,
  NodeTypeInfo,
  TestStepResult,
  ValidationProblem,
  WorkflowDetail,
  WorkflowSummary,
  WorkflowVersion,
  WorkflowVersionInfo,
  WorkflowSettingsInput,
} from './types'
import type { ImportOptions, ImportResult } from '../services/workflow-transfer'
import type { ImportN8nOptions, N8nImportResult } from '../services/n8n-import'
import type { PageMonitorStatus } from '../services/page-monitor-status'
import type { BulkOutcome, BulkWorkflowsBody } from '../services/workflow-bulk'
import type { ExecutionOutcome } from '../services/execution-bulk'
import type { ListWorkflowsQuery } from '../services/workflow-list'

export type WorkflowListQuery = Partial<ListWorkflowsQuery>
export interface BulkAnswer<T> {
  results: T[]
  succeeded: number
  failed: number
}
export interface WorkflowFolder {
  id: string
  name: string
  workflowCount?: number
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields?: Record<string, string>
  readonly details?: unknown
  constructor(status: number, code: string, message: string, fields?: Record<string, string>, details?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.details = details
  }
  /** 409 from PUT /api/workflows/:id when someone saved a newer version. */
  get isConflict(): boolean {
    return this.status === 409
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: unknown
  query?: Query
  signal?: AbortSignal
}

export interface ApiClientOptions {
  /** Prefix for every path; '' (same origin) in the browser, 'http://127.0.0.1:3000' in scripts and tests. */
  baseUrl?: string
  /** Extra headers, e.g. { authorization: 'Bearer <api key>' } outside the browser. */
  headers?: Record<string, string>
  fetch?: typeof fetch
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v))
  const s = qs.toString()
  return `${baseUrl}${path}${s ? `?${s}` : ''}`
}

/** Turns a non-2xx response into an ApiError, whatever the body looks like. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  const err = (body as { error?: { code?: string; message?: string; fields?: Record<string, string>; details?: unknown } } | undefined)?.error
  if (err && typeof err.message === 'string') return new ApiError(res.status, err.code ?? 'HTTP_ERROR', err.message, err.fields, err.details)
  const fallback: Record<number, string> = {
    401: 'Your session has ended. Sign in again.',
    403: 'Your role does not allow this.',
    404: 'Not found. It may have been deleted.',
    413: 'The request is too large.',
  }
  return new ApiError(res.status, 'HTTP_ERROR', fallback[res.status] ?? `The server answered ${res.status} ${res.statusText}`.trim())
}

export function createApiClient(opts: ApiClientOptions = {}) {
  const baseUrl = opts.baseUrl ?? ''
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a))

  async function request<T>(path: string, { method = 'GET', body, query, signal }: RequestOptions = {}): Promise<T> {
    let res: Response
    try {
      res = await doFetch(buildUrl(baseUrl, path, query), {
        method,
        signal,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      })
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e
      throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server. Check your connection and try again.')
    }
    if (!res.ok) throw await toApiError(res)
    if (res.status === 204) return undefined as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  const enc = encodeURIComponent
  return {
    request,
    workflows: {
      /** Search (`q`, by name), a tag, a folder (`root`: in none), sort; all workflows when nothing is given. */
      list: (query: WorkflowListQuery = {}) => request<{ workflows: WorkflowSummary[] }>('/api/workflows', { query: { ...query } }),
      get: (id: string) => request<WorkflowDetail>(`/api/workflows/${enc(id)}`),
      create: (body: { name: string; graph: unknown; message?: string }) =>
        request<{ id: string; version: number }>('/api/workflows', { method: 'POST', body }),
      update: (id: string, body: { baseVersion: number; name?: string; description?: string; graph?: unknown; message?: string; settings?: WorkflowSettingsInput }) =>
        request<{ id: string; version: number }>(`/api/workflows/${enc(id)}`, { method: 'PUT', body }),
      publish: (id: string, version?: number) => request<LiveState>(`/api/workflows/${enc(id)}/publish`, { method: 'POST', body: version ? { version } : {} }),
      activate: (id: string) => request<LiveState>(`/api/workflows/${enc(id)}/activate`, { method: 'POST', body: {} }),
      deactivate: (id: string) => request<LiveState>(`/api/workflows/${enc(id)}/deactivate`, { method: 'POST', body: {} }),
      listenTestWebhook: (id: string, nodeId: string) =>
        request<{ nodeId: string; path: string; method: string; expiresAt: string }>(`/api/workflows/${enc(id)}/webhook-test`, { method: 'POST', body: { nodeId } }),
      stopTestWebhook: (id: string, nodeId: string) => request<void>(`/api/workflows/${enc(id)}/webhook-test`, { method: 'DELETE', query: { nodeId } }),
      remove: (id: string) => request<void>(`/api/workflows/${enc(id)}`, { method: 'DELETE' }),
      triggers: (id: string, signal?: AbortSignal) => request<{ triggers: unknown[]; monitors: PageMonitorStatus[] }>(`/api/workflows/${enc(id)}/triggers`, { signal }),
      versions: (id: string) => request<{ versions: WorkflowVersionInfo[] }>(`/api/workflows/${enc(id)}/versions`),
      version: (id: string, n: number) => request<WorkflowVersion>(`/api/workflows/${enc(id)}/versions/${n}`),
      validate: (graph: unknown) => request<{ ok: boolean; problems: ValidationProblem[] }>('/api/workflows/validate', { method: 'POST', body: { graph } }),
      run: (id: string, body: { input?: unknown; version?: number } = {}) =>
        request<{ executionId: string }>(`/api/workflows/${enc(id)}/run`, { method: 'POST', body }),
      /** The designer's autosave: keeps the graph as the workflow's draft (no version). 409 once a newer version exists. */
      saveDraft: (id: string, body: { baseVersion: number; graph: unknown }) =>
        request<{ updatedAt: string; baseVersion: number; problems: ValidationProblem[] }>(`/api/workflows/${enc(id)}/draft`, { method: 'PUT', body }),
      discardDraft: (id: string) => request<void>(`/api/workflows/${enc(id)}/draft`, { method: 'DELETE' }),
      /** Runs the graph given (the designer's, unsaved) without saving a version. */
      runDraft: (id: string, body: { graph: unknown; input?: unknown }) =>
        request<{ executionId: string; versionNumber: number }>(`/api/workflows/${enc(id)}/draft/run`, { method: 'POST', body }),
      testStep: (id: string, body: { nodeId: string; graph?: unknown; input?: unknown }) =>
        request<TestStepResult>(`/api/workflows/${enc(id)}/test-step`, { method: 'POST', body }),
      /** A workflow file (docs/api.md): `file` is the exported JSON or its text, checked by the server. */
      import: (body: { file: unknown } & ImportOptions) => request<ImportResult>('/api/workflows/import', { method: 'POST', body }),
      importN8n: (body: { file: unknown } & ImportN8nOptions) => request<N8nImportResult>('/api/workflows/import/n8n', { method: 'POST', body }),
      /** Where the browser downloads a version as a file (the current one by default). */
      exportUrl: (id: string, version?: number) => buildUrl(baseUrl, `/api/workflows/${enc(id)}/export`, { version }),
      /** Several workflows in one file (current versions). */
      exportManyUrl: (ids: string[]) => buildUrl(baseUrl, '/api/workflows/export', { ids: ids.join(',') }),
      tags: () => request<{ tags: Array<{ tag: string; count: number }> }>('/api/workflows/tags'),
      setTags: (id: string, tags: string[]) => request<{ id: string; tags: string[] }>(`/api/workflows/${enc(id)}/tags`, { method: 'PUT', body: { tags } }),
      bulk: (body: BulkWorkflowsBody) => request<BulkAnswer<BulkOutcome>>('/api/workflows/bulk', { method: 'POST', body }),
    },
    folders: {
      list: () => request<{ folders: WorkflowFolder[] }>('/api/workflow-folders'),
      create: (name: string) => request<WorkflowFolder>('/api/workflow-folders', { method: 'POST', body: { name } }),
      rename: (id: string, name: string) => request<{ id: string; name: string }>(`/api/workflow-folders/${enc(id)}`, { method: 'PUT', body: { name } }),
      /** Its workflows move to the top level. */
      remove: (id: string) => request<{ id: string; movedToTop: number }>(`/api/workflow-folders/${enc(id)}`, { method: 'DELETE' }),
    },
    executions: {
      list: (filters: ExecutionFilters = {}, signal?: AbortSignal) =>
        request<{ executions: ExecutionSummary[]; nextCursor: string | null; serverTime: string }>('/api/executions', { query: { ...filters }, signal }),
      stats: () => request<ExecutionStats>('/api/executions/stats'),
      get: (id: string, signal?: AbortSignal) => request<ExecutionDetail>(`/api/executions/${enc(id)}`, { signal }),
      items: (id: string, nodeId: string, port = 'main', page = 0) =>
        request<ItemsPage>(`/api/executions/${enc(id)}/steps/${enc(nodeId)}/items`, { query: { port, page } }),
      cancel: (id: string) => request<{ status: string }>(`/api/executions/${enc(id)}/cancel`, { method: 'POST' }),
      retry: (id: string, fromFailedStep = false, version: 'original' | 'current' = 'original') =>
        request<{ executionId: string; versionNumber: number }>(`/api/executions/${enc(id)}/retry`, { method: 'POST', body: { fromFailedStep, version } }),
      /** The run with its steps, output and files; 409 while it is queued or running. */
      remove: (id: string) => request<void>(`/api/executions/${enc(id)}`, { method: 'DELETE' }),
      /** Finished runs only: a running one is reported, not deleted. */
      removeMany: (ids: string[]) => request<BulkAnswer<ExecutionOutcome>>('/api/executions/bulk/delete', { method: 'POST', body: { ids } }),
      /** Failed runs only, each re-run with its input. */
      retryMany: (ids: string[], version: 'original' | 'current' = 'original') =>
        request<BulkAnswer<ExecutionOutcome>>('/api/executions/bulk/retry', { method: 'POST', body: { ids, version } }),
    },
    credentials: {
      list: () => request<{ credentials: CredentialSummary[] }>('/api/credentials'),
      get: (id: string) => request<CredentialSummary>(`/api/credentials/${enc(id)}`),
      create: (body: { name: string; kind: string; data: Record<string, unknown> }) => request<{ id: string }>('/api/credentials', { method: 'POST', body }),
      update: (id: string, body: { name?: string; data?: Record<string, unknown> }) => request<unknown>(`/api/credentials/${enc(id)}`, { method: 'PUT', body }),
      remove: (id: string) => request<void>(`/api/credentials/${enc(id)}`, { method: 'DELETE' }),
    },
    nodeTypes: {
      list: () => request<{ nodeTypes: NodeTypeInfo[] }>('/api/node-types'),
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

/** The browser's client: same origin, session cookie. */
export const api: ApiClient = createApiClient()

/** One line for a toast or an inline error: the message plus field problems not already in it. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const extra = Object.entries(err.fields ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .filter((f) => !err.message.includes(f))
    return extra.length ? `${err.message} (${extra.join('; ')})` : err.message
  }
  return err instanceof Error ? err.message : String(err)
}
