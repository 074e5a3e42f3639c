// An incoming call to a number an active "On call received" trigger listens on
// (app/api/hooks/twilio/incoming-call/[workflowId]/[nodeId]): checked with the signature of the trigger's
// credential, made a call session once per CallSid (a repeated request starts no second run), the workflow's
// published version started with { callId, callSid, from, to }, and the request answered with the first TwiML the
// run queues, exactly as a later leg is. Server only.
import { NotFoundError, ValidationError } from '../errors'
import { startExecution, type ExecutionDeps } from '../services/executions'
import { findHookRegistration, assertTwilioSignature, twilioAuthToken, type TwilioHookRequest } from './hooks'
import { normalizePhone } from './phone'
import { appendInput } from './voice-store'
import { keptFields, nextTwiml, type VoiceHookDeps } from './voice-legs'

export const CALL_TRIGGER_TYPE = 'twilio-call-trigger'

export async function answerIncomingCall(deps: VoiceHookDeps & { starts: ExecutionDeps; publicUrl: string }, workflowId: string, nodeId: string, hook: TwilioHookRequest): Promise<string> {
  const reg = await findHookRegistration(deps.prisma, workflowId, nodeId, [CALL_TRIGGER_TYPE])
  const config = reg.config as { credential?: string; number?: string }
  await assertTwilioSignature(hook, await twilioAuthToken(deps.credential, reg.tenantId, config.credential))
  const p = hook.params
  if (!p.CallSid) throw new ValidationError('CallSid is missing', { CallSid: 'Required' })
  const from = normalizePhone(p.From) ?? p.From ?? ''
  const to = normalizePhone(p.To) ?? p.To ?? ''
  if (config.number && to !== config.number) throw new NotFoundError(`An active trigger for calls to ${to}`)
  const call = await openInboundCall(deps, { tenantId: reg.tenantId, credentialId: config.credential ?? null, callSid: p.CallSid, from, to, status: p.CallStatus || 'ringing' })
  if (call.created) {
    await deps.prisma.message.createMany({
      data: [{ tenantId: reg.tenantId, channel: 'voice', direction: 'inbound', provider: 'twilio', providerId: p.CallSid, from, to, status: 'received', credentialId: config.credential, content: { callId: call.id }, statusHistory: [{ status: 'received', at: new Date().toISOString() }] }],
      skipDuplicates: true,
    })
    const item = { callId: call.id, callSid: p.CallSid, from, to, ...(p.FromCity ? { callerCity: p.FromCity } : {}), ...(p.FromCountry ? { callerCountry: p.FromCountry } : {}) }
    const executionId = await startExecution(
      deps.starts,
      { tenantId: reg.tenantId, workflowId, versionId: reg.versionId, versionNumber: reg.versionNumber, input: [item], mode: 'messaging', triggerNodeId: nodeId },
      // Linked before the run can start, so the call knows when its run is over.
      async (id) => void (await deps.prisma.voiceCall.update({ where: { id: call.id }, data: { executionId: id } })),
    )
    call.executionId = executionId
  }
  await appendInput(deps.prisma, call.id, { kind: call.created ? 'answer' : 'redirect', fields: keptFields(p) })
  return nextTwiml(deps, call, `${deps.publicUrl.replace(/\/+$/, '')}/api/hooks/twilio/voice/${encodeURIComponent(call.id)}`)
}

/** The session of this CallSid: made by the first request, found by a repeated one. */
async function openInboundCall(deps: VoiceHookDeps, c: { tenantId: string; credentialId: string | null; callSid: string; from: string; to: string; status: string }) {
  const select = { id: true, executionId: true } as const
  try {
    const row = await deps.prisma.voiceCall.create({ data: { ...c, direction: 'inbound' }, select })
    return { ...row, created: true }
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err
    const row = await deps.prisma.voiceCall.findUniqueOrThrow({ where: { tenantId_callSid: { tenantId: c.tenantId, callSid: c.callSid } }, select })
    return { ...row, created: false }
  }
}
