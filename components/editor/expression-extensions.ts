// CodeMirror pieces of the expression editor: `{{ … }}` highlighting (JavaScript inside, plain text outside), the
// `{{` → `{{ | }}` shortcut, completion from lib/forms/expression-completion and single-line behaviour.
import { autocompletion, startCompletion, type Completion, type CompletionContext } from '@codemirror/autocomplete'
import { javascriptLanguage } from '@codemirror/lang-javascript'
import { highlightTree } from '@lezer/highlight'
import { EditorState, Transaction, type Extension, type Range } from '@codemirror/state'
import { Decoration, EditorView, ViewPlugin, keymap, type DecorationSet, type ViewUpdate } from '@codemirror/view'
import { expressionCompletions, type CompletionOption } from '@/lib/forms/expression-completion'
import type { UpstreamSample } from '@/lib/forms/expression'
import { studioHighlight } from './theme'

const brace = Decoration.mark({ class: 'cm-expr-brace' })
const body = Decoration.mark({ class: 'cm-expr' })
const dollar = Decoration.mark({ class: 'cm-dollar' })

/** Closed `{{ … }}` spans, split as the engine splits them (the first `}}` after `{{` closes it). */
function spans(text: string): { open: number; close: number }[] {
  const out: { open: number; close: number }[] = []
  let pos = 0
  for (;;) {
    const open = text.indexOf('{{', pos)
    if (open < 0) return out
    const close = text.indexOf('}}', open + 2)
    if (close < 0) return out
    out.push({ open, close })
    pos = close + 2
  }
}

function decorate(state: EditorState): DecorationSet {
  const text = state.doc.toString()
  const marks: Range<Decoration>[] = []
  for (const { open, close } of spans(text)) {
    const inner = text.slice(open + 2, close)
    marks.push(brace.range(open, open + 2), brace.range(close, close + 2))
    if (inner.length) marks.push(body.range(open + 2, close))
    const at = open + 2
    highlightTree(javascriptLanguage.parser.parse(`(${inner}\n)`), studioHighlight, (from, to, classes) => {
      const a = Math.max(0, from - 1)
      const b = Math.min(inner.length, to - 1)
      if (b > a) marks.push(Decoration.mark({ class: classes }).range(at + a, at + b))
    })
    for (const m of inner.matchAll(/\$[\w$]*/g)) marks.push(dollar.range(at + m.index, at + m.index + m[0].length))
  }
  return Decoration.set(marks, true)
}

const highlightExpressions = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet
    constructor(view: EditorView) {
      this.decorations = decorate(view.state)
    }
    update(u: ViewUpdate) {
      if (u.docChanged) this.decorations = decorate(u.state)
    }
  },
  { decorations: (p) => p.decorations },
)

/** Typing the second `{` of `{{` gives `{{ | }}` with the cursor inside, and opens the suggestions. */
const closeBraces = EditorView.inputHandler.of((view, from, to, text) => {
  if (text !== '{' || view.state.sliceDoc(from - 1, from) !== '{') return false
  const closed = view.state.sliceDoc(to).trimStart().startsWith('}}')
  view.dispatch({ changes: { from, to, insert: closed ? '{ ' : '{  }}' }, selection: { anchor: from + 2 }, userEvent: 'input.type' })
  startCompletion(view)
  return true
})

/** A completion that inserts `o.apply`; a bracketed key (`["x-y"]`) replaces the dot before it. */
export function toCompletion(o: CompletionOption, boost?: number): Completion {
  const reopen = /["(]$/.test(o.apply)
  return {
    label: o.label,
    detail: o.detail,
    type: o.type === 'node' ? 'class' : o.type,
    ...(boost ? { boost } : {}),
    apply: (view, _c, from, to) => {
      const start = o.apply.startsWith('[') && view.state.sliceDoc(from - 1, from) === '.' ? from - 1 : from
      view.dispatch({ changes: { from: start, to, insert: o.apply }, selection: { anchor: start + o.apply.length }, userEvent: 'input.complete' })
      if (reopen) startCompletion(view)
    },
  }
}

/** Completion reading the latest upstream samples through `upstream()` (they change without rebuilding the view). */
export function expressionCompletion(upstream: () => UpstreamSample[], onHint: (hint: string | null) => void): Extension {
  const source = (ctx: CompletionContext) => {
    const result = expressionCompletions(ctx.state.doc.toString(), ctx.pos, upstream(), ctx.explicit)
    onHint(result?.hint ?? null)
    if (!result || result.options.length === 0) return null
    return { from: result.from, options: result.options.map(toCompletion), validFor: /^[\w$ -]*$/ }
  }
  // Enter has no other use in an expression, so it accepts the list at once (CodeMirror waits 75 ms by default).
  return autocompletion({ override: [source], icons: false, activateOnTyping: true, interactionDelay: 0 })
}

/** No newlines in single-line fields: Enter does nothing (it accepts a suggestion when the list is open) and pasted lines join. */
const singleLine: Extension = [
  keymap.of([{ key: 'Enter', run: () => true }, { key: 'Shift-Enter', run: () => true }, { key: 'Mod-Enter', run: () => true }]),
  EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || tr.newDoc.lines <= tr.startState.doc.lines) return tr
    const changes: { from: number; to: number; insert: string }[] = []
    tr.changes.iterChanges((from, to, _f, _t, inserted) => changes.push({ from, to, insert: inserted.toString().replace(/\r?\n/g, ' ') }))
    const last = changes[changes.length - 1]
    const shift = changes.slice(0, -1).reduce((n, c) => n + c.insert.length - (c.to - c.from), 0)
    return { changes, selection: { anchor: last.from + last.insert.length + shift }, userEvent: tr.annotation(Transaction.userEvent) }
  }),
]

export function expressionExtensions(multiline: boolean): Extension[] {
  return [highlightExpressions, closeBraces, EditorView.lineWrapping, ...(multiline ? [] : [singleLine])]
}
