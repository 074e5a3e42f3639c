'use client'
// The code editor (loaded lazily, see ./index.tsx): CodeMirror with JavaScript highlighting, completion of what the
// Code node puts in scope (lib/forms/code-completion) besides locals and keywords, and syntax errors marked inline.
import { useRef } from 'react'
import { autocompletion, closeBrackets, closeBracketsKeymap, type CompletionContext } from '@codemirror/autocomplete'
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands'
import { javascript, javascriptLanguage } from '@codemirror/lang-javascript'
import { bracketMatching, indentOnInput, syntaxTree } from '@codemirror/language'
import { linter, lintGutter, lintKeymap } from '@codemirror/lint'
import { drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view'
import { codeCompletions, type CodeMode } from '@/lib/forms/code-completion'
import { syntaxErrors } from '@/lib/forms/expression-lint'
import { toCompletion } from './expression-extensions'
import { studioSyntax, studioTheme } from './theme'
import { useEditor, type EditorBinding } from './use-editor'

export interface CodeInputProps extends Omit<EditorBinding, 'testId'> {
  language?: 'javascript' | 'json'
  /** The Code node's mode: which names are in scope. Unset: plain JavaScript completion. */
  mode?: CodeMode
  /** A sample input item for field completion (last run, pinned or declared); null when unknown. */
  item?: Record<string, unknown> | null
  rows?: number
}

const NO_COMPLETION = new Set(['String', 'TemplateString', 'LineComment', 'BlockComment', 'RegExp'])

export default function CodeInput({ language = 'javascript', mode, item = null, rows = 14, ...binding }: CodeInputProps) {
  const host = useRef<HTMLDivElement>(null)
  const scope = useRef({ mode, item })
  scope.current = { mode, item }

  useEditor(host, { ...binding, testId: 'code-editor' }, () => {
    const js = language === 'javascript'
    const scopeSource = (ctx: CompletionContext) => {
      const { mode: m, item: sample } = scope.current
      if (!m || NO_COMPLETION.has(syntaxTree(ctx.state).resolveInner(ctx.pos, -1).name)) return null
      const line = ctx.state.doc.lineAt(ctx.pos)
      const result = codeCompletions(ctx.state.sliceDoc(line.from, ctx.pos), m, sample, ctx.explicit)
      if (!result || result.options.length === 0) return null
      return { from: ctx.pos + result.from, options: result.options.map((o) => toCompletion(o, 10)), validFor: /^[\w$]*$/ }
    }
    return [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightActiveLine(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      javascript(),
      // JSON text gets highlighting only: JavaScript's keyword completion and lint would not fit it.
      ...(js
        ? [
            javascriptLanguage.data.of({ autocomplete: scopeSource }),
            autocompletion({ activateOnTyping: true }),
            linter((view) => syntaxErrors(view.state.doc.toString()), { delay: 300 }),
            lintGutter(),
          ]
        : []),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
      studioTheme,
      studioSyntax,
    ]
  })

  return (
    <div
      ref={host}
      data-testid="code-editor-frame"
      style={{ minHeight: `${rows * 1.6 * 12 + 10}px` }}
      className="flex max-h-[28rem] overflow-hidden rounded-md border border-line bg-canvas focus-within:border-accent [&>.cm-editor]:max-h-[28rem] [&>.cm-editor]:min-w-0 [&>.cm-editor]:flex-1"
    />
  )
}
