// Prototype pollution through "test this step" (the web process, which every workspace shares) and a worker run:
// a workflow that wrote through a host prototype would break (or leak into) everyone's runs and requests.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, testRedisUrl, useTestEnv, type SeededTenant } from '../helpers/db'
import { offlineHostServices } from '../helpers/host-services'
import { call, chain, node, waitForStatus } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as run from '../../app/api/workflows/[id]/run/route'
import * as testStepRoute from '../../app/api/workflows/[id]/test-step/route'
import { getDecryptedCredential } from '../../lib/credentials'
import { nodeRegistry } from '../../lib/nodes/registry'
import { closeAppServices } from '../../lib/services/app'
import { startWorkerRuntime, type RunningWorker } from '../../workers/runtime/worker-runtime'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let worker: RunningWorker

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  worker = await startWorkerRuntime({ prisma: t.db.prisma, redisUrl: testRedisUrl(), queuePrefix: t.redis.prefix, registry: nodeRegistry, services: offlineHostServices(), getCredential: getDecryptedCredential })
})
afterAll(async () => {
  await worker?.close()
  await closeAppServices()
  await t?.teardown()
})
afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted
})

describe('test this step', () => {
  it.each([['{{ $json.__proto__ }}'], ["{{ $json['__proto__'] }}"], ['{{ $json.constructor.prototype }}'], ['{{ $trigger.constructor.prototype }}']])(
    'a Set step with a = %s and a.polluted = x fails and leaves the web process clean',
    async (expr) => {
      const graph = chain(node.manual(), node.set('set', { a: expr, 'a.polluted': 'x' }))
      const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Pollute', graph } })
      expect(created.status, JSON.stringify(created.json)).toBe(201)
      const res = await call(testStepRoute.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { nodeId: 'set', input: [{ n: 1 }] } })
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ status: 'failed', error: { code: 'RESERVED_KEY', field: 'fields.0.value' } })
      // The web process still serves the next request normally.
      const next = await call(testStepRoute.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { nodeId: 'set', input: [{ n: 1 }], graph: chain(node.manual(), node.set('set', { b: '{{ $json.n }}' })) } })
      expect(next.json).toMatchObject({ status: 'succeeded', output: { main: [{ n: 1, b: 1 }] } })
    },
  )
})

describe('a worker run', () => {
  it('fails the Set step with RESERVED_KEY, leaves the worker clean, and the next run succeeds', async () => {
    const graph = chain(node.manual(), node.set('set', { a: '{{ $json.__proto__ }}', 'a.polluted': 'x' }))
    const created = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Pollute in worker', graph } })
    const started = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: created.json.id }, body: { input: [{ n: 1 }] } })
    const row = await waitForStatus(t.db.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(row).toMatchObject({ status: 'failed', error: { code: 'RESERVED_KEY', nodeId: 'set', field: 'fields.0.value' } })
    const clean = await call(workflows.POST, { method: 'POST', headers: a.headers, body: { name: 'Clean', graph: chain(node.manual(), node.set('set', { b: '{{ $json.n }}' })) } })
    const next = await call(run.POST, { method: 'POST', headers: a.headers, params: { id: clean.json.id }, body: { input: [{ n: 2 }] } })
    expect((await waitForStatus(t.db.prisma, next.json.executionId, ['succeeded', 'failed'])).status).toBe('succeeded')
  })
})
