// Completion for the Code node's editor: the names lib/nodes/code/execute.ts (and the sandbox prelude) put in scope
// per mode, their members, and the fields of the input sample. Pure; components/editor adapts it to CodeMirror.
import { NO_SAMPLE_HINT, fieldOptions, pathKeys, type CompletionOption, type CompletionResult } from './expression-completion'

export type CodeMode = 'runOnceForAllItems' | 'runOnceForEachItem'

const v = (label: string, detail: string, type: CompletionOption['type'] = 'variable'): CompletionOption => ({ label, apply: label, detail, type })

const SHARED = [
  v('$execution', 'this run: .id, .attempt'),
  v('$workflow', 'this workflow: .id'),
  v('$node', 'this node: .id, .name'),
  v('console', 'log lines go to the step log'),
]

/** Top-level names per mode, exactly what the sandbox binds. */
export const CODE_GLOBALS: Record<CodeMode, CompletionOption[]> = {
  runOnceForAllItems: [
    v('items', 'the input items of this page'),
    v('$input', 'the items: .all(), .first(), .last()'),
    v('$page', 'this page: .index, .offset, .count, .total, .isFirst, .isLast'),
    v('$state', 'an object kept across the pages of this step'),
    ...SHARED,
  ],
  runOnceForEachItem: [
    v('item', 'the current input item'),
    v('$json', 'the current input item (as item)'),
    v('index', 'the item’s position in the whole input'),
    ...SHARED,
  ],
}

const MEMBERS: Record<string, CompletionOption[]> = {
  $input: [v('all()', 'every item of this page', 'method'), v('first()', 'the first item', 'method'), v('last()', 'the last item', 'method')],
  $page: [
    v('index', 'this page’s number, from 0', 'property'),
    v('offset', 'position of items[0] in the whole input', 'property'),
    v('count', 'items in this page', 'property'),
    v('total', 'items in the whole input', 'property'),
    v('isFirst', 'the first page', 'property'),
    v('isLast', 'the last page', 'property'),
  ],
  $execution: [v('id', 'this run’s id', 'property'), v('attempt', 'the attempt number', 'property')],
  $workflow: [v('id', 'the workflow’s id', 'property')],
  $node: [v('id', 'this node’s id', 'property'), v('name', 'this node’s name', 'property')],
  console: [v('log', 'an info line', 'method'), v('info', 'an info line', 'method'), v('warn', 'a warning line', 'method'), v('error', 'an error line', 'method')],
}

/** Roots whose value is one input item, per mode. */
const ITEM_ROOTS: Record<CodeMode, string> = {
  runOnceForAllItems: String.raw`items\[\d+\]|\$input\.first\(\)|\$input\.last\(\)|\$input\.all\(\)\[\d+\]`,
  runOnceForEachItem: String.raw`item|\$json`,
}

const PATH = String.raw`((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\[(?:"[^"]*"|'[^']*')\])*)`

/**
 * Completions for `before` (the code up to the cursor, outside strings and comments); `from` is relative to the
 * cursor (≤ 0). `item`: a sample input item (last run, pinned or declared), null when unknown.
 */
export function codeCompletions(before: string, mode: CodeMode, item: Record<string, unknown> | null, explicit = false): CompletionResult | null {
  const field = new RegExp(String.raw`(?:^|[^\w$.]|\.\.\.)(?:${ITEM_ROOTS[mode]})${PATH}\.([\w$]*)$`).exec(before)
  if (field) {
    const word = field[2]
    if (!item) return { from: -word.length, options: [], hint: NO_SAMPLE_HINT }
    return { from: -word.length, options: fieldOptions(item, pathKeys(field[1])) }
  }
  const member = /(?:^|[^\w$.]|\.\.\.)(\$input|\$page|\$execution|\$workflow|\$node|console)\.([\w$]*)$/.exec(before)
  if (member) {
    const options = mode === 'runOnceForEachItem' && (member[1] === '$input' || member[1] === '$page') ? [] : MEMBERS[member[1]]
    return { from: -member[2].length, options }
  }
  const word = /(?:^|[^\w$.]|\.\.\.)([A-Za-z_$][\w$]*)$/.exec(before)
  if (word || explicit) return { from: -(word?.[1].length ?? 0), options: CODE_GLOBALS[mode] }
  return null
}
