import { describe, expect, it } from 'vitest'
import { CODE_GLOBALS, codeCompletions } from '@/lib/forms/code-completion'
import { EXPRESSION_VARIABLES, NO_SAMPLE_HINT, expressionCompletions, openExpressionAt } from '@/lib/forms/expression-completion'
import type { UpstreamSample } from '@/lib/forms/expression'

const upstream: UpstreamSample[] = [
  { name: 'Code', item: { name: 'Ada', score: 92, address: { city: 'London' }, tags: [{ id: 1 }], 'x-y': 1 }, direct: true, source: 'run' },
  { name: 'HTTP Request', item: { status: 200, body: { users: [] } }, direct: false, source: 'declared' },
  { name: 'Webhook', item: { body: {}, query: { q: 'a' } }, direct: false, trigger: true },
  { name: 'Not run', item: null, direct: false },
]

/** `|` marks the cursor. */
function complete(text: string, samples = upstream, explicit = false) {
  const cursor = text.indexOf('|')
  const doc = text.replace('|', '')
  const r = expressionCompletions(doc, cursor, samples, explicit)
  return r && { ...r, labels: r.options.map((o) => o.label), typed: doc.slice(r.from, cursor) }
}

describe('expression completion', () => {
  it('only completes inside {{ }}, as the engine splits templates', () => {
    expect(complete('Hello $js|')).toBeNull()
    expect(complete('{{ $json.a }} $js|')).toBeNull()
    expect(openExpressionAt('a {{ b }} {{ c', 14)).toBe(12)
    expect(openExpressionAt('a {{ b }}', 9)).toBeNull()
  })

  it('lists exactly the variables the engine defines on $', () => {
    const r = complete('{{ $|')!
    expect(r.labels).toEqual(EXPRESSION_VARIABLES.map((v) => v.label))
    expect(r.labels).toEqual(['$json', '$input', '$node', '$', '$trigger', '$itemIndex', '$now', '$execution'])
    expect(r.typed).toBe('$')
  })

  it.each([
    ['{{ $json.|', ['name', 'score', 'address', 'tags', 'x-y'], ''],
    ['{{ $json.sc|', ['name', 'score', 'address', 'tags', 'x-y'], 'sc'],
    ['{{ $json.address.|', ['city'], ''],
    ['{{ $json.tags[0].|', ['id'], ''],
    ['{{ $input.item.|', ['name', 'score', 'address', 'tags', 'x-y'], ''],
    ['{{ $input.first().ad|', ['name', 'score', 'address', 'tags', 'x-y'], 'ad'],
    ['{{ $trigger.|', ['body', 'query'], ''],
    ['{{ $node["HTTP Request"].json.|', ['status', 'body'], ''],
    ['{{ $("HTTP Request").json.body.|', ['users'], ''],
    ['{{ $node["HTTP Request"].|', ['json', 'items'], ''],
    ['{{ $input.|', ['item', 'all()', 'first()', 'last()', 'items'], ''],
    ['{{ $execution.|', ['id', 'workflowId'], ''],
  ])('%s', (text, labels, typed) => {
    const r = complete(text)!
    expect(r.labels).toEqual(labels)
    expect(r.typed).toBe(typed)
  })

  it('lists the nodes upstream after $node[" and closes the reference', () => {
    const r = complete('{{ $node["HT|')!
    expect(r.labels).toEqual(['Code', 'HTTP Request', 'Webhook', 'Not run'])
    expect(r.typed).toBe('HT')
    expect(r.options[1].apply).toBe('HTTP Request"]')
    expect(complete("{{ $('|")!.options[0].apply).toBe("Code')")
  })

  it('says why no fields are offered', () => {
    expect(complete('{{ $node["Not run"].json.|')).toMatchObject({ options: [], hint: NO_SAMPLE_HINT })
    expect(complete('{{ $json.|', [{ name: 'HTTP', item: null, direct: true }])).toMatchObject({ options: [], hint: NO_SAMPLE_HINT })
    expect(complete('{{ $node["Gone"].json.|')!.hint).toMatch(/No node named “Gone”/)
  })

  it('offers the variables on request (Ctrl+Space) after an operator', () => {
    expect(complete('{{ 1 + |', upstream, true)!.labels).toContain('$json')
    expect(complete('{{ 1 + |', upstream, false)).toBeNull()
  })
})

describe('code completion', () => {
  const item = { name: 'Ada', address: { city: 'London' } }
  const labels = (r: ReturnType<typeof codeCompletions>) => r?.options.map((o) => o.label)

  it('offers the names the sandbox binds in each mode', () => {
    expect(labels(codeCompletions('return it', 'runOnceForAllItems', item))).toEqual(CODE_GLOBALS.runOnceForAllItems.map((o) => o.label))
    expect(labels(codeCompletions('', 'runOnceForAllItems', item, true))).toEqual(
      expect.arrayContaining(['items', '$input', '$page', '$state', '$execution', '$workflow', '$node', 'console']),
    )
    const each = labels(codeCompletions('return $', 'runOnceForEachItem', item))!
    expect(each).toEqual(expect.arrayContaining(['item', '$json', 'index']))
    expect(each).not.toContain('items')
  })

  it.each([
    ['items[0].', 'runOnceForAllItems', ['name', 'address']],
    ['$input.first().address.', 'runOnceForAllItems', ['city']],
    ['return { ...$json.', 'runOnceForEachItem', ['name', 'address']],
    ['item.address.ci', 'runOnceForEachItem', ['city']],
    ['$page.', 'runOnceForAllItems', ['index', 'offset', 'count', 'total', 'isFirst', 'isLast']],
    ['console.', 'runOnceForEachItem', ['log', 'info', 'warn', 'error']],
    ['$execution.', 'runOnceForAllItems', ['id', 'attempt']],
  ] as const)('%s (%s)', (before, mode, expected) => expect(labels(codeCompletions(before, mode, item))).toEqual(expected))

  it('does not offer item fields of the other mode, and says when no sample is known', () => {
    expect(labels(codeCompletions('$json.', 'runOnceForAllItems', item))).not.toEqual(['name', 'address'])
    expect(codeCompletions('items[0].', 'runOnceForAllItems', null)).toMatchObject({ options: [], hint: NO_SAMPLE_HINT })
  })
})
