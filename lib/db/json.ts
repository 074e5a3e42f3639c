// JSON text for jsonb columns. PostgreSQL's jsonb cannot hold U+0000 (it rejects the `\u0000` escape: "unsupported
// Unicode escape sequence"), yet run data carries it (an HTTP response, a webhook body). Such characters are stored
// as U+FFFD (the replacement character) so the write succeeds and the step is recorded; everything else is stored
// unchanged. Only texts that contain the escape pay for the replacement (one `includes` on the text otherwise).

/** A `\u0000` escape preceded by an even number of backslashes (an odd number makes it the literal text "\u0000"). */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g

/** JSON text as jsonb accepts it. */
export function storableJsonText(text: string): string {
  return text.includes('\\u0000') ? text.replace(NUL_ESCAPE, '$1\\ufffd') : text
}

/** JSON text of a value for a jsonb parameter (null for null/undefined). */
export function jsonbText(value: unknown): string | null {
  return value === undefined || value === null ? null : storableJsonText(JSON.stringify(value))
}

/** A value for a Prisma Json field: the same value, or a copy with U+0000 replaced when it holds any. */
export function storableJson<T>(value: T): T {
  if (value === undefined || value === null) return value
  const text = JSON.stringify(value)
  return text.includes('\\u0000') ? (JSON.parse(storableJsonText(text)) as T) : value
}
