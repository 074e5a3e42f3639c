// The retrieval nodes in real runs on a worker (./setup.ts: a real vector host, embeddings and answers through the
// real router from the fake servers). One collection is built up and taken apart across the file: ingest (items, a
// Markdown file, a PDF), search, answer with citations, the Agent's retrieval tool, delete, drop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '../../../lib/engine/types'
import type { FileRef } from '../../../lib/files/ref'
import { NOTHING_FOUND } from '../../../lib/nodes/retrieval/rag-answer/definition'
import * as workflows from '../../../app/api/workflows/route'
import * as run from '../../../app/api/workflows/[id]/run/route'
import * as useTemplate from '../../../app/api/templates/[id]/use/route'
import { buildPdf } from '../../unit/vector/pdf-builder'
import { EMBED_DIM } from '../ai/embed-setup'
import { call, chain, node, waitFor, waitForStatus, type NodeSpec } from '../backbone/support'
import { startRetrievalBed, type RetrievalBed } from './setup'

let bed: RetrievalBed

beforeAll(async () => {
  bed = await startRetrievalBed()
})
afterAll(() => bed?.close())

const scope = () => ({ tenantId: bed.owner.tenantId })

/** Runs manual trigger → `step` with these input items; the step's output items, or its error. */
async function runStep(step: NodeSpec, input: Item[]): Promise<{ status: string; output: Item[]; error: { code?: string; field?: string; message?: string } | null; executionId: string }> {
  const created = await call(workflows.POST, { method: 'POST', headers: bed.owner.headers, body: { name: `${step.type} ${Math.random()}`, graph: chain(node.manual(), step) } })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const started = await call(run.POST, { method: 'POST', headers: bed.owner.headers, params: { id: created.json.id }, body: { input } })
  const executionId = started.json.executionId as string
  const done = await waitForStatus(bed.prisma, executionId, ['succeeded', 'failed'])
  const row = await bed.prisma.stepRun.findFirst({ where: { executionId, nodeId: step.id }, orderBy: { attempt: 'desc' } })
  const output = ((row?.output as { main?: Item[] } | null)?.main ?? []) as Item[]
  return { status: done.status, output, error: (row?.error ?? null) as { code?: string; field?: string } | null, executionId }
}

async function storeFile(name: string, mimeType: string, data: Buffer | string): Promise<FileRef> {
  return bed.files.forRun({ tenantId: bed.owner.tenantId, executionId: 'seed' }).write({ name, mimeType, data })
}

const ingest = (params: Record<string, unknown>): NodeSpec => ({ id: 'ingest', type: 'vector-ingest', name: 'Ingest Documents', params: { collection: 'handbook', ...params } })
const search = (params: Record<string, unknown>): NodeSpec => ({ id: 'search', type: 'vector-search', name: 'Search Collection', params: { collection: 'handbook', query: '{{ $json.q }}', ...params } })
const answer = (params: Record<string, unknown> = {}): NodeSpec => ({ id: 'answer', type: 'rag-answer', name: 'Answer with Sources', params: { collection: 'handbook', question: '{{ $json.q }}', model: 'backup', ...params } })

const records = [
  { id: 'leave', title: 'Leave policy', team: 'hr', body: 'Paid leave: every employee gets 28 days of paid leave a year. Unused leave days expire at the end of March.' },
  { id: 'expenses', title: 'Expense claims', team: 'finance', body: 'Expense claims: submit receipts for travel and meals within 30 days. Claims are reimbursed with the next salary.' },
]

describe('retrieval nodes on a worker', () => {
  it('ingests items as text into a collection it creates, then skips them when nothing changed', async () => {
    const params = { source: 'text', text: '{{ $json.body }}', title: '{{ $json.title }}', metadataFields: ['team'], embeddingModel: 'embed-a', chunkSize: 64, chunkOverlap: 8 }
    const first = await runStep(ingest(params), records)
    expect(first.status, JSON.stringify(first.error)).toBe('succeeded')
    expect(first.output).toMatchObject([
      { collection: 'handbook', key: 'leave', title: 'Leave policy', status: 'added' },
      { collection: 'handbook', key: 'expenses', title: 'Expense claims', status: 'added' },
    ])
    for (const r of first.output) {
      expect(r.chunks).toBeGreaterThan(0)
      expect(Number(r.costUsd)).toBeGreaterThan(0)
    }
    const info = await bed.vectors.getCollection(scope(), 'handbook')
    expect(info).toMatchObject({ embedding: 'embed-a', dimension: EMBED_DIM, chunkSize: 64, chunkOverlap: 8, documentCount: 2, fields: { team: 'string' } })

    const again = await runStep(ingest(params), records)
    expect(again.output.map((r) => [r.key, r.status, r.costUsd])).toEqual([['leave', 'unchanged', '0'], ['expenses', 'unchanged', '0']])
  })

  it('ingests a Markdown file and a PDF from the items\' files, keyed by their names', async () => {
    const markdown = await storeFile('onboarding.md', 'text/markdown', '# Onboarding\n\n## Laptop\n\nNew starters collect their laptop from the IT desk on the first day.\n')
    const pdf = await storeFile('travel.pdf', 'application/pdf', buildPdf([{ lines: ['Travel policy', 'Book trains for journeys under four hours.'] }]))
    const res = await runStep(ingest({ source: 'file', fileField: 'doc', metadataFields: ['team'] }), [{ team: 'it', doc: markdown }, { team: 'hr', doc: pdf }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    expect(res.output).toMatchObject([{ key: 'onboarding.md', title: 'onboarding.md', status: 'added' }, { key: 'travel.pdf', title: 'travel.pdf', status: 'added' }])
    const chunks = await bed.vectors.listChunks(scope(), 'handbook', 'travel.pdf')
    expect(chunks.map((c) => c.text).join(' ')).toContain('Book trains for journeys under four hours.')
    expect((await bed.vectors.listChunks(scope(), 'handbook', 'onboarding.md')).map((c) => c.text).join(' ')).toContain('IT desk')
  })

  it('fails naming the field: a missing collection without a model to create it, an item without a file', async () => {
    const missing = await runStep(ingest({ collection: 'nowhere', text: 'hello' }), [{ id: 'x' }])
    expect(missing).toMatchObject({ status: 'failed', error: { code: 'VECTOR_COLLECTION_NOT_FOUND', field: 'collection' } })
    const noFile = await runStep(ingest({ source: 'file' }), [{ file: 'not a file' }])
    expect(noFile).toMatchObject({ status: 'failed', error: { code: 'NOT_A_FILE', field: 'fileField' } })
    expect(await bed.vectors.getCollection(scope(), 'nowhere')).toBeNull()
  })

  it.each(['hybrid', 'vector', 'keyword'])('searches in %s mode: one item per hit, each a real chunk, ranked', async (mode) => {
    const res = await runStep(search({ mode, topK: 3 }), [{ q: 'How many days of paid leave do I get?' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    expect(res.output.length).toBeGreaterThan(0)
    expect(res.output[0]).toMatchObject({ query: 'How many days of paid leave do I get?', rank: 1, documentKey: 'leave', title: 'Leave policy', metadata: { team: 'hr' } })
    const chunkIds = (await bed.vectors.listChunks(scope(), 'handbook', 'leave')).map((c) => c.chunkId)
    expect(chunkIds).toContain(res.output[0].chunkId)
    expect(res.output.map((h) => h.rank)).toEqual(res.output.map((_, i) => i + 1))
    expect(res.output[0]).toMatchObject(mode === 'keyword' ? { keywordRank: 1, vectorRank: null } : mode === 'vector' ? { vectorRank: 1, keywordRank: null } : { fusedScore: expect.any(Number) })
  })

  it('searches with a metadata filter, and can give the hits as one list', async () => {
    const res = await runStep(search({ filter: { team: 'finance' }, output: 'list' }), [{ q: 'How many days of paid leave do I get?' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    expect(res.output).toHaveLength(1)
    const hits = res.output[0].hits as Item[]
    expect(hits.length).toBeGreaterThan(0)
    expect(new Set(hits.map((h) => h.documentKey))).toEqual(new Set(['expenses']))
    expect(res.output[0]).toMatchObject({ q: 'How many days of paid leave do I get?', search: { mode: 'hybrid' } })
    const unknown = await runStep(search({ filter: { colour: 'red' } }), [{ q: 'leave' }])
    expect(unknown).toMatchObject({ status: 'failed', error: { field: 'filter' } })
  })

  it('answers with citations pointing at the chunks it was given; numbers it made up are dropped', async () => {
    bed.fake.script('gpt-fake', { text: 'You get 28 days of paid leave a year [1]; unused days expire in March [1][9].' })
    const seen = bed.fake.seen.length
    const res = await runStep(answer({ topK: 3 }), [{ q: 'How many days of paid leave do I get?' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    const [item] = res.output
    expect(item.answer).toBe('You get 28 days of paid leave a year [1]; unused days expire in March [1][9].')
    const prompt = bed.fake.seen.slice(seen).find((r) => r.path === '/v1/chat/completions')!.body.messages as { role: string; content: string }[]
    const user = prompt.find((m) => m.role === 'user')!.content
    expect(user).toMatch(/^Passages:\n\n\[1\] Leave policy\n/)
    expect(user).toMatch(/Question: How many days of paid leave do I get\?$/)
    const citations = item.citations as Item[]
    expect(citations).toHaveLength(1)
    expect(citations[0]).toMatchObject({ number: 1, documentKey: 'leave', title: 'Leave policy' })
    expect((await bed.vectors.listChunks(scope(), 'handbook', 'leave')).map((c) => c.chunkId)).toContain(citations[0].chunkId)
    expect(user).toContain((citations[0].snippet as string).replace(/…$/, '').slice(0, 40))
    expect(item.sources).toEqual([{ documentKey: 'leave', documentId: citations[0].documentId, title: 'Leave policy', citations: [1], metadata: { team: 'hr' } }])
    const ai = item.ai as { costUsd: string; chatCostUsd: string; embedding: { costUsd: string } }
    expect(item).toMatchObject({ found: expect.any(Number), ai: { deployment: 'backup', modelCalls: 1, embedding: { deployment: 'embed-a' } } })
    expect(Number(ai.costUsd)).toBeCloseTo(Number(ai.chatCostUsd) + Number(ai.embedding.costUsd), 12)
    const ledger = await waitFor('the step\'s two ledger rows', async () => {
      const rows = await bed.prisma.aiUsage.findMany({ where: { executionId: res.executionId, stepId: 'answer' }, orderBy: { createdAt: 'asc' } })
      return rows.length >= 2 && rows
    })
    expect(ledger.map((u) => u.deploymentName)).toEqual(['embed-a', 'backup'])
  })

  it('answers "nothing found" without calling the model when no passage matches', async () => {
    const seen = bed.fake.seen.length
    const res = await runStep(answer({ filter: { team: 'nobody' } }), [{ q: 'How many days of paid leave do I get?' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    expect(res.output[0]).toMatchObject({ answer: NOTHING_FOUND, citations: [], sources: [], found: 0, ai: { modelCalls: 0 } })
    expect(bed.fake.seen.length).toBe(seen)
    const strict = await runStep(answer({ filter: { team: 'nobody' }, onNothingFound: 'fail' }), [{ q: 'leave' }])
    expect(strict).toMatchObject({ status: 'failed', error: { code: 'NOTHING_FOUND', field: 'question' } })
  })

  it('lets the Agent search the collection with its retrieval tool and cite what it found', async () => {
    bed.fake.script('gpt-fake', { toolCalls: [{ name: 'search_handbook', arguments: { query: 'paid leave days' } }] }, { text: 'The Leave policy gives 28 days.' })
    const seen = bed.fake.seen.length
    const agentNode: NodeSpec = {
      id: 'agent',
      type: 'agent',
      name: 'Agent',
      params: { model: 'backup', userMessage: '{{ $json.q }}', tools: [{ name: 'search_handbook', description: 'Search the employee handbook', kind: 'retrieval', collection: 'handbook', topK: 2 }] },
    }
    const res = await runStep(agentNode, [{ q: 'How much leave do I get?' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    const [step] = res.output[0].steps as { tool: string; arguments: unknown; result: Item[] }[]
    expect(step).toMatchObject({ tool: 'search_handbook', arguments: { query: 'paid leave days' } })
    expect(step.result.length).toBeGreaterThan(0)
    expect(step.result.length).toBeLessThanOrEqual(2)
    expect(Object.keys(step.result[0]).sort()).toEqual(['chunkId', 'documentKey', 'score', 'text', 'title'])
    expect(step.result[0]).toMatchObject({ documentKey: 'leave', title: 'Leave policy' })

    const calls = bed.fake.seen.slice(seen).filter((r) => r.path === '/v1/chat/completions')
    expect(calls[0].body.tools[0].function).toMatchObject({ name: 'search_handbook', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } })
    const toolMessage = (calls[1].body.messages as { role: string; content: string }[]).find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain(step.result[0].chunkId as string)
    const rows = await bed.prisma.stepRun.findMany({ where: { executionId: res.executionId, nodeType: 'agent-tool' } })
    expect(rows.map((r) => r.status)).toEqual(['succeeded'])
  })

  it('deletes documents by key (items pooled into one call), then drops the collection', async () => {
    const del: NodeSpec = { id: 'delete', type: 'vector-delete', name: 'Delete Documents', params: { collection: 'handbook', keys: '{{ $json.key }}' } }
    const res = await runStep(del, [{ key: 'expenses' }, { key: 'travel.pdf' }, { key: 'never-there' }])
    expect(res.status, JSON.stringify(res.error)).toBe('succeeded')
    expect(res.output).toEqual([{ collection: 'handbook', operation: 'keys', keys: ['expenses', 'travel.pdf', 'never-there'], documents: 2, chunks: expect.any(Number) }])
    const left = await bed.vectors.listDocuments(scope(), 'handbook')
    expect(left.documents.map((d) => d.key).sort()).toEqual(['leave', 'onboarding.md'])

    const drop = await runStep({ ...del, params: { collection: 'handbook', operation: 'drop' } }, [{}])
    expect(drop.status, JSON.stringify(drop.error)).toBe('succeeded')
    expect(drop.output).toMatchObject([{ collection: 'handbook', operation: 'drop', documents: 2 }])
    expect(await bed.vectors.getCollection(scope(), 'handbook')).toBeNull()
    const gone = await runStep(search({}), [{ q: 'leave' }])
    expect(gone).toMatchObject({ status: 'failed', error: { code: 'VECTOR_COLLECTION_NOT_FOUND', field: 'collection' } })
  })
})

describe('the "Ask your documents" template, made into a workflow', () => {
  /** Runs the workflow as its webhook would, with this request body; every step's output by node id. */
  async function ask(workflowId: string, body: Record<string, unknown>): Promise<Record<string, Item[]>> {
    const started = await call(run.POST, { method: 'POST', headers: bed.owner.headers, params: { id: workflowId }, body: { input: [{ body, headers: {}, query: {}, method: 'POST', path: 'docs' }] } })
    expect(started.status, JSON.stringify(started.json)).toBe(202)
    const done = await waitForStatus(bed.prisma, started.json.executionId, ['succeeded', 'failed'])
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded')
    const steps = await bed.prisma.stepRun.findMany({ where: { executionId: done.id, status: 'succeeded' } })
    return Object.fromEntries(steps.map((s) => [s.nodeId, ((s.output as { main?: Item[] } | null)?.main ?? []) as Item[]]))
  }

  it('ingests uploaded files, then answers a question citing them, with the real nodes', async () => {
    const used = await call(useTemplate.POST, {
      method: 'POST',
      headers: bed.owner.headers,
      params: { id: 'builtin:rag-ask-documents' },
      body: { params: { path: 'docs', collection: 'ask-docs', embeddingModel: 'embed-a', model: 'backup', topK: 3 }, credentials: {} },
    })
    expect(used.status, JSON.stringify(used.json)).toBe(201)
    const workflowId = used.json.workflowId as string

    const guide = await storeFile('guide.md', 'text/markdown', '# Guide\n\n## Parking\n\nStaff park in the north car park; visitors use the south one.\n')
    const policy = await storeFile('policy.pdf', 'application/pdf', buildPdf([{ lines: ['Security policy', 'Badges must be worn at all times on site.'] }]))
    const uploaded = await ask(workflowId, { files: [guide, policy] })
    expect(uploaded.replyAdded).toMatchObject([{ documents: [{ key: 'guide.md', status: 'added' }, { key: 'policy.pdf', status: 'added' }] }])
    expect(uploaded.answer).toBeUndefined()

    bed.fake.script('gpt-fake', { text: 'Staff park in the north car park [1].' })
    const answered = await ask(workflowId, { question: 'Where do staff park?' })
    const [reply] = answered.reply
    expect(reply).toMatchObject({ answer: 'Staff park in the north car park [1].', citations: [{ number: 1, documentKey: 'guide.md' }], sources: [{ documentKey: 'guide.md', citations: [1] }] })
    const chunkIds = (await bed.vectors.listChunks(scope(), 'ask-docs', 'guide.md')).map((c) => c.chunkId)
    expect(chunkIds).toContain((reply.citations as Item[])[0].chunkId)
    expect(answered.ingest).toBeUndefined()
  })
})
