// Test builders for ingest: documents' files (in memory, or one that fails the test if read) and the refusal a
// promise must end in.
import type { DocumentFile } from '../../../lib/vector/types'

export const MB = 1024 * 1024

export function documentFile(name: string, bytes: Buffer | string, mimeType = ''): DocumentFile {
  const buf = Buffer.from(bytes)
  return { name, mimeType, size: buf.length, read: async () => buf }
}

/** A file that says it is `size` bytes: refused by its size, it must never be read. */
export function unreadableFile(name: string, mimeType: string, size: number): DocumentFile {
  return {
    name,
    mimeType,
    size,
    read: () => {
      throw new Error('read() must not be called for a file over the limit')
    },
  }
}

/** The error `p` is refused with (a test failure when it is not refused). */
export async function refusal(p: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  return p.then(
    () => {
      throw new Error('expected a refusal')
    },
    (e: Record<string, unknown> & Error) => e,
  )
}
