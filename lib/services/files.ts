// The web process's file store (downloads, webhook uploads, "test this step"), made once from lib/env.
import { webProcess } from '../composition/web'
import { getPrisma } from '../db/client'
import { env } from '../env'
import { createFileService, type FileService } from '../files'

export function webFiles(): FileService {
  const web = webProcess()
  web.files ??= createFileService(getPrisma(), env().files)
  return web.files
}
