import { load, type Cheerio, type CheerioAPI } from 'cheerio'
import { NodeError, type Item, type NodeExecutor } from '../../engine/types'
import { parsePath, setPath } from '../paths'
import { readTextField } from '../text-input'
import type { HtmlParams, HtmlRule } from './definition'

// domhandler's node type, reached through cheerio's API rather than a dependency of our own on domhandler.
type AnyNode = Parameters<CheerioAPI['contains']>[0]

/** Cheerio compiles a selector when it is used and throws on a bad one; the step error names the param. */
function select(run: () => Cheerio<AnyNode>, selector: string, where: string, field: string, index: number): Cheerio<AnyNode> {
  try {
    return run()
  } catch (e) {
    throw new NodeError(`${where} has an invalid CSS selector "${selector}" (item ${index}): ${(e as Error).message}`, {
      code: 'INVALID_SELECTOR',
      field,
      details: { item: index, selector },
      cause: e,
    })
  }
}

function read(el: Cheerio<AnyNode>, rule: HtmlRule, trim: boolean): unknown {
  switch (rule.return) {
    case 'text': {
      const text = el.text()
      return trim ? text.trim() : text
    }
    case 'html':
      return el.html()
    case 'attribute':
      return el.attr(rule.attribute!) ?? null
    case 'value':
      return el.val() ?? null
  }
}

/** Each rule's value, read inside `scope` (the document root, or one split element). */
function extract($: CheerioAPI, scope: Cheerio<AnyNode>, p: HtmlParams, index: number): [string, unknown][] {
  return p.rules.map((rule, r) => {
    const matches = rule.selector
      ? select(() => scope.find(rule.selector), rule.selector, `Rule "${rule.key}" (rules[${r}])`, 'rules', index)
      : scope
    const value = rule.multiple
      ? matches.toArray().map((el) => read($(el), rule, p.trim))
      : matches.length > 0 ? read(matches.first(), rule, p.trim) : null
    return [rule.key, value]
  })
}

/** `base` plus the fields; a nested key writes into a clone so the input item's objects stay untouched. */
function withFields(base: Item, fields: [string, unknown][]): Item {
  const nested = fields.some(([key]) => parsePath(key, 'rules').length > 1)
  const out = nested ? structuredClone(base) : { ...base }
  for (const [key, value] of fields) setPath(out, key, value, 'rules')
  return out
}

export const execute: NodeExecutor<HtmlParams> = async (ctx) => {
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    const $ = load(readTextField(ctx.items[i], p.sourceField, 'sourceField', index, p.maxInputMb))
    if (p.operation === 'extract') {
      out.push(withFields(ctx.items[i], extract($, $.root(), p, index)))
      continue
    }
    const elements = select(() => $(p.splitSelector), p.splitSelector, 'splitSelector', 'splitSelector', index)
    for (const el of elements.toArray()) out.push(withFields({}, extract($, $(el), p, index)))
  }
  return { main: out }
}
