// One message to many recipients, as the Bulk SMS node and scheduled campaigns (lib/messaging/campaigns.ts) send
// it: the list cleaned (numbers normalised, duplicates removed and counted, invalid numbers reported), opt-outs
// skipped, every send waiting for the sender's rate slot (RunMessaging.rateSlot: one Redis allocator, so the rate
// holds across parallel runs and workers), retryable failures tried again with backoff and the rest reported.
// Each recipient's message is keyed `${keyPrefix}:${number}`: a retried step or campaign finds what it sent.
// Server only.
import type { Twilio } from 'twilio'
import { NodeError } from '../engine/types'
import { cancellableSleep } from '../services/cancellable-sleep'
import { normalizePhone } from './phone'
import { checkSms, sendSms } from './sms-send'
import type { RunMessaging } from './types'

export const MAX_BULK_RATE = 100
export const MAX_BULK_ATTEMPTS = 10
/** Sends in flight at once: enough to keep the rate when Twilio answers slowly, few enough to stay polite. */
const MAX_IN_FLIGHT = 10

/** Twilio refusals about the account or the sender, not the recipient: the same for everyone, so the send stops. */
const SHARED_TWILIO_CODES = new Set([20003, 20005, 21212, 21603, 21606, 21659])

function sharedFailure(e: NodeError): boolean {
  const d = (e.details ?? {}) as { status?: number; twilioCode?: number }
  return e.code === 'SSRF_BLOCKED' || d.status === 401 || d.status === 403 || SHARED_TWILIO_CODES.has(d.twilioCode ?? 0)
}

export interface BulkRequest {
  /** E.164 number or Messaging Service SID: also the rate limit's key. */
  from: string
  body: string
  mediaUrls?: string[]
  /** Numbers as given (normalised here; duplicates and invalid ones reported). */
  recipients: unknown[]
  /** Messages per second from `from`, across every run and worker. */
  ratePerSecond: number
  /** Idempotency: recipient `n` is sent under `${keyPrefix}:${n}`. */
  keyPrefix: string
  campaignId?: string
  credentialId?: string
  signal: AbortSignal
  onProgress?: (progress: BulkProgress) => void
  /** Tries per recipient for retryable failures (429, 5xx, network); default 3. */
  maxAttempts?: number
  /** Wait before the second try, doubled for each further one; default 1000. */
  retryDelayMs?: number
}

export interface BulkProgress {
  total: number
  sent: number
  failed: number
  skipped: number
}

export type BulkOutcome = 'sent' | 'skipped' | 'failed' | 'duplicate'

export interface BulkRecipientResult {
  to: string
  outcome: BulkOutcome
  messageId: string | null
  sid: string | null
  /** The message's status as recorded (queued, sent…, skipped, failed). */
  status: string | null
  errorCode: string | null
  errorMessage: string | null
  /** Sends tried for this recipient by this call (0: found already sent, skipped, or refused before sending). */
  attempts: number
}

export interface BulkSummary extends BulkProgress {
  /** Repeated entries of the list (each sent once). */
  duplicates: number
  /** One per distinct recipient, in list order, then one `duplicate` per repeated entry. */
  results: BulkRecipientResult[]
}

interface CleanList {
  targets: { to: string; given: unknown }[]
  invalid: BulkRecipientResult[]
  duplicates: BulkRecipientResult[]
}

/** Normalises, removes repeats (the first occurrence stays), and sets invalid numbers apart. */
export function cleanRecipients(recipients: unknown[]): CleanList {
  const seen = new Set<string>()
  const out: CleanList = { targets: [], invalid: [], duplicates: [] }
  const empty = { messageId: null, sid: null, status: null, attempts: 0 }
  for (const given of recipients) {
    const to = normalizePhone(given)
    const key = to ?? String(given)
    if (seen.has(key)) {
      out.duplicates.push({ to: key, outcome: 'duplicate', ...empty, errorCode: null, errorMessage: 'Listed more than once: sent once' })
      continue
    }
    seen.add(key)
    if (to) out.targets.push({ to, given })
    else out.invalid.push({ to: key, outcome: 'failed', ...empty, errorCode: 'INVALID_PHONE_NUMBER', errorMessage: `${JSON.stringify(given)} is not a phone number in E.164 form (e.g. +14155550100)` })
  }
  return out
}

export async function sendBulk(client: Twilio, run: RunMessaging, req: BulkRequest): Promise<BulkSummary> {
  if (!(req.ratePerSecond > 0) || req.ratePerSecond > MAX_BULK_RATE) {
    throw new NodeError(`ratePerSecond must be above 0 and at most ${MAX_BULK_RATE}`, { code: 'INVALID_RATE', field: 'ratePerSecond' })
  }
  const { targets, invalid, duplicates } = cleanRecipients(req.recipients)
  // The sender, body and media are the same for everyone: a problem with them fails the step before any send.
  const base = targets.length ? checkSms({ from: req.from, to: targets[0].to, body: req.body, mediaUrls: req.mediaUrls, idempotencyKey: '' }) : undefined
  const maxAttempts = Math.min(Math.max(1, req.maxAttempts ?? 3), MAX_BULK_ATTEMPTS)
  const retryDelayMs = req.retryDelayMs ?? 1000
  const progress: BulkProgress = { total: targets.length + invalid.length, sent: 0, failed: invalid.length, skipped: 0 }
  const results: BulkRecipientResult[] = new Array(targets.length)
  const report = () => req.onProgress?.({ ...progress })
  // The shared slots say when a send may start; a send woken late (a busy event loop, a slow Redis reply) would then
  // go out right before the next one, and a late start catching up would exceed the rate for a moment. So this
  // call's own sends also start at least one full gap apart: a stall makes the send slower, never faster.
  const gapMs = 1000 / req.ratePerSecond
  let lastStart = -Infinity
  let paced: Promise<void> = Promise.resolve()
  const pace = () => {
    const turn = paced.then(async () => {
      const wait = lastStart + gapMs - performance.now()
      if (wait > 0) await cancellableSleep(wait, req.signal)
      lastStart = performance.now()
    })
    paced = turn.catch(() => undefined)
    return turn
  }

  async function sendOne(to: string): Promise<BulkRecipientResult> {
    const sms = { ...base!, to, idempotencyKey: `${req.keyPrefix}:${to}`, credentialId: req.credentialId, campaignId: req.campaignId }
    let attempts = 0
    for (;;) {
      try {
        const outcome = await sendSms(client, run, sms, {
          beforeSend: async () => {
            attempts++
            await run.rateSlot(sms.from, req.ratePerSecond, req.signal)
            await pace()
          },
        })
        const r = outcome.record
        const failed = r.status === 'failed' || r.status === 'undelivered'
        return {
          to, outcome: outcome.optedOut ? 'skipped' : failed ? 'failed' : 'sent', messageId: r.id, sid: r.providerId, status: r.status,
          errorCode: r.errorCode, errorMessage: r.errorMessage, attempts,
        }
      } catch (err) {
        // Cancelled, or the database or Redis failing: the step fails (and its retry finds what was sent).
        if (req.signal.aborted || !(err instanceof NodeError)) throw err
        const e = err
        if (!e.retryable && sharedFailure(e)) throw e
        if (e.retryable && attempts < maxAttempts) {
          await cancellableSleep(retryDelayMs * 2 ** (attempts - 1), req.signal)
          continue
        }
        // Out of tries: the message is recorded as failed, so a later retry of the step does not send it after all.
        const { record } = await run.prepare({ channel: 'sms', provider: 'twilio', from: sms.from, to, idempotencyKey: sms.idempotencyKey })
        const r = record.status === 'pending' ? await run.refused(record.id, 'failed', e.code ?? null, e.message) : record
        return { to, outcome: 'failed', messageId: r.id, sid: r.providerId, status: r.status, errorCode: r.errorCode ?? e.code ?? null, errorMessage: r.errorMessage ?? e.message, attempts }
      }
    }
  }

  let next = 0
  let stopped = false
  const worker = async (limit = Infinity) => {
    for (let done = 0; done < limit && next < targets.length && !stopped; done++) {
      const i = next++
      const result = await sendOne(targets[i].to).catch((err: unknown) => {
        stopped = true
        throw err
      })
      results[i] = result
      progress[result.outcome === 'sent' ? 'sent' : result.outcome === 'skipped' ? 'skipped' : 'failed']++
      report()
    }
  }
  // The first message goes alone: the SDK and the database client load and prepare what they need on first use,
  // and doing that while other sends wait on their slots would hold those sends past their slots, then bunch them.
  await worker(1)
  const inFlight = Math.min(targets.length - next, MAX_IN_FLIGHT, Math.max(1, Math.ceil(req.ratePerSecond)))
  await Promise.all(Array.from({ length: inFlight }, () => worker()))
  if (targets.length === 0) report()
  return { ...progress, duplicates: duplicates.length, results: [...results, ...invalid, ...duplicates] }
}
