// Helpers shared by every e2e spec: signing in, calling the REST API with the owner's API key,
// building workflow graphs as data, waiting for executions. See tests/e2e/README.md.
import { expect, type APIRequestContext, type Page } from '@playwright/test'
import { E2E } from './constants'

export { E2E }

/** Base URL of the local HTTP test server (tests/e2e/test-server.ts) — allow-listed for the HTTP Request node. */
export function testServerUrl(): string {
  const url = process.env.E2E_TEST_SERVER_URL
  if (!url) throw new Error('E2E_TEST_SERVER_URL is not set: run through `npx playwright test` (global-setup starts the server)')
  return url
}

/** Signs in through the real sign-in page and waits for the studio shell. */
export async function login(page: Page, next = '/workflows'): Promise<void> {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(next)}`)
  await page.getByLabel('Email').fill(E2E.email)
  await page.getByLabel('Password').fill(E2E.password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
}

export interface GraphNodeSpec {
  id: string
  type: string
  name: string
  params?: Record<string, unknown>
  settings?: Record<string, unknown>
  position?: { x: number; y: number }
}
export interface GraphSpec {
  nodes: GraphNodeSpec[]
  edges: Array<{ source: string; target: string; sourcePort?: string; targetPort?: string }>
  notes?: unknown[]
}

/** Node builders: the graph format of lib/engine/graph-schema.ts. */
export const node = {
  manual: (id = 'trigger', name = 'Manual trigger'): GraphNodeSpec => ({ id, type: 'manual-trigger', name, params: {} }),
  http: (id: string, url: string, name = 'HTTP request', extra: Record<string, unknown> = {}): GraphNodeSpec => ({ id, type: 'http-request', name, params: { method: 'GET', url, ...extra } }),
  set: (id: string, fields: Record<string, unknown>, name = 'Set fields'): GraphNodeSpec => ({
    id,
    type: 'set',
    name,
    params: { fields: Object.entries(fields).map(([n, value]) => ({ name: n, value, type: 'auto' })), keepOtherFields: true },
  }),
  code: (id: string, source: string, name = 'Code'): GraphNodeSpec => ({ id, type: 'code', name, params: { source, mode: 'runOnceForAllItems' } }),
}

/** Nodes connected one after another on their main ports, laid out left to right. */
export function chain(...nodes: GraphNodeSpec[]): GraphSpec {
  return {
    nodes: nodes.map((n, i) => ({ position: { x: 80 + i * 260, y: 160 }, ...n })),
    edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })),
    notes: [],
  }
}

export interface ExecutionInfo {
  id: string
  workflowId: string
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled'
  error: { message: string; nodeId?: string } | null
  steps: Array<{ nodeId: string; nodeName: string; status: string; attempt: number; outputCounts: Record<string, number> }>
}

/** The REST API as the owner's API key sees it; every call asserts a 2xx answer and returns the JSON. */
export function api(request: APIRequestContext) {
  const headers = { authorization: `Bearer ${E2E.apiKey}` }
  async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, data?: unknown): Promise<T> {
    const res = await request.fetch(path, { method, headers, data })
    if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()}: ${await res.text()}`)
    return (res.status() === 204 ? undefined : await res.json()) as T
  }
  return {
    call,
    createWorkflow: (name: string, graph: GraphSpec, opts: { active?: boolean } = {}) =>
      call<{ id: string; version: number }>('POST', '/api/workflows', { name, graph, message: 'e2e', ...opts }),
    saveWorkflow: (id: string, baseVersion: number, graph: GraphSpec) => call<{ id: string; version: number }>('PUT', `/api/workflows/${id}`, { baseVersion, graph }),
    run: (workflowId: string, input?: unknown) => call<{ executionId: string }>('POST', `/api/workflows/${workflowId}/run`, input === undefined ? {} : { input }),
    execution: (id: string) => call<ExecutionInfo>('GET', `/api/executions/${id}`),
    retry: (id: string, fromFailedStep: boolean) => call<{ executionId: string }>('POST', `/api/executions/${id}/retry`, { fromFailedStep }),
    /** Polls until the execution reaches one of `statuses` (default: any finished state). */
    async waitFor(id: string, statuses: ExecutionInfo['status'][] = ['succeeded', 'failed', 'canceled'], timeoutMs = 60_000): Promise<ExecutionInfo> {
      let last: ExecutionInfo | undefined
      await expect
        .poll(async () => (last = await this.execution(id)).status, { timeout: timeoutMs, message: `execution ${id} to reach ${statuses.join('/')}` })
        .toMatch(new RegExp(`^(${statuses.join('|')})$`))
      return last!
    },
  }
}

/** A name unique to this test run, so specs never see each other's rows. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`
}
