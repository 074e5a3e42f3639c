import { describe, expect, it } from 'vitest'
import { waitNode } from '@/lib/nodes/wait/definition'
import { cancellableSleep, runNode } from './harness'

describe('wait node', () => {
  it.each([
    [250, 'ms', 250],
    [1.5, 'seconds', 1500],
    [2, 'minutes', 120_000],
    [1, 'hours', 3_600_000],
  ])('waits %s %s through services.sleep and passes items on', async (amount, unit, ms) => {
    const slept: number[] = []
    const { output } = await runNode(waitNode, {
      params: { amount, unit },
      items: [{ a: 1 }],
      services: { sleep: async (n) => void slept.push(n) },
    })
    expect(slept).toEqual([ms])
    expect(output.main).toEqual([{ a: 1 }])
  })

  it('refuses more than an hour, naming amount', () => {
    const result = waitNode.params.safeParse({ amount: 61, unit: 'minutes' })
    expect(result.error?.issues[0]).toMatchObject({ path: ['amount'], message: 'A wait can last at most 1 hour' })
  })

  it('is interrupted by cancellation', async () => {
    const controller = new AbortController()
    const pending = runNode(waitNode, { params: { amount: 1, unit: 'hours' }, signal: controller.signal, services: { sleep: cancellableSleep } })
    setTimeout(() => controller.abort(new Error('canceled')), 10)
    await expect(pending).rejects.toThrow('canceled')
  })

  it('does not sleep for zero', async () => {
    const { output } = await runNode(waitNode, { params: { amount: 0 }, items: [{}], services: { sleep: () => Promise.reject(new Error('slept')) } })
    expect(output.main).toEqual([{}])
  })
})
