// The fake LLM server checked against the official SDKs, so router tests stand on a faithful wire format.
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server'

let fake: FakeLlm
beforeAll(async () => {
  fake = await startFakeLlm('Hello from fake')
})
afterAll(() => fake.close())

describe('fake LLM server speaks the OpenAI wire format', () => {
  const client = () => new OpenAI({ apiKey: 'k', baseURL: fake.v1, maxRetries: 0 })
  it('answers, streams and reports usage', async () => {
    fake.script('m', { text: 'a b', usage: { input: 7, output: 2 } })
    const r = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect(r.choices[0].message.content).toBe('a b')
    expect(r.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 })
    const s = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })
    let out = ''
    for await (const c of s) out += c.choices[0]?.delta?.content ?? ''
    expect(out).toBe('Hello from fake')
  })
  it.each([[500], [429]])('fails with %i', async (status) => {
    fake.script('m', { status })
    await expect(client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status })
  })
  it('returns tool calls', async () => {
    fake.script('m', { toolCalls: [{ name: 't', arguments: { a: 1 } }] })
    const r = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect(r.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 't', arguments: '{"a":1}' } }] } })
  })
})

describe('fake LLM server speaks the Anthropic wire format', () => {
  const client = () => new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 })
  it('answers and streams text and tool use', async () => {
    const r = await client().messages.create({ model: 'c', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
    expect(r.content[0]).toMatchObject({ type: 'text', text: 'Hello from fake' })
    fake.script('c', { toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] })
    const final = await client().messages.stream({ model: 'c', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    expect(final.stop_reason).toBe('tool_use')
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'lookup', input: { q: 'x' } })
  })
  it('fails with 429', async () => {
    fake.script('c', { status: 429 })
    await expect(client().messages.create({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 429 })
  })
})
