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
