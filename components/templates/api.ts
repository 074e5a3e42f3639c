// The template gallery's REST calls (docs/api.md, "Templates") on the studio's one fetch wrapper, so every failure is
// an ApiError with the server's field problems. Types mirror the API's answers; content uses lib/templates/types.ts.
import { api, buildUrl } from '@/lib/client/api'
import type { TemplateMeta, TemplatePreview, TemplateSource, TemplateSummary } from '@/lib/templates/catalog'
import type { TemplateCaseResult, TemplateContent, TemplateCredentialSlot, TemplateParameter } from '@/lib/templates/types'
import type { NodeChange, Resolution } from '@/lib/templates/upgrade'

export type { TemplateSource, TemplateSummary }
export type GraphPreviewData = TemplatePreview

export interface TemplateList {
  templates: TemplateSummary[]
  categories: Array<{ name: string; count: number }>
  nodeTypes: Array<{ type: string; label: string; count: number }>
}

export interface TemplateFilters {
  q?: string
  category?: string
  nodeType?: string
  source?: TemplateSource | ''
}

export interface TemplateVersionInfo {
  number: number
  changelog: string
  /** Null for a built-in template's versions. */
  createdAt: string | null
  current: boolean
}

export interface TemplateDetail extends TemplateMeta {
  /** The version `content` is. */
  version: number
  content: TemplateContent
  versions: TemplateVersionInfo[]
}

/** A node param value chosen to become a parameter: the server puts `{{ $param.<param> }}` at `path`. */
export interface ParamBinding {
  nodeId: string
  path: string
  param: string
}

export interface PublishInput {
  workflowId: string
  parameters: TemplateParameter[]
  bindings: ParamBinding[]
}

/** GET /api/workflows/:id/template; `missing` when the template has been deleted since. */
export type WorkflowTemplateLink =
  | {
      templateId: string
      source: TemplateSource
      name: string
      version: number
      currentVersion: number
      latestVersion: number
      upgradeAvailable: boolean
      newer: Array<{ number: number; changelog: string }>
      missing?: undefined
    }
  | { templateId: string; version: number; missing: true; upgradeAvailable?: undefined }

export type LinkedTemplate = Extract<WorkflowTemplateLink, { missing?: undefined }>

export type UpgradeChoice = Resolution
/** As JSON: the nodes are plain objects. */
export type UpgradeChange = NodeChange

/** A test run (POST answers 200 once it finished, 202 while a worker still runs it; GET lists the newest). */
export interface TestRunResult {
  id: string
  version: number
  status: 'queued' | 'running' | 'passed' | 'failed' | 'error'
  results: TemplateCaseResult[] | null
  error: string | null
  finishedAt: string | null
}

const enc = encodeURIComponent
const base = (id: string) => `/api/templates/${enc(id)}`

export const templatesApi = {
  list: (filters: TemplateFilters = {}, signal?: AbortSignal) => api.request<TemplateList>('/api/templates', { query: { ...filters }, signal }),
  get: (id: string, version?: number) => api.request<TemplateDetail>(base(id), { query: { version } }),
  use: (id: string, body: { name?: string; version?: number; params: Record<string, unknown>; credentials: Record<string, string> }) =>
    api.request<{ workflowId: string }>(`${base(id)}/use`, { method: 'POST', body }),
  publish: (body: PublishInput & { name: string; description: string; category: string; tags: string[] }) =>
    api.request<{ id: string; version: number }>('/api/templates', { method: 'POST', body }),
  publishVersion: (id: string, body: PublishInput & { changelog: string }) =>
    api.request<{ id: string; version: number }>(`${base(id)}/versions`, { method: 'POST', body }),
  rollback: (id: string, version: number) => api.request<unknown>(`${base(id)}/rollback`, { method: 'POST', body: { version } }),
  remove: (id: string) => api.request<void>(base(id), { method: 'DELETE' }),
  exportUrl: (id: string, version?: number) => buildUrl('', `${base(id)}/export`, { version }),
  /** `onConflict` when the workspace has a template of the file's name: without it that is a 409. */
  import: (file: string, onConflict?: 'rename' | 'new-version') =>
    api.request<{ id: string; name: string; version: number }>('/api/templates/import', { method: 'POST', body: { file, ...(onConflict ? { onConflict } : {}) } }),
  test: (id: string, version?: number) => api.request<TestRunResult>(`${base(id)}/test`, { method: 'POST', body: version ? { version } : {} }),
  testRuns: (id: string) => api.request<{ runs: TestRunResult[] }>(`${base(id)}/test`),
  ofWorkflow: (workflowId: string) => api.request<WorkflowTemplateLink>(`/api/workflows/${enc(workflowId)}/template`),
  upgradePreview: (workflowId: string, to: number) =>
    api.request<{ from: number; to: number; baseVersion: number; conflicts: string[]; changes: UpgradeChange[]; inputsNeeded: { params: TemplateParameter[]; credentials: TemplateCredentialSlot[] } }>(`/api/workflows/${enc(workflowId)}/template/upgrade`, { query: { to } }),
  upgrade: (workflowId: string, body: { to: number; baseVersion: number; resolutions: Record<string, UpgradeChoice>; params?: Record<string, unknown>; credentials?: Record<string, string> }) =>
    api.request<{ id: string; version: number; templateVersion: number }>(`/api/workflows/${enc(workflowId)}/template/upgrade`, { method: 'POST', body }),
}
