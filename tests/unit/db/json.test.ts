import { describe, expect, it } from 'vitest'
import { jsonbText, storableJson, storableJsonText } from '../../../lib/db/json'

describe('JSON for jsonb columns', () => {
  it.each([
    ['a NUL character', { s: 'a\u0000b' }, { s: 'a\ufffdb' }],
    ['NUL in a key', { 'k\u0000': 1 }, { 'k\ufffd': 1 }],
    ['several, next to escaped backslashes', ['\\\u0000\u0000'], ['\\\ufffd\ufffd']],
    ['the literal text \\u0000 (not a NUL)', { s: '\\u0000' }, { s: '\\u0000' }],
    ['no NUL at all', { s: 'plain ✓ "quoted"' }, { s: 'plain ✓ "quoted"' }],
  ])('%s', (_, value, stored) => {
    expect(JSON.parse(storableJsonText(JSON.stringify(value)))).toEqual(stored)
    expect(JSON.parse(jsonbText(value)!)).toEqual(stored)
    expect(storableJson(value)).toEqual(stored)
  })

  it('leaves texts without NUL untouched and returns the same value', () => {
    const value = { a: [1, 2] }
    expect(storableJson(value)).toBe(value)
    expect(jsonbText(null)).toBeNull()
    expect(jsonbText(undefined)).toBeNull()
  })
})
