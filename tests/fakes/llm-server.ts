// A local server speaking the OpenAI chat-completions (+ files and fine-tuning jobs) and Anthropic messages wire
// formats, JSON and SSE streaming. Scriptable per model: answer text, JSON, tool calls, custom usage numbers,
// or fail with a status (500, 429…) or hang. Tests and the benchmark point real SDKs at it through their base URL.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type FakeStep =
  | { text?: string; json?: unknown; toolCalls?: { name: string; arguments: unknown }[]; usage?: { input: number; output: number }; delayMs?: number }
  | { status: number; message?: string }
  | { hang: true }

export interface SeenRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: any
}

export interface FakeLlm {
  url: string
  /** OpenAI-style base URL (`${url}/v1`), also what the AI SDK's Anthropic provider wants. */
  v1: string
  seen: SeenRequest[]
  /** Queue answers for a model ('*' = any model); each request consumes one, then the default answer applies. */
  script(model: string, ...steps: FakeStep[]): void
  setDefault(step: FakeStep): void
  /** Set the status fine-tuning jobs report on GET (default "succeeded"). */
  fineTuneStatus: string
  close(): Promise<void>
}

const isFailure = (s: FakeStep): s is { status: number; message?: string } => 'status' in s
const isHang = (s: FakeStep): s is { hang: true } => 'hang' in s

export async function startFakeLlm(defaultReply = 'Hello from fake'): Promise<FakeLlm> {
  const seen: SeenRequest[] = []
  const queues = new Map<string, FakeStep[]>()
  let fallback: FakeStep = { text: defaultReply }
  const sockets = new Set<Socket>()
  const jobs = new Map<string, { model: string; file: string }>()
  const state = { fineTuneStatus: 'succeeded' }

  const nextStep = (model: string): FakeStep => queues.get(model)?.shift() ?? queues.get('*')?.shift() ?? fallback

  const server = http.createServer(async (req, res) => {
    let raw = ''
    for await (const c of req) raw += c
    const isJson = (req.headers['content-type'] ?? '').includes('json')
    const body = raw && isJson ? JSON.parse(raw) : raw
    const path = (req.url ?? '').split('?')[0]
    seen.push({ method: req.method ?? '', path, headers: req.headers, body })
    const json = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(data))
    }
    try {
      // A key starting with "sk-revoked" is refused the way each API refuses a bad key.
      const key = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '').replace(/^Bearer /, '')
      if (key.startsWith('sk-revoked')) {
        return req.headers['anthropic-version']
          ? json(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })
          : json(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } })
      }
      if (req.method === 'GET' && path === '/v1/models') {
        return req.headers['anthropic-version']
          ? json(200, { data: [{ type: 'model', id: 'claude-fake', display_name: 'claude-fake', created_at: '2026-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-fake', last_id: 'claude-fake' })
          : json(200, { object: 'list', data: [{ id: 'gpt-fake', object: 'model', created: 1700000000, owned_by: 'fake' }] })
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') return await openaiChat(body, nextStep(body.model), res)
      if (req.method === 'POST' && path === '/v1/messages') return await anthropicMessages(body, nextStep(body.model), res)
      if (req.method === 'POST' && path === '/v1/files') return json(200, { id: `file-${seen.length}`, object: 'file', bytes: raw.length, created_at: 1700000000, filename: 'train.jsonl', purpose: 'fine-tune', status: 'processed' })
      if (req.method === 'POST' && path === '/v1/fine_tuning/jobs') {
        const id = `ftjob-${jobs.size + 1}`
        jobs.set(id, { model: body.model, file: body.training_file })
        return json(200, fineTuneJob(id, body.model, body.training_file, 'queued'))
      }
      // Model look-ups (connection checks): ids starting with "missing" do not exist. The Anthropic SDK sends
      // anthropic-version and expects its own shape.
      const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path)
      if (req.method === 'GET' && modelMatch) {
        const id = decodeURIComponent(modelMatch[1])
        const anthropic = Boolean(req.headers['anthropic-version'])
        if (id.startsWith('missing')) {
          return anthropic
            ? json(404, { type: 'error', error: { type: 'not_found_error', message: `model: ${id}` } })
            : json(404, { error: { message: `The model '${id}' does not exist`, type: 'invalid_request_error', code: 'model_not_found' } })
        }
        return json(200, anthropic ? { type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' } : { id, object: 'model', created: 1700000000, owned_by: 'fake' })
      }
      const jobMatch = /^\/v1\/fine_tuning\/jobs\/([^/]+)$/.exec(path)
      if (req.method === 'GET' && jobMatch && jobs.has(jobMatch[1])) {
        const job = jobs.get(jobMatch[1])!
        return json(200, fineTuneJob(jobMatch[1], job.model, job.file, state.fineTuneStatus))
      }
      json(404, { error: { message: `fake: no route ${req.method} ${path}`, type: 'invalid_request_error' } })
    } catch (err) {
      json(500, { error: { message: String(err), type: 'server_error' } })
    }
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    v1: `${url}/v1`,
    seen,
    script(model, ...steps) {
      queues.set(model, [...(queues.get(model) ?? []), ...steps])
    },
    setDefault(step) {
      fallback = step
    },
    get fineTuneStatus() {
      return state.fineTuneStatus
    },
    set fineTuneStatus(v: string) {
      state.fineTuneStatus = v
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

function fineTuneJob(id: string, model: string, file: string, status: string) {
  return {
    id, object: 'fine_tuning.job', model, training_file: file, status, created_at: 1700000000, finished_at: status === 'succeeded' ? 1700000100 : null,
    fine_tuned_model: status === 'succeeded' ? `ft:${model}:auterity:${id}` : null, organization_id: 'org-fake', result_files: [], validation_file: null,
    hyperparameters: { n_epochs: 'auto' }, trained_tokens: status === 'succeeded' ? 1000 : null, error: null, seed: 1, estimated_finish: null, integrations: null,
  }
}

/** Resolves when the step's failure / hang has been handled; returns true if the request was answered that way. */
async function failOrHang(step: FakeStep, res: http.ServerResponse, kind: 'openai' | 'anthropic'): Promise<boolean> {
  if (isHang(step)) return true // never answer; close() destroys the socket
  if (isFailure(step)) {
    const message = step.message ?? `fake failure ${step.status}`
    const err = kind === 'openai' ? { error: { message, type: step.status === 429 ? 'rate_limit_error' : 'server_error' } } : { type: 'error', error: { type: step.status === 429 ? 'rate_limit_error' : 'api_error', message } }
    res.writeHead(step.status, { 'content-type': 'application/json', ...(step.status === 429 ? { 'retry-after': '0' } : {}) })
    res.end(JSON.stringify(err))
    return true
  }
  if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs))
  return false
}

type OkStep = Exclude<FakeStep, { status: number } | { hang: true }>

function content(step: OkStep): string {
  return step.json !== undefined ? JSON.stringify(step.json) : (step.text ?? '')
}

function pieces(text: string): string[] {
  return text.split(/(?<= )/).filter(Boolean)
}

function usageOf(step: OkStep, text: string) {
  return step.usage ?? { input: 5, output: Math.max(1, pieces(text).length) }
}

const sseWriter = (res: http.ServerResponse) => (event: string | null, data: unknown) =>
  res.write((event ? `event: ${event}\n` : '') + `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)

async function openaiChat(body: any, step: FakeStep, res: http.ServerResponse) {
  if (await failOrHang(step, res, 'openai')) return
  const ok = step as OkStep
  const text = content(ok)
  const usage = usageOf(ok, text)
  const toolCalls = (ok.toolCalls ?? []).map((t, i) => ({ id: `call_${i + 1}`, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.arguments) } }))
  const finish = toolCalls.length ? 'tool_calls' : 'stop'
  const base = { id: 'chatcmpl-fake', created: 1700000000, model: body.model }
  const usageWire = { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output }
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    const message = { role: 'assistant', content: toolCalls.length && !text ? null : text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) }
    return res.end(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage: usageWire }))
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const sse = sseWriter(res)
  const chunk = (delta: unknown, finish_reason: string | null = null) => ({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason }] })
  sse(null, chunk({ role: 'assistant', content: '' }))
  for (const p of pieces(text)) sse(null, chunk({ content: p }))
  toolCalls.forEach((t, index) => sse(null, chunk({ tool_calls: [{ index, ...t }] })))
  sse(null, chunk({}, finish))
  sse(null, { ...base, object: 'chat.completion.chunk', choices: [], usage: usageWire })
  sse(null, '[DONE]')
  res.end()
}

async function anthropicMessages(body: any, step: FakeStep, res: http.ServerResponse) {
  if (await failOrHang(step, res, 'anthropic')) return
  const ok = step as OkStep
  const text = content(ok)
  const usage = usageOf(ok, text)
  const toolUses = (ok.toolCalls ?? []).map((t, i) => ({ type: 'tool_use', id: `toolu_${i + 1}`, name: t.name, input: t.arguments }))
  const stop = toolUses.length ? 'tool_use' : 'end_turn'
  const msg = { id: 'msg_fake', type: 'message', role: 'assistant', model: body.model, stop_sequence: null }
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    const blocks = [...(text ? [{ type: 'text', text }] : []), ...toolUses]
    return res.end(JSON.stringify({ ...msg, content: blocks, stop_reason: stop, usage: { input_tokens: usage.input, output_tokens: usage.output } }))
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const sse = sseWriter(res)
  sse('message_start', { type: 'message_start', message: { ...msg, content: [], stop_reason: null, usage: { input_tokens: usage.input, output_tokens: 1 } } })
  let index = 0
  if (text) {
    sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } })
    for (const p of pieces(text)) sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } })
    sse('content_block_stop', { type: 'content_block_stop', index })
    index++
  }
  for (const t of toolUses) {
    sse('content_block_start', { type: 'content_block_start', index, content_block: { ...t, input: {} } })
    sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(t.input) } })
    sse('content_block_stop', { type: 'content_block_stop', index })
    index++
  }
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } })
  sse('message_stop', { type: 'message_stop' })
  res.end()
}
