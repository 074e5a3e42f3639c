// Prompt token counting for budget checks, with js-tiktoken's bundled o200k ranks (no downloads). The ranks (a
// few MB of strings and a 200k-entry map) are loaded and the encoder built on the first count, not at start: a
// worker or web process that never calls a model never holds them. Anthropic and local models tokenize
// differently; o200k is a close estimate for the pre-call check, and the ledger is reconciled with the provider's
// own counts afterwards.
import type { Tiktoken } from 'js-tiktoken/lite'
import { lazy } from '../lazy'
import type { ChatMessage, ToolSpec } from './types'

/** Per-message framing overhead OpenAI documents for chat models. */
const PER_MESSAGE = 3
/** Flat estimate for an image part (a 512×512 tile at low detail). */
const PER_IMAGE = 85
const MEMO_MAX = 5_000

export class Tokenizer {
  // BPE in JS costs ~3 µs per token; system prompts and tool schemas repeat on every call, so counts are memoized.
  private readonly memo = new Map<string, number>()

  /** The o200k encoder itself, unmemoized: retrieval's chunker counts and splits text it never sees twice. */
  constructor(readonly encoder: Tiktoken) {}

  countText(text: string): number {
    if (!text) return 0
    const hit = this.memo.get(text)
    if (hit !== undefined) return hit
    const n = this.encoder.encode(text).length
    if (this.memo.size >= MEMO_MAX) this.memo.clear()
    this.memo.set(text, n)
    return n
  }

  /** Without the memo: embedding inputs are many and seldom repeat, they would only push prompts out of it. */
  countOnce(text: string): number {
    return text ? this.encoder.encode(text).length : 0
  }

  countPrompt(messages: ChatMessage[], tools?: ToolSpec[]): number {
    let n = 3
    for (const m of messages) {
      n += PER_MESSAGE
      if (m.role === 'user' && Array.isArray(m.content)) {
        for (const p of m.content) n += p.type === 'text' ? this.countText(p.text) : PER_IMAGE
      } else if (m.role === 'assistant') {
        n += this.countText(m.content ?? '')
        for (const c of m.toolCalls ?? []) n += this.countText(c.name) + this.countText(JSON.stringify(c.arguments))
      } else {
        n += this.countText(m.content as string)
      }
    }
    for (const t of tools ?? []) n += this.countText(t.name) + this.countText(t.description ?? '') + this.countText(JSON.stringify(t.parameters))
    return n
  }
}

/** The process's one tokenizer, loaded on first use. */
export const loadTokenizer = lazy(async () => {
  const [{ Tiktoken }, { default: o200k }] = await Promise.all([import('js-tiktoken/lite'), import('js-tiktoken/ranks/o200k_base')])
  return new Tokenizer(new Tiktoken(o200k))
})
