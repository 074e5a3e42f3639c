// The inspector's next-five panel for Schedule nodes: times read in the schedule's zone, errors in their place.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { formatIn, ScheduleTimesView } from '@/components/inspector/ScheduleTimes'

describe('ScheduleTimesView', () => {
  it('lists the fire times in the schedule\'s zone, across a daylight-saving change', () => {
    const html = renderToStaticMarkup(
      <ScheduleTimesView preview={{ next: ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z'], timezone: 'Europe/Berlin' }} />,
    )
    expect(html).toContain('Europe/Berlin')
    expect(html.match(/<li /g)).toHaveLength(2)
    expect(html).toContain(formatIn('2026-03-28T08:00:00.000Z', 'Europe/Berlin'))
    expect(formatIn('2026-03-28T08:00:00.000Z', 'Europe/Berlin', 'en-GB')).toMatch(/09:00:00 CET/)
    expect(formatIn('2026-03-29T07:00:00.000Z', 'Europe/Berlin', 'en-GB')).toMatch(/09:00:00 CEST/)
  })

  it('shows the reason instead of times', () => {
    const html = renderToStaticMarkup(<ScheduleTimesView preview={{ next: [], error: { field: 'cron', message: '"0 0 30 2 *" never fires: no month has that day' } }} />)
    expect(html).toContain('data-testid="schedule-error"')
    expect(html).toContain('never fires')
    expect(html).not.toContain('<li')
    expect(renderToStaticMarkup(<ScheduleTimesView preview={null} failed="Could not reach the server." />)).toContain('Could not reach the server.')
  })
})
