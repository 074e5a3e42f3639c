// A local server speaking OpenAI's embeddings wire format (POST /v1/embeddings: string or string[] input,
// `dimensions`, `encoding_format` float or base64, usage), with deterministic vectors: the same text always
// gives the same vector, on every machine. Tests and the benchmark point the real `openai` client and the AI
// router at it through their base URL.
//
// How the vectors mean something: words are lower-cased, stemmed (a few English suffixes) and mapped through a
// thesaurus (synonyms share one concept), then hashed into the vector's dimensions with a sign, plus character
// trigrams of each word at a lower weight (spelling variants land near each other), and L2-normalised. So two
// texts are close when they share concepts, even through different words: what a keyword index cannot see and a
// real embedding model does. The retrieval fixtures (tests/fixtures/retrieval) come with the thesaurus they use.
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'

export type Thesaurus = Record<string, string>

const STOP = new Set('a an and are as at be by do does for from has have how i in is it its of on or that the this to was what when where which who why will with you your'.split(' '))

export function stem(word: string): string {
  for (const suffix of ['ingly', 'ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ies', 'ied', 'es', 'ed', 'ly', 's']) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) return suffix === 'ies' || suffix === 'ied' ? `${word.slice(0, -3)}y` : word.slice(0, -suffix.length)
  }
  return word
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

export function createEmbedder(opts: { dim: number; thesaurus?: Thesaurus }): Embedder {
  const thesaurus = opts.thesaurus ?? {}
  const dim = opts.dim
  const add = (v: Float64Array, feature: string, weight: number) => {
    const h = fnv1a(feature)
    v[h % dim] += h & 0x80000000 ? -weight : weight
  }
  return {
    dim,
    embed(text: string): number[] {
      const v = new Float64Array(dim)
      for (const w of words(text)) {
        const s = stem(w)
        const concept = thesaurus[w] ?? thesaurus[s]
        add(v, `w:${concept ?? s}`, 1)
        const padded = `^${s}$`
        for (let i = 0; i + 3 <= padded.length; i++) add(v, `t:${padded.slice(i, i + 3)}`, 0.25)
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
