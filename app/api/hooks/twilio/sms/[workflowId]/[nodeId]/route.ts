// An inbound SMS/MMS for an active On SMS received trigger (public: X-Twilio-Signature is the check). Twilio gets
// empty TwiML: replies are the workflow's to send.
import { webServices } from '@/lib/composition/web-services'
import { getDecryptedCredential } from '@/lib/credentials'
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { receiveSms } from '@/lib/messaging/sms-inbound'

export const POST = route<{ params: Promise<{ workflowId: string; nodeId: string }> }>(async (req, ctx) => {
  const { workflowId, nodeId } = await ctx.params
  await receiveSms(webServices().app, getDecryptedCredential, await readTwilioHook(req), workflowId, nodeId)
  return new Response('<?xml version="1.0" encoding="UTF-8"?><Response/>', { status: 200, headers: { 'content-type': 'text/xml' } })
})
