import { describe, expect, it } from 'vitest'
import { webhookUrl } from '@/lib/client/webhook-url'

describe('webhookUrl', () => {
  it.each([
    ['orders/new', 'https://hooks.example.com/api/webhooks/orders/new'],
    ['/orders//new/', 'https://hooks.example.com/api/webhooks/orders/new'],
    ['', 'https://hooks.example.com/api/webhooks/wf1/hook'],
    [undefined, 'https://hooks.example.com/api/webhooks/wf1/hook'],
    ['../etc', null],
    ['a b', null],
  ])('path %j → %j', (path, expected) => {
    expect(webhookUrl('https://hooks.example.com', 'wf1', 'hook', path)).toBe(expected)
  })
})
