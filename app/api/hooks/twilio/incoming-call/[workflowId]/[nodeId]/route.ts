// An incoming call to a number an active "On call received" trigger listens on (signed): starts the run once per
// call and answers with its first TwiML.
import { env } from '@/lib/env'
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { twimlResponse, voiceHookDeps } from '@/lib/messaging/voice-hook-deps'
import { answerIncomingCall } from '@/lib/messaging/voice-inbound'
import { appServices } from '@/lib/services/app'

export const POST = route<{ params: Promise<{ workflowId: string; nodeId: string }> }>(async (req, ctx) => {
  const { workflowId, nodeId } = await ctx.params
  const deps = { ...voiceHookDeps(), starts: appServices(), publicUrl: env().publicUrl }
  return twimlResponse(await answerIncomingCall(deps, workflowId, nodeId, await readTwilioHook(req)))
})
