// The credentials vault over real PostgreSQL: envelope encryption bound to workspace, credential and version; legacy
// rows sealed by the master key; versions and restore; master key rotation; allowed hosts.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ENCRYPTION_KEY, addMember, seedTenant, useTestEnv, type SeededTenant } from '../../helpers/db'
import { call } from '../backbone/support'
import * as credentials from '../../../app/api/credentials/route'
import * as credential from '../../../app/api/credentials/[id]/route'
import * as versions from '../../../app/api/credentials/[id]/versions/route'
import * as restore from '../../../app/api/credentials/[id]/versions/[n]/restore/route'
import { getCredentialStore, getDecryptedCredential } from '../../../lib/credentials'
import { encrypt, keyId, parseKey } from '../../../lib/credentials/crypto'
import { rotateMasterKey } from '../../../lib/credentials/rotate'
import { keyringFromEnv } from '../../../lib/credentials/keyring'
import { openWithMaster } from '../../../lib/credentials/master-seal'
import { sealTokens, unsealTokens } from '../../../lib/credentials/oauth/seal'
import { Vault } from '../../../lib/credentials/vault'
import { sealSecret } from '../../../lib/auth/mfa'
import { assertCredentialHost, hostAllowed } from '../../../lib/credentials/hosts'
import { resetEnv } from '../../../lib/env'
import { closeAppServices } from '../../../lib/services/app'

let t: Awaited<ReturnType<typeof useTestEnv>>
let a: SeededTenant
let b: SeededTenant

beforeAll(async () => {
  t = await useTestEnv()
  a = await seedTenant(t.db.prisma, { name: 'A' })
  b = await seedTenant(t.db.prisma, { name: 'B' })
})
afterAll(async () => {
  await closeAppServices()
  await t.teardown()
})

async function create(tenant: SeededTenant, name: string, token: string, allowedHosts?: string[]): Promise<string> {
  const res = await call(credentials.POST, { method: 'POST', headers: tenant.headers, body: { name, kind: 'bearer', data: { token }, ...(allowedHosts && { allowedHosts }) } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json.id
}

const row = (id: string) => t.db.prisma.credential.findUniqueOrThrow({ where: { id } })
/** Decrypts as the worker does, with nothing cached from earlier reads. */
const decrypted = (tenantId: string, id: string) => {
  getCredentialStore().vault.clearCache()
  return getDecryptedCredential(tenantId, id)
}

describe('envelope encryption', () => {
  it('seals with a per-workspace data key wrapped by the master key, and opens again', async () => {
    const id = await create(a, 'Stripe', 'tok-envelope-1')
    const saved = await row(id)
    expect(saved.keyVersion).toBe(1)
    expect(saved.secret).not.toContain('tok-envelope-1')
    const key = await t.db.prisma.workspaceKey.findUniqueOrThrow({ where: { tenantId_version: { tenantId: a.tenantId, version: 1 } } })
    expect(key.masterKeyId).toBe(keyId(parseKey(TEST_ENCRYPTION_KEY)))
    // The data key is not the master key: the secret does not open with the master key alone.
    expect((await decrypted(a.tenantId, id)).data).toEqual({ token: 'tok-envelope-1' })
    expect(await t.db.prisma.workspaceKey.count({ where: { tenantId: a.tenantId } })).toBe(1)
  })

  it('refuses a ciphertext moved to another workspace, another credential or another version, with a clear error', async () => {
    const a1 = await create(a, 'A one', 'tok-a1')
    const a2 = await create(a, 'A two', 'tok-a2')
    const b1 = await create(b, 'B one', 'tok-b1')
    const [ra2, rb1] = [await row(a2), await row(b1)]

    // B's secret on A's row (both keyVersion 1: the data keys differ, and so does the bound workspace).
    await t.db.prisma.credential.update({ where: { id: a1 }, data: { secret: rb1.secret } })
    await expect(decrypted(a.tenantId, a1)).rejects.toThrow('Credential "A one" (' + a1 + ') could not be decrypted')
    // Another credential's secret of the same workspace, same data key: the credential id in the additional data differs.
    await t.db.prisma.credential.update({ where: { id: a1 }, data: { secret: ra2.secret } })
    await expect(decrypted(a.tenantId, a1)).rejects.toThrow(/could not be decrypted/)

    // An older version's ciphertext put back as the current one.
    await call(credential.PUT, { method: 'PUT', headers: a.headers, params: { id: a2 }, body: { data: { token: 'tok-a2-v2' } } })
    await t.db.prisma.credential.update({ where: { id: a2 }, data: { secret: ra2.secret } })
    await expect(decrypted(a.tenantId, a2)).rejects.toThrow(/could not be decrypted/)

    // A wrapped data key copied to the other workspace's key row does not unwrap there.
    const ka = await t.db.prisma.workspaceKey.findFirstOrThrow({ where: { tenantId: a.tenantId } })
    const kb = await t.db.prisma.workspaceKey.findFirstOrThrow({ where: { tenantId: b.tenantId } })
    await t.db.prisma.workspaceKey.update({ where: { id: kb.id }, data: { wrapped: ka.wrapped } })
    await expect(decrypted(b.tenantId, b1)).rejects.toThrow(/could not be decrypted/)
    await t.db.prisma.workspaceKey.update({ where: { id: kb.id }, data: { wrapped: kb.wrapped } })
    expect((await decrypted(b.tenantId, b1)).data.token).toBe('tok-b1')

    // The API answers with the error, naming the credential, not a crash or garbage; a good version still restores.
    await t.db.prisma.credentialVersion.updateMany({ where: { credentialId: a2, version: 1 }, data: { secret: rb1.secret } })
    const res = await call(restore.POST, { method: 'POST', headers: a.headers, params: { id: a2, n: '1' } })
    expect(res.status).toBe(500)
    expect(res.json.error).toMatchObject({ code: 'CREDENTIAL_UNREADABLE', message: `Credential "A two" (${a2}) could not be decrypted` })
    expect((await call(restore.POST, { method: 'POST', headers: a.headers, params: { id: a2, n: '2' } })).status).toBe(200)
    expect((await decrypted(a.tenantId, a2)).data.token).toBe('tok-a2-v2')
  })

  it('opens legacy rows sealed by the master key itself (keyVersion 0) and reseals them on their next save', async () => {
    const id = crypto.randomUUID()
    const secret = encrypt(JSON.stringify({ token: 'tok-legacy' }), parseKey(TEST_ENCRYPTION_KEY), `${a.tenantId}:${id}`)
    await t.db.prisma.credential.create({ data: { id, tenantId: a.tenantId, name: 'Old', kind: 'bearer', secret, keyVersion: 0, version: 1 } })
    await t.db.prisma.credentialVersion.create({ data: { tenantId: a.tenantId, credentialId: id, version: 1, secret, keyVersion: 0, name: 'Old' } })
    expect((await decrypted(a.tenantId, id)).data.token).toBe('tok-legacy')

    const res = await call(credential.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { name: 'Old, renamed' } })
    expect(res.status).toBe(200)
    const saved = await row(id)
    expect({ keyVersion: saved.keyVersion, version: saved.version, name: saved.name }).toEqual({ keyVersion: 1, version: 1, name: 'Old, renamed' })
    expect(saved.secret).not.toBe(secret)
    expect((await decrypted(a.tenantId, id)).data.token).toBe('tok-legacy')
    const v1 = await t.db.prisma.credentialVersion.findFirstOrThrow({ where: { credentialId: id, version: 1 } })
    expect(v1.keyVersion).toBe(1)
  })
})

describe('versions', () => {
  it('keeps every saved secret, lists versions without secrets, restores as a new version, and audits without data', async () => {
    const editor = await addMember(t.db.prisma, a, 'editor')
    const viewer = await addMember(t.db.prisma, a, 'viewer')
    const id = await create(a, 'Mailer', 'tok-ver-1', ['api.example.com'])
    await call(credential.PUT, { method: 'PUT', headers: editor.headers, params: { id }, body: { data: { token: 'tok-ver-2' } } })
    // A rename alone makes no version.
    await call(credential.PUT, { method: 'PUT', headers: editor.headers, params: { id }, body: { name: 'Mailer (prod)' } })
    // Allowed hosts are part of what a version restores.
    await call(credential.PUT, { method: 'PUT', headers: editor.headers, params: { id }, body: { allowedHosts: ['*.example.com'] } })
    expect((await row(id)).version).toBe(3)

    const listed = await call(versions.GET, { headers: viewer.headers, params: { id } })
    expect(listed.status).toBe(200)
    expect(listed.json.versions.map((v: any) => [v.version, v.name, v.allowedHosts, v.current])).toEqual([
      [3, 'Mailer (prod)', ['*.example.com'], true],
      [2, 'Mailer', ['api.example.com'], false],
      [1, 'Mailer', ['api.example.com'], false],
    ])
    expect(listed.json.versions[1].createdBy).toEqual({ id: editor.userId, email: expect.stringContaining('@example.test') })
    expect(JSON.stringify(listed.json)).not.toMatch(/tok-ver|secret/)

    expect((await call(restore.POST, { method: 'POST', headers: viewer.headers, params: { id, n: '1' } })).status).toBe(403)
    expect((await call(restore.POST, { method: 'POST', headers: editor.headers, params: { id, n: '9' } })).status).toBe(404)
    const bad = await call(restore.POST, { method: 'POST', headers: editor.headers, params: { id, n: 'x' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields).toHaveProperty('version')
    // Another workspace cannot restore (or see) A's versions.
    expect((await call(restore.POST, { method: 'POST', headers: b.headers, params: { id, n: '1' } })).status).toBe(404)
    expect((await call(versions.GET, { headers: b.headers, params: { id } })).status).toBe(404)

    const restored = await call(restore.POST, { method: 'POST', headers: editor.headers, params: { id, n: '1' } })
    expect(restored.status).toBe(200)
    expect(restored.json).toMatchObject({ version: 4, name: 'Mailer', allowedHosts: ['api.example.com'] })
    expect(JSON.stringify(restored.json)).not.toContain('tok-ver')
    expect((await decrypted(a.tenantId, id)).data.token).toBe('tok-ver-1')
    expect(await t.db.prisma.credentialVersion.count({ where: { credentialId: id } })).toBe(4)

    const audit = await t.db.prisma.auditLog.findMany({ where: { target: `credential:${id}` }, orderBy: { createdAt: 'asc' } })
    expect(audit.map((e) => [e.action, (e.data as any).version, e.actorId])).toEqual([
      ['credential.created', 1, expect.any(String)],
      ['credential.updated', 2, expect.any(String)],
      ['credential.updated', 2, expect.any(String)],
      ['credential.updated', 3, expect.any(String)],
      ['credential.restored', 4, expect.any(String)],
    ])
    expect(audit[4]).toMatchObject({ actorType: 'apiKey', tenantId: a.tenantId, outcome: 'success' })
    expect(JSON.stringify(audit)).not.toContain('tok-ver')

    const del = await call(credential.DELETE, { method: 'DELETE', headers: editor.headers, params: { id } })
    expect(del.status).toBe(204)
    expect(await t.db.prisma.credentialVersion.count({ where: { credentialId: id } })).toBe(0)
    expect(await t.db.prisma.auditLog.count({ where: { target: `credential:${id}`, action: 'credential.deleted' } })).toBe(1)
  })
})

describe('master key rotation', () => {
  it('re-wraps every workspace key under the new key in resumable batches, both keys working meanwhile; the old key alone fails after', async () => {
    const NEW_KEY = Buffer.alloc(32, 9).toString('base64')
    const c = await seedTenant(t.db.prisma, { name: 'C' })
    const ids: [SeededTenant, string, string][] = []
    for (const [tenant, n] of [[a, 1], [b, 2], [c, 3]] as const) ids.push([tenant, await create(tenant, `Rotated ${n}`, `tok-rotate-${n}`), `tok-rotate-${n}`])
    const legacyId = crypto.randomUUID()
    const legacySecret = encrypt(JSON.stringify({ token: 'tok-rotate-legacy' }), parseKey(TEST_ENCRYPTION_KEY), `${c.tenantId}:${legacyId}`)
    await t.db.prisma.credential.create({ data: { id: legacyId, tenantId: c.tenantId, name: 'Legacy', kind: 'bearer', secret: legacySecret, keyVersion: 0 } })
    await t.db.prisma.credentialVersion.create({ data: { tenantId: c.tenantId, credentialId: legacyId, version: 1, secret: legacySecret, keyVersion: 0, name: 'Legacy' } })
    ids.push([c, legacyId, 'tok-rotate-legacy'])
    // Secrets sealed outside credentials' own column: a user's TOTP secret (by the master key itself) and a
    // credential's OAuth2 tokens (by the workspace's data key).
    const totp = sealSecret(a.userId, 'JBSWY3DPEHPK3PXP')
    await t.db.prisma.user.update({ where: { id: a.userId }, data: { totpSecret: totp } })
    const oauthSealed = await sealTokens(new Vault(t.db.prisma, keyringFromEnv()), b.tenantId, ids[1][1], { accessToken: 'at-rotate', fingerprint: 'fp' })
    const expectAllOpen = async () => {
      for (const [tenant, id, token] of ids) expect((await decrypted(tenant.tenantId, id)).data.token).toBe(token)
      const user = await t.db.prisma.user.findUniqueOrThrow({ where: { id: a.userId } })
      expect(openWithMaster(keyringFromEnv(), user.totpSecret!, `totp:${a.userId}`)).toBe('JBSWY3DPEHPK3PXP')
      expect((await unsealTokens(new Vault(t.db.prisma, keyringFromEnv()), b.tenantId, ids[1][1], oauthSealed))?.accessToken).toBe('at-rotate')
    }
    const useKeys = (keys: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(keys)) if (v === undefined) delete process.env[k]
      else process.env[k] = v
      resetEnv()
    }

    // The processes accept the new key first; then the rotation is interrupted after one batch of one row.
    useKeys({ AUTERITY_ENCRYPTION_KEY_NEXT: NEW_KEY })
    const partial = await rotateMasterKey({ prisma: t.db.prisma, from: [TEST_ENCRYPTION_KEY], to: NEW_KEY, batchSize: 1, maxBatches: 1 })
    expect(partial.rewrapped).toBe(1)
    expect(partial.remaining).toBeGreaterThan(0)
    const newId = keyId(parseKey(NEW_KEY))
    expect(await t.db.prisma.workspaceKey.count({ where: { masterKeyId: newId } })).toBe(1)
    await expectAllOpen()
    expect(await t.db.prisma.auditLog.count({ where: { action: 'vault.key_rotated' } })).toBe(0)

    // Running the script again finishes it.
    const { stdout, code } = await runScript({ AUTERITY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, AUTERITY_ENCRYPTION_KEY_NEXT: NEW_KEY })
    expect(code, stdout).toBe(0)
    expect(stdout).toContain('2 workspace key(s) re-wrapped, 2 legacy secret(s) and 1 sign-in (TOTP) secret(s) resealed')
    expect(stdout).toContain('Set AUTERITY_ENCRYPTION_KEY to the value of AUTERITY_ENCRYPTION_KEY_NEXT')
    expect(await t.db.prisma.workspaceKey.count({ where: { masterKeyId: { not: newId } } })).toBe(0)
    expect(await t.db.prisma.credential.count({ where: { keyVersion: 0 } })).toBe(0)
    expect(await t.db.prisma.credentialVersion.count({ where: { keyVersion: 0 } })).toBe(0)
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: a.userId } })).totpSecret).toMatch(new RegExp(`^${newId}\\.`))
    const audited = await t.db.prisma.auditLog.findMany({ where: { action: 'vault.key_rotated' } })
    expect(audited.map((e) => e.tenantId).sort()).toEqual([a.tenantId, b.tenantId, c.tenantId].sort())
    expect(audited[0]).toMatchObject({ actorType: 'system', data: { to: newId } })

    // Only the new key configured: everything opens. Only the old one: nothing does, with the clear error.
    useKeys({ AUTERITY_ENCRYPTION_KEY: NEW_KEY, AUTERITY_ENCRYPTION_KEY_NEXT: undefined })
    await expectAllOpen()
    const created = await create(a, 'After rotation', 'tok-after')
    expect((await decrypted(a.tenantId, created)).data.token).toBe('tok-after')
    useKeys({ AUTERITY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY })
    await expect(decrypted(a.tenantId, ids[0][1])).rejects.toThrow(`Credential "Rotated 1" (${ids[0][1]}) could not be decrypted`)
    useKeys({ AUTERITY_ENCRYPTION_KEY: NEW_KEY })
  }, 60_000)
})

async function runScript(keys: Record<string, string>): Promise<{ stdout: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/rotate-key.ts'], {
    cwd: path.resolve(__dirname, '../../..'),
    env: { ...process.env, ...keys, AUTERITY_ENCRYPTION_KEY_PREVIOUS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stdout += d))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { stdout, code }
}

describe('allowed hosts', () => {
  it('are checked and normalized by the API, naming the bad entry, and match hosts, *.suffix and host:port', async () => {
    const bad = await call(credentials.POST, { method: 'POST', headers: a.headers, body: { name: 'x', kind: 'bearer', data: { token: 't' }, allowedHosts: ['ok.example.com', 'http://evil/'] } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.fields).toHaveProperty(['allowedHosts.1'])
    const id = await create(a, 'Hosts', 'tok-hosts', [' API.Example.com. ', '*.example.org', 'localhost:8443', ''])
    expect((await row(id)).allowedHosts).toEqual(['api.example.com', '*.example.org', 'localhost:8443'])

    const cred = await decrypted(a.tenantId, id)
    const verdict = (url: string) => {
      try {
        assertCredentialHost(cred, url)
        return 'sent'
      } catch (err) {
        return (err as Error).message
      }
    }
    expect(verdict('https://api.example.com/v1')).toBe('sent')
    expect(verdict('https://a.b.example.org/')).toBe('sent')
    expect(verdict('https://localhost:8443/x')).toBe('sent')
    expect(verdict('https://example.org/')).toBe('Credential "Hosts" may not be sent to example.org: it is limited to api.example.com, *.example.org, localhost:8443')
    expect(verdict('https://api.example.com.evil.net/')).toMatch(/may not be sent to api\.example\.com\.evil\.net/)
    expect(verdict('https://localhost:9999/')).toMatch(/may not be sent to localhost:9999/)
    expect(verdict('not a url')).toMatch(/may not be sent to not a url/)
    expect(hostAllowed([], new URL('https://anything.test'))).toBe(true)

    // Clearing the list lets it go anywhere again (and is a new version).
    await call(credential.PUT, { method: 'PUT', headers: a.headers, params: { id }, body: { allowedHosts: [] } })
    expect((await decrypted(a.tenantId, id)).allowedHosts).toEqual([])
    expect((await row(id)).version).toBe(2)
  })
})
