// A vector host for integration tests: its own PostgreSQL database (cloned from the migrated template), LanceDB in
// a temp folder, and embeddings from the deterministic fake embedder (tests/fakes/embeddings.ts) in process, with
// every call recorded and scriptable (a wrong dimension, a failure) to test what is refused and what survives.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import type { AiRouter } from '../../../lib/ai/router'
import type { EmbedRequest, EmbedResult } from '../../../lib/ai/types'
import { picoToUsd } from '../../../lib/ai/pricing'
import { createVectorHost, type EmbedFn, type VectorHostOptions, type VectorHostWithClose } from '../../../lib/vector/host'
import type { VectorScope } from '../../../lib/vector/types'
import { createEmbedder, type Thesaurus } from '../../fakes/embeddings'
import { createTestDatabase, type TestDatabase } from '../../helpers/db'
import { offlineHostServices } from '../../helpers/host-services'

export const DIM = 64
/** $0.10 per 1M tokens, in picodollars per token. */
const PICO_PER_TOKEN = 100_000n

export type EmbedStep = { wrongDimension: number } | { fail: Error }

export interface FakeEmbed {
  fn: EmbedFn
  calls: EmbedRequest[]
  /** Inputs embedded so far (all calls). */
  inputs(): number
  script(...steps: EmbedStep[]): void
}

export function fakeEmbed(opts: { dim?: number; thesaurus?: Thesaurus } = {}): FakeEmbed {
  const dim = opts.dim ?? DIM
  const embedder = createEmbedder({ dim, thesaurus: opts.thesaurus })
  const calls: EmbedRequest[] = []
  const steps: EmbedStep[] = []
  const fn: EmbedFn = async (req) => {
    calls.push(req)
    const step = steps.shift()
    if (step && 'fail' in step) throw step.fail
    const other = step ? createEmbedder({ dim: step.wrongDimension }) : embedder
    const tokens = req.input.reduce((n, s) => n + Math.max(1, Math.ceil(s.length / 4)), 0)
    const result: EmbedResult = {
      embeddings: req.input.map((s) => other.embed(s)),
      dimensions: other.dim,
      usage: { inputTokens: tokens },
      costUsd: picoToUsd(BigInt(tokens) * PICO_PER_TOKEN),
      deployment: req.target,
      provider: 'openai',
      model: 'fake-embedding',
      fallbackIndex: 0,
      attempts: [],
      latencyMs: 0,
      batches: 1,
    }
    return result
  }
  return { fn, calls, inputs: () => calls.reduce((n, c) => n + c.input.length, 0), script: (...s) => void steps.push(...s) }
}

export interface VectorBed {
  db: TestDatabase
  dir: string
  embed: FakeEmbed
  host: VectorHostWithClose
  /** Another host on the same folder and database (another process, as far as the store goes). */
  another(extra?: Partial<VectorHostOptions>): VectorHostWithClose
  teardown(): Promise<void>
}

export function tenant(): VectorScope {
  return { tenantId: `t_${randomBytes(6).toString('hex')}` }
}

export async function vectorBed(opts: Partial<VectorHostOptions> & { thesaurus?: Thesaurus; ai?: AiRouter } = {}): Promise<VectorBed> {
  const db = await createTestDatabase()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auterity-vectors-'))
  const embed = fakeEmbed({ thesaurus: opts.thesaurus })
  const hosts: VectorHostWithClose[] = []
  const make = (extra: Partial<VectorHostOptions> = {}) => {
    const host = createVectorHost({ prisma: db.prisma, ai: opts.ai ?? offlineHostServices().ai, embed: embed.fn, uri: dir, ...opts, ...extra })
    hosts.push(host)
    return host
  }
  const host = make()
  return {
    db,
    dir,
    embed,
    host,
    another: make,
    async teardown() {
      for (const h of hosts) await h.close()
      await db.drop()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
