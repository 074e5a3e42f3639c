// The fake embeddings server and its embedder, checked against the real `openai` SDK: the wire format (float and
// base64, dimensions, usage, errors), determinism, and the meaning its vectors carry (synonyms near, digits blurred).
// Also: the committed retrieval fixtures are exactly what their generator writes.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedder, fixtureThesaurus, startFakeEmbeddings, stem, type FakeEmbeddings } from '../fakes/embeddings'
import { buildRetrievalFixtures, serialise } from '../fixtures/retrieval/src'

let fake: FakeEmbeddings
beforeAll(async () => {
  fake = await startFakeEmbeddings({ dim: 64 })
})
afterAll(() => fake.close())

const client = () => new OpenAI({ apiKey: 'k', baseURL: fake.v1, maxRetries: 0 })
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0)
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0))

describe('the fake embeddings server speaks the OpenAI wire format', () => {
  it('answers a batch in input order, with usage, unit-length vectors of the default dimension', async () => {
    const r = await client().embeddings.create({ model: 'emb', input: ['first text', 'second text'], encoding_format: 'float' })
    expect(r).toMatchObject({ object: 'list', model: 'emb', usage: { prompt_tokens: 6, total_tokens: 6 } })
    expect(r.data.map((d) => d.index)).toEqual([0, 1])
    for (const d of r.data) {
      expect(d.embedding).toHaveLength(64)
      expect(norm(d.embedding)).toBeCloseTo(1, 6)
    }
    expect(r.data[0].embedding).toEqual(fake.embedder().embed('first text'))
    expect(fake.seen.at(-1)).toMatchObject({ model: 'emb', inputs: 2, encoding: 'float', authorization: 'Bearer k' })
  })

  it('sends base64 float32 when asked, which the SDK decodes by default to the same vector', async () => {
    const raw = await client().embeddings.create({ model: 'emb', input: 'a kettle', encoding_format: 'base64' })
    const encoded = raw.data[0].embedding as unknown as string
    expect(typeof encoded).toBe('string')
    const buf = Buffer.from(encoded, 'base64')
    const floats = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
    const decoded = await client().embeddings.create({ model: 'emb', input: 'a kettle' })
    expect(fake.seen.at(-1)?.encoding).toBe('base64')
    expect(Array.from(decoded.data[0].embedding)).toEqual(Array.from(floats))
    expect(Array.from(floats)).toEqual(Array.from(new Float32Array(fake.embedder().embed('a kettle'))))
  })

  it('honours `dimensions`, then a per-model length, and can be scripted to return a wrong one', async () => {
    const asked = await client().embeddings.create({ model: 'emb', input: 'x', dimensions: 16, encoding_format: 'float' })
    expect(asked.data[0].embedding).toHaveLength(16)
    expect(fake.seen.at(-1)?.dimensions).toBe(16)
    fake.setDimension('small', 8)
    expect((await client().embeddings.create({ model: 'small', input: 'x', encoding_format: 'float' })).data[0].embedding).toHaveLength(8)
    fake.script('emb', { wrongDimension: 5 })
    expect((await client().embeddings.create({ model: 'emb', input: 'x', encoding_format: 'float' })).data[0].embedding).toHaveLength(5)
  })

  it.each([[429], [500]])('fails with a scripted %i, then answers again', async (status) => {
    fake.script('emb', { status, message: 'scripted' })
    await expect(client().embeddings.create({ model: 'emb', input: 'x' })).rejects.toMatchObject({ status })
    await expect(client().embeddings.create({ model: 'emb', input: 'x' })).resolves.toMatchObject({ object: 'list' })
  })

  it('refuses an empty or malformed input with 400 naming the field', async () => {
    await expect(client().embeddings.create({ model: 'emb', input: [] })).rejects.toMatchObject({ status: 400, param: 'input' })
    const res = await fetch(`${fake.v1}/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'emb', input: [1, 2] }) })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe('input')
  })
})

describe('the embedder', () => {
  const thesaurus = fixtureThesaurus()
  const e = createEmbedder({ dim: 768, thesaurus })

  it('is deterministic: the same text gives the same vector, in any embedder of the same settings', () => {
    const text = 'Descale the kettle every four weeks.'
    expect(e.embed(text)).toEqual(createEmbedder({ dim: 768, thesaurus }).embed(text))
    // A pinned fingerprint: a change to the hashing, stemming or weights shows here (and changes every recall figure).
    const fingerprint = createHash('sha256').update(new Float32Array(e.embed(text))).digest('hex').slice(0, 16)
    expect(fingerprint).toMatchInlineSnapshot(`"4112f2667409ac37"`)
  })

  it('gives an empty text a zero vector rather than NaN', () => {
    expect(e.embed('  the of and ').every((x) => x === 0)).toBe(true)
  })

  it.each([
    ['reimbursed', 'reimburse'],
    ['reimbursing', 'reimburse'],
    ['stopped', 'stop'],
    ['policies', 'policy'],
    ['hotels', 'hotel'],
  ])('stems %s like %s', (a, b) => expect(stem(a)).toBe(stem(b)))

  it('keeps -ss words whole', () => expect(stem('dress')).toBe('dress'))

  it('puts synonyms from the thesaurus closer than an unrelated word', () => {
    const holiday = e.embed('holiday days')
    expect(cosine(holiday, e.embed('vacation days'))).toBeGreaterThan(cosine(holiday, e.embed('invoice days')) + 0.3)
    // Through a stem: "reimbursed" finds the entry "refund".
    expect(cosine(e.embed('refund'), e.embed('reimbursed'))).toBeGreaterThan(0.6)
  })

  it('brings words of one field nearer than words of different fields', () => {
    const flight = e.embed('flight')
    expect(cosine(flight, e.embed('passport'))).toBeGreaterThan(cosine(flight, e.embed('dough')) + 0.1)
  })

  it('blurs numbers and codes: two error codes are closer than two different words', () => {
    const codes = cosine(e.embed('error E-317'), e.embed('error E-318'))
    const words = cosine(e.embed('error kettle'), e.embed('error router'))
    expect(codes).toBeGreaterThan(words)
  })

  it('without a thesaurus, synonyms are strangers', () => {
    const plain = createEmbedder({ dim: 768 })
    expect(cosine(plain.embed('holiday'), plain.embed('vacation'))).toBeLessThan(0.3)
  })
})

describe('the retrieval fixtures', () => {
  it('are what scripts/make-retrieval-fixtures.ts writes (regenerate after editing the sources)', () => {
    const dir = path.resolve(import.meta.dirname, '../fixtures/retrieval')
    for (const [name, text] of Object.entries(serialise(buildRetrievalFixtures()))) expect(fs.readFileSync(path.join(dir, name), 'utf8'), name).toBe(text)
  })

  it('hold a few hundred documents and 100–200 questions of the three kinds, all under 1 MB', () => {
    const { documents, questions } = buildRetrievalFixtures()
    expect(documents.length).toBeGreaterThan(250)
    expect(questions.length).toBeGreaterThanOrEqual(100)
    expect(questions.length).toBeLessThanOrEqual(200)
    expect(new Set(questions.map((q) => q.kind))).toEqual(new Set(['paraphrase', 'exact', 'mixed']))
    const bytes = ['documents.json', 'questions.json', 'thesaurus.json'].reduce((n, f) => n + fs.statSync(path.resolve(import.meta.dirname, '../fixtures/retrieval', f)).size, 0)
    expect(bytes).toBeLessThan(1024 * 1024)
  })
})
