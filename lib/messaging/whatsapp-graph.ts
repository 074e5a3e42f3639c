// The WhatsApp Cloud API (Meta's Graph API) as the Send node calls it: JSON messages and multipart media uploads to
// {baseUrl}/{version}/{phone-number-id}/…, with the access token as a Bearer token, through the guarded HTTP client
// (ctx.services.http: the outbound policy vets the host). Graph's error bodies become typed NodeErrors: 131047 (the
// 24-hour window closed) as WHATSAPP_WINDOW_CLOSED, 190 as a credential problem, 429/5xx and throttling codes as
// retryable. Server only.
import { NodeError, type CredentialData, type HttpClient } from '../engine/types'
import type { FileRef } from '../files/ref'
import type { RunFiles } from '../files/types'
import { multipartBody, openResponse } from '../nodes/http-request/files'
import { assertCredentialHost } from '../credentials/hosts'

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com'
export const DEFAULT_GRAPH_VERSION = 'v21.0'
/** Graph's "re-engagement message": more than 24 hours since the customer last replied. */
export const GRAPH_REENGAGEMENT = 131047

export interface WhatsAppCredential {
  phoneNumberId: string
  accessToken: string
  appSecret?: string
  verifyToken?: string
  apiVersion: string
  baseUrl: string
  /** Where the token may be sent (the credential's allowed hosts): checked before every request. */
  source: Pick<CredentialData, 'id' | 'name' | 'allowedHosts'>
}

export function whatsappCredential(cred: CredentialData | undefined): WhatsAppCredential {
  const d = (cred?.data ?? {}) as Record<string, string | undefined>
  if (!cred || cred.kind !== 'whatsapp' || !d.phoneNumberId || !d.accessToken) {
    throw new NodeError('Choose a WhatsApp Cloud API credential with a phone number ID and an access token', { code: 'INVALID_CREDENTIAL', field: 'credential' })
  }
  return {
    phoneNumberId: d.phoneNumberId,
    accessToken: d.accessToken,
    appSecret: d.appSecret || undefined,
    verifyToken: d.verifyToken || undefined,
    apiVersion: d.apiVersion || DEFAULT_GRAPH_VERSION,
    baseUrl: (d.baseUrl || DEFAULT_GRAPH_URL).replace(/\/+$/, ''),
    source: { id: cred.id, name: cred.name, allowedHosts: cred.allowedHosts },
  }
}

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string; error_data?: { details?: string } }
}

// Throttling: 4 (app), 80007 (WABA), 130429 (throughput), 131048 (spam rate), 131056 (pair rate).
const THROTTLED = new Set([4, 80007, 130429, 131048, 131056])
const RECIPIENT = new Set([131026, 131030, 131021])
const CREDENTIAL = new Set([190, 10, 200, 3])

/** The text the window error carries, whether the studio saw it closed or Graph said 131047. */
export function windowClosedError(last: Date | null, item?: number, graph?: unknown): NodeError {
  const where = item === undefined ? '' : `Item ${item}: `
  const when = last ? `last wrote at ${last.toISOString()}` : 'has never written to this number'
  return new NodeError(
    `${where}The WhatsApp customer-service window is closed: the customer ${when}, and free-form messages may only be sent within 24 hours of the customer's last message. Outside the window only an approved template message can be sent: set type to "template".`,
    { code: 'WHATSAPP_WINDOW_CLOSED', field: 'type', details: { lastInboundAt: last?.toISOString() ?? null, ...(graph ? { graph } : {}), ...(item === undefined ? {} : { item }) } },
  )
}

/** A Graph answer of `status` with this body as a NodeError (retryable for throttling, 429 and 5xx). */
export function graphError(status: number, body: GraphErrorBody | null, item?: number): NodeError {
  const e = body?.error ?? {}
  const code = e.code
  if (code === GRAPH_REENGAGEMENT) return windowClosedError(null, item, e)
  const where = item === undefined ? '' : `Item ${item}: `
  const retryable = status === 429 || status >= 500 || (code !== undefined && THROTTLED.has(code))
  const field = code !== undefined && CREDENTIAL.has(code) ? 'credential' : code !== undefined && RECIPIENT.has(code) ? 'to' : 'type'
  const detail = e.error_data?.details ? ` (${e.error_data.details})` : ''
  return new NodeError(`${where}WhatsApp refused the request (${code ?? `HTTP ${status}`}): ${e.message ?? 'no message'}${detail}`, {
    code: code === 190 ? 'WHATSAPP_AUTH_FAILED' : code ? `WHATSAPP_${code}` : `WHATSAPP_HTTP_${status}`,
    field,
    retryable,
    details: { status, graphCode: code, subcode: e.error_subcode, fbtraceId: e.fbtrace_id, ...(item === undefined ? {} : { item }) },
  })
}

function unreachable(err: unknown, item?: number): NodeError {
  if (err instanceof NodeError) return err
  const where = item === undefined ? '' : `Item ${item}: `
  return new NodeError(`${where}Could not reach the WhatsApp Cloud API: ${(err as Error).message}`, { code: 'WHATSAPP_UNREACHABLE', field: 'credential', retryable: true, cause: err })
}

function parse(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    return null
  }
}

export class GraphClient {
  constructor(
    private readonly http: HttpClient,
    readonly cred: WhatsAppCredential,
    private readonly signal: AbortSignal,
  ) {}

  private url(edge: 'messages' | 'media'): string {
    return `${this.cred.baseUrl}/${this.cred.apiVersion}/${encodeURIComponent(this.cred.phoneNumberId)}/${edge}`
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.cred.accessToken}` }
  }

  private async call(edge: 'messages' | 'media', body: string | AsyncIterable<Uint8Array>, headers: Record<string, string>, item?: number): Promise<Record<string, unknown>> {
    return this.json({ method: 'POST', url: this.url(edge), body, headers }, item)
  }

  private async json(spec: { method: string; url: string; body?: string | AsyncIterable<Uint8Array>; headers?: Record<string, string> }, item?: number): Promise<Record<string, unknown>> {
    assertCredentialHost(this.cred.source as CredentialData, spec.url)
    let res
    try {
      res = await this.http.request({
        ...spec, signal: this.signal, timeoutMs: 60_000, maxRedirects: 0,
        headers: { ...this.auth(), accept: 'application/json', ...spec.headers },
      })
    } catch (err) {
      throw unreachable(err, item)
    }
    const json = parse(res.body) as Record<string, unknown> | null
    if (res.status >= 400 || !json) throw graphError(res.status, json as GraphErrorBody | null, item)
    return json
  }

  /**
   * A received message's media (its id from the webhook) into the run's file store: Graph's GET /{media-id} gives a
   * short-lived URL, fetched with the same token and streamed into the store. `name` without an extension gets one
   * from the media's type.
   */
  async download(files: RunFiles, mediaId: string, name: string, maxBytes: number, item?: number): Promise<FileRef> {
    const info = await this.json({ method: 'GET', url: `${this.cred.baseUrl}/${this.cred.apiVersion}/${encodeURIComponent(mediaId)}` }, item)
    if (typeof info.url !== 'string') throw new NodeError(`WhatsApp gave no download URL for media ${mediaId}`, { code: 'WHATSAPP_BAD_ANSWER' })
    assertCredentialHost(this.cred.source as CredentialData, info.url)
    let res
    try {
      res = await openResponse(this.http, { method: 'GET', url: info.url, headers: this.auth(), signal: this.signal, timeoutMs: 120_000 }, maxBytes)
    } catch (err) {
      throw unreachable(err, item)
    }
    if (res.status >= 400) {
      res.cancel()
      throw graphError(res.status, null, item)
    }
    const mimeType = typeof info.mime_type === 'string' ? info.mime_type.split(';')[0].trim() : undefined
    const subtype = mimeType?.split('/')[1]
    const fullName = /\.[A-Za-z0-9]{1,8}$/.test(name) || !subtype ? name : `${name}.${subtype === 'jpeg' ? 'jpg' : subtype === 'mpeg' ? 'mp3' : subtype}`
    return files.write({ name: fullName, mimeType, data: res.body, maxBytes, signal: this.signal })
  }

  /**
   * POST /messages: the wamid WhatsApp gave the message. `recordId` travels as biz_opaque_callback_data, which Meta
   * echoes in the message's status webhooks: a status that beats this answer still finds its record.
   */
  async send(to: string, type: string, payload: Record<string, unknown>, recordId: string, item?: number): Promise<{ wamid: string; waId: string | null }> {
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: payload, biz_opaque_callback_data: recordId })
    const answer = await this.call('messages', body, { 'content-type': 'application/json' }, item)
    const wamid = (answer.messages as { id?: string }[] | undefined)?.[0]?.id
    if (!wamid) throw new NodeError('The WhatsApp Cloud API answered without a message id', { code: 'WHATSAPP_BAD_ANSWER', retryable: false })
    return { wamid, waId: (answer.contacts as { wa_id?: string }[] | undefined)?.[0]?.wa_id ?? null }
  }

  /** POST /media (multipart: the file streamed from the store, its type, messaging_product): the media id. */
  async upload(files: RunFiles, item: Record<string, unknown>, field: string, mimeType: string, index?: number): Promise<string> {
    const multipart = await multipartBody(files, item, { messaging_product: 'whatsapp', type: mimeType }, [{ name: 'file', field }])
    const answer = await this.call('media', multipart.body, multipart.headers, index)
    if (typeof answer.id !== 'string') throw new NodeError('The WhatsApp Cloud API answered the upload without a media id', { code: 'WHATSAPP_BAD_ANSWER' })
    return answer.id
  }
}
