// An imported n8n workflow runs on the real engine (registry, in-memory store, isolated-vm sandbox) and produces
// what n8n produces for the same input.
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { runWorkflow } from '@/lib/engine/run'
import { workflowGraphSchema } from '@/lib/engine/graph-schema'
import { nodeRegistry } from '@/lib/nodes/registry'
import { createSandbox } from '@/lib/sandbox/isolate'
import { offlineHostServices } from '../../../helpers/host-services'
import { cancellableSleep } from '../../nodes/harness'
import { expectValidGraph, importFixture } from './fixtures'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

describe('an imported Set → If → Code workflow', () => {
  it('outputs what n8n outputs: totals and labels set, big orders tagged by the all-items Code, small ones per item', async () => {
    const { graph, node, report } = importFixture('set-if-code.json')
    expectValidGraph(graph)
    expect(report.summary).toEqual({ nodes: 5, mapped: 5, placeholders: 0, stickyNotes: 0, unmappedEntries: 0 })
    const store = new MemoryItemStore()
    const result = await runWorkflow({
      graph: workflowGraphSchema.parse(graph),
      registry: nodeRegistry,
      executionId: 'exec-n8n',
      workflowId: 'wf-n8n',
      tenantId: 't-1',
      input: [
        { id: 1, price: 30, qty: 5 },
        { id: 2, price: 10, qty: 2 },
        { id: 3, price: 60, qty: 2 },
      ],
      store,
      services: { http: { request: () => Promise.reject(new Error('no http')) }, sandbox, sleep: cancellableSleep, ...offlineHostServices() },
      getCredential: () => Promise.reject(new Error('no credentials')),
    })
    expect(result.status).toBe('succeeded')
    const output = async (n8nName: string) => {
      const items = []
      for await (const page of store.pages(node(n8nName).id, 'main')) items.push(...page)
      return items
    }
    expect(await output('Tag big')).toEqual([
      { id: 1, price: 30, qty: 5, total: 150, label: 'Order 1', tag: 'big' },
      { id: 3, price: 60, qty: 2, total: 120, label: 'Order 3', tag: 'big' },
    ])
    expect(await output('Tag small')).toEqual([{ id: 2, price: 10, qty: 2, total: 20, label: 'Order 2', tag: 'small' }])
  })
})
