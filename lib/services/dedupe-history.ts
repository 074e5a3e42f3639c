// Remove Duplicates' memory across runs, in PostgreSQL: one statement per page claims the page's new keys.
import type { PrismaClient } from '../db/generated/client'
import type { DedupeHistory } from '../nodes/remove-duplicates/history'

export function prismaDedupeHistory(prisma: PrismaClient): DedupeHistory {
  return {
    async claim({ tenantId, scope, executionId, hashes }) {
      if (hashes.length === 0) return new Set()
      // A conflicting row is "updated" (and so returned) only when this execution wrote it: its retries pass the
      // same items again, any other run sees the key as taken.
      const rows = await prisma.$queryRaw<{ hash: string }[]>`
        INSERT INTO "DedupeKey" ("tenantId", "scope", "hash", "executionId")
        SELECT ${tenantId}, ${scope}, h, ${executionId} FROM unnest(${hashes}::text[]) AS h
        ON CONFLICT ("tenantId", "scope", "hash") DO UPDATE SET "executionId" = EXCLUDED."executionId"
          WHERE "DedupeKey"."executionId" = EXCLUDED."executionId"
        RETURNING "hash"`
      return new Set(rows.map((r) => r.hash))
    },
    async trim({ tenantId, scope, keep }) {
      await prisma.$executeRaw`
        DELETE FROM "DedupeKey" WHERE "tenantId" = ${tenantId} AND "scope" = ${scope} AND "id" <= (
          SELECT "id" FROM "DedupeKey" WHERE "tenantId" = ${tenantId} AND "scope" = ${scope} ORDER BY "id" DESC OFFSET ${keep} LIMIT 1)`
    },
  }
}
