// The infrastructure every other suite stands on: migrated database per file, tenant scoping on a real
// PostgreSQL, encrypted credentials, API-key authentication.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireAuth } from '../../lib/auth/context'
import { bootstrapOwner } from '../../lib/db/bootstrap'
import { forTenant } from '../../lib/db/scope'
import { getCredentialStore } from '../../lib/credentials'
import { seedTenant, useTestEnv } from '../helpers/db'

let t: Awaited<ReturnType<typeof useTestEnv>>
beforeAll(async () => { t = await useTestEnv() })
afterAll(async () => { await t.teardown() })

describe('tenancy and credentials on a real database', () => {
  it('bootstraps one owner once', async () => {
    const first = await bootstrapOwner(t.db.prisma, { email: 'Owner@Example.test' })
    expect(first.created).toBe(true)
    expect(first.generatedPassword).toBeTruthy()
    expect(first.generatedApiKey).toMatch(/^ak_/)
    const again = await bootstrapOwner(t.db.prisma, {})
    expect(again).toMatchObject({ created: false, tenantId: first.tenantId })
    await expect(requireAuth(new Request('http://x/', { headers: { authorization: `Bearer ${first.generatedApiKey}` } }))).resolves.toMatchObject({ tenantId: first.tenantId, role: 'owner', via: 'apiKey' })
  })

  it('never reads across tenants', async () => {
    const a = await seedTenant(t.db.prisma, { name: 'A' })
    const b = await seedTenant(t.db.prisma, { name: 'B' })
    const wf = await forTenant(t.db.prisma, a.tenantId).workflow.create({ data: { tenantId: a.tenantId, name: 'secret flow' } })
    expect(await forTenant(t.db.prisma, b.tenantId).workflow.findUnique({ where: { id: wf.id } })).toBeNull()
    expect(await forTenant(t.db.prisma, b.tenantId).workflow.findMany()).toEqual([])
    const { count } = await forTenant(t.db.prisma, b.tenantId).workflow.updateMany({ where: { id: wf.id }, data: { name: 'pwned' } })
    expect(count).toBe(0)
    expect((await forTenant(t.db.prisma, a.tenantId).workflow.findUnique({ where: { id: wf.id } }))?.name).toBe('secret flow')
  })

  it('stores credentials encrypted and lists them without secrets', async () => {
    const a = await seedTenant(t.db.prisma)
    const b = await seedTenant(t.db.prisma)
    const store = getCredentialStore()
    const cred = await store.create(a.tenantId, { name: 'GitHub', kind: 'bearer', data: { token: 'ghp_supersecret' } })
    const row = await t.db.prisma.credential.findUniqueOrThrow({ where: { id: cred.id } })
    expect(row.secret).not.toContain('supersecret')
    expect(JSON.stringify(await store.list(a.tenantId))).not.toContain('supersecret')
    expect((await store.getDecrypted(a.tenantId, cred.id)).data.token).toBe('ghp_supersecret')
    await expect(store.getDecrypted(b.tenantId, cred.id)).rejects.toThrow(/not found/)
    await expect(store.create(a.tenantId, { name: 'x', kind: 'basicAuth', data: { username: 'u' } })).rejects.toMatchObject({ fields: { 'data.password': expect.any(String) } })
    await store.update(a.tenantId, cred.id, { data: { token: 'rotated' } })
    expect((await store.getDecrypted(a.tenantId, cred.id)).data.token).toBe('rotated')
  })
})
