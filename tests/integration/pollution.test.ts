// Prototype pollution through "test this step": the step runs in the web process, which every workspace
// shares, so a workflow that wrote through a host prototype would break (or leak into) everyone's requests.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedTenant, useTestEnv, type SeededTenant } from '../helpers/db'
import { call, chain, node } from './backbone/support'
import * as workflows from '../../app/api/workflows/route'
import * as testStepRoute from '../../app/api/workflows/[id]/test-step/route'
import { closeAppServices } from '../../lib/services/app'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
})
afterAll(async () => {
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
