import { z } from 'zod'
import type { NodeType } from '../../define'
import { text } from '../../params'
import { collectionParam, retrievalParams } from '../params'

export const searchParams = z.object({
  collection: collectionParam(),
  query: text().default('').describe('What to look for, in plain words, e.g. {{ $json.question }}').meta({ ui: 'expression' }),
  ...retrievalParams(100),
  output: z
    .union([z.literal('hits').meta({ title: 'One item per hit' }), z.literal('list').meta({ title: 'One item with the hits in a list' })])
    .default('hits')
    .describe('hits: an item per passage found (none when nothing matches); list: the input item with the passages in "hits"'),
})
export type SearchParams = z.infer<typeof searchParams>

const hit = {
  chunkId: 'cm9x1k2…:3',
  documentId: 'cm9x1k2…',
  documentKey: 'handbook.md',
  title: 'handbook.md',
  chunkIndex: 3,
  text: '## Holidays\nEveryone gets 28 days of paid leave a year, public holidays included…',
  metadata: { team: 'hr' },
  score: 0.0325,
  vectorRank: 1,
  keywordRank: 1,
  vectorScore: 0.81,
  keywordScore: 7.4,
  fusedScore: 0.0325,
}

export const vectorSearch: NodeType<SearchParams, 'vectors'> = {
  type: 'vector-search',
  version: 1,
  label: 'Search Collection',
  description: 'Finds the passages of a collection that best match a query: by meaning, by keywords, or both.',
  icon: 'TextSearch',
  category: 'retrieval',
  docs: {
    description: [
      'Searches the collection `collection` for each input item\'s `query` and returns the best `topK` passages (chunks of the ingested documents).',
      '',
      '| mode | finds |',
      '|---|---|',
      '| `hybrid` | both rankings fused by reciprocal rank (the default: good at meaning and at exact terms) |',
      '| `vector` | passages that mean the same, in other words (cosine similarity of embeddings) |',
      '| `keyword` | passages holding the query\'s terms (full-text BM25): names, codes, rare words |',
      '',
      '`filter` keeps only documents whose metadata match: `{ "lang": "en" }` (equal), `{ "year": { "gte": 2023, "lt": 2025 } }` (range), `{ "team": { "in": ["hr", "ops"] } }` (one of), `{ "lang": { "ne": "en" } }`; fields are ANDed and must be fields the collection\'s documents carry. `minScore` drops weaker hits (on the mode\'s scale). With `rerankModel`, a chat model re-orders the best candidates by relevance before `topK` are kept.',
      '',
      'Each hit: `{ query, rank, text, score, documentKey, title, chunkId, documentId, chunkIndex, metadata, vectorRank, keywordRank, vectorScore, keywordScore, fusedScore }` (ranks are 1-based, null when the passage was not in that list; with re-ranking also `rerankScore` and `rankBeforeRerank`). With `output` list, the input item gets them in `hits`, and `search` tells the mode, whether the ANN index served it and the query\'s embedding cost.',
      '',
      'Errors name the parameter at fault: a collection that does not exist fails with `VECTOR_COLLECTION_NOT_FOUND` (`collection`), a filter on a field the collection\'s documents do not carry, or of the wrong type, with `VECTOR_FILTER_INVALID` (`filter`), an empty or too long query with `EMPTY_QUERY` / `VECTOR_QUERY_TOO_LONG` (`query`). The embedding model\'s errors (budget, provider down) keep the router\'s codes and are retried when they can be.',
    ].join('\n'),
    examples: [
      {
        title: 'The best passage for a question',
        params: { collection: 'handbook', query: '{{ $json.question }}', topK: 1 },
        input: [{ question: 'How many days off do I get?' }],
        output: { main: [{ query: 'How many days off do I get?', rank: 1, ...hit }] },
      },
    ],
  },
  params: searchParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  sideEffects: true, // embedding the query (and re-ranking) spends tokens
  services: ['vectors'],
  load: () => import('./execute'),
}
