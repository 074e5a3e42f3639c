// The agent loop. Tools are node types (run in-process with the model's arguments as params), sub-workflows
// (through the host's `services.runWorkflow`) or collections to search (./retrieval-tool.ts). Tool failures go back
// to the model as an error result, not a failed step; every tool call is emitted as an `agent.tool` progress event
// and listed in the output `steps`.
import { ZodError } from 'zod'
import { NodeError, type ExecuteContext, type Item } from '../../engine/types'
import type { Executor } from '../define'
import type { HostServices } from '../host-services'
import { historyMessages, routedChat, usageSummary } from '../../ai/node-support'
import { picoToUsd, usdToPico } from '../../ai/pricing'
import type { ChatMessage, ToolCall } from '../../ai/types'
import { AGENT_TOOL_EVENT, type AgentParams, type AgentTool } from './definition'
import { searchTool, toolSpec } from './retrieval-tool'

const MAX_RESULT_CHARS = 20_000

async function runTool(ctx: ExecuteContext<AgentParams, HostServices>, tool: AgentTool, args: unknown): Promise<unknown> {
  const input = (args && typeof args === 'object' ? args : {}) as Item
  if (tool.kind === 'retrieval') return searchTool(ctx, tool, input)
  if (tool.kind === 'workflow') {
    if (!tool.workflowId) throw new Error(`tool ${tool.name} has no workflowId`)
    return ctx.services.runWorkflow(tool.workflowId, [input], { tenantId: ctx.tenantId, signal: ctx.signal, parentExecutionId: ctx.executionId })
  }
  const { nodeRegistry } = await import('../registry')
  const def = tool.nodeType ? nodeRegistry.get(tool.nodeType) : undefined
  if (!def || def.trigger || def.type === 'agent') throw new Error(`node type "${tool.nodeType}" cannot be used as a tool`)
  const params = def.params.parse({ ...tool.params, ...input })
  const { execute } = await def.load()
  const output = await execute({
    ...ctx,
    node: { id: `${ctx.node.id}/${tool.name}`, name: tool.name, type: def.type },
    params,
    paramsFor: async () => params,
    items: [input],
    inputs: { main: [input] },
    credential: ctx.credential,
  })
  return output.main ?? Object.values(output)[0] ?? []
}

function describeError(err: unknown): string {
  if (err instanceof ZodError) return err.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ')
  return err instanceof Error ? err.message : String(err)
}

export const execute: Executor<AgentParams, 'ai' | 'aiMemory' | 'runWorkflow' | 'executeWorkflow' | 'dedupeHistory' | 'files' | 'network' | 'events' | 'messaging' | 'browser' | 'vectors'> = async (ctx) => {
  const out: Item[] = []
  const count = Math.max(1, ctx.items.length)
  for (let i = 0; i < count; i++) {
    const p = ctx.items.length ? await ctx.paramsFor(i) : ctx.params
    const byName = new Map(p.tools.map((t) => [t.name, t]))
    if (byName.size !== p.tools.length) throw new NodeError('Tool names must be unique', { code: 'INVALID_PARAM', field: 'tools' })
    const messages: ChatMessage[] = [{ role: 'system', content: p.systemMessage }, ...historyMessages(p.history, 'history'), { role: 'user', content: p.userMessage }]
    const tools = p.tools.map(toolSpec)
    const steps: Item[] = []
    let cost = 0n
    let modelCalls = 0
    let answer: string | undefined
    let last
    for (let step = 0; step < p.maxSteps && answer === undefined; step++) {
      const finalTurn = step === p.maxSteps - 1
      last = await routedChat(ctx, { target: p.model, messages, tools: tools.length ? tools : undefined, toolChoice: tools.length && finalTurn ? 'none' : undefined, maxTokens: p.maxTokens })
      cost += usdToPico(last.costUsd)
      modelCalls++
      if (!last.toolCalls.length) {
        answer = last.text
        break
      }
      messages.push({ role: 'assistant', content: last.text || null, toolCalls: last.toolCalls })
      for (const call of last.toolCalls) messages.push({ role: 'tool', toolCallId: call.id, content: await callTool(ctx, byName, call, steps, step) })
    }
    out.push({
      ...(ctx.items[i] ?? {}),
      [p.outputField]: answer ?? last?.text ?? '',
      finished: answer !== undefined,
      steps,
      ai: { ...usageSummary(last!), costUsd: picoToUsd(cost), modelCalls },
    })
  }
  return { main: out }
}

async function callTool(ctx: ExecuteContext<AgentParams, HostServices>, byName: Map<string, AgentTool>, call: ToolCall, steps: Item[], step: number): Promise<string> {
  const tool = byName.get(call.name)
  const started = Date.now()
  let result: unknown
  let error: string | undefined
  try {
    if (!tool) throw new Error(`unknown tool ${call.name}`)
    result = await runTool(ctx, tool, call.arguments)
  } catch (err) {
    if (ctx.signal.aborted) throw err
    error = describeError(err)
  }
  const record = { step, tool: call.name, arguments: call.arguments as Item['arguments'], ...(error ? { error } : { result }), durationMs: Date.now() - started }
  steps.push(record)
  ctx.emit(AGENT_TOOL_EVENT, record)
  const text = JSON.stringify(error ? { error } : result) ?? 'null'
  return text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}… (truncated)` : text
}
