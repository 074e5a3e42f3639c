// Public webhook entry: no session or API key — the path is the secret. Runs the published version of the active
// workflow owning the path. See lib/services/webhook-ingress.ts and lib/http/webhook-route.ts.
import { webhookRouteHandler } from '@/lib/http/webhook-route'

const handler = webhookRouteHandler({ test: false })

export const GET = handler
export const POST = handler
export const PUT = handler
export const PATCH = handler
export const DELETE = handler
