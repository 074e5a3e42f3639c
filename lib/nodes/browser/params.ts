// Params every browser node shares. Browser-safe.
import { z } from 'zod'
import { BROWSER_KINDS } from '../../browser/types'
import { labelledEnum, text } from '../params'

export const timeoutSeconds = () =>
  z.coerce
    .number()
    .min(1, 'At least 1 second')
    .max(600, 'At most 600 seconds')
    .default(30)
    .describe('Longest this step waits for a free page, for the page to load and for each action, in seconds')

/** For the nodes after Open Page: work on the page the item carries, or open a URL first. */
export const pageUrl = () =>
  text()
    .default('')
    .describe('Open this URL first. Empty: work on the page the input item carries (from Open Page or an earlier browser node)')
    .meta({ ui: 'expression' })

export const waitUntil = () =>
  labelledEnum({ load: 'Page loaded (all resources)', domcontentloaded: 'HTML parsed', networkidle: 'Network idle', commit: 'First bytes received' })
    .default('load')
    .describe('When a navigation counts as done: load (all resources), domcontentloaded (the HTML parsed), networkidle (no requests for 0.5 s), commit (the first bytes)')

export const browserKind = () => z.enum(BROWSER_KINDS).meta({ optionLabels: { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' } }).default('chromium').describe('The browser to use: Chromium always; Firefox and WebKit when the worker has them configured')
