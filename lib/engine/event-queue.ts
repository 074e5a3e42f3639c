// The run's one ordered queue of events for `onEvent`: each call is awaited before the next event is delivered, so
// when a step's `step.succeeded` handler has returned, the host's record of it is durable (docs/engine.md, "Events").
// While nothing is pending an event is delivered at once; only a handler that returns a promise makes the next
// events wait behind it. A handler that fails stops delivery and tells the run (`onFailure`).
import type { EngineEvent } from './types'

type Handler = (event: EngineEvent) => void | Promise<void>

const DELIVERED: Promise<void> = Promise.resolve()

export class EventQueue {
  /** The first failure of the handler (undefined while it has not failed). */
  error: unknown = undefined
  private tail: Promise<void> = DELIVERED
  /** Events whose delivery has not finished (a handler's promise still pending, or events waiting behind one). */
  private queued = 0
  private closed = false

  constructor(
    private readonly handler: Handler | undefined,
    private readonly onFailure: () => void,
  ) {}

  /** Resolves once this event (and every one before it) has been handled; never rejects. */
  emit(event: EngineEvent): Promise<void> {
    // A node that calls ctx.emit after the run ended must not produce events after execution.finished.
    if (this.closed) return this.tail
    if (this.queued === 0) {
      const pending = this.deliver(event)
      if (pending === undefined) return this.tail
      this.queued = 1
      this.tail = pending.then(() => {
        this.queued--
      })
      return this.tail
    }
    this.queued++
    this.tail = this.tail
      .then(() => this.deliver(event))
      .then(() => {
        this.queued--
      })
    return this.tail
  }

  /** Resolves when every event emitted so far has been handled. */
  drained(): Promise<void> {
    return this.tail
  }

  /** No event is delivered after this (the run has finished). */
  close(): void {
    this.closed = true
  }

  /** Calls the handler now; a promise when it answered with one (settled, whatever the handler's outcome). */
  private deliver(event: EngineEvent): Promise<void> | undefined {
    if (this.error !== undefined || !this.handler) return undefined
    let result: unknown
    try {
      result = this.handler(event)
    } catch (err) {
      this.fail(err)
      return undefined
    }
    if (result === null || (typeof result !== 'object' && typeof result !== 'function') || typeof (result as PromiseLike<void>).then !== 'function') return undefined
    return Promise.resolve(result as PromiseLike<void>).then(undefined, (err: unknown) => this.fail(err))
  }

  private fail(err: unknown): void {
    this.error ??= err
    this.onFailure()
  }
}
