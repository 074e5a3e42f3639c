// The execution detail's links between runs, rendered to markup, and the Execute Workflow node's workflow picker
// field (the `ui: 'workflow'` hint becomes a field of its own kind).
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { StartedBy, StepChildRuns, SubWorkflowRuns } from '@/components/executions/RunLinks'
import { describeParams } from '@/lib/forms/schema'
import { executeWorkflowParams } from '@/lib/nodes/execute-workflow/definition'
import type { ChildExecution } from '@/lib/client/types'

const child = (id: string, nodeId: string | null, mode = 'subworkflow'): ChildExecution => ({
  id, workflowId: 'w', workflowName: `Child ${id}`, status: 'succeeded', mode, nodeId, createdAt: new Date(0).toISOString(),
})

describe('links between runs', () => {
  it('says which run started this one, or nothing for a top-level run', () => {
    expect(renderToStaticMarkup(<StartedBy parent={null} mode="manual" />)).toBe('')
    const html = renderToStaticMarkup(<StartedBy parent={{ id: 'p1', workflowName: 'Orders', nodeId: 'call' }} mode="subworkflow" />)
    expect(html).toContain('href="/executions/p1"')
    expect(html).toContain('Started by')
    expect(renderToStaticMarkup(<StartedBy parent={{ id: 'p1', workflowName: 'Orders', nodeId: 'stop' }} mode="error" />)).toContain('Error workflow of')
  })

  it('lists every child run, and per step only the runs that step started', () => {
    const runs = [child('c1', 'call'), child('c2', 'other'), child('c3', 'call', 'error')]
    const all = renderToStaticMarkup(<SubWorkflowRuns runs={runs} now={0} />)
    expect(all.match(/href="\/executions\/c\d"/g)).toEqual(['href="/executions/c1"', 'href="/executions/c2"', 'href="/executions/c3"'])
    expect(renderToStaticMarkup(<SubWorkflowRuns runs={[]} now={0} />)).toBe('')
    const step = renderToStaticMarkup(<StepChildRuns runs={runs} nodeId="call" now={0} />)
    expect(step.match(/href="\/executions\/c\d"/g)).toEqual(['href="/executions/c1"'])
    expect(renderToStaticMarkup(<StepChildRuns runs={runs} nodeId="none" now={0} />)).toBe('')
  })

  it('renders the workflow id param as a workflow picker', () => {
    const fields = describeParams(z.toJSONSchema(executeWorkflowParams, { io: 'input' }) as never)
    expect(fields.find((f) => f.key === 'workflowId')).toMatchObject({ kind: 'workflow', required: true })
  })
})
