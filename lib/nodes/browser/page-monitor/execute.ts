import type { Executor } from '../../define'
import { runBrowser } from '../session'
import { captureScreenshot, captureText } from './capture'
import type { PageMonitorParams } from './definition'

/**
 * A change's run passes its item on (made by the worker's check, workers/runtime/page-monitors.ts). Run by hand (or
 * "test this step"), the node checks the page once: the page as it is now, as `after`, with nothing to compare.
 */
export const execute: Executor<PageMonitorParams, 'browser' | 'files'> = async (ctx) => {
  if (ctx.items.length > 0) return { main: ctx.items }
  const p = ctx.params
  const run = runBrowser(ctx)
  const session = await run.open({ browser: 'chromium', timeoutMs: p.timeoutSeconds * 1000 })
  try {
    const { text, url } = await captureText(session, p)
    const checkedAt = new Date().toISOString()
    const screenshot = p.screenshots ? await run.files.write({ name: 'after.png', mimeType: 'image/png', data: await captureScreenshot(session, p) }) : null
    return {
      main: [{ url, changedAt: null, changeRatio: 0, diff: { added: [], removed: [], unified: '' }, before: null, after: { text, screenshot, checkedAt } }],
    }
  } finally {
    await session.close()
  }
}
