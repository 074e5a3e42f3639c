// Template parameters: where a graph uses them, checking values against the schema, and putting them in place.
import { describe, expect, it } from 'vitest'
import { ValidationError } from '@/lib/errors'
import { checkParamValues, paramUses, resolveTemplateParams } from '@/lib/templates/params'
import { templateParameterSchema, type TemplateParameter } from '@/lib/templates/types'

const param = (p: Record<string, unknown>): TemplateParameter => templateParameterSchema.parse({ type: 'string', ...p })
const graphWith = (params: Record<string, unknown>) => ({ nodes: [{ id: 'n1', name: 'Node one', type: 'set', typeVersion: 1, params, settings: {}, position: { x: 0, y: 0 } }] })
const resolve = (params: Record<string, unknown>, values: Record<string, unknown>) => resolveTemplateParams(graphWith(params), values).nodes[0].params

/** The field a ValidationError names, or null when `fn` did not throw one. */
function fieldOf(fn: () => unknown): string | null {
  try {
    fn()
    return null
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return Object.keys(err.fields ?? {})[0] ?? null
  }
}

describe('paramUses', () => {
  it('finds each $param.x with its node and dotted path, and reports unsupported forms', () => {
    const { uses, unsupported } = paramUses(graphWith({
      url: 'https://{{ $param.host }}/v1',
      headers: [{ name: 'x', value: '{{ $param.token }}' }],
      nested: { expr: '{{ $json.n * $param.rate + $param.rate }}' },
      odd: '{{ $param["host"] }}',
      bare: '{{ $param }}',
      plain: 'no params here',
    }))
    expect(uses).toEqual([
      { name: 'host', nodeId: 'n1', nodeName: 'Node one', path: 'url' },
      { name: 'token', nodeId: 'n1', nodeName: 'Node one', path: 'headers.0.value' },
      { name: 'rate', nodeId: 'n1', nodeName: 'Node one', path: 'nested.expr' },
      { name: 'rate', nodeId: 'n1', nodeName: 'Node one', path: 'nested.expr' },
    ])
    expect(unsupported).toEqual([
      { nodeId: 'n1', nodeName: 'Node one', path: 'odd' },
      { nodeId: 'n1', nodeName: 'Node one', path: 'bare' },
    ])
  })
})

describe('resolveTemplateParams', () => {
  it('a whole-string placeholder becomes the typed value itself', () => {
    const out = resolve({ n: '{{ $param.n }}', b: '{{$param.b}}', j: '{{ $param.j }}', s: '{{ $param.s }}', spaced: ' {{ $param.n }} ' }, { n: 5, b: false, j: { a: [1, 2] }, s: 'text' })
    expect(out).toEqual({ n: 5, b: false, j: { a: [1, 2] }, s: 'text', spaced: ' 5 ' })
  })

  it('a placeholder among other text becomes the value as text (objects as JSON, empty for null)', () => {
    const out = resolve({ a: 'Hello {{ $param.who }}!', b: 'n={{ $param.n }}, j={{ $param.j }}, z=[{{ $param.z }}]' }, { who: 'Ada', n: 3, j: { k: 1 }, z: null })
    expect(out).toEqual({ a: 'Hello Ada!', b: 'n=3, j={"k":1}, z=[]' })
  })

  it('inside a larger expression the value becomes a literal; the rest of the expression is kept', () => {
    const out = resolve({
      total: '{{ $json.total * $param.rate }}',
      label: '{{ $json.name + $param.suffix }} and {{ $json.other }}',
      cfg: '{{ Object.keys($param.cfg).length }}',
    }, { rate: 0.2, suffix: ' "quoted"', cfg: { a: { b: { c: 1 } } } })
    expect(out.total).toBe('{{ $json.total * 0.2 }}')
    expect(out.label).toBe('{{ $json.name + " \\"quoted\\"" }} and {{ $json.other }}')
    // A nested object's closing braces must not end the expression early.
    expect(out.cfg).not.toMatch(/\}\}.*\}\}/)
    expect(out.cfg).toMatch(/^\{\{ Object\.keys\(\{"a":\{"b":\{"c":1\} ?\} ?\}\)\.length \}\}$/)
  })

  it('leaves text without $param, non-strings, ids, names and settings alone', () => {
    const graph = { nodes: [{ id: 'keep', name: '{{ $param.x }}', type: 't', typeVersion: 2, params: { a: 1, b: null, c: '{{ $json.x }}' }, settings: { notes: '{{ $param.x }}' }, position: { x: 1, y: 2 } }] }
    expect(resolveTemplateParams(graph, { x: 'v' })).toEqual(graph)
  })

  it('refuses values that, placed side by side, would form an expression', () => {
    expect(fieldOf(() => resolve({ a: '{{ $param.l }}{{ $param.r }} $env.SECRET }}' }, { l: '{', r: '{' }))).toBe('params')
  })
})

describe('checkParamValues', () => {
  const parameters = [
    param({ name: 'name', required: true }),
    param({ name: 'note', type: 'text', default: 'hi' }),
    param({ name: 'count', type: 'number', default: 2 }),
    param({ name: 'on', type: 'boolean' }),
    param({ name: 'mode', type: 'select', options: [{ value: 'a' }, { value: 1 }] }),
    param({ name: 'cfg', type: 'json' }),
  ]

  it('fills defaults and empty values, and coerces types', () => {
    expect(checkParamValues(parameters, { name: 'Ada' })).toEqual({ name: 'Ada', note: 'hi', count: 2, on: false, mode: '', cfg: null })
    expect(checkParamValues(parameters, { name: 7, count: '3.5', on: 'true', mode: '1', cfg: '{"a":[1]}' })).toEqual({ name: '7', note: 'hi', count: 3.5, on: true, mode: 1, cfg: { a: [1] } })
    expect(checkParamValues(parameters, { name: 'x', note: '', count: null })).toMatchObject({ note: 'hi', count: 2 })
  })

  it.each([
    ['a missing required value', {}, 'params.name'],
    ['an empty required value', { name: '' }, 'params.name'],
    ['an unknown name', { name: 'x', other: 1 }, 'params.other'],
    ['a number that is not one', { name: 'x', count: 'many' }, 'params.count'],
    ['a boolean that is not one', { name: 'x', on: 'yes' }, 'params.on'],
    ['a value outside the options', { name: 'x', mode: 'b' }, 'params.mode'],
    ['invalid JSON text', { name: 'x', cfg: '{nope' }, 'params.cfg'],
    ['text that is an object', { name: { a: 1 } }, 'params.name'],
    ['an expression reaching for credentials', { name: '{{ $credentials.smtp.password }}' }, 'params.name'],
    ['an expression reaching for the environment', { name: 'x', note: 'a {{ $env.AUTERITY_ENCRYPTION_KEY }} b' }, 'params.note'],
    ['a lone closing brace pair', { name: 'x }}' }, 'params.name'],
    ['an expression deep inside JSON', { name: 'x', cfg: { a: [{ b: 'ok' }, { c: '{{ $env.X }}' }] } }, 'params.cfg.a.1.c'],
    ['an expression inside JSON given as text', { name: 'x', cfg: '{"a":"{{ $env.X }}"}' }, 'params.cfg'],
    ['a __proto__ key inside JSON', { name: 'x', cfg: JSON.parse('{"__proto__":{"polluted":true}}') }, 'params.cfg.__proto__'],
    ['a constructor key inside JSON', { name: 'x', cfg: { nested: { constructor: 1 } } }, 'params.cfg.nested.constructor'],
    ['a __proto__ parameter name', JSON.parse('{"name":"x","__proto__":1}'), 'params.__proto__'],
  ])('refuses %s, naming the field', (_, given, field) => {
    expect(fieldOf(() => checkParamValues(parameters, given as Record<string, unknown>))).toBe(field)
  })

  it('names the body field it is given', () => {
    expect(fieldOf(() => checkParamValues(parameters, {}, 'testCases.0.params'))).toBe('testCases.0.params.name')
  })

  it('leaves Object.prototype alone', () => {
    checkParamValues(parameters, { name: 'x', cfg: JSON.parse('{"a":{"b":1}}') })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
