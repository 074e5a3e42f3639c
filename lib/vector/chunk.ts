// Splitting a document into chunks of at most `size` tokens (o200k), neighbours overlapping by up to `overlap`
// tokens. Structure first: Markdown headings are hard boundaries (a chunk never spans two sections) and each
// chunk records the heading path it sits under; inside a section the text splits at paragraphs, then lines,
// then sentences, then words (a single over-long "word", e.g. a base64 blob, by tokens), and the pieces are
// merged greedily up to the size. The overlap is whole words from the end of the previous chunk of the section.
import { loadTokenizer, type Tokenizer } from '../ai/tokens'

export interface ChunkSettings {
  size: number
  overlap: number
}

export interface Chunk {
  text: string
  tokens: number
  /** The heading path above the chunk ("Guide › Install › Linux"); '' outside any heading. */
  section: string
}

interface Section {
  path: string
  body: string
}

const HEADING = /^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$/
const FENCE = /^(```|~~~)/
const SEPARATORS: RegExp[] = [/(\n[ \t]*\n+)/, /(\n)/, /(?<=[.!?。！？;:])(\s+)/u, /(\s+)/]

/** Markdown into sections at its headings (fenced code is never read as headings); plain text is one section. */
export function sections(text: string, markdown: boolean): Section[] {
  if (!markdown) return [{ path: '', body: text }]
  const out: Section[] = []
  const stack: { level: number; title: string }[] = []
  let lines: string[] = []
  let fenced = false
  const flush = () => {
    const body = lines.join('\n').trim()
    // A section holding only its heading line adds nothing its subsections' paths do not already say.
    if (body && !(lines.filter((l) => l.trim()).length === 1 && HEADING.test(body))) out.push({ path: stack.map((h) => h.title).join(' › '), body })
    lines = []
  }
  for (const line of text.split('\n')) {
    if (FENCE.test(line.trimStart())) fenced = !fenced
    const heading = fenced ? null : HEADING.exec(line)
    if (heading) {
      flush()
      const level = heading[1].length
      while (stack.length && stack.at(-1)!.level >= level) stack.pop()
      stack.push({ level, title: heading[2] })
    }
    lines.push(line)
  }
  flush()
  return out
}

/** Pieces of at most `size` tokens, each keeping the separator that followed it (so joining them restores the text). */
function split(tok: Tokenizer, text: string, size: number, level = 0): { text: string; tokens: number }[] {
  const tokens = tok.countOnce(text)
  if (tokens <= size) return [{ text, tokens }]
  const sep = SEPARATORS[level]
  if (!sep) return splitByTokens(tok, text, size)
  const parts = text.split(sep)
  if (parts.length === 1) return split(tok, text, size, level + 1)
  const pieces: { text: string; tokens: number }[] = []
  for (let i = 0; i < parts.length; i += 2) {
    const piece = parts[i] + (parts[i + 1] ?? '')
    if (piece) pieces.push(...split(tok, piece, size, level + 1))
  }
  return pieces
}

function splitByTokens(tok: Tokenizer, text: string, size: number): { text: string; tokens: number }[] {
  const enc = tok.encoder
  const ids = enc.encode(text)
  const out: { text: string; tokens: number }[] = []
  for (let i = 0; i < ids.length; i += size) {
    const piece = enc.decode(ids.slice(i, i + size))
    out.push({ text: piece, tokens: tok.countOnce(piece) })
  }
  return out
}

/** Whole words from the end of `text` adding up to at most `budget` tokens. */
function tail(tok: Tokenizer, text: string, budget: number): string {
  if (budget <= 0) return ''
  const words = text.trimEnd().split(/(\s+)/)
  let start = words.length
  for (let i = words.length - 1; i >= 0; i -= 2) {
    if (tok.countOnce(words.slice(i).join('')) > budget) break
    start = i
  }
  return words.slice(start).join('')
}

function chunkSection(tok: Tokenizer, section: Section, settings: ChunkSettings): Chunk[] {
  const chunks: Chunk[] = []
  let parts: string[] = []
  let used = 0
  const emit = () => {
    const text = parts.join('').trim()
    if (text) chunks.push({ text, tokens: tok.countOnce(text), section: section.path })
  }
  for (const piece of split(tok, section.body, settings.size)) {
    if (used + piece.tokens > settings.size && parts.length) {
      emit()
      const carried = tail(tok, parts.join(''), Math.min(settings.overlap, settings.size - piece.tokens))
      parts = carried ? [`${carried} `] : []
      used = tok.countOnce(parts.join(''))
    }
    parts.push(piece.text)
    used += piece.tokens
  }
  emit()
  return chunks.flatMap((c) => (c.tokens <= settings.size ? [c] : refit(tok, c, settings.size)))
}

/** Joining pieces can, rarely, cost a token more than their sum: such a chunk is split again without overlap. */
function refit(tok: Tokenizer, chunk: Chunk, size: number): Chunk[] {
  return split(tok, chunk.text, size - 1).map((p) => ({ text: p.text.trim(), tokens: tok.countOnce(p.text.trim()), section: chunk.section }))
}

/** Loads the tokenizer on first use (lib/ai/tokens.ts). */
export async function chunkText(text: string, opts: ChunkSettings & { markdown: boolean }): Promise<Chunk[]> {
  const tok = await loadTokenizer()
  return sections(text, opts.markdown).flatMap((s) => chunkSection(tok, s, opts))
}

/** What is embedded for a chunk: its heading path above its text, so a chunk deep in a section still says what
 * it is about. Stored as its own column, not in the text shown and keyword-searched. */
export const embeddingInput = (chunk: Pick<Chunk, 'text' | 'section'>): string => (chunk.section ? `${chunk.section}\n\n${chunk.text}` : chunk.text)
