// Reciprocal rank fusion and the errors nodes see.
import { describe, expect, it } from 'vitest'
import { AiError } from '../../../lib/ai/errors'
import { NodeError } from '../../../lib/engine/types'
import { toNodeError, VectorError } from '../../../lib/vector/errors'
import { reciprocalRankFusion, RRF_K } from '../../../lib/vector/fusion'

const list = (...ids: string[]) => ids.map((id, i) => ({ id, score: 1 - i / 10 }))

describe('reciprocal rank fusion', () => {
  it('scores Σ 1/(60 + rank) over the lists a hit is in, keeping each list\'s rank and score', () => {
    const fused = reciprocalRankFusion(list('a', 'b', 'c'), [{ id: 'c', score: 7.5 }, { id: 'd', score: 3 }])
    expect(RRF_K).toBe(60)
    expect(fused.map((f) => f.id)).toEqual(['c', 'a', 'b', 'd'])
    expect(fused[0]).toEqual({ id: 'c', fusedScore: 1 / 63 + 1 / 61, vectorRank: 3, keywordRank: 1, vectorScore: 0.8, keywordScore: 7.5 })
    expect(fused[1]).toEqual({ id: 'a', fusedScore: 1 / 61, vectorRank: 1, keywordRank: null, vectorScore: 1, keywordScore: null })
    expect(fused[3]).toMatchObject({ id: 'd', fusedScore: 1 / 62, vectorRank: null, keywordRank: 2 })
  })

  it('breaks ties by the better single rank, then by id, and counts a repeated id once per list', () => {
    const fused = reciprocalRankFusion(list('x', 'y'), list('y', 'x', 'x'))
    expect(fused.map((f) => [f.id, f.fusedScore])).toEqual([['x', 1 / 61 + 1 / 62], ['y', 1 / 62 + 1 / 61]])
    expect(reciprocalRankFusion(list('b'), list('a')).map((f) => f.id)).toEqual(['a', 'b'])
  })

  it('fuses empty lists into nothing, and a single list in its own order', () => {
    expect(reciprocalRankFusion([], [])).toEqual([])
    expect(reciprocalRankFusion([], list('p', 'q', 'r')).map((f) => f.keywordRank)).toEqual([1, 2, 3])
  })
})

describe('errors for nodes', () => {
  it('turns a VectorError into a NodeError with its code, field and retryability', () => {
    const e = toNodeError(new VectorError('VECTOR_FILTER_INVALID', 'filter.x: unknown field', { field: 'filter.x' }))
    expect(e).toBeInstanceOf(NodeError)
    expect(e).toMatchObject({ code: 'VECTOR_FILTER_INVALID', field: 'filter.x', retryable: false })
    expect(toNodeError(new VectorError('VECTOR_STORE_UNAVAILABLE', 'down'))).toMatchObject({ retryable: true })
  })

  it('passes router errors through with their codes, and leaves others alone', () => {
    expect(toNodeError(new AiError(402, 'BUDGET_EXCEEDED', 'over'))).toMatchObject({ code: 'BUDGET_EXCEEDED' })
    const plain = new Error('x')
    expect(toNodeError(plain)).toBe(plain)
  })

  it('answers HTTP with the status its code implies and the field it names', () => {
    expect(new VectorError('VECTOR_QUERY_TOO_LONG', 'query: too long', { field: 'query' })).toMatchObject({ status: 400, fields: { query: 'query: too long' } })
    expect(new VectorError('VECTOR_DOCUMENT_TOO_LARGE', 'x').status).toBe(413)
  })
})
