// The one wrapper around every route handler: typed errors become JSON answers, zod errors name the field, an
// unreachable PostgreSQL or Redis is a 503 naming it, anything unexpected is logged and answered as a 500 without
// internals. Path parameters, query strings and JSON bodies are checked here (NUL, nesting, size) for every route,
// and every answer's time is observed for the metrics (by route pattern, method and status class).
import { ZodError, type ZodType } from 'zod'
import { env } from '../env'
import { AppError, ServiceUnavailableError, TooManyRequestsError, ValidationError } from '../errors'
import { assertJsonContentType, NUL_MESSAGE, parseJsonText, readBodyText } from './body'
import { isUnstorableText, unavailableDependency } from './unavailable'
import { log } from '../log'
import { routePattern } from '../metrics/labels'
import { webMetrics } from '../metrics/web'
import { tracingOn } from '../telemetry/spans'
import { traceRequest } from '../telemetry/http-server'

const logger = log.child({ component: 'route' })

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_S = '5'

export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) err = zodToValidationError(err)
  if (!(err instanceof AppError)) {
    const down = unavailableDependency(err)
    if (down) err = new ServiceUnavailableError(down)
    else if (isUnstorableText(err)) err = new ValidationError(`Text ${NUL_MESSAGE}`, { '(body)': NUL_MESSAGE })
  }
  if (err instanceof AppError) {
    const body: Record<string, unknown> = { code: err.code, message: err.message }
    if (err.fields) body.fields = err.fields
    if (err.details !== undefined) body.details = err.details
    const headers: Record<string, string> = err.status === 503 ? { 'retry-after': RETRY_AFTER_S } : {}
    if (err instanceof TooManyRequestsError) headers['retry-after'] = String(err.retryAfterS)
    return Response.json({ error: body }, { status: err.status, headers })
  }
  logger.error({ err }, 'unexpected error in a route handler')
  return Response.json({ error: { code: 'INTERNAL', message: 'Internal error' } }, { status: 500 })
}

export function zodToValidationError(err: ZodError, prefix = ''): ValidationError {
  const fields: Record<string, string> = {}
  for (const issue of err.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(body)'
    fields[key] ??= issue.message
  }
  const first = Object.entries(fields)[0]
  return new ValidationError(first ? `${first[0]}: ${first[1]}` : 'Invalid input', fields)
}

type Handler<C> = (req: Request, ctx: C) => Promise<Response> | Response

export interface RouteOptions {
  /** The webhook entries (lib/http/webhook-route.ts) count as webhook calls of this kind, not as API requests. */
  webhook?: 'production' | 'test'
}

export function route<C = { params: Promise<Record<string, string>> }>(handler: Handler<C>, opts: RouteOptions = {}): Handler<C> {
  const handle = async (req: Request, ctx: C): Promise<Response> => {
    const started = performance.now()
    let res: Response
    try {
      await checkPathParams(ctx)
      res = await handler(req, ctx)
    } catch (err) {
      res = errorResponse(err)
    }
    await observe(req, ctx, res.status, (performance.now() - started) / 1000, opts)
    return res
  }
  return async (req, ctx) => {
    if (!tracingOn()) return handle(req, ctx)
    // A span per request when this process exports traces; runs it enqueues continue its trace (lib/telemetry).
    const params = await (ctx as { params?: Promise<Record<string, string | string[]>> } | undefined)?.params?.catch(() => undefined)
    return (await traceRequest(req, params, () => handle(req, ctx))) as Response
  }
}

/** Time to the answer (a streamed body goes on after it). The route's pattern, never its path: ids are not labels. */
async function observe(req: Request, ctx: unknown, status: number, seconds: number, opts: RouteOptions): Promise<void> {
  const metrics = webMetrics()
  if (opts.webhook) return metrics.webhookRequest(opts.webhook, req.method, status, seconds)
  const params = await Promise.resolve((ctx as { params?: Promise<Record<string, string | string[]>> } | undefined)?.params).catch(() => undefined)
  metrics.httpRequest(routePattern(new URL(req.url).pathname, params), req.method, status, seconds)
}

/** Next decodes %00 into the params: refuse it before a handler looks a row up by it (PostgreSQL would throw). */
async function checkPathParams(ctx: unknown): Promise<void> {
  const params = await (ctx as { params?: Promise<Record<string, string | string[]>> } | undefined)?.params
  for (const [name, value] of Object.entries(params ?? {})) {
    if ([value].flat().some((v) => v.includes('\u0000'))) throw new ValidationError(`${name}: ${NUL_MESSAGE}`, { [name]: NUL_MESSAGE })
  }
}

export interface JsonBodyOptions {
  /** 'large' for the endpoints that carry a whole graph or run input (AUTERITY_API_LARGE_BODY_LIMIT). */
  size?: 'default' | 'large'
}

/**
 * Parse a JSON body against a schema. A non-empty body must say it is JSON (a cross-site form or text/plain post
 * is a "simple" request no preflight stops); over the size limit is a 413 without reading the rest; malformed,
 * too deep, NUL-carrying or schema-failing input is a 400 naming the field.
 */
export async function parseJson<T>(req: Request, schema: ZodType<T>, opts: JsonBodyOptions = {}): Promise<T> {
  const limits = env().api
  const text = await readBodyText(req, opts.size === 'large' ? limits.largeBodyLimitBytes : limits.bodyLimitBytes)
  if (text) assertJsonContentType(req)
  const parsed = schema.safeParse(parseJsonText(text))
  if (!parsed.success) throw zodToValidationError(parsed.error)
  return parsed.data
}

export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  const params = Object.fromEntries(new URL(req.url).searchParams)
  for (const [name, value] of Object.entries(params)) {
    if (`${name}${value}`.includes('\u0000')) throw new ValidationError(`${name}: ${NUL_MESSAGE}`, { [name]: NUL_MESSAGE })
  }
  const parsed = schema.safeParse(params)
  if (!parsed.success) throw zodToValidationError(parsed.error)
  return parsed.data
}
