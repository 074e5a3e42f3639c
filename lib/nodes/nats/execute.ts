import { headers as natsHeaders, type MsgHdrs } from 'nats'
import { NodeError, type Item } from '../../engine/types'
import type { Executor } from '../define'
import { brokerConnectionError, messageBody } from '../brokers'
import { kvToRecord } from '../params'
import { parsePath, setPath } from '../paths'
import { isNatsAuthError, openNats } from './connect'
import type { NatsParams } from './definition'

const SUBJECT = /^[^\s*>]+$/

function headersOf(p: NatsParams): MsgHdrs | undefined {
  const record = kvToRecord(p.headers)
  if (Object.keys(record).length === 0) return undefined
  const h = natsHeaders()
  for (const [name, value] of Object.entries(record)) h.append(name, value)
  return h
}

export const execute: Executor<NatsParams, 'network'> = async (ctx) => {
  parsePath(ctx.params.outputField, 'outputField')
  if (ctx.items.length === 0) return { main: [] }
  const params: NatsParams[] = []
  const bodies: Buffer[] = []
  for (let i = 0; i < ctx.items.length; i++) {
    const p = await ctx.paramsFor(i)
    const index = ctx.inputOffset + i
    if (!SUBJECT.test(p.subject)) {
      throw new NodeError(`Item ${index}: ${p.subject ? `"${p.subject}" is not a subject to publish to (no spaces or wildcards)` : 'name the subject'}`, { code: 'INVALID_SUBJECT', field: 'subject', details: { item: index } })
    }
    if (p.contentMode === 'text' && !p.contentField) throw new NodeError('Name the field whose text is sent (contentField)', { code: 'MISSING_VALUE', field: 'contentField' })
    params.push(p)
    bodies.push(messageBody(ctx.items[i], p, index))
  }
  const { nc, target } = await openNats(await ctx.credential(), ctx.services.network, 'auterity-nats-node')
  const abort = () => void nc.close().catch(() => undefined)
  ctx.signal.addEventListener('abort', abort, { once: true })
  const results: Record<string, unknown>[] = []
  try {
    const js = nc.jetstream()
    for (let i = 0; i < params.length; i++) {
      const p = params[i]
      if (p.mode === 'core') {
        nc.publish(p.subject, bodies[i], { headers: headersOf(p) })
        results.push({ subject: p.subject })
        continue
      }
      try {
        const ack = await js.publish(p.subject, bodies[i], { headers: headersOf(p), msgID: p.messageId || undefined })
        results.push({ subject: p.subject, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate })
      } catch (err) {
        const e = err as { code?: string; message?: string }
        if (e.code === '503' || /no responders/i.test(e.message ?? '')) {
          throw new NodeError(`Item ${ctx.inputOffset + i}: no JetStream stream takes the subject "${p.subject}" (create a stream for it, or publish with mode core)`, {
            code: 'NATS_NO_STREAM',
            field: 'subject',
            retryable: false,
            details: { item: ctx.inputOffset + i },
          })
        }
        throw err
      }
    }
    // Core publishes are buffered: flush is the round trip that proves the server has them.
    await nc.flush()
  } catch (err) {
    throw brokerConnectionError(err, target, 'NATS', isNatsAuthError)
  } finally {
    ctx.signal.removeEventListener('abort', abort)
    await nc.close().catch(() => undefined)
  }
  const main = ctx.items.map((item: Item, i) => {
    const copy = structuredClone(item)
    setPath(copy, params[i].outputField, results[i], 'outputField')
    return copy
  })
  return { main }
}
