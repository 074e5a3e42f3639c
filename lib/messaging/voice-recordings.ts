// Recordings and transcriptions of a call (app/api/hooks/twilio/recording/[callId]): Twilio reports them after the
// Record verb, signed; the recording is downloaded with the account's credentials (to the credential's base URL
// when it has one, as the SDK's requests are, after the outbound policy vetted the host), stored as a file of the
// call's run, and noted in the call's inputs where the waiting Record step finds it. Server only.
import { AppError, ValidationError } from '../errors'
import type { TwilioHookRequest } from './hooks'
import { appendInput } from './voice-store'
import { hookCall, type VoiceHookDeps } from './voice-legs'
import type { TwilioCredential } from './twilio'
import type { CredentialData } from '../engine/types'
import { hostAllowed } from '../credentials/hosts'

const credentialMayGo = (cred: CredentialData, url: URL) => hostAllowed(cred.allowedHosts ?? [], url)

/** Twilio's recordings are audio; anything much larger is not one of ours. */
const MAX_RECORDING_BYTES = 200 * 1024 * 1024

export async function storeCallRecording(deps: VoiceHookDeps, callId: string, hook: TwilioHookRequest): Promise<{ stored: boolean }> {
  const call = await hookCall(deps, callId, hook)
  const q = new URL(hook.url).searchParams
  const kind = q.get('kind') === 'transcription' ? 'transcription' : 'recording'
  const key = q.get('k') ?? undefined
  const p = hook.params
  if (!call.executionId) throw new AppError(409, 'NO_RUN', 'This call has no run to store the recording with')
  const run = deps.files.forRun({ tenantId: call.tenantId, executionId: call.executionId })
  if (kind === 'transcription') {
    if (!p.TranscriptionSid) throw new ValidationError('TranscriptionSid is missing', { TranscriptionSid: 'Required' })
    if (call.inputs.some((i) => i.kind === 'transcription' && i.fields.TranscriptionSid === p.TranscriptionSid)) return { stored: false }
    const text = p.TranscriptionStatus === 'completed' ? (p.TranscriptionText ?? '') : ''
    const file = await run.write({ name: `transcription-${p.RecordingSid ?? p.TranscriptionSid}.txt`, mimeType: 'text/plain', data: text })
    await appendInput(deps.prisma, call.id, { kind, key, fields: { TranscriptionSid: p.TranscriptionSid, RecordingSid: p.RecordingSid, TranscriptionStatus: p.TranscriptionStatus, TranscriptionText: text, file } })
    return { stored: true }
  }
  if (!p.RecordingSid || !p.RecordingUrl) throw new ValidationError('RecordingSid and RecordingUrl are required', { RecordingUrl: 'Required' })
  // Only a finished recording has bytes to fetch ('absent' and 'failed' ones are not stored).
  if ((p.RecordingStatus ?? 'completed') !== 'completed') return { stored: false }
  if (call.inputs.some((i) => i.kind === 'recording' && i.fields.RecordingSid === p.RecordingSid)) return { stored: false }
  const saved = await deps.credential(call.tenantId, call.credentialId!)
  const bytes = await download(deps, saved, `${p.RecordingUrl}.mp3`)
  const file = await run.write({ name: `recording-${p.RecordingSid}.mp3`, mimeType: 'audio/mpeg', data: bytes, maxBytes: MAX_RECORDING_BYTES })
  await appendInput(deps.prisma, call.id, { kind, key, fields: { RecordingSid: p.RecordingSid, RecordingDuration: Number(p.RecordingDuration ?? 0), file } })
  return { stored: true }
}

async function download(deps: VoiceHookDeps, saved: CredentialData, recordingUrl: string): Promise<Buffer> {
  const cred = saved.data as unknown as TwilioCredential
  const source = new URL(recordingUrl)
  if (!cred.baseUrl && (source.protocol !== 'https:' || !source.hostname.endsWith('.twilio.com'))) {
    throw new ValidationError('RecordingUrl is not a Twilio URL', { RecordingUrl: 'Not a Twilio URL' })
  }
  let url = cred.baseUrl ? new URL(`${source.pathname}${source.search}`, cred.baseUrl) : source
  const auth = `Basic ${Buffer.from(`${cred.accountSid}:${cred.authToken}`).toString('base64')}`
  // Twilio may answer with a redirect to its media storage: followed (vetted again), without the account's password.
  for (let hop = 0; hop < 3; hop++) {
    await deps.guard.vet(url.hostname, Number(url.port || (url.protocol === 'https:' ? 443 : 80)), 'RecordingUrl')
    if (hop === 0 && !credentialMayGo(saved, url)) throw new AppError(422, 'CREDENTIAL_HOST_NOT_ALLOWED', `The Twilio credential may not be sent to ${url.host}`)
    const res = await fetch(url, { headers: hop === 0 ? { authorization: auth } : {}, redirect: 'manual' })
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url)
      continue
    }
    if (!res.ok) throw new AppError(502, 'RECORDING_UNAVAILABLE', `Twilio answered ${res.status} for the recording`)
    return Buffer.from(await res.arrayBuffer())
  }
  throw new AppError(502, 'RECORDING_UNAVAILABLE', 'Too many redirects for the recording')
}
