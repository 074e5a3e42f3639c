// A JSON object typed into a text box (a filter, metadata): empty is "none", anything else must parse to an object,
// else the message says what is wrong and where, before anything is sent.

export type Parsed = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; error: string }

export function parseJsonObject(text: string, what: string): Parsed {
  if (!text.trim()) return { ok: true, value: undefined }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, error: `${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `${what} must be a JSON object, like {"lang": "en"}` }
  return { ok: true, value: value as Record<string, unknown> }
}
