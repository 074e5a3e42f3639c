// The web process's file store (downloads, webhook uploads, "test this step"), made once from lib/env.
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import type { PrismaClient } from '../db/generated/client'
import { env } from '../env'
import { createFileService, type FileService } from '../files'
import type { FileRef } from '../files/ref'

export function webFiles(): FileService {
  const web = webProcess()
  web.files ??= createFileService(getPrisma(), env().files)
  return web.files
}

/**
 * Deletes files a request wrote but no run will use (an upload whose body failed, or whose run did not start), at
 * once rather than after the unattached TTL. Bytes first, as the service does: a failure leaves the rows, which
 * the sweep removes when they expire. (FileService has no public delete-by-id; the web process's index is the
 * File table, so the rows are removed here.)
 */
export async function discardFiles(files: FileService, prisma: PrismaClient, tenantId: string, refs: FileRef[]): Promise<void> {
  if (refs.length === 0) return
  const ids = refs.map((r) => r.$file)
  const rows = await prisma.file.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, storageKey: true } })
  if (rows.length === 0) return
  await files.blobs.delete(rows.map((r) => r.storageKey))
  await prisma.file.deleteMany({ where: { tenantId, id: { in: rows.map((r) => r.id) } } })
}
