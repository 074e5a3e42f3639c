import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'
import { isTimeZone } from './fire-item'

export const INTERVAL_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const
export const UNIT_MS: Record<(typeof INTERVAL_UNITS)[number], number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 }

export const scheduleTriggerParams = z.object({
  mode: labelledEnum({ interval: 'Every interval', cron: 'Cron expression' }).default('interval').describe('interval: every N seconds, minutes, hours or days. cron: a cron expression'),
  every: z.coerce.number().int('A whole number').min(1, 'At least 1').max(100_000).default(15).describe('interval: how many units between runs'),
  unit: z.enum(INTERVAL_UNITS).meta({ optionLabels: { seconds: 'Seconds', minutes: 'Minutes', hours: 'Hours', days: 'Days' } }).default('minutes').describe('interval: the unit of every'),
  cron: z
    .string()
    .trim()
    .default('0 9 * * 1-5')
    .describe('cron: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first, e.g. "0 9 * * 1-5" (9:00 on weekdays)'),
  timezone: z
    .string()
    .trim()
    .default('')
    .refine((tz) => tz === '' || isTimeZone(tz), 'Not a time zone: use an IANA name such as Europe/Berlin or America/New_York, or UTC')
    .describe("IANA time zone the cron expression and the output's local time are read in, e.g. Europe/Berlin (empty: the server's)"),
  missed: labelledEnum({ skip: 'Skip them', runOnce: 'Run once' })
    .default('skip')
    .describe('Ticks missed while no worker was running: skip them, or run once for all of them when a worker is back'),
})
export type ScheduleTriggerParams = z.infer<typeof scheduleTriggerParams>

/**
 * What a schedule's registration is looked up by: schedules with the same fire times and zone share one key, and the
 * worker keeps one BullMQ job scheduler per key (1,000 schedules on the same minute are one job per tick, not 1,000).
 * `timezone` stays as written ('' = the server's zone, resolved by the worker).
 */
export function scheduleKey(p: ScheduleTriggerParams): string {
  if (p.mode === 'interval') return `every ${p.every * UNIT_MS[p.unit]} ${p.timezone}`
  return `cron ${p.cron.split(/\s+/).filter(Boolean).join(' ')} ${p.timezone}`
}

const exampleItem = {
  timestamp: '2026-03-30T07:00:00.000Z',
  firedAt: '2026-03-30T07:00:00.041Z',
  timezone: 'Europe/Berlin',
  localTime: '2026-03-30T09:00:00+02:00',
  readableDate: 'Monday, March 30, 2026',
  readableTime: '09:00:00',
  dayOfWeek: 'Monday',
  year: 2026,
  month: 3,
  monthName: 'March',
  dayOfMonth: 30,
  hour: 9,
  minute: 0,
  second: 0,
  utcOffset: '+02:00',
}

export const scheduleTrigger: NodeType<ScheduleTriggerParams> = {
  type: 'schedule-trigger',
  version: 1,
  label: 'Schedule',
  description: 'Starts the workflow on a schedule: every N seconds/minutes/hours/days or on a cron expression, in a time zone.',
  icon: 'Clock',
  category: 'trigger',
  docs: {
    description: [
      'Starts the workflow on a schedule while the workflow is active (its published version runs). The inspector shows',
      'the next five fire times as you edit.',
      '',
      '- **interval**: every `every` `unit`s of elapsed time, on slots counted from 1970-01-01T00:00Z: every 15 minutes',
      '  fires at :00, :15, :30 and :45; every 2 hours at even UTC hours; every day at 00:00 UTC. Daylight-saving changes',
      '  do not move them (an hour is always 3,600 s), so local readings shift by the change. For a wall-clock time',
      '  ("9:00 in Berlin, summer and winter") use cron.',
      '- **cron**: 5 fields `minute hour day-of-month month day-of-week`, or 6 with `second` first, read in `timezone`.',
      '  On the spring change a time that does not exist that day (02:30 in Europe/Berlin) fires once, at the first',
      '  minute after the gap (03:30); on the autumn change a time that happens twice (02:30) fires once, the first',
      '  time. Expressions that fire every few minutes keep firing through the repeated hour (it is real time).',
      '',
      'Activation refuses, naming the field: an expression that does not parse or never fires (`0 0 30 2 *`: there is',
      'no 30 February), a time zone that does not exist, and a schedule that fires more often than the workspace',
      'allows (`AUTERITY_SCHEDULE_MIN_INTERVAL_MS`, default 10 s; checked over the next 100 fire times within two years).',
      '',
      '**Missed ticks.** With several workers each tick starts exactly one run. While no worker runs at all, ticks',
      'cannot fire; when one is back, BullMQ hands over the first missed tick, late, and schedules the next one after',
      'now. `missed: skip` drops that late tick if it is later than its tolerance (half the time to the following',
      'tick, at most 60 s) and records it as skipped; `runOnce` runs it once, with `missedTicks` counting the later',
      'ticks it stands for (at most 1,000 counted).',
      '',
      'Output item (`timestamp` is the scheduled time, the same however late the run started):',
      '',
      '```json',
      JSON.stringify(exampleItem),
      '```',
    ].join('\n'),
    examples: [
      {
        title: 'Weekdays at 9:00 in Berlin: the run on 30 March 2026 (the day after the change to summer time)',
        params: { mode: 'cron', cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' },
        input: [exampleItem],
        output: { main: [exampleItem] },
      },
      {
        title: 'Every 15 minutes',
        params: { mode: 'interval', every: 15, unit: 'minutes', timezone: 'UTC' },
        input: [{ ...exampleItem, timestamp: '2026-03-30T07:15:00.000Z', firedAt: '2026-03-30T07:15:00.020Z', timezone: 'UTC', localTime: '2026-03-30T07:15:00+00:00', readableTime: '07:15:00', hour: 7, minute: 15, utcOffset: '+00:00' }],
        output: {
          main: [{ ...exampleItem, timestamp: '2026-03-30T07:15:00.000Z', firedAt: '2026-03-30T07:15:00.020Z', timezone: 'UTC', localTime: '2026-03-30T07:15:00+00:00', readableTime: '07:15:00', hour: 7, minute: 15, utcOffset: '+00:00' }],
        },
      },
    ],
  },
  trigger: { kind: 'schedule' },
  outputSample: {
    item: {
      timestamp: '2026-03-29T01:30:00.000Z', firedAt: '2026-03-29T01:30:00.120Z', timezone: 'Europe/Berlin', localTime: '2026-03-29T03:30:00+02:00',
      readableDate: 'Sunday, March 29, 2026', readableTime: '03:30:00', dayOfWeek: 'Sunday', year: 2026, month: 3, monthName: 'March',
      dayOfMonth: 29, hour: 3, minute: 30, second: 0, utcOffset: '+02:00',
    },
  },
  listen: { key: scheduleKey },
  params: scheduleTriggerParams,
  inputs: [],
  outputs: [{ name: 'main' }],
  load: () => import('./execute'),
}
