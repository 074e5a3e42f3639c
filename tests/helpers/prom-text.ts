// A strict reader of the Prometheus text exposition format (0.0.4), for tests that scrape the studio: every line must
// be a HELP, a TYPE, a comment, a blank or a sample of a family declared before it; names, label names and escapes
// must be valid; no series twice; a histogram's buckets ascend to +Inf, count up, and end at its _count. Anything
// else throws, naming the line.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Family {
  name: string
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
  help?: string
  samples: Sample[]
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  const seen = new Set<string>()
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  const lines = text.split('\n').slice(0, -1)
  lines.forEach((line, i) => {
    const at = `line ${i + 1} (${JSON.stringify(line.slice(0, 120))})`
    if (line === '') return
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
      if (!m) return // a plain comment
      const [, kind, name, rest] = m
      if (!METRIC_NAME.test(name)) throw new Error(`${at}: bad metric name`)
      const family = families.get(name) ?? { name, type: 'untyped' as const, samples: [] }
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`${at}: unknown type`)
        if (families.has(name) && (families.get(name)!.samples.length > 0 || families.get(name)!.type !== 'untyped')) throw new Error(`${at}: TYPE repeated or after samples`)
        family.type = rest as Family['type']
      } else {
        if (family.help !== undefined) throw new Error(`${at}: HELP repeated`)
        family.help = unescape(rest, false, at)
      }
      families.set(name, family)
      return
    }
    const sample = parseSample(line, at)
    const family = familyOf(families, sample.name)
    if (!family) throw new Error(`${at}: sample of an undeclared family`)
    const key = `${sample.name}{${Object.entries(sample.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}}`
    if (seen.has(key)) throw new Error(`${at}: series repeated`)
    seen.add(key)
    family.samples.push(sample)
  })
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family)
  return families
}

function familyOf(families: Map<string, Family>, sampleName: string): Family | undefined {
  const direct = families.get(sampleName)
  if (direct) return direct
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sampleName.endsWith(suffix)) continue
    const f = families.get(sampleName.slice(0, -suffix.length))
    if (f && (f.type === 'histogram' || (f.type === 'summary' && suffix !== '_bucket'))) return f
  }
  return undefined
}

function parseSample(line: string, at: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/.exec(line)
  if (!m) throw new Error(`${at}: not a sample line`)
  const [, name, rawLabels, rawValue] = m
  return { name, labels: rawLabels ? parseLabels(rawLabels.slice(1, -1), at) : {}, value: parseValue(rawValue, at) }
}

function parseLabels(body: string, at: string): Record<string, string> {
  const labels: Record<string, string> = {}
  let i = 0
  while (i < body.length) {
    const eq = body.indexOf('=', i)
    if (eq < 0) throw new Error(`${at}: label without a value`)
    const name = body.slice(i, eq)
    if (!LABEL_NAME.test(name)) throw new Error(`${at}: bad label name ${JSON.stringify(name)}`)
    if (name in labels) throw new Error(`${at}: label ${name} repeated`)
    if (body[eq + 1] !== '"') throw new Error(`${at}: label value not quoted`)
    let j = eq + 2
    let raw = ''
    for (; j < body.length && body[j] !== '"'; j++) {
      if (body[j] === '\\') raw += body[j++]
      raw += body[j]
    }
    if (j >= body.length) throw new Error(`${at}: unterminated label value`)
    labels[name] = unescape(raw, true, at)
    i = j + 1
    if (i < body.length) {
      if (body[i] !== ',') throw new Error(`${at}: expected , between labels`)
      i++
    }
  }
  return labels
}

function unescape(raw: string, quoted: boolean, at: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => {
    if (c === 'n') return '\n'
    if (c === '\\') return '\\'
    if (c === '"' && quoted) return '"'
    throw new Error(`${at}: bad escape \\${c}`)
  })
}

/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case (prom-client writes `Nan`). */
function parseValue(raw: string, at: string): number {
  if (/^\+?inf(inity)?$/i.test(raw)) return Infinity
  if (/^-inf(inity)?$/i.test(raw)) return -Infinity
  if (/^nan$/i.test(raw)) return NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`${at}: bad value ${raw}`)
  return Number(raw)
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: Array<[number, number]>; count?: number; sum?: number }>()
  for (const s of f.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    const entry = series.get(key) ?? { buckets: [] }
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`)
      entry.buckets.push([parseValue(le, f.name), s.value])
    } else if (s.name === `${f.name}_count`) entry.count = s.value
    else if (s.name === `${f.name}_sum`) entry.sum = s.value
    else throw new Error(`${f.name}: unexpected sample ${s.name}`)
    series.set(key, entry)
  }
  for (const [key, e] of series) {
    const where = `${f.name}${key}`
    if (e.count === undefined || e.sum === undefined) throw new Error(`${where}: _count or _sum missing`)
    if (e.buckets.at(-1)?.[0] !== Infinity) throw new Error(`${where}: the last bucket is not +Inf`)
    for (let i = 1; i < e.buckets.length; i++) {
      if (!(e.buckets[i][0] > e.buckets[i - 1][0])) throw new Error(`${where}: bucket bounds do not ascend`)
      if (e.buckets[i][1] < e.buckets[i - 1][1]) throw new Error(`${where}: bucket counts decrease`)
    }
    if (e.buckets.at(-1)![1] !== e.count) throw new Error(`${where}: +Inf bucket ${e.buckets.at(-1)![1]} is not _count ${e.count}`)
  }
}

/** The value of the one sample named `name` whose labels include `labels` (0 when there is none: a counter not yet
 * incremented has no series). Throws when several match. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = familyOf(families, name)
  const matches = (family?.samples ?? []).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  if (matches.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${matches.length} series`)
  return matches[0]?.value ?? 0
}

/** Every label value in the exposition. */
export function labelValues(families: Map<string, Family>): string[] {
  return [...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)))
}
