import { Settings } from 'luxon'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import { createHostSandbox } from '@/lib/sandbox/host'
import { numbered, runFlow } from '@/tests/unit/nodes/flow'

const sandbox = createHostSandbox({ concurrency: 2, processes: 1 })
afterAll(() => sandbox.dispose())
afterEach(() => {
  Settings.now = () => Date.now()
})

/** Runs one Date & Time node on `input` and returns its output items (or the run's error). */
async function dateTime(params: Record<string, unknown>, input: Item[], pageSize?: number) {
  const flow = await runFlow([{ id: 'dt', type: 'date-time', params }], input, { sandbox, pageSize })
  return { error: flow.result.error, items: await flow.output('dt'), flow }
}

const at = '2026-03-01T17:30:05.250Z'

describe('date-time node', () => {
  it.each([
    ['iso', {}, '2026-03-01T17:30:05.250Z'],
    ['iso in a zone', { zone: 'Asia/Kolkata' }, '2026-03-01T23:00:05.250+05:30'],
    ['isoDate', { outputFormat: 'isoDate' }, '2026-03-01'],
    ['rfc2822', { outputFormat: 'rfc2822' }, 'Sun, 01 Mar 2026 17:30:05 +0000'],
    ['http', { outputFormat: 'http', zone: 'Europe/Paris' }, 'Sun, 01 Mar 2026 17:30:05 GMT'],
    ['sql', { outputFormat: 'sql' }, '2026-03-01 17:30:05.250 Z'],
    ['epochSeconds', { outputFormat: 'epochSeconds' }, 1772386205],
    ['epochMillis', { outputFormat: 'epochMillis' }, 1772386205250],
    ['custom', { outputFormat: 'custom', outputPattern: 'dd/MM/yyyy HH:mm' }, '01/03/2026 17:30'],
    ['custom, French', { outputFormat: 'custom', outputPattern: 'cccc d LLLL', locale: 'fr' }, 'dimanche 1 mars'],
  ])('formats as %s', async (_name, params, expected) => {
    const { items } = await dateTime(params, [{ date: at }])
    expect(items).toEqual([{ date: expected }])
  })

  it.each([
    ['ISO with an offset', '2026-03-01T18:30:05+01:00'],
    ['ISO without an offset (read in inputZone UTC)', '2026-03-01T17:30:05'],
    ['RFC 2822', 'Sun, 01 Mar 2026 17:30:05 +0000'],
    ['HTTP', 'Sun, 01 Mar 2026 17:30:05 GMT'],
    ['SQL', '2026-03-01 17:30:05'],
    ['epoch seconds', 1772386205],
    ['epoch seconds as text', '1772386205'],
    ['epoch millis', 1772386205000],
  ])('auto reads %s', async (_name, date) => {
    const { items } = await dateTime({ outputFormat: 'epochSeconds', outputField: 'ts' }, [{ date }])
    expect(items[0].ts).toBe(1772386205)
  })

  it('reads a custom pattern in a locale and a zone, and keeps the other fields', async () => {
    const { items } = await dateTime(
      { field: 'when.text', inputFormat: 'custom', inputPattern: 'd MMMM yyyy HH:mm', locale: 'fr', inputZone: 'Europe/Paris', outputField: 'when.iso' },
      [{ id: 7, when: { text: '14 juillet 2026 22:00' } }],
    )
    expect(items).toEqual([{ id: 7, when: { text: '14 juillet 2026 22:00', iso: '2026-07-14T22:00:00.000+02:00' } }])
  })

  it('adds calendar days across a daylight-saving change in the zone (not 24-hour blocks)', async () => {
    const { items } = await dateTime({ operation: 'add', amount: 1, unit: 'days', zone: 'Europe/Paris' }, [{ date: '2026-03-28T11:00:00Z' }])
    expect(items[0].date).toBe('2026-03-29T12:00:00.000+02:00')
  })

  it.each([
    ['adds a month, clamped to the shorter month', { operation: 'add', unit: 'months', amount: 1, outputFormat: 'isoDate' }, '2026-02-28'],
    ['subtracts hours given as text', { operation: 'subtract', unit: 'hours', amount: '36' }, '2026-01-29T12:00:00.000Z'],
  ])('%s', async (_name, params, expected) => {
    const { items } = await dateTime(params, [{ date: '2026-01-31' }])
    expect(items[0].date).toBe(expected)
  })

  it.each([
    ['days', '2026-01-01', '2026-03-01', 59],
    ['months', '2026-01-31', '2026-02-28', 1],
    ['hours', '2026-05-05T12:30:00Z', '2026-05-04T09:00:00Z', -27.5],
  ])('gives the difference in %s', async (unit, from, to, expected) => {
    const { items } = await dateTime({ operation: 'difference', source: 'value', value: from, endValue: to, unit, outputField: 'n' }, [{}])
    expect(items[0].n).toBe(expected)
  })

  it('reads both dates of a difference from expressions per item', async () => {
    const { items } = await dateTime({ operation: 'difference', source: 'value', value: '{{ $json.a }}', endValue: '{{ $json.b }}', unit: 'minutes', outputField: 'n' }, [
      { a: '2026-01-01T00:00:00Z', b: '2026-01-01T00:10:00Z' },
      { a: '2026-01-01T00:00:00Z', b: '2026-01-01T01:00:00Z' },
    ])
    expect(items.map((i) => i.n)).toEqual([10, 60])
  })

  it.each([
    ['startOf', 'weeks', '2026-03-02T00:00:00.000+01:00'],
    ['startOf', 'days', '2026-03-05T00:00:00.000+01:00'],
    ['endOf', 'months', '2026-03-31T23:59:59.999+02:00'],
  ])('%s %s in the zone', async (operation, unit, expected) => {
    const { items } = await dateTime({ operation, unit, zone: 'Europe/Paris' }, [{ date: '2026-03-04T23:30:00Z' }])
    expect(items[0].date).toBe(expected)
  })

  it('writes relative text against relativeTo, or against the clock', async () => {
    const { items } = await dateTime({ outputFormat: 'relative', relativeTo: '2026-03-01T00:00:00Z' }, [{ date: '2026-03-04T00:00:00Z' }])
    expect(items[0].date).toBe('in 3 days')
    Settings.now = () => Date.parse('2026-03-01T02:00:00Z')
    const now = await dateTime({ outputFormat: 'relative', locale: 'de' }, [{ date: '2026-03-01T00:00:00Z' }])
    expect(now.items[0].date).toBe('vor 2 Stunden')
  })

  it.each([
    ['zone', { zone: 'Mars/Olympus' }],
    ['inputZone', { inputZone: 'Europe/Atlantis' }],
  ])('fails naming %s when the time zone is unknown', async (field, params) => {
    const { error } = await dateTime(params, [{ date: at }])
    expect(error).toMatchObject({ code: 'INVALID_ZONE', field })
    expect(error?.message).toContain('Item 0')
  })

  it('fails naming the field, the item and luxon\'s explanation on a date that does not exist', async () => {
    const input = [...Array.from({ length: 4 }, () => ({ date: '2026-02-01' })), { date: '2026-02-30' }]
    const { error } = await dateTime({}, input, 2)
    expect(error).toMatchObject({ code: 'INVALID_DATE', field: 'field', retryable: false })
    expect(error?.message).toMatch(/^Item 4: "2026-02-30" in "field" is not a valid date \(.*30.*day/)
  })

  it.each([
    ['a missing field', {}, [{ other: 1 }], 'field', /there is no date/],
    ['text auto cannot read', {}, [{ date: 'next tuesday' }], 'field', /next tuesday/],
    ['a number for a text format', { inputFormat: 'iso' }, [{ date: 5 }], 'field', /inputFormat iso expects text, not number/],
    ['an expression in value that finds nothing (never the field instead)', { source: 'value', value: '{{ $json.missing }}' }, [{ date: at }], 'value', /^Item 0: .*there is no date/],
    ['an expression in value that gives null', { source: 'value', value: '{{ $json.gone }}' }, [{ date: at, gone: null }], 'value', /there is no date/],
    ['a value that is neither text nor a number', { source: 'value', value: '{{ $json.d }}' }, [{ d: { y: 2026 } }], 'value', /expects text or a number, not object/],
    ['a bad endValue', { operation: 'difference', endValue: 'soon' }, [{ date: at }], 'endValue', /"soon"/],
    ['a value not matching the pattern', { source: 'value', value: '2026/01/01', inputFormat: 'custom', inputPattern: 'dd.MM.yyyy' }, [{}], 'value', /2026\/01\/01/],
  ])('fails with INVALID_DATE on %s', async (_name, params, input, field, message) => {
    const { error } = await dateTime(params, input)
    expect(error).toMatchObject({ code: 'INVALID_DATE', field })
    expect(error?.message).toMatch(message)
  })

  it.each([
    ['outputPattern', { outputFormat: 'custom' }],
    ['inputPattern', { inputFormat: 'custom' }],
    ['locale', { locale: 'not a locale!' }],
    ['outputField', { outputField: 'a.__proto__.b' }],
    ['unit', { unit: 'fortnights' }],
  ])('fails naming %s when it is unusable', async (field, params) => {
    const { error } = await dateTime(params, [{ date: at }])
    expect(error).toMatchObject({ field })
  })

  it('works page by page over 2,500 items', async () => {
    const flow = await runFlow(
      [{ id: 'dt', type: 'date-time', params: { field: 'i', inputFormat: 'epochSeconds', operation: 'add', amount: 1, unit: 'hours', outputFormat: 'epochSeconds', outputField: 't' } }],
      numbered(2500),
      { pageSize: 1000 },
    )
    const items = await flow.output('dt')
    expect(items).toHaveLength(2500)
    expect(items[2499]).toEqual({ i: 2499, t: 2499 + 3600 })
    expect(flow.largestPage('date-time')).toBe(1000)
  })
})
