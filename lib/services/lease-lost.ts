// The error every fenced write throws once its run's lease is gone (workers/runtime/lease.ts holds and renews leases).
// It lives on the shared side because the item store (pg-item-store.ts), which the web process reads through too,
// fences the worker's writes with it.
export class LeaseLostError extends Error {
  constructor(executionId: string) {
    super(`This worker lost its lease on execution ${executionId} (it expired or another delivery took the run over); the run stops here`)
    this.name = 'LeaseLostError'
  }
}
