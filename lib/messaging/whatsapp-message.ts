// One WhatsApp Cloud API message built from the Send node's params, every limit Meta documents checked first with
// an error naming the field (and the item): text 4096 characters, captions 1024, up to 3 reply buttons of 20
// characters, lists of up to 10 rows in up to 10 sections, media sizes per type. The payload is what goes after
// `messaging_product`, `recipient_type` and `to` in POST /{phone-number-id}/messages. Browser-safe.
import { NodeError } from '../engine/types'
import type { FileRef } from '../files/ref'
import { formatBytes } from '../files/ref'
import { normalizePhone } from './phone'

export const WHATSAPP_MESSAGE_TYPES = ['text', 'image', 'document', 'audio', 'video', 'buttons', 'list', 'location', 'template'] as const
export type WhatsAppMessageType = (typeof WHATSAPP_MESSAGE_TYPES)[number]
export type WhatsAppMediaKind = 'image' | 'document' | 'audio' | 'video'

/** Meta's limits (Cloud API reference: messages, media). */
export const WHATSAPP_LIMITS = {
  text: 4096,
  caption: 1024,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  sections: 10,
  rows: 10,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  templateName: 512,
  filename: 240,
} as const

export const WHATSAPP_MEDIA_LIMITS: Record<WhatsAppMediaKind, { maxBytes: number; types: string[] | null }> = {
  image: { maxBytes: 5 * 1024 * 1024, types: ['image/jpeg', 'image/png'] },
  audio: { maxBytes: 16 * 1024 * 1024, types: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'] },
  video: { maxBytes: 16 * 1024 * 1024, types: ['video/mp4', 'video/3gpp'] },
  document: { maxBytes: 100 * 1024 * 1024, types: null },
}

/** What the Send node's params say about one message (after expressions resolved for the item). */
export interface WhatsAppMessageInput {
  to: string
  type: WhatsAppMessageType
  text: string
  previewUrl: boolean
  mediaSource: 'file' | 'url'
  fileField: string
  mediaUrl: string
  caption: string
  filename: string
  header: string
  footer: string
  buttons: { id: string; title: string }[]
  listButton: string
  sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[]
  latitude: string
  longitude: string
  locationName: string
  address: string
  templateName: string
  templateLanguage: string
  bodyParameters: string[]
  headerParameters: string[]
}

export interface BuiltWhatsAppMessage {
  /** E.164 with a leading + (the opt-out list's form) and WhatsApp's wa_id (the same digits without it). */
  to: string
  waId: string
  type: WhatsAppMessageType
  /** The Graph API's `type`. */
  apiType: 'text' | WhatsAppMediaKind | 'interactive' | 'location' | 'template'
  /** The object under `apiType` (for a media file, without its `id` until the upload gave one). */
  payload: Record<string, unknown>
  /** A media file from the item to upload first: the item's value at `fileField`. */
  file?: { kind: WhatsAppMediaKind; value: unknown; field: string }
  /** What the message log shows as its text. */
  summary: string
}

function fail(item: number | undefined, field: string, message: string, code = 'WHATSAPP_INVALID_MESSAGE', details?: Record<string, unknown>): NodeError {
  const where = item === undefined ? '' : `Item ${item}: `
  return new NodeError(`${where}${message}`, { code, field, details: { ...details, ...(item === undefined ? {} : { item }) } })
}

function maxLength(value: string, max: number, field: string, what: string, item?: number): void {
  if (value.length > max) throw fail(item, field, `${what} has ${value.length} characters; WhatsApp takes at most ${max}`, 'WHATSAPP_TOO_LONG', { length: value.length, max })
}

function required(value: string, field: string, what: string, item?: number): string {
  const v = value.trim()
  if (!v) throw fail(item, field, `${what} is empty`, 'WHATSAPP_MISSING_FIELD')
  return v
}

/** "+1 415 555 0100", "+14155550100" or the wa_id "14155550100": E.164 and the wa_id, or an error naming `to`. */
export function whatsappRecipient(value: string, item?: number): { to: string; waId: string } {
  const s = String(value ?? '').trim()
  const e164 = normalizePhone(/^\d/.test(s) && !s.startsWith('00') ? `+${s}` : s)
  if (!e164) {
    throw fail(item, 'to', `to ${JSON.stringify(s)} is not a phone number with its country code (e.g. +14155550100)`, 'INVALID_PHONE_NUMBER')
  }
  return { to: e164, waId: e164.slice(1) }
}

function number(value: string, field: string, min: number, max: number, item?: number): number {
  const n = Number(String(value).trim())
  if (!String(value).trim() || !Number.isFinite(n) || n < min || n > max) {
    throw fail(item, field, `${field} ${JSON.stringify(value)} is not a number from ${min} to ${max}`, 'WHATSAPP_INVALID_LOCATION')
  }
  return n
}

function interactive(p: WhatsAppMessageInput, item?: number): Record<string, unknown> {
  const body = required(p.text, 'text', 'text (the body above the choices)', item)
  maxLength(body, WHATSAPP_LIMITS.interactiveBody, 'text', 'text', item)
  maxLength(p.header, WHATSAPP_LIMITS.headerText, 'header', 'header', item)
  maxLength(p.footer, WHATSAPP_LIMITS.footerText, 'footer', 'footer', item)
  return {
    ...(p.header.trim() ? { header: { type: 'text', text: p.header.trim() } } : {}),
    body: { text: body },
    ...(p.footer.trim() ? { footer: { text: p.footer.trim() } } : {}),
  }
}

function buttons(p: WhatsAppMessageInput, item?: number): Record<string, unknown> {
  const list = p.buttons
  if (list.length === 0 || list.length > WHATSAPP_LIMITS.buttons) {
    throw fail(item, 'buttons', `buttons has ${list.length}; a button message takes 1 to ${WHATSAPP_LIMITS.buttons} reply buttons (use type list for more choices)`, 'WHATSAPP_TOO_MANY_BUTTONS')
  }
  const ids = new Set<string>()
  const reply = list.map((b, i) => {
    const id = required(String(b.id ?? ''), `buttons.${i}.id`, `buttons.${i}.id`, item)
    const title = required(String(b.title ?? ''), `buttons.${i}.title`, `buttons.${i}.title`, item)
    maxLength(id, WHATSAPP_LIMITS.buttonId, `buttons.${i}.id`, `buttons.${i}.id`, item)
    maxLength(title, WHATSAPP_LIMITS.buttonTitle, `buttons.${i}.title`, `buttons.${i}.title ${JSON.stringify(title)}`, item)
    if (ids.has(id)) throw fail(item, `buttons.${i}.id`, `buttons.${i}.id ${JSON.stringify(id)} is used twice; each button needs its own id`, 'WHATSAPP_DUPLICATE_ID')
    ids.add(id)
    return { type: 'reply', reply: { id, title } }
  })
  return { type: 'button', ...interactive(p, item), action: { buttons: reply } }
}

function list(p: WhatsAppMessageInput, item?: number): Record<string, unknown> {
  const button = required(p.listButton, 'listButton', 'listButton (the label that opens the list)', item)
  maxLength(button, WHATSAPP_LIMITS.listButton, 'listButton', 'listButton', item)
  if (p.sections.length === 0 || p.sections.length > WHATSAPP_LIMITS.sections) {
    throw fail(item, 'sections', `sections has ${p.sections.length}; a list takes 1 to ${WHATSAPP_LIMITS.sections}`, 'WHATSAPP_TOO_MANY_SECTIONS')
  }
  const rowCount = p.sections.reduce((n, s) => n + (s.rows?.length ?? 0), 0)
  if (rowCount === 0 || rowCount > WHATSAPP_LIMITS.rows) {
    throw fail(item, 'sections', `the list has ${rowCount} rows in all; WhatsApp takes 1 to ${WHATSAPP_LIMITS.rows} across every section`, 'WHATSAPP_TOO_MANY_ROWS')
  }
  const ids = new Set<string>()
  const sections = p.sections.map((s, si) => {
    const title = String(s.title ?? '').trim()
    if (p.sections.length > 1 && !title) throw fail(item, `sections.${si}.title`, `sections.${si}.title is empty; a list with several sections needs a title on each`, 'WHATSAPP_MISSING_FIELD')
    maxLength(title, WHATSAPP_LIMITS.sectionTitle, `sections.${si}.title`, `sections.${si}.title`, item)
    const rows = (s.rows ?? []).map((r, ri) => {
      const at = `sections.${si}.rows.${ri}`
      const id = required(String(r.id ?? ''), `${at}.id`, `${at}.id`, item)
      const rowTitle = required(String(r.title ?? ''), `${at}.title`, `${at}.title`, item)
      const description = String(r.description ?? '').trim()
      maxLength(id, WHATSAPP_LIMITS.rowId, `${at}.id`, `${at}.id`, item)
      maxLength(rowTitle, WHATSAPP_LIMITS.rowTitle, `${at}.title`, `${at}.title ${JSON.stringify(rowTitle)}`, item)
      maxLength(description, WHATSAPP_LIMITS.rowDescription, `${at}.description`, `${at}.description`, item)
      if (ids.has(id)) throw fail(item, `${at}.id`, `${at}.id ${JSON.stringify(id)} is used twice; each row needs its own id`, 'WHATSAPP_DUPLICATE_ID')
      ids.add(id)
      return { id, title: rowTitle, ...(description ? { description } : {}) }
    })
    return { ...(title ? { title } : {}), rows }
  })
  return { type: 'list', ...interactive(p, item), action: { button, sections } }
}

function template(p: WhatsAppMessageInput, item?: number): Record<string, unknown> {
  const name = required(p.templateName, 'templateName', 'templateName (an approved template of this WhatsApp Business account)', item)
  maxLength(name, WHATSAPP_LIMITS.templateName, 'templateName', 'templateName', item)
  if (!/^[a-z0-9_]+$/.test(name)) throw fail(item, 'templateName', `templateName ${JSON.stringify(name)}: template names are lower-case letters, digits and underscores`, 'WHATSAPP_INVALID_TEMPLATE')
  const language = required(p.templateLanguage, 'templateLanguage', 'templateLanguage (e.g. en_US)', item)
  if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/.test(language)) throw fail(item, 'templateLanguage', `templateLanguage ${JSON.stringify(language)} is not a language code such as en or en_US`, 'WHATSAPP_INVALID_TEMPLATE')
  const parameters = (values: string[], field: string) =>
    values.map((v, i) => ({ type: 'text', text: required(String(v ?? ''), `${field}.${i}`, `${field}.${i}`, item) }))
  const components = [
    ...(p.headerParameters.length ? [{ type: 'header', parameters: parameters(p.headerParameters, 'headerParameters') }] : []),
    ...(p.bodyParameters.length ? [{ type: 'body', parameters: parameters(p.bodyParameters, 'bodyParameters') }] : []),
  ]
  return { name, language: { code: language }, ...(components.length ? { components } : {}) }
}

function media(p: WhatsAppMessageInput, kind: WhatsAppMediaKind, item?: number): Pick<BuiltWhatsAppMessage, 'payload' | 'file'> {
  const caption = p.caption.trim()
  if (caption && kind === 'audio') throw fail(item, 'caption', 'audio messages carry no caption', 'WHATSAPP_INVALID_MESSAGE')
  maxLength(caption, WHATSAPP_LIMITS.caption, 'caption', 'caption', item)
  const filename = p.filename.trim()
  maxLength(filename, WHATSAPP_LIMITS.filename, 'filename', 'filename', item)
  const extra = { ...(caption ? { caption } : {}), ...(kind === 'document' && filename ? { filename } : {}) }
  if (p.mediaSource === 'url') {
    const link = required(p.mediaUrl, 'mediaUrl', 'mediaUrl', item)
    let u: URL
    try {
      u = new URL(link)
    } catch {
      throw fail(item, 'mediaUrl', `mediaUrl ${JSON.stringify(link)} is not a URL`, 'WHATSAPP_INVALID_URL')
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw fail(item, 'mediaUrl', `mediaUrl must be an http(s) URL WhatsApp can fetch`, 'WHATSAPP_INVALID_URL')
    return { payload: { link, ...extra } }
  }
  const field = required(p.fileField, 'fileField', 'fileField (the item field holding the file)', item)
  return { payload: extra, file: { kind, value: undefined, field } }
}

/** The message for one item, checked; a media file is named (`file.field`) for the caller to read from the item. */
export function buildWhatsAppMessage(p: WhatsAppMessageInput, item?: number): BuiltWhatsAppMessage {
  const { to, waId } = whatsappRecipient(p.to, item)
  const base = { to, waId, type: p.type }
  switch (p.type) {
    case 'text': {
      const body = required(p.text, 'text', 'text', item)
      maxLength(body, WHATSAPP_LIMITS.text, 'text', 'text', item)
      return { ...base, apiType: 'text', payload: { body, preview_url: p.previewUrl }, summary: body }
    }
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
      return { ...base, apiType: p.type, ...media(p, p.type, item), summary: p.caption.trim() || `[${p.type}]` }
    case 'buttons': {
      const payload = buttons(p, item)
      return { ...base, apiType: 'interactive', payload, summary: p.text.trim() }
    }
    case 'list': {
      const payload = list(p, item)
      return { ...base, apiType: 'interactive', payload, summary: p.text.trim() }
    }
    case 'location': {
      const payload = {
        latitude: number(p.latitude, 'latitude', -90, 90, item),
        longitude: number(p.longitude, 'longitude', -180, 180, item),
        ...(p.locationName.trim() ? { name: p.locationName.trim() } : {}),
        ...(p.address.trim() ? { address: p.address.trim() } : {}),
      }
      return { ...base, apiType: 'location', payload, summary: p.locationName.trim() || `[location ${payload.latitude}, ${payload.longitude}]` }
    }
    case 'template': {
      const payload = template(p, item)
      return { ...base, apiType: 'template', payload, summary: `[template ${payload.name}]` }
    }
    default:
      throw fail(item, 'type', `type ${JSON.stringify(p.type)} is not one of ${WHATSAPP_MESSAGE_TYPES.join(', ')}`)
  }
}

/** A stored file checked against WhatsApp's size and type limits for `kind`, before anything is uploaded. */
export function checkWhatsAppMedia(kind: WhatsAppMediaKind, ref: Pick<FileRef, 'name' | 'mimeType' | 'size'>, field: string, item?: number): void {
  const limit = WHATSAPP_MEDIA_LIMITS[kind]
  if (ref.size > limit.maxBytes) {
    throw fail(item, field, `${ref.name} is ${formatBytes(ref.size)}; WhatsApp takes ${kind} files of at most ${formatBytes(limit.maxBytes)}`, 'WHATSAPP_MEDIA_TOO_LARGE', {
      size: ref.size, max: limit.maxBytes,
    })
  }
  const type = ref.mimeType.split(';')[0].trim().toLowerCase()
  if (limit.types && !limit.types.includes(type)) {
    throw fail(item, field, `${ref.name} is ${type || 'of no known type'}; WhatsApp takes ${kind} files of type ${limit.types.join(', ')}`, 'WHATSAPP_MEDIA_TYPE', { mimeType: type })
  }
}
