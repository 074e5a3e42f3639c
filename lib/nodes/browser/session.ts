// Finding the page a browser step works on: the page the item carries (PageHandle, put there by Open Page or an earlier
// browser node), or a new one at the node's own URL. Server-only (used by executors).
import type { ExecuteContext, Item } from '../../engine/types'
import { NodeError } from '../../engine/types'
import { PAGE_FIELD, pageHandleOf, type BrowserKind, type BrowserSession, type RunBrowser } from '../../browser/types'
import type { HostServices } from '../host-services'

type Ctx = ExecuteContext<any, Pick<HostServices, 'browser' | 'files'>>

/** The run's browser (pages, files) for this step. */
export function runBrowser(ctx: Ctx): RunBrowser {
  return ctx.services.browser.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, signal: ctx.signal, files: ctx.services.files.forRun(ctx) })
}

const sameUrl = (a: string, b: string) => a.split('#')[0] === b.split('#')[0]

/**
 * The page for item `index`: with `url`, that URL (in the item's page when it has one, else a new page); without, the
 * item's page, navigated back to the item's URL if another item moved it since (items of one branch share a page).
 */
export async function pageForItem(
  run: RunBrowser,
  item: Item | undefined,
  opts: { url?: string; timeoutMs: number; browser?: BrowserKind; waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' | 'commit'; index: number },
): Promise<BrowserSession> {
  const handle = pageHandleOf(item)
  const o = { browser: handle?.browser ?? opts.browser ?? 'chromium', timeoutMs: opts.timeoutMs }
  const url = opts.url?.trim()
  if (url) {
    const session = handle ? await run.resume(handle, o) : await run.open(o)
    await session.goto(url, { waitUntil: opts.waitUntil, timeoutMs: opts.timeoutMs, field: 'url' })
    return session
  }
  if (!handle) {
    throw new NodeError(`Item ${opts.index} carries no page: put an Open Page node before this one, or give this node a URL`, { code: 'NO_PAGE', field: 'url' })
  }
  const session = await run.resume(handle, o)
  const at = await session.use(async (p) => p.url())
  if (!sameUrl(at, handle.url) && handle.url !== 'about:blank') await session.goto(handle.url, { waitUntil: opts.waitUntil, timeoutMs: opts.timeoutMs })
  return session
}

/** `item` with the page's handle (where the page is now), for the next browser node of the branch. */
export function withPage(item: Item, session: BrowserSession): Item {
  return { ...item, [PAGE_FIELD]: session.handle() }
}
