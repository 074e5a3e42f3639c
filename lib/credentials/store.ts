// The encrypted credential store. Plaintext exists only inside getDecryptedCredential's caller (the worker,
// for the step that uses it); lists and reads for the browser never include secrets.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { PrismaClient } from '../db/generated/client'
import { forTenant } from '../db/scope'
import type { CredentialData } from '../engine/types'
import { credentialKinds, isCredentialKind, type CredentialKind } from '../nodes/credential-kinds'
import { NotFoundError, ValidationError } from '../errors'
import { zodToValidationError } from '../http/route'
import { decrypt, encrypt } from './crypto'

export interface CredentialSummary {
  id: string
  name: string
  kind: CredentialKind
  version: number
  createdAt: Date
  updatedAt: Date
}

const summary = (row: { id: string; name: string; kind: string; version: number; createdAt: Date; updatedAt: Date }): CredentialSummary => ({
  id: row.id,
  name: row.name,
  kind: row.kind as CredentialKind,
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
})

function checkData(kind: string, data: unknown): Record<string, string> {
  if (!isCredentialKind(kind)) throw new ValidationError(`Unknown credential kind "${kind}"`, { kind: `must be one of ${Object.keys(credentialKinds).join(', ')}` })
  const parsed = credentialKinds[kind].schema.safeParse(data)
  if (!parsed.success) throw zodToValidationError(parsed.error, 'data')
  return parsed.data as Record<string, string>
}

// The row id binds the ciphertext to its row: a secret copied onto another row fails to decrypt.
const aad = (tenantId: string, id: string) => `${tenantId}:${id}`

export class CredentialStore {
  constructor(private readonly prisma: PrismaClient, private readonly key: Buffer) {}

  async list(tenantId: string): Promise<CredentialSummary[]> {
    const rows = await forTenant(this.prisma, tenantId).credential.findMany({ orderBy: { name: 'asc' } })
    return rows.map(summary)
  }

  async get(tenantId: string, id: string): Promise<CredentialSummary> {
    const row = await forTenant(this.prisma, tenantId).credential.findUnique({ where: { id } })
    if (!row) throw new NotFoundError('Credential')
    return summary(row)
  }

  async create(tenantId: string, input: { name: string; kind: string; data: unknown }): Promise<CredentialSummary> {
    const data = checkData(input.kind, input.data)
    // The id is chosen here so the ciphertext can be bound to it before the row exists.
    const id = randomUUID()
    const secret = encrypt(JSON.stringify(data), this.key, aad(tenantId, id))
    return summary(await forTenant(this.prisma, tenantId).credential.create({ data: { id, tenantId, name: input.name, kind: input.kind, secret } }))
  }

  async update(tenantId: string, id: string, input: { name?: string; data?: unknown }): Promise<CredentialSummary> {
    const db = forTenant(this.prisma, tenantId)
    const row = await db.credential.findUnique({ where: { id } })
    if (!row) throw new NotFoundError('Credential')
    const patch: { name?: string; secret?: string; version?: { increment: number } } = {}
    if (input.name !== undefined) patch.name = input.name
    if (input.data !== undefined) {
      patch.secret = encrypt(JSON.stringify(checkData(row.kind, input.data)), this.key, aad(tenantId, id))
      patch.version = { increment: 1 }
    }
    return summary(await db.credential.update({ where: { id }, data: patch }))
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const { count } = await forTenant(this.prisma, tenantId).credential.deleteMany({ where: { id } })
    if (!count) throw new NotFoundError('Credential')
  }

  /** Worker-only. */
  async getDecrypted(tenantId: string, id: string): Promise<CredentialData> {
    const row = await forTenant(this.prisma, tenantId).credential.findUnique({ where: { id } })
    if (!row) throw new NotFoundError(`Credential ${id}`)
    const data = JSON.parse(decrypt(row.secret, this.key, aad(tenantId, id))) as Record<string, string>
    return { id: row.id, kind: row.kind as CredentialKind, data }
  }
}

export const credentialInputSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(200),
  kind: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
})
export const credentialUpdateSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
})
