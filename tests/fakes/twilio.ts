// A local server speaking Twilio's REST API (2010-04-01: Messages, Calls, Recordings) as the real `twilio` SDK calls
// it — basic auth with the account SID and auth token, form-encoded bodies, Twilio's JSON error bodies and codes
// (20003 bad auth, 21211 invalid To, 21610 unsubscribed, 21617 body too long, 21623 too many media) — and playing
// Twilio's side of webhooks: status callbacks and inbound requests signed with X-Twilio-Signature exactly as Twilio
// signs them (the SDK's getExpectedTwilioSignature over the full URL and the form parameters).
// Voice tests extend it with `route` (tests/fakes/twilio-voice.ts).
import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import twilio from 'twilio'

export const FAKE_ACCOUNT_SID = `AC${'a1'.repeat(16)}`
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token'

export interface FakeMessage {
  sid: string
  to: string
  from: string
  body: string
  mediaUrls: string[]
  statusCallback?: string
  status: string
  /** When the fake received the create request (ms, performance clock): the rate tests measure gaps between these. */
  receivedAt: number
  params: Record<string, string | string[]>
}

export interface FakeCall {
  sid: string
  to: string
  from: string
  url?: string
  twiml?: string
  method: string
  statusCallback?: string
  status: string
  params: Record<string, string | string[]>
}

export interface SentWebhook {
  url: string
  params: Record<string, string>
  status: number
  body: string
}

type Handler = (req: http.IncomingMessage, params: Record<string, string | string[]>, match: RegExpMatchArray) => { status: number; body: unknown; type?: string } | Promise<{ status: number; body: unknown; type?: string }>

export interface FakeTwilio {
  url: string
  accountSid: string
  authToken: string
  messages: FakeMessage[]
  calls: FakeCall[]
  /** Requests that failed auth or hit no route (method path). */
  rejected: string[]
  /** Numbers Twilio answers 21610 for (the recipient replied STOP to this sender on Twilio's side). */
  unsubscribed: Set<string>
  /** Status callbacks sent on their own after each create (e.g. ['sent', 'delivered']); empty: none. */
  autoStatuses: string[]
  /** Answer the next `n` creates with this error (then normal again). */
  failNext(n: number, status: number, code: number, message: string): void
  /** Twilio's side of a webhook: POSTs `params` form-encoded to `url`, signed with the auth token (or `signature`). */
  post(url: string, params: Record<string, string>, opts?: { authToken?: string; signature?: string | null }): Promise<SentWebhook>
  /** A status callback for a message the fake holds, as Twilio sends it. */
  sendStatus(sid: string, status: string, opts?: { errorCode?: string; authToken?: string }): Promise<SentWebhook>
  /** Extra routes (voice tests): matched before the built-in ones. */
  route(method: string, path: RegExp, handler: Handler): void
  /** Bytes served for GET …/Recordings/<sid>(.mp3|.wav). */
  recordings: Map<string, Buffer>
  close(): Promise<void>
}

const E164 = /^\+[1-9]\d{7,14}$/

function formParams(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k]
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  return out
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const sid = (prefix: string) => prefix + crypto.randomBytes(16).toString('hex')
const error = (status: number, code: number, message: string) => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } })

export async function startFakeTwilio(opts: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? FAKE_ACCOUNT_SID
  const authToken = opts.authToken ?? FAKE_AUTH_TOKEN
  const messages: FakeMessage[] = []
  const calls: FakeCall[] = []
  const rejected: string[] = []
  const unsubscribed = new Set<string>()
  const recordings = new Map<string, Buffer>()
  const extra: { method: string; path: RegExp; handler: Handler }[] = []
  let failures: { n: number; status: number; code: number; message: string } | undefined
  const sockets = new Set<Socket>()
  const base = `/2010-04-01/Accounts/${accountSid}`

  const messageJson = (m: FakeMessage) => ({
    sid: m.sid, account_sid: accountSid, to: m.to, from: m.from, body: m.body, status: m.status, num_media: String(m.mediaUrls.length),
    num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))), direction: 'outbound-api', api_version: '2010-04-01',
    date_created: new Date().toUTCString(), date_updated: new Date().toUTCString(), date_sent: null, error_code: null, error_message: null,
    price: null, price_unit: 'USD', messaging_service_sid: null, uri: `${base}/Messages/${m.sid}.json`, subresource_uris: {},
  })
  const callJson = (c: FakeCall) => ({
    sid: c.sid, account_sid: accountSid, to: c.to, from: c.from, status: c.status, direction: 'outbound-api', api_version: '2010-04-01',
    date_created: new Date().toUTCString(), date_updated: new Date().toUTCString(), uri: `${base}/Calls/${c.sid}.json`, subresource_uris: {},
  })

  async function post(url: string, params: Record<string, string>, o: { authToken?: string; signature?: string | null } = {}): Promise<SentWebhook> {
    const signature = o.signature === undefined ? twilio.getExpectedTwilioSignature(o.authToken ?? authToken, url, params) : o.signature
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' }
    if (signature !== null) headers['x-twilio-signature'] = signature
    const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() })
    return { url, params, status: res.status, body: await res.text() }
  }

  async function sendStatus(messageSid: string, status: string, o: { errorCode?: string; authToken?: string } = {}): Promise<SentWebhook> {
    const m = messages.find((x) => x.sid === messageSid)
    if (!m?.statusCallback) throw new Error(`fake twilio: no status callback for ${messageSid}`)
    m.status = status
    const params: Record<string, string> = {
      AccountSid: accountSid, ApiVersion: '2010-04-01', MessageSid: m.sid, SmsSid: m.sid, MessageStatus: status, SmsStatus: status,
      From: m.from, To: m.to, ...(o.errorCode ? { ErrorCode: o.errorCode } : {}),
    }
    return post(m.statusCallback, params, { authToken: o.authToken })
  }

  async function route(req: http.IncomingMessage, raw: string): Promise<{ status: number; body: unknown; type?: string }> {
    const path = (req.url ?? '/').split('?')[0]
    const params = formParams(raw)
    for (const r of extra) {
      const m = r.method === req.method ? path.match(r.path) : null
      if (m) return r.handler(req, params, m)
    }
    // The account itself: what "test connection" reads.
    if (req.method === 'GET' && path === `${base}.json`) {
      return { status: 200, body: { sid: accountSid, friendly_name: 'Auterity test account', status: 'active', type: 'Full', uri: `${base}.json` } }
    }
    const rec = path.match(new RegExp(`^${base}/Recordings/(RE[0-9a-f]{32})(\\.mp3|\\.wav)?$`))
    if (req.method === 'GET' && rec) {
      const bytes = recordings.get(rec[1])
      return bytes ? { status: 200, body: bytes, type: rec[2] === '.wav' ? 'audio/wav' : 'audio/mpeg' } : error(404, 20404, 'The requested resource was not found')
    }
    if (req.method === 'POST' && path === `${base}/Messages.json`) {
      if (failures && failures.n > 0) {
        failures.n--
        return error(failures.status, failures.code, failures.message)
      }
      const to = one(params.To) ?? ''
      const from = one(params.From) ?? one(params.MessagingServiceSid) ?? ''
      const body = one(params.Body) ?? ''
      const media = list(params.MediaUrl)
      if (!E164.test(to)) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
      if (!from) return error(400, 21603, "A 'From' phone number is required.")
      if (!body && media.length === 0) return error(400, 21602, 'Message body is required.')
      if (body.length > 1600) return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.')
      if (media.length > 10) return error(400, 21623, 'Number of media files exceeds allowed limit of 10.')
      if (unsubscribed.has(to)) return error(400, 21610, 'Attempt to send to unsubscribed recipient')
      const m: FakeMessage = { sid: sid(media.length ? 'MM' : 'SM'), to, from, body, mediaUrls: media, statusCallback: one(params.StatusCallback), status: 'queued', receivedAt: performance.now(), params }
      messages.push(m)
      if (fake.autoStatuses.length && m.statusCallback) {
        const statuses = [...fake.autoStatuses]
        setTimeout(async () => {
          for (const s of statuses) await sendStatus(m.sid, s).catch(() => undefined)
        }, 20)
      }
      return { status: 201, body: messageJson(m) }
    }
    const msg = path.match(new RegExp(`^${base}/Messages/((SM|MM)[0-9a-f]{32})\\.json$`))
    if (req.method === 'GET' && msg) {
      const m = messages.find((x) => x.sid === msg[1])
      return m ? { status: 200, body: messageJson(m) } : error(404, 20404, 'The requested resource was not found')
    }
    if (req.method === 'POST' && path === `${base}/Calls.json`) {
      if (failures && failures.n > 0) {
        failures.n--
        return error(failures.status, failures.code, failures.message)
      }
      const to = one(params.To) ?? ''
      if (!E164.test(to) && !to.startsWith('client:') && !to.startsWith('sip:')) return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`)
      if (!one(params.Url) && !one(params.Twiml)) return error(400, 21205, 'Url parameter is required.')
      const c: FakeCall = { sid: sid('CA'), to, from: one(params.From) ?? '', url: one(params.Url), twiml: one(params.Twiml), method: one(params.Method) ?? 'POST', statusCallback: one(params.StatusCallback), status: 'queued', params }
      calls.push(c)
      return { status: 201, body: callJson(c) }
    }
    const call = path.match(new RegExp(`^${base}/Calls/(CA[0-9a-f]{32})\\.json$`))
    if (call) {
      const c = calls.find((x) => x.sid === call[1])
      if (!c) return error(404, 20404, 'The requested resource was not found')
      if (req.method === 'POST') {
        if (one(params.Status)) c.status = one(params.Status)!
        if (one(params.Twiml)) c.twiml = one(params.Twiml)
        if (one(params.Url)) c.url = one(params.Url)
      }
      return { status: 200, body: callJson(c) }
    }
    rejected.push(`${req.method} ${path}`)
    return error(404, 20404, 'The requested resource was not found')
  }

  const server = http.createServer(async (req, res) => {
    let raw = ''
    for await (const chunk of req) raw += chunk
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`
    let answer: { status: number; body: unknown; type?: string }
    if (req.headers.authorization !== expected) {
      rejected.push(`${req.method} ${req.url} (auth)`)
      answer = error(401, 20003, 'Authenticate')
    } else {
      answer = await route(req, raw).catch((err) => error(500, 20500, String(err)))
    }
    const isBytes = Buffer.isBuffer(answer.body)
    res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' })
    res.end(isBytes ? answer.body : JSON.stringify(answer.body))
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const fake: FakeTwilio = {
    url, accountSid, authToken, messages, calls, rejected, unsubscribed, recordings,
    autoStatuses: [],
    failNext: (n, status, code, message) => void (failures = { n, status, code, message }),
    post,
    sendStatus,
    route: (method, path, handler) => void extra.push({ method, path, handler }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
  return fake
}
