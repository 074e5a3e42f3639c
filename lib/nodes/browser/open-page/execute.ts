import type { Item } from '../../../engine/types'
import { NodeError } from '../../../engine/types'
import type { BrowserSession } from '../../../browser/types'
import type { Executor } from '../../define'
import { kvToRecord } from '../../params'
import { runBrowser, withPage } from '../session'
import type { OpenPageParams } from './definition'

const MAX_HTML = 5 * 1024 * 1024

export const execute: Executor<OpenPageParams, 'browser' | 'files'> = async (ctx) => {
  const items = ctx.items.length ? ctx.items : [{}]
  const run = runBrowser(ctx)
  let session: BrowserSession | undefined
  const out: Item[] = []
  for (let i = 0; i < items.length; i++) {
    const p = await ctx.paramsFor(i)
    if (!p.url.trim()) throw new NodeError(`Item ${ctx.inputOffset + i}: give the URL to open`, { code: 'MISSING_URL', field: 'url' })
    const timeoutMs = p.timeoutSeconds * 1000
    // One page for the step: the first item opens it, later items send it on to their URL.
    session ??= await run.open({
      browser: p.browser, timeoutMs, viewport: { width: p.viewportWidth, height: p.viewportHeight }, userAgent: p.userAgent || undefined, headers: kvToRecord(p.headers),
    })
    const { status, url } = await session.goto(p.url, { waitUntil: p.waitUntil, timeoutMs })
    if (p.waitForSelector) await session.use((page) => page.waitForSelector(p.waitForSelector, { state: 'visible' }), { timeoutMs, field: 'waitForSelector' })
    const title = await session.use((page) => page.title())
    const item: Item = { ...items[i], url, status, title }
    if (p.includeHtml) {
      const html = await session.use((page) => page.content())
      if (Buffer.byteLength(html) > MAX_HTML) throw new NodeError(`Item ${ctx.inputOffset + i}: the page's HTML is over 5 MB; extract parts of it with Extract instead`, { code: 'HTML_TOO_LARGE', field: 'includeHtml' })
      item.html = html
    }
    out.push(withPage(item, session))
  }
  return { main: out }
}
