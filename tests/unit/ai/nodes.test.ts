import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmChat } from '../../../lib/nodes/llm-chat/definition'
import { classify } from '../../../lib/nodes/classify/definition'
import { extract } from '../../../lib/nodes/extract/definition'
import { agent } from '../../../lib/nodes/agent/definition'
import { conversationMemory } from '../../../lib/nodes/conversation-memory/definition'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { runNode } from '../nodes/harness'
import { buildRouter, dep } from './builders'
import { memoryConversationStore, offlineHostServices } from '../../helpers/host-services'

let fake: FakeLlm
let ai: ReturnType<typeof buildRouter>
beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
  ai = buildRouter({ deployments: [dep('m', fake.v1), dep('claude', fake.v1, { provider: 'anthropic' })] })
})
afterAll(() => fake.close())

const services = () => ({ ai: ai.router })

describe('LLM Chat node', () => {
  it('answers per item with usage, attributing the ledger row to the step', async () => {
    fake.script('m', { text: 'Paris', usage: { input: 10, output: 1 } })
    const { output } = await runNode(llmChat, { params: { model: 'm', userMessage: 'Capital of France?', stream: false }, items: [{ id: 1 }], services: services() })
    expect(output.main).toEqual([{ id: 1, response: 'Paris', ai: expect.objectContaining({ deployment: 'm', inputTokens: 10, outputTokens: 1, costUsd: '0.000012000000' }) }])
    expect(ai.ledger.rows.at(-1)).toMatchObject({ executionId: 'exec-1', workflowId: 'wf-1', stepId: 'node-1', tenantId: 'tenant-1' })
  })

  it('validates structured JSON output against the schema and fails the step clearly when it does not match', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
    fake.script('claude', { json: { city: 'Paris' } }, { json: { town: 'Paris' } })
    const params = { model: 'claude', userMessage: 'q', outputFormat: 'json', jsonSchema: JSON.stringify(schema), outputField: 'answer' }
    const { output } = await runNode(llmChat, { params, items: [{}], services: services() })
    expect(output.main[0].answer).toEqual({ city: 'Paris' })
    await expect(runNode(llmChat, { params, items: [{}], services: services() })).rejects.toMatchObject({ name: 'NodeError', code: 'AI_OUTPUT_INVALID', message: expect.stringContaining('city') })
  })

  it('fails the step with a non-retryable budget error before calling the model', async () => {
    const broke = buildRouter({ deployments: [dep('m', fake.v1)], budgets: [{ tenantId: 'tenant-1', workflowId: 'wf-1', period: 'month', limitUsd: '0.000001' }] })
    const before = fake.seen.length
    await expect(runNode(llmChat, { params: { model: 'm', userMessage: 'x', maxTokens: 500 }, items: [{}], services: { ai: broke.router } })).rejects.toMatchObject({
      name: 'NodeError',
      code: 'BUDGET_EXCEEDED',
      retryable: false,
      message: expect.stringContaining('monthly workflow wf-1 budget'),
    })
    expect(fake.seen.length).toBe(before)
  })

  it('cannot be run by a host without a router: that is a compile error', () => {
    // @ts-expect-error llm-chat declares the 'ai' service, and these options provide none
    const run = () => runNode(llmChat, { params: { model: 'm', userMessage: 'x' }, items: [{}] })
    expect(typeof run).toBe('function')
  })

  it('streams tokens to the live view', async () => {
    fake.script('m', { text: 'a b c' })
    const events: unknown[] = []
    const { execute } = await llmChat.load()
    const params = llmChat.params.parse({ model: 'm', userMessage: 'x' })
    await execute({
      executionId: 'e', workflowId: 'w', tenantId: 't', node: { id: 'n', name: 'n', type: 'llm-chat' }, attempt: 1, idempotencyKey: 'k',
      params, paramsFor: async () => params, items: [], inputOffset: 0, inputCount: 0, pageState: new Map(), inputs: {}, inputCounts: {}, inputPages: async function* () {}, write: async () => {}, credential: async () => undefined, signal: new AbortController().signal,
      log: { debug() {}, info() {}, warn() {}, error() {} }, emit: (event, data) => events.push({ event, data }),
      services: { ...services(), http: { request: async () => { throw new Error('no') } }, sandbox: {} as never, sleep: async () => {} },
    })
    expect(events).toEqual([{ event: 'llm.token', data: { item: 0, delta: 'a ' } }, { event: 'llm.token', data: { item: 0, delta: 'b ' } }, { event: 'llm.token', data: { item: 0, delta: 'c' } }])
  })
})

describe('Classify and Extract nodes', () => {
  it('routes items to the port of their category', async () => {
    fake.script('m', { json: { category: 'billing', confidence: 0.9 } }, { json: { category: 'other' } })
    const { output } = await runNode(classify, {
      params: { model: 'm', text: 'x', categories: [{ name: 'support' }, { name: 'billing' }] },
      items: [{ n: 1 }, { n: 2 }],
      services: services(),
    })
    expect(output.out1).toEqual([expect.objectContaining({ n: 1, category: 'billing', confidence: 0.9 })])
    expect(output.other).toEqual([expect.objectContaining({ n: 2, category: 'other' })])
  })

  it('extracts typed fields, null when missing', async () => {
    fake.script('m', { json: { total: 12.5, customer: null } })
    const { output } = await runNode(extract, {
      params: { model: 'm', text: 'Invoice total 12.50', fields: [{ name: 'total', type: 'number', required: true }, { name: 'customer' }] },
      items: [{}],
      services: services(),
    })
    expect(output.main[0].extracted).toEqual({ total: 12.5, customer: null })
    const sent = fake.seen.at(-1)!.body
    expect(sent.response_format).toMatchObject({ type: 'json_schema' })
  })
})

describe('Agent node', () => {
  it('runs a tool loop: the model calls a node as a tool, sees the result, then answers', async () => {
    fake.script('m', { toolCalls: [{ name: 'shout', arguments: { text: 'hi' } }] }, { toolCalls: [{ name: 'missing', arguments: {} }] }, { text: 'done: HI' })
    const { output } = await runNode(agent, {
      params: {
        model: 'm',
        userMessage: 'shout hi',
        tools: [{ name: 'shout', description: 'Upper-cases text', kind: 'node', nodeType: 'set', params: { fields: [{ name: 'loud', value: 'HI' }] }, parameters: { type: 'object', properties: { text: { type: 'string' } } } }],
      },
      items: [{}],
      services: { ...offlineHostServices(), ai: ai.router },
    })
    const item = output.main[0]
    expect(item.response).toBe('done: HI')
    expect(item.finished).toBe(true)
    expect(item.steps).toEqual([
      expect.objectContaining({ step: 0, tool: 'shout', result: [{ text: 'hi', loud: 'HI' }] }),
      expect.objectContaining({ step: 1, tool: 'missing', error: 'unknown tool missing' }),
    ])
    expect(item.ai).toMatchObject({ modelCalls: 3 })
    // The tool result went back to the model on the next call.
    expect(JSON.stringify(fake.seen.at(-2)!.body.messages)).toContain('loud')
  })

  it('stops after maxSteps with the last answer', async () => {
    fake.script('m', { toolCalls: [{ name: 'shout', arguments: {} }] }, { text: 'gave up' })
    const { output } = await runNode(agent, {
      params: { model: 'm', userMessage: 'x', maxSteps: 2, tools: [{ name: 'shout', description: 'd', kind: 'workflow', workflowId: 'wf-x' }] },
      items: [{}],
      services: { ...offlineHostServices(), ai: ai.router },
    })
    expect(output.main[0]).toMatchObject({ response: 'gave up', steps: [expect.objectContaining({ error: 'no sub-workflows in this test' })] })
    expect(fake.seen.at(-1)!.body.tool_choice).toBe('none')
  })
})

describe('Conversation memory node', () => {
  it('keeps a window of the last messages', async () => {
    const store = memoryConversationStore()
    const svc = { ai: ai.router, aiMemory: store }
    for (const n of [1, 2, 3]) await runNode(conversationMemory, { params: { operation: 'save', sessionKey: 's', userMessage: `u${n}`, assistantMessage: `a${n}`, windowSize: 4 }, items: [{}], services: svc })
    const { output } = await runNode(conversationMemory, { params: { operation: 'load', sessionKey: 's' }, items: [{}], services: svc })
    expect((output.main[0].history as { content: string }[]).map((m) => m.content)).toEqual(['u2', 'a2', 'u3', 'a3'])
  })

  it('summarises older messages with a model', async () => {
    const store = memoryConversationStore()
    const svc = { ai: ai.router, aiMemory: store }
    fake.script('m', { text: 'User greeted twice.' })
    const params = { operation: 'save', sessionKey: 's', strategy: 'summary', summaryModel: 'm', windowSize: 2 }
    await runNode(conversationMemory, { params: { ...params, userMessage: 'hello', assistantMessage: 'hi' }, items: [{}], services: svc })
    const { output } = await runNode(conversationMemory, { params: { ...params, userMessage: 'hello again', assistantMessage: 'hi again' }, items: [{}], services: svc })
    expect(output.main[0].history).toEqual([
      { role: 'system', content: 'Summary of the earlier conversation: User greeted twice.' },
      { role: 'user', content: 'hello again' },
      { role: 'assistant', content: 'hi again' },
    ])
  })
})
