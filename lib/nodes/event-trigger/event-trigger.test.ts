import { afterAll, describe, expect, it } from 'vitest'
import { createHostSandbox } from '@/lib/sandbox/host'
import { filterNeedsSandbox, payloadMatches, eventTriggerKind } from '@/lib/services/event-filter'
import type { RegistrationSpec } from '@/lib/services/trigger-kinds'
import { ValidationError } from '@/lib/errors'
import { eventTrigger, eventTriggerParams } from './definition'

const sandbox = createHostSandbox({ concurrency: 2, processes: 1 })
afterAll(() => sandbox.dispose())
const noSandbox = () => {
  throw new Error('the sandbox was asked for')
}
const filter = (conditions: unknown[], combine: 'all' | 'any' = 'all') => eventTriggerParams.parse({ eventName: 'order.paid', conditions, combine })

describe('event trigger', () => {
  it('registers under its event name, with defaults', () => {
    const params = eventTriggerParams.parse({ eventName: ' order.paid ' })
    expect(params).toEqual({ eventName: 'order.paid', conditions: [], combine: 'all', maxAttempts: 3, retryDelaySeconds: 10 })
    expect(eventTrigger.listen?.key?.(params)).toBe('order.paid')
    expect(eventTrigger.trigger?.kind).toBe('event')
  })

  it.each([
    [{ eventName: 'a b' }, ['eventName']],
    [{ eventName: '' }, ['eventName']],
    [{ eventName: 'x', maxAttempts: 0 }, ['maxAttempts']],
    [{ eventName: 'x', maxAttempts: 11 }, ['maxAttempts']],
    [{ eventName: 'x', retryDelaySeconds: -1 }, ['retryDelaySeconds']],
    [{ eventName: 'x', conditions: [{ left: 1, operator: 'almost' }] }, ['conditions', 0, 'operator']],
  ])('refuses %j naming the field', (params, path) => {
    expect(eventTriggerParams.safeParse(params).error?.issues[0].path).toEqual(path)
  })

  it.each([
    [[{ left: '{{ $json.total }}', operator: 'gte', right: 100 }], { total: 250 }, true],
    [[{ left: '{{ $json.total }}', operator: 'gte', right: 100 }], { total: 40 }, false],
    [[{ left: '{{ $json.customer.tier }}', operator: 'equals', right: 'gold' }], { customer: { tier: 'gold' } }, true],
    [[{ left: '{{ $json.customer.tier }}', operator: 'equals', right: 'gold' }], {}, false],
    [[], 'anything', true],
  ])('filters on plain paths without the sandbox: %j on %j → %s', async (conditions, payload, hit) => {
    expect(await payloadMatches(filter(conditions), payload, noSandbox)).toBe(hit)
  })

  it('combines with any', async () => {
    const f = filter([{ left: '{{ $json.a }}', operator: 'isTrue' }, { left: '{{ $json.b }}', operator: 'isTrue' }], 'any')
    expect(await payloadMatches(f, { a: false, b: true }, noSandbox)).toBe(true)
    expect(await payloadMatches(f, { a: false, b: false }, noSandbox)).toBe(false)
  })

  it('runs other expressions and regexes in the sandbox; a catastrophic pattern is "no match", not a hang', async () => {
    const upper = filter([{ left: '{{ $json.code.toUpperCase() }}', operator: 'equals', right: 'VIP' }])
    expect(filterNeedsSandbox(upper)).toBe(true)
    expect(await payloadMatches(upper, { code: 'vip' }, () => sandbox)).toBe(true)
    const regex = filter([{ left: '{{ $json.email }}', operator: 'regex', right: '/@example\\.com$/i' }])
    expect(await payloadMatches(regex, { email: 'a@EXAMPLE.com' }, () => sandbox)).toBe(true)
    const evil = filter([{ left: '{{ $json.s }}', operator: 'regex', right: '(a+)+$' }])
    expect(await payloadMatches(evil, { s: `${'a'.repeat(36)}!` }, () => sandbox)).toBe(false)
  })

  it('activation refuses a filter that reads what only a run has, naming the condition', () => {
    const spec = (conditions: unknown[]): RegistrationSpec => ({
      nodeId: 'ev', nodeIndex: 2, nodeType: 'event-trigger', kind: 'event', key: 'x', config: { conditions },
    })
    expect(() => eventTriggerKind.check!(spec([{ left: '{{ $json.a }}', operator: 'exists' }]), {} as never)).not.toThrow()
    let err: unknown
    try {
      eventTriggerKind.check!(spec([{ left: 'x', operator: 'equals', right: '{{ $node["Set"].json.a }}' }]), {} as never)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).fields).toHaveProperty(['graph.nodes.2.params.conditions.0.right'])
  })
})
