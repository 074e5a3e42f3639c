import type { Readable } from 'node:stream'
import addressparser from 'nodemailer/lib/addressparser'
import type Mail from 'nodemailer/lib/mailer'
import { NodeError, type Item } from '../../engine/types'
import { findFileRefs } from '../../files/ref'
import type { RunFiles } from '../../files/types'
import type { Executor } from '../define'
import { fileError } from '../file-fields'
import { getPath, parsePath, setPath } from '../paths'
import type { SendEmailParams } from './definition'
import { openSmtp, smtpError } from './transport'

type AddressField = 'from' | 'to' | 'cc' | 'bcc' | 'replyTo'

// Deliberately plain: one @, no spaces, quotes, angle brackets or line breaks; a dot in the domain.
const ADDRESS = /^[^\s@<>"(),;:\\]+@[^\s@<>"(),;:\\]+\.[^\s@<>"(),;:\\]+$/

/** The field's addresses, each checked; a line break anywhere is refused rather than left for a header to carry. */
function addresses(p: SendEmailParams, field: AddressField, index: number): Mail.Address[] {
  const raw = p[field]
  const fail = (what: string) =>
    new NodeError(`Item ${index}: ${field} ${what}`, { code: 'INVALID_ADDRESS', field, details: { item: index } })
  if (/[\r\n]/.test(raw)) throw fail('contains a line break')
  if (!raw.trim()) return []
  const list = addressparser(raw, { flatten: true })
  for (const a of list) if (!ADDRESS.test(a.address)) throw fail(`has ${JSON.stringify(a.address || a.name)}, which is not an email address`)
  return list
}

function message(p: SendEmailParams, index: number): Mail.Options {
  const from = addresses(p, 'from', index)
  if (from.length !== 1) throw new NodeError(`Item ${index}: from needs exactly one sender address`, { code: 'INVALID_ADDRESS', field: 'from', details: { item: index } })
  const [to, cc, bcc, replyTo] = (['to', 'cc', 'bcc', 'replyTo'] as const).map((f) => addresses(p, f, index))
  if (to.length + cc.length + bcc.length === 0) throw new NodeError(`Item ${index}: give at least one recipient in to, cc or bcc`, { code: 'MISSING_RECIPIENT', field: 'to', details: { item: index } })
  if (!p.text && !p.html) throw new NodeError(`Item ${index}: the email has no body: give text, html or both`, { code: 'MISSING_BODY', field: 'text', details: { item: index } })
  return { from: from[0], to, cc, bcc, replyTo: replyTo.length ? replyTo : undefined, subject: p.subject, text: p.text || undefined, html: p.html || undefined }
}

/** The item's files, opened as streams (the caller destroys them if the email is not sent). */
async function attachmentsOf(run: RunFiles, item: Item, p: SendEmailParams, index: number, opened: Readable[]): Promise<Mail.Attachment[]> {
  const out: Mail.Attachment[] = []
  for (const [i, field] of p.attachments.entries()) {
    const value = getPath(item, field, `attachments.${i}`)
    if (value === undefined || value === null) {
      throw new NodeError(`"${field}" is missing on item ${index}: it should hold a file to attach`, { code: 'NOT_A_FILE', field: 'attachments', details: { item: index, path: field } })
    }
    const refs = findFileRefs(value)
    for (const ref of refs.length ? refs : [value]) {
      const file = await run.open(ref, field).catch((err) => Promise.reject(fileError(err, 'attachments', index)))
      const content = await file.stream()
      opened.push(content)
      out.push({ filename: file.ref.name, contentType: file.ref.mimeType, content })
    }
  }
  return out
}

const addressText = (a: string | Mail.Address) => (typeof a === 'string' ? a : a.address)

export const execute: Executor<SendEmailParams, 'network' | 'files'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  // Every email of the page is checked before the first is sent: a bad address on item 9 sends nothing.
  const mails: Mail.Options[] = []
  const params: SendEmailParams[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    params.push(await ctx.paramsFor(i))
    mails.push(message(params[i], ctx.inputOffset + i))
  }
  const run = ctx.services.files.forRun(ctx)
  const { transport, target } = await openSmtp(await ctx.credential(), ctx.services.network)
  const abort = () => transport.close()
  ctx.signal.addEventListener('abort', abort, { once: true })
  try {
    const out: Item[] = []
    for (let i = 0; i < ctx.items.length; i++) {
      const index = ctx.inputOffset + i
      const opened: Readable[] = []
      try {
        const attachments = await attachmentsOf(run, ctx.items[i], params[i], index, opened)
        const info = await transport.sendMail({ ...mails[i], attachments })
        const item = structuredClone(ctx.items[i])
        setPath(item, params[i].outputField, { messageId: info.messageId, accepted: info.accepted.map(addressText), rejected: info.rejected.map(addressText) }, 'outputField')
        out.push(item)
      } catch (err) {
        for (const s of opened) s.destroy()
        throw smtpError(err, target, index)
      }
    }
    return { main: out }
  } finally {
    ctx.signal.removeEventListener('abort', abort)
    transport.close()
  }
}
