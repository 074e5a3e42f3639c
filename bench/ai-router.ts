// Router overhead per call: the same chat request through the AI router (catalog, token count, budget check,
// breaker, ledger record) and as a direct AI SDK generateText call, against the same local fake server.
// Calls are interleaved so both sides see the same machine noise; the bar is the added p99.
import { createOpenAI } from '@ai-sdk/openai'
import { generateText } from 'ai'
import { StaticCatalog } from '../lib/ai/catalog'
import { BatchingLedger } from '../lib/ai/ledger'
import { AiRouter } from '../lib/ai/router'
import type { Deployment } from '../lib/ai/types'
import { createGuardedFetch } from '../lib/net/ssrf'
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { BenchRow } from './types'
import { pct } from './stats'

const N = Number(process.env.AI_BENCH_CALLS ?? 2000)
const WARMUP = 200


export default async function bench(): Promise<BenchRow[]> {
  const child = spawn(path.resolve(import.meta.dirname, '../node_modules/.bin/tsx'), [path.resolve(import.meta.dirname, '../tests/fakes/serve.ts')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(b.toString().trim())))
  const fake = { v1: `${url}/v1` }
  const dep: Deployment = {
    id: 'd1', name: 'bench', provider: 'openai', modelId: 'gpt-bench', baseUrl: fake.v1, credentialId: 'c', contextLength: 128_000,
    capabilities: { tools: true, json: true, vision: false }, inputPriceMicros: 150_000n, outputPriceMicros: 600_000n, timeoutMs: 10_000, maxRetries: 0, status: 'active',
  }
  let written = 0
  const router = new AiRouter({
    catalog: new StaticCatalog({ deployments: [dep], budgets: [{ tenantId: 't', workflowId: null, period: 'day', limitUsd: '1000000' }] }),
    ledger: new BatchingLedger(async (rows) => void (written += rows.length)),
    credentials: async () => ({ apiKey: 'k' }),
    // As in production: provider calls go through the outbound guard (the fake is allow-listed).
    fetch: createGuardedFetch({ allowList: [new URL(fake.v1).host], field: 'baseUrl' }).fetch,
    spend: { spentSince: async () => 0n },
  })
  const direct = createOpenAI({ apiKey: 'k', baseURL: fake.v1 }).chat('gpt-bench')
  const messages = [
    { role: 'system' as const, content: 'You are a concise assistant for an order-tracking workflow.' },
    { role: 'user' as const, content: 'Where is order 12345? The customer asked twice already and wants a date.' },
  ]
  const meta = { tenantId: 't', workflowId: 'w', executionId: 'e', stepId: 's' }
  const own: number[] = []
  const viaRouter = async () => {
    const t = performance.now()
    const res = await router.chat({ target: 'bench', messages, maxTokens: 200 }, meta)
    const total = performance.now() - t
    own.push(total - res.providerMs)
    return total
  }
  const viaSdk = async () => {
    const t = performance.now()
    await generateText({ model: direct, messages, maxOutputTokens: 200, maxRetries: 0, allowSystemInMessages: true })
    return performance.now() - t
  }
  for (let i = 0; i < WARMUP; i++) await viaRouter().then(viaSdk)
  own.length = 0
  const r: number[] = []
  const d: number[] = []
  for (let i = 0; i < N; i++) {
    if (i % 2) {
      r.push(await viaRouter())
      d.push(await viaSdk())
    } else {
      d.push(await viaSdk())
      r.push(await viaRouter())
    }
  }
  await router.ledger.flush()
  child.kill('SIGTERM')
  r.sort((a, b) => a - b)
  d.sort((a, b) => a - b)
  own.sort((a, b) => a - b)
  const add50 = pct(r, 50) - pct(d, 50)
  const add99 = pct(r, 99) - pct(d, 99)
  const notes = `${N} interleaved calls each; ledger rows written: ${written}`
  return [
    { name: 'direct AI SDK call p50', value: pct(d, 50), unit: 'ms', notes },
    { name: 'direct AI SDK call p99', value: pct(d, 99), unit: 'ms' },
    { name: 'through router p50', value: pct(r, 50), unit: 'ms' },
    { name: 'through router p99', value: pct(r, 99), unit: 'ms' },
    { name: 'router overhead p50', value: add50, unit: 'ms' },
    { name: 'router overhead p99 (router p99 − direct p99)', value: add99, unit: 'ms', bar: '< 2 ms p99 added', pass: add99 < 2 },
    { name: 'time in router code per call p50 (total − provider call)', value: pct(own, 50), unit: 'ms' },
    { name: 'time in router code per call p99 (total − provider call)', value: pct(own, 99), unit: 'ms', bar: '< 2 ms p99', pass: pct(own, 99) < 2 },
  ]
}
