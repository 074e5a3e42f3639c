// A call leg: Twilio asks what the call does next (signed); answered with the TwiML the call's run queued.
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { twimlResponse, voiceHookDeps } from '@/lib/messaging/voice-hook-deps'
import { answerLeg } from '@/lib/messaging/voice-legs'

export const POST = route<{ params: Promise<{ callId: string }> }>(async (req, ctx) => {
  const { callId } = await ctx.params
  return twimlResponse(await answerLeg(voiceHookDeps(), callId, await readTwilioHook(req)))
})
