// A call's recording or transcription is ready (signed): stored as a file of the call's run.
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { voiceHookDeps } from '@/lib/messaging/voice-hook-deps'
import { storeCallRecording } from '@/lib/messaging/voice-recordings'

export const POST = route<{ params: Promise<{ callId: string }> }>(async (req, ctx) => {
  const { callId } = await ctx.params
  return Response.json(await storeCallRecording(voiceHookDeps(), callId, await readTwilioHook(req)))
})
