// What a Page Changed check reads and compares (server-only): the page's visible text (or one element's), with the
// `ignore` rules applied, normalized line by line; the line diff of two texts and how much of them changed.
import { createHash } from 'node:crypto'
import { NodeError } from '../../../engine/types'
import { lazy } from '../../../lazy'
import type { BrowserSession } from '../../../browser/types'
import { parseIgnore, type PageMonitorParams } from './definition'

/** Text kept per snapshot (and compared): the rest of a very long page is cut off. */
export const MAX_TEXT = 200_000

export type CaptureParams = Pick<PageMonitorParams, 'url' | 'selector' | 'ignore' | 'waitUntil' | 'timeoutSeconds'>

/** What a monitor compares: another digest (another URL, selector or ignore rules) starts from a new baseline. */
export function targetOf(p: Pick<PageMonitorParams, 'url' | 'selector' | 'ignore'>): string {
  return createHash('sha256').update(JSON.stringify([p.url, p.selector, p.ignore])).digest('hex').slice(0, 32)
}

export const textHash = (text: string) => createHash('sha256').update(text).digest('hex')

/** Each line trimmed and its runs of blanks made one space, blank lines dropped, the ignore patterns stripped first. */
export function normalizeText(raw: string, patterns: RegExp[]): string {
  let text = raw
  for (const re of patterns) text = text.replace(re, '')
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
    .slice(0, MAX_TEXT)
}

/** Navigates the session to the page and reads the text to compare (elements matching ignore selectors removed). */
export async function captureText(session: BrowserSession, p: CaptureParams): Promise<{ text: string; url: string }> {
  const timeoutMs = p.timeoutSeconds * 1000
  const { url } = await session.goto(p.url, { waitUntil: p.waitUntil, timeoutMs, field: 'url' })
  const { patterns, selectors } = parseIgnore(p.ignore)
  const raw = await session.use(
    async (page) => {
      if (p.selector) {
        const found = await page.waitForSelector(p.selector, { state: 'attached', timeout: timeoutMs }).catch(() => null)
        if (!found) throw new NodeError(`No element matches the selector "${p.selector}" on ${url}`, { code: 'SELECTOR_NOT_FOUND', field: 'selector' })
      }
      return page.evaluate(
        ({ selector, ignore }) => {
          for (const s of ignore) {
            try {
              document.querySelectorAll(s).forEach((el) => el.remove())
            } catch {
              // not a selector this browser reads: nothing removed
            }
          }
          const root = (selector ? document.querySelector(selector) : document.body) as HTMLElement | null
          return root ? root.innerText : ''
        },
        { selector: p.selector, ignore: selectors },
      )
    },
    { timeoutMs, field: p.selector ? 'selector' : 'url' },
  )
  return { text: normalizeText(raw, patterns), url }
}

/** A PNG of the watched part (the element with a selector, else the whole page). */
export async function captureScreenshot(session: BrowserSession, p: CaptureParams): Promise<Buffer> {
  const timeoutMs = p.timeoutSeconds * 1000
  return session.use(
    async (page) => {
      if (p.selector) {
        const el = await page.$(p.selector)
        if (el) return el.screenshot({ type: 'png', timeout: timeoutMs })
      }
      return page.screenshot({ type: 'png', fullPage: true, timeout: timeoutMs })
    },
    { timeoutMs, field: 'screenshots' },
  )
}

export interface TextDiff {
  added: string[]
  removed: string[]
  unified: string
  /** 0..1: the characters of the added and removed lines over all characters of both texts. */
  ratio: number
}

// Loaded with the first changed page: the worker imports this file at start for its page-monitor listener.
const loadDiff = lazy(() => import('diff'))

const lines = (s: string) => (s === '' ? [] : s.split('\n'))
const chars = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0)

export async function diffTexts(before: string, after: string): Promise<TextDiff> {
  const { diffLines, structuredPatch } = await loadDiff()
  const added: string[] = []
  const removed: string[] = []
  const withEol = (s: string) => (s === '' ? '' : `${s}\n`)
  for (const part of diffLines(withEol(before), withEol(after))) {
    if (part.added) added.push(...lines(part.value.replace(/\n$/, '')))
    else if (part.removed) removed.push(...lines(part.value.replace(/\n$/, '')))
  }
  const total = chars(lines(before)) + chars(lines(after))
  const ratio = total === 0 ? 0 : (chars(added) + chars(removed)) / total
  const patch = structuredPatch('before', 'after', withEol(before), withEol(after), undefined, undefined, { context: 2 })
  const unified = patch.hunks
    .map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join('\n')}\n`)
    .join('')
  return { added, removed, unified, ratio }
}
