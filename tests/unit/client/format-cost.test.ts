import { describe, expect, it } from 'vitest'
import { formatCost } from '@/lib/client/format'

describe('formatCost', () => {
  it.each([
    [null, ''],
    ['', ''],
    ['not money', ''],
    ['0.000000000000', '$0'],
    ['0.002100000000', '$0.0021'],
    ['0.001350000000', '$0.0014'],
    ['0.000049000000', '<$0.0001'],
    ['0.999990000000', '$1.00'],
    ['12.345000000000', '$12.35'],
  ])('%j → %j', (usd, shown) => {
    expect(formatCost(usd)).toBe(shown)
  })
})
