// What messaging node types see of the host (types only: node definitions stay browser-safe). The host keeps every
// message in the Message table (lib/messaging/store.ts), so retries find what was already sent, status callbacks
// update it, and the studio's message log and a run's conversation view read it. docs/messaging.md.
import type { FileRef } from '../files/ref'
import type { RunVoice } from './voice-types'

export type MessagingChannel = 'sms' | 'mms' | 'whatsapp' | 'voice'
export type MessagingProvider = 'twilio' | 'whatsapp'

/** Statuses after which a message changes no more (WhatsApp's `read` may still follow `delivered`). */
export const FINAL_STATUSES = ['delivered', 'undelivered', 'failed', 'read', 'skipped', 'canceled'] as const

export interface OutboundMessage {
  channel: MessagingChannel
  provider: MessagingProvider
  from: string
  to: string
  body?: string
  content?: unknown
  credentialId?: string
  campaignId?: string
  /** Unique per workspace: the same key finds the same row (and what the provider already answered). */
  idempotencyKey: string
}

export interface MessageRecord {
  id: string
  channel: MessagingChannel
  direction: 'outbound' | 'inbound'
  provider: MessagingProvider
  providerId: string | null
  from: string
  to: string
  body: string | null
  status: string
  errorCode: string | null
  errorMessage: string | null
  createdAt: Date
  updatedAt: Date
}

/** One run's (or one tested step's) view of the messaging store; everything is scoped to its workspace. */
export interface RunMessaging {
  /** The row for this key: made `pending` the first time, the existing one (maybe already sent) after that. */
  prepare(msg: OutboundMessage): Promise<{ record: MessageRecord; created: boolean }>
  /** The provider accepted it: its id and first status. */
  accepted(id: string, providerId: string, status: string): Promise<MessageRecord>
  /** Refused before or by the provider (never sent), or skipped for an opt-out. */
  refused(id: string, status: 'failed' | 'skipped', errorCode: string | null, errorMessage: string): Promise<MessageRecord>
  /** Waits until the message reaches a final status (or `timeoutMs` passes: the record as it stands). */
  waitForFinal(id: string, timeoutMs: number, signal: AbortSignal): Promise<MessageRecord>
  isOptedOut(channel: 'sms' | 'whatsapp', address: string): Promise<boolean>
  optedOut(channel: 'sms' | 'whatsapp', addresses: string[]): Promise<Set<string>>
  optOut(channel: 'sms' | 'whatsapp', address: string, source: 'keyword' | 'carrier' | 'manual'): Promise<void>
  /** The recipient said START (or was re-subscribed by hand): messages go to them again. */
  optIn(channel: 'sms' | 'whatsapp', address: string): Promise<void>
  /**
   * Holds a sender to `perSecond` messages a second across every run and worker: resolves when this message's slot
   * comes (slots are handed out in order, 1/perSecond apart).
   */
  rateSlot(sender: string, perSecond: number, signal: AbortSignal): Promise<void>
  /** A public URL for a stored file that Twilio can fetch (MMS media), signed and valid for `ttlSeconds`. */
  mediaUrl(ref: FileRef, ttlSeconds?: number): string
  /** The public URL of a studio hook (`/api/hooks/…`), as the provider must be told it. */
  hookUrl(path: string): string
  /** WhatsApp: when this user last wrote to this number (the 24-hour window), or null. */
  lastInbound(phoneNumberId: string, waId: string): Promise<Date | null>
  /** Call sessions: the TwiML queued for a call's next request and what the caller did (lib/messaging/voice-store.ts). */
  readonly voice: RunVoice
  readonly tenantId: string
  readonly executionId: string | null
}

export interface MessagingHost {
  forRun(scope: { tenantId: string; executionId: string | null; nodeId?: string }): RunMessaging
}
