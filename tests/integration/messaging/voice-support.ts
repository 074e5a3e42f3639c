// Voice tests' set-up: the fake Twilio (REST + the phone, tests/fakes), the studio's voice hooks behind real HTTP as
// its public origin, a Twilio credential made through the API, and a real worker whose messaging host announces
// that origin. Workflows are created and run through the API as a user would.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect } from 'vitest'
import * as credentials from '../../../app/api/credentials/route'
import * as incoming from '../../../app/api/hooks/twilio/incoming-call/[workflowId]/[nodeId]/route'
import * as callStatus from '../../../app/api/hooks/twilio/call-status/[callId]/route'
import * as recording from '../../../app/api/hooks/twilio/recording/[callId]/route'
import * as voice from '../../../app/api/hooks/twilio/voice/[callId]/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as workflows from '../../../app/api/workflows/route'
import { createMessagingHost } from '../../../lib/messaging/store'
import { closeAppServices } from '../../../lib/services/app'
import { getStepItems } from '../../../lib/services/executions'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'
import { startFakeTwilio, type FakeCall, type FakeTwilio } from '../../fakes/twilio'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startHookServer, type HookServer, type RouteModule } from '../../helpers/hook-server'
import { offlineHostServices } from '../../helpers/host-services'
import { startTestWorker } from '../../helpers/worker'
import { call, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'

export const FROM = '+15550100000'

/** Route modules typed by their own params, as the hook server takes them (it passes every param as a string). */
const routes = (mod: { POST: unknown }) => mod as RouteModule

export function useVoiceEnv() {
  const ctx = {} as {
    t: Awaited<ReturnType<typeof useTestEnv>>
    a: SeededTenant
    fake: FakeTwilio
    hooks: HookServer
    worker: RunningWorker
    redis: Redis
    credentialId: string
  }
  beforeAll(async () => {
    ctx.t = await useTestEnv({ AUTERITY_HTTP_ALLOWLIST: '127.0.0.1' })
    ctx.a = await seedTenant(ctx.t.db.prisma)
    ctx.fake = await startFakeTwilio()
    ctx.hooks = await startHookServer({
      '/api/hooks/twilio/voice/[callId]': routes(voice),
      '/api/hooks/twilio/call-status/[callId]': routes(callStatus),
      '/api/hooks/twilio/recording/[callId]': routes(recording),
      '/api/hooks/twilio/incoming-call/[workflowId]/[nodeId]': routes(incoming),
    })
    ctx.redis = new Redis(testRedisUrl())
    const messaging = createMessagingHost({ prisma: ctx.t.db.prisma, redis: ctx.redis, publicUrl: ctx.hooks.url, signingSecret: 'voice-test', keyPrefix: ctx.t.redis.prefix, pollMs: 50 })
    ctx.worker = await startTestWorker(ctx.t, {
      http: { allowList: ['127.0.0.1'] },
      services: { ...offlineHostServices(), messaging },
    })
    const cred = await call(credentials.POST, {
      method: 'POST',
      headers: ctx.a.headers,
      body: { name: 'Twilio', kind: 'twilio', data: { accountSid: ctx.fake.accountSid, authToken: ctx.fake.authToken, baseUrl: ctx.fake.url } },
    })
    expect(cred.status, JSON.stringify(cred.json)).toBe(201)
    ctx.credentialId = cred.json.id
  })
  afterAll(async () => {
    await ctx.worker?.close()
    await ctx.hooks?.close()
    await ctx.fake?.close()
    await ctx.redis?.quit()
    await closeAppServices()
    await ctx.t?.teardown()
  })
  return ctx
}

type Ctx = ReturnType<typeof useVoiceEnv>

/** Nodes in order, plus extra edges by port ([source, port, target]); the first node's successor edges are linear. */
export function graph(nodes: NodeSpec[], edges?: [string, string, string][]) {
  return {
    nodes: nodes.map((n, i) => ({ position: { x: i * 200, y: 0 }, ...n })),
    edges: (edges ?? nodes.slice(1).map((n, i) => [nodes[i].id, 'main', n.id] as [string, string, string])).map(([source, sourcePort, target]) => ({ source, sourcePort, target })),
    notes: [],
  }
}

export async function createWorkflow(ctx: Ctx, g: unknown, active = false): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers: ctx.a.headers, body: { name: 'Voice', graph: g, active } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id
}

export async function runWorkflow(ctx: Ctx, workflowId: string): Promise<string> {
  const res = await call(run.POST, { method: 'POST', headers: ctx.a.headers, params: { id: workflowId }, body: {} })
  expect(res.status, JSON.stringify(res.json)).toBe(202)
  return res.json.executionId
}

/** The call the run placed with the fake, once it has. */
export const placedCall = (ctx: Ctx, to: string) => waitFor<FakeCall>(`a call to ${to}`, async () => ctx.fake.calls.find((c) => c.to === to))

export const finished = (ctx: Ctx, executionId: string) => waitForStatus(ctx.t.db.prisma, executionId, ['succeeded', 'failed', 'canceled'])

export async function succeeded(ctx: Ctx, executionId: string) {
  const run = await finished(ctx, executionId)
  expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
}

export async function stepOutput(ctx: Ctx, executionId: string, nodeId: string) {
  return (await getStepItems(ctx.t.db.prisma, ctx.a.tenantId, executionId, nodeId, 'main', 0, 50)).items as Record<string, any>[]
}

export const makeCall = (ctx: Ctx, to: string, params: Record<string, unknown> = {}): NodeSpec => ({
  id: 'call', type: 'twilio-make-call', name: 'Make Call', params: { credential: ctx.credentialId, from: FROM, to, ...params },
})
export const say = (id: string, text: string): NodeSpec => ({ id, type: 'twilio-call-say', name: `Say ${id}`, params: { text } })
export const gather = (id: string, prompt: string, extra: Record<string, unknown> = {}): NodeSpec => ({ id, type: 'twilio-call-gather', name: `Gather ${id}`, params: { prompt, numDigits: 1, waitSeconds: 20, ...extra } })
export const manual = (): NodeSpec => ({ id: 'start', type: 'manual-trigger', name: 'Start', params: {} })
