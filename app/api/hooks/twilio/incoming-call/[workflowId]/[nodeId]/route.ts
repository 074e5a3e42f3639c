// An incoming call to a number an active "On call received" trigger listens on (signed): starts the run once per
// call and answers with its first TwiML.
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { incomingCallDeps, twimlResponse } from '@/lib/messaging/voice-hook-deps'
import { answerIncomingCall } from '@/lib/messaging/voice-inbound'

export const POST = route<{ params: Promise<{ workflowId: string; nodeId: string }> }>(async (req, ctx) => {
  const { workflowId, nodeId } = await ctx.params
  return twimlResponse(await answerIncomingCall(incomingCallDeps(), workflowId, nodeId, await readTwilioHook(req)))
})
