import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'

export const DATE_OPERATIONS = ['format', 'add', 'subtract', 'difference', 'startOf', 'endOf'] as const
export const DATE_UNITS = ['years', 'quarters', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'milliseconds'] as const
export const INPUT_FORMATS = ['auto', 'iso', 'rfc2822', 'http', 'sql', 'epochSeconds', 'epochMillis', 'custom'] as const
export const OUTPUT_FORMATS = ['iso', 'isoDate', 'rfc2822', 'http', 'sql', 'epochSeconds', 'epochMillis', 'relative', 'custom'] as const

/** A date param: usually an expression, resolved to text or a number (epoch); anything else fails per item. */
const dateValue = (description: string) => z.unknown().optional().describe(description).meta({ ui: 'expression' })

export const dateTimeParams = z.object({
  operation: z.enum(DATE_OPERATIONS).meta({ optionLabels: { format: 'Format', add: 'Add', subtract: 'Subtract', difference: 'Difference', startOf: 'Start of period', endOf: 'End of period' } }).default('format').describe('format (also: parse text, convert time zones), add, subtract, difference, startOf or endOf'),
  source: labelledEnum({ field: 'A field of the item', value: 'A value (expression)' }).default('field').describe('Where the date is: in the item\'s field, or in value (an expression)'),
  field: z.string().trim().min(1, 'Name the field holding the date').default('date').describe('source field: the field holding the date, e.g. "createdAt" or "order.placedAt"'),
  value: dateValue('source value: the date, usually an expression such as {{ $json.order.placedAt }}'),
  inputFormat: z.enum(INPUT_FORMATS).meta({ optionLabels: { auto: 'Automatic', iso: 'ISO 8601', rfc2822: 'RFC 2822 (email)', http: 'HTTP date', sql: 'SQL', epochSeconds: 'Unix time (seconds)', epochMillis: 'Unix time (milliseconds)', custom: 'Custom pattern' } }).default('auto').describe('How to read the date: auto (ISO, RFC 2822, HTTP, SQL or epoch seconds/millis), one of those, or custom (inputPattern)'),
  inputPattern: z.string().default('').describe('inputFormat custom: luxon tokens, e.g. "dd/MM/yyyy HH:mm"'),
  inputZone: z.string().trim().default('UTC').describe('Time zone of dates written without an offset (IANA name such as Europe/Paris, or UTC)'),
  zone: z.string().trim().default('').describe('Time zone of the result, e.g. America/New_York (empty: the input\'s own offset, or inputZone). startOf/endOf a day use it too'),
  amount: z.coerce.number().default(1).describe('add/subtract: how many units'),
  unit: z.enum(DATE_UNITS).meta({ optionLabels: { years: 'Years', quarters: 'Quarters', months: 'Months', weeks: 'Weeks', days: 'Days', hours: 'Hours', minutes: 'Minutes', seconds: 'Seconds', milliseconds: 'Milliseconds' } }).default('days').describe('add/subtract/difference: the unit of amount or of the result; startOf/endOf: the period (weeks start on Monday)'),
  endValue: dateValue('difference: the later date, e.g. {{ $json.deliveredAt }} (read like the first); the result is endValue minus the date'),
  outputFormat: z.enum(OUTPUT_FORMATS).meta({ optionLabels: { iso: 'ISO 8601', isoDate: 'ISO date (no time)', rfc2822: 'RFC 2822 (email)', http: 'HTTP date', sql: 'SQL', epochSeconds: 'Unix time (seconds)', epochMillis: 'Unix time (milliseconds)', relative: 'Relative ("in 3 days")', custom: 'Custom pattern' } }).default('iso').describe('How to write the resulting date: iso, isoDate, rfc2822, http, sql, epochSeconds, epochMillis, relative ("in 3 days") or custom (outputPattern)'),
  outputPattern: z.string().default('').describe('outputFormat custom: luxon tokens, e.g. "cccc d LLLL yyyy" or "DDD"'),
  relativeTo: dateValue('outputFormat relative: the date to compare with (empty: now)'),
  locale: z.string().trim().default('en-US').describe('Language of month and day names and of relative text, e.g. "fr" or "de-CH"'),
  outputField: z.string().trim().min(1, 'Name the output field').default('date').describe('Field the result is written to (the other fields are kept)'),
})
export type DateTimeParams = z.infer<typeof dateTimeParams>

export const dateTimeNode: NodeType<DateTimeParams> = {
  type: 'date-time',
  version: 1,
  label: 'Date & Time',
  description: 'Formats, parses, shifts and compares dates, and converts them between time zones.',
  icon: 'CalendarClock',
  category: 'data',
  docs: {
    description: [
      'Reads a date from each item (from `field`, or with source value from `value`, usually an expression), works on it and writes the result to `outputField`, keeping the other fields.',
      'Operations: **format** writes the date as `outputFormat` says (so it also parses text, and with `zone` converts between time zones); **add** and **subtract** shift it by `amount` `unit`s; **difference** writes `endValue` minus the date in `unit`s (a number, possibly fractional); **startOf** and **endOf** round it to its `unit` (weeks start on Monday).',
      'Reading (`inputFormat`): auto tries ISO 8601, RFC 2822, HTTP and SQL dates, and takes a number (or digits) as epoch seconds below 100,000,000,000 and as epoch milliseconds above. custom reads `inputPattern` in [luxon tokens](https://moment.github.io/luxon/#/parsing?id=table-of-tokens). Dates without an offset are in `inputZone`.',
      'Time zones are IANA names (Europe/Paris, America/New_York) or UTC / UTC+2; an unknown one fails the step naming the param. A date that cannot be read fails the step with INVALID_DATE, naming the item and why.',
      'Dates are written as ISO text by default; relative writes "in 3 days" / "2 hours ago" against `relativeTo` (or now). Works page by page.',
    ].join('\n\n'),
    examples: [
      {
        title: 'Format a date for people',
        params: { field: 'placedAt', outputFormat: 'custom', outputPattern: 'cccc d LLLL yyyy, HH:mm', zone: 'Europe/Paris', outputField: 'placedOn' },
        input: [{ id: 1, placedAt: '2026-03-01T17:30:00Z' }],
        output: { main: [{ id: 1, placedAt: '2026-03-01T17:30:00Z', placedOn: 'Sunday 1 March 2026, 18:30' }] },
      },
      {
        title: 'Parse a date written dd/MM/yyyy',
        params: { field: 'due', inputFormat: 'custom', inputPattern: 'dd/MM/yyyy', outputFormat: 'isoDate', outputField: 'due' },
        input: [{ due: '31/12/2026' }],
        output: { main: [{ due: '2026-12-31' }] },
      },
      {
        title: 'Convert epoch seconds to New York time',
        params: { field: 'ts', zone: 'America/New_York' },
        input: [{ ts: 1767225600 }],
        output: { main: [{ ts: 1767225600, date: '2025-12-31T19:00:00.000-05:00' }] },
      },
      {
        title: 'Add 30 days to an invoice date',
        params: { operation: 'add', field: 'issued', amount: 30, unit: 'days', outputFormat: 'isoDate', outputField: 'due' },
        input: [{ issued: '2026-01-15' }],
        output: { main: [{ issued: '2026-01-15', due: '2026-02-14' }] },
      },
      {
        title: 'Hours between two dates',
        params: { operation: 'difference', source: 'value', value: '{{ $json.opened }}', endValue: '{{ $json.closed }}', unit: 'hours', outputField: 'hoursOpen' },
        input: [{ opened: '2026-05-04T09:00:00Z', closed: '2026-05-05T12:30:00Z' }],
        output: { main: [{ opened: '2026-05-04T09:00:00Z', closed: '2026-05-05T12:30:00Z', hoursOpen: 27.5 }] },
      },
      {
        title: 'Start of the month, in Tokyo',
        params: { operation: 'startOf', unit: 'months', zone: 'Asia/Tokyo' },
        input: [{ date: '2026-06-30T20:00:00Z' }],
        output: { main: [{ date: '2026-07-01T00:00:00.000+09:00' }] },
      },
    ],
  },
  params: dateTimeParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  load: () => import('./execute'),
}
