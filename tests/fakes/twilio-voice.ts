// Twilio's side of a phone call, for voice tests: plays the phone for a call the fake Twilio server holds (or an
// incoming call to a studio hook), over real HTTP and signed as Twilio signs: sends the status callbacks, fetches
// TwiML from the call's URL, says what <Say> says into a transcript, presses the script's digits at each <Gather>
// (posting to its action), follows <Redirect>, answers <Record> with a recording the fake then serves under
// /Recordings/<sid>.mp3 (recording and transcription callbacks sent as Twilio sends them, beside the action
// request), answers <Dial> with the script's outcome, and stops at <Hangup/> or at the end of a document.
import crypto from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import type { FakeCall, FakeTwilio, SentWebhook } from './twilio'

export interface PhoneScript {
  /** Keypad answers, one per <Gather> in order; a Gather past the end hears nothing (times out). */
  digits?: string[]
  /** Spoken answers, one per <Gather> that listens for speech, in order (taken before digits). */
  speech?: { text: string; confidence: number }[]
  /** A <Record>: the audio Twilio will serve, and a transcription (when the verb asks for one). */
  recording?: { bytes: Buffer; durationSeconds?: number; transcription?: string }
  /** A <Dial>'s outcome (default completed). */
  dialStatus?: string
  /** Legs after which the phone gives up (default 25). */
  maxLegs?: number
}

export interface PhoneLeg {
  /** Path and query of the request. */
  path: string
  sent: Record<string, string>
  status: number
  twiml: string
}

export interface CallTranscript {
  legs: PhoneLeg[]
  said: string[]
  played: string[]
  dialled: string[]
  /** How the call ended: hangup (a <Hangup/>), end (a document without more to do), error (a non-200), limit. */
  ending: 'hangup' | 'end' | 'error' | 'limit'
  /** Recording and transcription callbacks sent (their answers). */
  callbacks: SentWebhook[]
}

interface XmlNode {
  [tag: string]: XmlNode[] | string | Record<string, string>
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: true })

const tagOf = (n: XmlNode) => Object.keys(n).find((k) => k !== ':@')!
const attrs = (n: XmlNode) => (n[':@'] ?? {}) as Record<string, string>
const textOf = (n: XmlNode) => ((n[tagOf(n)] as XmlNode[]).find((c) => '#text' in c)?.['#text'] as string | undefined) ?? ''

/** The verbs of a TwiML document, in order. */
export function twimlVerbs(xml: string): XmlNode[] {
  const doc = parser.parse(xml) as XmlNode[]
  const response = doc.find((n) => tagOf(n) === 'Response')
  return response ? (response.Response as XmlNode[]) : []
}

/** Plays an outbound call the fake holds: status callbacks, then the legs from its URL. */
export async function answerCall(fake: FakeTwilio, call: FakeCall, script: PhoneScript = {}): Promise<CallTranscript> {
  const base = { AccountSid: fake.accountSid, CallSid: call.sid, From: call.from, To: call.to, Direction: 'outbound-api', ApiVersion: '2010-04-01' }
  const status = async (CallStatus: string, extra: Record<string, string> = {}) => {
    if (call.statusCallback) await fake.post(call.statusCallback, { ...base, CallStatus, ...extra })
  }
  await status('initiated')
  await status('ringing')
  call.status = 'in-progress'
  await status('in-progress')
  const transcript = await playLegs(fake, call.url!, { ...base, CallStatus: 'in-progress' }, script)
  call.status = 'completed'
  await status('completed', { CallDuration: '12' })
  return transcript
}

/** An incoming call: Twilio's first request goes to the number's hook URL, the rest where the TwiML says. */
export function incomingCall(fake: FakeTwilio, hookUrl: string, call: { from: string; to: string; callSid?: string }, script: PhoneScript = {}) {
  const params = { AccountSid: fake.accountSid, CallSid: call.callSid ?? `CA${crypto.randomBytes(16).toString('hex')}`, From: call.from, To: call.to, Direction: 'inbound', CallStatus: 'ringing', FromCity: 'SAN FRANCISCO', FromCountry: 'US', ApiVersion: '2010-04-01' }
  return { callSid: params.CallSid, transcript: playLegs(fake, hookUrl, params, script) }
}

async function playLegs(fake: FakeTwilio, firstUrl: string, base: Record<string, string>, script: PhoneScript): Promise<CallTranscript> {
  const t: CallTranscript = { legs: [], said: [], played: [], dialled: [], ending: 'limit', callbacks: [] }
  const digits = [...(script.digits ?? [])]
  const speech = [...(script.speech ?? [])]
  const background: Promise<unknown>[] = []
  let next: { url: string; params: Record<string, string> } | null = { url: firstUrl, params: base }
  while (next && t.legs.length < (script.maxLegs ?? 25)) {
    const res = await fake.post(next.url, next.params)
    const u = new URL(next.url)
    t.legs.push({ path: `${u.pathname}${u.search}`, sent: next.params, status: res.status, twiml: res.body })
    if (res.status !== 200) {
      t.ending = 'error'
      break
    }
    next = null
    const legBase = { ...base, CallStatus: 'in-progress' }
    for (const verb of twimlVerbs(res.body)) {
      const tag = tagOf(verb)
      const a = attrs(verb)
      if (tag === 'Say') t.said.push(textOf(verb))
      else if (tag === 'Play') t.played.push(textOf(verb))
      else if (tag === 'Hangup') {
        t.ending = 'hangup'
        break
      } else if (tag === 'Redirect') {
        next = { url: textOf(verb), params: legBase }
        break
      } else if (tag === 'Gather') {
        for (const inner of verb.Gather as XmlNode[]) if (tagOf(inner) === 'Say') t.said.push(textOf(inner))
        const spoken = a.input?.includes('speech') ? speech.shift() : undefined
        if (spoken) {
          next = { url: a.action, params: { ...legBase, SpeechResult: spoken.text, Confidence: String(spoken.confidence) } }
          break
        }
        const pressed = digits.shift()
        if (pressed !== undefined) {
          next = { url: a.action, params: { ...legBase, Digits: pressed, FinishedOnKey: '' } }
          break
        }
      } else if (tag === 'Dial') {
        t.dialled.push(textOf(verb))
        next = { url: a.action, params: { ...legBase, DialCallStatus: script.dialStatus ?? 'completed', DialCallSid: `CA${crypto.randomBytes(16).toString('hex')}`, DialCallDuration: '42' } }
        break
      } else if (tag === 'Record') {
        const rec = script.recording ?? { bytes: Buffer.from('no audio') }
        const recordingSid = `RE${crypto.randomBytes(16).toString('hex')}`
        fake.recordings.set(recordingSid, rec.bytes)
        const recording = { RecordingSid: recordingSid, RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${fake.accountSid}/Recordings/${recordingSid}`, RecordingDuration: String(rec.durationSeconds ?? 7) }
        // Twilio reports the stored recording (and its transcription) on its own, beside the call's next request.
        if (a.recordingStatusCallback) {
          background.push(fake.post(a.recordingStatusCallback, { AccountSid: fake.accountSid, CallSid: base.CallSid, RecordingStatus: 'completed', RecordingChannels: '1', RecordingSource: 'RecordVerb', ...recording }).then((r) => t.callbacks.push(r)))
        }
        if (a.transcribeCallback && rec.transcription !== undefined) {
          background.push(fake.post(a.transcribeCallback, { AccountSid: fake.accountSid, CallSid: base.CallSid, TranscriptionSid: `TR${crypto.randomBytes(16).toString('hex')}`, TranscriptionStatus: 'completed', TranscriptionText: rec.transcription, ...recording }).then((r) => t.callbacks.push(r)))
        }
        next = { url: a.action, params: { ...legBase, ...recording, Digits: 'hangup' } }
        break
      }
    }
    if (!next && t.ending === 'limit') t.ending = 'end'
  }
  await Promise.all(background)
  return t
}
