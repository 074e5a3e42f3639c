// One search hit: its final rank and score, each list's rank and score (vector similarity, keyword BM25, the fused
// RRF score, a re-rank's), a one-line "why", the chunk's text with the query's words marked, and where it is from.
import type { ReactNode } from 'react'
import { Badge } from '@/components/ui'
import type { SearchHit, SearchMode } from '@/lib/client/collections'
import { formatScore, highlight, whyLine } from './explain'
import { MetadataText } from './MetadataText'

function Score({ label, rank, value }: { label: string; rank?: number | null; value: ReactNode }) {
  return (
    <div className="flex flex-col">
      <dt className="text-[11px] uppercase tracking-wide text-muted">{label}</dt>
      <dd className="tabular-nums">
        {rank !== undefined && <span className="font-medium">{rank === null ? '—' : `#${rank}`}</span>}
        {rank !== undefined && rank !== null && ' · '}
        {rank === null ? null : value}
      </dd>
    </div>
  )
}

export function HitCard({ hit, rank, mode, query }: { hit: SearchHit; rank: number; mode: SearchMode; query: string }) {
  const reranked = hit.rerankScore !== null && hit.rerankScore !== undefined
  return (
    <article data-testid="hit" data-rank={rank} className="flex flex-col gap-3 rounded-lg border border-line bg-panel p-4">
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="text-lg font-semibold tabular-nums">#{rank}</span>
        <span className="min-w-0 truncate font-medium">{hit.title || hit.documentKey}</span>
        <span className="min-w-0 truncate font-mono text-xs text-muted">
          {hit.title && `${hit.documentKey} · `}chunk {hit.chunkIndex + 1}
        </span>
        <Badge tone="info" className="ml-auto tabular-nums">
          score {hit.score.toFixed(mode === 'keyword' && !reranked ? 2 : 3)}
        </Badge>
      </header>
      <p data-testid="why" className="text-sm text-muted">
        {whyLine(hit, mode)}
      </p>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        {mode !== 'keyword' && <Score label="Vector rank · similarity" rank={hit.vectorRank} value={formatScore.similarity(hit.vectorScore ?? 0)} />}
        {mode !== 'vector' && <Score label="Keyword rank · BM25" rank={hit.keywordRank} value={formatScore.bm25(hit.keywordScore ?? 0)} />}
        {mode === 'hybrid' && <Score label="Fused (RRF)" value={hit.fusedScore === null ? '—' : formatScore.fused(hit.fusedScore)} />}
        {reranked && <Score label="Re-rank" value={`${hit.rerankScore}/10 (was #${hit.rankBeforeRerank ?? '?'})`} />}
      </dl>
      <p className="whitespace-pre-wrap break-words rounded-md bg-panel-2/50 p-3 text-sm leading-relaxed">
        {highlight(hit.text, query).map((s, i) =>
          s.match ? (
            <mark key={i} className="rounded-sm bg-warn/25 px-0.5 text-fg">
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </p>
      <MetadataText metadata={hit.metadata} />
    </article>
  )
}
