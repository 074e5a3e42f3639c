// File metadata: who owns a file and where its bytes are. PostgreSQL in the processes (pg-index.ts); a Map in tests
// that run the engine without a database.

export interface FileRecord {
  id: string
  tenantId: string
  /** Null for files not (yet) part of a run: uploads waiting for their execution, "test this step" output, and
   * files whose execution was deleted (the sweep removes those). */
  executionId: string | null
  name: string
  mimeType: string
  size: number
  sha256: string
  storageKey: string
  createdAt: Date
  /** Files without an execution live until then; null: as long as their execution. */
  expiresAt: Date | null
}

export interface FileIndex {
  insert(record: FileRecord): Promise<void>
  get(tenantId: string, id: string): Promise<FileRecord | undefined>
  /** Hands waiting uploads to the execution they started (only the tenant's own, only unattached ones). */
  attach(tenantId: string, ids: string[], executionId: string): Promise<void>
  ofExecutions(tenantId: string, executionIds: string[]): Promise<Pick<FileRecord, 'id' | 'storageKey'>[]>
  /** The tenant's rows among these ids (others' ids are left out). */
  byIds(tenantId: string, ids: string[]): Promise<Pick<FileRecord, 'id' | 'storageKey'>[]>
  /** Files nobody needs any more: no execution, and expired or never meant to outlive one. */
  removable(limit: number, now: Date): Promise<Pick<FileRecord, 'id' | 'storageKey'>[]>
  remove(ids: string[]): Promise<void>
}

export class MemoryFileIndex implements FileIndex {
  readonly records = new Map<string, FileRecord>()
  async insert(record: FileRecord) {
    this.records.set(record.id, { ...record })
  }
  async get(tenantId: string, id: string) {
    const r = this.records.get(id)
    return r && r.tenantId === tenantId ? { ...r } : undefined
  }
  async attach(tenantId: string, ids: string[], executionId: string) {
    for (const id of ids) {
      const r = this.records.get(id)
      if (r && r.tenantId === tenantId && r.executionId === null) Object.assign(r, { executionId, expiresAt: null })
    }
  }
  async ofExecutions(tenantId: string, executionIds: string[]) {
    return [...this.records.values()].filter((r) => r.tenantId === tenantId && r.executionId !== null && executionIds.includes(r.executionId))
  }
  async byIds(tenantId: string, ids: string[]) {
    return ids.flatMap((id) => {
      const r = this.records.get(id)
      return r && r.tenantId === tenantId ? [r] : []
    })
  }
  async removable(limit: number, now: Date) {
    return [...this.records.values()].filter((r) => r.executionId === null && (r.expiresAt === null || r.expiresAt < now)).slice(0, limit)
  }
  async remove(ids: string[]) {
    for (const id of ids) this.records.delete(id)
  }
}
