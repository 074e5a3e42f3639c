// Phone numbers as providers take them: E.164 (+ then 8 to 15 digits, no leading 0). Browser-safe.
import { NodeError } from '../engine/types'

const E164 = /^\+[1-9]\d{7,14}$/

/** Spaces, dashes, dots and brackets are dropped ("+1 (555) 010-0000" → "+15550100000"); anything else must be E.164. */
export function normalizePhone(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null
  const s = String(value).trim().replace(/[\s().-]/g, '')
  const withPlus = s.startsWith('00') ? `+${s.slice(2)}` : s
  return E164.test(withPlus) ? withPlus : null
}

/** The number in E.164, or a non-retryable INVALID_PHONE_NUMBER error naming the field (and the item). */
export function requirePhone(value: unknown, field: string, item?: number): string {
  const n = normalizePhone(value)
  if (n) return n
  const where = item === undefined ? field : `Item ${item}: ${field}`
  throw new NodeError(`${where} ${JSON.stringify(value ?? '')} is not a phone number in E.164 form (e.g. +14155550100)`, {
    code: 'INVALID_PHONE_NUMBER',
    field,
    details: item === undefined ? undefined : { item },
  })
}
