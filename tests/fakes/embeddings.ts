// A local server speaking OpenAI's embeddings wire format (POST /v1/embeddings: string or string[] input,
// `dimensions`, `encoding_format` float or base64, usage), with deterministic vectors: the same text always
// gives the same vector, on every machine. Tests and the benchmark point the real `openai` client and the AI
// router at it through their base URL.
//
// How the vectors mean something: words are lower-cased, stemmed (a few English suffixes) and mapped through a
// thesaurus (synonyms share one concept), then hashed into the vector's dimensions with a sign, plus character
// trigrams of each word at a lower weight (spelling variants land near each other), and L2-normalised. So two
// texts are close when they share concepts, even through different words: what a keyword index cannot see and a
// real embedding model does. Like a real model, it blurs what a keyword index holds sharply: a token with a digit
// in it (a number, a product code) is seen only through its trigrams, as a subword tokenizer sees "E-417" only
// through its pieces, so it counts for little next to the words around it. The retrieval fixtures
// (tests/fixtures/retrieval) come with the thesaurus they use.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'

/** word → its concept (synonyms share one), or [concept, ...topics]: the topics the word belongs to (travel,
 * cooking…), which a real model also encodes. A word with topics but no synonyms is its own concept. */
export type Thesaurus = Record<string, string | string[]>

/** A topic counts for less than a concept: it brings texts of one field together, the concepts then rank them. */
const TOPIC_WEIGHT = 0.5

// English function words (the common NLTK list): a real model gives them little weight, and in a short query a
// shared "my" or "more" would otherwise count as much as the word that matters.
const STOP = new Set(
  ('i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself ' +
    'they them their theirs themselves what which who whom this that these those am is are was were be been being have has had ' +
    'having do does did doing a an the and but if or because as until while of at by for with about against between into through ' +
    'during before after above below to from up down in out on off over under again further then once here there when where why ' +
    'how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now').split(' '),
)

const SUFFIXES = ['ingly', 'ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ies', 'ied', 'es', 'ed', 'ly', 's']

/** A crude English stemmer: one suffix off, then a final silent e and a doubled consonant, so that "reimburse",
 * "reimbursed" and "reimbursing" meet, and "stopped" meets "stop". */
export function stem(word: string): string {
  const suffix = SUFFIXES.find((x) => word.length > x.length + 2 && word.endsWith(x) && !(x === 's' && word.endsWith('ss')))
  let s = !suffix ? word : suffix === 'ies' || suffix === 'ied' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length)
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1)
  if (suffix && s.length > 3 && /([bcdfgkmnprtv])\1$/.test(s)) s = s.slice(0, -1)
  return s
}

export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w))
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export interface Embedder {
  dim: number
  embed(text: string): number[]
}

interface Sense {
  concept: string
  topics: string[]
}

/** Senses by word and by the word's stem, so an inflected form ("reimbursed") finds its entry ("reimburse"). */
function senseIndex(thesaurus: Thesaurus): Map<string, Sense> {
  const index = new Map<string, Sense>()
  const sense = (entry: string | string[]): Sense => (typeof entry === 'string' ? { concept: entry, topics: [] } : { concept: entry[0], topics: entry.slice(1) })
  for (const [word, entry] of Object.entries(thesaurus)) if (!index.has(stem(word))) index.set(stem(word), sense(entry))
  for (const [word, entry] of Object.entries(thesaurus)) index.set(word, sense(entry))
  return index
}

export function createEmbedder(opts: { dim: number; thesaurus?: Thesaurus }): Embedder {
  const senses = senseIndex(opts.thesaurus ?? {})
  const dim = opts.dim
  return {
    dim,
    embed(text: string): number[] {
      // Feature counts first, then each feature at the square root of its count: a word said three times matters
      // more than once, not three times as much.
      const counts = new Map<string, number>()
      const count = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight * weight)
      for (const w of words(text)) {
        const s = stem(w)
        const sense = /\d/.test(s) ? undefined : (senses.get(w) ?? senses.get(s) ?? { concept: s, topics: [] })
        if (sense) count(`w:${sense.concept}`, 1)
        for (const topic of sense?.topics ?? []) count(`c:${topic}`, TOPIC_WEIGHT)
        const padded = `^${s}$`
        for (let i = 0; i + 3 <= padded.length; i++) count(`t:${padded.slice(i, i + 3)}`, 0.25)
      }
      const v = new Float64Array(dim)
      for (const [feature, squared] of counts) {
        const h = fnv1a(feature)
        v[h % dim] += h & 0x80000000 ? -Math.sqrt(squared) : Math.sqrt(squared)
      }
      let norm = 0
      for (const x of v) norm += x * x
      norm = Math.sqrt(norm) || 1
      return Array.from(v, (x) => x / norm)
    },
  }
}

/** The thesaurus shipped with the retrieval fixtures, when present. */
export function fixtureThesaurus(): Thesaurus {
  const file = path.resolve(import.meta.dirname, '../fixtures/retrieval/thesaurus.json')
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Thesaurus) : {}
}

export type EmbeddingStep = { status: number; message?: string } | { wrongDimension: number } | { hang: true } | { delayMs: number }

export interface FakeEmbeddings {
  url: string
  /** OpenAI-style base URL (`${url}/v1`). */
  v1: string
  /** Requests seen: model, how many inputs, dimensions and encoding asked for. */
  seen: { model: string; inputs: number; dimensions?: number; encoding: string; authorization?: string }[]
  /** Queue behaviours for a model ('*' = any): each request consumes one. */
  script(model: string, ...steps: EmbeddingStep[]): void
  /** Vector length per model (default: `dim`). */
  setDimension(model: string, dim: number): void
  embedder(dim?: number): Embedder
  close(): Promise<void>
}

export async function startFakeEmbeddings(opts: { dim?: number; thesaurus?: Thesaurus } = {}): Promise<FakeEmbeddings> {
  const defaultDim = opts.dim ?? 768
  const thesaurus = opts.thesaurus ?? fixtureThesaurus()
  const embedders = new Map<number, Embedder>()
  const embedderFor = (dim: number) => embedders.get(dim) ?? embedders.set(dim, createEmbedder({ dim, thesaurus })).get(dim)!
  const dims = new Map<string, number>()
  const queues = new Map<string, EmbeddingStep[]>()
  const seen: FakeEmbeddings['seen'] = []
  const sockets = new Set<Socket>()

  const server = http.createServer(async (req, res) => {
    let raw = ''
    for await (const c of req) raw += c
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(data))
    }
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'POST' || path !== '/v1/embeddings') return json(404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } })
    let body: { model?: string; input?: unknown; dimensions?: number; encoding_format?: string }
    try {
      body = JSON.parse(raw)
    } catch {
      return json(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } })
    }
    const model = String(body.model ?? '')
    const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) && body.input.every((s) => typeof s === 'string') ? (body.input as string[]) : undefined
    if (!inputs || !inputs.length) return json(400, { error: { message: "'input' must be a string or a non-empty array of strings", type: 'invalid_request_error', param: 'input' } })
    const encoding = body.encoding_format ?? 'float'
    seen.push({ model, inputs: inputs.length, dimensions: body.dimensions, encoding, authorization: req.headers.authorization })
    const step = queues.get(model)?.shift() ?? queues.get('*')?.shift()
    if (step && 'hang' in step) return // never answers; the client's timeout ends it
    if (step && 'status' in step) return json(step.status, { error: { message: step.message ?? `scripted ${step.status}`, type: 'server_error' } })
    if (step && 'delayMs' in step) await new Promise((r) => setTimeout(r, step.delayMs))
    const dim = step && 'wrongDimension' in step ? step.wrongDimension : body.dimensions ?? dims.get(model) ?? defaultDim
    let tokens = 0
    const data = inputs.map((text, index) => {
      tokens += Math.max(1, Math.ceil(text.length / 4))
      const v = embedderFor(dim).embed(text)
      const embedding = encoding === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v
      return { object: 'embedding', index, embedding }
    })
    json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    v1: `${url}/v1`,
    seen,
    script: (model, ...steps) => void queues.set(model, [...(queues.get(model) ?? []), ...steps]),
    setDimension: (model, dim) => void dims.set(model, dim),
    embedder: (dim = defaultDim) => embedderFor(dim),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
