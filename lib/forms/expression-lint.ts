// Problems in a `{{ … }}` template and in Code node JavaScript, found in the browser before a run: unbalanced
// braces, syntax errors (CodeMirror's JavaScript parser, no eval) and names the engine does not define. Loaded
// only with the lazy editors (components/editor), so the parser stays out of the designer's first paint.
import { javascriptLanguage } from '@codemirror/lang-javascript'
import { KNOWN_VARIABLES } from './expression-completion'

export interface EditorProblem {
  from: number
  to: number
  message: string
  severity: 'error' | 'warning'
}

/** Globals an expression may use inside the sandbox (plain JavaScript built-ins). */
const JS_GLOBALS = new Set([
  'Math', 'JSON', 'Date', 'Number', 'String', 'Boolean', 'Array', 'Object', 'RegExp', 'Error', 'Map', 'Set', 'Intl',
  'BigInt', 'Symbol', 'Promise', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent',
  'decodeURIComponent', 'encodeURI', 'decodeURI', 'undefined', 'NaN', 'Infinity', 'globalThis',
])

const describeToken = (text: string) => (text.trim() ? `“${text.trim().slice(0, 20)}”` : 'here')

/** Syntax errors of `source` (its first one is enough to act on), offsets shifted by `offset`. */
export function syntaxErrors(source: string, offset = 0, wrap: 'expression' | 'body' = 'body'): EditorProblem[] {
  const text = wrap === 'expression' ? `(${source}\n)` : source
  const shift = wrap === 'expression' ? -1 : 0
  const tree = javascriptLanguage.parser.parse(text)
  let first: { from: number; to: number } | null = null
  tree.iterate({
    enter(n) {
      if (first) return false
      if (n.type.isError) first = { from: n.from, to: n.to }
    },
  })
  if (!first) return []
  const { from, to } = first as { from: number; to: number }
  const end = source.length
  const at = Math.min(Math.max(from + shift, 0), end)
  const atEnd = source.slice(at).trim() === '' || (wrap === 'expression' && from >= text.length - 2)
  const message = atEnd
    ? 'Syntax error: it ends too early (something is missing at the end, or a bracket or quote is not closed)'
    : `Syntax error: unexpected ${describeToken(source.slice(at, Math.max(to + shift, at + 1)))}`
  const spanFrom = atEnd ? Math.max(0, end - 1) : at
  return [{ from: offset + spanFrom, to: offset + Math.max(spanFrom + 1, Math.min(to + shift, end)), message, severity: 'error' }]
}

/** Names used but defined neither by the engine, by JavaScript, nor inside the expression (arrow params). */
function unknownNames(expr: string, offset: number): EditorProblem[] {
  const tree = javascriptLanguage.parser.parse(`(${expr}\n)`)
  const defined = new Set<string>()
  const used: { from: number; to: number }[] = []
  tree.iterate({
    enter(n) {
      if (n.name === 'VariableDefinition') defined.add(expr.slice(n.from - 1, n.to - 1))
      else if (n.name === 'VariableName') used.push({ from: n.from, to: n.to })
    },
  })
  const out: EditorProblem[] = []
  for (const n of used) {
    const name = expr.slice(n.from - 1, n.to - 1)
    if (KNOWN_VARIABLES.has(name) || JS_GLOBALS.has(name) || defined.has(name)) continue
    const hint = KNOWN_VARIABLES.has(`$${name}`) ? ` (did you mean $${name}?)` : name.startsWith('$') ? ` (available: ${[...KNOWN_VARIABLES].join(', ')})` : ''
    out.push({ from: offset + n.from - 1, to: offset + n.to - 1, message: `Unknown ${name.startsWith('$') ? 'variable' : 'name'} ${name}${hint}`, severity: 'error' })
  }
  return out
}

/** `$node["X"]` / `$("X")` where no node X runs before this one. */
function unknownNodes(expr: string, offset: number, nodeNames: readonly string[]): EditorProblem[] {
  const out: EditorProblem[] = []
  for (const m of expr.matchAll(/\$node\s*\[\s*(["'])((?:(?!\1).)*)\1\s*\]|\$\(\s*(["'])((?:(?!\3).)*)\3\s*\)/g)) {
    const name = m[2] ?? m[4]
    if (nodeNames.includes(name)) continue
    out.push({ from: offset + m.index, to: offset + m.index + m[0].length, message: `No node named “${name}” runs before this one`, severity: 'error' })
  }
  return out
}

export interface ExpressionLintContext {
  /** Names of the nodes upstream; null when unknown (no check). */
  nodeNames: readonly string[] | null
}

/** Every problem of a template, segmented exactly as the engine does (lib/engine/expressions.ts parseTemplate). */
export function lintExpression(template: string, ctx: ExpressionLintContext): EditorProblem[] {
  const out: EditorProblem[] = []
  const strayClose = (from: number, to: number) => {
    for (let i = template.indexOf('}}', from); i >= 0 && i < to; i = template.indexOf('}}', i + 2)) {
      out.push({ from: i, to: i + 2, message: '“}}” closes nothing: add “{{” before it, or remove it', severity: 'error' })
    }
  }
  let pos = 0
  while (pos < template.length) {
    const open = template.indexOf('{{', pos)
    if (open < 0) break
    strayClose(pos, open)
    const close = template.indexOf('}}', open + 2)
    if (close < 0) {
      out.push({ from: open, to: template.length, message: '“{{” is not closed: add “}}” after the expression', severity: 'error' })
      return out
    }
    const inner = template.slice(open + 2, close)
    const at = open + 2
    if (!inner.trim()) out.push({ from: open, to: close + 2, message: 'Empty expression: write something between “{{” and “}}”', severity: 'warning' })
    else {
      const syntax = syntaxErrors(inner, at, 'expression')
      out.push(...syntax)
      if (syntax.length === 0) {
        out.push(...unknownNames(inner, at))
        if (ctx.nodeNames) out.push(...unknownNodes(inner, at, ctx.nodeNames))
      }
    }
    pos = close + 2
  }
  strayClose(pos, template.length)
  return out
}
