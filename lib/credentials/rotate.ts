// Master key rotation (scripts/rotate-key.ts): re-wraps every workspace's data key under the new master key, and
// reseals the legacy secrets that the old key sealed directly (keyVersion 0) with their workspace's data key. Secrets
// sealed with data keys are not touched: that is what envelope encryption buys. Row by row, in batches, each update
// conditional on the row still being as read, so it runs beside live processes (which accept both keys meanwhile, see
// keyring.ts) and an interrupted run is finished by running it again.
import type { PrismaClient } from '../db/generated/client'
import { recordAudit } from '../audit'
import { decrypt } from './crypto'
import { Keyring } from './keyring'
import { openWithMaster, sealWithMaster } from './master-seal'
import { Vault, legacyAad, secretAad, wrapAad, wrapDataKey } from './vault'

export interface RotateOptions {
  prisma: PrismaClient
  /** The key being rotated away from (and any other still accepted, e.g. a PREVIOUS left from an earlier rotation). */
  from: string[]
  /** The key being rotated to. */
  to: string
  batchSize?: number
  /** Stop after this many batches (tests interrupt a rotation with it). */
  maxBatches?: number
  log?: (line: string) => void
}

export interface RotateResult {
  from: string[]
  to: string
  rewrapped: number
  resealed: number
  /** Users' TOTP secrets resealed under the new key. */
  userSecrets: number
  /** Rows still to do (only when stopped by maxBatches). */
  remaining: number
  workspaces: number
}

export async function rotateMasterKey(opts: RotateOptions): Promise<RotateResult> {
  const { prisma } = opts
  const keyring = new Keyring({ primary: opts.to, others: opts.from })
  const [to, ...from] = keyring.all()
  if (from.length === 0) throw new Error('the new master key is the same as the old one')
  const vault = new Vault(prisma, keyring)
  const size = opts.batchSize ?? 100
  const log = opts.log ?? (() => {})
  let batches = 0
  const more = () => opts.maxBatches === undefined || batches < opts.maxBatches
  const touched = new Set<string>()
  let rewrapped = 0
  let resealed = 0
  let userSecrets = 0

  while (more()) {
    const rows = await prisma.workspaceKey.findMany({ where: { masterKeyId: { not: to.id } }, orderBy: { id: 'asc' }, take: size })
    if (rows.length === 0) break
    batches++
    for (const row of rows) {
      const old = keyring.find(row.masterKeyId)
      if (!old) throw new Error(`workspace key ${row.id} (workspace ${row.tenantId}) is wrapped by master key ${row.masterKeyId}, which is neither the old nor the new key given`)
      const dataKey = Buffer.from(decrypt(row.wrapped, old.key, wrapAad(row)), 'base64')
      const { count } = await prisma.workspaceKey.updateMany({ where: { id: row.id, masterKeyId: row.masterKeyId }, data: wrapDataKey(dataKey, row, to) })
      rewrapped += count
      touched.add(row.tenantId)
    }
    log(`re-wrapped ${rewrapped} workspace key(s)`)
  }

  // Legacy secrets: version rows first (each bound to its own version), then the credentials' current secrets.
  while (more()) {
    const rows = await prisma.credentialVersion.findMany({ where: { keyVersion: 0 }, orderBy: { id: 'asc' }, take: size })
    if (rows.length === 0) break
    batches++
    for (const row of rows) {
      const { sealed, keyVersion } = await vault.seal(row.tenantId, vault.openLegacy(row.secret, legacyAad(row.tenantId, row.credentialId)), () => secretAad(row.tenantId, row.credentialId, row.version))
      const { count } = await prisma.credentialVersion.updateMany({ where: { id: row.id, keyVersion: 0 }, data: { secret: sealed, keyVersion } })
      resealed += count
      touched.add(row.tenantId)
    }
    log(`resealed ${resealed} legacy secret(s)`)
  }
  while (more()) {
    const rows = await prisma.credential.findMany({ where: { keyVersion: 0 }, orderBy: { id: 'asc' }, take: size })
    if (rows.length === 0) break
    batches++
    for (const row of rows) {
      const { sealed, keyVersion } = await vault.seal(row.tenantId, vault.openLegacy(row.secret, legacyAad(row.tenantId, row.id)), () => secretAad(row.tenantId, row.id, row.version))
      const { count } = await prisma.credential.updateMany({ where: { id: row.id, keyVersion: 0, version: row.version }, data: { secret: sealed, keyVersion } })
      resealed += count
      touched.add(row.tenantId)
    }
    log(`resealed ${resealed} legacy secret(s)`)
  }

  // Users' TOTP secrets, sealed by a master key itself (lib/credentials/master-seal.ts).
  const staleTotp = { totpSecret: { not: null }, NOT: { totpSecret: { startsWith: `${to.id}.` } } }
  while (more()) {
    const rows = await prisma.user.findMany({ where: staleTotp, orderBy: { id: 'asc' }, take: size, select: { id: true, totpSecret: true } })
    if (rows.length === 0) break
    batches++
    for (const row of rows) {
      const aad = `totp:${row.id}`
      const secret = sealWithMaster(to, openWithMaster(keyring, row.totpSecret!, aad), aad)
      const { count } = await prisma.user.updateMany({ where: { id: row.id, totpSecret: row.totpSecret }, data: { totpSecret: secret } })
      userSecrets += count
    }
    log(`resealed ${userSecrets} sign-in secret(s)`)
  }

  const remaining =
    (await prisma.user.count({ where: staleTotp })) +
    (await prisma.workspaceKey.count({ where: { masterKeyId: { not: to.id } } })) +
    (await prisma.credentialVersion.count({ where: { keyVersion: 0 } })) +
    (await prisma.credential.count({ where: { keyVersion: 0 } }))
  if (remaining === 0) {
    // Every workspace is now under the new key: each workspace's log says so (touched or not in this run).
    const tenants = await prisma.workspaceKey.findMany({ distinct: ['tenantId'], select: { tenantId: true } })
    for (const { tenantId } of tenants) {
      await recordAudit(prisma, {
        tenantId,
        actor: { type: 'system', label: 'npm run rotate-key' },
        action: 'vault.key_rotated',
        target: `workspace:${tenantId}`,
        data: { from: from.map((k) => k.id), to: to.id, resealedHere: touched.has(tenantId) },
      })
    }
  }
  return { from: from.map((k) => k.id), to: to.id, rewrapped, resealed, userSecrets, remaining, workspaces: touched.size }
}
