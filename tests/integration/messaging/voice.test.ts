// Twilio Voice end to end: the real `twilio` SDK places calls with the fake Twilio, the fake phone drives every call
// leg over real HTTP into the studio's signed voice hooks, and a real worker runs the workflow whose call steps
// answer those legs (TwiML queued per step, the caller's answers routed by a Switch within one execution).
import { describe, expect, it } from 'vitest'
import { answerCall, incomingCall } from '../../fakes/twilio-voice'
import { expectedTwilioSignature } from '../../../lib/messaging/twilio'
import * as deactivate from '../../../app/api/workflows/[id]/deactivate/route'
import { webFiles } from '../../../lib/services/files'
import { getDecryptedCredential } from '../../../lib/credentials'
import { createMessagingHost } from '../../../lib/messaging/store'
import { createTcpGuard } from '../../../lib/net/tcp-guard'
import { makeCallParams } from '../../../lib/nodes/twilio/make-call/definition'
import { execute as executeMakeCall } from '../../../lib/nodes/twilio/make-call/execute'
import * as cancel from '../../../app/api/executions/[id]/cancel/route'
import { voiceHookDeps } from '../../../lib/messaging/voice-hook-deps'
import { nextTwiml } from '../../../lib/messaging/voice-legs'
import { call as callRoute } from '../backbone/support'
import { FROM, createWorkflow, finished, gather, graph, makeCall, manual, placedCall, runWorkflow, say, stepOutput, succeeded, useVoiceEnv } from './voice-support'

const ctx = useVoiceEnv()
let numbers = 100
const nextNumber = () => `+1555010${String(numbers++).padStart(4, '0')}`

describe('outbound calls', () => {
  it('calls, says the text on the first leg and hangs up when the run ends', async () => {
    const to = nextNumber()
    const wf = await createWorkflow(ctx, graph([manual(), makeCall(ctx, to), say('hello', 'Hello <Ada> & welcome')]))
    const executionId = await runWorkflow(ctx, wf)
    const placed = await placedCall(ctx, to)
    expect(placed).toMatchObject({ from: FROM, method: 'POST' })
    expect(placed.url).toMatch(new RegExp(`^${ctx.hooks.url}/api/hooks/twilio/voice/vc[0-9a-f]{24}$`))
    expect(placed.statusCallback).toMatch(new RegExp(`^${ctx.hooks.url}/api/hooks/twilio/call-status/vc`))
    expect(placed.params.StatusCallbackEvent).toEqual(['initiated', 'ringing', 'answered', 'completed'])

    const transcript = await answerCall(ctx.fake, placed)
    expect(transcript.said).toEqual(['Hello <Ada> & welcome'])
    expect(transcript.legs[0].twiml).toContain('<Say voice="alice" language="en-US">Hello &lt;Ada&gt; &amp; welcome</Say>')
    expect(transcript.ending).toBe('hangup')
    expect(transcript.legs.at(-1)!.twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>')
    await succeeded(ctx, executionId)

    const [out] = await stepOutput(ctx, executionId, 'call')
    expect(out).toMatchObject({ callId: expect.stringMatching(/^vc/), callSid: placed.sid })
    const message = await ctx.t.db.prisma.message.findFirstOrThrow({ where: { providerId: placed.sid } })
    expect(message).toMatchObject({ channel: 'voice', direction: 'outbound', executionId, status: 'completed' })
    expect((message.statusHistory as { status: string }[]).map((s) => s.status)).toEqual(['pending', 'queued', 'ringing', 'in-progress', 'completed'])
    const session = await ctx.t.db.prisma.voiceCall.findUniqueOrThrow({ where: { id: out.callId } })
    expect(session).toMatchObject({ callSid: placed.sid, status: 'completed', ended: true, pendingTwiml: null })
  })

  it('runs an IVR across call legs of one execution: Gather → Switch → branch 2 gathers again → Dial', async () => {
    const to = nextNumber()
    const g = graph(
      [
        manual(),
        makeCall(ctx, to),
        gather('menu', 'Press 1 for opening hours, 2 for an agent.'),
        {
          id: 'route', type: 'switch', name: 'Route',
          params: { rules: [{ left: '{{ $json.digits }}', operator: 'equals', right: '1' }, { left: '{{ $json.digits }}', operator: 'equals', right: '2' }] },
        },
        say('hours', 'We are open nine to five.'),
        gather('confirm', 'Press 3 to be connected now.'),
        { id: 'dial', type: 'twilio-call-dial', name: 'Dial', params: { number: '+15550109999', timeout: 20 } },
        say('bye', 'Goodbye.'),
      ],
      [['start', 'main', 'call'], ['call', 'main', 'menu'], ['menu', 'main', 'route'], ['route', 'out0', 'hours'], ['route', 'out1', 'confirm'], ['confirm', 'main', 'dial'], ['dial', 'main', 'bye']],
    )
    const wf = await createWorkflow(ctx, g)
    const executionId = await runWorkflow(ctx, wf)
    const transcript = await answerCall(ctx.fake, await placedCall(ctx, to), { digits: ['2', '3'] })
    await succeeded(ctx, executionId)

    const legs = transcript.legs.filter((l) => !l.twiml.includes('<Pause'))
    // Leg 1 (answered): the menu. Leg 2 (digits 2): the second question. Leg 3 (digits 3): the transfer.
    expect(legs[0].twiml).toMatch(/<Gather input="dtmf" action="[^"]+\?leg=gather&amp;k=[\w-]+" method="POST" timeout="5" numDigits="1" finishOnKey="#"><Say[^>]*>Press 1 for opening hours, 2 for an agent.<\/Say><\/Gather><Redirect method="POST">[^<]+\?leg=timeout&amp;k=/)
    expect(legs[1].sent.Digits).toBe('2')
    expect(legs[1].path).toMatch(/\?leg=gather&k=/)
    expect(legs[1].twiml).toContain('Press 3 to be connected now.')
    expect(legs[2].sent.Digits).toBe('3')
    expect(legs[2].twiml).toMatch(/<Dial action="[^"]+\?leg=dial&amp;k=[\w-]+" method="POST" timeout="20" timeLimit="3600">\+15550109999<\/Dial>/)
    expect(legs[3].sent.DialCallStatus).toBe('completed')
    expect(legs[3].twiml).toContain('Goodbye.')
    expect(transcript.said).toEqual(['Press 1 for opening hours, 2 for an agent.', 'Press 3 to be connected now.', 'Goodbye.'])
    expect(transcript.dialled).toEqual(['+15550109999'])
    expect(transcript.ending).toBe('hangup')

    expect(await stepOutput(ctx, executionId, 'menu')).toEqual([expect.objectContaining({ digits: '2', timedOut: false, callEnded: false })])
    expect(await stepOutput(ctx, executionId, 'hours')).toEqual([])
    expect(await stepOutput(ctx, executionId, 'dial')).toEqual([expect.objectContaining({ dialStatus: 'completed', dialDuration: 42 })])
    const steps = await ctx.t.db.prisma.stepRun.findMany({ where: { executionId }, select: { nodeId: true, status: true } })
    expect(steps.find((s) => s.nodeId === 'hours')?.status ?? 'skipped').toBe('skipped')
  })

  it('routes the other branch when the caller presses 1, and a Gather that hears nothing times out', async () => {
    const to = nextNumber()
    const g = graph(
      [manual(), makeCall(ctx, to), gather('menu', 'Press 1.'), { id: 'route', type: 'switch', name: 'Route', params: { rules: [{ left: '{{ $json.digits }}', operator: 'equals', right: '1' }] } }, say('hours', 'We are open nine to five.'), gather('more', 'Anything else?')],
      [['start', 'main', 'call'], ['call', 'main', 'menu'], ['menu', 'main', 'route'], ['route', 'out0', 'hours'], ['hours', 'main', 'more']],
    )
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, g))
    const transcript = await answerCall(ctx.fake, await placedCall(ctx, to), { digits: ['1'] })
    await succeeded(ctx, executionId)
    expect(transcript.said).toEqual(['Press 1.', 'We are open nine to five.', 'Anything else?'])
    expect(await stepOutput(ctx, executionId, 'more')).toEqual([expect.objectContaining({ digits: '', timedOut: true })])
  })

  it('hears speech: a Gather listening for digits or speech outputs what the caller said', async () => {
    const to = nextNumber()
    const g = graph([manual(), makeCall(ctx, to), gather('ask', 'Say sales or support.', { input: 'dtmf speech', numDigits: 0, hints: 'sales, support' })])
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, g))
    const transcript = await answerCall(ctx.fake, await placedCall(ctx, to), { speech: [{ text: 'support please', confidence: 0.92 }] })
    await succeeded(ctx, executionId)
    expect(transcript.legs[0].twiml).toMatch(/<Gather input="dtmf speech" action="[^"]+" method="POST" timeout="5" finishOnKey="#" hints="sales, support" language="en-US">/)
    expect(await stepOutput(ctx, executionId, 'ask')).toEqual([expect.objectContaining({ digits: '', speech: 'support please', confidence: 0.92, timedOut: false })])
  })

  it('records the caller: the recording and its transcription are stored as files of the run', async () => {
    const to = nextNumber()
    const audio = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))
    const g = graph([manual(), makeCall(ctx, to), { id: 'rec', type: 'twilio-call-record', name: 'Record', params: { prompt: 'Leave a message.', maxLength: 30, transcribe: true, waitSeconds: 20 } }])
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, g))
    const transcript = await answerCall(ctx.fake, await placedCall(ctx, to), { recording: { bytes: audio, durationSeconds: 9, transcription: 'Hi, it is Ada, call me back.' } })
    await succeeded(ctx, executionId)
    expect(transcript.legs[0].twiml).toMatch(/<Record action="[^"]+\?leg=record&amp;k=[\w-]+" method="POST" maxLength="30" timeout="5" playBeep="true" finishOnKey="#" recordingStatusCallback="[^"]+\/api\/hooks\/twilio\/recording\/vc[0-9a-f]+\?kind=recording&amp;k=/)
    expect(transcript.callbacks.map((c) => c.status)).toEqual([200, 200])

    const [out] = await stepOutput(ctx, executionId, 'rec')
    expect(out.recording).toMatchObject({ sid: expect.stringMatching(/^RE/), duration: 9, file: { name: expect.stringMatching(/^recording-RE[0-9a-f]+\.mp3$/), mimeType: 'audio/mpeg', size: audio.length } })
    expect(out.transcription).toMatchObject({ text: 'Hi, it is Ada, call me back.', file: { mimeType: 'text/plain' } })
    const files = webFiles().forRun({ tenantId: ctx.a.tenantId, executionId })
    expect((await files.readBytes(out.recording.file, { field: 'f', maxBytes: 1e6 })).bytes.equals(audio)).toBe(true)
    expect((await files.readBytes(out.transcription.file, { field: 'f', maxBytes: 1e6 })).bytes.toString()).toBe('Hi, it is Ada, call me back.')
    const rows = await ctx.t.db.prisma.file.findMany({ where: { executionId }, select: { name: true } })
    expect(rows.map((r) => r.name).sort()).toEqual([out.recording.file.name, out.transcription.file.name].sort())
  })

  it('refuses an invalid number naming the field, and dials nothing', async () => {
    const before = ctx.fake.calls.length
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, graph([manual(), makeCall(ctx, '555-0100')])))
    const run = await finished(ctx, executionId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'to' })
    expect(JSON.stringify(run.error)).toContain('not a phone number in E.164 form')
    expect(ctx.fake.calls.length).toBe(before)
  })

  it('fails a Dial to an invalid number naming the field, and the call is hung up', async () => {
    const to = nextNumber()
    const g = graph([manual(), makeCall(ctx, to), { id: 'dial', type: 'twilio-call-dial', name: 'Dial', params: { number: '12345' } }])
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, g))
    const transcript = await answerCall(ctx.fake, await placedCall(ctx, to))
    const run = await finished(ctx, executionId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'number', nodeId: 'dial' })
    expect(transcript.dialled).toEqual([])
    expect(transcript.ending).toBe('hangup')
  })
})

describe('inbound calls', () => {
  it('starts the workflow once per call and answers with its TwiML', async () => {
    const number = nextNumber()
    const g = graph([
      { id: 'incoming', type: 'twilio-call-trigger', name: 'On call', params: { credential: ctx.credentialId, number } },
      say('greet', 'Thanks for calling, {{ $json.callerCity }}.'),
    ])
    const wf = await createWorkflow(ctx, g, true)
    const url = `${ctx.hooks.url}/api/hooks/twilio/incoming-call/${wf}/incoming`
    const { callSid, transcript } = incomingCall(ctx.fake, url, { from: '+15550102222', to: number })
    const t = await transcript
    expect(t.said).toEqual(['Thanks for calling, SAN FRANCISCO.'])
    expect(t.ending).toBe('hangup')
    const runs = await ctx.t.db.prisma.execution.findMany({ where: { workflowId: wf } })
    expect(runs).toHaveLength(1)
    expect((runs[0].input as Record<string, unknown>[])[0]).toMatchObject({ callSid, from: '+15550102222', to: number, callId: expect.any(String) })

    // Twilio repeating the request for the same call starts no second run.
    const replay = await ctx.fake.post(url, { CallSid: callSid, From: '+15550102222', To: number, CallStatus: 'ringing', AccountSid: ctx.fake.accountSid })
    expect(replay.status).toBe(200)
    expect(replay.body).toContain('<Hangup/>')
    expect(await ctx.t.db.prisma.execution.count({ where: { workflowId: wf } })).toBe(1)
    expect(await ctx.t.db.prisma.message.count({ where: { providerId: callSid, direction: 'inbound', channel: 'voice' } })).toBe(1)

    // Forged: refused, no run.
    const forged = await ctx.fake.post(url, { CallSid: 'CA2123456789abcdef0123456789abcdef', From: '+15550102222', To: number, CallStatus: 'ringing' }, { authToken: 'not-the-token' })
    expect(forged.status).toBe(403)
    expect(await ctx.t.db.prisma.voiceCall.count({ where: { callSid: 'CA2123456789abcdef0123456789abcdef' } })).toBe(0)
    // A call to another number than the trigger's is not its call.
    const otherNumber = await ctx.fake.post(url, { CallSid: 'CA1123456789abcdef0123456789abcdef', From: '+15550102222', To: '+15550109876', CallStatus: 'ringing' })
    expect(otherNumber.status).toBe(404)
    // A deactivated trigger takes no calls.
    expect((await callRoute(deactivate.POST, { method: 'POST', headers: ctx.a.headers, params: { id: wf } })).status).toBe(200)
    const late = await ctx.fake.post(url, { CallSid: 'CA0123456789abcdef0123456789abcdef', From: '+15550102222', To: number, CallStatus: 'ringing' })
    expect(late.status).toBe(404)
  })
})

describe('signatures and replays', () => {
  it('refuses requests with a bad or missing X-Twilio-Signature (403) and changes nothing', async () => {
    const to = nextNumber()
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, graph([manual(), makeCall(ctx, to), gather('g', 'Press a key.', { waitSeconds: 3 })])))
    const placed = await placedCall(ctx, to)
    const params = { CallSid: placed.sid, CallStatus: 'in-progress', AccountSid: ctx.fake.accountSid }
    const forged = await ctx.fake.post(placed.url!, params, { authToken: 'not-the-token' })
    const missing = await ctx.fake.post(placed.url!, params, { signature: null })
    const wrongUrl = await ctx.fake.post(placed.url!, params, { signature: await expectedTwilioSignature(ctx.fake.authToken, `${placed.url}?leg=gather`, params) })
    const status = await ctx.fake.post(placed.statusCallback!, { ...params, CallStatus: 'completed' }, { authToken: 'not-the-token' })
    const recordingUrl = placed.statusCallback!.replace('/call-status/', '/recording/')
    const recording = await ctx.fake.post(`${recordingUrl}?kind=recording&k=x`, { ...params, RecordingSid: `RE${'0'.repeat(32)}`, RecordingUrl: 'https://api.twilio.com/x' }, { signature: null })
    expect([forged.status, missing.status, wrongUrl.status, status.status, recording.status]).toEqual([403, 403, 403, 403, 403])
    expect(JSON.parse(missing.body).error.message).toMatch(/missing/)
    const session = await ctx.t.db.prisma.voiceCall.findFirstOrThrow({ where: { callSid: placed.sid } })
    expect(session).toMatchObject({ status: 'queued', inputs: [] })
    await answerCall(ctx.fake, placed, { digits: ['5'] })
    await succeeded(ctx, executionId)
  })

  it('applies a replayed status callback once', async () => {
    const to = nextNumber()
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, graph([manual(), makeCall(ctx, to, { mode: 'message', message: 'Your parcel arrives today.' })])))
    const placed = await placedCall(ctx, to)
    expect(placed.twiml).toContain('<Say voice="alice" language="en-US">Your parcel arrives today.</Say><Hangup/>')
    expect(placed.url).toBeUndefined()
    await succeeded(ctx, executionId)
    const cb = { CallSid: placed.sid, AccountSid: ctx.fake.accountSid, From: FROM, To: to }
    const answers = []
    for (const CallStatus of ['ringing', 'in-progress', 'completed', 'completed', 'ringing']) answers.push(JSON.parse((await ctx.fake.post(placed.statusCallback!, { ...cb, CallStatus })).body))
    expect(answers.map((a) => a.changed)).toEqual([true, true, true, false, false])
    const message = await ctx.t.db.prisma.message.findFirstOrThrow({ where: { providerId: placed.sid } })
    expect(message.status).toBe('completed')
    expect((message.statusHistory as { status: string }[]).map((s) => s.status)).toEqual(['pending', 'queued', 'ringing', 'in-progress', 'completed'])
  })
})

describe('retries', () => {
  it('a retried Make Call step finds the call it placed and dials nothing twice', async () => {
    const [first, second] = [nextNumber(), nextNumber()]
    const items = [{ phone: first }, { phone: second }]
    const messaging = createMessagingHost({ prisma: ctx.t.db.prisma, redis: ctx.redis, publicUrl: ctx.hooks.url, signingSecret: 'voice-test' })
    const step = (attempt: number) => ({
      executionId: null as unknown as string, tenantId: ctx.a.tenantId, node: { id: 'call', name: 'Make Call', type: 'twilio-make-call' }, attempt,
      idempotencyKey: `retry-test-${first}`, items, inputOffset: 0, signal: new AbortController().signal,
      paramsFor: async (i: number) => makeCallParams.parse({ credential: ctx.credentialId, from: FROM, to: items[i].phone }),
      credential: async () => {
        const cred = await getDecryptedCredential(ctx.a.tenantId, ctx.credentialId)
        return { ...cred, data: { ...cred.data, baseUrl: `${ctx.fake.url}/flaky` } }
      },
      services: { messaging, network: createTcpGuard({ allowList: ['127.0.0.1'] }) },
    })
    // Twilio fails the second call once with a 503 (retryable): the flaky path proxies everything else to the fake.
    let failedOnce = false
    ctx.fake.route('POST', /^\/flaky\/(.+\/Calls\.json)$/, async (req, params, m) => {
      if (params.To === second && !failedOnce) {
        failedOnce = true
        return { status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } }
      }
      const body = new URLSearchParams(Object.entries(params).flatMap(([k, v]) => [v].flat().map((x) => [k, x])))
      const res = await fetch(`${ctx.fake.url}/${m[1]}`, { method: 'POST', headers: { authorization: req.headers.authorization!, 'content-type': 'application/x-www-form-urlencoded' }, body })
      return { status: res.status, body: await res.json() }
    })
    await expect(executeMakeCall(step(1) as never)).rejects.toMatchObject({ code: 'TWILIO_20503', retryable: true })
    const out = await executeMakeCall(step(2) as never)
    expect(ctx.fake.calls.filter((c) => c.to === first)).toHaveLength(1)
    expect(ctx.fake.calls.filter((c) => c.to === second)).toHaveLength(1)
    expect(out.main.map((i) => i.callSid)).toEqual([ctx.fake.calls.find((c) => c.to === first)!.sid, ctx.fake.calls.find((c) => c.to === second)!.sid])
  })
})

describe('waiting on the caller', () => {
  it('keeps the call up while nothing is queued, ends a waiting Gather when the caller hangs up, and hangs up after the run', async () => {
    const to = nextNumber()
    const g = graph([manual(), makeCall(ctx, to), gather('menu', 'Press 1.', { waitSeconds: 30 })])
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, g))
    const placed = await placedCall(ctx, to)
    const base = { CallSid: placed.sid, AccountSid: ctx.fake.accountSid, From: FROM, To: to }
    const first = await ctx.fake.post(placed.url!, { ...base, CallStatus: 'in-progress' })
    expect(first.body).toContain('<Gather')
    // The caller hangs up instead of answering: the waiting step ends at once, saying so.
    await ctx.fake.post(placed.statusCallback!, { ...base, CallStatus: 'completed' })
    await succeeded(ctx, executionId)
    expect(await stepOutput(ctx, executionId, 'menu')).toEqual([expect.objectContaining({ digits: '', timedOut: true, callEnded: true })])
    const late = await ctx.fake.post(placed.url!, { ...base, CallStatus: 'completed' })
    expect(late.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>')
  })

  it('answers a leg with a pause and a redirect when the run has queued nothing in time', async () => {
    const session = await ctx.t.db.prisma.voiceCall.create({ data: { tenantId: ctx.a.tenantId, direction: 'inbound', from: '+15550102222', to: '+15550100000' } })
    const url = `${ctx.hooks.url}/api/hooks/twilio/voice/${session.id}`
    const twiml = await nextTwiml({ ...voiceHookDeps(), waitMs: 300, pollMs: 50 }, session, url)
    expect(twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Pause length="1"/><Redirect method="POST">${url}</Redirect></Response>`)
  })

  it('cancelling the run interrupts a waiting Gather and the call is hung up', async () => {
    const to = nextNumber()
    const executionId = await runWorkflow(ctx, await createWorkflow(ctx, graph([manual(), makeCall(ctx, to), gather('menu', 'Press 1.', { waitSeconds: 60 })])))
    const placed = await placedCall(ctx, to)
    const base = { CallSid: placed.sid, AccountSid: ctx.fake.accountSid, From: FROM, To: to, CallStatus: 'in-progress' }
    expect((await ctx.fake.post(placed.url!, base)).body).toContain('<Gather')
    const started = Date.now()
    expect((await callRoute(cancel.POST, { method: 'POST', headers: ctx.a.headers, params: { id: executionId } })).status).toBe(202)
    expect((await finished(ctx, executionId)).status).toBe('canceled')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await ctx.fake.post(placed.url!, base)).body).toContain('<Hangup/>')
  })
})
