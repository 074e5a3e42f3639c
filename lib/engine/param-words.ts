// Param problems in words for people: zod's issues ("Invalid input: expected string, received undefined") become
// "URL is required" or "Enter a number between 10 and 60000", named by the field's label; and the design-time check
// of fixed URL fields. Used by validate.ts, so the API's answers and the inspector carry the same words.
import { z } from 'zod'

// The studio's labels (lib/forms/schema.ts re-exports humanize), kept here so the engine's messages use the same words.
const ACRONYMS = new Set(['url', 'id', 'http', 'json', 'api', 'sql', 'html', 'xml', 'csv', 'llm', 'ai', 'tls', 'ssl', 'smtp', 'dtmf', 'sms', 'ttl', 'uuid', 'css', 'jpeg', 'png', 'pdf', 'utf8', 'ip', 'mime'])
/** Written with a lower-case plural s: "mediaUrls" → "Media URLs". */
const word = (w: string) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : /s$/i.test(w) && ACRONYMS.has(w.slice(0, -1).toLowerCase()) ? `${w.slice(0, -1).toUpperCase()}s` : undefined)
/** A trailing unit word: "timeoutMs" → "Timeout (ms)". */
const UNITS: Record<string, string> = { ms: 'ms', mb: 'MB', kb: 'KB', bytes: 'bytes', usd: 'USD', seconds: 'seconds', minutes: 'minutes' }

/** "maxAttempts" → "Max attempts", "url" → "URL", "timeoutMs" → "Timeout (ms)", "memoryMb" → "Memory (MB)". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().split(/\s+/)
  const last = words.length > 1 ? UNITS[words[words.length - 1].toLowerCase()] : undefined
  const text = (last ? words.slice(0, -1) : words)
    .map((w, i) => word(w) ?? (i === 0 ? w[0].toUpperCase() + w.slice(1) : w.toLowerCase()))
    .join(' ')
  return last ? `${text} (${last})` : text
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; out?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType }
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def

/** Peels defaults, optionals and pipes off a schema down to the type that checks the value. */
function unwrap(s: z.ZodType): z.ZodType {
  for (let i = 0; i < 20; i++) {
    const def = defOf(s)
    if (def.innerType) s = def.innerType
    else if (def.type === 'pipe' && def.in && def.out) s = defOf(def.in).type === 'transform' ? def.out : def.in
    else return s
  }
  return s
}

/** The schema of the field at `path` inside an object schema (list rows by index), if it can be followed. */
export function schemaAt(root: z.ZodType, path: PropertyKey[]): z.ZodType | undefined {
  let cur: z.ZodType | undefined = root
  for (const key of path) {
    if (!cur) return undefined
    const def = defOf(unwrap(cur))
    cur = typeof key === 'number' ? def.element : def.shape?.[String(key)]
  }
  return cur
}

/** A field's label: its `title` meta, else its key made readable (the last key that is not a list index). */
export function fieldLabel(root: z.ZodType, path: PropertyKey[]): string {
  const schema = schemaAt(root, path)
  const title = schema ? (z.globalRegistry.get(schema) as { title?: string } | undefined)?.title : undefined
  if (title) return title
  const key = [...path].reverse().find((k) => typeof k === 'string') as string | undefined
  return key ? humanize(key) : 'This value'
}

function bounds(schema: z.ZodType | undefined): { min: number | null; max: number | null; int: boolean } {
  const inner = schema ? (unwrap(schema) as unknown as { minValue?: number | null; maxValue?: number | null; isInt?: boolean }) : {}
  const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : null)
  return { min: finite(inner.minValue), max: finite(inner.maxValue), int: !!inner.isInt }
}

const KIND_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'on or off (true or false)',
  array: 'a list',
  object: 'an object',
  date: 'a date',
}

/** zod's own wording; a message a node wrote itself ("Enter the URL to call") is already for people and is kept. */
const ZOD_DEFAULT = /^(Invalid\b|Too (small|big)\b|Unrecognized key|Number must be|Expected\b)/

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '')

/** One issue in words, naming the field by `label`; `value` is what the field holds. */
export function describeIssue(issue: z.core.$ZodIssue, label: string, value: unknown, schema?: z.ZodType): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message
  const numberRange = () => {
    const { min, max, int } = bounds(schema)
    const kind = int ? 'a whole number' : 'a number'
    if (min !== null && max !== null) return `Enter ${kind} between ${min} and ${max} for ${label}`
    if (min !== null) return `${label} must be ${kind} of at least ${min}`
    if (max !== null) return `${label} must be ${kind} of at most ${max}`
    return `${label} must be ${kind}`
  }
  switch (issue.code) {
    case 'invalid_type':
      if (isEmpty(value)) return `${label} is required`
      if (issue.expected === 'number' || issue.expected === 'int') return numberRange()
      return `${label} must be ${KIND_WORDS[issue.expected] ?? issue.expected}`
    case 'too_small':
      if (issue.origin === 'number') return numberRange()
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${label} is required` : `${label} needs at least ${issue.minimum} characters`
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} needs at least ${issue.minimum} ${Number(issue.minimum) === 1 ? 'entry' : 'entries'}`
      return `${label} is too small`
    case 'too_big':
      if (issue.origin === 'number') return numberRange()
      if (issue.origin === 'string') return `${label} is too long: at most ${issue.maximum} characters`
      if (issue.origin === 'array' || issue.origin === 'set') return `${label} has too many entries: at most ${issue.maximum}`
      return `${label} is too big`
    case 'invalid_format':
      if (issue.format === 'url') return `${label} must be a full URL, like https://example.com`
      if (issue.format === 'email') return `${label} must be an email address, like ana@example.com`
      if (issue.format === 'regex') return `${label} is not in the expected form`
      return `${label} must be a valid ${issue.format}`
    case 'invalid_value':
      return isEmpty(value) ? `${label} is required` : `${label} must be one of: ${issue.values.map((v) => String(v)).join(', ')}`
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'field' : 'fields'}: ${issue.keys.join(', ')}`
    case 'invalid_union':
      return isEmpty(value) ? `${label} is required` : `${label} does not have an accepted form`
    case 'not_multiple_of':
      return `${label} must be a multiple of ${issue.divisor}`
    default:
      return `${label}: ${issue.message}`
  }
}

/** Fixed URL fields: JSON-schema `format: 'uri'` meta, or a `z.url()`. */
export function isUrlField(schema: z.ZodType): boolean {
  const meta = z.globalRegistry.get(schema) as { format?: string } | undefined
  if (meta?.format === 'uri') return true
  const inner = unwrap(schema) as unknown as { _zod: { def: { format?: string } } }
  return inner._zod.def.format === 'url'
}

/** Why `value` is not an http(s) URL, or null when it is. */
export function httpUrlProblem(value: string, label: string): string | null {
  try {
    const url = new URL(value.trim())
    if (url.protocol === 'http:' || url.protocol === 'https:') return null
    return `${label} must start with http:// or https:// (it starts with “${url.protocol}”)`
  } catch {
    return `${label} is not a full URL: “${value.length > 60 ? `${value.slice(0, 59)}…` : value}” (write it like https://example.com/path)`
  }
}
