// Writes to one collection run one at a time within a process (an ingest's schema change, its replace and its
// counts are one step as far as this process goes). Across processes LanceDB's optimistic commits are retried
// by LanceDB itself, and the counts are recomputed in PostgreSQL from the document rows.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve()
    const next = previous.then(() => task())
    const tail = next.catch(() => undefined)
    this.tails.set(key, tail)
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    })
    return next
  }
}
