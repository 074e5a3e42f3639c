// What every provider hook (app/api/hooks/**) does first: rebuild the URL the provider called under the studio's
// public origin (the one it was told: signatures cover it), read the form body within a limit, and find the
// workflow trigger a per-trigger hook URL names. Server only.
import type { PrismaClient } from '../db/generated/client'
import type { CredentialData } from '../engine/types'
import { env } from '../env'
import { AppError, NotFoundError } from '../errors'
import { validTwilioSignature } from './twilio'

/** Providers' webhook bodies are small; anything larger is not theirs. */
export const HOOK_BODY_LIMIT = 256 * 1024

/** The URL as the provider called it: public origin + path + query (what X-Twilio-Signature covers). */
export function publicHookUrl(req: Request, publicUrl = env().publicUrl): string {
  const u = new URL(req.url)
  return `${publicUrl.replace(/\/+$/, '')}${u.pathname}${u.search}`
}

export async function readRawBody(req: Request, limit = HOOK_BODY_LIMIT): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > limit) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes`)
  const text = await req.text()
  if (Buffer.byteLength(text) > limit) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes`)
  return text
}

/** A form-encoded body as Twilio sends it; a repeated key keeps its first value (Twilio repeats none it signs apart). */
export function formParams(raw: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(raw)) if (!(k in out)) out[k] = v
  return out
}

export interface TwilioHookRequest {
  url: string
  params: Record<string, string>
  signature: string | null
}

export async function readTwilioHook(req: Request): Promise<TwilioHookRequest> {
  const raw = await readRawBody(req)
  return { url: publicHookUrl(req), params: formParams(raw), signature: req.headers.get('x-twilio-signature') }
}

export type LoadCredential = (tenantId: string, id: string) => Promise<CredentialData>

/** The auth token of a workspace's Twilio credential; 403 when there is none to check a signature with. */
export async function twilioAuthToken(load: LoadCredential, tenantId: string, credentialId: string | null | undefined): Promise<string> {
  const cred = credentialId ? await load(tenantId, credentialId).catch(() => undefined) : undefined
  const token = cred?.kind === 'twilio' ? cred.data.authToken : undefined
  if (!token) throw new AppError(403, 'BAD_SIGNATURE', 'No Twilio credential to check this request with')
  return token
}

/** 403 unless the request carries Twilio's signature made with this auth token over this URL and body. */
export async function assertTwilioSignature(hook: TwilioHookRequest, authToken: string): Promise<void> {
  if (!(await validTwilioSignature(authToken, hook.signature, hook.url, hook.params))) {
    throw new AppError(403, 'BAD_SIGNATURE', hook.signature ? 'X-Twilio-Signature does not match this request' : 'X-Twilio-Signature is missing')
  }
}

/** The live registration of the trigger node a per-trigger hook URL names, of one of these node types; 404 otherwise. */
export async function findHookRegistration(prisma: PrismaClient, workflowId: string, nodeId: string, nodeTypes: string[]) {
  const reg = await prisma.triggerRegistration.findUnique({ where: { workflowId_nodeId: { workflowId, nodeId } } })
  if (!reg || !nodeTypes.includes(reg.nodeType)) throw new NotFoundError('An active trigger at this URL')
  return reg
}
