import { afterAll, describe, expect, it } from 'vitest'
import { createHostSandbox } from '@/lib/sandbox/host'
import { runFlow } from '@/tests/unit/nodes/flow'
import { memoryEvents } from '@/tests/helpers/host-services'
import { eventNameSchema } from '../event-trigger/definition'
import { publishEventNode } from './definition'

const sandbox = createHostSandbox({ concurrency: 2, processes: 1 })
afterAll(() => sandbox.dispose())

describe('publish event node', () => {
  it('publishes one event per item, the item itself by default, and adds eventId and subscribers', async () => {
    const events = memoryEvents()
    const flow = await runFlow([{ id: 'pub', type: 'publish-event', params: { name: 'order.paid' } }], [{ id: 1 }, { id: 2 }], {
      services: { events },
      ids: { tenantId: 't-1', executionId: 'ex-1' },
    })
    expect(flow.result.status).toBe('succeeded')
    expect(events.published.map((e) => [e.name, e.payload, e.tenantId, e.executionId])).toEqual([
      ['order.paid', { id: 1 }, 't-1', 'ex-1'],
      ['order.paid', { id: 2 }, 't-1', 'ex-1'],
    ])
    expect(await flow.output('pub')).toEqual([
      { id: 1, eventId: 'ev_1', subscribers: 0 },
      { id: 2, eventId: 'ev_2', subscribers: 0 },
    ])
    // Each item's key names the step and the item: a retry of the step gets the same events back.
    expect(new Set(events.published.map((e) => e.dedupeKey)).size).toBe(2)
  })

  it('resolves the payload and the name per item', async () => {
    const events = memoryEvents()
    const flow = await runFlow(
      [{ id: 'pub', type: 'publish-event', params: { name: 'order.{{ $json.state }}', payload: { order: '{{ $json.id }}', fixed: true } } }],
      [{ id: 7, state: 'paid' }, { id: 8, state: 'shipped' }],
      { services: { events }, sandbox },
    )
    expect(flow.result.status).toBe('succeeded')
    expect(events.published.map((e) => [e.name, e.payload])).toEqual([
      ['order.paid', { order: 7, fixed: true }],
      ['order.shipped', { order: 8, fixed: true }],
    ])
  })

  it('once: one event for all the items, { items } by default', async () => {
    const events = memoryEvents()
    const flow = await runFlow([{ id: 'pub', type: 'publish-event', params: { name: 'import.done', mode: 'once' } }], [{ row: 1 }, { row: 2 }], { services: { events } })
    expect(events.published).toHaveLength(1)
    expect(events.published[0].payload).toEqual({ items: [{ row: 1 }, { row: 2 }] })
    expect((await flow.output('pub')).map((i) => i.eventId)).toEqual(['ev_1', 'ev_1'])
  })

  it('fails the step naming the field when a resolved name is not an event name', async () => {
    const flow = await runFlow([{ id: 'pub', type: 'publish-event', params: { name: '{{ $json.n }}' } }], [{ n: 'has space' }], { services: { events: memoryEvents() } })
    expect(flow.result.status).toBe('failed')
    expect(flow.result.error).toMatchObject({ code: 'INVALID_PARAMS', field: 'name' })
  })

  it.each([
    ['order.paid', true],
    ['billing:invoice-sent_v2', true],
    ['  padded  ', true],
    ['', false],
    ['has space', false],
    ['slash/name', false],
    ['é', false],
    ['x'.repeat(200), true],
    ['x'.repeat(201), false],
  ])('event name %j valid: %s', (name, ok) => {
    expect(eventNameSchema.safeParse(name).success).toBe(ok)
  })

  it('refuses bad params naming the field', () => {
    expect(publishEventNode.params.safeParse({ name: 'a b' }).error?.issues[0].path).toEqual(['name'])
    expect(publishEventNode.params.safeParse({ name: 'a', mode: 'twice' }).error?.issues[0].path).toEqual(['mode'])
  })
})
