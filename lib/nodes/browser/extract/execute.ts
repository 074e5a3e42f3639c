import { randomUUID } from 'node:crypto'
import { errors as pwErrors } from 'playwright-core'
import type { Item } from '../../../engine/types'
import { NodeError } from '../../../engine/types'
import { PAGE_FIELD, type BrowserSession } from '../../../browser/types'
import type { Executor } from '../../define'
import { pageForItem, runBrowser } from '../session'
import type { ExtractParams } from './definition'
import { EXTRACT_JS, FINGERPRINT_JS, type PageResult, type PageSpec } from './in-page'

const withoutHash = (u: string) => u.split('#')[0]

const emptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)

export const execute: Executor<ExtractParams, 'browser' | 'files'> = async (ctx) => {
  const run = runBrowser(ctx)
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const index = ctx.inputOffset + i
    const p = await ctx.paramsFor(i)
    const timeoutMs = p.timeoutSeconds * 1000
    const keep = p.keepInputFields ?? p.mode === 'fields'
    const input = ctx.items[i]
    const session = await pageForItem(run, input, { url: p.url, timeoutMs, waitUntil: p.waitUntil, index })
    const base: Item = keep ? { ...input } : {}
    delete base[PAGE_FIELD]
    const visited = new Set<string>()
    let found = false
    for (let pageNo = 1; ; pageNo++) {
      const paginate = p.nextSelector !== '' && pageNo < p.maxPages
      const spec: PageSpec = {
        mode: p.mode,
        rules: p.rules,
        itemSelector: p.itemSelector,
        itemSelectorType: p.itemSelectorType,
        tableSelector: p.tableSelector,
        tableSelectorType: p.tableSelectorType,
        headerRow: p.headerRow,
        trim: p.trim,
        next: paginate ? { selector: p.nextSelector, selectorType: p.nextSelectorType, token: randomUUID() } : undefined,
      }
      const res = await session.use((page) => page.evaluate(`(${EXTRACT_JS})(${JSON.stringify(spec)})`) as Promise<PageResult>, { timeoutMs })
      if (res.error) {
        throw new NodeError(`Item ${index}: the selector for ${describeField(res.error.field, p)} is not valid: ${res.error.message.split('\n')[0]}`, {
          code: 'INVALID_SELECTOR',
          field: res.error.field,
          details: { item: index },
        })
      }
      visited.add(withoutHash(res.url))
      const handle = { ...session.handle(), url: res.url }
      for (const record of res.records) {
        if (p.mode !== 'fields' || Object.values(record).some((v) => !emptyValue(v))) found = true
        out.push({ ...base, page: pageNo, url: res.url, ...record, [PAGE_FIELD]: handle })
      }
      const next = res.next
      if (!paginate || !next || next.disabled) break
      if (next.href) {
        if (visited.has(withoutHash(next.href))) break
        await session.goto(next.href, { waitUntil: p.waitUntil, timeoutMs, field: 'nextSelector' })
      } else {
        await clickNext(session, spec.next!.token, next.fingerprint ?? '', p, timeoutMs, index)
      }
    }
    if (p.failIfEmpty && !found) {
      const field = p.mode === 'items' ? 'itemSelector' : p.mode === 'table' ? 'tableSelector' : 'rules'
      throw new NodeError(`Item ${index}: nothing was found on the page (${p.mode} mode) and failIfEmpty is on`, { code: 'NOTHING_FOUND', field, details: { item: index } })
    }
  }
  return { main: out }
}

/** Clicks the element the page marked and waits until the page changed: a new document, or new content in place. */
async function clickNext(session: BrowserSession, token: string, fingerprint: string, p: ExtractParams, timeoutMs: number, index: number) {
  await session.use(
    async (page) => {
      // One budget for the click and the wait, so this step's own message wins over the session's overall deadline.
      const end = Date.now() + timeoutMs
      await page.locator(`[data-auterity-next="${token}"]`).first().click()
      try {
        await page.waitForFunction(
          `window.__auterityExtract !== ${JSON.stringify(token)} || (${FINGERPRINT_JS})(document.body ? document.body.innerHTML : '') !== ${JSON.stringify(fingerprint)}`,
          undefined,
          { timeout: Math.max(1, end - Date.now()), polling: 50 },
        )
      } catch (err) {
        if (err instanceof pwErrors.TimeoutError) {
          throw new NodeError(`Item ${index}: clicked the next element, but the page did not change within ${p.timeoutSeconds} s`, { code: 'NEXT_PAGE_TIMEOUT', field: 'nextSelector', retryable: true })
        }
        throw err
      }
      await page.waitForLoadState(p.waitUntil === 'commit' ? 'domcontentloaded' : p.waitUntil)
    },
    { timeoutMs, field: 'nextSelector' },
  )
}

function describeField(field: string, p: ExtractParams): string {
  const rule = /^rules\.(\d+)\.selector$/.exec(field)
  if (rule) return `rule "${p.rules[Number(rule[1])]?.key}"`
  return field
}
