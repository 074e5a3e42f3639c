import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'
import { buildRouter, dep, hi, T } from './builders'

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm()
})
afterAll(() => fake.close())

const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false }

describe.each([['openai'], ['anthropic']] as const)('structured output and tool calls (%s)', (provider) => {
  const d = () => dep(`${provider}-m`, fake.v1, { provider })

  it('parses and validates JSON output against the schema', async () => {
    const { router } = buildRouter({ deployments: [d()] })
    fake.script(`${provider}-m`, { json: { name: 'Ada', age: 36 } })
    const r = await router.chat({ target: `${provider}-m`, messages: hi, responseFormat: { type: 'json', schema } }, T)
    expect(r.json).toEqual({ name: 'Ada', age: 36 })
  })

  it('rejects JSON that does not match the schema, naming the field, and still charges the tokens', async () => {
    const { router, ledger } = buildRouter({ deployments: [d()] })
    fake.script(`${provider}-m`, { json: { name: 'Ada', age: 'old' }, usage: { input: 10, output: 10 } })
    await expect(router.chat({ target: `${provider}-m`, messages: hi, responseFormat: { type: 'json', schema } }, T)).rejects.toMatchObject({
      code: 'AI_OUTPUT_INVALID',
      message: expect.stringContaining('age'),
    })
    expect(ledger.rows[0]).toMatchObject({ outcome: 'error', errorCode: 'AI_OUTPUT_INVALID', inputTokens: 10, outputTokens: 10, costPico: 30_000_000n })
  })

  it('returns tool calls with parsed arguments, and sends tool results back', async () => {
    const { router } = buildRouter({ deployments: [d()] })
    const tools = [{ name: 'weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }]
    fake.script(`${provider}-m`, { toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] })
    const r = await router.chat({ target: `${provider}-m`, messages: hi, tools }, T)
    expect(r.toolCalls).toEqual([{ id: expect.any(String), name: 'weather', arguments: { city: 'Oslo' } }])
    const follow = await router.chat(
      { target: `${provider}-m`, tools, messages: [...hi, { role: 'assistant', content: null, toolCalls: r.toolCalls }, { role: 'tool', toolCallId: r.toolCalls[0].id, content: '{"temp":3}' }] },
      T,
    )
    expect(follow.text).toBe('Hello from fake')
    expect(JSON.stringify(fake.seen.at(-1)!.body)).toContain('{\\"temp\\":3}')
  })

  it('streams tool calls', async () => {
    const { router } = buildRouter({ deployments: [d()] })
    const tools = [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
    fake.script(`${provider}-m`, { toolCalls: [{ name: 'weather', arguments: { city: 'Rome' } }] })
    const calls = []
    for await (const ev of router.stream({ target: `${provider}-m`, messages: hi, tools }, T)) if (ev.type === 'tool-call') calls.push(ev.toolCall)
    expect(calls).toEqual([{ id: expect.any(String), name: 'weather', arguments: { city: 'Rome' } }])
  })
})
