// Code (v1, v2: JavaScript; Python is not mapped), Function and Function Item → code. n8n hands code its items as
// `{ json }` objects (`$input.all()`, `items`, `$input.item`); our Code node hands plain objects. Rather than rewrite
// the user's code, the imported source wraps it in a few lines that rebuild n8n's shapes around our items, so the
// code reads and returns what it did in n8n (returned `{ json }` items are unwrapped by the Code node).
import type { NodeContext, NodeMapper } from '../context'

const N8N_CODE_DEFAULT = `// Loop over input items and add a new field called 'myNewField' to the JSON of each one
for (const item of $input.all()) {
  item.json.myNewField = 1;
}

return $input.all();`

/** The code's own text runs inside a nested function, so it may declare `items` or `$input` again, as in n8n. */
const wrapAllItems = (source: string) => `// Imported from n8n: the code below sees n8n's items ({ json }) through $input and items.
const __n8nItems = items.map((json) => ({ json }));
const __n8nInput = { all: () => __n8nItems, first: () => __n8nItems[0], last: () => __n8nItems[__n8nItems.length - 1], item: __n8nItems[0] };
return await (async ($input, items) => (async () => {
${source}
})())(__n8nInput, __n8nItems);`

const wrapEachItem = (source: string) => `// Imported from n8n: the code below sees n8n's item ({ json }) through $input.item and item.
return await (async ($input, item) => (async () => {
${source}
})())({ item: { json: $json }, all: () => [{ json: $json }], first: () => ({ json: $json }), last: () => ({ json: $json }) }, { json: $json });`

const UNSUPPORTED_IN_CODE: [RegExp, string][] = [
  [/\$env\b|\$vars\b|\$secrets\b|process\s*\.\s*env\b/, 'environment variables or secrets ($env, $vars, $secrets): not imported, put them in a credential'],
  [/\$\(|\$node\b|\$items\s*\(|\$item\s*\(/, "other nodes' output ($(), $node, $items): the Code node sees only its own input here"],
  [/\$getWorkflowStaticData|\$helpers|this\.helpers|getBinaryData|\$binary|\.binary\b/, 'n8n helpers, static data or binary data'],
  [/\brequire\s*\(/, 'require(): the sandbox has no modules'],
  [/\$jmespath|\$evaluateExpression|\$prevNode|\$runIndex|\$parameter|\$now\b|\$today\b|\bDateTime\b|\$input\.(params|context)/, "n8n's built-in variables ($jmespath, $now, DateTime, $parameter, …)"],
  [/\$workflow\.(?!id\b)|\$execution\.(?!id\b)/, '$workflow / $execution fields other than id'],
]

function reportCode(ctx: NodeContext, path: string, source: string): void {
  for (const [pattern, what] of UNSUPPORTED_IN_CODE) {
    const hit = pattern.exec(source)
    if (hit) ctx.unmapped(path, `uses ${what}; the code was imported as written and will fail where it uses "${hit[0]}"`, hit[0])
  }
}

export const codeMapper: NodeMapper = (ctx) => {
  const language = String(ctx.raw('language') ?? 'javaScript')
  if (language !== 'javaScript') {
    ctx.unmapped(ctx.has('pythonCode') ? 'pythonCode' : 'language', `${language} code has no equivalent here (the Code node runs JavaScript)`)
    return null
  }
  const source = String(ctx.raw('jsCode') ?? N8N_CODE_DEFAULT)
  const eachItem = ctx.raw('mode') === 'runOnceForEachItem'
  reportCode(ctx, 'jsCode', source)
  if (!eachItem) ctx.note('Code runs once per page of up to 1,000 items (one run when the input fits in one page, as in n8n)')
  return { type: 'code', params: { source: eachItem ? wrapEachItem(source) : wrapAllItems(source), mode: eachItem ? 'runOnceForEachItem' : 'runOnceForAllItems' } }
}

/** Function (v1): once for all items, `items` as `{ json }`. */
export const functionMapper: NodeMapper = (ctx) => {
  const source = String(ctx.raw('functionCode') ?? 'return items;')
  reportCode(ctx, 'functionCode', source)
  ctx.note('Code runs once per page of up to 1,000 items (one run when the input fits in one page, as in n8n)')
  return { type: 'code', params: { source: wrapAllItems(source), mode: 'runOnceForAllItems' } }
}

/** Function Item (v1): once per item, `item` is the item's JSON itself, as in our per-item mode: no wrapper needed. */
export const functionItemMapper: NodeMapper = (ctx) => {
  const source = String(ctx.raw('functionCode') ?? 'return item;')
  reportCode(ctx, 'functionCode', source)
  return { type: 'code', params: { source, mode: 'runOnceForEachItem' } }
}
