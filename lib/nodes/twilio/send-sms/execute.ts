import { NodeError, type Item } from '../../../engine/types'
import { smsMediaUrls, parseMediaUrls } from '../../../messaging/sms-media'
import { checkSms, sendSms, type SmsRequest } from '../../../messaging/sms-send'
import { twilioClient, type TwilioCredential } from '../../../messaging/twilio'
import type { MessageRecord } from '../../../messaging/types'
import type { Executor } from '../../define'
import { getPath, parsePath, setPath } from '../../paths'
import type { SendSmsParams } from './definition'
import { credentialGuard } from '../../../credentials/hosts'

export const execute: Executor<SendSmsParams, 'messaging' | 'files' | 'network'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  const cred = await ctx.credential()
  if (!cred || cred.kind !== 'twilio') throw new NodeError('Choose a Twilio credential', { code: 'MISSING_CREDENTIAL', field: 'credential' })
  const files = ctx.services.files.forRun(ctx)
  const run = ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id })

  // Every message of the page is checked before the first is sent: a bad number on item 9 sends nothing.
  const requests: SmsRequest[] = []
  const params: SendSmsParams[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const index = ctx.inputOffset + i
    const p = await ctx.paramsFor(i)
    const fields = p.media.map((field, f) => ({ field, value: getPath(ctx.items[i], field, `media.${f}`) }))
    const mediaUrls = await smsMediaUrls(files, run, fields, parseMediaUrls(p.mediaUrls, index), index)
    const req = checkSms({ from: p.from, to: p.to, body: p.body, mediaUrls, idempotencyKey: '', credentialId: cred.id }, index)
    requests.push({ ...req, idempotencyKey: `${ctx.idempotencyKey}:${index}:${req.to}` })
    params.push(p)
  }

  const client = await twilioClient(cred.data as unknown as TwilioCredential, credentialGuard(ctx.services.network, cred))
  const records: MessageRecord[] = []
  for (const [i, req] of requests.entries()) records.push((await sendSms(client, run, req, { item: ctx.inputOffset + i })).record)
  const final = await Promise.all(
    records.map((r, i) => (params[i].waitForFinal ? run.waitForFinal(r.id, params[i].waitTimeoutSeconds * 1000, ctx.signal) : r)),
  )
  const out: Item[] = final.map((r, i) => {
    const item = structuredClone(ctx.items[i])
    setPath(item, params[i].outputField, { messageId: r.id, sid: r.providerId, status: r.status, errorCode: r.errorCode, errorMessage: r.errorMessage, to: r.to }, 'outputField')
    return item
  })
  return { main: out }
}
