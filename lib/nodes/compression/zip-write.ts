// Writing a zip with yazl: each file streams from the store into the archive when yazl reaches it (one open at a
// time), and the archive streams into the store as it is made.
import type { Readable } from 'node:stream'
import { ZipFile } from 'yazl'
import type { FileRef } from '../../files/ref'
import type { OpenFile, RunFiles } from '../../files/types'

export interface ZipInput {
  /** Clean, relative and unique within the archive. */
  path: string
  file: OpenFile
}

export async function writeZip(files: RunFiles, name: string, inputs: ZipInput[], signal: AbortSignal): Promise<FileRef> {
  const zip = new ZipFile()
  const output = zip.outputStream as Readable
  let current: Readable | undefined
  // yazl pipes each input without listening for its errors, and reports its own as 'error' events: both end the
  // archive's stream, which makes the store's write fail with the error.
  const fail = (err: Error) => {
    current?.destroy()
    output.destroy(err)
  }
  zip.on('error', fail)
  output.on('error', () => {}) // heard by the store's pipeline while it runs; later ones must not end the process
  for (const { path, file } of inputs) {
    zip.addReadStreamLazy(path, { size: file.ref.size }, (ready) => {
      file.stream().then((stream) => {
        current = stream
        stream.on('error', fail)
        ready(null, stream)
      }, fail)
    })
  }
  zip.end()
  try {
    return await files.write({ name, mimeType: 'application/zip', data: output, signal })
  } finally {
    current?.destroy()
  }
}
