// The Page Changed trigger's pure parts: ignore rules, text normalization, the line diff and its change ratio, and the
// activation check of the interval. The checks themselves run in real Chromium: tests/integration/browser/page-monitor.test.ts.
import { describe, expect, it } from 'vitest'
import { pageMonitorParams, parseIgnore } from '@/lib/nodes/browser/page-monitor/definition'
import { diffTexts, normalizeText, targetOf } from '@/lib/nodes/browser/page-monitor/capture'
import { pageMonitorKind } from '@/lib/services/page-monitor-kind'
import { ValidationError } from '@/lib/errors'

describe('Page Changed: comparing texts', () => {
  it('reads ignore lines as regexes between slashes, else CSS selectors; refuses a bad regex naming the field', () => {
    const { patterns, selectors } = parseIgnore('/\\d+:\\d+/\n  .ad  \n\n#clock\n/visitors: \\d+/i')
    expect(patterns.map(String)).toEqual(['/\\d+:\\d+/g', '/visitors: \\d+/gi'])
    expect(selectors).toEqual(['.ad', '#clock'])
    const bad = pageMonitorParams.safeParse({ url: 'https://example.com/', ignore: '/(unclosed/' })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues[0].path).toEqual(['ignore'])
    expect(pageMonitorParams.safeParse({ url: 'ftp://example.com/' }).success).toBe(false)
  })

  it('normalizes lines (trimmed, blanks collapsed, empty lines dropped) after stripping ignored text', () => {
    expect(normalizeText('  Title  \n\n  Updated   12:30 today \n\tPrice:  5 €\n', parseIgnore('/\\d+:\\d+/').patterns)).toBe('Title\nUpdated today\nPrice: 5 €')
  })

  it('diffs by lines: added, removed, unified hunks, and the changed characters over all characters', async () => {
    const before = ['a', 'b', 'c', 'd'].map((x) => x.repeat(9)).join('\n')
    const after = ['a', 'B', 'c', 'd'].map((x) => x.repeat(9)).join('\n')
    const d = await diffTexts(before, after)
    expect(d.added).toEqual(['BBBBBBBBB'])
    expect(d.removed).toEqual(['bbbbbbbbb'])
    expect(d.ratio).toBeCloseTo(20 / 80)
    expect(d.unified).toBe('@@ -1,4 +1,4 @@\n aaaaaaaaa\n-bbbbbbbbb\n+BBBBBBBBB\n ccccccccc\n ddddddddd\n')
    expect(await diffTexts(before, before)).toEqual({ added: [], removed: [], unified: '', ratio: 0 })
    expect((await diffTexts('', 'new')).ratio).toBe(1)
  })

  it('another URL, selector or ignore rules is another target (a new baseline)', () => {
    const p = { url: 'https://example.com/', selector: '', ignore: '' }
    expect(targetOf(p)).toBe(targetOf({ ...p }))
    expect(targetOf({ ...p, selector: '#x' })).not.toBe(targetOf(p))
    expect(targetOf({ ...p, ignore: '.ad' })).not.toBe(targetOf(p))
  })
})

describe('Page Changed: activation', () => {
  const kind = pageMonitorKind(() => 60_000)
  const spec = (params: Record<string, unknown>) => ({ nodeId: 'w', nodeIndex: 2, nodeType: 'browser-page-monitor', kind: 'monitor', key: '', config: pageMonitorParams.parse({ url: 'https://example.com/', ...params }) })

  it('refuses an interval under the workspace minimum, naming every', () => {
    let err: unknown
    try {
      kind.check!(spec({ every: 30, unit: 'seconds' }), {} as never)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ValidationError)
    expect((err as ValidationError).message).toBe('graph.nodes.2.params.every: Checking every 30 s is more often than this workspace allows (at most once every 1 min)')
    expect(() => kind.check!(spec({ every: 1, unit: 'minutes' }), {} as never)).not.toThrow()
  })
})
