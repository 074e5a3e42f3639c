// Set v1, v2, v3, v3.3+ and raw mode; If v1 and v2, Filter, Switch v1 (rules sharing outputs, fallback), v2
// (expression) and v3 (filter rules, extra fallback, all matches): exact params, edges and report entries.
import { describe, expect, it } from 'vitest'
import { expectValidGraph, importFixture } from './fixtures'

describe('Set across versions', () => {
  const imported = importFixture('set-versions.json')
  const { node, entry } = imported

  it('produces a graph our API accepts', () => {
    expectValidGraph(imported.graph)
    expect(imported.report.summary).toEqual({ nodes: 7, mapped: 7, placeholders: 0, stickyNotes: 0, unmappedEntries: 6 })
  })

  it('v1: typed value lists in n8n order (booleans, numbers, strings); keepOnlySet drops the other fields', () => {
    expect(node('Set v1').params).toEqual({
      fields: [
        { name: 'active', value: true, type: 'boolean' },
        { name: 'count', value: 3, type: 'number' },
        { name: 'greeting', value: 'Hi {{ $json.name }}', type: 'string' },
      ],
      keepOtherFields: false,
    })
    expect(entry('Set v1').unmapped).toEqual([])
  })

  it('v2: dot notation off is reported (names with dots are always paths here)', () => {
    expect(node('Set v2').params).toEqual({ fields: [{ name: 'customer.city', value: 'Berlin', type: 'string' }], keepOtherFields: true })
    expect(entry('Set v2').unmapped).toEqual([{ path: 'parameters.options.dotNotation', reason: 'field names with dots are always paths here ("a.b" writes b inside a)', original: 'false' }])
  })

  it('v3: fields.values with <type>Value; include "selected" is reported', () => {
    expect(node('Set v3').params).toEqual({
      fields: [
        { name: 'total', value: '{{ $json.price * 2 }}', type: 'number' },
        { name: 'tags', value: '["a", "b"]', type: 'json' },
        { name: 'title', value: 'Order', type: 'string' },
      ],
      keepOtherFields: true,
    })
    expect(entry('Set v3').unmapped).toEqual([{ path: 'parameters.includeFields', reason: 'include "selected" has no equivalent here: every other field is kept', original: 'id, name' }])
  })

  it('v3.3: assignments; without includeOtherFields only the fields are output; $env is refused and kept as written', () => {
    expect(node('Set v3.3').params).toEqual({
      fields: [
        { name: 'ok', value: true, type: 'boolean' },
        { name: 'meta', value: "{{ { source: 'n8n' } }}", type: 'json' },
        { name: 'token', value: '{{ $env.TOKEN }}', type: 'string' },
      ],
      keepOtherFields: false,
    })
    expect(entry('Set v3.3').unmapped).toEqual([
      {
        path: 'parameters.assignments.assignments.2.value',
        reason: 'reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand',
        original: '={{ $env.TOKEN }}',
      },
      { path: 'parameters.options.ignoreConversionErrors', reason: 'not supported here', original: 'true' },
    ])
  })

  it('raw mode: plain JSON becomes one field per key; JSON built by an expression is reported', () => {
    expect(node('Set raw').params).toEqual({ fields: [{ name: 'status', value: 'done', type: 'auto' }, { name: 'n', value: 1, type: 'auto' }], keepOtherFields: true })
    expect(entry('Set raw').unmapped).toEqual([{ path: 'parameters.excludeFields', reason: 'include "except" has no equivalent here: every other field is kept', original: 'secret' }])
    expect(node('Set raw expression').params).toEqual({ fields: [], keepOtherFields: false })
    expect(entry('Set raw expression').unmapped).toEqual([
      { path: 'parameters.jsonOutput', reason: 'JSON built by an expression has no equivalent here: add the fields one by one', original: '={\n  "id": {{ $json.id }}\n}' },
    ])
  })
})

describe('If, Filter and Switch', () => {
  const imported = importFixture('branching.json')
  const { node, entry } = imported

  it('produces a graph our API accepts, with If, Switch and fallback outputs on our ports', () => {
    expectValidGraph(imported.graph)
    expect(imported.edges()).toEqual([
      'Start:main -> If v1:main',
      'If v1:true -> If v2:main',
      'If v1:false -> Filter:main',
      'If v2:true -> Filter:main',
      'Filter:main -> Switch v1:main',
      'Filter:main -> Switch v2 expression:main',
      'Filter:main -> Switch v3:main',
      'Switch v1:out0 -> Germanic:main',
      'Switch v1:out1 -> Germanic:main',
      'Switch v1:out2 -> U countries:main',
      'Switch v1:fallback -> Elsewhere:main',
      'Switch v2 expression:out2 -> Priority 2:main',
      'Switch v3:out0 -> Large:main',
      'Switch v3:out1 -> Medium:main',
      'Switch v3:fallback -> Other:main',
    ])
  })

  it('If v1: typed lists with their default operations, combineOperation any; notRegex is reported and left out', () => {
    expect(node('If v1').params).toEqual({
      conditions: [
        { left: '{{ $json.status }}', operator: 'equals', right: 'paid' },
        { left: '{{ $json.total }}', operator: 'gte', right: 10 },
        { left: '{{ $json.vip }}', operator: 'equals', right: true },
        { left: '{{ $json.createdAt }}', operator: 'lt', right: '2026-01-01' },
      ],
      combine: 'any',
    })
    expect(entry('If v1').unmapped).toEqual([
      {
        path: 'parameters.conditions.string.1',
        reason: 'the string operation "notRegex" has no equivalent here; the condition was left out',
        original: '{"value1":"={{ $json.email }}","operation":"notRegex","value2":"@test\\\\."}',
      },
    ])
  })

  it('If v2: operator type and operation, combinator or; case-insensitive and array length are reported', () => {
    expect(node('If v2').params).toEqual({
      conditions: [
        { left: '{{ $json.name }}', operator: 'startsWith', right: 'A' },
        { left: '{{ $json.tags }}', operator: 'isNotEmpty' },
        { left: '{{ $json.flag }}', operator: 'isTrue' },
      ],
      combine: 'any',
    })
    expect(entry('If v2').unmapped).toEqual([
      { path: 'parameters.conditions.options.caseSensitive', reason: 'case-insensitive comparison has no equivalent here: conditions compare case-sensitively', original: 'false' },
      {
        path: 'parameters.conditions.conditions.3.operator',
        reason: 'the array operation "lengthGt" has no equivalent here; the condition was left out',
        original: '{"type":"array","operation":"lengthGt","rightType":"number"}',
      },
    ])
  })

  it('Filter v2: dateTime afterOrEquals → gte; loose type validation is a note', () => {
    expect(node('Filter').params).toEqual({ conditions: [{ left: '{{ $json.deletedAt }}', operator: 'gte', right: '' }], combine: 'all', keepDiscarded: false })
    expect(entry('Filter').unmapped).toEqual([])
    expect(entry('Filter').notes).toEqual(['loose type validation: our comparisons already convert numbers and booleans written as text'])
  })

  it('Switch v1: one rule per n8n rule, rules sharing an output both wired to it, fallbackOutput 3 → fallback', () => {
    expect(node('Switch v1').params).toEqual({
      mode: 'rules',
      rules: [
        { left: '{{ $json.country }}', operator: 'equals', right: 'DE' },
        { left: '{{ $json.country }}', operator: 'equals', right: 'AT' },
        { left: '{{ $json.country }}', operator: 'startsWith', right: 'U' },
      ],
      matching: 'firstMatch',
    })
    expect(entry('Switch v1').unmapped).toEqual([])
  })

  it('Switch v2 expression mode and Switch v3 rules (renamed output, extra fallback, all matching outputs)', () => {
    expect(node('Switch v2 expression').params).toEqual({ mode: 'expression', outputIndex: '{{ $json.priority }}', outputCount: 3 })
    expect(node('Switch v3').params).toEqual({
      mode: 'rules',
      rules: [
        { left: '{{ $json.total }}', operator: 'gt', right: 100, label: 'Large' },
        { left: '{{ $json.total }}', operator: 'gte', right: 10 },
      ],
      matching: 'allMatches',
    })
    expect(entry('Switch v3').unmapped.map((u) => [u.path, u.reason])).toEqual([
      ['parameters.rules.values.1.conditions', 'a rule here holds one condition: only the first of 2 (and) was kept'],
    ])
  })
})
