import { describe, expect, it } from 'vitest'
import { createTcpGuard } from '@/lib/net/tcp-guard'

const resolve = async (host: string) => ({ 'public.example': ['93.184.216.34'], 'internal.example': ['10.1.2.3'], 'mixed.example': ['10.1.2.3', '93.184.216.34'] })[host] ?? []

describe('TCP guard', () => {
  it('returns the vetted address to dial for a public name or IP', async () => {
    const guard = createTcpGuard({ resolve })
    expect(await guard.vet('public.example', 6379, 'credential')).toBe('93.184.216.34')
    expect(await guard.vet('8.8.8.8', 25, 'credential')).toBe('8.8.8.8')
    expect(await guard.vet('mixed.example', 6379, 'credential')).toBe('93.184.216.34')
  })

  it.each([
    ['a name resolving to a private address', 'internal.example'],
    ['loopback', '127.0.0.1'],
    ['the metadata address', '169.254.169.254'],
    ['an IPv4-mapped loopback', '[::ffff:127.0.0.1]'],
    ['a name with no address', 'nowhere.example'],
  ])('refuses %s, naming the field', async (_name, host) => {
    await expect(createTcpGuard({ resolve }).vet(host, 6379, 'credential')).rejects.toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential', retryable: false })
  })

  it('lets allow-listed host:port and private networks through, never link-local', async () => {
    const listed = createTcpGuard({ resolve, allowList: ['internal.example:6379'] })
    expect(await listed.vet('internal.example', 6379, 'credential')).toBe('10.1.2.3')
    await expect(listed.vet('internal.example', 6380, 'credential')).rejects.toMatchObject({ code: 'SSRF_BLOCKED' })
    const privateOk = createTcpGuard({ resolve, allowPrivateNetworks: true })
    expect(await privateOk.vet('127.0.0.1', 25, 'credential')).toBe('127.0.0.1')
    await expect(privateOk.vet('169.254.169.254', 80, 'credential')).rejects.toMatchObject({ code: 'SSRF_BLOCKED' })
  })
})
