// n8n expressions → ours. n8n marks an expression param with a leading "=" ("={{ $json.x }}"); ours are any
// string holding {{ … }}. Inside the braces both are JavaScript, but the scopes differ: n8n items are { json }
// wrappers and dates are Luxon objects, ours are plain objects and ISO strings (docs/engine.md, "Expressions").
// What cannot be rewritten is reported and kept as written, so the person importing sees it.
import { parseTemplate } from '../../engine/expressions'

export interface ConvertedValue {
  value: string
  /** Why the value could not be converted (it is then the original text, without n8n's "="). */
  problems: string[]
  /** Converted, but approximately. */
  notes: string[]
}

/** n8n node name → our name; undefined for a name that is not in the workflow. */
export type NameLookup = (n8nName: string) => string | undefined

const SECRETS = /\$env\b|\$vars\b|\$secrets\b|process\s*\.\s*env\b/
const UNSUPPORTED_VARS =
  /\$(parameter|binary|runIndex|prevNode|workflow|position|jmespath|evaluateExpression|getWorkflowStaticData|mode|resumeWebhookUrl|nodeVersion|nodeId|webhookId|pageCount|response|request|fromAI|fromAi|agentInfo|ifEmpty|if|max|min|item|data|self)\b/
// n8n's data transformation functions and Luxon methods: not methods of plain JavaScript values.
const N8N_METHODS =
  /\.(isEmpty|isNotEmpty|toNumber|toInt|toFloat|toBoolean|toDateTime|toDate|extractEmail|extractUrl|extractDomain|extractUrlPath|hash|removeDuplicates|pluck|sum|average|randomItem|chunk|compact|isNumeric|isEmail|isUrl|isDomain|toTitleCase|toSentenceCase|toSnakeCase|removeMarkdown|removeTags|urlEncode|urlDecode|base64Encode|base64Decode|minus|plus|toFormat|diffTo|diffToNow|isBetween|isInLast|isWeekend|beginningOf|endOfMonth|quote|replaceSpecialChars|hasField|removeField|smartJoin|renameKeys|toJsonString|parseJson|difference|intersection|union|unique|isOdd|isEven|toISO|toISODate|toMillis|toSeconds|toRelative|setZone|startOf|endOf|extract)\(/
const MATH_LESS_ROUNDING = /(?<!Math)\.(round|ceil|floor|abs)\(/
const ARRAY_FIRST_LAST = /(?<!\$input)\.(first|last)\(\s*\)/
const OUR_VARS = new Set(['$json', '$itemIndex', '$input', '$node', '$', '$execution', '$now'])

const QUOTED = String.raw`(['"\`])((?:(?!\1)[^\\])*)\1`
const NODE_CALL = new RegExp(String.raw`\$\(\s*${QUOTED}\s*\)((?:\.\w+(?:\(\s*\))?)*)`, 'g')
const NODE_INDEX = new RegExp(String.raw`\$node\s*\[\s*${QUOTED}\s*\]((?:\.\w+)*)|\$node\.([A-Za-z_$][\w$]*)((?:\.\w+)*)`, 'g')
const ITEMS_CALL = new RegExp(String.raw`\$items\(\s*${QUOTED}\s*\)`, 'g')
const INPUT_CHAIN = /\$input((?:\.\w+(?:\(\s*\))?)*)/g
const NOW_CHAIN = /\$(now|today)\b((?:\.\w+(?:\(\s*\))?)?)/g

/** A node name as a JavaScript string literal our engine's name scan accepts (no backslashes, any quote). */
export function quoteName(name: string): string {
  const q = !name.includes('"') ? '"' : !name.includes("'") ? "'" : '`'
  return `${q}${name}${q}`
}

/** The rest of an accessor chain after `.item` / `.first()` / … : `.json.x` reads the plain item, other props fail. */
function withItem(plain: string, rest: string, problems: string[], what: string): string {
  if (rest.startsWith('.json')) return `${plain}${rest.slice('.json'.length)}`
  if (rest === '') return `({ json: ${plain} })`
  problems.push(`${what}${rest.split('.').slice(0, 2).join('.')} has no equivalent here (only .json of an item is available)`)
  return ''
}

function nodeAccessor(ref: string, chain: string, problems: string[], notes: string[], label: string): string {
  const m = /^\.(item|first\(\s*\)|last\(\s*\)|all\(\s*\))(.*)$/.exec(chain)
  if (!m) {
    problems.push(`${label}${chain.split('.').slice(0, 2).join('.')} has no equivalent here (use .item, .first(), .last() or .all())`)
    return ''
  }
  const [, accessor, rest] = m
  const what = `${label}.${accessor}`
  if (accessor === 'item') {
    notes.push(`${label}.item: n8n follows paired items; here the item at the same position is used, or the node's first item when it has fewer`)
    return withItem(`(${ref}.items[$itemIndex] ?? ${ref}.json)`, rest, problems, what)
  }
  if (accessor.startsWith('first')) return withItem(`${ref}.json`, rest, problems, what)
  if (accessor.startsWith('last')) {
    notes.push(`${label}.last(): the last item of the node's first page (1,000 items)`)
    return withItem(`${ref}.items.at(-1)`, rest, problems, what)
  }
  notes.push(`${label}.all(): the node's first page of items (1,000)`)
  return `${ref}.items.map((json) => ({ json }))${rest}`
}

/** Converts the code between one pair of braces. */
function convertExpression(expr: string, names: NameLookup): { expr: string; problems: string[]; notes: string[] } {
  const problems: string[] = []
  const notes: string[] = []
  if (SECRETS.test(expr)) {
    problems.push('reads environment variables or secrets ($env, $vars, $secrets): not imported; put the value in a credential or set it by hand')
    return { expr, problems, notes }
  }
  const resolveName = (n8nName: string): string | undefined => {
    const ours = names(n8nName)
    if (ours === undefined) problems.push(`refers to node "${n8nName}", which is not in the workflow`)
    return ours
  }
  let out = expr.replace(NODE_CALL, (_all, _q, name: string, chain: string) => {
    const ours = resolveName(name)
    return ours === undefined ? '' : nodeAccessor(`$(${quoteName(ours)})`, chain, problems, notes, `$('${name}')`)
  })
  out = out.replace(NODE_INDEX, (_all, _q, quotedName: string | undefined, chain1: string | undefined, dotName: string | undefined, chain2: string | undefined) => {
    const name = quotedName ?? dotName ?? ''
    const chain = chain1 ?? chain2 ?? ''
    const ours = resolveName(name)
    if (ours === undefined) return ''
    if (!chain.startsWith('.json')) {
      problems.push(`$node["${name}"]${chain.split('.').slice(0, 2).join('.')} has no equivalent here (only .json is available)`)
      return ''
    }
    return `$node[${quoteName(ours)}]${chain}`
  })
  out = out.replace(ITEMS_CALL, (_all, _q, name: string) => {
    const ours = resolveName(name)
    if (ours === undefined) return ''
    notes.push(`$items('${name}'): the node's first page of items (1,000)`)
    return `$(${quoteName(ours)}).items.map((json) => ({ json }))`
  })
  const literalRefs = /\$\(\s*(['"`])(?:(?!\1)[^\\])*\1\s*\)|\$node\s*\[\s*(['"`])(?:(?!\2)[^\\])*\2\s*\]/g
  if (/\$\(|\$items\b|\$node\b/.test(out.replace(literalRefs, ''))) {
    problems.push('computes a node name, or calls $items / $() in a form that cannot be rewritten')
  }
  out = out.replace(INPUT_CHAIN, (_all, chain: string) => {
    const m = /^\.(item|first\(\s*\)|last\(\s*\)|all\(\s*\))(.*)$/.exec(chain)
    if (!m) {
      problems.push(`$input${chain.split('.').slice(0, 2).join('.')} has no equivalent here`)
      return ''
    }
    const [, accessor, rest] = m
    if (accessor === 'item') return withItem('$json', rest, problems, '$input.item')
    if (accessor.startsWith('first')) return withItem('$input.first()', rest, problems, '$input.first()')
    if (accessor.startsWith('last')) return withItem('$input.last()', rest, problems, '$input.last()')
    return `$input.all().map((json) => ({ json }))${rest}`
  })
  out = out.replace(NOW_CHAIN, (all, which: string, method: string) => {
    const today = which === 'today'
    if (today) notes.push('$today: midnight UTC of the current day (n8n uses the workflow\'s time zone)')
    if (method === '' || /^\.toISO\(\s*\)$/.test(method)) return today ? '($now.slice(0, 10) + "T00:00:00.000Z")' : '$now'
    if (/^\.toISODate\(\s*\)$/.test(method)) return '$now.slice(0, 10)'
    if (/^\.(toMillis|valueOf)\(\s*\)$/.test(method)) return today ? 'Date.parse($now.slice(0, 10))' : 'Date.parse($now)'
    if (/^\.(toSeconds|toUnixInteger)\(\s*\)$/.test(method)) return today ? 'Math.floor(Date.parse($now.slice(0, 10)) / 1000)' : 'Math.floor(Date.parse($now) / 1000)'
    problems.push(`${all}: Luxon date methods are not available ($now is an ISO string here)`)
    return all
  })
  const unsupported = UNSUPPORTED_VARS.exec(out)
  if (unsupported) problems.push(`${unsupported[0]} has no equivalent here`)
  const execution = /\$execution\.(\w+)/.exec(out)
  if (execution && execution[1] !== 'id') problems.push(`$execution.${execution[1]} has no equivalent here (only $execution.id)`)
  const method = N8N_METHODS.exec(out) ?? MATH_LESS_ROUNDING.exec(out) ?? ARRAY_FIRST_LAST.exec(out)
  if (method) problems.push(`uses n8n's ${method[1]}() function, which plain JavaScript values do not have`)
  if (problems.length === 0) {
    for (const m of out.matchAll(/\$[A-Za-z_]\w*|\$(?=\()/g)) {
      if (!OUR_VARS.has(m[0])) {
        problems.push(`${m[0]} has no equivalent here`)
        break
      }
    }
  }
  return { expr: problems.length ? expr : out, problems, notes: [...new Set(notes)] }
}

/** Converts one string param value. */
export function convertN8nString(value: string, names: NameLookup): ConvertedValue {
  if (!value.startsWith('=')) {
    const problems = value.includes('{{') ? ['literal text containing {{ … }}: n8n keeps it as text, here it would be evaluated as an expression'] : []
    return { value, problems, notes: [] }
  }
  const body = value.slice(1)
  const problems: string[] = []
  const notes: string[] = []
  // The same split into text and {{ … }} as our engine's, so what is converted is what will be evaluated.
  const segments = parseTemplate(body) ?? [{ text: body }]
  let out = ''
  for (const seg of segments) {
    if ('text' in seg) {
      out += seg.text
      continue
    }
    const converted = convertExpression(seg.expr, names)
    problems.push(...converted.problems)
    notes.push(...converted.notes)
    out += `{{ ${converted.expr} }}`
  }
  return { value: problems.length ? body : out, problems, notes }
}
