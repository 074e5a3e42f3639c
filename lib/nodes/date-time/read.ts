// Turning a param value (text or a number, as an expression resolved it) into a luxon DateTime, and naming zones.
// Every failure is a NodeError naming the param and the item, with luxon's own explanation.
import { DateTime, Info, type Zone } from 'luxon'
import { NodeError } from '../../engine/types'
import type { DateTimeParams } from './definition'

/** Epoch numbers below this are seconds (it is the year 5138 in seconds, March 1973 in milliseconds). */
const SECONDS_BELOW = 100_000_000_000

export interface ReadOptions {
  format: DateTimeParams['inputFormat']
  pattern: string
  zone: Zone
  locale: string
  /** The param the value came from and the item's index in the step's input, for the error. */
  field: string
  item: number
}

export function invalidDate(opts: { field: string; item: number }, value: unknown, why: string): NodeError {
  return new NodeError(`Item ${opts.item}: ${JSON.stringify(value)} in "${opts.field}" is not a valid date (${why})`, {
    code: 'INVALID_DATE',
    field: opts.field,
    details: { item: opts.item, value },
  })
}

/** A zone by IANA name (or UTC, UTC+2…); an unknown name fails naming `field`. */
export function zoneOf(name: string, field: string, item: number): Zone {
  const zone = Info.normalizeZone(name)
  if (!zone?.isValid) {
    throw new NodeError(`Item ${item}: "${name}" in "${field}" is not a time zone (use an IANA name such as Europe/Paris, or UTC)`, {
      code: 'INVALID_ZONE',
      field,
      details: { item, zone: name },
    })
  }
  return zone
}

function fromEpoch(n: number, unit: 'seconds' | 'millis', opts: ReadOptions): DateTime {
  return unit === 'seconds' ? DateTime.fromSeconds(n, { zone: opts.zone }) : DateTime.fromMillis(n, { zone: opts.zone })
}

function fromText(text: string, opts: ReadOptions): DateTime {
  // setZone keeps a written offset (…+02:00 stays +02:00); text without one is read in opts.zone.
  const o = { zone: opts.zone, locale: opts.locale, setZone: true }
  switch (opts.format) {
    case 'iso':
      return DateTime.fromISO(text, o)
    case 'rfc2822':
      return DateTime.fromRFC2822(text, o)
    case 'http':
      return DateTime.fromHTTP(text, o)
    case 'sql':
      return DateTime.fromSQL(text, o)
    case 'custom':
      if (!opts.pattern) throw new NodeError('inputFormat custom needs a pattern in "inputPattern"', { code: 'INVALID_PARAM', field: 'inputPattern' })
      return DateTime.fromFormat(text, opts.pattern, o)
    default: {
      const iso = DateTime.fromISO(text, o)
      if (iso.isValid) return iso
      for (const read of [DateTime.fromRFC2822, DateTime.fromHTTP, DateTime.fromSQL]) {
        const dt = read(text, o)
        if (dt.isValid) return dt
      }
      return iso
    }
  }
}

const isEpochText = (text: string) => /^-?\d+(\.\d+)?$/.test(text)

export function readDate(value: unknown, opts: ReadOptions): DateTime {
  if (value === undefined || value === null || value === '') throw invalidDate(opts, value ?? null, 'there is no date')
  let dt: DateTime
  if (opts.format === 'epochSeconds' || opts.format === 'epochMillis') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && isEpochText(value.trim()) ? Number(value) : Number.NaN
    if (!Number.isFinite(n)) throw invalidDate(opts, value, `${opts.format} needs a number`)
    dt = fromEpoch(n, opts.format === 'epochSeconds' ? 'seconds' : 'millis', opts)
  } else if (opts.format === 'auto' && (typeof value === 'number' || (typeof value === 'string' && isEpochText(value.trim())))) {
    const n = Number(value)
    dt = fromEpoch(n, Math.abs(n) < SECONDS_BELOW ? 'seconds' : 'millis', opts)
  } else if (typeof value === 'string') {
    dt = fromText(value.trim(), opts)
  } else {
    throw invalidDate(opts, value, `inputFormat ${opts.format} expects text${opts.format === 'auto' ? ' or a number' : ''}, not ${Array.isArray(value) ? 'an array' : typeof value}`)
  }
  if (!dt.isValid) throw invalidDate(opts, value, dt.invalidExplanation ?? dt.invalidReason ?? 'unreadable')
  return dt
}
