// What the SMS integration tests share: their own database, Redis prefix and file folder; the fake Twilio; the
// studio's SMS hooks behind real HTTP as the public origin (status callbacks, media, inbound SMS); a real worker
// whose messaging host signs media with the studio's secret; credentials made through the API; runs started and
// awaited through the API.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../../helpers/db'
import { startHookServer, type HookServer, type RouteModule } from '../../helpers/hook-server'
import { offlineHostServices } from '../../helpers/host-services'
import { startTestWorker } from '../../helpers/worker'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio'
import { call, chain, waitForStatus, type NodeSpec } from '../backbone/support'
import * as credentials from '../../../app/api/credentials/route'
import * as workflows from '../../../app/api/workflows/route'
import * as runRoute from '../../../app/api/workflows/[id]/run/route'
import * as statusHook from '../../../app/api/hooks/twilio/status/[messageId]/route'
import * as mediaHook from '../../../app/api/hooks/media/[fileId]/route'
import * as smsHook from '../../../app/api/hooks/twilio/sms/[workflowId]/[nodeId]/route'
import { webServices } from '../../../lib/composition/web-services'
import { messagingSigningSecret } from '../../../lib/messaging/host'
import { createMessagingHost } from '../../../lib/messaging/store'
import type { MessagingHost } from '../../../lib/messaging/types'
import { createRedis } from '../../../lib/redis'
import { closeAppServices } from '../../../lib/services/app'
import type { RunningWorker } from '../../../workers/runtime/worker-runtime'

export interface SmsEnv {
  t: Awaited<ReturnType<typeof useTestEnv>>
  a: SeededTenant
  b: SeededTenant
  fake: FakeTwilio
  hooks: HookServer
  messaging: MessagingHost
  worker: RunningWorker
  close(): Promise<void>
}

export async function startSmsEnv(): Promise<SmsEnv> {
  const root = path.join(os.tmpdir(), `auterity-sms-${process.pid}-${Date.now()}`)
  const t = await useTestEnv({ AUTERITY_FILES_URL: `file://${root}` })
  const [a, b] = await Promise.all([seedTenant(t.db.prisma, { name: 'A' }), seedTenant(t.db.prisma, { name: 'B' })])
  const fake = await startFakeTwilio()
  const hooks = await startHookServer({
    // Typed by their own path parameters, which the server fills from these patterns.
    '/api/hooks/twilio/status/[messageId]': statusHook as unknown as RouteModule,
    '/api/hooks/media/[fileId]': mediaHook as unknown as RouteModule,
    '/api/hooks/twilio/sms/[workflowId]/[nodeId]': smsHook as unknown as RouteModule,
  })
  const redis = createRedis(testRedisUrl())
  const messaging = createMessagingHost({ prisma: t.db.prisma, redis, publicUrl: hooks.url, signingSecret: messagingSigningSecret(), keyPrefix: t.redis.prefix, pollMs: 50 })
  const worker = await startTestWorker(t, {
    http: { allowList: ['127.0.0.1'] },
    services: { ...offlineHostServices(), files: webServices().files, messaging },
  })
  return {
    t, a, b, fake, hooks, messaging, worker,
    async close() {
      await worker.close()
      await hooks.close()
      await fake.close()
      redis.disconnect()
      await closeAppServices()
      await webServices().files.close()
      await t.teardown()
      await fs.rm(root, { recursive: true, force: true })
    },
  }
}

/** A Twilio credential of `tenant` pointing at the fake, or at `baseUrl` (another auth token: one the fake does not know). */
export async function twilioCredential(env: SmsEnv, tenant: SeededTenant, authToken = env.fake.authToken, baseUrl = env.fake.url): Promise<string> {
  const res = await call(credentials.POST, {
    method: 'POST', headers: tenant.headers,
    body: { name: `Twilio ${Math.random().toString(36).slice(2)}`, kind: 'twilio', data: { accountSid: env.fake.accountSid, authToken, baseUrl } },
  })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

export async function createWorkflow(tenant: SeededTenant, nodes: NodeSpec[], active = false): Promise<string> {
  const res = await call(workflows.POST, { method: 'POST', headers: tenant.headers, body: { name: `SMS ${Math.random().toString(36).slice(2)}`, graph: chain(...nodes), active } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id as string
}

/** Runs a manual workflow with `input` and waits until it ends; its steps by node id. */
export async function runToEnd(env: SmsEnv, tenant: SeededTenant, workflowId: string, input: unknown[], timeoutMs = 20_000) {
  const started = await call(runRoute.POST, { method: 'POST', headers: tenant.headers, params: { id: workflowId }, body: { input } })
  expect(started.status, JSON.stringify(started.json)).toBeLessThan(300)
  const executionId = started.json.executionId as string
  const execution = await waitForStatus(env.t.db.prisma, executionId, ['succeeded', 'failed', 'canceled'], timeoutMs)
  const steps = await env.t.db.prisma.stepRun.findMany({ where: { executionId }, orderBy: { attempt: 'asc' } })
  const step = (nodeId: string) => steps.filter((s) => s.nodeId === nodeId).at(-1)
  return { executionId, execution, steps, step }
}

export const manual = (): NodeSpec => ({ id: 'trigger', type: 'manual-trigger', name: 'Manual trigger', params: {} })
