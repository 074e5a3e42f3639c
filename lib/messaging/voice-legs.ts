// Twilio's requests about a call, as the voice hooks (app/api/hooks/twilio/voice|call-status) hand them over: each
// is checked with X-Twilio-Signature against the auth token of the call's credential, a call leg leaves what Twilio
// posted (digits, speech, a recording, a Dial's outcome) in the call's inputs, then waits briefly for the TwiML the
// run queues and answers with it; status callbacks move the call and its message record forward only. Server only.
import type { PrismaClient } from '../db/generated/client'
import type { CredentialData } from '../engine/types'
import { NotFoundError, ValidationError } from '../errors'
import type { FileHost } from '../files/types'
import type { TcpGuard } from '../net/tcp-guard'
import { cancellableSleep } from '../services/cancellable-sleep'
import { assertTwilioSignature, twilioAuthToken, type TwilioHookRequest } from './hooks'
import { advances } from './status'
import { applyStatus } from './store'
import { appendInput, CALL_SELECT } from './voice-store'
import { newVoiceResponse, twimlFragment } from './voice-steps'
import type { VoiceCallRecord, VoiceInput } from './voice-types'

export interface VoiceHookDeps {
  prisma: PrismaClient
  credential(tenantId: string, id: string): Promise<CredentialData>
  /** Where recordings and transcriptions are stored, as files of the call's run. */
  files: FileHost
  /** Vets the host recordings are downloaded from (the outbound policy). */
  guard: TcpGuard
  /** How long a leg waits for the run to queue TwiML before answering "pause, then ask again" (default 10 s). */
  waitMs?: number
  pollMs?: number
}

export type HookCall = VoiceCallRecord & { tenantId: string; credentialId: string | null }

/** What Twilio posts that a step may want; the rest (account, API version, caller's address…) is left out. */
const KEPT_FIELDS = [
  'CallSid', 'CallStatus', 'From', 'To', 'Digits', 'SpeechResult', 'Confidence', 'RecordingSid', 'RecordingUrl', 'RecordingDuration',
  'DialCallSid', 'DialCallStatus', 'DialCallDuration', 'TranscriptionSid', 'TranscriptionText', 'TranscriptionStatus', 'ErrorCode',
]
const LEG_KINDS = new Set<VoiceInput['kind']>(['gather', 'record', 'dial', 'timeout'])
const FINISHED_RUN = ['succeeded', 'failed', 'canceled']

export function keptFields(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(KEPT_FIELDS.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]))
}

/** The call a hook URL names, after Twilio's signature over the request checked out (404, 403 otherwise). */
export async function hookCall(deps: VoiceHookDeps, callId: string, hook: TwilioHookRequest): Promise<HookCall> {
  const row = await deps.prisma.voiceCall.findUnique({ where: { id: callId }, select: { ...CALL_SELECT, tenantId: true, credentialId: true } })
  if (!row) throw new NotFoundError('A call at this URL')
  await assertTwilioSignature(hook, await twilioAuthToken(deps.credential, row.tenantId, row.credentialId))
  return row as unknown as HookCall
}

/** Twilio's call status as the leg or callback reports it, applied forward only. */
async function advanceCallStatus(prisma: PrismaClient, call: HookCall, status: string | undefined): Promise<boolean> {
  if (!status || !advances(call.status, status, 'voice')) return false
  const n = await prisma.voiceCall.updateMany({ where: { id: call.id, status: call.status }, data: { status } })
  return n.count > 0
}

/** A call leg: records what Twilio posted, then answers with the TwiML the run queued (waiting up to `waitMs`). */
export async function answerLeg(deps: VoiceHookDeps, callId: string, hook: TwilioHookRequest): Promise<string> {
  const call = await hookCall(deps, callId, hook)
  const q = new URL(hook.url).searchParams
  const leg = q.get('leg') as VoiceInput['kind'] | null
  const kind: VoiceInput['kind'] = leg && LEG_KINDS.has(leg) ? leg : call.inputs.length === 0 ? 'answer' : 'redirect'
  await advanceCallStatus(deps.prisma, call, hook.params.CallStatus)
  await appendInput(deps.prisma, call.id, { kind, ...(q.get('k') ? { key: q.get('k')! } : {}), fields: keptFields(hook.params) })
  return nextTwiml(deps, call, hook.url.split('?')[0])
}

/** Takes the queued TwiML (one request gets it), or says to hang up once the run is over, or to ask again later. */
export async function nextTwiml(deps: VoiceHookDeps, call: { id: string; executionId: string | null }, legUrl: string): Promise<string> {
  const deadline = Date.now() + (deps.waitMs ?? 10_000)
  const never = new AbortController().signal
  for (;;) {
    const taken = await deps.prisma.$queryRaw<{ taken: string }[]>`
      UPDATE "VoiceCall" v SET "pendingTwiml" = NULL, "updatedAt" = now()
      FROM (SELECT id, "pendingTwiml" AS taken FROM "VoiceCall" WHERE id = ${call.id} AND "pendingTwiml" IS NOT NULL FOR UPDATE) s
      WHERE v.id = s.id RETURNING s.taken`
    if (taken.length > 0) return respond(`${taken[0].taken}${redirectTo(legUrl)}`)
    if (await callOver(deps.prisma, call.id)) return respond('<Hangup/>')
    if (Date.now() >= deadline) return respond(`<Pause length="1"/>${redirectTo(legUrl)}`)
    await cancellableSleep(Math.min(deps.pollMs ?? 100, Math.max(1, deadline - Date.now())), never)
  }
}

/** The call's run has finished (or the call was marked ended): marks it ended. */
async function callOver(prisma: PrismaClient, callId: string): Promise<boolean> {
  const row = await prisma.voiceCall.findUnique({ where: { id: callId }, select: { ended: true, executionId: true } })
  if (!row || row.ended) return true
  if (!row.executionId) return false
  const run = await prisma.execution.findUnique({ where: { id: row.executionId }, select: { status: true } })
  if (!run || !FINISHED_RUN.includes(run.status)) return false
  await prisma.voiceCall.update({ where: { id: callId }, data: { ended: true } })
  return true
}

function redirectTo(url: string): string {
  const r = newVoiceResponse()
  r.redirect({ method: 'POST' }, url)
  return twimlFragment(r)
}

const respond = (verbs: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs}</Response>`

/** A call status callback: the call and its message record move forward only (a replay changes nothing). */
export async function applyCallStatus(deps: VoiceHookDeps, callId: string, hook: TwilioHookRequest): Promise<{ changed: boolean }> {
  const call = await hookCall(deps, callId, hook)
  const status = hook.params.CallStatus
  if (!status) throw new ValidationError('CallStatus is missing', { CallStatus: 'Required' })
  const sid = hook.params.CallSid ?? call.callSid
  if (call.callSid && sid !== call.callSid) throw new ValidationError('CallSid is not this call\'s', { CallSid: 'Not this call' })
  if (!call.callSid && sid) await deps.prisma.voiceCall.updateMany({ where: { id: call.id, callSid: null }, data: { callSid: sid } })
  const changed = await advanceCallStatus(deps.prisma, call, status)
  if (sid) await applyStatus(deps.prisma, { tenantId: call.tenantId, provider: 'twilio', providerId: sid }, { status, errorCode: hook.params.ErrorCode ?? null })
  return { changed }
}

