import { randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Item } from '@/lib/engine/types'
import type { FileRef } from '@/lib/files/ref'
import { createTcpGuard } from '@/lib/net/tcp-guard'
import { memoryFilesPerTest } from '@/tests/helpers/files-per-test'
import { runFlow } from '@/tests/unit/nodes/flow'

interface Received {
  from: string
  to: string[]
  raw: string
}

// A local SMTP server with login required; what it receives is kept whole, as text, for the tests to read.
const received: Received[] = []
const server = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === 'mailer' && auth.password === 'right-password') cb(null, { user: 'mailer' })
    else cb(new Error('Invalid username or password'))
  },
  onRcptTo(address, _session, cb) {
    if (address.address.startsWith('bounce@')) cb(Object.assign(new Error('No such user'), { responseCode: 550 }))
    else cb()
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = []
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
      cb()
    })
  },
})
let port: number
let closedPort: number
const store = memoryFilesPerTest()

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.server.address() as AddressInfo).port
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const smtpCred = (data: Record<string, string>) => ({ kind: 'smtp', data: { host: '127.0.0.1', security: 'none', user: 'mailer', password: 'right-password', ...data } })

async function send(params: Record<string, unknown>, input: Item[], opts: { files?: ReturnType<typeof store>; allow?: string[] } = {}) {
  const credentials = {
    local: smtpCred({ port: String(port) }),
    wrongPassword: smtpCred({ port: String(port), password: 'wrong-password' }),
    closed: smtpCred({ port: String(closedPort) }),
    privateHost: smtpCred({ host: '192.168.1.10', port: '25' }),
  }
  const flow = await runFlow([{ id: 'm', type: 'send-email', params: { credential: 'local', from: 'Shop <shop@example.com>', ...params } }], input, {
    credentials,
    services: { network: createTcpGuard({ allowList: opts.allow ?? [`127.0.0.1:${port}`] }), ...(opts.files ? { files: opts.files } : {}) },
  })
  return { error: flow.result.error, items: await flow.output('m') }
}

/** The messages sent to `to` since the test started (each test uses its own recipient). */
const inbox = (to: string) => received.filter((m) => m.to.includes(to))
const unique = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`

describe('send email node', () => {
  it('sends one plain-text email per item, with cc, bcc and reply-to, and reports what was accepted', async () => {
    const [ada, bob, carol, dan] = ['ada', 'bob', 'carol', 'dan'].map(unique)
    const { items, error } = await send(
      { to: '{{ $json.to }}', cc: bob, bcc: carol, replyTo: dan, subject: 'Order {{ $json.id }}', text: 'Hello {{ $json.id }}' },
      [{ id: 1, to: `Ada L <${ada}>` }, { id: 2, to: ada }],
    )
    expect(error).toBeUndefined()
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({ id: 1, email: { accepted: [ada, bob, carol], rejected: [] } })
    expect(items[0].email).toMatchObject({ messageId: expect.stringMatching(/^<.+@.+>$/) })
    const mails = inbox(ada)
    expect(mails.map((m) => m.to.sort())).toEqual([[ada, bob, carol].sort(), [ada, bob, carol].sort()])
    expect(mails[0].from).toBe('shop@example.com')
    expect(mails[0].raw).toMatch(/^Subject: Order 1$/m)
    expect(mails[0].raw).toMatch(new RegExp(`^To: Ada L <${ada}>$`, 'm'))
    expect(mails[0].raw).toMatch(new RegExp(`^Cc: ${bob}$`, 'm'))
    expect(mails[0].raw).toMatch(new RegExp(`^Reply-To: ${dan}$`, 'm'))
    expect(mails[0].raw).not.toContain(`Bcc`)
    expect(mails[0].raw).toContain('Hello 1')
  })

  it('sends an HTML email with a text alternative', async () => {
    const to = unique('html')
    await send({ to, subject: 'News', text: 'plain version', html: '<h1>Big news</h1>' }, [{}])
    const [mail] = inbox(to)
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative;/m)
    expect(mail.raw).toMatch(/^Content-Type: text\/html/m)
    expect(mail.raw).toContain('<h1>Big news</h1>')
    expect(mail.raw).toContain('plain version')
  })

  it('attaches files from the file store, bytes equal', async () => {
    const files = store()
    const run = files.forRun({ tenantId: 't-1', executionId: 'exec-1' })
    const pdf = randomBytes(50_000)
    const invoice = await run.write({ name: 'invoice.pdf', data: pdf })
    const notes = await run.write({ name: 'notes.txt', data: 'see attached' })
    const to = unique('files')
    const { error } = await send({ to, subject: 'Files', text: 'two files', attachments: ['invoice', 'extra.docs'] }, [{ invoice, extra: { docs: [notes] } }], { files })
    expect(error).toBeUndefined()
    const [mail] = inbox(to)
    expect(mail.raw).toMatch(/^Content-Type: application\/pdf; name=invoice\.pdf$/m)
    expect(mail.raw).toMatch(/^Content-Disposition: attachment; filename=notes\.txt$/m)
    const parts = mail.raw.split(/^--.+$/m)
    const pdfPart = parts.find((p) => p.includes('name=invoice.pdf'))!
    const base64 = pdfPart.split(/\r?\n\r?\n/)[1].replace(/\s+/g, '')
    expect(Buffer.from(base64, 'base64').equals(pdf)).toBe(true)
  })

  it('fails naming attachments when a field holds no file', async () => {
    const { error } = await send({ to: unique('nofile'), text: 'x', attachments: ['invoice'] }, [{ other: 1 }], { files: store() })
    expect(error).toMatchObject({ code: 'NOT_A_FILE', field: 'attachments' })
    const notStored = await send({ to: unique('nofile'), text: 'x', attachments: ['invoice'] }, [{ invoice: { $file: 'f_0123456789abcdefgh', name: 'a.pdf', mimeType: 'application/pdf', size: 3 } as FileRef }], { files: store() })
    expect(notStored.error).toMatchObject({ field: 'attachments' })
  })

  it('encodes a subject carrying a line break and a header, so no header is added', async () => {
    const to = unique('inject')
    const { error } = await send({ to, subject: 'Hi\r\nBcc: victim@example.com\r\nX-Injected: yes', text: 'body' }, [{}])
    expect(error).toBeUndefined()
    const [mail] = inbox(to)
    expect(mail.to).toEqual([to])
    expect(mail.raw).not.toMatch(/^Bcc:/im)
    expect(mail.raw).not.toMatch(/^X-Injected:/im)
  })

  it.each([
    ['to', { to: 'ada@example.com\r\nBcc: victim@example.com' }, /line break/],
    ['to', { to: 'ada@example.com, not-an-address' }, /"not-an-address"/],
    ['cc', { to: 'ada@example.com', cc: 'bob@' }, /not an email address/],
    ['bcc', { to: 'ada@example.com', bcc: '@example.com' }, /not an email address/],
    ['replyTo', { to: 'ada@example.com', replyTo: 'a@b@example.com' }, /not an email address/],
    ['from', { to: 'ada@example.com', from: 'a@example.com, b@example.com' }, /exactly one sender/],
  ])('refuses an invalid address in %s before sending anything', async (field, params, message) => {
    const before = received.length
    const { error } = await send({ text: 'x', ...params }, [{}])
    expect(error).toMatchObject({ code: 'INVALID_ADDRESS', field })
    expect(error?.message).toMatch(message)
    expect(received.length).toBe(before)
  })

  it.each([
    ['to', { text: 'x' }, 'MISSING_RECIPIENT'],
    ['text', { to: 'ada@example.com' }, 'MISSING_BODY'],
    ['credential', { to: 'ada@example.com', text: 'x', credential: '' }, 'CREDENTIAL_MISSING'],
  ])('fails naming %s when it is missing', async (field, params, code) => {
    const { error } = await send(params, [{}])
    expect(error).toMatchObject({ code, field })
  })

  it('fails a refused recipient as a permanent rejection naming the item', async () => {
    const { error } = await send({ to: '{{ $json.to }}', text: 'x' }, [{ to: unique('fine') }, { to: 'bounce@example.com' }])
    expect(error).toMatchObject({ code: 'SMTP_REJECTED', retryable: false })
    expect(error?.message).toMatch(/^Item 1: /)
  })

  it('fails a refused login as not retryable, naming the credential and not the password', async () => {
    const { error } = await send({ credential: 'wrongPassword', to: unique('auth'), text: 'x' }, [{}])
    expect(error).toMatchObject({ code: 'SMTP_AUTH_FAILED', retryable: false, field: 'credential' })
    expect(error?.message).toContain('"wrongPassword"')
    expect(JSON.stringify(error)).not.toContain('wrong-password')
  })

  it('fails a refused connection as retryable, naming host:port', async () => {
    const { error } = await send({ credential: 'closed', to: unique('closed'), text: 'x' }, [{}], { allow: [`127.0.0.1:${closedPort}`] })
    expect(error).toMatchObject({ code: 'SMTP_CONNECTION_FAILED', retryable: true })
    expect(error?.message).toContain(`127.0.0.1:${closedPort}`)
  })

  it('fails a server that turns the connection away (421) as retryable', async () => {
    const busy = new SMTPServer({ logger: false, onConnect: (_session, cb) => cb(Object.assign(new Error('Too busy, try later'), { responseCode: 421 })) })
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const busyPort = (busy.server.address() as AddressInfo).port
    try {
      const flow = await runFlow([{ id: 'm', type: 'send-email', params: { credential: 'busy', from: 'shop@example.com', to: unique('busy'), text: 'x' } }], [{}], {
        credentials: { busy: smtpCred({ port: String(busyPort) }) },
        services: { network: createTcpGuard({ allowList: [`127.0.0.1:${busyPort}`] }) },
      })
      expect(flow.result.error).toMatchObject({ code: 'SMTP_CONNECTION_FAILED', retryable: true })
      expect(flow.result.error?.message).toMatch(/Too busy/)
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()))
    }
  })

  it.each([
    ['a private host not allow-listed', 'privateHost', [], '192.168.1.10'],
    ['loopback on another port than the allow-listed one', 'local', ['127.0.0.1:1'], '127.0.0.1'],
  ])('refuses %s before connecting', async (_name, credential, allow, host) => {
    const before = server.connections.size
    const { error } = await send({ credential, to: unique('ssrf'), text: 'x' }, [{}], { allow: allow as string[] })
    expect(error).toMatchObject({ code: 'SSRF_BLOCKED', field: 'credential', retryable: false })
    expect(error?.message).toContain(host)
    expect(server.connections.size).toBe(before)
  })
})
