// Reciprocal rank fusion (Cormack et al., 2009) of the vector and keyword lists: each hit scores Σ 1/(k + rank)
// over the lists it is in. Ranks, not scores, are fused, so cosine similarities and BM25 scores need no common
// scale; k = 60 damps the weight of the very first ranks. Every fused hit keeps its rank and score in each list
// so the studio can show why it ranked where it did.

export interface Ranked {
  id: string
  score: number
}

export interface Fused {
  id: string
  fusedScore: number
  vectorRank: number | null
  keywordRank: number | null
  vectorScore: number | null
  keywordScore: number | null
}

export const RRF_K = 60

/** Both lists best-first; the result is best-first, ties broken by the better single rank, then by id. */
export function reciprocalRankFusion(vector: Ranked[], keyword: Ranked[], k = RRF_K): Fused[] {
  const byId = new Map<string, Fused>()
  const entry = (id: string) => {
    let f = byId.get(id)
    if (!f) byId.set(id, (f = { id, fusedScore: 0, vectorRank: null, keywordRank: null, vectorScore: null, keywordScore: null }))
    return f
  }
  const add = (list: Ranked[], rank: 'vectorRank' | 'keywordRank', score: 'vectorScore' | 'keywordScore') =>
    list.forEach((hit, i) => {
      const f = entry(hit.id)
      if (f[rank] !== null) return
      f[rank] = i + 1
      f[score] = hit.score
      f.fusedScore += 1 / (k + i + 1)
    })
  add(vector, 'vectorRank', 'vectorScore')
  add(keyword, 'keywordRank', 'keywordScore')
  const best = (f: Fused) => Math.min(f.vectorRank ?? Infinity, f.keywordRank ?? Infinity)
  return [...byId.values()].sort((a, b) => b.fusedScore - a.fusedScore || best(a) - best(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
