// A stored file fetched by Twilio as MMS media, through the signed URL the Send SMS step gave it (no session).
import { webServices } from '@/lib/composition/web-services'
import { route } from '@/lib/http/route'
import { messagingSigningSecret } from '@/lib/messaging/host'
import { serveSignedMedia } from '@/lib/messaging/sms-hooks'

export const GET = route<{ params: Promise<{ fileId: string }> }>(async (req, ctx) => {
  const { fileId } = await ctx.params
  return serveSignedMedia(webServices().files, messagingSigningSecret(), fileId, req)
})

export const HEAD = GET
