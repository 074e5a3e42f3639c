// The web process's file store (downloads, webhook uploads, "test this step"), made once from lib/env.
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
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
 * once rather than after the unattached TTL.
 */
export async function discardFiles(files: FileService, tenantId: string, refs: FileRef[]): Promise<void> {
  await files.remove(tenantId, refs.map((r) => r.$file))
}
