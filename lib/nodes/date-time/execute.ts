import { DateTime } from 'luxon'
import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { getPath, parsePath, setPath } from '../paths'
import type { DateTimeParams } from './definition'
import { readDate, zoneOf, type ReadOptions } from './read'

function checkLocale(locale: string): void {
  try {
    Intl.getCanonicalLocales(locale)
  } catch {
    throw new NodeError(`"${locale}" is not a locale (use a language tag such as en-US or fr)`, { code: 'INVALID_PARAM', field: 'locale' })
  }
}

function write(dt: DateTime, p: DateTimeParams, read: (value: unknown, field: string) => DateTime): unknown {
  switch (p.outputFormat) {
    case 'iso':
      return dt.toISO()
    case 'isoDate':
      return dt.toISODate()
    case 'rfc2822':
      return dt.toRFC2822()
    case 'http':
      return dt.toHTTP()
    case 'sql':
      return dt.toSQL()
    case 'epochSeconds':
      return dt.toUnixInteger()
    case 'epochMillis':
      return dt.toMillis()
    case 'relative':
      return dt.toRelative({ base: p.relativeTo == null || p.relativeTo === '' ? undefined : read(p.relativeTo, 'relativeTo') })
    case 'custom':
      if (!p.outputPattern) throw new NodeError('outputFormat custom needs a pattern in "outputPattern"', { code: 'INVALID_PARAM', field: 'outputPattern' })
      return dt.toFormat(p.outputPattern)
  }
}

function apply(dt: DateTime, p: DateTimeParams, read: (value: unknown, field: string) => DateTime): unknown {
  switch (p.operation) {
    case 'format':
      return write(dt, p, read)
    case 'add':
      return write(dt.plus({ [p.unit]: p.amount }), p, read)
    case 'subtract':
      return write(dt.minus({ [p.unit]: p.amount }), p, read)
    case 'startOf':
      return write(dt.startOf(p.unit as Parameters<DateTime['startOf']>[0]), p, read)
    case 'endOf':
      return write(dt.endOf(p.unit as Parameters<DateTime['endOf']>[0]), p, read)
    case 'difference':
      return read(p.endValue, 'endValue').diff(dt, p.unit).as(p.unit)
  }
}

export const execute: NodeExecutor<DateTimeParams> = async (ctx) => {
  // Checked once per page, before any item: a bad path fails even on an empty input.
  parsePath(ctx.params.field, 'field')
  parsePath(ctx.params.outputField, 'outputField')
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    checkLocale(p.locale)
    const base: Omit<ReadOptions, 'field'> = {
      format: p.inputFormat,
      pattern: p.inputPattern,
      zone: zoneOf(p.inputZone, 'inputZone', index),
      locale: p.locale,
      item: index,
    }
    const zone = p.zone ? zoneOf(p.zone, 'zone', index) : undefined
    const read = (value: unknown, field: string) => {
      const dt = readDate(value, { ...base, field }).setLocale(p.locale)
      return zone ? dt.setZone(zone) : dt
    }
    const dt = p.source === 'value' ? read(p.value, 'value') : read(getPath(ctx.items[i], p.field, 'field'), 'field')
    const item = structuredClone(ctx.items[i])
    setPath(item, p.outputField, apply(dt, p, read), 'outputField')
    out.push(item)
  }
  return { main: out }
}
