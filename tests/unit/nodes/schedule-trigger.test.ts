import { describe, expect, it } from 'vitest'
import { scheduleKey, scheduleTrigger, scheduleTriggerParams, type ScheduleTriggerParams } from '@/lib/nodes/schedule-trigger/definition'
import { scheduleItem } from '@/lib/nodes/schedule-trigger/fire-item'
import { checkSchedule, nextFireTimes, previewSchedule, scheduleKind, scheduleSpec, type ScheduleLimits } from '@/lib/services/schedules'
import { toleranceMs } from '@/lib/services/schedule-ticks'
import { sameScheduler, tickTime } from '@/lib/queue/schedules'
import { schedulerFor, schedulerId } from '@/workers/runtime/schedules'
import { ValidationError } from '@/lib/errors'
import { getNextMillis } from 'bullmq'
import { runNode } from './harness'

const limits: ScheduleLimits = { minIntervalMs: 10_000, defaultTimezone: 'UTC' }
const params = (p: Record<string, unknown>): ScheduleTriggerParams => scheduleTriggerParams.parse(p)
const iso = (ds: Date[]) => ds.map((d) => d.toISOString())
/** Each fire time's local reading in `zone`, as the run's item gives it. */
const local = (ds: Date[], zone: string) => ds.map((d) => scheduleItem(d, d, zone).localTime)
const cron = (expr: string, timezone: string) => scheduleSpec(params({ mode: 'cron', cron: expr, timezone }), 'UTC')
const every = (n: number, unit: string) => scheduleSpec(params({ mode: 'interval', every: n, unit }), 'UTC')

describe('schedule-trigger params', () => {
  it('applies defaults', () => {
    expect(scheduleTriggerParams.parse({})).toEqual({ mode: 'interval', every: 15, unit: 'minutes', cron: '0 9 * * 1-5', timezone: '', missed: 'skip' })
  })

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ every: 0 }, 'every'],
    [{ every: 1.5 }, 'every'],
    [{ unit: 'weeks' }, 'unit'],
    [{ missed: 'always' }, 'missed'],
  ])('rejects %j naming %s', (p, field) => {
    const r = scheduleTriggerParams.safeParse(p)
    expect(r.success).toBe(false)
    expect(r.error!.issues[0].path).toEqual([field])
  })

  it('passes a tick item through and makes one for now when run by hand', async () => {
    const item = scheduleItem(new Date('2026-03-30T07:00:00Z'), new Date('2026-03-30T07:00:00.041Z'), 'Europe/Berlin')
    expect((await runNode(scheduleTrigger, { params: {}, items: [item] })).output.main).toEqual([item])
    const { output } = await runNode(scheduleTrigger, { params: { timezone: 'America/New_York' }, items: [] })
    expect(output.main).toHaveLength(1)
    expect(output.main[0]).toMatchObject({ timezone: 'America/New_York' })
    expect(Math.abs(Date.parse(String(output.main[0].timestamp)) - Date.now())).toBeLessThan(5000)
  })

  it('reads the tick in its zone', () => {
    expect(scheduleItem(new Date('2026-03-30T07:00:00Z'), new Date('2026-03-30T07:00:00.041Z'), 'Europe/Berlin')).toEqual({
      timestamp: '2026-03-30T07:00:00.000Z', firedAt: '2026-03-30T07:00:00.041Z', timezone: 'Europe/Berlin', localTime: '2026-03-30T09:00:00+02:00',
      readableDate: 'Monday, March 30, 2026', readableTime: '09:00:00', dayOfWeek: 'Monday', year: 2026, month: 3, monthName: 'March',
      dayOfMonth: 30, hour: 9, minute: 0, second: 0, utcOffset: '+02:00',
    })
    expect(scheduleItem(new Date('2026-01-01T04:59:59Z'), new Date(), 'America/New_York').localTime).toBe('2025-12-31T23:59:59-05:00')
    expect(scheduleItem(new Date('2026-06-01T00:00:00Z'), new Date(), 'Asia/Kolkata').utcOffset).toBe('+05:30')
  })
})

describe('next fire times', () => {
  const from = new Date('2026-11-30T14:07:12Z')

  it('cron: 5 fields, 6 fields with seconds, in the time zone', () => {
    expect(iso(nextFireTimes(cron('0 9 * * 1-5', 'Europe/Berlin'), from, 3))).toEqual(['2026-12-01T08:00:00.000Z', '2026-12-02T08:00:00.000Z', '2026-12-03T08:00:00.000Z'])
    expect(iso(nextFireTimes(cron('*/20 * * * * *', 'UTC'), from, 3))).toEqual(['2026-11-30T14:07:20.000Z', '2026-11-30T14:07:40.000Z', '2026-11-30T14:08:00.000Z'])
  })

  it('interval: slots counted from the epoch, strictly after now', () => {
    expect(iso(nextFireTimes(every(15, 'minutes'), from, 3))).toEqual(['2026-11-30T14:15:00.000Z', '2026-11-30T14:30:00.000Z', '2026-11-30T14:45:00.000Z'])
    expect(iso(nextFireTimes(every(1, 'days'), from, 2))).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z'])
    expect(iso(nextFireTimes(every(15, 'minutes'), new Date('2026-11-30T14:15:00Z'), 1))).toEqual(['2026-11-30T14:30:00.000Z'])
  })

  describe('daylight saving, Europe/Berlin (spring 29 Mar 2026 02:00→03:00, autumn 25 Oct 2026 03:00→02:00)', () => {
    it('cron at a time the spring change skips fires once, just after the gap', () => {
      expect(local(nextFireTimes(cron('30 2 * * *', 'Europe/Berlin'), new Date('2026-03-28T00:00:00Z'), 3), 'Europe/Berlin')).toEqual([
        '2026-03-28T02:30:00+01:00', '2026-03-29T03:30:00+02:00', '2026-03-30T02:30:00+02:00',
      ])
    })
    it('cron at a time the autumn change repeats fires once, the first time', () => {
      expect(local(nextFireTimes(cron('30 2 * * *', 'Europe/Berlin'), new Date('2026-10-24T12:00:00Z'), 2), 'Europe/Berlin')).toEqual([
        '2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00',
      ])
    })
    it('a sub-hourly cron runs on through the gap and through both repeated hours', () => {
      expect(local(nextFireTimes(cron('*/30 * * * *', 'Europe/Berlin'), new Date('2026-03-29T00:10:00Z'), 3), 'Europe/Berlin')).toEqual([
        '2026-03-29T01:30:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T03:30:00+02:00',
      ])
      expect(local(nextFireTimes(cron('*/30 * * * *', 'Europe/Berlin'), new Date('2026-10-25T00:10:00Z'), 4), 'Europe/Berlin')).toEqual([
        '2026-10-25T02:30:00+02:00', '2026-10-25T02:00:00+01:00', '2026-10-25T02:30:00+01:00', '2026-10-25T03:00:00+01:00',
      ])
    })
    it('intervals keep elapsed time: an hourly interval reads 01:00, 03:00 in spring and 02:00 twice in autumn', () => {
      const spring = nextFireTimes(every(1, 'hours'), new Date('2026-03-28T23:30:00Z'), 3)
      expect(local(spring, 'Europe/Berlin')).toEqual(['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T04:00:00+02:00'])
      const autumn = nextFireTimes(every(1, 'hours'), new Date('2026-10-24T23:30:00Z'), 3)
      expect(local(autumn, 'Europe/Berlin')).toEqual(['2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00', '2026-10-25T03:00:00+01:00'])
      for (const ds of [spring, autumn]) expect(ds[1].getTime() - ds[0].getTime()).toBe(3_600_000)
    })
  })

  describe('daylight saving, America/New_York (spring 8 Mar 2026 02:00→03:00, autumn 1 Nov 2026 02:00→01:00)', () => {
    it('cron in the skipped hour fires once after the gap; in the repeated hour, once', () => {
      expect(local(nextFireTimes(cron('30 2 * * *', 'America/New_York'), new Date('2026-03-07T00:00:00Z'), 3), 'America/New_York')).toEqual([
        '2026-03-07T02:30:00-05:00', '2026-03-08T03:30:00-04:00', '2026-03-09T02:30:00-04:00',
      ])
      expect(local(nextFireTimes(cron('30 1 * * *', 'America/New_York'), new Date('2026-10-31T12:00:00Z'), 2), 'America/New_York')).toEqual([
        '2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00',
      ])
    })
    it('a 30-minute interval reads 01:30, 03:00 in spring and 01:00, 01:30 twice in autumn', () => {
      expect(local(nextFireTimes(every(30, 'minutes'), new Date('2026-03-08T06:10:00Z'), 3), 'America/New_York')).toEqual([
        '2026-03-08T01:30:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T03:30:00-04:00',
      ])
      expect(local(nextFireTimes(every(30, 'minutes'), new Date('2026-11-01T04:50:00Z'), 4), 'America/New_York')).toEqual([
        '2026-11-01T01:00:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T01:30:00-05:00',
      ])
    })
  })
})

describe('the preview is what BullMQ fires', () => {
  // BullMQ computes each next tick itself (its own cron-parser copy for `pattern` + `tz`, slot arithmetic for `every`).
  it.each([
    ['30 2 * * *', 'Europe/Berlin', '2026-03-28T00:00:00Z'],
    ['30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z'],
    ['*/30 * * * *', 'Europe/Berlin', '2026-10-25T00:10:00Z'],
    ['30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z'],
    ['0 9 * * 1-5', 'America/New_York', '2026-03-06T12:00:00Z'],
    ['*/20 * * * * *', 'UTC', '2026-11-30T14:07:12Z'],
  ])('cron %s in %s from %s', (pattern, tz, from) => {
    const ours = nextFireTimes(cron(pattern, tz), new Date(from), 4).map((d) => d.getTime())
    const theirs: number[] = []
    let at = Date.parse(from)
    for (let i = 0; i < 4; i++) theirs.push((at = getNextMillis(at, { pattern, tz })!))
    expect(ours).toEqual(theirs)
  })

  it('intervals', () => {
    const from = Date.parse('2026-11-01T05:47:13Z')
    expect(nextFireTimes(every(30, 'minutes'), new Date(from), 1)[0].getTime()).toBe(getNextMillis(from, { every: 1_800_000 }))
  })
})

describe('checks', () => {
  it.each([
    [{ mode: 'cron', cron: '0 0 30 2 *' }, 'cron', /never fires/],
    [{ mode: 'cron', cron: '0 0 31 4 *' }, 'cron', /never fires/],
    [{ mode: 'cron', cron: 'every day' }, 'cron', /5 fields.*has 2/],
    [{ mode: 'cron', cron: '61 * * * *' }, 'cron', /not a cron expression/],
    [{ mode: 'cron', cron: '0 0 * * * * *' }, 'cron', /has 7/],
    [{ mode: 'cron', cron: '* * * * * *' }, 'cron', /1 s apart.*at most once every 10 s/],
    [{ mode: 'cron', cron: '0,5 0 * * * *' }, 'cron', /5 s apart/],
    [{ mode: 'interval', every: 5, unit: 'seconds' }, 'every', /Every 5 s is more often.*10 s/],
  ])('refuses %j', (p, field, message) => {
    const r = previewSchedule(p, limits)
    expect(r.next).toEqual([])
    expect(r.error).toMatchObject({ field })
    expect(r.error!.message).toMatch(message)
  })

  it('accepts what fires rarely but does fire (29 February) and exactly at the minimum', () => {
    expect(previewSchedule({ mode: 'cron', cron: '0 0 29 2 *' }, limits, new Date('2026-11-30T00:00:00Z')).next[0]).toBe('2028-02-29T00:00:00.000Z')
    expect(() => checkSchedule(params({ mode: 'cron', cron: '*/10 * * * * *' }), limits)).not.toThrow()
    expect(() => checkSchedule(params({ mode: 'interval', every: 10, unit: 'seconds' }), limits)).not.toThrow()
  })

  it('previews five times in the zone, naming it (the server default when empty)', () => {
    const now = new Date('2026-11-30T14:07:12Z')
    expect(previewSchedule({ mode: 'cron', cron: '0 9 * * *', timezone: 'Asia/Tokyo' }, limits, now)).toEqual({
      next: ['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z', '2026-12-05T00:00:00.000Z'],
      timezone: 'Asia/Tokyo',
    })
    expect(previewSchedule({}, { ...limits, defaultTimezone: 'Europe/Berlin' }, now).timezone).toBe('Europe/Berlin')
    expect(previewSchedule({ timezone: 'Nowhere/City' }, limits, now).error).toMatchObject({ field: 'timezone' })
  })

  it('the activation check names graph.nodes.<i>.params.<field>', () => {
    const kind = scheduleKind(() => limits)
    expect(() => kind.check({ nodeIndex: 2, config: params({ mode: 'cron', cron: '0 0 30 2 *' }) })).toThrow(ValidationError)
    try {
      kind.check({ nodeIndex: 2, config: params({ mode: 'interval', every: 1, unit: 'seconds' }) })
    } catch (err) {
      expect((err as ValidationError).fields).toEqual({ 'graph.nodes.2.params.every': expect.stringMatching(/more often/) })
    }
    expect(() => kind.check({ nodeIndex: 0, config: params({}) })).not.toThrow()
  })
})

describe('schedulers and ticks', () => {
  it('tolerance: half the time to the next tick, at most 60 s', () => {
    const t = new Date('2026-11-30T14:00:00Z')
    expect(toleranceMs(every(10, 'seconds'), t)).toBe(5000)
    expect(toleranceMs(cron('0 * * * *', 'UTC'), t)).toBe(60_000)
  })

  it('keys schedules by fire times and zone, and hands BullMQ one scheduler per key', () => {
    const cronParams = params({ mode: 'cron', cron: ' 0  9 * * 1-5 ', timezone: 'Europe/Berlin', missed: 'runOnce' })
    expect(scheduleKey(cronParams)).toBe('cron 0 9 * * 1-5 Europe/Berlin')
    expect(scheduleKey(params({ every: 1, unit: 'hours' }))).toBe(scheduleKey(params({ every: 60, unit: 'minutes', missed: 'runOnce' })))
    expect(schedulerFor('cron 0 9 * * 1-5 Europe/Berlin', cronParams, 'UTC')).toEqual({
      id: schedulerId('cron 0 9 * * 1-5 Europe/Berlin'), key: 'cron 0 9 * * 1-5 Europe/Berlin', pattern: '0 9 * * 1-5', tz: 'Europe/Berlin',
    })
    expect(schedulerId('cron 0 9 * * 1-5 Europe/Berlin')).toMatch(/^s-[0-9a-f]{32}$/)
    expect(schedulerFor('every 900000 ', params({ every: 15, unit: 'minutes' }), 'UTC', Date.parse('2026-11-30T14:07:12Z'))).toMatchObject({
      every: 900_000, startDate: Date.parse('2026-11-30T14:15:00Z'),
    })
  })

  it('leaves an unchanged scheduler alone and replaces a changed one', () => {
    expect(sameScheduler({ id: 'r', pattern: '0 9 * * *', tz: 'UTC', next: 1 }, { id: 'r', key: 'k', pattern: '0 9 * * *', tz: 'UTC' })).toBe(true)
    expect(sameScheduler({ id: 'r', pattern: '0 9 * * *', tz: 'UTC' }, { id: 'r', key: 'k', pattern: '0 9 * * *', tz: 'Europe/Berlin' })).toBe(false)
    expect(sameScheduler({ id: 'r', every: 60_000 }, { id: 'r', key: 'k', every: 60_000, startDate: 0 })).toBe(true)
    expect(sameScheduler({ id: 'r', every: 60_000 }, { id: 'r', key: 'k', pattern: '* * * * *', tz: 'UTC' })).toBe(false)
  })

  it('reads the tick time from the job scheduler job id', () => {
    expect(tickTime({ id: 'repeat:cmabc123:1796047200000', timestamp: 5 }).toISOString()).toBe('2026-11-30T14:00:00.000Z')
  })
})
