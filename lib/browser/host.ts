// The `browser` host service over a BrowserPool: pages as sessions that items point at (PageHandle), one action at a
// time per page, navigations checked (scheme, outbound policy, redirects through the guard proxy), Playwright's errors
// as NodeErrors, downloads into the run's files.
import { randomUUID } from 'node:crypto'
import type { Download, Page } from 'playwright-core'
import { NodeError } from '../engine/types'
import type { FileRef } from '../files/ref'
import type { RunFiles } from '../files/types'
import type { TcpGuard } from '../net/tcp-guard'
import { BLOCKED_HEADER, startGuardProxy, type GuardProxy } from './guard-proxy'
import { BrowserPool, type BrowserPoolOptions, type PooledPage } from './pool'
import type { BrowserHost, BrowserKind, BrowserSession, OpenPageOptions, PageHandle, RunBrowser } from './types'

export interface BrowserHostOptions extends Omit<BrowserPoolOptions, 'proxyFor'> {
  /** The outbound policy pages are held to (the HTTP node's: lib/env `http`). */
  guard: TcpGuard
  /** Largest download kept, in bytes (also capped by the file store's own limit). */
  maxDownloadBytes: number
}

export interface BrowserHostWithPool extends BrowserHost {
  readonly pool: BrowserPool
  close(): Promise<void>
}

/** Schemes a page may be sent to at the top level; `about:blank` is where a new page starts. */
const NAVIGABLE = new Set(['http:', 'https:'])

export function checkNavigableUrl(raw: string, field = 'url'): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new NodeError(`"${raw}" is not a URL: give a full address such as https://example.com/page`, { code: 'INVALID_URL', field })
  }
  if (!NAVIGABLE.has(url.protocol)) {
    throw new NodeError(`${url.protocol} URLs cannot be opened: pages load only http:// and https:// addresses (file:, data:, chrome:, view-source: and others are refused)`, {
      code: 'URL_SCHEME_BLOCKED',
      field,
    })
  }
  return url
}

const firstLine = (s: string) => s.split('\n')[0].replace(/^[\w.]+: /, '')

/** A Playwright error as a NodeError: timeouts and crashes retryable, refusals by the guard not. */
export function browserError(err: unknown, ctx: { field?: string; timeoutMs?: number; proxy?: GuardProxy; since?: number; url?: string }): unknown {
  if (err instanceof NodeError) return err
  const msg = (err as Error)?.message ?? String(err)
  const refused = ctx.proxy?.lastRefusal(ctx.since ?? 0)
  if (/ERR_TUNNEL_CONNECTION_FAILED|ERR_PROXY|ERR_BLOCKED|ERR_ACCESS_DENIED/.test(msg) && refused) return refused
  if ((err as Error)?.name === 'TimeoutError' || /Timeout \d+ms exceeded/.test(msg)) {
    return new NodeError(`Timed out after ${Math.round((ctx.timeoutMs ?? 0) / 1000)} s: ${firstLine(msg)}`, { code: 'BROWSER_TIMEOUT', retryable: true, field: ctx.field, cause: err })
  }
  if (/Target (page, context or browser )?(has been )?closed|Browser has been closed|browser has disconnected|Page crashed|Target crashed/i.test(msg)) {
    return new NodeError(`The browser closed or crashed during the step: ${firstLine(msg)}`, { code: 'BROWSER_CRASHED', retryable: true, cause: err })
  }
  const net = /net::(ERR_[A-Z_]+)/.exec(msg)
  if (net) {
    const code = net[1]
    const retryable = !/ERR_NAME_NOT_RESOLVED|ERR_INVALID_URL|ERR_UNSAFE|ERR_ABORTED|ERR_CERT/.test(code)
    return new NodeError(`Could not load ${ctx.url ?? 'the page'}: ${code}`, { code: code === 'ERR_NAME_NOT_RESOLVED' ? 'HOST_NOT_FOUND' : 'BROWSER_NETWORK', retryable, field: ctx.field, cause: err })
  }
  // Selector syntax and "strict mode" errors are the user's to fix.
  if (/is not a valid selector|Unexpected token|strict mode violation|Unknown engine/i.test(msg)) {
    return new NodeError(firstLine(msg), { code: 'INVALID_SELECTOR', field: ctx.field, cause: err })
  }
  return new NodeError(firstLine(msg), { code: 'BROWSER_ERROR', field: ctx.field, cause: err })
}

class Session implements BrowserSession {
  private chain: Promise<unknown> = Promise.resolve()
  private pending: Promise<{ file?: FileRef; refused?: { name: string; reason: string } }>[] = []
  private violation?: NodeError
  closed = false

  constructor(
    readonly id: string,
    readonly browser: BrowserKind,
    private readonly pooled: PooledPage,
    private readonly files: RunFiles,
    private readonly signal: AbortSignal,
    private readonly defaultTimeoutMs: number,
    maxDownloadBytes: number,
  ) {
    const page = pooled.page
    page.on('download', (d) => this.pending.push(saveDownload(d, files, maxDownloadBytes, signal)))
    // A page sent to another scheme by its own script (a meta refresh, a link): the next action refuses.
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) return
      const url = frame.url()
      if (url === 'about:blank' || url.startsWith('chrome-error://')) return
      let protocol = ''
      try {
        protocol = new URL(url).protocol
      } catch {}
      if (!NAVIGABLE.has(protocol)) {
        this.violation = new NodeError(`The page navigated to a ${protocol || 'non-web'} URL, which pages may not load`, { code: 'URL_SCHEME_BLOCKED' })
        void page.goto('about:blank').catch(() => undefined)
      }
    })
    page.on('close', () => {
      this.closed = true
    })
  }

  get page(): Page {
    return this.pooled.page
  }

  use<T>(fn: (page: Page) => Promise<T>, opts: { timeoutMs?: number; field?: string } = {}): Promise<T> {
    const run = async () => {
      if (this.closed) throw new NodeError('The page was closed (its browser stopped, or a node closed it)', { code: 'BROWSER_CRASHED', retryable: true })
      if (this.violation) throw this.violation
      const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs
      const page = this.pooled.page
      page.setDefaultTimeout(timeoutMs)
      page.setDefaultNavigationTimeout(timeoutMs)
      const since = Date.now()
      let timer: NodeJS.Timeout | undefined
      let onAbort: (() => void) | undefined
      // The step's own deadline over the whole action (a hung evaluate has no Playwright timeout) and its cancel.
      const stop = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NodeError(`Timed out after ${Math.round(timeoutMs / 1000)} s`, { code: 'BROWSER_TIMEOUT', retryable: true, field: opts.field })), timeoutMs + 1000)
        onAbort = () => reject(this.signal.reason ?? new Error('canceled'))
        if (this.signal.aborted) onAbort()
        else this.signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        const result = await Promise.race([fn(page), stop])
        if (this.violation) throw this.violation
        return result
      } catch (err) {
        if (this.closed || !this.pooled.page.context().browser()?.isConnected()) {
          throw new NodeError(`The browser closed or crashed during the step: ${firstLine((err as Error)?.message ?? String(err))}`, { code: 'BROWSER_CRASHED', retryable: true, cause: err })
        }
        throw browserError(err, { field: opts.field, timeoutMs, proxy: this.pooled.proxy, since })
      } finally {
        clearTimeout(timer)
        if (onAbort) this.signal.removeEventListener('abort', onAbort)
      }
    }
    const next = this.chain.then(run, run)
    this.chain = next.catch(() => undefined)
    return next
  }

  async goto(raw: string, opts: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit'; timeoutMs?: number; field?: string } = {}) {
    const field = opts.field ?? 'url'
    const url = checkNavigableUrl(raw, field)
    return this.use(
      async (page) => {
        const since = Date.now()
        let response
        try {
          response = await page.goto(url.href, { waitUntil: opts.waitUntil ?? 'load' })
        } catch (err) {
          // Refused by the guard at the first hop or at a redirect: say which address, not "tunnel failed".
          throw browserError(err, { field, timeoutMs: opts.timeoutMs ?? this.defaultTimeoutMs, proxy: this.pooled.proxy, since, url: url.href })
        }
        const blocked = response && (await response.headerValue(BLOCKED_HEADER).catch(() => null))
        if (blocked) {
          const refusal = this.pooled.proxy.lastRefusal(since)
          throw refusal ?? new NodeError(`The address was refused by the outbound policy (${blocked})`, { code: 'SSRF_BLOCKED', field })
        }
        return { status: response?.status() ?? null, url: page.url() }
      },
      { timeoutMs: opts.timeoutMs, field },
    )
  }

  handle(): PageHandle {
    return { session: this.id, url: this.closed ? 'about:blank' : this.pooled.page.url(), browser: this.browser }
  }

  async takeDownloads() {
    const done = await Promise.all(this.pending.splice(0))
    return { files: done.flatMap((d) => (d.file ? [d.file] : [])), refused: done.flatMap((d) => (d.refused ? [d.refused] : [])) }
  }

  async close() {
    this.closed = true
    await this.pooled.release()
  }
}

async function saveDownload(d: Download, files: RunFiles, maxBytes: number, signal: AbortSignal): Promise<{ file?: FileRef; refused?: { name: string; reason: string } }> {
  const name = d.suggestedFilename() || 'download'
  try {
    const stream = await d.createReadStream()
    const file = await files.write({ name, data: stream, maxBytes, signal })
    return { file }
  } catch (err) {
    await d.cancel().catch(() => undefined)
    return { refused: { name, reason: (err as Error).message } }
  }
}

export function createBrowserHost(opts: BrowserHostOptions & { defaultTimeoutMs?: number }): BrowserHostWithPool {
  const pool = new BrowserPool({ ...opts, proxyFor: () => startGuardProxy(opts.guard) })
  const runs = new Map<string, Map<string, Session>>()
  const defaultTimeoutMs = opts.defaultTimeoutMs ?? 30_000

  const forRun: BrowserHost['forRun'] = (scope) => {
    const sessions = () => {
      let m = runs.get(scope.executionId)
      if (!m) runs.set(scope.executionId, (m = new Map()))
      return m
    }
    const openAs = async (id: string, o: OpenPageOptions): Promise<Session> => {
      const pooled = await pool.open(scope.executionId, o.browser, { signal: scope.signal, timeoutMs: o.timeoutMs, viewport: o.viewport, userAgent: o.userAgent, headers: o.headers })
      const s = new Session(id, o.browser, pooled, scope.files, scope.signal, o.timeoutMs || defaultTimeoutMs, opts.maxDownloadBytes)
      sessions().set(id, s)
      pooled.page.once('close', () => {
        if (runs.get(scope.executionId)?.get(id) === s) runs.get(scope.executionId)!.delete(id)
      })
      return s
    }
    const run: RunBrowser = {
      files: scope.files,
      open: (o) => openAs(randomUUID(), o),
      async resume(handle, o) {
        const open = runs.get(scope.executionId)?.get(handle.session)
        if (open && !open.closed) return open
        const s = await openAs(handle.session, { ...o, browser: handle.browser })
        if (handle.url && handle.url !== 'about:blank') await s.goto(handle.url, { timeoutMs: o.timeoutMs })
        return s
      },
    }
    return run
  }

  return {
    pool,
    get kinds() {
      return pool.kinds
    },
    forRun,
    async endRun(executionId) {
      const m = runs.get(executionId)
      runs.delete(executionId)
      for (const s of m?.values() ?? []) s.closed = true
      await pool.endRun(executionId)
    },
    close: () => pool.close(),
  }
}
