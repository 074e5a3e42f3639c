// The WhatsApp trigger's public webhook: no session; the verify token (GET handshake) and X-Hub-Signature-256 (POST)
// are the checks. lib/messaging/whatsapp-hook.ts.
import { webServices } from '@/lib/composition/web-services'
import { getDecryptedCredential } from '@/lib/credentials'
import { route } from '@/lib/http/route'
import { readRawBody } from '@/lib/messaging/hooks'
import { receiveWhatsAppWebhook, verifyWhatsAppSubscription, type WhatsAppHookDeps } from '@/lib/messaging/whatsapp-hook'

type Ctx = { params: Promise<{ workflowId: string; nodeId: string }> }

const deps = (): WhatsAppHookDeps => ({ ...webServices().app, getCredential: getDecryptedCredential })

export const GET = route<Ctx>(async (req, { params }) => {
  const { workflowId, nodeId } = await params
  const challenge = await verifyWhatsAppSubscription(deps(), workflowId, nodeId, new URL(req.url).searchParams)
  return new Response(challenge, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } })
})

export const POST = route<Ctx>(async (req, { params }) => {
  const { workflowId, nodeId } = await params
  const raw = await readRawBody(req)
  return Response.json(await receiveWhatsAppWebhook(deps(), workflowId, nodeId, raw, req.headers.get('x-hub-signature-256')))
})
