// WhatsApp Cloud API webhook notifications (object "whatsapp_business_account", field "messages") as Meta sends
// them, and the clean items the WhatsApp trigger's runs start with. Browser-safe (types and pure functions).

export interface WebhookMessage {
  from: string
  id: string
  timestamp: string
  type: string
  text?: { body?: string }
  interactive?: { type?: string; button_reply?: { id: string; title: string }; list_reply?: { id: string; title: string; description?: string } }
  button?: { payload?: string; text?: string }
  image?: WebhookMedia
  audio?: WebhookMedia
  video?: WebhookMedia
  document?: WebhookMedia
  sticker?: WebhookMedia
  location?: { latitude: number; longitude: number; name?: string; address?: string }
  context?: { id?: string; from?: string }
}

interface WebhookMedia {
  id: string
  mime_type?: string
  sha256?: string
  caption?: string
  filename?: string
}

export interface WebhookStatus {
  id: string
  status: string
  timestamp: string
  recipient_id: string
  /** What the send put in biz_opaque_callback_data (the studio's record id). */
  biz_opaque_callback_data?: string
  errors?: { code?: number; title?: string; message?: string; error_data?: { details?: string } }[]
}

export interface WebhookValue {
  messaging_product?: string
  metadata?: { display_phone_number?: string; phone_number_id?: string }
  contacts?: { profile?: { name?: string }; wa_id?: string }[]
  messages?: WebhookMessage[]
  statuses?: WebhookStatus[]
}

export interface WebhookPayload {
  object?: string
  entry?: { id?: string; changes?: { field?: string; value?: WebhookValue }[] }[]
}

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const

function isoFromSeconds(ts: string): string {
  const n = Number(ts)
  return new Date(Number.isFinite(n) && n > 0 ? n * 1000 : Date.now()).toISOString()
}

export interface InboundItem {
  event: 'message'
  from: string
  waId: string
  name: string | null
  type: string
  text: string | null
  reply: { kind: 'button' | 'list'; id: string; title: string; description?: string } | null
  media: { kind: string; id: string; mimeType: string | null; sha256: string | null; caption: string | null; filename: string | null } | null
  location: { latitude: number; longitude: number; name: string | null; address: string | null } | null
  messageId: string
  replyTo: string | null
  timestamp: string
  phoneNumberId: string
  displayPhoneNumber: string | null
  [key: string]: unknown
}

export function inboundItem(m: WebhookMessage, value: WebhookValue): InboundItem {
  const contact = value.contacts?.find((c) => c.wa_id === m.from) ?? value.contacts?.[0]
  const i = m.interactive
  const reply = i?.button_reply
    ? { kind: 'button' as const, id: i.button_reply.id, title: i.button_reply.title }
    : i?.list_reply
      ? { kind: 'list' as const, id: i.list_reply.id, title: i.list_reply.title, ...(i.list_reply.description ? { description: i.list_reply.description } : {}) }
      : m.button
        ? { kind: 'button' as const, id: m.button.payload ?? m.button.text ?? '', title: m.button.text ?? '' }
        : null
  const kind = MEDIA_TYPES.find((t) => m.type === t && m[t])
  const med = kind ? m[kind]! : undefined
  return {
    event: 'message',
    from: `+${m.from}`,
    waId: m.from,
    name: contact?.profile?.name ?? null,
    type: m.type,
    text: m.text?.body ?? reply?.title ?? med?.caption ?? null,
    reply,
    media: kind && med ? { kind, id: med.id, mimeType: med.mime_type ?? null, sha256: med.sha256 ?? null, caption: med.caption ?? null, filename: med.filename ?? null } : null,
    location: m.location ? { latitude: m.location.latitude, longitude: m.location.longitude, name: m.location.name ?? null, address: m.location.address ?? null } : null,
    messageId: m.id,
    replyTo: m.context?.id ?? null,
    timestamp: isoFromSeconds(m.timestamp),
    phoneNumberId: value.metadata?.phone_number_id ?? '',
    displayPhoneNumber: value.metadata?.display_phone_number ?? null,
  }
}

export interface StatusItem {
  event: 'status'
  status: string
  messageId: string
  to: string
  waId: string
  timestamp: string
  errors: { code: number | null; title: string | null; details: string | null }[]
  phoneNumberId: string
  [key: string]: unknown
}

export function statusItem(s: WebhookStatus, value: WebhookValue): StatusItem {
  return {
    event: 'status',
    status: s.status,
    messageId: s.id,
    to: `+${s.recipient_id}`,
    waId: s.recipient_id,
    timestamp: isoFromSeconds(s.timestamp),
    errors: (s.errors ?? []).map((e) => ({ code: e.code ?? null, title: e.title ?? null, details: e.error_data?.details ?? e.message ?? null })),
    phoneNumberId: value.metadata?.phone_number_id ?? '',
  }
}
