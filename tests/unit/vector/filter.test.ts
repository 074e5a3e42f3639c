// The filter compiler: conditions → WHERE clause, names checked against the collection's fields, values typed and
// quoted; injection attempts either stay literal or are refused naming the field.
import { describe, expect, it } from 'vitest'
import { compileFilter, type Fields } from '../../../lib/vector/filter'
import type { SearchFilter } from '../../../lib/vector/types'

const fields: Fields = { lang: 'string', year: 'number', draft: 'boolean', Score: 'number' }

describe('compileFilter', () => {
  it.each<[string, SearchFilter, string]>([
    ['a value means equals', { lang: 'en' }, "(`m_lang` = 'en')"],
    ['eq', { year: { eq: 2020 } }, '(`m_year` = 2020)'],
    ['ne keeps documents without the field', { lang: { ne: 'en' } }, "((`m_lang` IS NULL OR `m_lang` <> 'en'))"],
    ['in', { lang: { in: ['en', 'fr'] } }, "(`m_lang` IN ('en', 'fr'))"],
    ['a range', { year: { gte: 2020, lt: 2024 } }, '(`m_year` >= 2020) AND (`m_year` < 2024)'],
    ['booleans', { draft: false }, '(`m_draft` = FALSE)'],
    ['fields ANDed', { lang: 'en', draft: true }, "(`m_lang` = 'en') AND (`m_draft` = TRUE)"],
    ['case kept in names', { Score: { gt: 0.5 } }, '(`m_Score` > 0.5)'],
    ['quotes doubled', { lang: "x' OR 1=1 --" }, "(`m_lang` = 'x'' OR 1=1 --')"],
    ['backslashes are literal', { lang: "a\\' OR 'a'='a" }, "(`m_lang` = 'a\\'' OR ''a''=''a')"],
    ['tiny and huge numbers cast from text', { year: { gt: 1e-7, lt: 1e21 } }, "(`m_year` > CAST('1e-7' AS DOUBLE)) AND (`m_year` < CAST('1e+21' AS DOUBLE))"],
    ['string ranges compare as text', { lang: { gte: 'a', lt: 'm' } }, "(`m_lang` >= 'a') AND (`m_lang` < 'm')"],
  ])('%s', (_name, filter, where) => {
    expect(compileFilter(filter, fields)).toBe(where)
  })

  it('has nothing to compile without a filter or with an empty one', () => {
    expect(compileFilter(undefined, fields)).toBeUndefined()
    expect(compileFilter({}, fields)).toBeUndefined()
  })

  it.each<[string, unknown, string]>([
    ['an unknown field', { author: 'x' }, 'filter.author'],
    ['a name with SQL in it', { 'lang; DROP TABLE x': 'en' }, 'filter.lang; DROP TABLE x'],
    ['a name closing the quoting', { 'lang` = `lang` OR 1=1 OR `lang': 'en' }, 'filter.lang` = `lang` OR 1=1 OR `lang'],
    ['__proto__', JSON.parse('{"__proto__": "x"}'), 'filter.__proto__'],
    ['constructor', { constructor: 'x' }, 'filter.constructor'],
    ['a string for a number', { year: '2020 OR 1=1' }, 'filter.year'],
    ['a number for a string', { lang: 5 }, 'filter.lang'],
    ['NaN', { year: { gt: NaN } }, 'filter.year.gt'],
    ['Infinity', { year: { lt: Infinity } }, 'filter.year.lt'],
    ['an empty in', { lang: { in: [] } }, 'filter.lang.in'],
    ['in with a wrong type', { lang: { in: ['en', 7] } }, 'filter.lang.in[1]'],
    ['an unknown operator', { year: { like: '%' } }, 'filter.year.like'],
    ['a range on a boolean', { draft: { gt: true } }, 'filter.draft.gt'],
    ['an empty condition', { lang: {} }, 'filter.lang'],
    ['a nested object as value', { lang: { eq: { $ne: 1 } } }, 'filter.lang.eq'],
    ['a NUL in a string', { lang: 'en\0' }, 'filter.lang'],
    ['a filter that is a string', 'lang = en', 'filter'],
    ['a filter that is a list', [{ lang: 'en' }], 'filter'],
  ])('refuses %s, naming the field', (_name, filter, field) => {
    let error: unknown
    try {
      compileFilter(filter as SearchFilter, fields)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'VECTOR_FILTER_INVALID', status: 400, field })
  })

  it('lists the filterable fields when a name is unknown', () => {
    expect(() => compileFilter({ author: 'x' }, fields)).toThrow(/filterable: Score, draft, lang, year/)
    expect(() => compileFilter({ author: 'x' }, {})).toThrow(/no filterable metadata yet/)
  })
})
