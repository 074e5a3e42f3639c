import { errors as pwErrors, type ElementHandle, type Locator, type Page, type Response } from 'playwright-core'
import type { Item } from '../../../engine/types'
import { NodeError } from '../../../engine/types'
import type { BrowserSession, RunBrowser } from '../../../browser/types'
import type { Executor } from '../../define'
import { isFileId } from '../../../files/ref'
import { pageForItem, runBrowser, withPage } from '../session'
import { asText, cssString, forItem, parseBool, readRule, visibleTexts, withDownloads } from '../page-helpers'
import type { FillFormParams, FormField } from './definition'

/** Longest wait for a field to appear on the page (a form drawn by script), within the step's timeout. */
const FIND_MS = 5000

type Upload = { name: string; mimeType: string; buffer: Buffer }

export const execute: Executor<FillFormParams, 'browser' | 'files'> = async (ctx) => {
  const items = ctx.items.length ? ctx.items : [{}]
  const run = runBrowser(ctx)
  const out: Item[] = []
  for (let i = 0; i < items.length; i++) {
    const n = ctx.inputOffset + i
    try {
      const p = await ctx.paramsFor(i)
      out.push(await fillOne(run, items[i], p, n))
    } catch (err) {
      throw forItem(n, err)
    }
  }
  return { main: out }
}

async function fillOne(run: RunBrowser, item: Item, p: FillFormParams, n: number): Promise<Item> {
  const timeoutMs = p.timeoutSeconds * 1000
  if (p.submit === 'selector' && !p.submitSelector) throw new NodeError('Give the CSS selector of the element to click to submit', { code: 'MISSING_SELECTOR', field: 'submitSelector' })
  if (p.waitFor === 'selector' && !p.waitForSelector) throw new NodeError('Give the CSS selector to wait for', { code: 'MISSING_SELECTOR', field: 'waitForSelector' })
  // Files first (outside the page's queue): each one whole in memory, capped.
  const uploads = new Map<number, Upload[]>()
  for (const [f, field] of p.fields.entries()) {
    if (field.kind !== 'file' && !(field.kind === 'auto' && looksLikeFiles(field.value))) continue
    const refs = field.value === undefined || field.value === null || field.value === '' ? [] : Array.isArray(field.value) ? field.value : [field.value]
    const list: Upload[] = []
    for (const ref of refs) {
      const { ref: r, bytes } = await run.files.readBytes(ref, { field: `fields.${f}.value`, maxBytes: Math.floor(p.maxUploadMb * 1024 * 1024) })
      list.push({ name: r.name, mimeType: r.mimeType, buffer: bytes })
    }
    uploads.set(f, list)
  }

  const session = await pageForItem(run, item, { url: p.url, timeoutMs, index: n })
  const located: Locator[] = []
  for (const [f, field] of p.fields.entries()) {
    located.push(await session.use((page) => fillField(page, field, f, uploads.get(f), Math.min(FIND_MS, timeoutMs)), { timeoutMs, field: `fields.${f}.target` }))
  }

  let status: number | null | undefined
  let formErrors: string[] = []
  if (p.submit !== 'none') {
    const r = await session.use((page) => submitAndWait(page, p, located), { timeoutMs, field: p.submit === 'selector' ? 'submitSelector' : 'submit' })
    status = r.status
    formErrors = r.invalid
  } else if (p.waitFor === 'selector') {
    await session.use((page) => page.locator(p.waitForSelector).filter({ visible: true }).first().waitFor({ state: 'visible' }), { timeoutMs, field: 'waitForSelector' })
  }

  if (!formErrors.length && p.errorSelector) formErrors = await session.use((page) => visibleTexts(page.locator(p.errorSelector)), { timeoutMs, field: 'errorSelector' })
  if (formErrors.length && p.onFormErrors === 'fail') {
    throw new NodeError(`The form was rejected: ${formErrors.join('; ')}`, { code: 'FORM_REJECTED', field: 'fields', details: { formErrors } })
  }
  if (!formErrors.length && p.successSelector) {
    const ok = await session.use((page) => page.locator(p.successSelector).filter({ visible: true }).count().then((c) => c > 0), { timeoutMs, field: 'successSelector' })
    if (!ok) throw new NodeError(`The form was sent, but "${p.successSelector}" did not appear on the page it led to (${session.handle().url})`, { code: 'FORM_NOT_CONFIRMED', field: 'successSelector' })
  }

  const extracted: Record<string, unknown> = {}
  for (const [r, rule] of p.extract.entries()) {
    if (rule.return === 'attribute' && !rule.attribute) throw new NodeError('Name the attribute to read', { code: 'MISSING_ATTRIBUTE', field: `extract.${r}.attribute` })
    extracted[rule.key] = await session.use((page) => readRule(page, rule), { timeoutMs, field: `extract.${r}.selector` })
  }
  const { url, title } = await session.use(async (page) => ({ url: page.url(), title: await page.title() }))
  const result: Item = { ...item, url, ...(status !== undefined && status !== null ? { status } : {}), title, formErrors, ...extracted }
  return withPage(await withDownloads(result, session), session)
}

const looksLikeFiles = (v: unknown) => {
  const one = (x: unknown) => isFileId(x) || (typeof x === 'object' && x !== null && typeof (x as { $file?: unknown }).$file === 'string')
  return Array.isArray(v) ? v.length > 0 && v.every(one) : one(v)
}

function locate(page: Page, field: FormField): Locator {
  switch (field.targetType) {
    case 'selector':
      return page.locator(field.target)
    case 'placeholder':
      return page.getByPlaceholder(field.target, { exact: true }).or(page.getByPlaceholder(field.target))
    case 'name':
      return page.locator(`[name="${cssString(field.target)}"]`)
    case 'label':
      return page.getByLabel(field.target, { exact: true }).or(page.getByLabel(field.target))
  }
}

/** Finds field `f` (waiting a little for it), fills it by its kind; returns its locator (the first match). */
async function fillField(page: Page, field: FormField, f: number, uploads: Upload[] | undefined, findMs: number): Promise<Locator> {
  let all = locate(page, field)
  try {
    await all.first().waitFor({ state: 'attached', timeout: findMs })
  } catch (err) {
    if (!(err instanceof pwErrors.TimeoutError)) throw err
    throw new NodeError(`No field ${describeTarget(field)} on the page (${page.url()})`, { code: 'FIELD_NOT_FOUND', field: `fields.${f}.target` })
  }
  // An exact label or placeholder wins over a partial one ("Email" over "Email again").
  if (field.targetType === 'label' || field.targetType === 'placeholder') {
    const exact = field.targetType === 'label' ? page.getByLabel(field.target, { exact: true }) : page.getByPlaceholder(field.target, { exact: true })
    if (await exact.count()) all = exact
  }
  const el = all.first()
  const info = await el.evaluate((e) => ({
    tag: e.tagName.toLowerCase(),
    type: ((e as HTMLInputElement).type ?? '').toLowerCase(),
    editable: (e as HTMLElement).isContentEditable,
  }))
  const kind = field.kind !== 'auto' ? field.kind : info.tag === 'select' ? 'select' : info.tag === 'input' && ['checkbox', 'radio', 'file'].includes(info.type) ? (info.type as 'checkbox' | 'radio' | 'file') : 'text'
  const valueField = `fields.${f}.value`
  switch (kind) {
    case 'text':
      await el.fill(asText(field.value))
      break
    case 'checkbox': {
      const on = parseBool(field.value)
      if (on === undefined) throw new NodeError(`${describeTarget(field)} is a checkbox: give true or false (or "on"/"off"), not ${JSON.stringify(field.value)}`, { code: 'INVALID_VALUE', field: valueField })
      await el.setChecked(on)
      break
    }
    case 'radio':
      await checkRadio(all, field, valueField)
      break
    case 'select': {
      const wanted = (Array.isArray(field.value) ? field.value : [field.value]).map(asText)
      const options = await el.evaluate((e) => Array.from((e as HTMLSelectElement).options ?? []).map((o) => ({ value: o.value, label: o.label.trim() })))
      const chosen = wanted.map((w) => {
        const hit = options.find((o) => o.value === w) ?? options.find((o) => o.label === w.trim()) ?? options.find((o) => o.label.toLowerCase() === w.trim().toLowerCase())
        if (!hit) {
          const have = options.slice(0, 20).map((o) => (o.label === o.value ? `"${o.label}"` : `"${o.label}" (${o.value})`)).join(', ')
          throw new NodeError(`${describeTarget(field)} has no option "${w}"; it offers ${have || 'none'}`, { code: 'OPTION_NOT_FOUND', field: valueField })
        }
        return { value: hit.value }
      })
      await el.selectOption(chosen)
      break
    }
    case 'file':
      if (info.tag !== 'input' || info.type !== 'file') throw new NodeError(`${describeTarget(field)} is not a file input`, { code: 'INVALID_FIELD', field: `fields.${f}.kind` })
      if (!uploads && field.value !== undefined && field.value !== null && field.value !== '') {
        throw new NodeError(`${describeTarget(field)} is a file input: give a file from the item (e.g. {{ $json.file }}), not ${JSON.stringify(field.value).slice(0, 60)}`, { code: 'INVALID_VALUE', field: valueField })
      }
      await el.setInputFiles(uploads ?? [])
      break
  }
  return el
}

/** Checks a radio: true checks the (first) matched one; a text value picks, among the matches, the radio with that value or label. */
async function checkRadio(all: Locator, field: FormField, valueField: string): Promise<void> {
  const on = typeof field.value === 'boolean' || field.value === undefined || field.value === null ? parseBool(field.value) : undefined
  if (on === true) return all.first().check()
  if (on === false) return
  const wanted = asText(field.value).trim()
  const count = await all.count()
  const seen: string[] = []
  for (let k = 0; k < count; k++) {
    const radio = all.nth(k)
    const { value, label } = await radio.evaluate((e) => ({
      value: (e as HTMLInputElement).value,
      label: Array.from((e as HTMLInputElement).labels ?? []).map((l) => l.textContent?.trim() ?? '').join(' '),
    }))
    if (value === wanted || (label && label.toLowerCase() === wanted.toLowerCase())) return radio.check()
    seen.push(label || value)
  }
  if (count === 1 && parseBool(wanted) === true) return all.first().check()
  throw new NodeError(`${describeTarget(field)} has no option "${wanted}"; it offers ${seen.map((s) => `"${s}"`).join(', ')}`, { code: 'OPTION_NOT_FOUND', field: valueField })
}

const describeTarget = (field: FormField) => (field.targetType === 'selector' ? `"${field.target}"` : `with ${field.targetType} "${field.target}"`)

/**
 * Submits (button, Enter or a selector) and waits as `waitFor` says. A form the browser finds invalid is not sent: its
 * messages come back as `invalid`. With an errorSelector and no error showing before, an error appearing ends the wait.
 */
async function submitAndWait(page: Page, p: FillFormParams, located: Locator[]): Promise<{ status?: number | null; invalid: string[] }> {
  let form: ElementHandle<HTMLFormElement> | null = null
  if (p.submit === 'button' || p.submit === 'enter') {
    const anchor = p.submit === 'button' ? located[0] : located[located.length - 1]
    if (!anchor && p.submit === 'enter') throw new NodeError('Submitting with Enter needs a field to press it in: add a field', { code: 'NO_FORM', field: 'submit' })
    const h = anchor ? await anchor.evaluateHandle((e) => (e as HTMLInputElement).form ?? e.closest('form')) : await page.$('form')
    form = (h?.asElement() as ElementHandle<HTMLFormElement> | null) ?? null
    if (!form && p.submit === 'button') throw new NodeError('No form holds the first field: choose submit "selector" and give the button\'s selector', { code: 'NO_FORM', field: 'submit' })
    if (form) {
      const invalid = await form.evaluate((fm) =>
        fm.noValidate
          ? []
          : Array.from(fm.elements)
              .filter((e) => 'checkValidity' in e && !(e as HTMLInputElement).checkValidity())
              .map((e) => {
                const input = e as HTMLInputElement
                const name = input.labels?.[0]?.textContent?.trim() || input.getAttribute('aria-label') || input.name || input.id
                return name ? `${name}: ${input.validationMessage}` : input.validationMessage
              }),
      )
      if (invalid.length) return { invalid }
    }
  }
  const errorsBefore = p.errorSelector ? (await visibleTexts(page.locator(p.errorSelector))).length : 0
  const errorShown = p.errorSelector && !errorsBefore ? page.locator(p.errorSelector).filter({ visible: true }).first().waitFor({ state: 'visible' }).then(() => 'error' as const) : undefined
  let waiting: Promise<Response | null | 'error' | 'done'> | undefined
  switch (p.waitFor) {
    case 'navigation':
      waiting = page.waitForNavigation({ waitUntil: 'load' })
      break
    case 'selector':
      waiting = page.locator(p.waitForSelector).filter({ visible: true }).first().waitFor({ state: 'visible' }).then(() => 'done' as const)
      break
  }
  const race = waiting ? Promise.race(errorShown ? [waiting, errorShown] : [waiting]) : undefined
  race?.catch(() => undefined)
  errorShown?.catch(() => undefined)

  if (p.submit === 'selector') await page.locator(p.submitSelector).first().click()
  else if (p.submit === 'enter') await located[located.length - 1].press('Enter')
  else {
    const button = await form!.evaluateHandle((fm) => {
      const inside = fm.querySelector('button[type=submit], input[type=submit], input[type=image], button:not([type])')
      return inside ?? (fm.id ? document.querySelector(`button[type=submit][form="${CSS.escape(fm.id)}"], input[type=submit][form="${CSS.escape(fm.id)}"]`) : null)
    })
    const el = button.asElement()
    if (el) await el.click()
    else await form!.evaluate((fm) => fm.requestSubmit())
  }

  let status: number | null | undefined
  if (race) {
    const got = await race.catch((err) => {
      if (!(err instanceof pwErrors.TimeoutError)) throw err
      const what = p.waitFor === 'navigation' ? 'no new page loaded' : `"${p.waitForSelector}" did not appear`
      const hint = p.waitFor === 'navigation' ? ': if the page answers without loading a new one, wait for a selector instead (or give errorSelector)' : ''
      throw new NodeError(`The form was submitted but ${what} within ${p.timeoutSeconds} s${hint}`, { code: 'BROWSER_TIMEOUT', retryable: true, field: p.waitFor === 'navigation' ? 'waitFor' : 'waitForSelector' })
    })
    if (got && typeof got === 'object') status = got.status()
  }
  if (p.waitFor === 'networkidle') await page.waitForLoadState('networkidle')
  if (p.successSelector) {
    const success = page.locator(p.successSelector).filter({ visible: true }).first().waitFor({ state: 'visible' })
    const error = p.errorSelector ? page.locator(p.errorSelector).filter({ visible: true }).first().waitFor({ state: 'visible' }) : undefined
    await Promise.race(error ? [success, error] : [success]).catch((err) => {
      if (!(err instanceof pwErrors.TimeoutError)) throw err
    })
    success.catch(() => undefined)
    error?.catch(() => undefined)
  }
  return { status, invalid: [] }
}
