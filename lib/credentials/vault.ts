// Envelope encryption: each workspace has a data key (32 random bytes) stored in WorkspaceKey, wrapped by a master
// key; secrets are sealed with the data key. Rotating the master key then re-wraps one small row per workspace
// instead of resealing every secret. The additional data of every seal names what it belongs to, so a ciphertext
// copied to another workspace, key row, credential or version fails to open instead of decrypting as someone else's.
import { randomBytes, randomUUID } from 'node:crypto'
import type { PrismaClient } from '../db/generated/client'
import { decrypt, encrypt } from './crypto'
import type { Keyring, MasterKey } from './keyring'

/** Binds a wrapped data key to its workspace and its row. */
export const wrapAad = (row: { tenantId: string; version: number; id: string }) => `workspace-key:${row.tenantId}:${row.version}:${row.id}`

/** Binds a credential secret to its workspace, credential and version (keyVersion ≥ 1). */
export const secretAad = (tenantId: string, credentialId: string, version: number) => `${tenantId}:${credentialId}:${version}`

/** What secrets sealed directly by the master key (keyVersion 0, before envelope encryption) were bound to. */
export const legacyAad = (tenantId: string, credentialId: string) => `${tenantId}:${credentialId}`

/** Decrypted data keys held in memory: one row read per workspace per process, not per secret. */
const CACHE_SIZE = 1000

type KeyRow = { id: string; tenantId: string; version: number; wrapped: string; masterKeyId: string }

export class Vault {
  private readonly keys = new Map<string, Buffer>()
  private readonly current = new Map<string, number>()

  constructor(private readonly prisma: PrismaClient, readonly keyring: Keyring) {}

  /** Seals with the workspace's current data key (made on first use). `aad` comes from `bind(keyVersion)`. */
  async seal(tenantId: string, plaintext: string, bind: (keyVersion: number) => string): Promise<{ sealed: string; keyVersion: number }> {
    const { version, key } = await this.currentKey(tenantId)
    return { sealed: encrypt(plaintext, key, bind(version)), keyVersion: version }
  }

  /** Throws (a plain Error the caller turns into its own message) when the key, row or additional data do not match. */
  async open(tenantId: string, keyVersion: number, sealed: string, aad: string, legacy: string): Promise<string> {
    if (keyVersion === 0) return this.openLegacy(sealed, legacy)
    return decrypt(sealed, await this.keyFor(tenantId, keyVersion), aad)
  }

  /** keyVersion 0: sealed by a master key itself; the one in use then may be any this process still accepts. */
  openLegacy(sealed: string, aad: string): string {
    for (const k of this.keyring.all()) {
      try {
        return decrypt(sealed, k.key, aad)
      } catch {
        // the next key
      }
    }
    throw new Error('no master key opens this secret')
  }

  async currentKey(tenantId: string): Promise<{ version: number; key: Buffer }> {
    let version = this.current.get(tenantId)
    if (version === undefined) {
      const row = await this.prisma.workspaceKey.findFirst({ where: { tenantId }, orderBy: { version: 'desc' } })
      version = row ? (this.remember(row), row.version) : await this.createKey(tenantId)
      this.current.set(tenantId, version)
    }
    return { version, key: await this.keyFor(tenantId, version) }
  }

  async keyFor(tenantId: string, version: number): Promise<Buffer> {
    const cached = this.keys.get(`${tenantId}:${version}`)
    if (cached) return cached
    const row = await this.prisma.workspaceKey.findUnique({ where: { tenantId_version: { tenantId, version } } })
    if (!row) throw new Error(`workspace key ${version} does not exist`)
    return this.remember(row)
  }

  /** Forgets decrypted data keys (tests that swap master keys; a key row deleted by hand). */
  clearCache(): void {
    this.keys.clear()
    this.current.clear()
  }

  private remember(row: KeyRow): Buffer {
    const master = this.keyring.find(row.masterKeyId)
    if (!master) throw new Error(`the master key that wrapped workspace key ${row.version} (${row.masterKeyId}) is not configured`)
    const key = Buffer.from(decrypt(row.wrapped, master.key, wrapAad(row)), 'base64')
    if (this.keys.size >= CACHE_SIZE) this.keys.delete(this.keys.keys().next().value!)
    this.keys.set(`${row.tenantId}:${row.version}`, key)
    return key
  }

  /** The workspace's first data key. Two processes racing here: the unique (tenantId, version) keeps one. */
  private async createKey(tenantId: string): Promise<number> {
    const row = { id: randomUUID(), tenantId, version: 1 }
    try {
      await this.prisma.workspaceKey.create({ data: { ...row, ...wrapDataKey(randomBytes(32), row, this.keyring.wrapping) } })
    } catch (err) {
      if ((err as { code?: string }).code !== 'P2002') throw err
    }
    return 1
  }
}

export function wrapDataKey(dataKey: Buffer, row: { id: string; tenantId: string; version: number }, master: MasterKey): { wrapped: string; masterKeyId: string } {
  return { wrapped: encrypt(dataKey.toString('base64'), master.key, wrapAad(row)), masterKeyId: master.id }
}
