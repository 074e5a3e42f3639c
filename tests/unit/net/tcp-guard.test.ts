// The TCP guard database nodes dial through: it hands back an address the policy allows, never the name.
import { describe, expect, it } from 'vitest'
import { createTcpGuard } from '@/lib/net/tcp-guard'

const dns = (table: Record<string, string[]>) => async (host: string) => table[host] ?? []

describe('tcp guard', () => {
  it('returns the resolved public address to dial', async () => {
    const guard = createTcpGuard({ resolve: dns({ 'db.example.com': ['93.184.216.34'] }) })
    expect(await guard.vet('db.example.com', 5432, 'credential')).toBe('93.184.216.34')
  })

  it.each([
    ['127.0.0.1', {}],
    ['10.0.0.5', {}],
    ['[::1]', {}],
    ['169.254.169.254', { allowPrivateNetworks: true }],
    ['internal.example.com', {}],
  ])('refuses %s under %j', async (host, policy) => {
    const guard = createTcpGuard({ ...policy, resolve: dns({ 'internal.example.com': ['10.1.2.3'] }) })
    await expect(guard.vet(host, 5432, 'credential')).rejects.toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential', retryable: false })
  })

  it('skips private answers of a name and dials an allowed one', async () => {
    const guard = createTcpGuard({ resolve: dns({ 'mixed.example.com': ['10.0.0.1', '93.184.216.34'] }) })
    expect(await guard.vet('mixed.example.com', 3306, 'credential')).toBe('93.184.216.34')
  })

  it.each([
    [['127.0.0.1:5432'], 5432, true],
    [['127.0.0.1:5432'], 3306, false],
    [['127.0.0.1'], 3306, true],
  ])('allow-list %j opens port %i: %s', async (allowList, port, opened) => {
    const vetted = createTcpGuard({ allowList }).vet('127.0.0.1', port, 'credential')
    if (opened) expect(await vetted).toBe('127.0.0.1')
    else await expect(vetted).rejects.toMatchObject({ code: 'SSRF_BLOCKED' })
  })

  it('opens private networks with allowPrivateNetworks, not link-local', async () => {
    const guard = createTcpGuard({ allowPrivateNetworks: true })
    expect(await guard.vet('192.168.1.10', 5432, 'credential')).toBe('192.168.1.10')
  })

  it('refuses a name that resolves to nothing', async () => {
    await expect(createTcpGuard({ resolve: dns({}) }).vet('nowhere.example.com', 5432, 'credential')).rejects.toMatchObject({ code: 'SSRF_BLOCKED' })
  })
})
