// File metadata in PostgreSQL (the File table, prisma/schema/files.prisma).
import type { PrismaClient } from '../db/generated/client'
import type { FileIndex, FileRecord } from './index-store'

type Row = Omit<FileRecord, 'size'> & { size: bigint }

const fromRow = (r: Row): FileRecord => ({ ...r, size: Number(r.size) })

export function prismaFileIndex(prisma: PrismaClient): FileIndex {
  return {
    async insert(r) {
      await prisma.file.create({ data: { ...r, size: BigInt(r.size) } })
    },
    async get(tenantId, id) {
      const row = await prisma.file.findFirst({ where: { id, tenantId } })
      return row ? fromRow(row) : undefined
    },
    async attach(tenantId, ids, executionId) {
      await prisma.file.updateMany({ where: { id: { in: ids }, tenantId, executionId: null }, data: { executionId, expiresAt: null } })
    },
    async ofExecutions(tenantId, executionIds) {
      return prisma.file.findMany({ where: { tenantId, executionId: { in: executionIds } }, select: { id: true, storageKey: true } })
    },
    async byIds(tenantId, ids) {
      return prisma.file.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, storageKey: true } })
    },
    async removable(limit, now) {
      return prisma.$queryRaw<{ id: string; storageKey: string }[]>`
        SELECT "id", "storageKey" FROM "File"
        WHERE "executionId" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" < ${now})
        LIMIT ${limit}`
    },
    async remove(ids) {
      await prisma.file.deleteMany({ where: { id: { in: ids } } })
    },
  }
}
