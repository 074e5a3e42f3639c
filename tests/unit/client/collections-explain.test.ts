// The Query tab's words for a hit: the one-line "why" per mode, and the query's terms marked in the chunk's text.
import { describe, expect, it } from 'vitest'
import { highlight, queryTerms, whyLine } from '../../../components/collections/explain'
import type { SearchHit } from '../../../lib/vector/types'

const hit = (over: Partial<SearchHit>): SearchHit => ({
  chunkId: 'd:0', documentId: 'd', documentKey: 'k', title: 't', chunkIndex: 0, text: '', metadata: {}, score: 0,
  vectorRank: null, keywordRank: null, vectorScore: null, keywordScore: null, fusedScore: null, ...over,
})

describe('whyLine', () => {
  it.each([
    ['hybrid, in both lists', hit({ vectorRank: 2, vectorScore: 0.8312, keywordRank: 7, keywordScore: 4.07, fusedScore: 0.03087 }), 'hybrid', '#2 by meaning (0.83), #7 by keywords (4.1) → fused 0.031'],
    ['hybrid, found by meaning only', hit({ vectorRank: 1, vectorScore: 0.9, fusedScore: 0.0164 }), 'hybrid', '#1 by meaning (0.90), no keyword match → fused 0.016'],
    ['hybrid, found by keywords only', hit({ keywordRank: 3, keywordScore: 12.4, fusedScore: 0.0159 }), 'hybrid', 'not among the closest by meaning, #3 by keywords (12) → fused 0.016'],
    ['vector', hit({ vectorRank: 4, vectorScore: 0.5 }), 'vector', '#4 by meaning (0.50)'],
    ['keyword', hit({ keywordRank: 1, keywordScore: 0.73 }), 'keyword', '#1 by keywords (0.7)'],
    ['re-ranked', hit({ vectorRank: 3, vectorScore: 0.7, keywordRank: 1, keywordScore: 2, fusedScore: 0.032, rerankScore: 9, rankBeforeRerank: 2 }), 'hybrid', '#3 by meaning (0.70), #1 by keywords (2.0) → fused 0.032 → re-ranked 9/10 (was #2)'],
  ] as const)('%s', (_, h, mode, expected) => {
    expect(whyLine(h, mode)).toBe(expected)
  })
})

describe('highlight', () => {
  const marked = (text: string, query: string) => highlight(text, query).filter((s) => s.match).map((s) => s.text)

  it('marks words starting with a query term, ignoring case, stop words and a plural s', () => {
    expect(marked('Refunds are paid to the card; a refunded card is closed.', 'the refunds for my Card')).toEqual(['Refunds', 'card', 'refunded', 'card'])
    expect(queryTerms('What is the refund policy?')).toEqual(['refund', 'policy'])
  })

  it('keeps the text whole and treats regex characters in the query literally', () => {
    const text = 'Costs (c++) rise: a+b and [x]'
    expect(highlight(text, 'c++ [x] a+b').map((s) => s.text).join('')).toBe(text)
    expect(highlight('nothing here', '   ')).toEqual([{ text: 'nothing here', match: false }])
  })

  it('does not mark a term inside another word', () => {
    expect(marked('Carded cards discard', 'card')).toEqual(['Carded', 'cards'])
  })
})
