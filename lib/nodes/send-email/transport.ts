// One SMTP connection per page (a pool of one, closed after the page) to the credential's server, after the host
// passed the outbound network policy; and what nodemailer's errors mean for the step.
import nodemailer, { type Transporter } from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import { NodeError, type CredentialData } from '../../engine/types'
import type { TcpGuard } from '../../net/tcp-guard'
import { readServerCredential, type ServerTarget } from '../server-credential'
import { smtpCredentialSchema } from './credentials'
import { credentialGuard } from '../../credentials/hosts'

const CONNECT_TIMEOUT_MS = 10_000
const SOCKET_TIMEOUT_MS = 60_000
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'ETLS'])

export type SmtpTarget = ServerTarget

export async function openSmtp(cred: CredentialData | undefined, guard: TcpGuard): Promise<{ transport: Transporter; target: SmtpTarget }> {
  const { data: c, target } = readServerCredential(cred, { name: 'smtp', label: 'SMTP', schema: smtpCredentialSchema })
  const address = await credentialGuard(guard, cred).vet(c.host, target.port, 'credential')
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    maxConnections: 1,
    // The vetted address is dialled; the name stays the TLS server name for SNI and the certificate check.
    host: address,
    port: target.port,
    secure: c.security === 'tls',
    requireTLS: c.security === 'starttls',
    ignoreTLS: c.security === 'none',
    tls: { servername: c.host },
    auth: c.user ? { user: c.user, pass: c.password ?? '' } : undefined,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    // A message whose connection closed is tried on one new connection; without a cap the pool redials a server that
    // drops every connection for ever (about six times a second) and the step never ends.
    // (nodemailer reads it; its type definitions do not list it yet.)
    maxRequeues: 1,
  }
  const transport = nodemailer.createTransport(options)
  return { transport, target }
}

/** Login refused: the user's to fix. Connection trouble and 4xx answers: may pass on retry. 5xx: will not. */
export function smtpError(err: unknown, target: SmtpTarget, index: number): NodeError {
  if (err instanceof NodeError) return err
  const e = err as { code?: string; command?: string; responseCode?: number; message?: string }
  const where = `${target.host}:${target.port}`
  const message = e.message ?? String(err)
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return new NodeError(`The SMTP server at ${where} refused the login of credential "${target.credentialId}": ${message}`, { code: 'SMTP_AUTH_FAILED', field: 'credential', retryable: false })
  }
  // No answer at all, or one to the greeting (a server turning connections away: 421 busy, 554 no service).
  const dropped = e.responseCode === undefined && !e.code && /connection was closed|connection closed/i.test(message)
  if (e.command === 'CONN' || dropped || (e.responseCode === undefined && e.code && CONNECTION_CODES.has(e.code))) {
    return new NodeError(`Could not talk to the SMTP server at ${where}: ${message}`, {
      code: 'SMTP_CONNECTION_FAILED',
      retryable: !(e.responseCode !== undefined && e.responseCode >= 500),
      details: { host: target.host, port: target.port, item: index, responseCode: e.responseCode },
    })
  }
  const temporary = e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500
  return new NodeError(`Item ${index}: the SMTP server at ${where} refused the email: ${message}`, {
    code: 'SMTP_REJECTED',
    retryable: temporary,
    details: { item: index, responseCode: e.responseCode },
  })
}
