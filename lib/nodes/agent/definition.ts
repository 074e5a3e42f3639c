import { z } from 'zod'
import { labelledEnum } from '../params'
import type { NodeType } from '../define'
import { aiModelParam } from '../llm-chat/definition'
import { filterParam, searchModeParam, topKParam } from '../retrieval/params'

/** Progress event a tool call emits; the worker records each as a step row of its own. */
export const AGENT_TOOL_EVENT = 'agent.tool'

/** What an AGENT_TOOL_EVENT carries. */
export interface AgentToolCall {
  step: number
  tool: string
  arguments?: unknown
  result?: unknown
  error?: string
  durationMs: number
}

export const agentToolSchema = z
  .object({
    name: z.string().trim().regex(/^[A-Za-z_][\w-]{0,63}$/, 'letters, digits, _ and - only').describe('The tool name the model calls (letters, digits, _ and -)'),
    description: z.string().min(1, 'Tell the model when to use this tool').describe('Tells the model what the tool does and when to use it'),
    kind: labelledEnum({ node: 'A node', workflow: 'A workflow', retrieval: 'A collection search' })
      .default('node')
      .describe('node: run a node type with the arguments as params; workflow: run a sub-workflow with the arguments as its input item; retrieval: search a collection for the query the model gives'),
    nodeType: z.string().optional().describe('kind node: the node type, e.g. http-request').meta({ ui: 'nodeType', title: 'Node type' }),
    /** Fixed params merged under the model's arguments. */
    params: z.record(z.string(), z.unknown()).default({}).describe('kind node: fixed params, merged under the arguments the model supplies').meta({ ui: 'json' }),
    workflowId: z.string().optional().describe('kind workflow: the sub-workflow to run').meta({ ui: 'workflow', title: 'Workflow' }),
    /** JSON Schema of the arguments the model must supply. */
    parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }).describe('kind node or workflow: JSON Schema of the arguments the model must supply (a retrieval tool always takes { query })').meta({ ui: 'json' }),
    collection: z.string().trim().max(100).optional().describe('kind retrieval: the collection to search').meta({ ui: 'collection' }),
    mode: searchModeParam().describe('kind retrieval: hybrid (meaning and keywords), vector (meaning) or keyword'),
    topK: topKParam(20, 5).describe('kind retrieval: how many passages the tool returns (1–20)'),
    filter: filterParam().describe('kind retrieval: only documents whose metadata match, e.g. { "lang": "en" }'),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'retrieval' && !t.collection) ctx.addIssue({ code: 'custom', path: ['collection'], message: 'Name the collection this tool searches' })
  })
export type AgentTool = z.infer<typeof agentToolSchema>

export const agentParams = z.object({
  model: aiModelParam(),
  systemMessage: z.string().default('You are a helpful agent. Use the tools when they help; answer concisely.').describe('Instructions for the agent; expressions allowed').meta({ ui: 'textarea' }),
  userMessage: z.string().min(1, 'Write the task').describe('The task, e.g. "Find the order status for {{ $json.email }}"').meta({ ui: 'textarea' }),
  history: z.unknown().optional().describe('Earlier messages, e.g. {{ $json.history }} from Conversation Memory').meta({ ui: 'expression' }),
  tools: z.array(agentToolSchema).max(50).default([]).describe('What the agent may call: node types, saved workflows or collections to search (up to 50)'),
  maxSteps: z.number().int().min(1).max(50).default(6).describe('Model calls at most (each may run several tools)'),
  maxTokens: z.number().int().positive().max(200_000).optional().describe('Upper bound on each answer\'s length (also sizes the budget check)'),
  outputField: z.string().min(1).default('response').describe('Field to write the final answer to'),
})
export type AgentParams = z.infer<typeof agentParams>

export const agent: NodeType<AgentParams, 'ai' | 'aiMemory' | 'runWorkflow' | 'executeWorkflow' | 'dedupeHistory' | 'files' | 'network' | 'events' | 'messaging' | 'browser' | 'vectors'> = {
  type: 'agent',
  version: 1,
  label: 'Agent',
  description: 'A tool-calling loop: the model calls other nodes or sub-workflows as tools until it has an answer.',
  icon: 'Bot',
  category: 'ai',
  docs: {
    description: [
      'A tool-calling loop of at most maxSteps model calls. Tools are node types (the model\'s arguments become the node\'s params), saved workflows, or collections to search; tool errors go back to the model. Every tool call is listed in `steps` and recorded as a step row of its own.',
      '',
      'A **retrieval** tool (`kind` retrieval) searches `collection` (`mode`, `topK`, `filter` as in Search Collection) for the `query` the model asks with: its parameters are always `{ query: string }`. It returns the passages found, `[{ chunkId, documentKey, title, text, score }]`, so the model can quote and cite them (say how in the system message, e.g. "cite the title of each document you use").',
    ].join('\n'),
    examples: [
      {
        title: 'Answer with a lookup tool',
        params: {
          model: 'default',
          userMessage: 'What is the status of order {{ $json.orderId }}?',
          tools: [{ name: 'get_order', description: 'Fetch an order by id', kind: 'node', nodeType: 'http-request', params: { url: 'https://api.example.com/orders/{{ $json.id }}' }, parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }],
        },
        input: [{ orderId: '7' }],
      },
      {
        title: 'Answer from the handbook with a retrieval tool',
        params: {
          model: 'default',
          systemMessage: 'Answer questions about company policy. Search the handbook first and name the documents you used.',
          userMessage: '{{ $json.question }}',
          tools: [{ name: 'search_handbook', description: 'Search the employee handbook; give a short query in plain words', kind: 'retrieval', collection: 'handbook', topK: 4 }],
        },
        input: [{ question: 'Can I carry unused holidays over to next year?' }],
      },
    ],
  },
  params: agentParams,
  inputs: [{ name: 'main' }],
  outputs: [{ name: 'main' }],
  sideEffects: true, // model calls cost tokens (and an agent's tools act)
  // Its tools may be any node type, run with its own services: it needs whatever any of them needs.
  services: ['ai', 'aiMemory', 'runWorkflow', 'executeWorkflow', 'dedupeHistory', 'files', 'network', 'events', 'messaging', 'browser', 'vectors'],
  load: () => import('./execute'),
}
