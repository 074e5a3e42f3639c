import type { Item } from '../../../engine/types'
import { NodeError } from '../../../engine/types'
import type { Executor } from '../../define'
import { pageForItem, runBrowser, withPage } from '../session'
import type { ScreenshotParams } from './definition'

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/[^A-Za-z0-9.-]/g, '_') || 'page'
  } catch {
    return 'page'
  }
}

export const execute: Executor<ScreenshotParams, 'browser' | 'files'> = async (ctx) => {
  const run = runBrowser(ctx)
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const index = ctx.inputOffset + i
    const p = await ctx.paramsFor(i)
    const timeoutMs = p.timeoutSeconds * 1000
    const session = await pageForItem(run, ctx.items[i], { url: p.url, timeoutMs, waitUntil: p.waitUntil, index })
    if (p.waitForSelector) await session.use((page) => page.waitForSelector(p.waitForSelector, { state: 'visible' }), { timeoutMs, field: 'waitForSelector' })
    const options = { type: p.format, ...(p.format === 'jpeg' ? { quality: p.quality } : {}) }
    const shot = await session.use(
      async (page) => {
        if (p.area !== 'element') return { data: await page.screenshot({ ...options, fullPage: p.area === 'page' }), url: page.url() }
        const target = page.locator(p.selector).first()
        if ((await target.count()) === 0) {
          throw new NodeError(`Item ${index}: no element matches the selector "${p.selector}" on ${page.url()}`, { code: 'ELEMENT_NOT_FOUND', field: 'selector', details: { item: index } })
        }
        return { data: await target.screenshot(options), url: page.url() }
      },
      { timeoutMs, field: p.area === 'element' ? 'selector' : undefined },
    )
    const ext = p.format === 'jpeg' ? 'jpg' : 'png'
    let name = p.fileName.trim() || `screenshot-${hostOf(shot.url)}-${index + 1}.${ext}`
    if (!/\.[A-Za-z0-9]+$/.test(name)) name += `.${ext}`
    const file = await run.files.write({ name, mimeType: p.format === 'jpeg' ? 'image/jpeg' : 'image/png', data: shot.data })
    out.push(withPage({ ...ctx.items[i], [p.outputField]: file }, session))
  }
  return { main: out }
}
