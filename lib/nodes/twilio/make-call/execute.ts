import crypto from 'node:crypto'
import type { Item } from '../../../engine/types'
import { requirePhone } from '../../../messaging/phone'
import { twilioClient, twilioError, type TwilioCredential } from '../../../messaging/twilio'
import { newVoiceResponse } from '../../../messaging/voice-steps'
import type { Executor } from '../../define'
import type { MakeCallParams } from './definition'
import { credentialGuard } from '../../../credentials/hosts'

/** One call per item, placed in order; every number is checked before the first is dialled. */
export const execute: Executor<MakeCallParams, 'messaging' | 'network'> = async (ctx) => {
  const params: (MakeCallParams & { from: string; to: string })[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    params.push({ ...p, from: requirePhone(p.from, 'from', index), to: requirePhone(p.to, 'to', index) })
  }
  if (params.length === 0) return { main: [] }
  const cred = await ctx.credential()
  const client = await twilioClient(cred?.data as unknown as TwilioCredential, credentialGuard(ctx.services.network, cred))
  const run = ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id })
  const out: Item[] = []
  for (const [i, p] of params.entries()) {
    const index = ctx.inputOffset + i
    const idempotencyKey = `${ctx.idempotencyKey}:${index}:${p.to}`
    const callId = `vc${crypto.createHash('sha256').update(`${ctx.tenantId}|${idempotencyKey}`).digest('hex').slice(0, 24)}`
    const call = await run.voice.open({ id: callId, from: p.from, to: p.to, credentialId: cred?.id, direction: 'outbound' })
    const { record, created } = await run.prepare({
      channel: 'voice', provider: 'twilio', from: p.from, to: p.to, body: p.mode === 'message' ? p.message : undefined,
      content: { callId }, credentialId: cred?.id, idempotencyKey,
    })
    if (!created && record.providerId) {
      out.push({ ...ctx.items[i], callId, callSid: record.providerId, status: call.status })
      continue
    }
    let twiml: string | undefined
    if (p.mode === 'message') {
      const r = newVoiceResponse()
      r.say({ voice: p.voice as never, language: p.language as never }, p.message)
      r.hangup()
      twiml = r.toString()
    }
    try {
      const placed = await client.calls.create({
        to: p.to,
        from: p.from,
        ...(twiml ? { twiml } : { url: run.voice.legUrl(callId), method: 'POST' }),
        timeout: p.ringSeconds,
        statusCallback: run.hookUrl(`twilio/call-status/${callId}`),
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      })
      await run.voice.started(callId, placed.sid, placed.status)
      const accepted = await run.accepted(record.id, placed.sid, placed.status)
      out.push({ ...ctx.items[i], callId, callSid: placed.sid, status: accepted.status })
    } catch (err) {
      const e = twilioError(err, 'to', index)
      if (!e.retryable) await run.refused(record.id, 'failed', (err as { code?: number }).code ? String((err as { code?: number }).code) : e.code, e.message)
      throw e
    }
  }
  return { main: out }
}
