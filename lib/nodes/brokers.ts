// What the message-broker nodes (RabbitMQ, NATS, MQTT) share: the credential check, connection errors that name
// the broker's host:port and the credential, and message bodies (an item's content out, a message's content in).
// Server-only (used by executors and the worker's broker consumers).
import { NodeError } from '../engine/types'
export { readCredential } from './server-credential'

export interface BrokerTarget {
  label: string
  host: string
  port: number
  credentialId: string
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'CONNECTION_REFUSED'])

/**
 * A connection-level failure as a step error: a refused login is the user's to fix (not retryable, naming the
 * credential); anything else (refused, reset, timed out) may pass, so it is retryable and names host:port.
 */
export function brokerConnectionError(err: unknown, target: BrokerTarget, code: string, isAuth: (message: string) => boolean): NodeError {
  if (err instanceof NodeError) return err
  const e = err as { code?: string; message?: string }
  const message = e.message ?? String(err)
  const where = `${target.host}:${target.port}`
  if (isAuth(message)) {
    return new NodeError(`${target.label} at ${where} refused the login of credential "${target.credentialId}": ${message}`, {
      code: `${code}_AUTH_FAILED`,
      field: 'credential',
      retryable: false,
    })
  }
  const reason = e.code && NETWORK_CODES.has(e.code) ? `${e.code}${message && !message.includes(e.code) ? ` (${message})` : ''}` : message
  return new NodeError(`Could not talk to ${target.label} at ${where}: ${reason}`, {
    code: `${code}_CONNECTION_FAILED`,
    retryable: true,
    details: { host: target.host, port: target.port },
    cause: err,
  })
}

/** A message's body from an item: the whole item (or one field of it) as JSON, or a field as text. */
export function messageBody(item: Record<string, unknown>, p: { contentMode: 'json' | 'text'; contentField: string }, index: number): Buffer {
  const value = p.contentField ? readField(item, p.contentField) : item
  if (p.contentMode === 'json') return Buffer.from(JSON.stringify(value ?? null))
  if (value === undefined || value === null) {
    throw new NodeError(`Item ${index}: the field "${p.contentField || '(item)'}" is empty: nothing to send as text`, { code: 'MISSING_VALUE', field: 'contentField', details: { item: index } })
  }
  return Buffer.from(typeof value === 'object' ? JSON.stringify(value) : String(value))
}

function readField(item: Record<string, unknown>, path: string): unknown {
  let at: unknown = item
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}

export type ContentParse = 'json' | 'text' | 'auto'

/**
 * A received message's body: `json` requires JSON (a body that is not is a poisoned message: BROKER_BAD_CONTENT),
 * `text` keeps it as text, `auto` parses it when it is JSON and keeps it as text otherwise.
 */
export function parseMessageBody(body: Uint8Array, mode: ContentParse): unknown {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  if (mode === 'text') return text
  try {
    return JSON.parse(text)
  } catch (err) {
    if (mode === 'auto') return text
    throw new NodeError(`The message is not JSON (${(err as Error).message}); set the content to "text" or "auto" to take it as it is`, {
      code: 'BROKER_BAD_CONTENT',
      field: 'content',
      retryable: false,
    })
  }
}
