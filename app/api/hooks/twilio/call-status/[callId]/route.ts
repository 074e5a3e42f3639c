// A call's status callback (signed): the call and its message record move forward only.
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { voiceHookDeps } from '@/lib/messaging/voice-hook-deps'
import { applyCallStatus } from '@/lib/messaging/voice-legs'

export const POST = route<{ params: Promise<{ callId: string }> }>(async (req, ctx) => {
  const { callId } = await ctx.params
  return Response.json(await applyCallStatus(voiceHookDeps(), callId, await readTwilioHook(req)))
})
