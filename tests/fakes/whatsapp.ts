// A local server speaking the WhatsApp Cloud API (Meta's Graph API) as the Send node calls it — POST
// /{version}/{phone-number-id}/messages (JSON, Bearer token) answered { messaging_product, contacts, messages: [{ id:
// wamid }] }, POST …/media (multipart: file, type, messaging_product) answered { id }, Graph's error bodies { error: {
// message, type, code, error_subcode, fbtrace_id } } (190 bad token, 100 invalid parameter, 131047 re-engagement,
// 131026 undeliverable), GET /{media-id} and its download URL for received media — and playing Meta's side of webhooks: the subscription handshake and notifications
// signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app secret).
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export const FAKE_PHONE_NUMBER_ID = '106540352242922'
export const FAKE_DISPLAY_NUMBER = '15550783881'
export const FAKE_ACCESS_TOKEN = 'EAAG-fake-whatsapp-token'
export const FAKE_APP_SECRET = 'fake-whatsapp-app-secret'
export const FAKE_VERIFY_TOKEN = 'fake-verify-token'

export interface FakeWaMessage {
  wamid: string
  /** The JSON body as received. */
  body: Record<string, any>
  /** performance.now() when received. */
  receivedAt: number
}

export interface FakeWaMedia {
  id: string
  /** The multipart fields (text parts) as received. */
  fields: Record<string, string>
  filename: string
  contentType: string
  bytes: Buffer
}

export interface FakeWhatsApp {
  url: string
  messages: FakeWaMessage[]
  media: FakeWaMedia[]
  /** Media a customer sent (held as WhatsApp holds it): its media id, for an inbound message to name. */
  addMedia(bytes: Buffer, contentType: string): string
  /** Requests refused (bad token, unknown route): method path code. */
  rejected: string[]
  /** wa_ids Graph answers 131047 for (its own idea of a closed window). */
  reengagement: Set<string>
  /** Answer the next `n` message sends with this error (to `waId` only, when given). */
  failNext(n: number, status: number, code: number, message: string, waId?: string): void
  /** Meta's side of a notification: POST `payload` to `url`, signed with the app secret (or `signature`; null: none). */
  notify(url: string, payload: unknown, opts?: { appSecret?: string; signature?: string | null }): Promise<{ status: number; body: string }>
  /** Meta's handshake: GET `url` with hub.mode=subscribe, the token and a challenge. */
  handshake(url: string, token: string, challenge?: string): Promise<{ status: number; body: string }>
  close(): Promise<void>
}

const graphError = (status: number, code: number, message: string, type = 'OAuthException') => ({
  status,
  body: { error: { message, type, code, ...(code === 131047 ? { error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } } : {}), fbtrace_id: `A${crypto.randomBytes(8).toString('hex')}` } },
})

const TYPES = new Set(['text', 'image', 'document', 'audio', 'video', 'interactive', 'location', 'template', 'sticker', 'reaction', 'contacts'])

/** multipart/form-data, parsed whole (the fake's uploads are small). */
function parseMultipart(raw: Buffer, contentType: string): { fields: Record<string, string>; file?: { name: string; filename: string; contentType: string; bytes: Buffer } } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType)
  if (!boundary) return { fields: {} }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`)
  const fields: Record<string, string> = {}
  let file: { name: string; filename: string; contentType: string; bytes: Buffer } | undefined
  let pos = raw.indexOf(delimiter)
  while (pos !== -1) {
    const start = pos + delimiter.length
    if (raw.subarray(start, start + 2).toString() === '--') break
    const next = raw.indexOf(delimiter, start)
    if (next === -1) break
    const part = raw.subarray(start + 2, next - 2)
    const split = part.indexOf('\r\n\r\n')
    const head = part.subarray(0, split).toString()
    const content = part.subarray(split + 4)
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? ''
    const filename = /filename="([^"]*)"/.exec(head)?.[1]
    if (filename !== undefined) file = { name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', bytes: Buffer.from(content) }
    else fields[name] = content.toString()
    pos = next
  }
  return { fields, file }
}

export async function startFakeWhatsApp(opts: { phoneNumberId?: string; accessToken?: string; appSecret?: string } = {}): Promise<FakeWhatsApp> {
  const phoneNumberId = opts.phoneNumberId ?? FAKE_PHONE_NUMBER_ID
  const accessToken = opts.accessToken ?? FAKE_ACCESS_TOKEN
  const appSecret = opts.appSecret ?? FAKE_APP_SECRET
  const messages: FakeWaMessage[] = []
  const media: FakeWaMedia[] = []
  const rejected: string[] = []
  const reengagement = new Set<string>()
  let failures: { n: number; status: number; code: number; message: string; waId?: string } | undefined
  const sockets = new Set<Socket>()

  function handle(req: http.IncomingMessage, raw: Buffer): { status: number; body: unknown; type?: string } {
    const path = (req.url ?? '/').split('?')[0]
    if (req.headers.authorization !== `Bearer ${accessToken}`) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token')
    // Received media: GET /{version}/{media-id} gives a URL, fetched with the same token (lookaside.fbsbx.com's part).
    const info = req.method === 'GET' ? path.match(/^\/v\d+\.\d+\/(\d+)$/) : null
    const download = req.method === 'GET' ? path.match(/^\/media-download\/(\d+)$/) : null
    // The business phone number itself (GET /{version}/{phone-number-id}): what "test connection" reads.
    if (info && info[1] === phoneNumberId) {
      return { status: 200, body: { verified_name: 'Auterity Test', display_phone_number: `+${FAKE_DISPLAY_NUMBER}`, quality_rating: 'GREEN', id: phoneNumberId } }
    }
    if (info || download) {
      const id = (info ?? download)![1]
      const held = media.find((x) => x.id === id)
      if (!held) return graphError(400, 100, `Unsupported get request. Object with ID '${id}' does not exist`, 'GraphMethodException')
      if (download) return { status: 200, body: held.bytes, type: held.contentType }
      return { status: 200, body: { messaging_product: 'whatsapp', url: `${fakeUrl}/media-download/${id}`, mime_type: held.contentType, sha256: crypto.createHash('sha256').update(held.bytes).digest('hex'), file_size: held.bytes.length, id } }
    }
    const m = path.match(/^\/(v\d+\.\d+)\/(\d+)\/(messages|media)$/)
    if (req.method !== 'POST' || !m) return graphError(400, 100, `Unsupported ${req.method} request. Object with ID '${path}' does not exist`, 'GraphMethodException')
    if (m[2] !== phoneNumberId) return graphError(400, 100, `Object with ID '${m[2]}' does not exist`, 'GraphMethodException')
    if (m[3] === 'media') {
      const { fields, file } = parseMultipart(raw, String(req.headers['content-type'] ?? ''))
      if (fields.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.')
      if (!file || file.name !== 'file') return graphError(400, 100, '(#100) The parameter file is required.')
      const id = String(10 ** 14 + crypto.randomInt(2 ** 47))
      media.push({ id, fields, filename: file.filename, contentType: file.contentType, bytes: file.bytes })
      return { status: 200, body: { id } }
    }
    let body: Record<string, any>
    try {
      body = JSON.parse(raw.toString('utf8'))
    } catch {
      return graphError(400, 100, '(#100) Invalid JSON')
    }
    if (body.messaging_product !== 'whatsapp') return graphError(400, 100, '(#100) The parameter messaging_product is required.')
    if (typeof body.to !== 'string' || !/^\d{8,15}$/.test(body.to)) return graphError(400, 100, '(#100) Invalid parameter: to')
    if (!TYPES.has(body.type) || typeof body[body.type] !== 'object') return graphError(400, 100, `(#100) Param ${body.type} is required for type ${body.type}`)
    if (body.type === 'text' && (typeof body.text.body !== 'string' || body.text.body.length > 4096)) return graphError(400, 100, '(#100) Param text[\'body\'] must be at most 4096 characters long.')
    if (failures && failures.n > 0 && (!failures.waId || failures.waId === body.to)) {
      failures.n--
      return graphError(failures.status, failures.code, failures.message)
    }
    if (reengagement.has(body.to) && body.type !== 'template') return graphError(400, 131047, 'Re-engagement message')
    const wamid = `wamid.${Buffer.from(`${body.to}:${crypto.randomBytes(9).toString('hex')}`).toString('base64')}`
    messages.push({ wamid, body, receivedAt: performance.now() })
    return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid, ...(body.type === 'template' ? { message_status: 'accepted' } : {}) }] } }
  }

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    let answer: { status: number; body: unknown; type?: string }
    try {
      answer = handle(req, Buffer.concat(chunks))
    } catch (err) {
      answer = graphError(500, 1, `fake whatsapp: ${(err as Error).message}`)
    }
    if (answer.status >= 400) rejected.push(`${req.method} ${req.url} ${(answer.body as { error: { code: number } }).error.code}`)
    if (Buffer.isBuffer(answer.body)) res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/octet-stream' }).end(answer.body)
    else res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body))
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: fakeUrl,
    messages,
    addMedia(bytes, contentType) {
      const id = String(10 ** 14 + crypto.randomInt(2 ** 47))
      media.push({ id, fields: {}, filename: '', contentType, bytes })
      return id
    },
    media,
    rejected,
    reengagement,
    failNext(n, status, code, message, waId) {
      failures = { n, status, code, message, waId }
    },
    async notify(url, payload, o = {}) {
      const raw = JSON.stringify(payload)
      const signature = o.signature === undefined ? `sha256=${crypto.createHmac('sha256', o.appSecret ?? appSecret).update(raw).digest('hex')}` : o.signature
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' }
      if (signature !== null) headers['x-hub-signature-256'] = signature
      const res = await fetch(url, { method: 'POST', headers, body: raw })
      return { status: res.status, body: await res.text() }
    },
    async handshake(url, token, challenge = String(crypto.randomInt(1e9))) {
      const q = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': challenge })
      const res = await fetch(`${url}?${q}`)
      return { status: res.status, body: await res.text() }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

const seconds = (at: Date = new Date()) => String(Math.floor(at.getTime() / 1000))

/** A notification as Meta sends it: one entry, one `messages` change for this number. */
export function waNotification(value: { messages?: unknown[]; statuses?: unknown[]; contacts?: unknown[] }, phoneNumberId = FAKE_PHONE_NUMBER_ID) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: FAKE_DISPLAY_NUMBER, phone_number_id: phoneNumberId }, ...value } }] }],
  }
}

/** An inbound message from `waId` (`content` is the type's object, e.g. { text: { body } }). */
export function waInbound(waId: string, type: string, content: Record<string, unknown>, opts: { name?: string; id?: string; at?: Date } = {}) {
  return waNotification({
    contacts: [{ profile: { name: opts.name ?? 'Ada' }, wa_id: waId }],
    messages: [{ from: waId, id: opts.id ?? `wamid.in${crypto.randomBytes(10).toString('hex')}`, timestamp: seconds(opts.at), type, ...content }],
  })
}

/** A status update for an outbound message. */
export function waStatus(wamid: string, status: string, waId: string, errors?: { code: number; title: string; message?: string; details?: string }[], callbackData?: string) {
  return waNotification({
    statuses: [{
      id: wamid, status, timestamp: seconds(), recipient_id: waId, ...(callbackData ? { biz_opaque_callback_data: callbackData } : {}),
      ...(errors ? { errors: errors.map((e) => ({ code: e.code, title: e.title, message: e.message ?? e.title, error_data: { details: e.details ?? e.title } })) } : {}),
    }],
  })
}
