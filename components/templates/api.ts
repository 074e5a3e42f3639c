// The template gallery's REST calls (docs/api.md, "Templates") on the studio's one fetch wrapper, so every failure is
// an ApiError with the server's field problems. Types mirror the API's answers; content uses lib/templates/types.ts.
import { api, buildUrl } from '@/lib/client/api'
import type { TemplateCaseResult, TemplateContent, TemplateParameter } from '@/lib/templates/types'

export type TemplateSource = 'builtin' | 'workspace'

export interface GraphPreviewData {
  nodes: Array<{ id: string; type: string; name: string; position: { x: number; y: number } }>
  edges: Array<{ source: string; target: string }>
}

/** What the gallery and a template's page both show. */
interface TemplateMeta {
  id: string
  source: TemplateSource
  name: string
  description: string
  category: string
  tags: string[]
  currentVersion: number
  latestVersion: number
}

export interface TemplateSummary extends TemplateMeta {
  nodeTypes: string[]
  parameterCount: number
  credentialKinds: string[]
  preview: GraphPreviewData
}

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
  createdAt: string
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

export interface WorkflowTemplateLink {
  templateId: string
  name: string
  version: number
  currentVersion: number
  upgradeAvailable: boolean
  newer: Array<{ number: number; changelog: string }>
}

export type UpgradeChoice = 'template' | 'workflow'

export interface UpgradeChange {
  nodeId: string
  name: string
  /** added | removed | changed (by the template), or what the server calls it. */
  kind: string
  paramsChanged: string[]
  conflict: boolean
  base?: unknown
  theirs?: unknown
  ours?: unknown
}

export interface TestRunResult {
  status: string
  results: TemplateCaseResult[]
  error?: string
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
  import: (file: string) => api.request<{ id: string; name: string }>('/api/templates/import', { method: 'POST', body: { file } }),
  test: (id: string, version?: number) => api.request<TestRunResult>(`${base(id)}/test`, { method: 'POST', body: version ? { version } : {} }),
  ofWorkflow: (workflowId: string) => api.request<WorkflowTemplateLink>(`/api/workflows/${enc(workflowId)}/template`),
  upgradePreview: (workflowId: string, to: number) =>
    api.request<{ changes: UpgradeChange[] }>(`/api/workflows/${enc(workflowId)}/template/upgrade`, { query: { to } }),
  upgrade: (workflowId: string, body: { to: number; baseVersion: number; resolutions: Record<string, UpgradeChoice> }) =>
    api.request<{ version?: number }>(`/api/workflows/${enc(workflowId)}/template/upgrade`, { method: 'POST', body }),
}
