// Answer with Sources' pure half: the prompt that numbers the passages, the citations read back from the answer,
// and the host's errors restated as NodeErrors naming the node's params.
import { describe, expect, it } from 'vitest'
import { AiError } from '@/lib/ai/errors'
import { NodeError } from '@/lib/engine/types'
import { VectorError } from '@/lib/vector/errors'
import { ANSWER_RULES, buildAnswerPrompt, citeAnswer, citedNumbers, snippetOf } from '@/lib/nodes/retrieval/rag-answer/prompt'
import { retrievalError, searchRequest } from '@/lib/nodes/retrieval/vectors'
import type { SearchHit } from '@/lib/vector/types'

function hit(documentId: string, chunkIndex: number, text: string, extra: Partial<SearchHit> = {}): SearchHit {
  return {
    chunkId: `${documentId}:${chunkIndex}`,
    documentId,
    documentKey: `${documentId}.md`,
    title: `Title of ${documentId}`,
    chunkIndex,
    text,
    metadata: { lang: 'en' },
    score: 1 / (chunkIndex + 2),
    vectorRank: 1,
    keywordRank: null,
    vectorScore: 0.8,
    keywordScore: null,
    fusedScore: null,
    ...extra,
  }
}

const hits = [hit('doc-a', 0, 'Everyone gets 28 days of paid leave.'), hit('doc-b', 3, 'Unused days expire in March.'), hit('doc-a', 1, 'Leave is booked in the HR portal.', { title: '' })]

describe('buildAnswerPrompt', () => {
  it('numbers the passages [1]..[n] with their titles (the key when untitled) and asks for cited answers', () => {
    const [system, user] = buildAnswerPrompt({ question: ' How much leave do I get? ', hits })
    expect(system).toEqual({ role: 'system', content: ANSWER_RULES })
    expect(system.content).toMatch(/like \[2\]/)
    expect(user).toEqual({
      role: 'user',
      content: [
        'Passages:',
        '',
        '[1] Title of doc-a',
        'Everyone gets 28 days of paid leave.',
        '',
        '[2] Title of doc-b',
        'Unused days expire in March.',
        '',
        '[3] doc-a.md',
        'Leave is booked in the HR portal.',
        '',
        'Question: How much leave do I get?',
      ].join('\n'),
    })
  })

  it('adds the user\'s instructions after the rules', () => {
    const [system] = buildAnswerPrompt({ question: 'q', hits, instructions: 'Answer in French.' })
    expect(system.content).toBe(`${ANSWER_RULES}\n\nAnswer in French.`)
  })
})

describe('citedNumbers', () => {
  it.each([
    ['You get 28 days [1].', [1]],
    ['28 days [1][2], booked online [3].', [1, 2, 3]],
    ['See [2, 1] and again [2].', [2, 1]],
    ['Ranges count [1-3].', [1, 2, 3]],
    ['En dash ranges too [2–3].', [2, 3]],
    ['Footnote style[^2].', [2]],
    ['No citations at all.', []],
    ['Not citations: [a], [1a], [ ], arr[i], [1.5]', []],
    ['A silly range [1-9999] is ignored, [4] is not.', [4]],
    ['[0] and [12] are kept here; validity is decided later.', [0, 12]],
  ])('%s → %j', (answer, expected) => {
    expect(citedNumbers(answer)).toEqual(expected)
  })
})

describe('citeAnswer', () => {
  it('lists only the passages the answer cites, ordered by number, with the documents they come from', () => {
    const { citations, sources, invalid } = citeAnswer('Booked in the portal [3]; 28 days a year [1].', hits)
    expect(citations).toEqual([
      { number: 1, chunkId: 'doc-a:0', documentId: 'doc-a', documentKey: 'doc-a.md', title: 'Title of doc-a', snippet: 'Everyone gets 28 days of paid leave.', score: 0.5 },
      { number: 3, chunkId: 'doc-a:1', documentId: 'doc-a', documentKey: 'doc-a.md', title: 'doc-a.md', snippet: 'Leave is booked in the HR portal.', score: 1 / 3 },
    ])
    expect(sources).toEqual([{ documentKey: 'doc-a.md', documentId: 'doc-a', title: 'doc-a.md', citations: [1, 3], metadata: { lang: 'en' } }])
    expect(invalid).toEqual([])
  })

  it('drops numbers that name no passage', () => {
    const { citations, sources, invalid } = citeAnswer('Days expire [2], says [7]; also [0].', hits)
    expect(citations.map((c) => c.number)).toEqual([2])
    expect(sources.map((s) => s.documentKey)).toEqual(['doc-b.md'])
    expect(invalid).toEqual([7, 0])
  })

  it('lists documents in order of first citation', () => {
    expect(citeAnswer('First [2], then [1].', hits).sources.map((s) => s.documentId)).toEqual(['doc-b', 'doc-a'])
  })

  it('gives nothing for an answer without citations', () => {
    expect(citeAnswer('The documents do not say.', hits)).toEqual({ citations: [], sources: [], invalid: [] })
  })
})

describe('snippetOf', () => {
  it('folds whitespace and cuts long passages at a word', () => {
    expect(snippetOf('  a\n\nb   c ')).toBe('a b c')
    const long = 'word '.repeat(100)
    const snippet = snippetOf(long, 50)
    expect(snippet.endsWith('…')).toBe(true)
    expect(snippet.length).toBeLessThanOrEqual(51)
    expect(snippet).not.toMatch(/wor…$/)
  })
})

describe('searchRequest', () => {
  it('sends only what is set', () => {
    expect(searchRequest('q', { mode: 'keyword', topK: 3, rerankModel: '' })).toEqual({ query: 'q', mode: 'keyword', topK: 3 })
    expect(searchRequest('q', { mode: 'hybrid', topK: 3, filter: {}, minScore: 0, rerankModel: 'judge' })).toEqual({ query: 'q', mode: 'hybrid', topK: 3, minScore: 0, rerank: { target: 'judge' } })
  })
})

describe('retrievalError', () => {
  const map = { fields: { query: 'question', rerank: 'rerankModel' }, fallback: 'collection' }

  it.each([
    ['a store field, renamed to the param', new VectorError('VECTOR_QUERY_TOO_LONG', 'query too long', { field: 'query' }), 'question', false],
    ['a store field the node has as is', new VectorError('VECTOR_FILTER_INVALID', 'unknown field "x"', { field: 'filter' }), 'filter', false],
    ['no field: the fallback', new VectorError('VECTOR_STORE_UNAVAILABLE', 'store busy'), 'collection', true],
    ['a missing collection, whatever it names', new VectorError('VECTOR_COLLECTION_NOT_FOUND', 'no collection "x"', { field: 'name' }), 'collection', false],
    ['a path into a param: the param', new VectorError('VECTOR_FILTER_INVALID', 'filter.year: not a number', { field: 'filter.year.gte' }), 'filter', false],
    ['a router error', new AiError(404, 'AI_TARGET_NOT_FOUND', 'No active deployment or route named "judge"', { fields: { rerank: 'unknown' } }), 'rerankModel', false],
  ])('%s', (_what, err, field, retryable) => {
    const out = retrievalError(err, map)
    expect(out).toBeInstanceOf(NodeError)
    expect(out).toMatchObject({ message: err.message, code: (err as { code: string }).code, field, retryable })
  })

  it('names the param a document\'s field stands for, keeping the store\'s path in details', () => {
    const err = new VectorError('PDF_INVALID', 'documents[2].file: not a PDF', { field: 'documents[2].file' })
    expect(retrievalError(err, { fields: { file: 'fileField' }, fallback: 'collection' })).toMatchObject({ field: 'fileField', code: 'PDF_INVALID', details: { hostField: 'documents[2].file' } })
  })

  it('passes errors that carry no code (bugs, aborts) untouched', () => {
    const bug = new TypeError('x is undefined')
    expect(retrievalError(bug, map)).toBe(bug)
  })

  it('keeps a NodeError that already names the param (a file the store could not read)', () => {
    const err = new NodeError('"doc" refers to a deleted file', { code: 'FILE_NOT_FOUND', field: 'fileField' })
    expect(retrievalError(err, { fallback: 'collection' })).toBe(err)
  })
})
