import { NodeError, type Item } from '../../../engine/types'
import { sendBulk } from '../../../messaging/sms-bulk'
import { parseMediaUrls } from '../../../messaging/sms-media'
import { twilioClient, type TwilioCredential } from '../../../messaging/twilio'
import type { Executor } from '../../define'
import type { BulkSmsParams } from './definition'
import { credentialGuard } from '../../../credentials/hosts'

export const execute: Executor<BulkSmsParams, 'messaging' | 'network'> = async (ctx) => {
  const cred = await ctx.credential()
  if (!cred || cred.kind !== 'twilio') throw new NodeError('Choose a Twilio credential', { code: 'MISSING_CREDENTIAL', field: 'credential' })
  const recipients: string[] = []
  for (let i = 0; i < ctx.items.length; i++) recipients.push(...(await ctx.paramsFor(i)).recipients)
  if (ctx.items.length === 0) recipients.push(...ctx.params.recipients)
  const p = ctx.params
  const summary = await sendBulk(await twilioClient(cred.data as unknown as TwilioCredential, credentialGuard(ctx.services.network, cred)), ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id }), {
    from: p.from,
    body: p.body,
    mediaUrls: parseMediaUrls(p.mediaUrls),
    recipients,
    ratePerSecond: p.ratePerSecond,
    keyPrefix: ctx.idempotencyKey,
    credentialId: cred.id,
    signal: ctx.signal,
    maxAttempts: p.maxAttempts,
    retryDelayMs: p.retryDelaySeconds * 1000,
    onProgress: (progress) => ctx.emit('progress', progress),
  })
  const { results, ...counts } = summary
  const out: Item[] = [counts]
  if (p.outputPerRecipient) out.push(...(results as unknown as Item[]))
  return { main: out }
}
