// Making the file store from configuration (lib/env `files`): a folder under the data directory by default,
// another folder with a file:// URL, or an S3-compatible bucket with an s3:// URL.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PrismaClient } from '../db/generated/client'
import type { BlobStore } from './blob-store'
import { LocalBlobStore } from './local-store'
import { prismaFileIndex } from './pg-index'
import { parseS3Url, S3BlobStore } from './s3-store'
import { FileService } from './service'

export interface FileStoreConfig {
  /** Unset: `<dataDir>/files`. */
  url?: string
  dataDir: string
  maxFileBytes: number
}

export function createBlobStore(config: Omit<FileStoreConfig, 'maxFileBytes'>): BlobStore {
  const url = config.url
  if (!url) return new LocalBlobStore(path.join(config.dataDir, 'files'))
  if (url.startsWith('file:')) return new LocalBlobStore(fileURLToPath(url))
  if (url.startsWith('s3:')) return new S3BlobStore(parseS3Url(url))
  throw new Error(`AUTERITY_FILES_URL must be an s3:// or file:// URL, got "${url}"`)
}

export function createFileService(prisma: PrismaClient, config: FileStoreConfig): FileService {
  return new FileService({ blobs: createBlobStore(config), index: prismaFileIndex(prisma), maxFileBytes: config.maxFileBytes })
}

export { FileService } from './service'
