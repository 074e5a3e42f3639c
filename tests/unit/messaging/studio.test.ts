// Browser-safe helpers of the messaging studio: wall-clock times in IANA zones to UTC (DST both ways), campaign
// recipient lists, and the generic step-progress summary the run view shows.
import { describe, expect, it } from 'vitest'
import { formatInZone, zonedToUtc } from '../../../lib/messaging/local-time'
import { parseRecipients } from '../../../lib/messaging/campaigns'
import { progressText, summarizeProgress } from '../../../components/executions/StepProgress'
import { executionLoaded, runSlice, runStarted, stepProgressed } from '../../../lib/store/run-slice'

describe('zonedToUtc', () => {
  it.each([
    ['2026-03-07T09:00', 'America/New_York', '2026-03-07T14:00:00.000Z'], // EST, the day before the switch
    ['2026-03-08T09:00', 'America/New_York', '2026-03-08T13:00:00.000Z'], // EDT, the day of it
    ['2026-11-01T01:30', 'America/New_York', '2026-11-01T05:30:00.000Z'], // twice that night: the first (EDT)
    ['2026-03-29T03:30', 'Europe/London', '2026-03-29T02:30:00.000Z'],
    ['2026-07-01T09:00', 'Asia/Kolkata', '2026-07-01T03:30:00.000Z'],
    ['2026-07-01 09:00:30', 'UTC', '2026-07-01T09:00:30.000Z'],
  ])('%s in %s is %s', (local, zone, utc) => {
    const at = zonedToUtc(local, zone)
    expect(at instanceof Date ? at.toISOString() : at).toBe(utc)
  })

  it.each([
    ['2026-03-08T02:30', 'America/New_York', 'nonexistent'],
    ['2026-02-30T09:00', 'UTC', 'format'],
    ['9am', 'UTC', 'format'],
    ['2026-03-08T09:00', 'Nowhere/City', 'zone'],
  ])('%s in %s is refused as %s', (local, zone, problem) => {
    expect(zonedToUtc(local, zone)).toBe(problem)
  })

  it('shows an instant in a zone', () => {
    expect(formatInZone(new Date('2026-03-08T13:00:00Z'), 'America/New_York')).toBe('2026-03-08 09:00')
  })
})

describe('parseRecipients', () => {
  it('normalises, drops repeats (reported with the line they repeat) and reports invalid lines', () => {
    expect(parseRecipients('+1 (555) 010-0001\n\n+15550100002, 0015550100001\nnope\n+15550100002')).toEqual({
      recipients: ['+15550100001', '+15550100002'],
      duplicates: [{ line: 3, value: '0015550100001', firstLine: 1 }, { line: 5, value: '+15550100002', firstLine: 3 }],
      invalid: [{ line: 4, value: 'nope' }],
    })
  })
})

describe('summarizeProgress', () => {
  it.each([
    [{ total: 40, sent: 12, failed: 1, skipped: 0 }, '12 / 40 sent · 1 failed', 0.3],
    [{ total: 10, processed: 10 }, '10 / 10 processed', 1],
    [{ done: 3 }, '3 done', null],
    [{ total: 5, phase: 'uploading' }, '5 in all · phase: uploading', null],
  ])('%j reads "%s"', (data, text, fraction) => {
    const s = summarizeProgress(data)!
    expect(progressText(s)).toBe(text)
    expect(s.fraction).toBe(fraction)
  })

  it.each([[null], ['text'], [[1, 2]], [{ nested: { a: 1 } }]])('shows nothing for %j', (data) => {
    expect(summarizeProgress(data)).toBeNull()
  })
})

describe('the canvas run state', () => {
  it("keeps the latest progress per node of the run it shows, through catch-up loads, and ignores other runs'", () => {
    const reduce = runSlice.reducer
    let s = reduce(undefined, runStarted({ executionId: 'e1' }))
    s = reduce(s, stepProgressed({ executionId: 'e1', nodeId: 'bulk', event: 'progress', data: { total: 4, sent: 1 } }))
    s = reduce(s, stepProgressed({ executionId: 'e1', nodeId: 'bulk', event: 'progress', data: { total: 4, sent: 2 } }))
    s = reduce(s, stepProgressed({ executionId: 'other', nodeId: 'bulk', event: 'progress', data: { total: 9, sent: 9 } }))
    s = reduce(s, executionLoaded({ executionId: 'e1', status: 'running', steps: [{ nodeId: 'bulk', attempt: 1, status: 'running' }] }))
    expect(s.progress.bulk.data).toEqual({ total: 4, sent: 2 })
    expect(reduce(s, runStarted({ executionId: 'e2' })).progress).toEqual({})
  })
})
