// Why a hit ranked where it did, in words, and the query's terms marked in its text: the Query tab's cards.
// Pure functions over the host's SearchHit (lib/vector/types.ts).
import type { SearchHit, SearchMode } from '@/lib/vector/types'

const similarity = (n: number) => n.toFixed(2)
const bm25 = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1))
const fused = (n: number) => n.toFixed(3)

/** "#2 by meaning (0.83), #7 by keywords (4.1) → fused 0.031", then "→ re-ranked 8/10 (was #3)" with a re-rank. */
export function whyLine(hit: SearchHit, mode: SearchMode): string {
  const parts: string[] = []
  if (hit.vectorRank !== null) parts.push(`#${hit.vectorRank} by meaning (${similarity(hit.vectorScore ?? 0)})`)
  else if (mode === 'hybrid') parts.push('not among the closest by meaning')
  if (hit.keywordRank !== null) parts.push(`#${hit.keywordRank} by keywords (${bm25(hit.keywordScore ?? 0)})`)
  else if (mode === 'hybrid') parts.push('no keyword match')
  let line = parts.join(', ')
  if (mode === 'hybrid' && hit.fusedScore !== null) line += ` → fused ${fused(hit.fusedScore)}`
  if (hit.rerankScore !== null && hit.rerankScore !== undefined) {
    line += ` → re-ranked ${hit.rerankScore}/10${hit.rankBeforeRerank ? ` (was #${hit.rankBeforeRerank})` : ''}`
  }
  return line
}

export const formatScore = { similarity, bm25, fused }

const STOP = new Set('a an and are as at be by do does for from has have how in is it its of on or that the this to was what when where which who why will with you your'.split(' '))

/** The query's words as the highlighter looks for them: lower-case, stop words dropped, a plural's "s" taken off. */
export function queryTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  const terms = words.filter((w) => w.length > 1 && !STOP.has(w)).map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
  return [...new Set(terms)].sort((a, b) => b.length - a.length)
}

export interface Segment {
  text: string
  match: boolean
}

/** `text` cut into plain and matching runs: a word matches when it starts with one of the query's terms. */
export function highlight(text: string, query: string): Segment[] {
  const terms = queryTerms(query)
  if (terms.length === 0) return [{ text, match: false }]
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})[\\p{L}\\p{N}]*`, 'giu')
  const out: Segment[] = []
  let at = 0
  for (const m of text.matchAll(re)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), match: false })
    out.push({ text: m[0], match: true })
    at = m.index + m[0].length
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false })
  return out
}
