// The worker's browsers: one browser process per kind (launched on first use, relaunched after a crash), a browser
// context per run (cookies, storage and cache never shared between runs, hence between workspaces), and a cap on
// the pages open at once across all runs: a page takes a slot when opened and gives it back when closed; past the cap
// an opener waits its turn (first come, first served) up to its step's timeout. Every context sends its traffic
// through its own guard proxy (./guard-proxy.ts).
import type { Browser, BrowserContext, BrowserType, Page } from 'playwright-core'
import { NodeError } from '../engine/types'
import type { GuardProxy } from './guard-proxy'
import type { BrowserKind } from './types'

export interface BrowserPoolOptions {
  /** Pages open at once in this process, all runs together. */
  maxPages: number
  /** Executable per kind; a kind without one cannot be launched (Chromium: /usr/bin/chromium by default). */
  executables: Partial<Record<BrowserKind, string>>
  /** A run context's own guard proxy (./guard-proxy.ts), closed with the context. */
  proxyFor(): Promise<GuardProxy>
  /** A run's context is closed after this long without a page open in it (a run that never said it ended). */
  idleContextMs?: number
}

export interface PoolStats {
  maxPages: number
  openPages: number
  peakPages: number
  waiting: number
  contexts: number
  launches: number
  crashes: number
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-extensions', '--mute-audio',
  '--disable-renderer-backgrounding', '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication',
]
// Playwright loads with the first browser step, not when a worker starts (about a second and 60 MB otherwise).
const browserType = async (kind: BrowserKind): Promise<BrowserType> => (await import('playwright-core'))[kind]

/** First come, first served slots; a waiter gives up on its signal or deadline. */
class Slots {
  private used = 0
  private readonly queue: Array<{ grant: () => void; fail: (err: unknown) => void }> = []
  peak = 0
  constructor(readonly size: number) {}
  get inUse() {
    return this.used
  }
  get waiting() {
    return this.queue.length
  }
  take(signal: AbortSignal, timeoutMs: number): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason)
    if (this.used < this.size && this.queue.length === 0) {
      this.used++
      this.peak = Math.max(this.peak, this.used)
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          cleanup()
          this.used++
          this.peak = Math.max(this.peak, this.used)
          resolve()
        },
        fail: (err: unknown) => {
          cleanup()
          reject(err)
        },
      }
      const timer = setTimeout(
        () =>
          entry.fail(
            new NodeError(`No browser page became free within ${Math.round(timeoutMs / 1000)} s: this worker allows ${this.size} pages at once (AUTERITY_BROWSER_MAX_PAGES) and all are in use`, {
              code: 'BROWSER_BUSY',
              retryable: true,
            }),
          ),
        timeoutMs,
      )
      const onAbort = () => entry.fail(signal.reason)
      const cleanup = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        const i = this.queue.indexOf(entry)
        if (i >= 0) this.queue.splice(i, 1)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.queue.push(entry)
    })
  }
  give(): void {
    this.used = Math.max(0, this.used - 1)
    this.queue[0]?.grant()
  }
}

interface RunContext {
  browser: Browser
  proxy: Promise<GuardProxy>
  context: Promise<BrowserContext>
  /** Open pages and how each gives its slot back. */
  pages: Map<Page, () => void>
  idleTimer?: NodeJS.Timeout
}

/** A page of the pool: `release` closes it and gives its slot back (safe to call twice). */
export interface PooledPage {
  page: Page
  context: BrowserContext
  /** The context's guard proxy: what it refused. */
  proxy: GuardProxy
  release(): Promise<void>
}

export class BrowserPool {
  private readonly slots: Slots
  private readonly browsers = new Map<BrowserKind, Promise<Browser>>()
  private readonly contexts = new Map<string, RunContext>()
  private closing = false
  private launches = 0
  private crashes = 0

  constructor(private readonly opts: BrowserPoolOptions) {
    if (!(opts.maxPages >= 1)) throw new Error('BrowserPool: maxPages must be at least 1')
    this.slots = new Slots(opts.maxPages)
  }

  get kinds(): BrowserKind[] {
    return (Object.keys(this.opts.executables) as BrowserKind[]).filter((k) => this.opts.executables[k])
  }

  stats(): PoolStats {
    return {
      maxPages: this.slots.size, openPages: this.slots.inUse, peakPages: this.slots.peak, waiting: this.slots.waiting,
      contexts: this.contexts.size, launches: this.launches, crashes: this.crashes,
    }
  }

  /** Opens a page in the run's context of `kind`, after waiting for a slot. */
  async open(
    executionId: string,
    kind: BrowserKind,
    opts: { signal: AbortSignal; timeoutMs: number; viewport?: { width: number; height: number }; userAgent?: string; headers?: Record<string, string> },
  ): Promise<PooledPage> {
    if (this.closing) throw new NodeError('The browser pool is shutting down', { code: 'BROWSER_UNAVAILABLE', retryable: true })
    await this.slots.take(opts.signal, opts.timeoutMs)
    let slotHeld = true
    const giveSlot = () => {
      if (!slotHeld) return
      slotHeld = false
      this.slots.give()
    }
    try {
      const rc = await this.runContext(executionId, kind)
      const context = await rc.context
      const page = await context.newPage()
      rc.pages.set(page, giveSlot)
      if (rc.idleTimer) clearTimeout(rc.idleTimer)
      if (opts.viewport) await page.setViewportSize(opts.viewport)
      const headers = { ...opts.headers, ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}) }
      if (Object.keys(headers).length) await page.setExtraHTTPHeaders(headers)
      let released = false
      page.once('close', () => {
        rc.pages.delete(page)
        giveSlot()
        if (rc.pages.size === 0) this.armIdle(executionId, kind, rc)
      })
      return {
        page,
        context,
        proxy: await rc.proxy,
        release: async () => {
          if (released) return
          released = true
          await page.close().catch(() => undefined)
          giveSlot()
        },
      }
    } catch (err) {
      giveSlot()
      throw toLaunchError(err, kind)
    }
  }

  /** Closes every context the run opened (its pages give their slots back). */
  async endRun(executionId: string): Promise<void> {
    const keys = [...this.contexts.keys()].filter((k) => k.startsWith(`${executionId}|`))
    await Promise.all(keys.map((k) => this.dropContext(k)))
  }

  async close(): Promise<void> {
    this.closing = true
    await Promise.all([...this.contexts.keys()].map((k) => this.dropContext(k)))
    const browsers = await Promise.allSettled([...this.browsers.values()])
    this.browsers.clear()
    await Promise.all(browsers.map((b) => (b.status === 'fulfilled' ? b.value.close().catch(() => undefined) : undefined)))
  }

  private armIdle(executionId: string, kind: BrowserKind, rc: RunContext) {
    const ms = this.opts.idleContextMs ?? 10 * 60_000
    if (rc.idleTimer) clearTimeout(rc.idleTimer)
    rc.idleTimer = setTimeout(() => void this.dropContext(`${executionId}|${kind}`), ms)
    rc.idleTimer.unref()
  }

  private async dropContext(key: string): Promise<void> {
    const rc = this.contexts.get(key)
    if (!rc) return
    this.contexts.delete(key)
    if (rc.idleTimer) clearTimeout(rc.idleTimer)
    const ctx = await rc.context.catch(() => undefined)
    await ctx?.close().catch(() => undefined)
    await (await rc.proxy.catch(() => undefined))?.close()
    // A crashed browser's pages may emit no 'close': their slots come back here (giving twice is a no-op).
    for (const give of rc.pages.values()) give()
    rc.pages.clear()
  }

  private async runContext(executionId: string, kind: BrowserKind): Promise<RunContext> {
    const key = `${executionId}|${kind}`
    const existing = this.contexts.get(key)
    if (existing && existing.browser.isConnected()) return existing
    if (existing) await this.dropContext(key)
    const browser = await this.browser(kind)
    const proxy = this.opts.proxyFor()
    const rc: RunContext = {
      browser,
      proxy,
      // Service workers are blocked (they would outlive the page); downloads are taken into the run's files.
      context: proxy.then((p) => browser.newContext({ acceptDownloads: true, serviceWorkers: 'block', ignoreHTTPSErrors: false, proxy: { server: p.url } })),
      pages: new Map(),
    }
    proxy.catch(() => undefined)
    rc.context.catch(() => undefined)
    this.contexts.set(key, rc)
    await rc.context
    return rc
  }

  private browser(kind: BrowserKind): Promise<Browser> {
    const existing = this.browsers.get(kind)
    if (existing) return existing
    const executablePath = this.opts.executables[kind]
    if (!executablePath) {
      return Promise.reject(
        new NodeError(`${kind} is not configured on this worker: set ${kind === 'chromium' ? 'PLAYWRIGHT_CHROMIUM_PATH' : `AUTERITY_BROWSER_${kind.toUpperCase()}_PATH`} to its executable`, {
          code: 'BROWSER_UNAVAILABLE',
          field: 'browser',
        }),
      )
    }
    const launched = browserType(kind)
      .then((type) => type.launch({ executablePath, headless: true, args: kind === 'chromium' ? CHROMIUM_ARGS : [], timeout: 30_000 }))
      .then((browser) => {
        this.launches++
        browser.once('disconnected', () => {
          if (this.browsers.get(kind) === launched) this.browsers.delete(kind)
          if (this.closing) return
          this.crashes++
          // Its contexts are gone with it: drop them so their slots come back and the next page launches anew.
          for (const [key, rc] of this.contexts) if (rc.browser === browser) void this.dropContext(key)
        })
        return browser
      })
    launched.catch(() => {
      if (this.browsers.get(kind) === launched) this.browsers.delete(kind)
    })
    this.browsers.set(kind, launched)
    return launched
  }
}

function toLaunchError(err: unknown, kind: BrowserKind): unknown {
  if (err instanceof NodeError) return err
  const msg = (err as Error)?.message ?? String(err)
  if (/Executable doesn't exist|ENOENT|spawn/.test(msg)) {
    return new NodeError(`Could not start ${kind}: ${msg.split('\n')[0]}`, { code: 'BROWSER_UNAVAILABLE', cause: err })
  }
  if (/closed|disconnected|crash/i.test(msg)) return new NodeError(`The browser closed while opening a page: ${msg.split('\n')[0]}`, { code: 'BROWSER_CRASHED', retryable: true, cause: err })
  return err
}
