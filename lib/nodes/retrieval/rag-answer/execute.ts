// Answer with Sources: search, then (when anything was found) one chat call over the numbered passages, then the
// citations read back from the answer. Costs of the query embedding, re-ranking and the answer add up on the item.
import { routedChat, usageSummary } from '../../../ai/node-support'
import { picoToUsd, usdToPico } from '../../../ai/pricing'
import type { ChatResult } from '../../../ai/types'
import { NodeError, type Item } from '../../../engine/types'
import type { SearchResult } from '../../../vector/types'
import type { Executor } from '../../define'
import { searchRequest, vectorScope, withFields } from '../vectors'
import type { RagAnswerParams } from './definition'
import { buildAnswerPrompt, citeAnswer } from './prompt'

function usage(search: SearchResult, chat?: ChatResult) {
  const retrieval = usdToPico(search.embedding?.costUsd ?? '0') + usdToPico(search.rerank?.costUsd ?? '0')
  return {
    ...(chat ? usageSummary(chat) : {}),
    costUsd: picoToUsd(retrieval + usdToPico(chat?.costUsd ?? '0')),
    chatCostUsd: chat?.costUsd ?? '0',
    ...(search.embedding ? { embedding: search.embedding } : {}),
    ...(search.rerank ? { rerank: search.rerank } : {}),
  }
}

export const execute: Executor<RagAnswerParams, 'vectors' | 'ai'> = async (ctx) => {
  const out: Item[] = []
  const scope = vectorScope(ctx)
  const count = Math.max(1, ctx.items.length)
  for (let i = 0; i < count; i++) {
    const p = ctx.items.length ? await ctx.paramsFor(i) : ctx.params
    const item = ctx.items[i] ?? {}
    const index = ctx.inputOffset + i
    const question = p.question.trim()
    if (!question) throw new NodeError(`The question of item ${index} is empty`, { code: 'EMPTY_QUESTION', field: 'question', details: { item: index } })
    const search = await withFields({ fields: { query: 'question', rerank: 'rerankModel', embedding: 'collection' }, fallback: 'collection' }, () =>
      ctx.services.vectors.search(scope, p.collection, searchRequest(question, p)),
    )
    if (!search.hits.length) {
      if (p.onNothingFound === 'fail') throw new NodeError(`Nothing in "${p.collection}" matches the question of item ${index}`, { code: 'NOTHING_FOUND', field: 'question', details: { item: index } })
      out.push({ ...item, answer: p.nothingFoundAnswer, citations: [], sources: [], found: 0, ai: { ...usage(search), modelCalls: 0 } })
      continue
    }
    const messages = buildAnswerPrompt({ question, hits: search.hits, instructions: p.instructions })
    const chat = await routedChat(ctx, { target: p.model, messages, temperature: p.temperature, maxTokens: p.maxTokens }, { itemIndex: i })
    const { citations, sources, invalid } = citeAnswer(chat.text, search.hits)
    if (invalid.length) ctx.log.warn('The answer cites passages that do not exist; they are left out of citations', { item: index, invalid, passages: search.hits.length })
    out.push({ ...item, answer: chat.text, citations, sources, found: search.hits.length, ai: { ...usage(search, chat), modelCalls: 1 } })
  }
  return { main: out }
}
