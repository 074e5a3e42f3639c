// Redis pub/sub between web and worker processes: cancel requests (web → worker) and webhook answers
// (worker → the web process holding the HTTP request). One subscriber connection per process, a Map of waiters.
import type { Redis } from 'ioredis'
import type { SerializedError, WebhookResponse, Item } from '../engine/types'

export const CANCEL_CHANNEL = 'auterity:execution:cancel'
export const webhookResponseChannel = (executionId: string) => `webhook:response:${executionId}`

export type WebhookMessage =
  | { kind: 'respond'; response: WebhookResponse }
  | { kind: 'finished'; status: string; item?: Item; error?: SerializedError }

export async function publishCancel(redis: Redis, executionId: string): Promise<void> {
  await redis.publish(CANCEL_CHANNEL, executionId)
}

export async function publishWebhookMessage(redis: Pick<Redis, 'publish'>, executionId: string, msg: WebhookMessage): Promise<void> {
  await redis.publish(webhookResponseChannel(executionId), JSON.stringify(msg))
}

/** Worker side: the AbortController of every run in this process, aborted when a cancel arrives. */
export class CancelListener {
  private readonly running = new Map<string, AbortController>()

  private constructor(private readonly sub: Redis) {}

  static async start(sub: Redis): Promise<CancelListener> {
    const listener = new CancelListener(sub)
    sub.on('message', (channel: string, executionId: string) => {
      if (channel === CANCEL_CHANNEL) listener.running.get(executionId)?.abort(new Error('Execution canceled'))
    })
    await sub.subscribe(CANCEL_CHANNEL)
    return listener
  }

  track(executionId: string): AbortController {
    const controller = new AbortController()
    this.running.set(executionId, controller)
    return controller
  }

  untrack(executionId: string): void {
    this.running.delete(executionId)
  }

  async close(): Promise<void> {
    await this.sub.quit().catch(() => undefined)
  }
}

/**
 * Web side: waits for the first message on an execution's webhook channel. One pattern subscription per process,
 * made once, instead of a SUBSCRIBE/UNSUBSCRIBE pair per request (two Redis round trips and channel bookkeeping on
 * the request path). Every web process sees every answer and keeps those it waits for; answers are small.
 */
export class WebhookWaiters {
  private readonly waiters = new Map<string, (msg: WebhookMessage) => void>()
  private subscribed: Promise<unknown> | undefined

  constructor(private readonly sub: Redis) {
    sub.on('pmessage', (_pattern: string, channel: string, raw: string) => {
      if (!channel.startsWith('webhook:response:')) return
      const id = channel.slice('webhook:response:'.length)
      const resolve = this.waiters.get(id)
      if (!resolve) return
      try {
        resolve(JSON.parse(raw) as WebhookMessage)
      } catch {
        resolve({ kind: 'finished', status: 'failed', error: { name: 'Error', message: 'Unreadable webhook answer' } })
      }
    })
  }

  /** Resolves once subscribed; `wait` then resolves with the message, or null after timeoutMs. */
  async register(executionId: string): Promise<{ wait: (timeoutMs: number) => Promise<WebhookMessage | null>; cancel: () => void }> {
    let settle!: (msg: WebhookMessage | null) => void
    const result = new Promise<WebhookMessage | null>((resolve) => (settle = resolve))
    this.waiters.set(executionId, (msg) => settle(msg))
    this.subscribed ??= this.sub.psubscribe(webhookResponseChannel('*')).catch((err) => {
      this.subscribed = undefined
      throw err
    })
    try {
      await this.subscribed
    } catch (err) {
      this.waiters.delete(executionId)
      throw err
    }
    const done = () => this.waiters.delete(executionId)
    return {
      wait: async (timeoutMs) => {
        const timer = setTimeout(() => settle(null), timeoutMs)
        const msg = await result
        clearTimeout(timer)
        done()
        return msg
      },
      cancel: done,
    }
  }

  async close(): Promise<void> {
    await this.sub.quit().catch(() => undefined)
  }
}
