// What voice nodes see of a call session (types only: browser-safe). A call is one VoiceCall row: the run queues
// TwiML on it, Twilio's requests for it (call legs) take that TwiML and leave what the caller did (digits, speech, a
// recording) in its `inputs`, where the waiting step finds it. docs/messaging-voice.md.

/** What one request of Twilio's (or a recording/transcription callback) left on the call. */
export interface VoiceInput {
  seq: number
  /** answer: the call connected (first leg); redirect: a plain "what next?"; gather/record/dial: that verb's action;
   * timeout: a Gather heard nothing; recording/transcription: the stored file arrived. */
  kind: 'answer' | 'redirect' | 'gather' | 'record' | 'dial' | 'timeout' | 'recording' | 'transcription'
  /** The verb this answers (the key its step queued it under); absent on answer and redirect legs. */
  key?: string
  at: string
  fields: Record<string, unknown>
}

export interface VoiceCallRecord {
  id: string
  callSid: string | null
  executionId: string | null
  direction: string
  from: string
  to: string
  status: string
  ended: boolean
  seq: number
  inputs: VoiceInput[]
}

export interface VoiceWaitResult {
  input: VoiceInput | null
  /** The call is over (hung up, failed) or the wait ran out before anything came. */
  callEnded: boolean
}

/** One run's view of its calls (scoped to its workspace). */
export interface RunVoice {
  /** The call row under this id, made on first use (a retried step finds the row it made). */
  open(call: { id: string; from: string; to: string; credentialId?: string; direction: 'outbound' | 'inbound' }): Promise<VoiceCallRecord>
  /** Twilio accepted the call: its SID and first status. */
  started(callId: string, callSid: string, status: string): Promise<void>
  /** The call, or a NodeError naming `field` when this workspace has no such call. */
  get(callId: string, field: string): Promise<VoiceCallRecord>
  /** Appends TwiML verbs (an XML fragment, no <Response>) for the call's next request to answer with. */
  queue(callId: string, verbs: string): Promise<void>
  /**
   * Waits until an input of one of `kinds` answers `key`, or `timeoutMs` passes, or the call ends (unless
   * `afterHangup`: recordings and transcriptions arrive after the call is over).
   */
  waitForInput(callId: string, key: string, kinds: VoiceInput['kind'][], timeoutMs: number, signal: AbortSignal, opts?: { afterHangup?: boolean }): Promise<VoiceWaitResult>
  /** The URL Twilio asks for the call's TwiML at (with `query`: a verb's action, e.g. { leg: 'gather', k }). */
  legUrl(callId: string, query?: Record<string, string>): string
}
