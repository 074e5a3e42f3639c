// The credential of a node that connects to a server (Redis, SMTP): checked against its kind's schema, and the
// host:port it names, which errors quote together with the credential's id. Server-only (used by executors).
import type { z } from 'zod'
import { NodeError, type CredentialData } from '../engine/types'

export interface ServerTarget {
  host: string
  port: number
  /** The credential, named in errors. */
  credentialId: string
}

/** The credential, checked against its kind's schema; errors name the `credential` field. */
export function readCredential<T>(cred: CredentialData | undefined, kind: { name: string; label: string; schema: z.ZodType<T> }): { data: T; id: string } {
  if (!cred) throw new NodeError(`Choose a credential (${kind.label})`, { code: 'CREDENTIAL_MISSING', field: 'credential' })
  if (cred.kind !== kind.name) {
    throw new NodeError(`Credential "${cred.id}" is a ${cred.kind} credential, not a ${kind.label} one`, { code: 'INVALID_CREDENTIAL', field: 'credential' })
  }
  const parsed = kind.schema.safeParse(cred.data)
  if (!parsed.success) {
    throw new NodeError(`Credential "${cred.id}" is not a usable ${kind.label} credential: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, {
      code: 'INVALID_CREDENTIAL',
      field: 'credential',
    })
  }
  return { data: parsed.data, id: cred.id }
}

export function readServerCredential<T extends { host: string; port: string }>(
  cred: CredentialData | undefined,
  kind: { name: string; label: string; schema: z.ZodType<T> },
): { data: T; target: ServerTarget } {
  const { data, id } = readCredential(cred, kind)
  return { data, target: { host: data.host, port: Number(data.port), credentialId: id } }
}
