// Typed application errors. Route handlers throw these; lib/http/route.ts turns them into JSON answers
// of the form { error: { code, message, fields? } }.

export type FieldProblems = Record<string, string>

export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly fields?: FieldProblems
  readonly details?: unknown
  constructor(status: number, code: string, message: string, opts: { fields?: FieldProblems; details?: unknown } = {}) {
    super(message)
    this.name = 'AppError'
    this.status = status
    this.code = code
    this.fields = opts.fields
    this.details = opts.details
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fields?: FieldProblems, details?: unknown) {
    super(400, 'VALIDATION_ERROR', message, { fields, details })
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in or send Authorization: Bearer <api key>') {
    super(401, 'UNAUTHORIZED', message)
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this') {
    super(403, 'FORBIDDEN', message)
  }
}
export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'NOT_FOUND', `${what} not found`)
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super(409, 'CONFLICT', message, { details })
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `Body is larger than the limit of ${limitBytes} bytes`)
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON with Content-Type: application/json')
  }
}
/** A cookie-authenticated mutation that did not come from the studio's own pages (cross-site request forgery). */
export class CrossSiteRequestError extends AppError {
  constructor(message: string) {
    super(403, 'CROSS_SITE_REQUEST', message)
  }
}
/** Too many attempts or requests: 429 with Retry-After (seconds). */
export class TooManyRequestsError extends AppError {
  readonly retryAfterS: number
  constructor(message: string, retryAfterS: number) {
    super(429, 'TOO_MANY_REQUESTS', message, { details: { retryAfterS } })
    this.retryAfterS = Math.max(1, Math.ceil(retryAfterS))
  }
}

export type Dependency = 'postgres' | 'redis'
const DEPENDENCY_NAMES: Record<Dependency, string> = { postgres: 'PostgreSQL', redis: 'Redis' }
/** A dependency the request needs is unreachable or too slow: 503, so clients retry instead of waiting. */
export class ServiceUnavailableError extends AppError {
  readonly dependency: Dependency
  constructor(dependency: Dependency) {
    super(503, 'SERVICE_UNAVAILABLE', `${DEPENDENCY_NAMES[dependency]} is unreachable; try again shortly`, { details: { dependency } })
    this.dependency = dependency
  }
}
