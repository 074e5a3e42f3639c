// Prompt token counting for budget checks, with js-tiktoken's bundled o200k ranks (no downloads). The encoder is
// built once per process on first use. Anthropic and local models tokenize differently; o200k is a close
// estimate for the pre-call check, and the ledger is reconciled with the provider's own counts afterwards.
import { Tiktoken } from 'js-tiktoken/lite'
import o200k from 'js-tiktoken/ranks/o200k_base'
import type { ChatMessage, ToolSpec } from './types'

let encoder: Tiktoken | undefined
const enc = () => (encoder ??= new Tiktoken(o200k))

/** The shared o200k encoder, unmemoized: retrieval's chunker counts and splits text it never sees twice. */
export const o200kEncoder = (): Tiktoken => enc()

/** Per-message framing overhead OpenAI documents for chat models. */
const PER_MESSAGE = 3
/** Flat estimate for an image part (a 512×512 tile at low detail). */
const PER_IMAGE = 85

// BPE in JS costs ~3 µs per token; system prompts and tool schemas repeat on every call, so counts are memoized.
const memo = new Map<string, number>()
const MEMO_MAX = 5_000

export function countTextTokens(text: string): number {
  if (!text) return 0
  const hit = memo.get(text)
  if (hit !== undefined) return hit
  const n = enc().encode(text).length
  if (memo.size >= MEMO_MAX) memo.clear()
  memo.set(text, n)
  return n
}

/** Without the memo: embedding inputs are many and seldom repeat, they would only push prompts out of it. */
export function countTokensOnce(text: string): number {
  return text ? enc().encode(text).length : 0
}

export function countPromptTokens(messages: ChatMessage[], tools?: ToolSpec[]): number {
  let n = 3
  for (const m of messages) {
    n += PER_MESSAGE
    if (m.role === 'user' && Array.isArray(m.content)) {
      for (const p of m.content) n += p.type === 'text' ? countTextTokens(p.text) : PER_IMAGE
    } else if (m.role === 'assistant') {
      n += countTextTokens(m.content ?? '')
      for (const c of m.toolCalls ?? []) n += countTextTokens(c.name) + countTextTokens(JSON.stringify(c.arguments))
    } else {
      n += countTextTokens(m.content as string)
    }
  }
  for (const t of tools ?? []) n += countTextTokens(t.name) + countTextTokens(t.description ?? '') + countTextTokens(JSON.stringify(t.parameters))
  return n
}
