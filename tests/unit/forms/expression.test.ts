import { describe, expect, it } from 'vitest'
import { fromExpressionValue, isExpression, previewExpression, toExpressionValue } from '@/lib/forms/expression'

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
    [undefined, ''],
    ['', ''],
  ])('switching %j to expression gives %j (no seeded braces)', (v, e) => expect(toExpressionValue(v)).toBe(e))

  it.each([
    ['{{ 42 }}', 0, 42],
    ['{{ $json.a }}', 7, 7],
    ['{{ $json.name }}', 7, 'Ada'],
    ['{{ $json.age * 2 }}', 7, 7],
    ['{{ $json.address }}', 7, 7],
    ['fixed', 0, 'fixed'],
    ['', 'dflt', 'dflt'],
  ])('switching %j back to fixed gives %j', (v, fallback, e) => expect(fromExpressionValue(v, fallback, scope)).toBe(e))
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
