// Sub-workflow node types without a worker: the Execute Workflow Trigger's input schema, the Execute Workflow node's
// batching and outputs against a recording host service, the Error Trigger, and the settings body.
import { describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import type { ExecuteWorkflowRequest } from '@/lib/nodes/host-services'
import { executeWorkflowTrigger, executeWorkflowTriggerParams, inputProblem } from '@/lib/nodes/execute-workflow-trigger/definition'
import { executeWorkflow, executeWorkflowParams } from '@/lib/nodes/execute-workflow/definition'
import { errorTrigger } from '@/lib/nodes/error-trigger/definition'
import { workflowSettingsBody } from '@/lib/services/workflow-settings'
import { updateWorkflowBody } from '@/lib/services/api-schemas'
import { runNode } from './harness'

const schema = (fields: unknown[]) => executeWorkflowTriggerParams.parse({ inputSource: 'schema', fields })

describe('Execute Workflow Trigger input schema', () => {
  const fields = schema([
    { name: 'email', type: 'string', required: true },
    { name: 'count', type: 'number' },
    { name: 'ok', type: 'boolean' },
    { name: 'tags', type: 'array' },
    { name: 'meta', type: 'object' },
    { name: 'anything', required: true },
  ])
  const good = { email: 'a@b.c', count: 1, ok: false, tags: [], meta: {}, anything: 0 }

  it.each<[string, Item[], string | null]>([
    ['every field right', [good], null],
    ['optional fields absent, extra fields kept', [{ email: 'x', anything: 'y', extra: 1 }], null],
    ['a required field missing', [good, { ...good, email: undefined }], 'item 1: field "email" is required'],
    ['a required field null', [{ ...good, anything: null }], 'item 0: field "anything" is required'],
    ['a number given as a string', [{ ...good, count: '1' }], 'item 0: field "count" must be a number, got a string'],
    ['an array where an object goes', [{ ...good, meta: [] }], 'item 0: field "meta" must be an object, got an array'],
    ['an object where an array goes', [good, good, { ...good, tags: {} }], 'item 2: field "tags" must be an array, got an object'],
    ['a string where a boolean goes', [{ ...good, ok: 'yes' }], 'item 0: field "ok" must be a boolean, got a string'],
  ])('%s', (_title, items, message) => {
    expect(inputProblem(fields, items)?.message ?? null).toBe(message)
  })

  it('accepts all data unless asked to check, and refuses a schema naming a field twice', () => {
    expect(inputProblem(executeWorkflowTriggerParams.parse({}), [{ anything: 1 }, {}])).toBeNull()
    expect(executeWorkflowTriggerParams.safeParse({ inputSource: 'schema', fields: [{ name: 'a' }, { name: 'a' }] }).success).toBe(false)
    expect(executeWorkflowTriggerParams.safeParse({ inputSource: 'schema', fields: [{ name: 'a', type: 'date' }] }).success).toBe(false)
  })

  it('outputs the items it was given, and fails a step whose items break the schema', async () => {
    expect((await runNode(executeWorkflowTrigger, { items: [{ n: 1 }] })).output).toEqual({ main: [{ n: 1 }] })
    await expect(runNode(executeWorkflowTrigger, { params: { inputSource: 'schema', fields: [{ name: 'n', type: 'number', required: true }] }, items: [{ n: 'one' }] })).rejects.toThrow(
      'item 0: field "n" must be a number, got a string',
    )
  })
})

describe('Execute Workflow', () => {
  function host(answer: (req: ExecuteWorkflowRequest, i: number) => { executionId: string; items?: Item[] }) {
    const calls: ExecuteWorkflowRequest[] = []
    return {
      calls,
      executeWorkflow: async (req: ExecuteWorkflowRequest) => {
        calls.push(req)
        return answer(req, calls.length - 1)
      },
    }
  }
  const echo = (req: ExecuteWorkflowRequest, i: number) => ({ executionId: `child-${i}`, items: req.items.map((it) => ({ ...it, by: `child-${i}` })) })

  it('needs a workflow and takes published, wait, all items by default', () => {
    expect(executeWorkflowParams.safeParse({}).success).toBe(false)
    expect(executeWorkflowParams.parse({ workflowId: 'w' })).toEqual({ workflowId: 'w', version: 'published', mode: 'wait', runFor: 'allItems' })
    expect(executeWorkflowParams.safeParse({ workflowId: 'w', mode: 'later' }).success).toBe(false)
  })

  it('wait + all items: one child run with every item; its items are the output', async () => {
    const h = host(echo)
    const { output } = await runNode(executeWorkflow, { params: { workflowId: 'w' }, items: [{ n: 1 }, { n: 2 }], services: { executeWorkflow: h.executeWorkflow } })
    expect(output.main).toEqual([{ n: 1, by: 'child-0' }, { n: 2, by: 'child-0' }])
    expect(h.calls).toEqual([expect.objectContaining({ workflowId: 'w', version: 'published', wait: true, items: [{ n: 1 }, { n: 2 }], parentExecutionId: 'exec-1', parentNodeId: 'node-1', tenantId: 'tenant-1' })])
  })

  it('each item: one child run per item in order, outputs concatenated; the workflow may differ per item', async () => {
    const h = host(echo)
    const { output } = await runNode(executeWorkflow, {
      params: { workflowId: 'w', runFor: 'eachItem', version: 'current' },
      paramsFor: (item) => ({ workflowId: String(item.wf), runFor: 'eachItem', version: 'current' }),
      items: [{ wf: 'a' }, { wf: 'b' }, { wf: 'a' }],
      services: { executeWorkflow: h.executeWorkflow },
    })
    expect(output.main).toEqual([{ wf: 'a', by: 'child-0' }, { wf: 'b', by: 'child-1' }, { wf: 'a', by: 'child-2' }])
    expect(h.calls.map((c) => [c.workflowId, c.version, c.items.length])).toEqual([['a', 'current', 1], ['b', 'current', 1], ['a', 'current', 1]])
  })

  it('fire and forget: the input items go on, each with the child run it started', async () => {
    const h = host((_req, i) => ({ executionId: `child-${i}` }))
    const all = await runNode(executeWorkflow, { params: { workflowId: 'w', mode: 'fireAndForget' }, items: [{ n: 1 }, { n: 2 }], services: { executeWorkflow: h.executeWorkflow } })
    expect(all.output.main).toEqual([{ n: 1, subExecutionId: 'child-0' }, { n: 2, subExecutionId: 'child-0' }])
    const each = await runNode(executeWorkflow, { params: { workflowId: 'w', mode: 'fireAndForget', runFor: 'eachItem' }, items: [{ n: 1 }, { n: 2 }], services: { executeWorkflow: h.executeWorkflow } })
    expect(each.output.main).toEqual([{ n: 1, subExecutionId: 'child-1' }, { n: 2, subExecutionId: 'child-2' }])
    expect(h.calls.every((c) => c.wait === false)).toBe(true)
  })

  it('no input items: no child run; a child\'s error is the step\'s', async () => {
    const h = host(echo)
    expect((await runNode(executeWorkflow, { params: { workflowId: 'w' }, items: [], services: { executeWorkflow: h.executeWorkflow } })).output).toEqual({ main: [] })
    expect(h.calls).toHaveLength(0)
    const failing = async () => {
      throw new Error('Sub-workflow "w" failed: boom')
    }
    await expect(runNode(executeWorkflow, { params: { workflowId: 'w' }, items: [{}], services: { executeWorkflow: failing } })).rejects.toThrow('boom')
  })
})

describe('Error Trigger and workflow settings', () => {
  it('the Error Trigger outputs the item the host built', async () => {
    const item = { execution: { id: 'e' }, workflow: { id: 'w', name: 'W' }, node: null }
    expect((await runNode(errorTrigger, { items: [item] })).output).toEqual({ main: [item] })
  })

  it.each<[unknown, boolean]>([
    [{ errorWorkflowId: 'wf_1' }, true],
    [{ errorWorkflowId: null }, true],
    [{}, true],
    [{ errorWorkflowId: '' }, false],
    [{ errorWorkflowId: 7 }, false],
    [{ maxRetries: 3 }, false],
  ])('settings %j valid: %s', (settings, valid) => {
    expect(workflowSettingsBody.safeParse(settings).success).toBe(valid)
    expect(updateWorkflowBody.safeParse({ baseVersion: 1, settings }).success).toBe(valid)
  })
})
