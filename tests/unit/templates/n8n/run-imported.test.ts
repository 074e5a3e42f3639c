// An imported n8n workflow runs on the real engine (registry, in-memory store, isolated-vm sandbox) and produces
// what n8n produces for the same input.
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryItemStore } from '@/lib/engine/memory-store'
import { runWorkflow } from '@/lib/engine/run'
import { workflowGraphSchema, type WorkflowGraphInput } from '@/lib/engine/graph-schema'
import type { Item } from '@/lib/engine/types'
import { nodeRegistry } from '@/lib/nodes/registry'
import { createSandbox } from '@/lib/sandbox/isolate'
import { offlineHostServices } from '../../../helpers/host-services'
import { cancellableSleep } from '../../nodes/harness'
import { expectValidGraph, importFixture } from './fixtures'

const sandbox = createSandbox({ poolSize: 1 })
afterAll(() => sandbox.dispose())

/** Runs an imported graph with `input` as the trigger's items; `output(name)` reads a node's main output by n8n name. */
async function runImported(graph: WorkflowGraphInput, node: (n8nName: string) => { id: string }, input: Item[]) {
  const store = new MemoryItemStore()
  const result = await runWorkflow({
    graph: workflowGraphSchema.parse(graph),
    registry: nodeRegistry,
    executionId: 'exec-n8n',
    workflowId: 'wf-n8n',
    tenantId: 't-1',
    input,
    store,
    services: { http: { request: () => Promise.reject(new Error('no http')) }, sandbox, sleep: cancellableSleep, ...offlineHostServices() },
    getCredential: () => Promise.reject(new Error('no credentials')),
  })
  const output = async (n8nName: string) => {
    const items: Item[] = []
    for await (const page of store.pages(node(n8nName).id, 'main')) items.push(...page)
    return items
  }
  return { status: result.status, output }
}

describe('an imported Set → If → Code workflow', () => {
  it('outputs what n8n outputs: totals and labels set, big orders tagged by the all-items Code, small ones per item', async () => {
    const { graph, node, report } = importFixture('set-if-code.json')
    expectValidGraph(graph)
    expect(report.summary).toEqual({ nodes: 5, mapped: 5, placeholders: 0, stickyNotes: 0, unmappedEntries: 0 })
    const { status, output } = await runImported(graph, node, [
      { id: 1, price: 30, qty: 5 },
      { id: 2, price: 10, qty: 2 },
      { id: 3, price: 60, qty: 2 },
    ])
    expect(status).toBe('succeeded')
    expect(await output('Tag big')).toEqual([
      { id: 1, price: 30, qty: 5, total: 150, label: 'Order 1', tag: 'big' },
      { id: 3, price: 60, qty: 2, total: 120, label: 'Order 3', tag: 'big' },
    ])
    expect(await output('Tag small')).toEqual([{ id: 2, price: 10, qty: 2, total: 20, label: 'Order 2', tag: 'small' }])
  })
})

describe('an imported Set → Switch → Set v1 / Set v2 → Merge → Code workflow', () => {
  it("routes by size and merges back in n8n's order; $('Start').item and .first() read the trigger's items", async () => {
    const { graph, node, report } = importFixture('switch-merge-run.json')
    expectValidGraph(graph)
    expect(report.summary.unmappedEntries).toBe(0)
    const { status, output } = await runImported(graph, node, [
      { id: 1, total: 150, name: 'a' },
      { id: 2, total: 20, name: 'b' },
      { id: 3, total: 300, name: 'c' },
    ])
    expect(status).toBe('succeeded')
    expect(await output('Summary')).toEqual([
      { id: 1, size: 'big', from: 'a', first: 1 },
      { id: 3, size: 'big', from: 'c', first: 1 },
      { id: 2, size: 'small', from: 'b', first: 1 },
    ])
  })
})
