// Backup and restore on real servers: an embedded PostgreSQL 18 in a temporary data folder (no pg_dump: the online
// physical copy), the app's own stores for a workflow and an encrypted credential, a restore into a fresh folder, a
// server started on it, the workflow run by a real worker runtime against the restored database, and the credential
// decrypted with the restored key. Then the refusals, each leaving the target folder exactly as it was.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateApiKey } from '@/lib/auth/api-keys'
import { Keyring } from '@/lib/credentials/keyring'
import { CredentialStore } from '@/lib/credentials/store'
import { Vault } from '@/lib/credentials/vault'
import { createTenantWithOwner } from '@/lib/db/bootstrap'
import { createPrisma, type PrismaClient } from '@/lib/db/client'
import { migrate } from '@/lib/db/migrate'
import { APP_DATABASE, createBackup } from '@/lib/infra/backup/create'
import { restoreBackup } from '@/lib/infra/backup/restore'
import { ensureDatabase, startEmbeddedPostgres, tmpDataDir, withDatabase, type RunningPostgres } from '@/lib/infra/postgres'
import { loadOrCreateSecrets } from '@/lib/infra/secrets'
import { nodeRegistry } from '@/lib/nodes/registry'
import { createExecutionQueue } from '@/lib/queue'
import { noopEmitter } from '@/lib/realtime/emitter'
import { createRedis, redisConnection } from '@/lib/redis'
import { runWorkflowNow } from '@/lib/services/executions'
import { startWorkerRuntime } from '@/workers/runtime/worker-runtime'
import { createTestRedisPrefix, testRedisUrl } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'
import { waitForStatus } from '../backbone/support'

const storeOf = (prisma: PrismaClient, key: string) => new CredentialStore(prisma, new Vault(prisma, new Keyring({ primary: key })))
const graph = {
  nodes: [
    { id: 'trigger', type: 'manual-trigger', name: 'Trigger', params: {} },
    { id: 'set', type: 'set', name: 'Set', params: { fields: [{ name: 'greeting', value: 'hello {{ $json.who }}', type: 'auto' }], keepOtherFields: true } },
  ],
  edges: [{ source: 'trigger', target: 'set' }],
  notes: [],
}

/** Every path under `dir` with its size and modification time: what "untouched" is checked against. */
function snapshot(dir: string): string[] {
  if (!fs.existsSync(dir)) return ['(absent)']
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      const st = fs.statSync(p)
      out.push(`${path.relative(dir, p)} ${e.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`)
      if (e.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out.sort()
}

let source: RunningPostgres
let sourceDir: string
let sourcePrisma: PrismaClient
let key: string
let seeded: { tenantId: string; workflowId: string; credentialId: string }
let archive: string
const dirs: string[] = []
const newDir = (prefix: string) => {
  const d = tmpDataDir(prefix)
  dirs.push(d)
  return d
}

beforeAll(async () => {
  sourceDir = newDir('auterity-backup-src-')
  source = await startEmbeddedPostgres(sourceDir)
  await ensureDatabase(source.adminUrl, APP_DATABASE)
  const url = withDatabase(source.adminUrl, APP_DATABASE)
  await migrate(url)
  key = loadOrCreateSecrets(sourceDir).encryptionKey
  sourcePrisma = createPrisma(url, { max: 2 })
  const { tenantId, userId } = await createTenantWithOwner(sourcePrisma, { tenantName: 'Backed up', email: 'owner@example.test', password: 'correct horse battery staple', apiKey: generateApiKey() })
  const wf = await sourcePrisma.workflow.create({ data: { tenantId, name: 'Greeter', currentVersion: 1 } })
  await sourcePrisma.workflowVersion.create({ data: { tenantId, workflowId: wf.id, number: 1, graph, authorId: userId } })
  const cred = await storeOf(sourcePrisma, key).create(tenantId, { name: 'API', kind: 'bearer', data: { token: 'tok_kept_secret' } })
  seeded = { tenantId, workflowId: wf.id, credentialId: cred.id }

  archive = path.join(newDir('auterity-backup-out-'), 'backup.tar.gz')
  // Taken while the server runs, as `npm run backup` beside `npm start` does.
  const r = await createBackup({ out: archive, dataDir: sourceDir, encryptionKey: key, keyFromEnvironment: false })
  expect(r.manifest).toMatchObject({ method: 'physical', encryption: { secretsIncluded: true } })
  expect(r.keyWarning).toMatch(/CONTAINS the encryption key/)
}, 120_000)

afterAll(async () => {
  await sourcePrisma?.$disconnect()
  await source?.stop()
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
})

describe('backup and restore of the embedded database', () => {
  it('restores into a fresh folder where the workflow runs and the credential decrypts', async () => {
    // An empty folder (as root the embedded server runs as `postgres`, which must reach it: tmpDataDir's is 0755).
    const target = newDir('auterity-restore-')
    // A row written after the backup must not be in the restore: the copy is of its moment.
    await sourcePrisma.workflow.create({ data: { tenantId: seeded.tenantId, name: 'After the backup' } })
    const { manifest } = await restoreBackup({ archive, dataDir: target, envKeys: [] })
    expect(manifest.migrations.map((m) => m.name)).toContain('0001_init')
    expect(JSON.parse(fs.readFileSync(path.join(target, 'secrets.json'), 'utf8')).encryptionKey).toBe(key)

    const restored = await startEmbeddedPostgres(target)
    const prisma = createPrisma(withDatabase(restored.adminUrl, APP_DATABASE), { max: 5 })
    const redisPrefix = createTestRedisPrefix()
    const queue = createExecutionQueue({ connection: redisConnection(testRedisUrl()), prefix: redisPrefix.prefix })
    const redis = createRedis(testRedisUrl())
    const restoredKey = loadOrCreateSecrets(target).encryptionKey
    const store = storeOf(prisma, restoredKey)
    const worker = await startWorkerRuntime({
      prisma, redisUrl: testRedisUrl(), queuePrefix: redisPrefix.prefix, registry: nodeRegistry,
      getCredential: (tenantId, id) => store.getDecrypted(tenantId, id), services: offlineHostServices(),
    })
    try {
      expect((await prisma.workflow.findMany({ select: { name: true } })).map((w) => w.name)).toEqual(['Greeter'])
      const { executionId } = await runWorkflowNow({ prisma, queue, emitter: noopEmitter, redis }, seeded.tenantId, seeded.workflowId, { input: [{ who: 'restore' }] })
      const done = await waitForStatus(prisma, executionId, ['succeeded', 'failed'])
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
      const step = await prisma.stepRun.findFirstOrThrow({ where: { executionId, nodeId: 'set' } })
      expect(JSON.stringify(step.output)).toContain('hello restore')
      expect((await store.getDecrypted(seeded.tenantId, seeded.credentialId)).data).toEqual({ token: 'tok_kept_secret' })
    } finally {
      await worker.close()
      await queue.close()
      redis.disconnect()
      await prisma.$disconnect()
      await restored.stop()
      await redisPrefix.cleanup()
    }
  }, 120_000)

  describe('refusals leave the target as it was', () => {
    let target: string
    let before: string[]
    beforeAll(async () => {
      // An existing, restored data folder: refusals must not move it aside even with force.
      target = newDir('auterity-refuse-')
      await restoreBackup({ archive, dataDir: target, envKeys: [] })
      before = snapshot(target)
    }, 60_000)

    it('refuses an existing folder without --force', async () => {
      await expect(restoreBackup({ archive, dataDir: target, envKeys: [] })).rejects.toThrow(/already exist.*--force/)
      expect(snapshot(target)).toEqual(before)
    })

    it.each([
      ['a damaged byte', (buf: Buffer) => { const b = Buffer.from(buf); for (let i = 0; i < 64; i++) b[Math.floor(b.length / 2) + i] ^= 0xff; return b }],
      ['a truncated file', (buf: Buffer) => buf.subarray(0, Math.floor(buf.length * 0.6))],
    ])('refuses an archive with %s', async (_label, damage) => {
      const bad = path.join(path.dirname(archive), `bad-${Math.random().toString(36).slice(2)}.tar.gz`)
      fs.writeFileSync(bad, damage(fs.readFileSync(archive)))
      await expect(restoreBackup({ archive: bad, dataDir: target, envKeys: [], force: true })).rejects.toThrow(/refusing to restore: the archive is corrupt/)
      expect(snapshot(target)).toEqual(before)
      expect(fs.readdirSync(path.dirname(target)).filter((n) => n.includes('.restoring-'))).toEqual([])
    })

    it('refuses a backup from a newer schema than this code knows', async () => {
      await sourcePrisma.$executeRawUnsafe(`INSERT INTO _auterity_migrations (name, checksum) VALUES ('9999_from_the_future', 'x')`)
      const newer = path.join(path.dirname(archive), 'newer.tar.gz')
      try {
        await createBackup({ out: newer, dataDir: sourceDir, encryptionKey: key, keyFromEnvironment: false })
      } finally {
        await sourcePrisma.$executeRawUnsafe(`DELETE FROM _auterity_migrations WHERE name = '9999_from_the_future'`)
      }
      await expect(restoreBackup({ archive: newer, dataDir: target, envKeys: [], force: true })).rejects.toThrow(/newer schema.*9999_from_the_future/)
      expect(snapshot(target)).toEqual(before)
    }, 60_000)

    it('refuses an archive without the key when the environment has none or another one', async () => {
      // As under compose or Kubernetes: the key comes from the environment and is not written into the archive.
      const keyless = path.join(path.dirname(archive), 'keyless.tar.gz')
      const r = await createBackup({ out: keyless, dataDir: sourceDir, encryptionKey: key, keyFromEnvironment: true })
      expect(r.manifest.encryption).toMatchObject({ secretsIncluded: false, requiredKeyIds: [expect.stringMatching(/^[0-9a-f]{16}$/)] })
      expect(r.keyWarning).toMatch(/does NOT contain the encryption key/)
      await expect(restoreBackup({ archive: keyless, dataDir: target, envKeys: [], force: true })).rejects.toThrow(new RegExp(`fingerprint ${r.manifest.encryption.requiredKeyIds[0]}.*AUTERITY_ENCRYPTION_KEY is not set`))
      const other = Buffer.alloc(32, 9).toString('base64')
      await expect(restoreBackup({ archive: keyless, dataDir: target, envKeys: [other], force: true })).rejects.toThrow(/does not match/)
      expect(snapshot(target)).toEqual(before)

      // With the right key it goes through, and --force keeps the replaced folder's data aside.
      const ok = await restoreBackup({ archive: keyless, dataDir: target, envKeys: [key], force: true })
      expect(fs.readdirSync(ok.setAside!).sort()).toEqual(['postgres', 'secrets.json'])
      expect(fs.existsSync(path.join(target, 'secrets.json'))).toBe(false)
      expect(fs.existsSync(path.join(target, 'postgres', 'PG_VERSION'))).toBe(true)
    }, 60_000)
  })
})
