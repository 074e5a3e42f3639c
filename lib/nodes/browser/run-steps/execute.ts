import { errors as pwErrors, type Locator, type Page } from 'playwright-core'
import type { Item } from '../../../engine/types'
import { NodeError } from '../../../engine/types'
import type { BrowserSession } from '../../../browser/types'
import type { Executor } from '../../define'
import { pageForItem, runBrowser, withPage } from '../session'
import { forItem, withDownloads } from '../page-helpers'
import { NEEDS_SELECTOR, type RunStepsParams, type Step } from './definition'

export const execute: Executor<RunStepsParams, 'browser' | 'files'> = async (ctx) => {
  const items = ctx.items.length ? ctx.items : [{}]
  const run = runBrowser(ctx)
  const out: Item[] = []
  for (let i = 0; i < items.length; i++) {
    const n = ctx.inputOffset + i
    try {
      const p = await ctx.paramsFor(i)
      const timeoutMs = p.timeoutSeconds * 1000
      p.steps.forEach((step, s) => check(step, s, timeoutMs))
      const session = await pageForItem(run, items[i], { url: p.url, timeoutMs, index: n })
      const captured: Record<string, unknown> = {}
      for (const [s, step] of p.steps.entries()) {
        try {
          const got = await runStep(session, step, s, timeoutMs)
          if (step.action === 'extractText') captured[step.key] = got
        } catch (err) {
          throw inStep(err, step, s)
        }
      }
      const { url, title } = await session.use(async (page) => ({ url: page.url(), title: await page.title() }))
      out.push(withPage(await withDownloads({ ...items[i], url, title, ...captured }, session), session))
    } catch (err) {
      throw forItem(n, err)
    }
  }
  return { main: out }
}

/** What a step misses before anything runs (a selector, a key, a wait longer than the step may take). */
function check(step: Step, s: number, timeoutMs: number) {
  const fail = (msg: string, field: string) => {
    throw new NodeError(`steps.${s} (${step.action}): ${msg}`, { code: 'INVALID_STEP', field: `steps.${s}.${field}` })
  }
  if (NEEDS_SELECTOR.has(step.action) && !step.selector.trim()) fail('give the CSS selector of the element', 'selector')
  if (step.action === 'extractText' && !step.key) fail('name the item field the text goes to (key)', 'key')
  if ((step.action === 'press' || step.action === 'goto') && !step.value.trim()) fail(step.action === 'press' ? 'give the key to press (e.g. Enter)' : 'give the URL to go to', 'value')
  if (step.action === 'wait' && step.ms > timeoutMs) fail(`a wait of ${step.ms} ms is longer than the step's timeout (${timeoutMs / 1000} s)`, 'ms')
  if (step.action === 'scroll' && step.value.trim() && !/^(top|bottom|-?\d+)$/i.test(step.value.trim())) fail('scroll by a number of pixels, or to "top" or "bottom"', 'value')
}

/** A step's error with the step named in its message ("steps.2 (click "#go"): …") and its field. */
function inStep(err: unknown, step: Step, s: number): unknown {
  if (!(err instanceof NodeError) || err.message.startsWith(`steps.${s} `)) return err
  const what = step.selector ? `${step.action} "${step.selector}"` : step.action
  const field = err.field?.startsWith(`steps.${s}`) ? err.field : step.action === 'goto' ? `steps.${s}.value` : `steps.${s}`
  return new NodeError(`steps.${s} (${what}): ${err.message}`, { code: err.code, field, retryable: err.retryable, details: err.details, cause: err })
}

async function runStep(session: BrowserSession, step: Step, s: number, timeoutMs: number): Promise<unknown> {
  const sel = step.selector.trim()
  const value = step.value
  if (step.action === 'goto') {
    await session.goto(value, { timeoutMs, field: `steps.${s}.value` })
    return
  }
  return session.use(
    async (page) => {
      const loc = sel ? page.locator(sel).first() : undefined
      try {
        return await act(page, loc, step, s)
      } catch (err) {
        // An element Playwright waited for in vain: say whether it was missing or there but never usable.
        if (err instanceof pwErrors.TimeoutError && loc && step.action !== 'waitForSelector' && (await page.locator(sel).count().catch(() => 1)) === 0) {
          throw new NodeError(`nothing on the page (${page.url()}) matches "${sel}"`, { code: 'ELEMENT_NOT_FOUND', field: `steps.${s}.selector` })
        }
        throw err
      }
    },
    { timeoutMs, field: sel ? `steps.${s}.selector` : `steps.${s}` },
  )
}

async function act(page: Page, loc: Locator | undefined, step: Step, s: number): Promise<unknown> {
  const value = step.value
  switch (step.action) {
    case 'click':
      return void (await loc!.click())
    case 'dblclick':
      return void (await loc!.dblclick())
    case 'hover':
      return void (await loc!.hover())
    case 'type':
      await loc!.click()
      return void (await loc!.pressSequentially(value, { delay: step.ms }))
    case 'fill':
      return void (await loc!.fill(value))
    case 'press':
      return void (await (loc ? loc.press(value) : page.keyboard.press(value)))
    case 'select': {
      const options = await loc!.evaluate((e) => Array.from((e as HTMLSelectElement).options ?? []).map((o) => ({ value: o.value, label: o.label.trim() })))
      const hit = options.find((o) => o.value === value) ?? options.find((o) => o.label.toLowerCase() === value.trim().toLowerCase())
      if (!hit) {
        throw new NodeError(`no option "${value}"; it offers ${options.slice(0, 20).map((o) => `"${o.label}"`).join(', ') || 'none'}`, { code: 'OPTION_NOT_FOUND', field: `steps.${s}.value` })
      }
      return void (await loc!.selectOption({ value: hit.value }))
    }
    case 'check':
      return void (await loc!.check())
    case 'uncheck':
      return void (await loc!.uncheck())
    case 'wait':
      return void (await page.waitForTimeout(step.ms))
    case 'waitForSelector':
      return void (await page.locator(step.selector.trim()).filter({ visible: true }).first().waitFor({ state: 'visible' }))
    case 'waitForNavigation':
      if (value.trim()) await page.waitForURL((u) => u.href.includes(value.trim()) || globMatch(value.trim(), u.href))
      return void (await page.waitForLoadState('load'))
    case 'scroll':
      return void (loc ? await loc.evaluate(scrollElement, value.trim().toLowerCase()) : await page.evaluate(scrollPage, value.trim().toLowerCase()))
    case 'scrollIntoView':
      return void (await loc!.scrollIntoViewIfNeeded())
    case 'extractText':
      return ((await loc!.innerText()) ?? '').trim()
    case 'download':
      await Promise.all([page.waitForEvent('download'), loc!.click()])
      return
  }
}

/** Scrolls the page: to "top", "bottom", by a number of pixels, or one screen down (serialized into the page). */
function scrollPage(how: string): number {
  const target = document.scrollingElement ?? document.documentElement
  const top = how === 'top' ? 0 : how === 'bottom' ? target.scrollHeight : target.scrollTop + (how ? Number(how) : window.innerHeight)
  target.scrollTo({ top, behavior: 'instant' as ScrollBehavior })
  return target.scrollTop
}

/** Scrolls inside an element the same way (one step: its own height). */
function scrollElement(e: Element, how: string): number {
  const top = how === 'top' ? 0 : how === 'bottom' ? e.scrollHeight : e.scrollTop + (how ? Number(how) : e.clientHeight)
  e.scrollTo({ top, behavior: 'instant' as ScrollBehavior })
  return e.scrollTop
}

/** `*` as any run of characters, the rest literal ("**\/done*" style patterns, loosely). */
function globMatch(pattern: string, url: string): boolean {
  if (!pattern.includes('*')) return false
  const re = new RegExp(`^${pattern.split(/\*+/).map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return re.test(url)
}
