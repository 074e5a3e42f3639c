// Call sessions (the VoiceCall table) as voice steps use them: the TwiML a run queues for a call's next request and
// the inputs Twilio's requests leave behind. Hooks take the TwiML (lib/messaging/voice-legs.ts). Server only.
import type { PrismaClient } from '../db/generated/client'
import { NodeError } from '../engine/types'
import { cancellableSleep } from '../services/cancellable-sleep'
import { isFinal } from './status'
import type { RunVoice, VoiceCallRecord, VoiceInput } from './voice-types'

export const CALL_SELECT = {
  id: true, callSid: true, executionId: true, direction: true, from: true, to: true, status: true, ended: true, seq: true, inputs: true,
} as const

export const asCall = (row: unknown) => row as VoiceCallRecord

/** Appends one input to a call (seq moves on by one); the input as recorded. */
export async function appendInput(prisma: PrismaClient, callId: string, input: Omit<VoiceInput, 'seq' | 'at'>): Promise<VoiceInput> {
  const rows = await prisma.$queryRaw<{ seq: number }[]>`UPDATE "VoiceCall" SET seq = seq + 1, "updatedAt" = now() WHERE id = ${callId} RETURNING seq`
  const recorded: VoiceInput = { ...input, seq: rows[0]?.seq ?? 0, at: new Date().toISOString() }
  await prisma.$executeRaw`UPDATE "VoiceCall" SET inputs = inputs || ${JSON.stringify([recorded])}::jsonb WHERE id = ${callId}`
  return recorded
}

export function createRunVoice(prisma: PrismaClient, scope: { tenantId: string; executionId: string | null; origin: string; pollMs: number }): RunVoice {
  const { tenantId, executionId } = scope
  const load = (id: string) => prisma.voiceCall.findFirst({ where: { id, tenantId }, select: CALL_SELECT }).then((r) => (r ? asCall(r) : null))
  return {
    async open(call) {
      const row = await prisma.voiceCall.upsert({
        where: { id: call.id },
        create: { id: call.id, tenantId, executionId, credentialId: call.credentialId, direction: call.direction, from: call.from, to: call.to },
        update: {},
        select: CALL_SELECT,
      })
      return asCall(row)
    },
    async started(callId, callSid, status) {
      await prisma.voiceCall.updateMany({ where: { id: callId, tenantId, callSid: null }, data: { callSid, status } })
    },
    async get(callId, field) {
      const call = typeof callId === 'string' && callId ? await load(callId) : null
      if (!call) throw new NodeError(`${field} ${JSON.stringify(callId ?? '')} is not a call of this workspace: pass the callId a Make Call step or a call trigger output`, { code: 'UNKNOWN_CALL', field })
      return call
    },
    async queue(callId, verbs) {
      await prisma.$executeRaw`UPDATE "VoiceCall" SET "pendingTwiml" = COALESCE("pendingTwiml", '') || ${verbs}, seq = seq + 1, "updatedAt" = now() WHERE id = ${callId} AND "tenantId" = ${tenantId}`
    },
    async waitForInput(callId, key, kinds, timeoutMs, signal, opts = {}) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const call = await load(callId)
        const input = call?.inputs.find((i) => i.key === key && kinds.includes(i.kind)) ?? null
        if (input) return { input, callEnded: false }
        if (!call || (!opts.afterHangup && isFinal(call.status, 'voice'))) return { input: null, callEnded: true }
        if (Date.now() >= deadline) return { input: null, callEnded: false }
        await cancellableSleep(Math.min(scope.pollMs, Math.max(1, deadline - Date.now())), signal)
      }
    },
    legUrl(callId, query) {
      const q = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''
      return `${scope.origin}/api/hooks/twilio/voice/${encodeURIComponent(callId)}${q}`
    },
  }
}
