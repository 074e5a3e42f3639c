// Twilio's status callback for a message the studio sent (public: X-Twilio-Signature is the check).
import { webServices } from '@/lib/composition/web-services'
import { getDecryptedCredential } from '@/lib/credentials'
import { route } from '@/lib/http/route'
import { readTwilioHook } from '@/lib/messaging/hooks'
import { receiveSmsStatus } from '@/lib/messaging/sms-hooks'

export const POST = route<{ params: Promise<{ messageId: string }> }>(async (req, ctx) => {
  const { messageId } = await ctx.params
  const result = await receiveSmsStatus(webServices().prisma, getDecryptedCredential, await readTwilioHook(req), messageId)
  return Response.json(result)
})
