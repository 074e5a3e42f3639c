// The entity pickers' pure parts: the search filter, what the list shows (search box from SEARCH_FROM options on,
// an unknown saved value kept and marked) and the registry's deployments offered to a model picker.
import { describe, expect, it } from 'vitest'
import { renderToStaticMarkup } from 'react-dom/server'
import { deploymentOptions, type Registry } from '@/components/collections/models'
import { EntityPicker, filterOptions, SEARCH_FROM, type PickerOption } from '@/components/pickers/EntityPicker'

const opts = (n: number): PickerOption[] => Array.from({ length: n }, (_, i) => ({ value: `wf_${i}`, label: `Workflow number ${i}` }))

describe('filterOptions', () => {
  const list = [{ value: 'a', label: 'Sync leads to CRM' }, { value: 'b', label: 'Nightly report' }, { value: 'c', label: 'CRM cleanup' }]
  it.each([
    ['', ['a', 'b', 'c']],
    ['crm', ['a', 'c']],
    ['crm sync', ['a']],
    ['  REPORT ', ['b']],
    ['nothing', []],
  ])('"%s" → %j', (q, values) => expect(filterOptions(list, q).map((o) => o.value)).toEqual(values))
  it('keeps the selected option whatever the query', () => {
    expect(filterOptions(list, 'report', 'c').map((o) => o.value)).toEqual(['b', 'c'])
  })
})

describe('EntityPicker', () => {
  const html = (options: PickerOption[] | null, value?: string) =>
    renderToStaticMarkup(<EntityPicker label="Workflow" value={value} onChange={() => {}} options={options} emptyLabel="Whole workspace" unknownLabel={(v) => `Unknown workflow (${v})`} />)

  it('shows names, with a search box only once the list is long', () => {
    expect(html(opts(SEARCH_FROM - 1))).not.toContain('Search: Workflow')
    expect(html(opts(SEARCH_FROM))).toContain('aria-label="Search: Workflow"')
    expect(html(opts(2))).toContain('>Workflow number 1</option>')
  })
  it('says it is loading, and keeps a saved id that is not in the list, marked', () => {
    expect(html(null)).toContain('>Loading…</option>')
    const unknown = html(opts(2), 'wf_gone')
    expect(unknown).toContain('>Unknown workflow (wf_gone)</option>')
    expect(unknown).toContain('aria-invalid="true"')
  })
})

describe('deploymentOptions', () => {
  const reg: Registry = {
    models: [
      { name: 'GPT', modelId: 'gpt-4o-mini', provider: 'openai', kind: 'chat', status: 'active', deployments: [{ name: 'gpt', status: 'active' }, { name: 'old', status: 'retired' }] },
      { name: 'Claude', modelId: 'claude-haiku-4-5', provider: 'anthropic', kind: 'chat', status: 'active', deployments: [{ name: 'claude', status: 'active' }] },
      { name: 'Embed', modelId: 'text-embedding-3-small', provider: 'openai', kind: 'embedding', dimensions: 1536, status: 'active', deployments: [{ name: 'embed', status: 'active' }] },
    ],
    routes: [{ name: 'smart', deployments: ['gpt', 'claude'] }, { name: 'mixed', deployments: ['gpt', 'embed'] }],
  }
  it('offers active deployments of the kind, then routes made only of them', () => {
    expect(deploymentOptions(reg, 'chat').map((o) => o.value)).toEqual(['gpt', 'claude', 'smart'])
    expect(deploymentOptions(reg, 'embedding').map((o) => o.value)).toEqual(['embed'])
  })
  it('narrows to one provider and can leave routes out (fine-tuning bases)', () => {
    expect(deploymentOptions(reg, 'chat', { provider: 'openai', routes: false }).map((o) => o.value)).toEqual(['gpt'])
  })
})
