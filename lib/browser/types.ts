// What browser node types see of the browser pool (types only: node definitions stay browser-safe; `Page` is
// Playwright's, imported as a type). lib/browser/host.ts implements it over lib/browser/pool.ts.
import type { Page } from 'playwright-core'
import type { FileRef } from '../files/ref'
import type { RunFiles } from '../files/types'

export const BROWSER_KINDS = ['chromium', 'firefox', 'webkit'] as const
export type BrowserKind = (typeof BROWSER_KINDS)[number]

/**
 * What an item carries to say "this page": Open Page puts it on its output items, the next browser nodes of the same
 * branch find the page by it. `session` names a page open in this run (on the worker running it); `url` is where the
 * page was when the item was made, so a run resumed on another worker (the page is gone with the old one) opens it again.
 */
export interface PageHandle {
  session: string
  url: string
  browser: BrowserKind
}

/** The item field holding a PageHandle. */
export const PAGE_FIELD = '$page'

export interface OpenPageOptions {
  browser: BrowserKind
  /** Longest wait for a free page slot and for each action, in ms (the step's timeout). */
  timeoutMs: number
  viewport?: { width: number; height: number }
  userAgent?: string
  /** Extra request headers (Accept-Language…) for this page. */
  headers?: Record<string, string>
}

/** One open page of a run. Actions on it go through `use`, one at a time (two branches sharing a handle queue up). */
export interface BrowserSession {
  readonly id: string
  readonly browser: BrowserKind
  /**
   * Runs `fn` on the page with the step's timeout and signal: a Playwright error becomes a NodeError (timeout,
   * blocked address, crashed browser…) naming `field` where one is given. The page's default timeouts are set to
   * `timeoutMs` for the call.
   */
  use<T>(fn: (page: Page) => Promise<T>, opts?: { timeoutMs?: number; field?: string }): Promise<T>
  /**
   * Navigates (refusing schemes other than http and https, and addresses the outbound policy refuses, redirects
   * included) and waits for `waitUntil`. Returns the main response's status (null for same-document navigations).
   */
  goto(url: string, opts?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit'; timeoutMs?: number; field?: string }): Promise<{ status: number | null; url: string }>
  /** The handle items carry for this page (its current URL). */
  handle(): PageHandle
  /**
   * Files the page downloaded since the last call, each stored in the run's files (size-capped); downloads still
   * being saved are awaited. A download over the cap is dropped and reported in `refused`.
   */
  takeDownloads(): Promise<{ files: FileRef[]; refused: { name: string; reason: string }[] }>
  /** Closes the page now and frees its slot (otherwise it stays open for the next nodes until the run ends). */
  close(): Promise<void>
}

/** A run's view of the browser pool. */
export interface RunBrowser {
  /** A new page (waits for a free slot of the worker's cap, up to the timeout). */
  open(opts: OpenPageOptions): Promise<BrowserSession>
  /**
   * The page an item refers to: the open one when this worker holds it, else a new page at `handle.url` under the
   * same session id (a run resumed elsewhere, or a page closed meanwhile).
   */
  resume(handle: PageHandle, opts: OpenPageOptions): Promise<BrowserSession>
  /** The run's files, where screenshots and downloads go. */
  readonly files: RunFiles
}

export interface BrowserHost {
  forRun(scope: { tenantId: string; executionId: string; signal: AbortSignal; files: RunFiles }): RunBrowser
  /** Closes the run's pages and its browser context (cookies, storage). Called when the run ends, on any outcome. */
  endRun(executionId: string): Promise<void>
  /** The browsers this host can launch (Chromium always when installed; Firefox, WebKit when configured). */
  readonly kinds: readonly BrowserKind[]
}

/** Reads a PageHandle from an item field, or undefined when the item carries none. */
export function pageHandleOf(item: Record<string, unknown> | undefined): PageHandle | undefined {
  const v = item?.[PAGE_FIELD] as Partial<PageHandle> | undefined
  if (!v || typeof v !== 'object' || typeof v.session !== 'string' || typeof v.url !== 'string') return undefined
  const browser = (BROWSER_KINDS as readonly string[]).includes(v.browser as string) ? (v.browser as BrowserKind) : 'chromium'
  return { session: v.session, url: v.url, browser }
}
