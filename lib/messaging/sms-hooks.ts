// What Twilio's SMS requests to the studio do once the route handler has read them (app/api/hooks/twilio/status,
// app/api/hooks/media): status callbacks move a message forward, checked with the auth token of the credential the
// message was sent with (a callback signed by another account's token is refused, whatever message id it names);
// media hooks stream a file to whoever holds its signed, unexpired URL. Server only.
import type { PrismaClient } from '../db/generated/client'
import { AppError, NotFoundError, ValidationError } from '../errors'
import type { FileService } from '../files/service'
import { fileDownload } from '../http/file-download'
import { assertTwilioSignature, twilioAuthToken, type LoadCredential, type TwilioHookRequest } from './hooks'
import { applyStatus, verifyMediaPath } from './store'
import { TWILIO_UNSUBSCRIBED } from './twilio'

export interface StatusCallbackResult {
  changed: boolean
  status: string
}

/** POST /api/hooks/twilio/status/<messageId>: Twilio's MessageStatus (and ErrorCode) for one message we sent. */
export async function receiveSmsStatus(prisma: PrismaClient, load: LoadCredential, hook: TwilioHookRequest, messageId: string): Promise<StatusCallbackResult> {
  const message = await prisma.message.findUnique({
    where: { id: messageId },
    select: { id: true, tenantId: true, provider: true, providerId: true, credentialId: true, to: true },
  })
  if (!message || message.provider !== 'twilio') throw new NotFoundError('Message')
  await assertTwilioSignature(hook, await twilioAuthToken(load, message.tenantId, message.credentialId))
  const sid = hook.params.MessageSid ?? hook.params.SmsSid
  const status = hook.params.MessageStatus ?? hook.params.SmsStatus
  if (!sid) throw new ValidationError('MessageSid is missing', { MessageSid: 'required' })
  if (!status) throw new ValidationError('MessageStatus is missing', { MessageStatus: 'required' })
  if (message.providerId === null) {
    // The callback beat the API's answer to the sender: the signed URL names the message, so its SID is taken from here.
    await prisma.message.updateMany({ where: { id: message.id, providerId: null }, data: { providerId: sid } })
  } else if (message.providerId !== sid) {
    throw new AppError(409, 'WRONG_MESSAGE', `MessageSid ${sid} is not the message this callback URL is for`)
  }
  const errorCode = hook.params.ErrorCode || null
  const { changed, message: after } = await applyStatus(prisma, { tenantId: message.tenantId, provider: 'twilio', providerId: message.providerId ?? sid }, {
    status,
    errorCode,
    errorMessage: errorCode ? `Twilio error ${errorCode}` : null,
  })
  if (changed && errorCode === String(TWILIO_UNSUBSCRIBED)) {
    await prisma.messagingOptOut.upsert({
      where: { tenantId_channel_address: { tenantId: message.tenantId, channel: 'sms', address: message.to } },
      create: { tenantId: message.tenantId, channel: 'sms', address: message.to, source: 'carrier' },
      update: {},
    })
  }
  return { changed, status: after?.status ?? status }
}

/** GET /api/hooks/media/<fileId>?t&e&s: the file, for the holder of a signed URL; 403 forged, 410 expired, 404 gone. */
export async function serveSignedMedia(files: FileService, secret: string, fileId: string, req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams
  const query = { t: q.get('t'), e: q.get('e'), s: q.get('s') }
  const tenantId = verifyMediaPath(secret, fileId, query)
  if (!tenantId) {
    // Signed right but past its time (checked as if it were the epoch): gone, not forged.
    if (verifyMediaPath(secret, fileId, query, 0)) throw new AppError(410, 'EXPIRED', 'This media link has expired')
    throw new AppError(403, 'BAD_SIGNATURE', 'This media link is not signed by this studio')
  }
  return fileDownload(files, tenantId, fileId, req)
}
