// Parsed workflow graphs by version id, for as long as the process lives. Versions are immutable, so an entry never
// goes stale; the cache is bounded by entries and by the graphs' JSON size (least recently used out first), so
// 1,000 schedules of 1,000 workflows firing together load each graph once per worker, not once per run, while a
// worker that sees a few huge graphs stays small. Runs of one version arriving together share one load.

/** What a load returns: the graph and its size as JSON text (what the budget counts). */
export interface LoadedGraph<G> {
  graph: G
  bytes: number
}

export interface GraphCacheOptions {
  /** Entries at most (default 10,000). */
  maxEntries?: number
  /** Sum of the cached graphs' JSON sizes at most (default 64 MiB); a graph larger than that is not kept. */
  maxBytes?: number
}

export class GraphCache<G> {
  private readonly entries = new Map<string, LoadedGraph<G>>()
  private readonly loading = new Map<string, Promise<G>>()
  private bytes = 0
  private readonly maxEntries: number
  private readonly maxBytes: number

  constructor(
    private readonly load: (versionId: string) => Promise<LoadedGraph<G>>,
    opts: GraphCacheOptions = {},
  ) {
    this.maxEntries = opts.maxEntries ?? 10_000
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024
  }

  get(versionId: string): Promise<G> {
    const hit = this.entries.get(versionId)
    if (hit) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(versionId)
      this.entries.set(versionId, hit)
      return Promise.resolve(hit.graph)
    }
    let pending = this.loading.get(versionId)
    if (!pending) {
      pending = this.load(versionId).then(
        (loaded) => {
          this.loading.delete(versionId)
          this.keep(versionId, loaded)
          return loaded.graph
        },
        (err) => {
          this.loading.delete(versionId)
          throw err
        },
      )
      this.loading.set(versionId, pending)
    }
    return pending
  }

  has(versionId: string): boolean {
    return this.entries.has(versionId)
  }

  /** Keeps a graph loaded by other means (a batch read ahead of the runs that will want it). */
  prime(versionId: string, loaded: LoadedGraph<G>): void {
    this.keep(versionId, loaded)
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes }
  }

  private keep(versionId: string, loaded: LoadedGraph<G>) {
    if (loaded.bytes > this.maxBytes || this.entries.has(versionId)) return
    this.entries.set(versionId, loaded)
    this.bytes += loaded.bytes
    for (const [id, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.entries.delete(id)
      this.bytes -= old.bytes
    }
  }
}
