// A small YAML reader for the deployment files' tests (the project has no YAML package): block maps and sequences,
// plain / quoted / block scalars, one-line flow collections, anchors, aliases and `<<` merges, `---` documents.
// Anything outside that subset throws with its line number rather than being misread.
type Value = unknown

interface Line {
  indent: number
  text: string
  no: number
}

export function parseYamlDocuments(source: string): Value[] {
  const docs: string[][] = [[]]
  for (const raw of source.split('\n')) {
    if (/^---\s*$/.test(raw)) docs.push([])
    else docs[docs.length - 1].push(raw)
  }
  return docs.map((d) => new Parser(d).document()).filter((d) => d !== undefined)
}

export function parseYaml(source: string): Value {
  const docs = parseYamlDocuments(source)
  if (docs.length !== 1) throw new Error(`expected one YAML document, found ${docs.length}`)
  return docs[0]
}

function stripComment(text: string): string {
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined
    } else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trimEnd()
  }
  return text.trimEnd()
}

class Parser {
  private readonly lines: Line[]
  private readonly rawLines: string[]
  private pos = 0
  private readonly anchors = new Map<string, Value>()

  constructor(raw: string[]) {
    this.rawLines = raw
    this.lines = raw
      .map((r, i) => ({ indent: r.length - r.trimStart().length, text: stripComment(r.trimStart()), no: i }))
      .filter((l) => l.text !== '')
  }

  document(): Value {
    if (!this.lines.length) return undefined
    const v = this.block(this.lines[0].indent)
    if (this.pos < this.lines.length) this.fail(this.lines[this.pos], 'unexpected indentation')
    return v
  }

  private fail(line: Line, why: string): never {
    throw new Error(`YAML line ${line.no + 1}: ${why}: ${line.text}`)
  }

  private block(indent: number): Value {
    const line = this.lines[this.pos]
    if (line.text.startsWith('- ') || line.text === '-') return this.sequence(indent)
    return this.mapping(indent)
  }

  private sequence(indent: number): Value[] {
    const out: Value[] = []
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]
      if (line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) break
      const rest = line.text.slice(1).trimStart()
      if (!rest) {
        this.pos++
        out.push(this.nested(indent))
      } else if (/^[^'"[{][^:]*:(\s|$)/.test(rest) || /^(['"]).*?\1:(\s|$)/.test(rest)) {
        // "- key: value" opens a mapping whose keys sit at the column after "- ".
        const column = indent + (line.text.length - rest.length)
        this.lines[this.pos] = { indent: column, text: rest, no: line.no }
        out.push(this.mapping(column))
      } else {
        this.pos++
        out.push(this.inline(rest, line, indent))
      }
    }
    return out
  }

  private mapping(indent: number): Record<string, Value> {
    const out: Record<string, Value> = {}
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]
      if (line.indent < indent) break
      if (line.indent > indent) this.fail(line, 'unexpected indentation')
      if (line.text.startsWith('- ')) break
      const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:]+?)\s*:(?:\s+(.*))?$/.exec(line.text)
      if (!m) this.fail(line, 'expected "key: value"')
      const key = String(this.scalar(m[1], line))
      this.pos++
      const rest = m[2]?.trim() ?? ''
      let value: Value
      const anchor = /^&([\w-]+)\s*(.*)$/.exec(rest)
      const body = anchor ? anchor[2] : rest
      if (!body) value = this.nested(indent)
      else value = this.inline(body, line, indent)
      if (anchor) this.anchors.set(anchor[1], value)
      if (key === '<<') {
        const sources = Array.isArray(value) ? value : [value]
        for (const s of sources) for (const [k, v] of Object.entries(s as object)) if (!(k in out)) out[k] = v
      } else out[key] = value
    }
    return out
  }

  /** The value below a "key:" or "-" line: a deeper block, a sequence at the same indent (for keys), or null. */
  private nested(indent: number): Value {
    const next = this.lines[this.pos]
    if (!next) return null
    if (next.indent > indent) return this.block(next.indent)
    if (next.indent === indent && next.text.startsWith('- ')) return this.sequence(indent)
    return null
  }

  private inline(text: string, line: Line, indent: number): Value {
    if (text.startsWith('*')) {
      const name = text.slice(1)
      if (!this.anchors.has(name)) this.fail(line, `unknown alias *${name}`)
      return this.anchors.get(name)
    }
    if (/^[|>][-+]?$/.test(text)) return this.blockScalar(text, indent)
    if (text.startsWith('[') || text.startsWith('{')) {
      const flow = new FlowReader(text, (t) => this.scalar(t, line))
      const v = flow.value()
      if (!flow.done()) this.fail(line, 'unexpected text after a flow collection')
      return v
    }
    return this.scalar(text, line)
  }

  private blockScalar(header: string, indent: number): string {
    const out: string[] = []
    // Block scalar lines are taken raw (comments and blank lines belong to the text).
    const startNo = this.pos < this.lines.length ? this.lines[this.pos].no : this.rawLines.length
    let no = startNo
    let column: number | undefined
    for (; no < this.rawLines.length; no++) {
      const raw = this.rawLines[no]
      if (raw.trim() === '') {
        out.push('')
        continue
      }
      const ind = raw.length - raw.trimStart().length
      if (ind <= indent) break
      column ??= ind
      out.push(raw.slice(column))
    }
    while (this.pos < this.lines.length && this.lines[this.pos].no < no) this.pos++
    while (out.length && out[out.length - 1] === '') out.pop()
    const text = header.startsWith('>') ? out.join(' ').replace(/ {2,}/g, ' ') : out.join('\n')
    return header.endsWith('-') ? text : `${text}\n`
  }

  private scalar(text: string, line: Line): Value {
    if (text.startsWith('"')) {
      if (!text.endsWith('"') || text.length < 2) this.fail(line, 'unterminated double-quoted string')
      return JSON.parse(text.replace(/\\\//g, '/'))
    }
    if (text.startsWith("'")) {
      if (!text.endsWith("'") || text.length < 2) this.fail(line, 'unterminated single-quoted string')
      return text.slice(1, -1).replace(/''/g, "'")
    }
    return plain(text)
  }
}

function plain(text: string): Value {
  if (text === 'null' || text === '~' || text === '') return null
  if (text === 'true' || text === 'false') return text === 'true'
  if (/^-?\d+$/.test(text)) return Number(text)
  if (/^-?\d+\.\d+$/.test(text)) return Number(text)
  return text
}

class FlowReader {
  private i = 0
  constructor(private readonly s: string, private readonly scalar: (t: string) => Value) {}

  done(): boolean {
    this.ws()
    return this.i >= this.s.length
  }

  private ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++
  }

  value(): Value {
    this.ws()
    const c = this.s[this.i]
    if (c === '[') {
      this.i++
      const out: Value[] = []
      for (;;) {
        this.ws()
        if (this.s[this.i] === ']') { this.i++; return out }
        out.push(this.value())
        this.ws()
        if (this.s[this.i] === ',') this.i++
        else if (this.s[this.i] !== ']') throw new Error(`flow sequence: expected , or ] in ${this.s}`)
      }
    }
    if (c === '{') {
      this.i++
      const out: Record<string, Value> = {}
      for (;;) {
        this.ws()
        if (this.s[this.i] === '}') { this.i++; return out }
        const key = String(this.atom(':'))
        if (this.s[this.i] !== ':') throw new Error(`flow mapping: expected : in ${this.s}`)
        this.i++
        out[key] = this.value()
        this.ws()
        if (this.s[this.i] === ',') this.i++
        else if (this.s[this.i] !== '}') throw new Error(`flow mapping: expected , or } in ${this.s}`)
      }
    }
    return this.atom(',]}')
  }

  private atom(stops: string): Value {
    this.ws()
    const start = this.i
    const q = this.s[this.i]
    if (q === '"' || q === "'") {
      this.i++
      while (this.i < this.s.length && !(this.s[this.i] === q && this.s[this.i - 1] !== '\\')) this.i++
      this.i++
      return this.scalar(this.s.slice(start, this.i))
    }
    while (this.i < this.s.length && !stops.includes(this.s[this.i])) this.i++
    return plain(this.s.slice(start, this.i).trim())
  }
}
