import { z } from 'zod'
import type { NodeType } from '../../define'
import { aiModelParam } from '../../llm-chat/definition'
import { text } from '../../params'
import { collectionParam, retrievalParams } from '../params'

export const NOTHING_FOUND = 'I could not find anything about that in the documents.'

export const ragAnswerParams = z.object({
  collection: collectionParam(),
  question: text().default('').describe('The question, e.g. {{ $json.body.question }}').meta({ ui: 'expression' }),
  model: aiModelParam(),
  instructions: z.string().default('').describe('Added to the built-in rules (answer only from the passages, cite them like [2]): tone, language, length…').meta({ ui: 'textarea' }),
  ...retrievalParams(50),
  onNothingFound: z
    .union([
      z.literal('answer').meta({ title: 'Answer that nothing was found (no model call)' }),
      z.literal('fail').meta({ title: 'Fail the step' }),
    ])
    .default('answer')
    .describe('When the search finds no passage: answer with nothingFoundAnswer without asking the model, or fail the step (NOTHING_FOUND)'),
  nothingFoundAnswer: z.string().default(NOTHING_FOUND).describe('onNothingFound answer: the answer given when no passage is found'),
  temperature: z.number().min(0).max(2).default(0).describe('0 = focused (best for answers from documents), higher = more varied'),
  maxTokens: z.number().int().positive().max(200_000).optional().describe('Upper bound on the answer\'s length (also sizes the budget check)'),
})
export type RagAnswerParams = z.infer<typeof ragAnswerParams>

const citation = { number: 1, chunkId: 'cm9x1k2…:3', documentId: 'cm9x1k2…', documentKey: 'handbook.md', title: 'handbook.md', snippet: '## Holidays Everyone gets 28 days of paid leave a year, public holidays included…', score: 0.0325 }

export const ragAnswer: NodeType<RagAnswerParams, 'vectors' | 'ai'> = {
  type: 'rag-answer',
  version: 1,
  label: 'Answer with Sources',
  description: 'Answers a question from a collection\'s documents with a language model, citing the passages it used.',
  icon: 'MessageSquareQuote',
  category: 'retrieval',
  docs: {
    description: [
      'Retrieval-augmented generation in one step. For each input item it searches `collection` for `question` (`mode`, `topK`, `filter`, `minScore`, `rerankModel` as in Search Collection), numbers the passages found [1]..[n] (title and text), and asks `model` to answer from those passages only, citing them like [2]. Your `instructions` are added to these rules.',
      '',
      'Output: the input item with',
      '',
      '- `answer`: the model\'s answer, as written;',
      '- `citations`: the passages the answer cites, by number: `{ number, chunkId, documentId, documentKey, title, snippet, score }`. Only numbers the answer uses are listed; a number that names no passage (the model made it up) is left out;',
      '- `sources`: the distinct documents cited, in order of first citation: `{ documentKey, documentId, title, citations, metadata }`;',
      '- `found`: how many passages the search returned;',
      '- `ai`: the chat call (deployment, model, tokens, latency) with `costUsd` the whole step\'s cost (query embedding, re-ranking and answer) and `embedding` / `rerank` / `chatCostUsd` apart.',
      '',
      'When the search finds nothing, the model is not asked: `answer` is `nothingFoundAnswer` with no citations (or, with `onNothingFound` fail, the step fails with `NOTHING_FOUND`). Streaming is not offered: the citations are read from the whole answer.',
    ].join('\n'),
    examples: [
      {
        title: 'Answer an employee\'s question from the handbook',
        params: { collection: 'handbook', question: '{{ $json.question }}', model: 'default' },
        input: [{ question: 'How many days off do I get?' }],
        output: {
          main: [
            {
              question: 'How many days off do I get?',
              answer: 'You get 28 days of paid leave a year, public holidays included [1].',
              citations: [citation],
              sources: [{ documentKey: 'handbook.md', documentId: 'cm9x1k2…', title: 'handbook.md', citations: [1], metadata: { team: 'hr' } }],
              found: 5,
              ai: { deployment: 'default', model: 'gpt-4o-mini', inputTokens: 912, outputTokens: 18, costUsd: '0.0001488', chatCostUsd: '0.0001476', latencyMs: 820, fallbackIndex: 0, modelCalls: 1, embedding: { tokens: 8, costUsd: '0.0000012', deployment: 'embeddings' } },
            },
          ],
        },
      },
    ],
  },
  params: ragAnswerParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  mode: 'batch',
  sideEffects: true, // model calls cost tokens
  services: ['vectors', 'ai'],
  load: () => import('./execute'),
}
