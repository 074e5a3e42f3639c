// Reading an API request's JSON body defensively: a size limit enforced while streaming (Content-Length may lie or be
// absent), a nesting limit checked on the text before JSON.parse builds anything, and NUL characters refused with the
// field they are in (PostgreSQL stores neither NUL in text nor \u0000 in jsonb, so they would fail later as a 500).
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors'

/** Deeper than any graph or run input we write; deep enough that nothing below it recurses into trouble. */
export const MAX_JSON_DEPTH = 128

/** The body as text, at most `limitBytes`; 413 as soon as more arrives (the rest is not read). */
export async function readBodyText(req: Request, limitBytes: number): Promise<string> {
  const declared = Number(req.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limitBytes) {
    await req.body?.cancel().catch(() => undefined)
    throw new PayloadTooLargeError(limitBytes)
  }
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limitBytes) {
      await reader.cancel().catch(() => undefined)
      throw new PayloadTooLargeError(limitBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

/** JSON content types: application/json and application/*+json, any parameters. */
export function assertJsonContentType(req: Request): void {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'))) return
  throw new UnsupportedMediaTypeError()
}

/** One pass over the text counting open brackets outside strings: no recursion, no allocation. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** Where the first NUL is (a dotted path like zod's, keys included), or null. Depth is bounded by the caller. */
export function findNul(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], [...path, String(i)])
      if (hit !== null) return hit
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '\\0')].join('.')
      const hit = findNul(v, [...path, k])
      if (hit !== null) return hit
    }
  }
  return null
}

export const NUL_MESSAGE = 'must not contain NUL characters'

/**
 * Keys refused anywhere in a body. JSON.parse makes "__proto__" an own property, harmless by itself, but the first
 * spread, Object.assign or deep merge downstream writes it through to a prototype; "constructor" and "prototype"
 * reach one the same way (obj.constructor.prototype). No field of ours is named any of them, so they are refused
 * at the door with the path they were found at rather than trusted to every merge behind it.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
/** The problem named for the field (worded as the workflow and workspace files word it, lib/services/workflow-file.ts). */
export const forbiddenKeyMessage = (path: string) => `reserved name "${path.split('.').pop()}" is not allowed (__proto__, prototype, constructor)`

/** Where the first forbidden key is (a dotted path ending in it), or null. Depth is bounded by the caller. */
export function findForbiddenKey(value: unknown, path: string[] = []): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findForbiddenKey(value[i], [...path, String(i)])
      if (hit !== null) return hit
    }
  } else if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(k)) return [...path, k].join('.')
      const hit = findForbiddenKey((value as Record<string, unknown>)[k], [...path, k])
      if (hit !== null) return hit
    }
  }
  return null
}

/** Whether the text may hold a forbidden key: spelled out, or hidden behind \u escapes (which JSON allows in keys). */
export function mayHoldForbiddenKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u')
}

/** Parses a body read by readBodyText: malformed, too deep or NUL-carrying JSON is a 400 naming the field. */
export function parseJsonText(text: string): unknown {
  if (!text) return {}
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw new ValidationError(`Body is nested deeper than ${MAX_JSON_DEPTH} levels`, { '(body)': `nested deeper than ${MAX_JSON_DEPTH} levels` })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new ValidationError('Body is not valid JSON', { '(body)': 'malformed JSON' })
  }
  // A NUL can only arrive escaped (a raw one is not valid JSON): skip the walk for the usual body without one.
  if (text.includes('\\u0000')) {
    const field = findNul(raw)
    if (field !== null) throw new ValidationError(`${field}: ${NUL_MESSAGE}`, { [field]: NUL_MESSAGE })
  }
  // Only a body spelling one out (or using \u escapes) is walked: the usual body costs a few substring scans.
  if (mayHoldForbiddenKey(text)) {
    const key = findForbiddenKey(raw)
    if (key !== null) throw new ValidationError(`${key}: ${forbiddenKeyMessage(key)}`, { [key]: forbiddenKeyMessage(key) })
  }
  return raw
}
