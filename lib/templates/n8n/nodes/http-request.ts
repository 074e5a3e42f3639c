// HTTP Request v1–v2 (`requestMethod`, `*ParametersUi` / `*ParametersJson`, `options.bodyContentType`) and v3–v4.x
// (`method`, `send*` / `specify*`, `*Parameters.parameters[]`, `json*`, `options.{redirect,response,batching}`)
// → http-request. Credentials are not carried over: the report asks for one.
import type { KeyValue } from '../../../nodes/params'
import { isRecord, type NodeContext, type NodeMapper } from '../context'

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])
const BODY_TYPES: Record<string, string> = { json: 'json', 'form-urlencoded': 'form', 'multipart-form-data': 'multipart', raw: 'raw', binaryData: 'file' }

function pairs(ctx: NodeContext, path: string): KeyValue[] {
  return ctx.list(path).map(({ path: p }) => {
    ctx.raw(p)
    return { name: ctx.text(`${p}.name`, ''), value: ctx.text(`${p}.value`, '') }
  })
}

/** A JSON text of name → value pairs (v1 `*ParametersJson`, v3 `jsonQuery` / `jsonHeaders`). */
function jsonPairs(ctx: NodeContext, path: string): KeyValue[] {
  const raw = ctx.raw(path)
  if (raw === undefined || raw === '') return []
  try {
    const parsed: unknown = typeof raw === 'string' && !raw.startsWith('=') ? JSON.parse(raw) : raw
    if (isRecord(parsed)) return Object.entries(parsed).map(([name, v]) => ({ name, value: String(ctx.convert(typeof v === 'string' ? v : JSON.stringify(v), `parameters.${path}.${name}`)) }))
  } catch {
    // reported below
  }
  ctx.unmapped(path, 'name/value pairs built by an expression have no equivalent here: list them one by one', raw)
  return []
}

/** A number option kept within our limits; a value outside them is reported. */
function bounded(ctx: NodeContext, path: string, min: number, max: number): number | undefined {
  const v = ctx.raw(path)
  if (typeof v !== 'number') return undefined
  const kept = Math.min(max, Math.max(min, v))
  if (kept !== v) ctx.unmapped(path, `${v} is outside what is allowed here (${min}–${max}): ${kept} is used`)
  return kept
}

function method(ctx: NodeContext, path: string): string {
  const m = String(ctx.raw(path) ?? 'GET').toUpperCase()
  if (METHODS.has(m)) return m
  ctx.unmapped(path, `method ${m} has no equivalent here; GET is used`)
  return 'GET'
}

function v1(ctx: NodeContext): Record<string, unknown> {
  const json = ctx.raw('jsonParameters') === true
  const list = (name: string) => (json ? jsonPairs(ctx, `${name}ParametersJson`) : pairs(ctx, `${name}ParametersUi.parameter`))
  const bodyType = BODY_TYPES[String(ctx.raw('options.bodyContentType') ?? 'json')] ?? 'json'
  const params: Record<string, unknown> = { method: method(ctx, 'requestMethod'), url: ctx.text('url'), headers: list('header'), query: list('query') }
  if (json && ctx.has('bodyParametersJson')) Object.assign(params, { bodyType: 'json', jsonBody: ctx.value('bodyParametersJson') })
  else if (!json && ctx.list('bodyParametersUi.parameter').length > 0) {
    const body = pairs(ctx, 'bodyParametersUi.parameter')
    if (bodyType === 'json') Object.assign(params, { bodyType: 'json', jsonBody: Object.fromEntries(body.map((p) => [p.name, p.value])) })
    else Object.assign(params, { bodyType: bodyType === 'multipart' ? 'multipart' : 'form', formBody: body })
  }
  const format = ctx.raw('responseFormat') ?? 'json'
  params.responseFormat = format === 'string' ? 'text' : format === 'file' ? 'file' : 'json'
  if (ctx.raw('options.ignoreResponseCode') === true) params.failOnHttpError = false
  if (ctx.has('options.followRedirect')) params.followRedirects = ctx.raw('options.followRedirect') !== false
  return params
}

function v3Body(ctx: NodeContext, params: Record<string, unknown>): void {
  if (ctx.raw('sendBody') !== true) return
  const contentType = String(ctx.raw('contentType') ?? 'json')
  const bodyType = BODY_TYPES[contentType]
  if (!bodyType) return void ctx.unmapped('contentType', `content type ${contentType} has no equivalent here; no body is sent`)
  params.bodyType = bodyType
  if (bodyType === 'raw') Object.assign(params, { rawBody: ctx.text('body'), contentType: ctx.text('rawContentType', 'text/plain') })
  else if (bodyType === 'file') params.fileField = ctx.text('inputDataFieldName', 'data')
  else if (bodyType === 'json' && ctx.raw('specifyBody') === 'json') params.jsonBody = ctx.value('jsonBody', '')
  else {
    const fileParts: { name: string; field: string }[] = []
    const form: KeyValue[] = []
    for (const { item, path } of ctx.list('bodyParameters.parameters')) {
      ctx.raw(path)
      if (item.parameterType === 'formBinaryData') fileParts.push({ name: ctx.text(`${path}.name`), field: ctx.text(`${path}.inputDataFieldName`, 'data') })
      else form.push({ name: ctx.text(`${path}.name`), value: ctx.text(`${path}.value`) })
    }
    if (bodyType === 'json') params.jsonBody = Object.fromEntries(form.map((p) => [p.name, p.value]))
    else Object.assign(params, { formBody: form, ...(fileParts.length ? { fileParts } : {}) })
  }
}

function v3(ctx: NodeContext): Record<string, unknown> {
  const params: Record<string, unknown> = { method: method(ctx, 'method'), url: ctx.text('url') }
  for (const [name, send, specify, list, json] of [
    ['query', 'sendQuery', 'specifyQuery', 'queryParameters.parameters', 'jsonQuery'],
    ['headers', 'sendHeaders', 'specifyHeaders', 'headerParameters.parameters', 'jsonHeaders'],
  ] as const) {
    if (ctx.raw(send) === true) params[name] = ctx.raw(specify) === 'json' ? jsonPairs(ctx, json) : pairs(ctx, list)
  }
  v3Body(ctx, params)
  if (ctx.raw('options.redirect.redirect.followRedirects') === false) params.followRedirects = false
  const maxRedirects = bounded(ctx, 'options.redirect.redirect.maxRedirects', 1, 20)
  if (maxRedirects !== undefined) params.maxRedirects = maxRedirects
  const format = ctx.raw('options.response.response.responseFormat')
  if (format !== undefined) params.responseFormat = ({ json: 'json', text: 'text', file: 'file' } as Record<string, string>)[String(format)] ?? 'auto'
  if (ctx.raw('options.response.response.neverError') === true) params.failOnHttpError = false
  const batchSize = ctx.raw('options.batching.batch.batchSize')
  if (typeof batchSize === 'number' && batchSize > 0) params.batchSize = batchSize
  const batchInterval = ctx.raw('options.batching.batch.batchInterval')
  if (typeof batchInterval === 'number') params.batchIntervalMs = batchInterval
  return params
}

export const httpRequestMapper: NodeMapper = (ctx) => {
  const auth = ctx.raw('authentication') ?? 'none'
  if (auth !== 'none') {
    ctx.unmapped('authentication', 'credentials are not imported: pick one of ours (API key, bearer, basic auth or custom headers) on the node', auth)
    ctx.raw('genericAuthType')
    ctx.raw('nodeCredentialType')
  }
  const params = ctx.version < 3 ? v1(ctx) : v3(ctx)
  const timeout = bounded(ctx, 'options.timeout', 100, 300_000)
  if (timeout !== undefined) params.timeoutMs = timeout
  return { type: 'http-request', params }
}
