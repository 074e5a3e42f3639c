// Packages a process may never need are imported on first use, not at start: `const loadX = lazy(() => import('x'))`
// at module level, `const x = await loadX()` where it is needed. esbuild (scripts/build-server.mjs) keeps such an
// import() out of the start-up graph; tests/unit/architecture/lazy-imports.test.ts checks which packages stay out.
// One import per process; a failed one (a missing optional package) is tried again on the next call.
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined
      throw err
    }))
}
