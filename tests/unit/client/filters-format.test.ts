import { describe, expect, it } from 'vitest'
import { filtersFromParams, filtersToParams, matchesFilters, toQuery, type FilterValues } from '@/lib/client/execution-filters'
import { elapsed, formatDuration, formatRelative } from '@/lib/client/format'

const NOW = Date.parse('2026-06-01T12:00:00.000Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const f = (over: Partial<FilterValues>): FilterValues => ({ workflowId: '', status: '', range: '24h', ...over })

describe('execution filters', () => {
  it.each([
    [f({}), { workflowId: 'w1', status: 'running', createdAt: ago(1000) }, true],
    [f({}), { workflowId: 'w1', status: 'running', createdAt: ago(25 * 3_600_000) }, false],
    [f({ range: 'all' }), { workflowId: 'w1', status: 'running', createdAt: ago(400 * 86_400_000) }, true],
    [f({ workflowId: 'w2' }), { workflowId: 'w1', status: 'running', createdAt: ago(1000) }, false],
    [f({ status: 'failed' }), { workflowId: 'w1', status: 'running', createdAt: ago(1000) }, false],
    [f({ status: 'failed', workflowId: 'w1', range: '1h' }), { workflowId: 'w1', status: 'failed', createdAt: ago(1000) }, true],
  ])('%j matches %j → %s', (filters, execution, expected) => {
    expect(matchesFilters(execution, filters, NOW)).toBe(expected)
  })

  it('turns filters into query params', () => {
    expect(toQuery(f({ workflowId: 'w1', range: '1h' }), NOW)).toEqual({ workflowId: 'w1', status: undefined, since: ago(3_600_000), limit: 50 })
    expect(toQuery(f({ status: 'failed', range: 'all' }), NOW)).toEqual({ workflowId: undefined, status: 'failed', since: undefined, limit: 50 })
  })
})

describe('filters in the URL', () => {
  it.each([
    ['', f({})],
    ['workflowId=w1&status=failed&range=7d', f({ workflowId: 'w1', status: 'failed', range: '7d' })],
    ['status=bogus&range=forever', f({})],
  ])('"%s" ↔ %j', (qs, filters) => {
    expect(filtersFromParams(new URLSearchParams(qs))).toEqual(filters)
    if (!qs.includes('bogus')) expect(filtersToParams(filters).toString()).toBe(qs)
  })
})

describe('format', () => {
  it.each([
    [null, '—'],
    [850, '850 ms'],
    [1500, '1.5 s'],
    [42_000, '42 s'],
    [125_000, '2 m 5 s'],
    [3 * 3_600_000 + 60_000, '3 h 1 m'],
  ])('formatDuration(%s) → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected)
  })

  it.each([
    [ago(10_000), 'just now'],
    [ago(5 * 60_000), '5 min ago'],
    [ago(3 * 3_600_000), '3 h ago'],
    [null, '—'],
  ])('formatRelative(%s) → %s', (iso, expected) => {
    expect(formatRelative(iso, NOW)).toBe(expected)
  })

  it('measures running executions up to now', () => {
    expect(elapsed(ago(2000), null, NOW)).toBe(2000)
    expect(elapsed(ago(2000), ago(500), NOW)).toBe(1500)
    expect(elapsed(null, null, NOW)).toBeNull()
  })

  // "-1024 ms" on a running row: a start stamped by the server a second after the browser's `now` (a stale tick, or a
  // browser clock behind the server's). A duration never reads below zero.
  it.each([
    ['a run that started after `now`', elapsed(new Date(NOW + 1024).toISOString(), null, NOW), 0],
    ['a finish stamped before the start (clock skew between hosts)', elapsed(ago(500), ago(900), NOW), 0],
  ])('never negative: %s', (_, ms, expected) => {
    expect(ms).toBe(expected)
    expect(formatDuration(ms)).toBe('0 ms')
  })

  it.each([[-1024], [-1], [-Infinity]])('formatDuration(%s) never shows a negative duration', (ms) => {
    expect(formatDuration(ms)).not.toMatch(/-/)
  })
})
