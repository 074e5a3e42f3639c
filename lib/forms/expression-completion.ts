// What the expression editor offers at the cursor: the variables the engine defines (lib/engine/expressions.ts),
// node names upstream and the fields of their sample items. Pure (no CodeMirror), so it is unit-tested and shared by
// every field with suggestions; the editors in components/editor adapt it to CodeMirror's completion API.
import { ownValue } from '../engine/safe-keys'
import type { UpstreamSample } from './expression'

export interface CompletionOption {
  label: string
  /** Text that replaces [from, cursor). */
  apply: string
  detail: string
  type: 'variable' | 'property' | 'method' | 'node'
}

export interface CompletionResult {
  from: number
  options: CompletionOption[]
  /** Why a list is empty (no sample of that node yet). */
  hint?: string
}

export const NO_SAMPLE_HINT = 'Run the previous node to see its fields'

/** Exactly the names an expression can use: the engine's scope ($json, $itemIndex…) and its helpers ($input, $). */
export const EXPRESSION_VARIABLES: readonly CompletionOption[] = [
  { label: '$json', apply: '$json', detail: 'the current input item', type: 'variable' },
  { label: '$input', apply: '$input', detail: 'every input item: .all(), .first(), .last(), .item', type: 'variable' },
  { label: '$node', apply: '$node["', detail: 'an earlier node’s output: $node["Name"].json', type: 'variable' },
  { label: '$', apply: '$("', detail: 'an earlier node’s output: $("Name").json', type: 'method' },
  { label: '$trigger', apply: '$trigger', detail: 'the item the run started with', type: 'variable' },
  { label: '$itemIndex', apply: '$itemIndex', detail: 'index of the current item', type: 'variable' },
  { label: '$now', apply: '$now', detail: 'current time (ISO text)', type: 'variable' },
  { label: '$execution', apply: '$execution', detail: 'this run: .id, .workflowId', type: 'variable' },
]

export const KNOWN_VARIABLES: ReadonlySet<string> = new Set(EXPRESSION_VARIABLES.map((v) => v.label))

const MEMBERS: Record<string, CompletionOption[]> = {
  $input: [
    { label: 'item', apply: 'item', detail: 'the current item (as $json)', type: 'property' },
    { label: 'all()', apply: 'all()', detail: 'every input item', type: 'method' },
    { label: 'first()', apply: 'first()', detail: 'the first input item', type: 'method' },
    { label: 'last()', apply: 'last()', detail: 'the last input item', type: 'method' },
    { label: 'items', apply: 'items', detail: 'every input item', type: 'property' },
  ],
  $execution: [
    { label: 'id', apply: 'id', detail: 'this run’s id', type: 'property' },
    { label: 'workflowId', apply: 'workflowId', detail: 'the workflow’s id', type: 'property' },
  ],
  node: [
    { label: 'json', apply: 'json', detail: 'its first output item', type: 'property' },
    { label: 'items', apply: 'items', detail: 'every output item', type: 'property' },
  ],
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 39)}…` : s
}

const IDENT_RE = /^[A-Za-z_$][\w$]*$/

/** The keys of the object at `path` inside `item`, as completion options. */
export function fieldOptions(item: unknown, path: (string | number)[]): CompletionOption[] {
  let cur: unknown = item
  for (const key of path) cur = ownValue(Array.isArray(cur) && typeof key === 'string' ? cur[0] : cur, key)
  if (Array.isArray(cur)) cur = cur[0]
  if (cur === null || typeof cur !== 'object') return []
  return Object.entries(cur as Record<string, unknown>)
    .slice(0, 200)
    .map(([k, v]) => ({ label: k, apply: IDENT_RE.test(k) ? k : `["${k.replace(/"/g, '\\"')}"]`, detail: short(v), type: 'property' as const }))
}

/** "a.b[0]" (the part after a root) → ['a', 'b', 0]. */
export function pathKeys(text: string): (string | number)[] {
  const keys: (string | number)[] = []
  for (const m of text.matchAll(/\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[(["'])(.*?)\3\]/g)) keys.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[4]))
  return keys
}

/** Start of the `{{ … }}` the cursor is in, following the engine's rule (the first `}}` after `{{` closes it). */
export function openExpressionAt(text: string, cursor: number): number | null {
  let pos = 0
  let inside: number | null = null
  while (pos < cursor) {
    const open = text.indexOf('{{', pos)
    if (open < 0 || open + 2 > cursor) break
    const close = text.indexOf('}}', open + 2)
    if (close < 0 || close + 2 > cursor) {
      inside = open + 2
      break
    }
    pos = close + 2
  }
  return inside
}

const PATH = String.raw`((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\[(?:"[^"]*"|'[^']*')\])*)`
// Group numbers as they fall inside MEMBER_AT (the root is group 1).
const NODE_REF = String.raw`(?:\$node\[\s*(["'])((?:(?!\2).)*)\2\s*\]|\$\(\s*(["'])((?:(?!\4).)*)\4\s*\))`
const MEMBER_AT = new RegExp(String.raw`(?:(\$json|\$trigger|\$input\.item|\$input\.first\(\)|\$input\.last\(\)|\$input\.all\(\)\[\d+\])|${NODE_REF}(?:\.(json|items\[\d+\]))?)${PATH}\.([\w$]*)$`)
const NODE_NAME_AT = /(\$node\[\s*|\$\(\s*)(["'])([^"']*)$/
const SIMPLE_MEMBER_AT = /(\$input|\$execution)\.([\w$]*)$/
const WORD_AT = /\$[\w$]*$/

/**
 * Completions at `cursor` in a template (only inside `{{ … }}`). `explicit`: asked for (Ctrl+Space), so a bare
 * word gets the variable list too.
 */
export function expressionCompletions(text: string, cursor: number, upstream: UpstreamSample[], explicit = false): CompletionResult | null {
  const start = openExpressionAt(text, cursor)
  if (start === null) return null
  const before = text.slice(start, cursor)
  const direct = upstream.find((u) => u.direct)

  const named = NODE_NAME_AT.exec(before)
  if (named) {
    const close = named[1].startsWith('$node') ? `${named[2]}]` : `${named[2]})`
    const options = upstream.map((u) => ({ label: u.name, apply: `${u.name}${close}`, detail: u.direct ? 'direct input' : 'earlier node', type: 'node' as const }))
    return { from: cursor - named[3].length, options, ...(options.length ? {} : { hint: 'No node runs before this one' }) }
  }

  const member = MEMBER_AT.exec(before)
  if (member) {
    const [, root, , nodeA, , nodeB, part, path, word] = member
    const from = cursor - word.length
    if (!root && !part) return { from, options: MEMBERS.node }
    const nodeName = nodeA ?? nodeB
    const sample = root
      ? root === '$trigger' ? upstream.find((u) => u.trigger) : direct
      : upstream.find((u) => u.name === nodeName)
    if (!root && !sample) return { from, options: [], hint: `No node named “${nodeName}” runs before this one` }
    if (!sample?.item) return { from, options: [], hint: NO_SAMPLE_HINT }
    return { from, options: fieldOptions(sample.item, pathKeys(path)) }
  }

  const simple = SIMPLE_MEMBER_AT.exec(before)
  if (simple) return { from: cursor - simple[2].length, options: MEMBERS[simple[1]] }

  const word = WORD_AT.exec(before)
  if (word) return { from: cursor - word[0].length, options: [...EXPRESSION_VARIABLES] }
  if (explicit && /(^|[\s(,+\-*/%!?:&|=<>{])$/.test(before)) return { from: cursor, options: [...EXPRESSION_VARIABLES] }
  return null
}
