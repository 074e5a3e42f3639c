// The JSON body guards of lib/http/body.ts: nesting counted without recursion (brackets in strings and escaped quotes
// do not count), NUL located by field path.
import { describe, expect, it } from 'vitest'
import { findNul, jsonDepthExceeds, parseJsonText } from '../../../lib/http/body'

describe('jsonDepthExceeds', () => {
  it.each([
    ['flat', '{"a":1}', 1, false],
    ['at the limit', '[[[]]]', 3, false],
    ['one over', '[[[[]]]]', 3, true],
    ['siblings do not add up', '[[],[],[[]]]', 3, false],
    ['brackets inside strings', '["[[[[{{{{"]', 1, false],
    ['an escaped quote does not end the string', '["\\"[[[["]', 1, false],
    ['an escaped backslash before the closing quote', '["\\\\",[[]]]', 3, false],
    ['an escaped backslash, then nesting', '["\\\\",[[[]]]]', 3, true],
    ['100,000 deep', '['.repeat(100_000) + ']'.repeat(100_000), 128, true],
  ])('%s', (_, text, max, expected) => {
    expect(jsonDepthExceeds(text, max)).toBe(expected)
  })
})

describe('findNul', () => {
  it.each([
    ['none', { a: ['x', { b: 'y' }] }, null],
    ['a top-level string', 'a\u0000', '(body)'],
    ['in an array in an object', { a: ['x', { b: 'y\u0000' }] }, 'a.1.b'],
    ['in a key', { a: { 'k\u0000': 1 } }, 'a.k\\0'],
  ])('%s', (_, value, expected) => {
    expect(findNul(value)).toBe(expected)
  })
})

describe('parseJsonText', () => {
  it('reads an empty body as {} and an escaped backslash-u0000 text as no NUL', () => {
    expect(parseJsonText('')).toEqual({})
    expect(parseJsonText('{"a":"\\\\u0000"}')).toEqual({ a: '\\u0000' })
  })
  it.each([
    ['malformed', '{', { '(body)': 'malformed JSON' }],
    ['a raw NUL (not valid JSON)', '{"a":"\u0000"}', { '(body)': 'malformed JSON' }],
    ['an escaped NUL', '{"name":"a\\u0000"}', { name: 'must not contain NUL characters' }],
  ])('answers 400 to %s', (_, text, fields) => {
    expect(() => parseJsonText(text)).toThrow(expect.objectContaining({ status: 400, fields }))
  })
})

describe('prototype-pollution keys', () => {
  it.each([
    ['__proto__ at the top', '{"__proto__":{"polluted":1}}', '__proto__'],
    ['constructor.prototype deep in an array', '{"graph":{"nodes":[{"params":{"constructor":{"prototype":{"x":1}}}}]}}', 'graph.nodes.0.params.constructor'],
    ['prototype as a key', '{"a":{"prototype":1}}', 'a.prototype'],
    ['__proto__ spelled with \\u escapes', '{"a":{"\\u005f\\u005fproto\\u005f\\u005f":{"x":1}}}', 'a.__proto__'],
  ])('refuses %s with a 400 naming the path', (_, text, path) => {
    expect(() => parseJsonText(text)).toThrow(expect.objectContaining({ status: 400, fields: { [path]: `reserved name "${path.split('.').pop()}" is not allowed (__proto__, prototype, constructor)` } }))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it('lets the words through as values', () => {
    expect(parseJsonText('{"name":"constructor","note":"__proto__ and prototype"}')).toEqual({ name: 'constructor', note: '__proto__ and prototype' })
  })
})
