// The one wrapper around every route handler: typed errors become JSON answers, zod errors name the field,
// anything unexpected is logged and answered as a 500 without internals.
import { ZodError, type ZodType } from 'zod'
import { AppError, ValidationError } from '../errors'

export function errorResponse(err: unknown): Response {
  if (err instanceof ZodError) err = zodToValidationError(err)
  if (err instanceof AppError) {
    const body: Record<string, unknown> = { code: err.code, message: err.message }
    if (err.fields) body.fields = err.fields
    if (err.details !== undefined) body.details = err.details
    return Response.json({ error: body }, { status: err.status })
  }
  console.error('[route] unexpected error', err)
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

export function route<C = { params: Promise<Record<string, string>> }>(handler: Handler<C>): Handler<C> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx)
    } catch (err) {
      return errorResponse(err)
    }
  }
}

/** Parse a JSON body against a schema; malformed JSON and schema failures become 400s naming the field. */
export async function parseJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  let raw: unknown
  try {
    const text = await req.text()
    raw = text ? JSON.parse(text) : {}
  } catch {
    throw new ValidationError('Body is not valid JSON', { '(body)': 'malformed JSON' })
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw zodToValidationError(parsed.error)
  return parsed.data
}

export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  const params = Object.fromEntries(new URL(req.url).searchParams)
  const parsed = schema.safeParse(params)
  if (!parsed.success) throw zodToValidationError(parsed.error)
  return parsed.data
}
