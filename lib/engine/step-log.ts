// A step's log: the lines a node writes through `ctx.log` while one attempt runs (a Code node's console, an HTTP
// request's error answers, the AI router's fallbacks, the engine's own retry notes). They are kept with the step
// record, so they must stay small whatever the node does: a node logging in a loop over a million items writes at
// most STEP_LOG_MAX_LINES lines and STEP_LOG_MAX_BYTES bytes, and what did not fit is counted in one last line.
import type { Logger, StepLogLevel, StepLogLine } from './types'

export const STEP_LOG_MAX_LINES = 200
export const STEP_LOG_MAX_BYTES = 64 * 1024
/** One line's message is cut here, so one huge line cannot take the whole budget of the step. */
export const STEP_LOG_MAX_LINE_BYTES = 8 * 1024
/** A line's `data` whose JSON is longer than this is replaced by a note (data is for small context, not payloads). */
export const STEP_LOG_MAX_DATA_BYTES = 4 * 1024
/** Credential values shorter than this are not redacted: "1" or "abc" would blank out ordinary text. */
const MIN_SECRET_LENGTH = 4
const REDACTED = '[redacted]'

/** UTF-8 length without an encoder (the engine does no I/O and this runs per line). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** The longest prefix of `s` within `bytes` UTF-8 bytes (never splitting a surrogate pair). */
function cutToBytes(s: string, bytes: number): string {
  let n = 0
  let i = 0
  while (i < s.length) {
    const c = s.charCodeAt(i)
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3
    if (n + size > bytes) break
    n += size
    i += pair ? 2 : 1
  }
  return s.slice(0, i)
}

/** One attempt's log. `forward` (the host's process logger, if any) hears every line, kept or not. */
export class StepLog implements Logger {
  private kept: StepLogLine[] | undefined
  private bytes = 0
  private dropped = 0
  private secrets: string[] | undefined

  constructor(
    private readonly forward?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  debug(message: string, data?: Record<string, unknown>): void {
    this.add('debug', message, data)
  }
  info(message: string, data?: Record<string, unknown>): void {
    this.add('info', message, data)
  }
  warn(message: string, data?: Record<string, unknown>): void {
    this.add('warn', message, data)
  }
  error(message: string, data?: Record<string, unknown>): void {
    this.add('error', message, data)
  }

  /** Values that must never appear in a line (a credential the step loaded): replaced wherever they occur. */
  redact(values: Iterable<string>): void {
    for (const v of values) {
      if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH) continue
      const list = (this.secrets ??= [])
      if (!list.includes(v)) list.push(v)
    }
    // Longest first: a secret that contains another is replaced whole.
    this.secrets?.sort((a, b) => b.length - a.length)
  }

  add(level: StepLogLevel, message: unknown, data?: Record<string, unknown>): void {
    if ((this.kept?.length ?? 0) >= STEP_LOG_MAX_LINES || this.bytes >= STEP_LOG_MAX_BYTES) {
      this.dropped++
      return
    }
    let text = this.scrub(typeof message === 'string' ? message : String(message))
    let size = utf8Length(text)
    if (size > STEP_LOG_MAX_LINE_BYTES) {
      const cut = cutToBytes(text, STEP_LOG_MAX_LINE_BYTES)
      text = `${cut} … (${size - utf8Length(cut)} more bytes cut)`
      size = utf8Length(text)
    }
    const kept = data === undefined ? undefined : this.keptData(data)
    const dataSize = kept === undefined ? 0 : kept.size
    if (this.bytes + size + dataSize > STEP_LOG_MAX_BYTES) {
      this.dropped++
      return
    }
    this.bytes += size + dataSize
    const line: StepLogLine = { at: this.now(), level, message: text }
    if (kept) line.data = kept.value
    ;(this.kept ??= []).push(line)
    this.forward?.[level](text, kept?.value)
  }

  /** The kept lines, then a line counting what was dropped; undefined when nothing was logged. */
  lines(): StepLogLine[] | undefined {
    if (!this.kept && this.dropped === 0) return undefined
    const out = this.kept ? [...this.kept] : []
    if (this.dropped > 0) {
      out.push({
        at: this.now(),
        level: 'warn',
        message: `… ${this.dropped} more line${this.dropped === 1 ? '' : 's'} dropped (a step keeps at most ${STEP_LOG_MAX_LINES} lines and ${STEP_LOG_MAX_BYTES / 1024} KB of log)`,
      })
    }
    return out
  }

  private scrub(text: string): string {
    if (!this.secrets) return text
    for (const s of this.secrets) if (text.includes(s)) text = text.split(s).join(REDACTED)
    return text
  }

  /** `data` as it is stored: JSON-safe, redacted, small; else a note saying why it is not there. */
  private keptData(data: Record<string, unknown>): { value: Record<string, unknown>; size: number } {
    let json: string
    try {
      json = JSON.stringify(data) ?? '{}'
    } catch {
      return { value: { omitted: 'data is not JSON (a cycle or a BigInt)' }, size: 64 }
    }
    const size = utf8Length(json)
    if (size > STEP_LOG_MAX_DATA_BYTES) return { value: { omitted: `data of ${size} bytes (a line keeps at most ${STEP_LOG_MAX_DATA_BYTES})` }, size: 96 }
    try {
      return { value: JSON.parse(this.scrub(json)) as Record<string, unknown>, size }
    } catch {
      // A secret spanning JSON syntax (quotes, braces) left text that no longer parses: keep none of it.
      return { value: { omitted: 'data held a credential value' }, size: 64 }
    }
  }
}
