// One file written across the pages of a batch step: a stream opened on the first page, fed page by page, ended on
// the last. The store reads it as it is written, so the file is never held whole.
import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import type { FileRef } from '../../files/ref'
import type { RunFiles } from '../../files/types'

export class StreamedFile {
  /** What the file's bytes are written into (a format's own writer may pipe into it and end it). */
  readonly body = new PassThrough()
  private readonly stored: Promise<FileRef>
  private failure: unknown

  /** `signal` stops the write (a canceled run): the store drops the partial file. */
  constructor(files: RunFiles, file: { name: string; mimeType: string }, signal: AbortSignal) {
    this.stored = files.write({ ...file, data: this.body, signal })
    // Held here until the last page awaits it: a store that fails early (size cap) must not be an unhandled rejection.
    this.stored.catch((err) => {
      this.failure = err
    })
  }

  /** Writes and waits while the store is behind: memory holds about one page however large the file grows. */
  async write(chunk: string | Buffer): Promise<void> {
    this.throwIfFailed()
    if (!this.body.write(chunk)) await this.drained()
  }

  /** Waits until the store has taken what was written (also when a format's writer fills `body` itself). */
  async drained(): Promise<void> {
    this.throwIfFailed()
    if (!this.body.writableNeedDrain) return
    await Promise.race([once(this.body, 'drain'), this.stored])
    this.throwIfFailed()
  }

  /** Ends the file (unless `body` was ended by a format's writer) and returns its reference once stored. */
  async finish(): Promise<FileRef> {
    if (!this.body.writableEnded) this.body.end()
    return this.stored
  }

  /** Stops the write: the store discards what it had. */
  abort(err: unknown): void {
    this.body.destroy(err instanceof Error ? err : new Error(String(err)))
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure
  }
}
