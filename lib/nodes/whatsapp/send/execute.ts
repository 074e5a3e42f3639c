import type { Item } from '../../../engine/types'
import type { RunFiles } from '../../../files/types'
import { GraphClient, whatsappCredential } from '../../../messaging/whatsapp-graph'
import { buildWhatsAppMessage, type BuiltWhatsAppMessage } from '../../../messaging/whatsapp-message'
import { sendWhatsApp } from '../../../messaging/whatsapp-send'
import type { Executor } from '../../define'
import { parsePath, setPath } from '../../paths'
import type { WhatsAppSendParams } from './definition'

export const execute: Executor<WhatsAppSendParams, 'messaging' | 'files'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  // Every message of the page is checked before the first is sent: a bad number on item 9 sends nothing.
  const params: WhatsAppSendParams[] = []
  const messages: BuiltWhatsAppMessage[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    params.push(await ctx.paramsFor(i))
    messages.push(buildWhatsAppMessage(params[i], ctx.inputOffset + i))
  }
  const credential = await ctx.credential()
  const graph = new GraphClient(ctx.services.http, whatsappCredential(credential), ctx.signal)
  const run = ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id })
  let files: RunFiles | undefined
  const runFiles = () => (files ??= ctx.services.files.forRun(ctx))
  const out: Item[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const index = ctx.inputOffset + i
    const m = messages[i]
    const { record, optedOut } = await sendWhatsApp(graph, run, runFiles, {
      message: m, item: ctx.items[i], index, credentialId: credential?.id, checkWindow: params[i].checkWindow,
      idempotencyKey: `${ctx.idempotencyKey}:${index}:${m.to}`,
    })
    const item = structuredClone(ctx.items[i])
    setPath(item, params[i].outputField, { messageId: record.id, wamid: record.providerId, status: record.status, to: m.to, type: m.type, ...(optedOut ? { skipped: true } : {}) }, 'outputField')
    out.push(item)
  }
  return { main: out }
}
