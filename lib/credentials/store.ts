// The encrypted credential store. Plaintext exists only inside getDecryptedCredential's caller (the worker,
// for the step that uses it); lists, reads and version lists for the browser never include secrets.
// Every save of a secret (create, data or allowed-hosts change, restore) appends a CredentialVersion sealed for that
// version; Credential.secret is the current version's ciphertext. Changes are audited without their data.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import type { CredentialData } from '../engine/types'
import { credentialKinds, isCredentialKind, type CredentialKind } from '../nodes/credential-kinds'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors'
import { zodToValidationError } from '../http/route'
import { recordAudit, type AuditActor, type AuditAction } from '../audit'
import { allowedHostsSchema } from './hosts'
import { legacyAad, secretAad, type Vault } from './vault'

export interface CredentialSummary {
  id: string
  name: string
  kind: CredentialKind
  version: number
  allowedHosts: string[]
  createdAt: Date
  updatedAt: Date
}

export interface CredentialVersionSummary {
  version: number
  name: string
  allowedHosts: string[]
  createdAt: Date
  /** Who saved it (null: before versions were kept, or by a process rather than a person). */
  createdBy: { id: string; email: string | null } | null
  current: boolean
}

/** Who is saving, for the version row and the audit log. */
export interface Saver {
  actor: AuditActor
  /** The signed-in user, or the user who owns the API key. */
  userId?: string | null
  ip?: string | null
}

const SYSTEM: Saver = { actor: { type: 'system' } }

type Row = { id: string; tenantId: string; name: string; kind: string; version: number; allowedHosts: string[]; secret: string; keyVersion: number; createdAt: Date; updatedAt: Date }

const summary = (row: Row): CredentialSummary => ({
  id: row.id,
  name: row.name,
  kind: row.kind as CredentialKind,
  version: row.version,
  allowedHosts: row.allowedHosts,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

/** A secret that does not open: wrong workspace, row or version, a tampered value, or a master key no longer set. */
export class CredentialDecryptError extends AppError {
  constructor(id: string, name?: string) {
    super(500, 'CREDENTIAL_UNREADABLE', `Credential ${name ? `"${name}" (${id})` : id} could not be decrypted`)
  }
}

function checkData(kind: string, data: unknown): Record<string, string> {
  if (!isCredentialKind(kind)) throw new ValidationError(`Unknown credential kind "${kind}"`, { kind: `must be one of ${Object.keys(credentialKinds).join(', ')}` })
  const parsed = credentialKinds[kind].schema.safeParse(data)
  if (!parsed.success) throw zodToValidationError(parsed.error, 'data')
  return parsed.data as Record<string, string>
}

export class CredentialStore {
  constructor(private readonly prisma: PrismaClient, readonly vault: Vault) {}

  async list(tenantId: string): Promise<CredentialSummary[]> {
    const rows = await forTenant(this.prisma, tenantId).credential.findMany({ orderBy: { name: 'asc' } })
    return rows.map(summary)
  }

  async get(tenantId: string, id: string): Promise<CredentialSummary> {
    return summary(await this.row(tenantId, id))
  }

  async create(tenantId: string, input: { name: string; kind: string; data: unknown; allowedHosts?: string[] }, by: Saver = SYSTEM): Promise<CredentialSummary> {
    const data = checkData(input.kind, input.data)
    // The id is chosen here so the ciphertext can be bound to it before the row exists.
    const id = randomUUID()
    const allowedHosts = input.allowedHosts ?? []
    const { sealed, keyVersion } = await this.seal(tenantId, id, 1, data)
    const row = await forTenant(this.prisma, tenantId).$transaction(async (tx) => {
      const created = await tx.credential.create({ data: { id, tenantId, name: input.name, kind: input.kind, secret: sealed, keyVersion, version: 1, allowedHosts, createdById: by.userId ?? null } })
      await tx.credentialVersion.create({ data: { tenantId, credentialId: id, version: 1, secret: sealed, keyVersion, name: input.name, allowedHosts, createdById: by.userId ?? null } })
      return created
    })
    await this.audit(tenantId, by, 'credential.created', row, { kind: row.kind })
    return summary(row)
  }

  /** A new version when the data or the allowed hosts change; a rename alone changes only the name. */
  async update(tenantId: string, id: string, input: { name?: string; data?: unknown; allowedHosts?: string[] }, by: Saver = SYSTEM): Promise<CredentialSummary> {
    const row = await this.row(tenantId, id)
    const hostsChanged = input.allowedHosts !== undefined && input.allowedHosts.join('\n') !== row.allowedHosts.join('\n')
    const nameChanged = input.name !== undefined && input.name !== row.name
    if (input.data === undefined && !hostsChanged) {
      if (!nameChanged && row.keyVersion !== 0) return summary(row)
      // A legacy row (sealed by the master key itself) is resealed with the data key on its next save, in place.
      const patch: { name?: string; secret?: string; keyVersion?: number } = nameChanged ? { name: input.name } : {}
      if (row.keyVersion === 0) Object.assign(patch, await this.reseal(row))
      const saved = await this.save(row, patch)
      if (nameChanged) await this.audit(tenantId, by, 'credential.updated', saved, { fields: ['name'] })
      return summary(saved)
    }
    const data = input.data !== undefined ? checkData(row.kind, input.data) : await this.plaintext(row)
    const fields = [...(nameChanged ? ['name'] : []), ...(input.data !== undefined ? ['data'] : []), ...(hostsChanged ? ['allowedHosts'] : [])]
    const saved = await this.appendVersion(row, data, { name: input.name ?? row.name, allowedHosts: input.allowedHosts ?? row.allowedHosts }, by)
    await this.audit(tenantId, by, 'credential.updated', saved, { fields })
    return summary(saved)
  }

  async delete(tenantId: string, id: string, by: Saver = SYSTEM): Promise<void> {
    const row = await this.row(tenantId, id)
    const { count } = await forTenant(this.prisma, tenantId).credential.deleteMany({ where: { id } })
    if (!count) throw new NotFoundError('Credential')
    await this.audit(tenantId, by, 'credential.deleted', row, {})
  }

  async versions(tenantId: string, id: string): Promise<CredentialVersionSummary[]> {
    const row = await this.row(tenantId, id)
    const versions = await forTenant(this.prisma, tenantId).credentialVersion.findMany({
      where: { credentialId: id },
      orderBy: { version: 'desc' },
      select: { version: true, name: true, allowedHosts: true, createdAt: true, createdById: true },
    })
    const userIds = [...new Set(versions.map((v) => v.createdById).filter((u): u is string => u !== null))]
    const users = new Map((await this.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })).map((u) => [u.id, u]))
    return versions.map((v) => ({
      version: v.version,
      name: v.name,
      allowedHosts: v.allowedHosts,
      createdAt: v.createdAt,
      createdBy: v.createdById ? { id: v.createdById, email: users.get(v.createdById)?.email ?? null } : null,
      current: v.version === row.version,
    }))
  }

  /** Makes a new version with version `n`'s data, name and allowed hosts; `n` itself stays as it was. */
  async restore(tenantId: string, id: string, n: number, by: Saver = SYSTEM): Promise<CredentialSummary> {
    const row = await this.row(tenantId, id)
    const old = await forTenant(this.prisma, tenantId).credentialVersion.findUnique({ where: { credentialId_version: { credentialId: id, version: n } } })
    if (!old) throw new NotFoundError(`Version ${n} of credential ${id}`)
    const data = await this.open(tenantId, id, old.version, old.keyVersion, old.secret, row.name)
    const saved = await this.appendVersion(row, data, { name: old.name, allowedHosts: old.allowedHosts }, by)
    await this.audit(tenantId, by, 'credential.restored', saved, { restoredFrom: n })
    return summary(saved)
  }

  /** Worker-only. */
  async getDecrypted(tenantId: string, id: string): Promise<CredentialData> {
    const row = await forTenant(this.prisma, tenantId).credential.findUnique({ where: { id } })
    if (!row) throw new NotFoundError(`Credential ${id}`)
    const data = await this.plaintext(row)
    return { id: row.id, name: row.name, kind: row.kind as CredentialKind, data, allowedHosts: row.allowedHosts }
  }

  private async row(tenantId: string, id: string): Promise<Row> {
    const row = await forTenant(this.prisma, tenantId).credential.findUnique({ where: { id } })
    if (!row) throw new NotFoundError('Credential')
    return row
  }

  private plaintext(row: Row): Promise<Record<string, string>> {
    return this.open(row.tenantId, row.id, row.version, row.keyVersion, row.secret, row.name)
  }

  private async open(tenantId: string, id: string, version: number, keyVersion: number, sealed: string, name: string): Promise<Record<string, string>> {
    try {
      return JSON.parse(await this.vault.open(tenantId, keyVersion, sealed, secretAad(tenantId, id, version), legacyAad(tenantId, id))) as Record<string, string>
    } catch {
      // Which check failed (key, tag, additional data) is not said: it would only help someone probing.
      throw new CredentialDecryptError(id, name)
    }
  }

  private seal(tenantId: string, id: string, version: number, data: Record<string, string>) {
    return this.vault.seal(tenantId, JSON.stringify(data), () => secretAad(tenantId, id, version))
  }

  /** A legacy row's current secret sealed with the data key, for the same version (and its version row). */
  private async reseal(row: Row): Promise<{ secret: string; keyVersion: number }> {
    const { sealed, keyVersion } = await this.seal(row.tenantId, row.id, row.version, await this.plaintext(row))
    return { secret: sealed, keyVersion }
  }

  /** Writes `patch` if nobody saved the row since it was read (the version is the check); resealed version rows too. */
  private async save(row: Row, patch: { name?: string; secret?: string; keyVersion?: number }): Promise<Row> {
    const db = forTenant(this.prisma, row.tenantId)
    return db.$transaction(async (tx) => {
      const { count } = await tx.credential.updateMany({ where: { id: row.id, version: row.version }, data: patch })
      if (!count) throw new ConflictError(`Credential ${row.id} was changed by someone else; reload and try again`)
      if (patch.secret !== undefined) {
        await tx.credentialVersion.updateMany({ where: { credentialId: row.id, version: row.version }, data: { secret: patch.secret, keyVersion: patch.keyVersion } })
      }
      return (await tx.credential.findUnique({ where: { id: row.id } }))!
    })
  }

  private async appendVersion(row: Row, data: Record<string, string>, meta: { name: string; allowedHosts: string[] }, by: Saver): Promise<Row> {
    const version = row.version + 1
    const { sealed, keyVersion } = await this.seal(row.tenantId, row.id, version, data)
    const db = forTenant(this.prisma, row.tenantId)
    return db.$transaction(async (tx) => {
      const { count } = await tx.credential.updateMany({
        where: { id: row.id, version: row.version },
        data: { secret: sealed, keyVersion, version, name: meta.name, allowedHosts: meta.allowedHosts },
      })
      if (!count) throw new ConflictError(`Credential ${row.id} was changed by someone else; reload and try again`)
      await tx.credentialVersion.create({
        data: { tenantId: row.tenantId, credentialId: row.id, version, secret: sealed, keyVersion, name: meta.name, allowedHosts: meta.allowedHosts, createdById: by.userId ?? null },
      })
      return (await tx.credential.findUnique({ where: { id: row.id } }))!
    })
  }

  private audit(tenantId: string, by: Saver, action: AuditAction, row: Row, data: Record<string, unknown>): Promise<void> {
    return recordAudit(this.prisma, { tenantId, actor: by.actor, action, target: `credential:${row.id}`, ip: by.ip, data: { name: row.name, version: row.version, ...data } })
  }
}

export const credentialInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  kind: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  allowedHosts: allowedHostsSchema.optional(),
})
export const credentialUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  allowedHosts: allowedHostsSchema.optional(),
})
