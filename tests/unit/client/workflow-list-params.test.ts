import { describe, expect, it } from 'vitest'
import { DEFAULT_VIEW, toListQuery, viewFromParams, viewToParams } from '@/lib/client/workflow-list-params'

describe('workflow list view in the URL', () => {
  it('round-trips a view through the query string, leaving defaults out', () => {
    const view = { q: 'sync', tag: 'finance', folder: 'f1', sort: 'name' as const }
    expect(viewToParams(view).toString()).toBe('folder=f1&q=sync&tag=finance&sort=name')
    expect(viewFromParams(viewToParams(view))).toEqual(view)
    expect(viewToParams(DEFAULT_VIEW).toString()).toBe('')
  })

  it('ignores a sort it does not know', () => {
    expect(viewFromParams(new URLSearchParams('sort=size')).sort).toBe('updated')
  })

  it.each([
    [DEFAULT_VIEW, { folder: 'root', sort: 'updated' }],
    [{ ...DEFAULT_VIEW, q: ' inv ' }, { q: 'inv', sort: 'updated' }],
    [{ ...DEFAULT_VIEW, tag: 'x' }, { tag: 'x', sort: 'updated' }],
    [{ ...DEFAULT_VIEW, folder: 'f1', q: 'a' }, { q: 'a', folder: 'f1', sort: 'updated' }],
  ])('asks the API for %j as %j', (view, query) => {
    expect(JSON.parse(JSON.stringify(toListQuery(view)))).toEqual(query)
  })
})
