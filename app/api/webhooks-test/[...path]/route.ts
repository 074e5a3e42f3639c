// The designer's test URL: while it listens, the first request runs the workflow's newest draft once
// (lib/services/webhook-test.ts). See lib/http/webhook-route.ts.
import { webhookRouteHandler } from '@/lib/http/webhook-route'

const handler = webhookRouteHandler({ test: true })

export const GET = handler
export const POST = handler
export const PUT = handler
export const PATCH = handler
export const DELETE = handler
