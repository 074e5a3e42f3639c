// LangChain nodes with a straightforward equivalent: OpenAI "message a model" → llm-chat, Basic LLM Chain →
// llm-chat, AI Agent → agent. The chat model sub-node (ai_languageModel) is folded into the node: its model name
// becomes our `model`, which must name a deployment or route of our model registry. Tools, memory and output
// parsers are reported, not imported.
import { isRecord, type N8nNode, type NodeContext, type NodeMapper } from '../context'

const FOLDED_MODEL_PARAMS = ['model', 'modelId', 'modelName', 'options.temperature', 'options.maxTokens', 'options.maxTokensToSample'].map((p) => `parameters.${p}`)

/** A chat model sub-node's param that the node it plugs into takes over (its other params stay reported). */
export const isFoldedModelParam = (path: string) => FOLDED_MODEL_PARAMS.some((p) => path === p || path.startsWith(`${p}.`))

function modelName(node: N8nNode): string {
  const raw = node.parameters.model ?? node.parameters.modelId ?? node.parameters.modelName
  const value = isRecord(raw) ? raw.value : raw
  return typeof value === 'string' && value ? value : 'default'
}

/** The connected chat model's name (its sub-node is folded in), and the sampling options it sets. */
function chatModel(ctx: NodeContext): { model: string; temperature?: number; maxTokens?: number } {
  for (const [kind, nodes] of ctx.aiInputs) {
    if (kind === 'ai_languageModel') continue
    for (const n of nodes) ctx.unmappedAt(`connections.${kind}`, `the sub-node "${n.name}" (${n.type}) is not imported: ${kind === 'ai_tool' ? 'add tools on the Agent node' : 'our nodes take memory and output formats as params'}`)
  }
  const node = ctx.aiInputs.get('ai_languageModel')?.[0]
  if (!node) {
    ctx.unmappedAt('connections.ai_languageModel', 'no chat model connected: pick a model deployment on the node')
    return { model: 'default' }
  }
  ctx.folded.add(node.name)
  const model = modelName(node)
  ctx.note(`model "${model}" comes from the sub-node "${node.name}" (${node.type}): name a deployment or route of our model registry`)
  const options = isRecord(node.parameters.options) ? node.parameters.options : {}
  return {
    model,
    ...(typeof options.temperature === 'number' ? { temperature: options.temperature } : {}),
    ...(typeof options.maxTokensToSample === 'number' || typeof options.maxTokens === 'number' ? { maxTokens: Number(options.maxTokensToSample ?? options.maxTokens) } : {}),
  }
}

/** `promptType: auto` reads the chat trigger's `chatInput`; `define` takes `text`. */
function prompt(ctx: NodeContext): string {
  const type = ctx.raw('promptType') ?? (ctx.has('text') ? 'define' : 'auto')
  return type === 'auto' ? '{{ $json.chatInput }}' : ctx.text('text', '') || '{{ $json.chatInput }}'
}

export const openAiMapper: NodeMapper = (ctx) => {
  const resource = String(ctx.raw('resource') ?? 'text')
  const operation = String(ctx.raw('operation') ?? 'message')
  if (resource !== 'text' || operation !== 'message') {
    ctx.unmapped('operation', `OpenAI ${resource} / ${operation} has no equivalent here (ours chats with a model)`)
    return null
  }
  const raw = ctx.raw('modelId')
  const model = String((isRecord(raw) ? raw.value : raw) ?? 'default')
  ctx.note(`model "${model}": name a deployment or route of our model registry`)
  const messages = ctx.list('messages.values').map(({ item, path }) => {
    ctx.raw(path)
    return { role: String(item.role ?? 'user'), content: ctx.text(`${path}.content`, '') }
  })
  const user = messages.filter((m) => m.role !== 'system' && m.role !== 'assistant')
  if (messages.some((m) => m.role === 'assistant')) ctx.unmapped('messages.values', 'assistant messages (a scripted conversation) have no equivalent here: pass them as history')
  ctx.note('the answer is written to the field "response" (n8n: message.content)')
  return {
    type: 'llm-chat',
    params: {
      model,
      systemMessage: messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n'),
      userMessage: user.map((m) => m.content).join('\n\n') || '{{ $json.chatInput }}',
      outputFormat: ctx.raw('jsonOutput') === true ? 'json' : 'text',
      ...(typeof ctx.peek('options.temperature') === 'number' ? { temperature: ctx.raw('options.temperature') } : {}),
      ...(typeof ctx.peek('options.maxTokens') === 'number' ? { maxTokens: ctx.raw('options.maxTokens') } : {}),
    },
  }
}

export const chainLlmMapper: NodeMapper = (ctx) => {
  const system = ctx.list('messages.messageValues').flatMap(({ item, path }) => {
    ctx.raw(path)
    if ((item.type ?? 'SystemMessagePromptTemplate') === 'SystemMessagePromptTemplate') return [ctx.text(`${path}.message`, '')]
    ctx.unmapped(path, 'prompt messages other than system messages have no equivalent here')
    return []
  })
  if (ctx.raw('hasOutputParser') === true) ctx.unmapped('hasOutputParser', 'output parsers have no equivalent here: use outputFormat json with a JSON Schema')
  ctx.note('the answer is written to the field "response" (n8n: text)')
  return { type: 'llm-chat', params: { ...chatModel(ctx), systemMessage: system.join('\n\n'), userMessage: prompt(ctx) } }
}

export const agentMapper: NodeMapper = (ctx) => {
  const { model, maxTokens } = chatModel(ctx)
  const steps = ctx.raw('options.maxIterations')
  if (typeof steps === 'number' && steps > 50) ctx.unmapped('options.maxIterations', `${steps} iterations: an agent makes at most 50 model calls here; 50 is used`)
  const systemMessage = ctx.text('options.systemMessage', '')
  ctx.note('the answer is written to the field "response" (n8n: output)')
  return {
    type: 'agent',
    params: {
      model,
      userMessage: prompt(ctx),
      ...(systemMessage ? { systemMessage } : {}),
      ...(typeof steps === 'number' ? { maxSteps: Math.min(50, Math.max(1, steps)) } : {}),
      ...(maxTokens ? { maxTokens } : {}),
    },
  }
}
