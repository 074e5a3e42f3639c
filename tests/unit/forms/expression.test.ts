import { describe, expect, it } from 'vitest'
import {
  buildSuggestions, fieldPaths, filterSuggestions, fromExpressionValue, isExpression, previewExpression, toExpressionValue, tokenAt,
} from '@/lib/forms/expression'

const scope = { $json: { name: 'Ada', age: 36, tags: ['x'], address: { city: 'London' } }, $node: { 'HTTP Request': { json: { status: 200 } } } }

describe('expression mode', () => {
  it.each([
    ['{{ $json.a }}', true],
    ['Hello {{ $json.a }}!', true],
    ['plain', false],
    [42, false],
  ])('isExpression(%j) = %s', (v, expected) => expect(isExpression(v)).toBe(expected))

  it.each([
    [42, '{{ 42 }}'],
    [true, '{{ true }}'],
    ['text', 'text'],
    [undefined, '{{  }}'],
  ])('switching %j to expression gives %j', (v, e) => expect(toExpressionValue(v)).toBe(e))

  it.each([
    ['{{ 42 }}', 0, 42],
    ['{{ $json.a }}', 7, 7],
    ['fixed', 0, 'fixed'],
  ])('switching %j back to fixed gives %j', (v, fallback, e) => expect(fromExpressionValue(v, fallback)).toBe(e))
})

describe('preview', () => {
  it.each([
    ['{{ $json.name }}', 'Ada'],
    ['{{ $json.age }}', 36],
    ['{{ $json.tags[0] }}', 'x'],
    ['{{ $json.address.city }}', 'London'],
    ['{{ $json["name"] }}', 'Ada'],
    ['{{ $node["HTTP Request"].json.status }}', 200],
    ['Hi {{ $json.name }}, {{ $json.age }}', 'Hi Ada, 36'],
    ['{{ $json.missing }}', undefined],
    ['{{ "lit" }}', 'lit'],
    ['no braces', 'no braces'],
  ])('%s → %j', (t, v) => expect(previewExpression(t, scope)).toEqual({ ok: true, value: v }))

  it('defers computed expressions to the run', () => {
    const p = previewExpression('{{ $json.age * 2 }}', scope)
    expect(p.ok).toBe(false)
  })
})

describe('autocomplete', () => {
  const all = buildSuggestions([
    { name: 'Code', item: scope.$json, direct: true },
    { name: 'HTTP Request', item: { status: 200 }, direct: false },
  ])

  it('offers direct parent fields as $json and earlier nodes by name', () => {
    const labels = all.map((s) => s.label)
    expect(labels).toEqual(expect.arrayContaining(['$json.name', '$json.address.city', '$json.tags[0]', '$node["HTTP Request"].json.status']))
  })

  it('finds the token being typed inside braces only', () => {
    expect(tokenAt('Hello {{ $json.na', 17)).toEqual({ start: 9, token: '$json.na' })
    expect(tokenAt('{{ $json.a }} $js', 17)).toBeNull()
  })

  it('ranks prefix matches first', () => {
    const out = filterSuggestions(all, '$json.a')
    expect(out[0].insert.startsWith('$json.a')).toBe(true)
    expect(out.map((s) => s.insert)).toContain('$json.address.city')
  })

  it('flattens nested fields', () => {
    expect(fieldPaths({ a: { b: [{ c: 1 }] }, 'x-y': 2 }).map((f) => f.path)).toEqual(['a', 'a.b', 'a.b[0]', 'a.b[0].c', '["x-y"]'])
  })
})
