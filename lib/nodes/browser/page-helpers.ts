// Helpers Fill Form and Run Steps share (server-only): booleans from expressions, CSS strings, visible text, the
// page's downloads on the output item, and the item's index on errors.
import type { Locator, Page } from 'playwright-core'
import type { Item } from '../../engine/types'
import { NodeError } from '../../engine/types'
import type { BrowserSession } from '../../browser/types'

const TRUE = new Set(['true', 'on', 'yes', '1', 'checked'])
const FALSE = new Set(['false', 'off', 'no', '0', '', 'unchecked'])

/** A checkbox value as resolved from an expression: true/false, "on"/"off", "yes"/"no", 1/0; undefined otherwise. */
export function parseBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === null || value === undefined) return false
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined
  if (typeof value !== 'string') return undefined
  const v = value.trim().toLowerCase()
  return TRUE.has(v) ? true : FALSE.has(v) ? false : undefined
}

/** A value as the text typed into a field (objects as JSON). */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** `s` inside a double-quoted CSS attribute value. */
export const cssString = (s: string) => s.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ')

/** The visible text of every visible element `locator` matches. */
export function visibleTexts(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((els) =>
    els
      .filter((e) => {
        const el = e as HTMLElement & { checkVisibility?: () => boolean }
        return el.checkVisibility ? el.checkVisibility() : !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
      })
      .map((e) => ((e as HTMLElement).innerText ?? e.textContent ?? '').trim())
      .filter(Boolean),
  )
}

/** Reads one extract rule off the page: text, inner HTML or an attribute of the first (or every) match. */
export async function readRule(page: Page, rule: { selector: string; return: 'text' | 'html' | 'attribute'; attribute?: string; all?: boolean }): Promise<unknown> {
  const values = await page.locator(rule.selector).evaluateAll(
    (els, r) =>
      els.map((e) =>
        r.return === 'html' ? e.innerHTML : r.return === 'attribute' ? e.getAttribute(r.attribute ?? '') : ((e as HTMLElement).innerText ?? e.textContent ?? '').trim(),
      ),
    { return: rule.return, attribute: rule.attribute },
  )
  return rule.all ? values : (values[0] ?? null)
}

/** Adds the files the page downloaded during the step (`downloads`) and those refused over the cap (`downloadsRefused`). */
export async function withDownloads(item: Item, session: BrowserSession): Promise<Item> {
  const { files, refused } = await session.takeDownloads()
  const out: Item = { ...item }
  if (files.length || refused.length) out.downloads = files
  if (refused.length) out.downloadsRefused = refused
  return out
}

/** `err` with "Item n: " in front of its message (a NodeError keeps its code, field and retryability). */
export function forItem(index: number, err: unknown): unknown {
  if (!(err instanceof NodeError) || err.message.startsWith('Item ')) return err
  return new NodeError(`Item ${index}: ${err.message}`, { code: err.code, field: err.field, retryable: err.retryable, details: err.details, cause: err })
}
