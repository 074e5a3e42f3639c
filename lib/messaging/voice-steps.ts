// What every voice step (Say/Play, Gather, Record, Dial, Hang up) does per item: find the item's call, queue the
// TwiML its params build for the call's next request, and, for verbs the caller answers, hold the step until that
// answer comes back on a later call leg (bounded, cancellable) and put it on the item. Server only.
import crypto from 'node:crypto'
import twilio from 'twilio'
import type { Item } from '../engine/types'
import type { Executor } from '../nodes/define'
import type { RunVoice, VoiceInput, VoiceWaitResult } from './voice-types'

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>

/** The longest a step waits for the caller (it holds a worker slot meanwhile, like the Wait node). */
export const MAX_VOICE_WAIT_SECONDS = 600

export interface VoiceStepParams {
  callId: string
}

export interface VoiceVerb<P> {
  /** Adds the step's verbs for item `index`; action URLs carry this step's key, so its answer finds it. */
  build(r: VoiceResponse, p: P, urls: VerbUrls): void
  /** Verbs the caller answers: which inputs end the wait, how long it may last, and what goes on the item. */
  wait?: {
    kinds: VoiceInput['kind'][]
    seconds(p: P): number
    output(result: VoiceWaitResult, p: P, call: { voice: RunVoice; callId: string; key: string; signal: AbortSignal }): Promise<Record<string, unknown>> | Record<string, unknown>
  }
}

export interface VerbUrls {
  index: number
  /** The call's TwiML URL for this verb's action (Gather digits, Record, Dial outcome), tagged with the step's key. */
  action(leg: VoiceInput['kind']): string
  /** Where Twilio reports a finished recording or transcription of this step. */
  recording(kind: 'recording' | 'transcription'): string
}

/** The verbs of a VoiceResponse without the XML declaration and <Response> wrapper (the hook wraps them). */
export function twimlFragment(r: VoiceResponse): string {
  return r.toString().replace(/^<\?xml[^>]*\?>/, '').replace(/^<Response\/>$/, '').replace(/^<Response>/, '').replace(/<\/Response>$/, '')
}

export function newVoiceResponse(): VoiceResponse {
  return new twilio.twiml.VoiceResponse()
}

/** A step's verb key: stable across retries of the step, distinct per item. */
const verbKey = (idempotencyKey: string, index: number) => crypto.createHash('sha256').update(`${idempotencyKey}|${index}`).digest('base64url').slice(0, 22)

/** The executor of a voice step built from `verb`: items run side by side (one call each, usually one item). */
export function voiceStep<P extends VoiceStepParams>(verb: VoiceVerb<P>): Executor<P, 'messaging'> {
  return async (ctx) => {
    const run = ctx.services.messaging.forRun({ tenantId: ctx.tenantId, executionId: ctx.executionId, nodeId: ctx.node.id })
    const voice = run.voice
    const out = await Promise.all(
      ctx.items.map(async (item, i): Promise<Item> => {
        const index = ctx.inputOffset + i
        const p = await ctx.paramsFor(i)
        const call = await voice.get(p.callId || (item.callId as string), 'callId')
        const key = verbKey(ctx.idempotencyKey, index)
        // A retried step whose verb was already answered does not queue it again.
        if (!call.inputs.some((input) => input.key === key)) {
          const r = newVoiceResponse()
          verb.build(r, p, {
            index,
            action: (leg) => voice.legUrl(call.id, { leg, k: key }),
            recording: (kind) => `${run.hookUrl(`twilio/recording/${encodeURIComponent(call.id)}`)}?${new URLSearchParams({ kind, k: key })}`,
          })
          await voice.queue(call.id, twimlFragment(r))
        }
        if (!verb.wait) return { ...item, callId: call.id }
        const seconds = Math.min(MAX_VOICE_WAIT_SECONDS, verb.wait.seconds(p))
        const result = await voice.waitForInput(call.id, key, verb.wait.kinds, seconds * 1000, ctx.signal)
        return { ...item, callId: call.id, ...(await verb.wait.output(result, p, { voice, callId: call.id, key, signal: ctx.signal })), callEnded: result.callEnded }
      }),
    )
    return { main: out }
  }
}
