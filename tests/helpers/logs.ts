// What the process logged (lib/log writes JSON lines to process.stdout): a tap on process.stdout.write for the
// duration of a test, passing everything through. `lines()` are the raw lines, `entries()` the JSON ones parsed.
export interface LogTap {
  lines(): string[]
  entries(): Array<Record<string, unknown>>
  stop(): void
}

export function tapStdout(): LogTap {
  const original = process.stdout.write
  let buffer = ''
  const lines: string[] = []
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    buffer += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
    const parts = buffer.split('\n')
    buffer = parts.pop() ?? ''
    lines.push(...parts)
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
  } as typeof process.stdout.write
  return {
    lines: () => (buffer ? [...lines, buffer] : [...lines]),
    entries: () =>
      lines.flatMap((line) => {
        try {
          const v = JSON.parse(line)
          return v && typeof v === 'object' ? [v as Record<string, unknown>] : []
        } catch {
          return []
        }
      }),
    stop: () => {
      process.stdout.write = original
    },
  }
}
