// Shared fixtures for the backbone's integration tests: graph builders, route-handler calls, a local HTTP
// server that counts side effects, and polling helpers. Real PostgreSQL and Redis throughout.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { PrismaClient } from '../../../lib/db/client'
import { closeAppServices } from '../../../lib/services/app'
import { seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'

export interface NodeSpec {
  id: string
  type: string
  name: string
  params?: Record<string, unknown>
  settings?: Record<string, unknown>
}

export const node = {
  manual: (id = 'trigger'): NodeSpec => ({ id, type: 'manual-trigger', name: 'Manual trigger', params: {} }),
  webhook: (path: string, responseMode: 'onReceived' | 'lastNode' = 'onReceived', extra: Record<string, unknown> = {}): NodeSpec => ({
    id: 'hook',
    type: 'webhook-trigger',
    name: 'Webhook',
    params: { path, method: 'POST', responseMode, ...extra },
  }),
  set: (id: string, fields: Record<string, unknown>): NodeSpec => ({
    id,
    type: 'set',
    name: `Set ${id}`,
    params: { fields: Object.entries(fields).map(([name, value]) => ({ name, value, type: 'auto' })), keepOtherFields: true },
  }),
  code: (id: string, source: string): NodeSpec => ({ id, type: 'code', name: `Code ${id}`, params: { source, mode: 'runOnceForAllItems' } }),
  http: (id: string, url: string, settings: Record<string, unknown> = {}): NodeSpec => ({
    id,
    type: 'http-request',
    name: `HTTP ${id}`,
    params: { method: 'GET', url },
    settings,
  }),
  wait: (id: string, ms: number): NodeSpec => ({ id, type: 'wait', name: `Wait ${id}`, params: { amount: ms, unit: 'ms' } }),
  respond: (id = 'respond', params: Record<string, unknown> = {}): NodeSpec => ({ id, type: 'respond-to-webhook', name: 'Respond', params }),
}

export function chain(...nodes: NodeSpec[]) {
  return {
    nodes: nodes.map((n, i) => ({ position: { x: i * 200, y: 0 }, ...n })),
    edges: nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id })),
    notes: [],
  }
}

type Handler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response> | Response

/** Calls a route handler module's export directly, as Next would. */
export async function call(
  handler: Handler,
  opts: { method?: string; url?: string; body?: unknown; headers?: Record<string, string>; params?: Record<string, unknown> },
): Promise<{ status: number; json: any; res: Response }> {
  const init: RequestInit = { method: opts.method ?? 'GET', headers: { 'content-type': 'application/json', ...opts.headers } }
  if (opts.body !== undefined) init.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
  const res = await handler(new Request(`http://localhost${opts.url ?? '/'}`, init), { params: Promise.resolve(opts.params ?? {}) })
  const text = await res.text()
  let json: any = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = text
  }
  return { status: res.status, json, res }
}

/**
 * A JSON request whose body arrives in 16 KiB chunks, `total` bytes in all, without Content-Length unless
 * `declareLength`; `sent()` counts what the handler pulled.
 */
export function streamedRequest(path: string, total: number, headers: Record<string, string>, declareLength = false) {
  const chunk = new TextEncoder().encode(`"${'x'.repeat(16 * 1024 - 2)}"`)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close()
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
  const all: Record<string, string> = { ...headers, 'content-type': 'application/json' }
  if (declareLength) all['content-length'] = String(total)
  const req = new Request(`http://localhost${path}`, { method: 'POST', headers: all, body, duplex: 'half' } as RequestInit)
  return { req, sent: () => sent }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export function waitForStatus(prisma: PrismaClient, executionId: string, statuses: string[], timeoutMs = 20_000) {
  return waitFor(
    `execution ${executionId} to be ${statuses.join('|')}`,
    async () => {
      const row = await prisma.execution.findUnique({ where: { id: executionId } })
      return row && statuses.includes(row.status) ? row : null
    },
    timeoutMs,
  )
}

/** A local API: /count/<key> counts hits, /fail/<key> fails until /fix/<key>, /slow?ms=, /redirect?to=, /nul/<key> answers
 * JSON holding a NUL character. Every request's headers are kept per path. */
export async function startSideEffectServer() {
  const hits = new Map<string, number>()
  const seen = new Map<string, IncomingMessage['headers'][]>()
  const fixed = new Set<string>()
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const [, kind, key] = url.pathname.split('/')
    hits.set(`${kind}/${key}`, (hits.get(`${kind}/${key}`) ?? 0) + 1)
    seen.set(`${kind}/${key}`, [...(seen.get(`${kind}/${key}`) ?? []), req.headers])
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (kind === 'fix') {
      fixed.add(key)
      return json(200, { fixed: true })
    }
    if (kind === 'nul') return json(200, { text: 'before\u0000after', key })
    if (kind === 'fail') return fixed.has(key) ? json(200, { ok: true, key }) : json(400, { error: 'broken' })
    if (kind === 'slow') return setTimeout(() => json(200, { slow: true }), Number(url.searchParams.get('ms') ?? 1000))
    if (kind === 'redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' })
      return res.end()
    }
    json(200, { ok: true, key })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    hits: (path: string) => hits.get(path) ?? 0,
    headers: (path: string) => seen.get(path) ?? [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const root = path.resolve(import.meta.dirname, '../../..')

/** A real worker process (`workers/worker.ts` with this process's env), resolved once it is ready; added to `children`. */
export async function spawnWorker(children: ChildProcess[], env: Record<string, string> = {}): Promise<ChildProcess> {
  // One process (node with the tsx loader), not the tsx CLI wrapper: signals must hit the worker itself.
  const child = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'workers/worker.ts'], {
    cwd: root,
    // Its readiness is an info line (lib/log): shown whatever level the test process's NODE_ENV picks.
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stderr!.on('data', (d) => (output += d))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d
      if (output.includes('"msg":"worker ready"')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)))
  })
  return child
}

export function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

/**
 * For a test file that spawns workers: its own database and queue prefix with short locks (a killed worker's job is
 * redelivered within seconds), one seeded tenant, and every worker in `children` killed when the file is done.
 * The fields are set once `beforeAll` ran.
 */
export function useSpawnedWorkers(env: Record<string, string> = {}) {
  const ctx = { children: [] as ChildProcess[] } as { t: Awaited<ReturnType<typeof useTestEnv>>; a: SeededTenant; children: ChildProcess[] }
  beforeAll(async () => {
    ctx.t = await useTestEnv({ AUTERITY_WORKER_LOCK_MS: '4000', AUTERITY_WORKER_STALLED_MS: '2000', ...env })
    ctx.a = await seedTenant(ctx.t.db.prisma)
  })
  afterAll(async () => {
    for (const c of ctx.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    await closeAppServices()
    await ctx.t?.teardown()
  })
  return ctx
}
